/* The traffic of a run: a sink (srtraffic recv) on every flow's destination
 * node, started before the first step and ready before it; a sender
 * (srtraffic send) per start-flow step; and each flow's results from the
 * sender's and the sink's JSON reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/json.h"
#include "srlab/proc.h"
#include "srlab/run_int.h"
#include "srlab/util.h"

#define SINK_READY_MS 5000
#define RUN_EXTRA_S   120.0

double srlab_run_flow_length(const struct sc_flow *f)
{
	if (f->duration > 0)
		return f->duration;
	return f->rate > 0 ? (double)f->count * f->flows / f->rate : 10.0;
}

int srlab_run_start_sinks(struct run *r, char *msg, size_t cap)
{
	const struct topo *t = r->lab->t;
	const struct scenario *sc = r->sc;
	double horizon = 0;

	for (int i = 0; i < sc->n_step; i++)
		horizon = sc->step[i].at > horizon ? sc->step[i].at : horizon;
	for (int i = 0; i < sc->n_flow; i++)
		horizon += srlab_run_flow_length(&sc->flow[i]);
	for (int n = 0; n < t->n_node; n++) {
		char udp[1024] = "", tcp[1024] = "", ready[4200], dur[32], what[96];
		const char *argv[16];
		struct sink *s;
		int argc = 0;

		for (int i = 0; i < sc->n_flow; i++) {
			const struct sc_flow *f = &sc->flow[i];
			char *list = f->tcp ? tcp : udp, port[16];
			bool dup = false;

			if (f->to != n)
				continue;
			/* each port once */
			for (int k = 0; k < i; k++)
				dup |= sc->flow[k].to == n && sc->flow[k].tcp == f->tcp &&
				       sc->flow[k].dport == f->dport;
			if (dup)
				continue;
			snprintf(port, sizeof(port), "%d", f->dport);
			snprintf(list + strlen(list), 1024 - strlen(list), "%s%s",
				 list[0] ? "," : "", port);
		}
		if (!udp[0] && !tcp[0])
			continue;
		s = &r->sink[r->n_sink++];
		s->node = n;
		snprintf(s->report, sizeof(s->report), "%s/sink-%s.json", r->lab->dir,
			 t->node[n].name);
		snprintf(ready, sizeof(ready), "%s/sink-%s.ready", r->lab->dir, t->node[n].name);
		snprintf(dur, sizeof(dur), "%.0f", horizon + RUN_EXTRA_S);
		unlink(ready);
		argv[argc++] = r->lab->srtraffic;
		argv[argc++] = "recv";
		if (udp[0]) {
			argv[argc++] = "--udp";
			argv[argc++] = udp;
		}
		if (tcp[0]) {
			argv[argc++] = "--tcp";
			argv[argc++] = tcp;
		}
		argv[argc++] = "--json";
		argv[argc++] = s->report;
		argv[argc++] = "--ready-file";
		argv[argc++] = ready;
		argv[argc++] = "--duration";
		argv[argc++] = dur;
		argv[argc] = NULL;
		s->pid = proc_spawn(t->node[n].ns, argv, NULL, NULL);
		if (s->pid < 0) {
			snprintf(msg, cap, "%s: cannot start the sink: %s", t->node[n].name,
				 strerror(errno));
			return -1;
		}
		snprintf(what, sizeof(what), "sink %s", t->node[n].name);
		lab_record_pid(r->lab, s->pid, what);
		for (int w = 0; access(ready, F_OK) != 0; w += 20) {
			if (w >= SINK_READY_MS || !proc_alive(s->pid)) {
				snprintf(msg, cap, "%s: the sink (srtraffic recv) did not start",
					 t->node[n].name);
				return -1;
			}
			proc_sleep_ms(20);
		}
	}
	return 0;
}

int srlab_run_start_flow(struct run *r, struct sc_flow *f, char *detail, size_t cap)
{
	const struct topo *t = r->lab->t;
	char dport[16], rate[32], len[32], size[16], flows[16], id[16], what[96];
	const char *argv[32];
	int argc = 0;

	char name[SC_NAME_MAX + 1];

	memcpy(name, f->name, sizeof(name));
	snprintf(f->report, sizeof(f->report), "%s/flow-%s.json", r->lab->dir, name);
	snprintf(dport, sizeof(dport), "%d", f->dport);
	snprintf(rate, sizeof(rate), "%.6g", f->rate);
	snprintf(size, sizeof(size), "%d", f->size);
	snprintf(flows, sizeof(flows), "%d", f->flows);
	snprintf(id, sizeof(id), "%u", f->flow_id);
	argv[argc++] = r->lab->srtraffic;
	argv[argc++] = "send";
	argv[argc++] = "--dst";
	argv[argc++] = f->dst;
	argv[argc++] = "--proto";
	argv[argc++] = f->tcp ? "tcp" : "udp";
	argv[argc++] = "--dport";
	argv[argc++] = dport;
	argv[argc++] = "--rate";
	argv[argc++] = rate;
	if (f->duration > 0) {
		snprintf(len, sizeof(len), "%.3f", f->duration);
		argv[argc++] = "--duration";
	} else {
		snprintf(len, sizeof(len), "%lld", (long long)f->count);
		argv[argc++] = "--count";
	}
	argv[argc++] = len;
	argv[argc++] = "--size";
	argv[argc++] = size;
	argv[argc++] = "--flows";
	argv[argc++] = flows;
	argv[argc++] = "--flow-id";
	argv[argc++] = id;
	argv[argc++] = "--json";
	argv[argc++] = f->report;
	argv[argc] = NULL;
	f->pid = proc_spawn(t->node[f->from].ns, argv, NULL, NULL);
	if (f->pid < 0) {
		f->pid = 0;
		snprintf(detail, cap, "cannot start srtraffic send: %s", strerror(errno));
		return -1;
	}
	f->started_at = proc_now();
	snprintf(what, sizeof(what), "flow %s", f->name);
	lab_record_pid(r->lab, f->pid, what);
	snprintf(detail, cap, "%s %s -> %s (%s) port %d, %.6g pps", f->tcp ? "tcp" : "udp",
		 t->node[f->from].name, t->node[f->to].name, f->dst, f->dport, f->rate);
	return 0;
}

struct json_doc *srlab_run_load_json(const char *path)
{
	struct json_doc *doc = NULL;
	struct json_err err;
	char *text = NULL;
	size_t len;

	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return NULL;
	if (json_parse(text, len, NULL, &doc, &err))
		doc = NULL;
	free(text);
	return doc;
}

void srlab_run_collect_flow(struct run *r, struct sc_flow *f)
{
	struct json_doc *send = f->report[0] ? srlab_run_load_json(f->report) : NULL;
	const struct json_val *sink_flows = NULL;
	double med_sum = 0;

	for (int k = 0; k < r->n_sink; k++)
		if (r->sink[k].node == f->to && r->sink[k].doc)
			sink_flows = json_obj_get(json_root(r->sink[k].doc), "flows");
	if (send) {
		const struct json_val *tot = json_obj_get(json_root(send), "totals");
		const struct json_val *fl = json_obj_get(json_root(send), "flows");

		f->have_send = true;
		f->sent = srlab_run_u64_of(json_obj_get(tot, "sent"));
		f->errors = srlab_run_u64_of(json_obj_get(tot, "errors"));
		f->connected = true;
		for (size_t i = 0; f->tcp && i < json_obj_len(fl); i++) {
			bool c = false;

			json_bool(json_obj_get(json_obj_val(fl, i), "connected"), &c);
			f->connected &= c;
		}
		json_free(send);
	}
	for (int i = 0; i < f->flows; i++) {
		char key[64];
		const struct json_val *v, *lat;
		double x;

		snprintf(key, sizeof(key), "%u/%s/%d", f->flow_id + (uint32_t)i,
			 f->tcp ? "tcp" : "udp", f->dport);
		v = json_obj_get(sink_flows, key);
		if (!v)
			continue;
		f->have_recv = true;
		f->received += srlab_run_u64_of(json_obj_get(v, "received"));
		f->unique += srlab_run_u64_of(json_obj_get(v, "unique"));
		f->duplicates += srlab_run_u64_of(json_obj_get(v, "duplicates"));
		f->reordered += srlab_run_u64_of(json_obj_get(v, "reordered"));
		f->lost += srlab_run_u64_of(json_obj_get(v, "lost"));
		lat = json_obj_get(v, "latency_us");
		/* over several srtraffic flows: the median weighted by packets,
		 * the worst p99 and max */
		if (!json_num(json_obj_get(lat, "median"), &x))
			med_sum += x * (double)srlab_run_u64_of(json_obj_get(v, "unique"));
		if (!json_num(json_obj_get(lat, "p99"), &x) && x > f->lat_p99)
			f->lat_p99 = x;
		if (!json_num(json_obj_get(lat, "max"), &x) && x > f->lat_max)
			f->lat_max = x;
	}
	if (f->unique)
		f->lat_median = med_sum / (double)f->unique;
	/* the sender knows what left, also when the tail or everything was lost */
	if (f->have_send)
		f->lost = f->sent > f->unique ? f->sent - f->unique : 0;
}

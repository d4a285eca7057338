/* Scenario runner: steps in file order, each not before its "at" (seconds
 * after the start); sinks on every flow's destination node, started before
 * the first step; results from srtraffic's JSON reports and srchaind's last
 * statistics line. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/jsonw.h"
#include "srlab/proc.h"
#include "srlab/run.h"
#include "srlab/util.h"

#define SINK_READY_MS  5000
#define SENDER_GRACE_S 30.0
#define RUN_EXTRA_S    120.0

static volatile sig_atomic_t stop_req;

static void on_signal(int sig)
{
	(void)sig;
	stop_req = 1;
}

struct sink {
	int node;
	pid_t pid;
	char report[4200];
	struct json_doc *doc;
};

struct run {
	struct lab *lab;
	struct scenario *sc;
	double t0;
	int n_sink;
	struct sink sink[TOPO_NODES_MAX];
	struct json_doc *stats[TOPO_NODES_MAX]; /* last srchaind statistics per node */
	int failed_steps, failed_checks, n_checks;
};

/* Sleeps until t (monotonic seconds) unless a stop is requested. */
static void sleep_until(double t)
{
	while (!stop_req) {
		double left = t - proc_now();

		if (left <= 0)
			return;
		proc_sleep_ms(left > 0.1 ? 100 : (int)(left * 1000) + 1);
	}
}

static double flow_length(const struct sc_flow *f)
{
	if (f->duration > 0)
		return f->duration;
	return f->rate > 0 ? (double)f->count * f->flows / f->rate : 10.0;
}

static int start_sinks(struct run *r, char *msg, size_t cap)
{
	const struct topo *t = r->lab->t;
	const struct scenario *sc = r->sc;
	double horizon = 0;

	for (int i = 0; i < sc->n_step; i++)
		horizon = sc->step[i].at > horizon ? sc->step[i].at : horizon;
	for (int i = 0; i < sc->n_flow; i++)
		horizon += flow_length(&sc->flow[i]);
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

static int start_flow(struct run *r, struct sc_flow *f, char *detail, size_t cap)
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

/* Waits for every running sender; one that overstays is stopped. */
static void wait_senders(struct run *r)
{
	for (int i = 0; i < r->sc->n_flow; i++) {
		struct sc_flow *f = &r->sc->flow[i];
		double deadline = f->started_at + flow_length(f) + SENDER_GRACE_S;
		int st;

		while (f->pid > 0) {
			pid_t w = waitpid(f->pid, &st, WNOHANG);

			if (w == f->pid) {
				f->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
				f->pid = 0;
				break;
			}
			if (stop_req || proc_now() > deadline) {
				proc_stop(f->pid, SIGTERM, 2000);
				f->exit_status = -1;
				f->pid = 0;
				break;
			}
			proc_sleep_ms(20);
		}
	}
}

static void run_exec(struct run *r, struct sc_step *st)
{
	const struct topo_node *n = &r->lab->t->node[st->node];
	char out[400];
	int rc =
		proc_run((const char *[]){"ip", "netns", "exec", n->ns, "sh", "-c", st->text, NULL},
			 out, sizeof(out), NULL, 0);
	size_t l = strlen(out);

	while (l && (out[l - 1] == '\n' || out[l - 1] == ' '))
		out[--l] = 0;
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = ' ';
	st->ok = st->expect_any || rc == st->expect;
	snprintf(st->detail, sizeof(st->detail), "%s: exit %d%s%s%s", n->name, rc,
		 st->ok ? "" : " (expected ", st->ok ? "" : "0", st->ok ? "" : ")");
	if (!st->ok && st->expect)
		snprintf(st->detail, sizeof(st->detail), "%s: exit %d (expected %d)", n->name, rc,
			 st->expect);
	if (out[0])
		snprintf(st->detail + strlen(st->detail), sizeof(st->detail) - strlen(st->detail),
			 ": %s", out);
}

static void run_step(struct run *r, struct sc_step *st)
{
	struct lab *lab = r->lab;

	st->ok = true;
	switch (st->op) {
	case SC_START_FLOW:
		st->ok = !start_flow(r, &r->sc->flow[st->flow], st->detail, sizeof(st->detail));
		break;
	case SC_CONFIG_ADD:
	case SC_CONFIG_REMOVE:
		st->ok = !lab_config_change(lab, st->node, st->text, st->op == SC_CONFIG_ADD,
					    st->detail, sizeof(st->detail));
		if (st->ok)
			snprintf(st->detail, sizeof(st->detail), "%s: %s",
				 lab->t->node[st->node].name, st->text);
		break;
	case SC_EXEC:
		run_exec(r, st);
		break;
	case SC_STOP_NODE:
		lab_daemon_stop(lab, st->node);
		snprintf(st->detail, sizeof(st->detail), "%s: srchaind stopped",
			 lab->t->node[st->node].name);
		break;
	case SC_START_NODE:
		if (lab->d[st->node].pid) {
			snprintf(st->detail, sizeof(st->detail), "%s: srchaind is running",
				 lab->t->node[st->node].name);
			st->ok = false;
			break;
		}
		st->ok = !lab_daemon_start(lab, st->node, st->detail, sizeof(st->detail));
		if (st->ok)
			snprintf(st->detail, sizeof(st->detail), "%s: srchaind started",
				 lab->t->node[st->node].name);
		break;
	case SC_WAIT:
		wait_senders(r);
		snprintf(st->detail, sizeof(st->detail), "every flow started so far has ended");
		break;
	default:
		break;
	}
	st->done = true;
	st->t = proc_now() - r->t0;
	if (!st->ok)
		r->failed_steps++;
	if (lab->verbose || !st->ok)
		fprintf(stderr, "srlab: %7.3f s  %-13s %s%s\n", st->t, sc_op_name(st->op),
			st->ok ? "" : "FAILED: ", st->detail);
}

/* --- results --- */

static struct json_doc *load_json(const char *path)
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

/* The last complete JSON line of a daemon's statistics output. */
static struct json_doc *load_last_stats(const char *path)
{
	struct json_doc *doc = NULL;
	struct json_err err;
	char *text = NULL;
	size_t len;

	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return NULL;
	while (len && !doc) {
		char *line;

		while (len && text[len - 1] == '\n')
			text[--len] = 0;
		line = text + len;
		while (line > text && line[-1] != '\n')
			line--;
		if (line[0] == '{' &&
		    json_parse(line, (size_t)(text + len - line), NULL, &doc, &err))
			doc = NULL;
		len = (size_t)(line - text);
	}
	free(text);
	return doc;
}

static uint64_t u64_of(const struct json_val *v)
{
	uint64_t x = 0;

	json_uint(v, &x);
	return x;
}

static void collect_flow(struct run *r, struct sc_flow *f)
{
	struct json_doc *send = f->report[0] ? load_json(f->report) : NULL;
	const struct json_val *sink_flows = NULL;
	double med_sum = 0;

	for (int k = 0; k < r->n_sink; k++)
		if (r->sink[k].node == f->to && r->sink[k].doc)
			sink_flows = json_obj_get(json_root(r->sink[k].doc), "flows");
	if (send) {
		const struct json_val *tot = json_obj_get(json_root(send), "totals");
		const struct json_val *fl = json_obj_get(json_root(send), "flows");

		f->have_send = true;
		f->sent = u64_of(json_obj_get(tot, "sent"));
		f->errors = u64_of(json_obj_get(tot, "errors"));
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
		f->received += u64_of(json_obj_get(v, "received"));
		f->unique += u64_of(json_obj_get(v, "unique"));
		f->duplicates += u64_of(json_obj_get(v, "duplicates"));
		f->reordered += u64_of(json_obj_get(v, "reordered"));
		f->lost += u64_of(json_obj_get(v, "lost"));
		lat = json_obj_get(v, "latency_us");
		/* over several srtraffic flows: the median weighted by packets,
		 * the worst p99 and max */
		if (!json_num(json_obj_get(lat, "median"), &x))
			med_sum += x * (double)u64_of(json_obj_get(v, "unique"));
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

static bool flow_value(const struct sc_flow *f, const char *field, double *v)
{
	if (!strcmp(field, "sent"))
		*v = (double)f->sent;
	else if (!strcmp(field, "received"))
		*v = (double)f->received;
	else if (!strcmp(field, "unique"))
		*v = (double)f->unique;
	else if (!strcmp(field, "lost"))
		*v = (double)f->lost;
	else if (!strcmp(field, "loss_pct"))
		*v = f->sent ? 100.0 * (double)f->lost / (double)f->sent : 0;
	else if (!strcmp(field, "duplicates"))
		*v = (double)f->duplicates;
	else if (!strcmp(field, "reordered"))
		*v = (double)f->reordered;
	else if (!strcmp(field, "errors"))
		*v = (double)f->errors;
	else if (!strcmp(field, "latency_median_us"))
		*v = f->lat_median;
	else if (!strcmp(field, "latency_p99_us"))
		*v = f->lat_p99;
	else if (!strcmp(field, "latency_max_us"))
		*v = f->lat_max;
	else
		return false;
	return *v >= 0;
}

/* A node counter: an object ("sid ...", "function ...") or a named counter. */
static bool node_value(const struct run *r, int node, const char *name, const char *field,
		       double *v)
{
	const struct json_val *root = json_root(r->stats[node]);
	const struct json_val *objs = json_obj_get(root, "objects");
	const struct json_val *ctr = json_obj_get(json_obj_get(root, "counters"), name);

	if (!r->stats[node])
		return false;
	for (size_t i = 0; i < json_arr_len(objs); i++) {
		const struct json_val *o = json_arr_at(objs, i);

		if (strcmp(json_str(json_obj_get(o, "name")) ?: "", name))
			continue;
		*v = (double)u64_of(json_obj_get(o, strcmp(field, "bytes") ? "packets" : "bytes"));
		return true;
	}
	if (ctr && strcmp(field, "bytes")) {
		*v = (double)u64_of(ctr);
		return true;
	}
	return false;
}

static void evaluate(struct run *r)
{
	for (int i = 0; i < r->sc->n_step; i++) {
		struct sc_step *st = &r->sc->step[i];

		if (st->op != SC_ASSERT)
			continue;
		char det[sizeof(st->detail)] = "";

		st->ok = true;
		for (int k = 0; k < st->n_check; k++) {
			struct sc_check *c = &st->check[k];
			bool have, ok;
			double v = 0;

			if (st->flow >= 0)
				have = flow_value(&r->sc->flow[st->flow], c->field, &v);
			else
				have = node_value(r, st->node, st->text, c->field, &v);
			ok = have && sc_cmp_holds(c, v);
			r->n_checks++;
			if (!ok)
				r->failed_checks++;
			st->ok &= ok;
			if (have)
				snprintf(det + strlen(det), sizeof(det) - strlen(det),
					 "%s%s %s: %.15g", k ? ", " : "", c->field, c->text, v);
			else
				snprintf(det + strlen(det), sizeof(det) - strlen(det),
					 "%s%s %s: %s", k ? ", " : "", c->field, c->text,
					 st->flow >= 0	      ? "no value (nothing received)"
					 : r->stats[st->node] ? "no such counter"
							      : "no statistics from srchaind");
		}
		memcpy(st->detail, det, sizeof(det));
		st->done = true;
	}
}

static const char *what_of(const struct run *r, const struct sc_step *st, char *buf, size_t cap)
{
	if (st->flow >= 0)
		snprintf(buf, cap, "flow %s", r->sc->flow[st->flow].name);
	else
		snprintf(buf, cap, "node %s counter '%s'", r->lab->t->node[st->node].name,
			 st->text);
	return buf;
}

static bool interesting(const char *name)
{
	return !strncmp(name, "sid ", 4) || !strncmp(name, "function ", 9) ||
	       !strncmp(name, "policy ", 7) || !strncmp(name, "classify", 8) ||
	       !strncmp(name, "label ", 6) || !strncmp(name, "nsh ", 4);
}

static void fmt_lat(char *buf, size_t cap, double us)
{
	if (us < 0)
		snprintf(buf, cap, "-");
	else if (us >= 10000)
		snprintf(buf, cap, "%.1fms", us / 1000);
	else
		snprintf(buf, cap, "%.0fus", us);
}

static void print_summary(const struct run *r)
{
	const struct topo *t = r->lab->t;
	const struct scenario *sc = r->sc;

	printf("srlab: lab %s, scenario %s\n", t->lab, sc->path);
	if (sc->n_flow) {
		printf("\n%-12s %-22s %-5s %6s %9s %9s %8s %9s %9s %9s\n", "flow", "path", "proto",
		       "dport", "sent", "received", "lost", "reordered", "lat_med", "lat_p99");
		for (int i = 0; i < sc->n_flow; i++) {
			const struct sc_flow *f = &sc->flow[i];
			char path[64], med[16], p99[16];

			snprintf(path, sizeof(path), "%s->%s", t->node[f->from].name,
				 t->node[f->to].name);
			fmt_lat(med, sizeof(med), f->lat_median);
			fmt_lat(p99, sizeof(p99), f->lat_p99);
			printf("%-12s %-22s %-5s %6d %9llu %9llu %8llu %9llu %9s %9s%s\n", f->name,
			       path, f->tcp ? "tcp" : "udp", f->dport, (unsigned long long)f->sent,
			       (unsigned long long)f->received, (unsigned long long)f->lost,
			       (unsigned long long)f->reordered, med, p99,
			       !f->have_send		 ? "  (no sender report)"
			       : f->tcp && !f->connected ? "  (not connected)"
							 : "");
		}
	}
	for (int n = 0; n < t->n_node; n++) {
		const struct json_val *root = json_root(r->stats[n]);
		const struct json_val *objs = json_obj_get(root, "objects");
		const struct json_val *ctrs = json_obj_get(root, "counters");
		bool head = false;

		if (t->node[n].role != TOPO_SRCHAIN)
			continue;
		if (!r->stats[n]) {
			printf("\nnode %s: no statistics from srchaind\n", t->node[n].name);
			continue;
		}
		for (size_t i = 0; i < json_arr_len(objs); i++) {
			const struct json_val *o = json_arr_at(objs, i);
			const char *name = json_str(json_obj_get(o, "name"));
			uint64_t pk = u64_of(json_obj_get(o, "packets"));

			if (!name || !pk || !interesting(name))
				continue;
			if (!head)
				printf("\nnode %s (srchaind):\n", t->node[n].name);
			head = true;
			printf("  %-60s %10llu pkts %12llu bytes\n", name, (unsigned long long)pk,
			       (unsigned long long)u64_of(json_obj_get(o, "bytes")));
		}
		for (size_t i = 0; i < json_obj_len(ctrs); i++) {
			uint64_t v = u64_of(json_obj_val(ctrs, i));

			if (!v)
				continue;
			if (!head)
				printf("\nnode %s (srchaind):\n", t->node[n].name);
			head = true;
			printf("  counter %-52s %10llu\n", json_obj_key(ctrs, i),
			       (unsigned long long)v);
		}
	}
	printf("\n");
	for (int i = 0; i < sc->n_step; i++) {
		const struct sc_step *st = &sc->step[i];
		char what[200];

		if (st->op == SC_ASSERT)
			printf("%s assert %s: %s\n", st->ok ? "  ok  " : "  FAIL",
			       what_of(r, st, what, sizeof(what)), st->detail);
		else if (st->done && !st->ok)
			printf("  FAIL step %d (%s, line %d): %s\n", i, sc_op_name(st->op),
			       st->line, st->detail);
		else if (!st->done)
			printf("  FAIL step %d (%s, line %d): not run\n", i, sc_op_name(st->op),
			       st->line);
	}
	printf("srlab: %d assertions, %d failed; %d steps failed\n", r->n_checks, r->failed_checks,
	       r->failed_steps);
}

static int write_report(const struct run *r, const char *path)
{
	const struct topo *t = r->lab->t;
	const struct scenario *sc = r->sc;
	struct jsonw jw, *j = &jw;
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int rc;

	if (!f) {
		fprintf(stderr, "srlab: --json %s: %s\n", path, strerror(errno));
		return -1;
	}
	jsonw_init(j, f, true);
	jsonw_obj_open(j);
	jsonw_kv_str(j, "tool", "srlab");
	jsonw_kv_str(j, "report", "run");
	jsonw_kv_int(j, "version", 1);
	jsonw_kv_str(j, "lab", t->lab);
	jsonw_kv_str(j, "prefix", t->prefix);
	jsonw_kv_str(j, "topology", t->path);
	jsonw_kv_str(j, "scenario", sc->path);
	jsonw_kv_bool(j, "ok", !r->failed_checks && !r->failed_steps);
	jsonw_kv_int(j, "assertions", r->n_checks);
	jsonw_kv_int(j, "assertions_failed", r->failed_checks);
	jsonw_kv_int(j, "steps_failed", r->failed_steps);
	jsonw_key(j, "flows");
	jsonw_arr_open(j);
	for (int i = 0; i < sc->n_flow; i++) {
		const struct sc_flow *fl = &sc->flow[i];

		jsonw_obj_open(j);
		jsonw_kv_str(j, "name", fl->name);
		jsonw_kv_str(j, "from", t->node[fl->from].name);
		jsonw_kv_str(j, "to", t->node[fl->to].name);
		jsonw_kv_str(j, "dst", fl->dst);
		jsonw_kv_str(j, "proto", fl->tcp ? "tcp" : "udp");
		jsonw_kv_int(j, "dport", fl->dport);
		jsonw_kv_double(j, "rate_pps", fl->rate);
		jsonw_kv_int(j, "flows", fl->flows);
		jsonw_kv_uint(j, "flow_id", fl->flow_id);
		jsonw_kv_bool(j, "sender_report", fl->have_send);
		jsonw_kv_int(j, "sender_exit", fl->exit_status);
		if (fl->tcp)
			jsonw_kv_bool(j, "connected", fl->connected);
		jsonw_kv_uint(j, "sent", fl->sent);
		jsonw_kv_uint(j, "errors", fl->errors);
		jsonw_kv_uint(j, "received", fl->received);
		jsonw_kv_uint(j, "unique", fl->unique);
		jsonw_kv_uint(j, "lost", fl->lost);
		jsonw_kv_uint(j, "duplicates", fl->duplicates);
		jsonw_kv_uint(j, "reordered", fl->reordered);
		jsonw_key(j, "latency_us");
		jsonw_obj_open(j);
		jsonw_key(j, "median");
		fl->lat_median >= 0 ? jsonw_double(j, fl->lat_median) : jsonw_null(j);
		jsonw_key(j, "p99");
		fl->lat_p99 >= 0 ? jsonw_double(j, fl->lat_p99) : jsonw_null(j);
		jsonw_key(j, "max");
		fl->lat_max >= 0 ? jsonw_double(j, fl->lat_max) : jsonw_null(j);
		jsonw_obj_close(j);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	jsonw_key(j, "nodes");
	jsonw_obj_open(j);
	for (int n = 0; n < t->n_node; n++) {
		const struct json_val *root = json_root(r->stats[n]);
		const struct json_val *objs = json_obj_get(root, "objects");
		const struct json_val *ctrs = json_obj_get(root, "counters");

		if (t->node[n].role != TOPO_SRCHAIN)
			continue;
		jsonw_key(j, t->node[n].name);
		if (!r->stats[n]) {
			jsonw_null(j);
			continue;
		}
		jsonw_obj_open(j);
		jsonw_key(j, "counters");
		jsonw_obj_open(j);
		for (size_t i = 0; i < json_obj_len(ctrs); i++)
			if (u64_of(json_obj_val(ctrs, i)))
				jsonw_kv_uint(j, json_obj_key(ctrs, i),
					      u64_of(json_obj_val(ctrs, i)));
		jsonw_obj_close(j);
		jsonw_key(j, "objects");
		jsonw_obj_open(j);
		for (size_t i = 0; i < json_arr_len(objs); i++) {
			const struct json_val *o = json_arr_at(objs, i);
			const char *name = json_str(json_obj_get(o, "name"));

			if (!name || !u64_of(json_obj_get(o, "packets")))
				continue;
			jsonw_key(j, name);
			jsonw_obj_open(j);
			jsonw_kv_uint(j, "packets", u64_of(json_obj_get(o, "packets")));
			jsonw_kv_uint(j, "bytes", u64_of(json_obj_get(o, "bytes")));
			jsonw_obj_close(j);
		}
		jsonw_obj_close(j);
		jsonw_obj_close(j);
	}
	jsonw_obj_close(j);
	jsonw_key(j, "steps");
	jsonw_arr_open(j);
	for (int i = 0; i < sc->n_step; i++) {
		const struct sc_step *st = &sc->step[i];
		char what[200];

		jsonw_obj_open(j);
		jsonw_kv_int(j, "index", i);
		jsonw_kv_int(j, "line", st->line);
		jsonw_kv_str(j, "do", sc_op_name(st->op));
		if (st->op == SC_ASSERT) {
			jsonw_kv_str(j, "what", what_of(r, st, what, sizeof(what)));
		} else {
			jsonw_kv_double(j, "at", st->at);
			jsonw_key(j, "t");
			st->done ? jsonw_double(j, st->t) : jsonw_null(j);
		}
		jsonw_kv_bool(j, "done", st->done);
		jsonw_kv_bool(j, "ok", st->done && st->ok);
		jsonw_kv_str(j, "detail", st->detail);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	jsonw_obj_close(j);
	rc = jsonw_finish(j);
	if (f != stdout && fclose(f))
		rc = -EIO;
	if (rc)
		fprintf(stderr, "srlab: --json %s: write error\n", path);
	return rc;
}

int run_scenario(struct lab *lab, struct scenario *sc, const char *json_path, bool keep)
{
	static struct run r;
	struct sigaction sa = {.sa_handler = on_signal};
	char msg[1024];
	int rc = 1;

	memset(&r, 0, sizeof(r));
	r.lab = lab;
	r.sc = sc;
	/* no SA_RESTART: a signal ends the sleeps, then the run tears down */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (lab_up(lab, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		return 1;
	}
	if (lab->verbose)
		fprintf(stderr, "srlab: lab %s up, state in %s\n", lab->t->lab, lab->dir);
	if (start_sinks(&r, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		goto out;
	}
	r.t0 = proc_now();
	for (int i = 0; i < sc->n_step && !stop_req; i++) {
		struct sc_step *st = &sc->step[i];

		if (st->op == SC_ASSERT)
			continue;
		sleep_until(r.t0 + st->at);
		if (stop_req)
			break;
		run_step(&r, st);
	}
	wait_senders(&r);
	if (!stop_req)
		sleep_until(proc_now() + sc->settle);
	for (int k = 0; k < r.n_sink; k++) {
		proc_stop(r.sink[k].pid, SIGTERM, 3000);
		r.sink[k].doc = load_json(r.sink[k].report);
	}
	for (int n = 0; n < lab->t->n_node; n++) {
		if (lab->t->node[n].role != TOPO_SRCHAIN)
			continue;
		lab_daemon_stop(lab, n);
		r.stats[n] = load_last_stats(lab->d[n].out);
	}
	if (stop_req) {
		fprintf(stderr, "srlab: interrupted, taking the lab down\n");
		goto out;
	}
	for (int i = 0; i < sc->n_flow; i++)
		collect_flow(&r, &sc->flow[i]);
	evaluate(&r);
	print_summary(&r);
	if (json_path && write_report(&r, json_path))
		goto out;
	rc = r.failed_checks || r.failed_steps ? 1 : 0;
out:
	if (keep && !stop_req) {
		fprintf(stderr, "srlab: lab %s left up (daemons stopped): srlab down --lab %s\n",
			lab->t->lab, lab->t->lab);
	} else {
		lab_down_dir(lab->dir, lab->verbose);
	}
	for (int k = 0; k < r.n_sink; k++)
		json_free(r.sink[k].doc);
	for (int n = 0; n < TOPO_NODES_MAX; n++)
		json_free(r.stats[n]);
	for (int n = 0; n < lab->t->n_node; n++) {
		for (int k = 0; k < lab->d[n].n_lines; k++)
			free(lab->d[n].lines[k]);
		free(lab->d[n].lines);
	}
	return rc;
}

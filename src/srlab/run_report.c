/* What a run reports: the summary on stdout (flows, the nodes' non-zero
 * counters, each assertion and failed step) and the JSON report (--json). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "lib/jsonw.h"
#include "srlab/run_int.h"

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

void srlab_run_print_summary(const struct run *r)
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
			uint64_t pk = srlab_run_u64_of(json_obj_get(o, "packets"));

			if (!name || !pk || !interesting(name))
				continue;
			if (!head)
				printf("\nnode %s (srchaind):\n", t->node[n].name);
			head = true;
			printf("  %-60s %10llu pkts %12llu bytes\n", name, (unsigned long long)pk,
			       (unsigned long long)srlab_run_u64_of(json_obj_get(o, "bytes")));
		}
		for (size_t i = 0; i < json_obj_len(ctrs); i++) {
			uint64_t v = srlab_run_u64_of(json_obj_val(ctrs, i));

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

int srlab_run_write_report(const struct run *r, const char *path)
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
			if (srlab_run_u64_of(json_obj_val(ctrs, i)))
				jsonw_kv_uint(j, json_obj_key(ctrs, i),
					      srlab_run_u64_of(json_obj_val(ctrs, i)));
		jsonw_obj_close(j);
		jsonw_key(j, "objects");
		jsonw_obj_open(j);
		for (size_t i = 0; i < json_arr_len(objs); i++) {
			const struct json_val *o = json_arr_at(objs, i);
			const char *name = json_str(json_obj_get(o, "name"));

			if (!name || !srlab_run_u64_of(json_obj_get(o, "packets")))
				continue;
			jsonw_key(j, name);
			jsonw_obj_open(j);
			jsonw_kv_uint(j, "packets", srlab_run_u64_of(json_obj_get(o, "packets")));
			jsonw_kv_uint(j, "bytes", srlab_run_u64_of(json_obj_get(o, "bytes")));
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

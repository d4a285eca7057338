/* The assertions of a scenario: a flow's result fields, and a node's
 * counters from the last statistics line srchaind wrote. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/file.h"
#include "lib/json.h"
#include "srlab/run_int.h"
#include "srlab/util.h"

/* The last complete JSON line of a daemon's statistics output. */
struct json_doc *srlab_run_load_last_stats(const char *path)
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

uint64_t srlab_run_u64_of(const struct json_val *v)
{
	uint64_t x = 0;

	json_uint(v, &x);
	return x;
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

/* A counter of one statistics line: an object ("sid ...", "function ...")
 * or a named counter. */
static bool stats_value(const struct json_doc *stats, const char *name, const char *field,
			double *v)
{
	const struct json_val *root = json_root(stats);
	const struct json_val *objs = json_obj_get(root, "objects");
	const struct json_val *ctr = json_obj_get(json_obj_get(root, "counters"), name);

	if (!stats)
		return false;
	for (size_t i = 0; i < json_arr_len(objs); i++) {
		const struct json_val *o = json_arr_at(objs, i);

		if (strcmp(json_str(json_obj_get(o, "name")) ?: "", name))
			continue;
		*v = (double)srlab_run_u64_of(
			json_obj_get(o, strcmp(field, "bytes") ? "packets" : "bytes"));
		return true;
	}
	if (ctr && strcmp(field, "bytes")) {
		*v = (double)srlab_run_u64_of(ctr);
		return true;
	}
	return false;
}

/* A node counter over the run: on a reused lab, less its value at the start. */
static bool node_value(const struct run *r, int node, const char *name, const char *field,
		       double *v)
{
	double base;

	if (!stats_value(r->stats[node], name, field, v))
		return false;
	if (stats_value(r->base[node], name, field, &base) && base <= *v)
		*v -= base;
	return true;
}

void srlab_run_evaluate(struct run *r)
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

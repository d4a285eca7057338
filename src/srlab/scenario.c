/* Scenario file reader: JSON -> struct scenario, every reference to a node,
 * a flow or an address checked against the topology. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "srlab/scenario.h"
#include "srlab/util.h"

static const char *const op_names[SC_OP_MAX] = {
	[SC_START_FLOW] = "start_flow",
	[SC_CONFIG_ADD] = "config_add",
	[SC_CONFIG_REMOVE] = "config_remove",
	[SC_EXEC] = "exec",
	[SC_STOP_NODE] = "stop_node",
	[SC_START_NODE] = "start_node",
	[SC_WAIT] = "wait",
	[SC_ASSERT] = "assert",
};

static const char *const cmp_names[SC_CMP_MAX] = {"==", "!=", "<", "<=", ">", ">="};

/* Keys each step may have, by operation ("at", "do", "comment" always). */
static const char *const keys_flow[] = {"at",	 "do",	   "comment", "name",  "from", "to",
					"dst",	 "family", "proto",   "dport", "rate", "duration",
					"count", "size",   "flows",   NULL};
static const char *const keys_config[] = {"at", "do", "comment", "node", "line", NULL};
static const char *const keys_exec[] = {"at", "do", "comment", "node", "cmd", "expect", NULL};
static const char *const keys_node[] = {"at", "do", "comment", "node", NULL};
static const char *const keys_wait[] = {"at", "do", "comment", NULL};

/* Fields an assertion can compare. */
static const char *const flow_keys[] = {"do",
					"flow",
					"comment",
					"at",
					"sent",
					"received",
					"unique",
					"lost",
					"loss_pct",
					"duplicates",
					"reordered",
					"errors",
					"latency_median_us",
					"latency_p99_us",
					"latency_max_us",
					NULL};
static const char *const node_keys[] = {"do",	   "node",  "counter", "comment", "at",
					"packets", "bytes", "value",   NULL};
static const char *const flow_fields[] = {"sent",	    "received",	      "unique",
					  "lost",	    "loss_pct",	      "duplicates",
					  "reordered",	    "errors",	      "latency_median_us",
					  "latency_p99_us", "latency_max_us", NULL};
static const char *const node_fields[] = {"packets", "bytes", "value", NULL};

const char *sc_op_name(enum sc_op op)
{
	return op < SC_OP_MAX ? op_names[op] : "?";
}

const char *sc_cmp_name(enum sc_cmp c)
{
	return c < SC_CMP_MAX ? cmp_names[c] : "?";
}

bool sc_cmp_holds(const struct sc_check *c, double v)
{
	switch (c->cmp) {
	case SC_EQ:
		return v == c->value;
	case SC_NE:
		return v != c->value;
	case SC_LT:
		return v < c->value;
	case SC_LE:
		return v <= c->value;
	case SC_GT:
		return v > c->value;
	case SC_GE:
		return v >= c->value;
	default:
		return false;
	}
}

struct sloader {
	struct scenario *sc;
	const struct topo *t;
	struct json_err err;
};

/* Error at value v (path at), returned as -EINVAL. */
#define fail(L, v, at, ...) json_fail(&(L)->err, (v), (at), __VA_ARGS__)

/* A node named by member key, which must have role (TOPO_ROLE_MAX: any). */
static int get_node(struct sloader *L, const struct json_val *o, const struct json_path *at,
		    const char *key, enum topo_role role, int *out)
{
	struct json_path here = JSON_PATH_KEY(at, key);
	const char *name;
	int rc = json_get_str(o, at, key, &name, JSON_REQUIRED, &L->err);

	if (rc)
		return rc;
	*out = topo_node_find(L->t, name);
	if (*out < 0)
		return fail(L, json_obj_get(o, key), &here, "unknown node \"%s\"", name);
	if (role != TOPO_ROLE_MAX && L->t->node[*out].role != role)
		return fail(L, json_obj_get(o, key), &here, "node %s is a %s node, not %s", name,
			    topo_role_name(L->t->node[*out].role), topo_role_name(role));
	return 0;
}

/* A string member with ${...} substituted. */
static int get_text(struct sloader *L, const struct json_val *o, const struct json_path *at,
		    const char *key, char **out)
{
	struct json_path here = JSON_PATH_KEY(at, key);
	const char *s;
	char why[300];
	int rc = json_get_str(o, at, key, &s, JSON_REQUIRED, &L->err);

	if (rc)
		return rc;
	if (strchr(s, '\n'))
		return fail(L, json_obj_get(o, key), &here, "one line (no newline)");
	if (topo_subst(L->t, s, out, why, sizeof(why)))
		return fail(L, json_obj_get(o, key), &here, "%s", why);
	return 0;
}

static int load_flow(struct sloader *L, const struct json_val *o, const struct json_path *at,
		     struct sc_step *st)
{
	struct scenario *sc = L->sc;
	struct sc_flow *f = &sc->flow[sc->n_flow];
	struct json_path pname = JSON_PATH_KEY(at, "name");
	struct json_path pto = JSON_PATH_KEY(at, "to");
	struct json_path pdst = JSON_PATH_KEY(at, "dst");
	struct json_path pproto = JSON_PATH_KEY(at, "proto");
	struct json_path pfam = JSON_PATH_KEY(at, "family");
	const char *name, *proto = "udp", *dst = NULL, *fam = NULL;
	int64_t dport = 9000, size = 100, flows = 1, count = 0;
	double rate = 100, duration = 0;
	int rc;

	if (sc->n_flow == SC_FLOWS_MAX)
		return fail(L, o, at, "at most %d flows", SC_FLOWS_MAX);
	rc = json_get_str(o, at, "name", &name, JSON_REQUIRED, &L->err);
	if (!rc)
		rc = get_node(L, o, at, "from", TOPO_ROLE_MAX, &f->from);
	if (!rc)
		rc = get_node(L, o, at, "to", TOPO_ROLE_MAX, &f->to);
	if (!rc)
		rc = json_get_str(o, at, "dst", &dst, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_str(o, at, "family", &fam, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_str(o, at, "proto", &proto, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_int(o, at, "dport", &dport, 1, 65535, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_num(o, at, "rate", &rate, 0, 10000000, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_num(o, at, "duration", &duration, 0.001, 86400, JSON_OPTIONAL,
				  &L->err);
	if (!rc)
		rc = json_get_int(o, at, "count", &count, 1, 1000000000, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_int(o, at, "size", &size, 40, 65000, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_int(o, at, "flows", &flows, 1, 4096, JSON_OPTIONAL, &L->err);
	if (rc)
		return rc;
	if (strlen(name) > SC_NAME_MAX || !topo_name_ok(name, SC_NAME_MAX))
		return fail(L, json_obj_get(o, "name"), &pname,
			    "\"%s\": a flow name is 1-%d characters of [A-Za-z0-9_-]", name,
			    SC_NAME_MAX);
	for (int i = 0; i < sc->n_flow; i++)
		if (!strcmp(sc->flow[i].name, name))
			return fail(L, json_obj_get(o, "name"), &pname,
				    "duplicate flow name \"%s\"", name);
	if (strcmp(proto, "udp") && strcmp(proto, "tcp"))
		return fail(L, json_obj_get(o, "proto"), &pproto, "\"%s\": udp or tcp", proto);
	if (!json_obj_get(o, "duration") && !json_obj_get(o, "count"))
		return fail(L, o, at, "a flow needs \"duration\" or \"count\"");
	if (json_obj_get(o, "duration") && rate == 0)
		return fail(L, o, at, "\"duration\" needs a \"rate\" above 0");
	if (dst) {
		char why[300], *sub = NULL;
		int family;
		uint8_t a[16];

		if (topo_subst(L->t, dst, &sub, why, sizeof(why)))
			return fail(L, json_obj_get(o, "dst"), &pdst, "%s", why);
		if (strlen(sub) >= sizeof(f->dst) || addr_parse(sub, &family, a) ||
		    topo_doc_words(sub, why, sizeof(why))) {
			rc = fail(L, json_obj_get(o, "dst"), &pdst,
				  "\"%s\" is not a documentation address", sub);
			free(sub);
			return rc;
		}
		snprintf(f->dst, sizeof(f->dst), "%s", sub);
		free(sub);
	} else {
		int family = 0;
		const struct topo_addr *a;

		if (fam && strcmp(fam, "ipv4") && strcmp(fam, "ipv6"))
			return fail(L, json_obj_get(o, "family"), &pfam, "\"%s\": ipv4 or ipv6",
				    fam);
		if (fam)
			family = fam[3] == '4' ? 4 : 6;
		a = topo_node_addr(&L->t->node[f->to], family);
		if (!a)
			return fail(L, json_obj_get(o, "to"), &pto, "node %s has no %saddress",
				    L->t->node[f->to].name,
				    family == 4	  ? "IPv4 "
				    : family == 6 ? "IPv6 "
						  : "");
		snprintf(f->dst, sizeof(f->dst), "%s", a->host);
	}
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->tcp = !strcmp(proto, "tcp");
	f->dport = (int)dport;
	f->rate = rate;
	f->duration = duration;
	f->count = count;
	f->size = (int)size;
	f->flows = (int)flows;
	f->flow_id = 1;
	if (sc->n_flow)
		f->flow_id =
			sc->flow[sc->n_flow - 1].flow_id + (uint32_t)sc->flow[sc->n_flow - 1].flows;
	f->lat_median = f->lat_p99 = f->lat_max = -1;
	st->flow = sc->n_flow++;
	return 0;
}

/* "lost": 0 or "received": ">= 100" */
static int load_check(struct sloader *L, const struct json_val *v, const struct json_path *at,
		      const char *field, struct sc_check *c)
{
	snprintf(c->field, sizeof(c->field), "%s", field);
	c->cmp = SC_EQ;
	if (json_type(v) == JSON_NUMBER) {
		json_num(v, &c->value);
		snprintf(c->text, sizeof(c->text), "== %.15g", c->value);
		return 0;
	}
	if (json_type(v) == JSON_STRING) {
		const char *s = json_str(v), *p = s;
		char *end;

		while (*p == ' ')
			p++;
		for (int k = SC_CMP_MAX - 1; k >= 0; k--) {
			size_t n = strlen(cmp_names[k]);

			if (!strncmp(p, cmp_names[k], n)) {
				c->cmp = (enum sc_cmp)k;
				p += n;
				break;
			}
		}
		if (c->cmp == SC_EQ && *p == '=')
			p++;
		c->value = strtod(p, &end);
		while (end != p && *end == ' ')
			end++;
		if (end != p && !*end && isfinite(c->value)) {
			snprintf(c->text, sizeof(c->text), "%s %.15g", cmp_names[c->cmp], c->value);
			return 0;
		}
	}
	return fail(L, v, at, "expected a number or a comparison such as \">= 100\"");
}

static int load_assert(struct sloader *L, const struct json_val *o, const struct json_path *at,
		       struct sc_step *st)
{
	const char *const *fields;
	int rc;

	if (json_obj_get(o, "flow") && json_obj_get(o, "node"))
		return fail(L, o, at, "an assertion is about a \"flow\" or a \"node\", not both");
	if (json_obj_get(o, "flow")) {
		struct json_path pf = JSON_PATH_KEY(at, "flow");
		const char *name;

		rc = json_get_str(o, at, "flow", &name, JSON_REQUIRED, &L->err);
		if (rc)
			return rc;
		for (int i = 0; i < L->sc->n_flow && st->flow < 0; i++)
			if (!strcmp(L->sc->flow[i].name, name))
				st->flow = i;
		if (st->flow < 0)
			return fail(L, json_obj_get(o, "flow"), &pf,
				    "no flow \"%s\" (start_flow defines it)", name);
		rc = json_check_keys(o, at, flow_keys, &L->err);
		if (rc)
			return rc;
		fields = flow_fields;
	} else if (json_obj_get(o, "node")) {
		rc = json_check_keys(o, at, node_keys, &L->err);
		if (!rc)
			rc = get_node(L, o, at, "node", TOPO_SRCHAIN, &st->node);
		if (!rc)
			rc = get_text(L, o, at, "counter", &st->text);
		if (rc)
			return rc;
		fields = node_fields;
	} else {
		return fail(L, o, at, "an assertion needs \"flow\" or \"node\"");
	}
	for (size_t i = 0; i < json_obj_len(o); i++) {
		const char *k = json_obj_key(o, i);
		struct json_path pk = JSON_PATH_KEY(at, k);
		bool known = false;

		if (!strcmp(k, "do") || !strcmp(k, "flow") || !strcmp(k, "node") ||
		    !strcmp(k, "counter") || !strcmp(k, "comment") || !strcmp(k, "at"))
			continue;
		for (int f = 0; fields[f]; f++)
			known |= !strcmp(fields[f], k);
		if (!known) {
			char list[300] = "";

			for (int f = 0; fields[f]; f++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 f ? ", " : "", fields[f]);
			return fail(L, json_obj_val(o, i), &pk,
				    "unknown field \"%s\" in an assertion (%s)", k, list);
		}
		if (st->n_check == SC_CHECKS_MAX)
			return fail(L, json_obj_val(o, i), &pk, "at most %d comparisons",
				    SC_CHECKS_MAX);
		rc = load_check(L, json_obj_val(o, i), &pk, k, &st->check[st->n_check]);
		if (rc)
			return rc;
		st->n_check++;
	}
	if (!st->n_check)
		return fail(L, o, at, "an assertion needs a field to compare (e.g. \"%s\": 0)",
			    fields[0]);
	return 0;
}

static int load_step(struct sloader *L, const struct json_val *o, const struct json_path *at)
{
	struct scenario *sc = L->sc;
	struct sc_step *st = &sc->step[sc->n_step];
	struct json_path pdo = JSON_PATH_KEY(at, "do");
	const char *op;
	int rc;

	rc = json_expect(o, at, JSON_OBJECT, &L->err);
	if (!rc)
		rc = json_get_str(o, at, "do", &op, JSON_REQUIRED, &L->err);
	if (rc)
		return rc;
	st->op = SC_OP_MAX;
	for (int i = 0; i < SC_OP_MAX; i++)
		if (!strcmp(op, op_names[i]))
			st->op = (enum sc_op)i;
	if (st->op == SC_OP_MAX)
		return fail(L, json_obj_get(o, "do"), &pdo,
			    "unknown step \"%s\" (start_flow, config_add, config_remove, exec, "
			    "stop_node, start_node, wait, assert)",
			    op);
	st->line = json_line(o);
	st->col = json_col(o);
	st->node = st->flow = -1;
	rc = json_get_num(o, at, "at", &st->at, 0, 86400, JSON_OPTIONAL, &L->err);
	if (rc)
		return rc;
	switch (st->op) {
	case SC_START_FLOW:
		rc = json_check_keys(o, at, keys_flow, &L->err);
		if (!rc)
			rc = load_flow(L, o, at, st);
		break;
	case SC_CONFIG_ADD:
	case SC_CONFIG_REMOVE:
		rc = json_check_keys(o, at, keys_config, &L->err);
		if (!rc)
			rc = get_node(L, o, at, "node", TOPO_SRCHAIN, &st->node);
		if (!rc)
			rc = get_text(L, o, at, "line", &st->text);
		break;
	case SC_EXEC: {
		const struct json_val *e = json_obj_get(o, "expect");
		struct json_path pe = JSON_PATH_KEY(at, "expect");
		int64_t x = 0;

		rc = json_check_keys(o, at, keys_exec, &L->err);
		if (!rc)
			rc = get_node(L, o, at, "node", TOPO_ROLE_MAX, &st->node);
		if (!rc)
			rc = get_text(L, o, at, "cmd", &st->text);
		if (rc)
			break;
		if (json_type(e) == JSON_STRING && !strcmp(json_str(e), "any"))
			st->expect_any = true;
		else if (e)
			rc = json_as_int(e, &pe, 0, 255, &x, &L->err);
		st->expect = (int)x;
		break;
	}
	case SC_STOP_NODE:
	case SC_START_NODE:
		rc = json_check_keys(o, at, keys_node, &L->err);
		if (!rc)
			rc = get_node(L, o, at, "node", TOPO_SRCHAIN, &st->node);
		break;
	case SC_WAIT:
		rc = json_check_keys(o, at, keys_wait, &L->err);
		break;
	case SC_ASSERT:
		rc = load_assert(L, o, at, st);
		break;
	default:
		break;
	}
	if (rc) {
		free(st->text);
		st->text = NULL;
		return rc;
	}
	sc->n_step++;
	return 0;
}

static const char *const top_keys[] = {"steps", "settle", "comment", NULL};

void sc_free(struct scenario *sc)
{
	if (!sc)
		return;
	for (int i = 0; i < sc->n_step; i++)
		free(sc->step[i].text);
	free(sc);
}

int sc_load(const char *path, const struct topo *t, struct scenario **out, char *msg, size_t cap)
{
	struct sloader L = {.t = t};
	struct json_path psteps = JSON_PATH_KEY(NULL, "steps");
	const struct json_val *root, *steps;
	struct json_doc *doc = NULL;
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	rc = file_read(path, FILE_READ_MAX, &text, &len, NULL);
	if (rc) {
		snprintf(msg, cap, "%s: %s", path, strerror(-rc));
		return rc;
	}
	L.sc = calloc(1, sizeof(*L.sc));
	if (!L.sc) {
		free(text);
		snprintf(msg, cap, "out of memory");
		return -ENOMEM;
	}
	snprintf(L.sc->path, sizeof(L.sc->path), "%s", path);
	L.sc->settle = 0.5;
	rc = json_parse(text, len, NULL, &doc, &L.err);
	free(text);
	root = json_root(doc);
	if (!rc)
		rc = json_expect(root, NULL, JSON_OBJECT, &L.err);
	if (!rc)
		rc = json_check_keys(root, NULL, top_keys, &L.err);
	if (!rc)
		rc = json_get_num(root, NULL, "settle", &L.sc->settle, 0, 60, JSON_OPTIONAL,
				  &L.err);
	if (!rc)
		rc = json_get_arr(root, NULL, "steps", &steps, JSON_REQUIRED, &L.err);
	if (!rc && json_arr_len(steps) > SC_STEPS_MAX)
		rc = fail(&L, steps, &psteps, "at most %d steps", SC_STEPS_MAX);
	for (size_t i = 0; !rc && i < json_arr_len(steps); i++) {
		struct json_path ps = JSON_PATH_IDX(&psteps, i);

		rc = load_step(&L, json_arr_at(steps, i), &ps);
	}
	json_free(doc);
	if (rc) {
		util_fmt_json_err(msg, cap, path, &L.err);
		sc_free(L.sc);
		return rc;
	}
	*out = L.sc;
	return 0;
}

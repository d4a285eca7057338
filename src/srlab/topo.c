/* Topology file reader: JSON -> struct topo, fully checked (names, references,
 * addresses in the documentation ranges, interface names) before srlab
 * creates anything. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/json.h"
#include "srlab/topo.h"
#include "srlab/util.h"

static const char *const role_names[TOPO_ROLE_MAX] = {
	[TOPO_HOST] = "host",
	[TOPO_SRCHAIN] = "srchain",
	[TOPO_KERNEL] = "kernel",
};

const char *topo_role_name(enum topo_role r)
{
	return r < TOPO_ROLE_MAX ? role_names[r] : "?";
}

bool topo_name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

int topo_node_find(const struct topo *t, const char *name)
{
	for (int i = 0; i < t->n_node; i++)
		if (!strcmp(t->node[i].name, name))
			return i;
	return -1;
}

const struct topo_addr *topo_node_addr(const struct topo_node *n, int family)
{
	if (family == 0) {
		const struct topo_addr *a = topo_node_addr(n, 6);

		return a ? a : topo_node_addr(n, 4);
	}
	for (int i = 0; i < n->n_if; i++)
		for (int k = 0; k < n->ifs[i].n_addr; k++)
			if (n->ifs[i].addr[k].family == family)
				return &n->ifs[i].addr[k];
	return NULL;
}

/* Documentation prefixes (RFC 3849, RFC 5737), link-local, and the default. */
static bool addr_allowed(int family, const uint8_t *a, int plen)
{
	static const uint8_t v4[3][3] = {{192, 0, 2}, {198, 51, 100}, {203, 0, 113}};

	if (plen == 0)
		return true;
	if (family == 6) {
		if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8 && plen >= 32)
			return true;
		return a[0] == 0xfe && (a[1] & 0xc0) == 0x80 && plen >= 10;
	}
	for (int i = 0; i < 3; i++)
		if (!memcmp(a, v4[i], 3) && plen >= 24)
			return true;
	return false;
}

int topo_doc_words(const char *line, char *why, size_t cap)
{
	const char *p = line;

	while (*p) {
		char word[128];
		size_t n = strcspn(p, " \t,");
		int family, plen;
		uint8_t a[16];

		if (n > 0 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = 0;
			if (!addr_parse_prefix(word, &family, a, &plen) &&
			    !addr_allowed(family, a, plen)) {
				snprintf(why, cap,
					 "'%s' is outside the documentation prefixes "
					 "(2001:db8::/32, 192.0.2.0/24, 198.51.100.0/24, "
					 "203.0.113.0/24)",
					 word);
				return -EINVAL;
			}
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

static int if_find(const struct topo_node *n, const char *name)
{
	for (int i = 0; i < n->n_if; i++)
		if (!strcmp(n->ifs[i].name, name))
			return i;
	return -1;
}

/* Resolves one ${...} reference. */
static const char *lookup(const struct topo *t, const char *ref, char *why, size_t cap)
{
	char buf[160], *node, *ifn = NULL, *fam = NULL;
	const struct topo_addr *a = NULL;
	int ni, family = 0;

	for (int i = 0; i < t->n_var; i++)
		if (!strcmp(t->var[i].name, ref))
			return t->var[i].value;
	if (strlen(ref) >= sizeof(buf))
		goto err;
	snprintf(buf, sizeof(buf), "%s", ref);
	node = buf;
	ifn = strchr(buf, '.');
	if (ifn) {
		*ifn++ = 0;
		fam = strchr(ifn, '.');
		if (fam)
			*fam++ = 0;
		else if (!strcmp(ifn, "ipv4") || !strcmp(ifn, "ipv6"))
			fam = ifn, ifn = NULL;
	}
	if (fam) {
		if (!strcmp(fam, "ipv4"))
			family = 4;
		else if (!strcmp(fam, "ipv6"))
			family = 6;
		else
			goto err;
	}
	ni = topo_node_find(t, node);
	if (ni < 0)
		goto err;
	if (ifn) {
		const struct topo_node *n = &t->node[ni];
		int ii = if_find(n, ifn);

		if (ii < 0)
			goto err;
		for (int k = 0; k < n->ifs[ii].n_addr && !a; k++)
			if (!family || n->ifs[ii].addr[k].family == family)
				a = &n->ifs[ii].addr[k];
	} else {
		a = topo_node_addr(&t->node[ni], family);
	}
	if (!a) {
		snprintf(why, cap, "'${%s}': %s has no %saddress", ref, node,
			 family == 4   ? "IPv4 "
			 : family == 6 ? "IPv6 "
				       : "");
		return NULL;
	}
	return a->host;
err:
	snprintf(why, cap,
		 "'${%s}' is neither a variable nor NODE.IF[.ipv4|.ipv6] of this topology", ref);
	return NULL;
}

int topo_subst(const struct topo *t, const char *in, char **out, char *why, size_t cap)
{
	struct sbuf b;

	sbuf_init(&b);
	for (const char *p = in; *p;) {
		const char *end, *val;
		char ref[160];

		if (p[0] != '$' || p[1] != '{') {
			sbuf_addn(&b, p, 1);
			p++;
			continue;
		}
		end = strchr(p + 2, '}');
		if (!end || (size_t)(end - p - 2) >= sizeof(ref)) {
			snprintf(why, cap, "'${' without a closing '}'");
			goto err;
		}
		memcpy(ref, p + 2, (size_t)(end - p - 2));
		ref[end - p - 2] = 0;
		val = lookup(t, ref, why, cap);
		if (!val)
			goto err;
		sbuf_add(&b, val);
		p = end + 1;
	}
	if (b.oom) {
		snprintf(why, cap, "out of memory");
		goto err;
	}
	*out = sbuf_take(&b);
	return 0;
err:
	sbuf_free(&b);
	return -EINVAL;
}

/* --- loading --- */

struct loader {
	struct topo *t;
	struct json_err err;
};

/* Error at value v (path at), returned as -EINVAL. */
#define fail(L, v, at, ...) json_fail(&(L)->err, (v), (at), __VA_ARGS__)

/* Reads an optional array of strings into lines, substituting ${...} and
 * checking addresses. */
static int load_lines(struct loader *L, const struct json_val *obj, const struct json_path *at,
		      const char *key, struct topo_lines *out, bool doc_check)
{
	struct json_path here = JSON_PATH_KEY(at, key);
	const struct json_val *arr = NULL;
	int rc = json_get_arr(obj, at, key, &arr, JSON_OPTIONAL, &L->err);

	if (rc || !arr)
		return rc;
	if (json_arr_len(arr) > TOPO_LINES_MAX)
		return fail(L, arr, &here, "at most %d lines", TOPO_LINES_MAX);
	for (size_t i = 0; i < json_arr_len(arr); i++) {
		struct json_path pi = JSON_PATH_IDX(&here, i);
		const struct json_val *v = json_arr_at(arr, i);
		const char *s;
		char why[300];

		rc = json_as_str(v, &pi, &s, &L->err);
		if (rc)
			return rc;
		if (strchr(s, '\n'))
			return fail(L, v, &pi, "one line per string (no newline)");
		if (topo_subst(L->t, s, &out->line[out->n], why, sizeof(why)))
			return fail(L, v, &pi, "%s", why);
		out->n++;
		if (doc_check && topo_doc_words(out->line[out->n - 1], why, sizeof(why)))
			return fail(L, v, &pi, "%s", why);
	}
	return 0;
}

static int load_vars(struct loader *L, const struct json_val *root)
{
	struct json_path at = JSON_PATH_KEY(NULL, "vars");
	const struct json_val *vars = NULL;
	int rc = json_get_obj(root, NULL, "vars", &vars, JSON_OPTIONAL, &L->err);

	if (rc || !vars)
		return rc;
	if (json_obj_len(vars) > TOPO_VARS_MAX)
		return fail(L, vars, &at, "at most %d variables", TOPO_VARS_MAX);
	for (size_t i = 0; i < json_obj_len(vars); i++) {
		const char *name = json_obj_key(vars, i);
		struct json_path pv = JSON_PATH_KEY(&at, name);
		const struct json_val *v = json_obj_val(vars, i);
		const char *s;
		char why[300];

		if (!topo_name_ok(name, TOPO_NAME_MAX) || strchr(name, '.'))
			return fail(L, v, &pv, "a variable name is 1-%d of [A-Za-z0-9_-]",
				    TOPO_NAME_MAX);
		rc = json_as_str(v, &pv, &s, &L->err);
		if (rc)
			return rc;
		if (topo_doc_words(s, why, sizeof(why)))
			return fail(L, v, &pv, "%s", why);
		L->t->var[L->t->n_var++] = (struct topo_var){name, s};
	}
	return 0;
}

static const char *const node_keys[] = {"name",	   "role",    "routes",	  "ip",	 "config", "sysctl",
					"workers", "comment", "offloads", "frr", NULL};

/* First pass over nodes: names and roles, so links can refer to them. */
static int load_node_names(struct loader *L, const struct json_val *nodes,
			   const struct json_path *at)
{
	struct topo *t = L->t;
	int rc;

	if (json_arr_len(nodes) == 0)
		return fail(L, nodes, at, "a lab needs at least one node");
	if (json_arr_len(nodes) > TOPO_NODES_MAX)
		return fail(L, nodes, at, "at most %d nodes", TOPO_NODES_MAX);
	for (size_t i = 0; i < json_arr_len(nodes); i++) {
		struct json_path pn = JSON_PATH_IDX(at, i);
		struct json_path pname = JSON_PATH_KEY(&pn, "name");
		struct json_path prole = JSON_PATH_KEY(&pn, "role");
		const struct json_val *v = json_arr_at(nodes, i);
		struct topo_node *n = &t->node[t->n_node];
		const char *name, *role;
		int64_t workers = 1;
		bool offloads = false;

		rc = json_expect(v, &pn, JSON_OBJECT, &L->err);
		if (!rc)
			rc = json_check_keys(v, &pn, node_keys, &L->err);
		if (!rc)
			rc = json_get_str(v, &pn, "name", &name, JSON_REQUIRED, &L->err);
		if (!rc)
			rc = json_get_str(v, &pn, "role", &role, JSON_REQUIRED, &L->err);
		if (!rc)
			rc = json_get_int(v, &pn, "workers", &workers, 1, TOPO_WORKERS_MAX,
					  JSON_OPTIONAL, &L->err);
		if (!rc)
			rc = json_get_bool(v, &pn, "offloads", &offloads, JSON_OPTIONAL, &L->err);
		if (rc)
			return rc;
		if (!topo_name_ok(name, TOPO_NAME_MAX))
			return fail(L, json_obj_get(v, "name"), &pname,
				    "\"%s\": a node name is 1-%d characters of [A-Za-z0-9_-], "
				    "starting with a letter or digit",
				    name, TOPO_NAME_MAX);
		if (topo_node_find(t, name) >= 0)
			return fail(L, json_obj_get(v, "name"), &pname,
				    "duplicate node name \"%s\"", name);
		n->role = TOPO_ROLE_MAX;
		for (int r = 0; r < TOPO_ROLE_MAX; r++)
			if (!strcmp(role, role_names[r]))
				n->role = (enum topo_role)r;
		if (n->role == TOPO_ROLE_MAX)
			return fail(L, json_obj_get(v, "role"), &prole,
				    "unknown role \"%s\" (host, srchain or kernel)", role);
		if (n->role != TOPO_SRCHAIN && json_obj_get(v, "config")) {
			struct json_path pc = JSON_PATH_KEY(&pn, "config");

			return fail(L, json_obj_get(v, "config"), &pc,
				    "only srchain nodes take srchaind configuration");
		}
		if (n->role != TOPO_SRCHAIN && json_obj_get(v, "workers")) {
			struct json_path pw = JSON_PATH_KEY(&pn, "workers");

			return fail(L, json_obj_get(v, "workers"), &pw,
				    "only srchain nodes run srchaind workers");
		}
		snprintf(n->name, sizeof(n->name), "%s", name);
		snprintf(n->ns, sizeof(n->ns), "%s-%s-%s", t->prefix, t->lab, name);
		n->workers = (int)workers;
		n->offloads = offloads;
		t->n_node++;
	}
	return 0;
}

static const char *const link_keys[] = {
	"a",	    "b",	 "a_if",     "b_if",	  "a_addr",	"b_addr", "comment",
	"delay_ms", "jitter_ms", "loss_pct", "rate_mbit", "queue_pkts", NULL};

/* The emulation fields of a link: each optional, any of them makes the link
 * an emulated one (srlink in namespace <prefix>-<lab>-l<N>). */
static int load_emu(struct loader *L, const struct json_val *lk, const struct json_path *pl,
		    size_t idx, struct topo_link *tl)
{
	static const char *const keys[] = {"delay_ms", "jitter_ms", "loss_pct", "rate_mbit",
					   "queue_pkts"};
	struct topo *t = L->t;
	struct topo_emu *e = &tl->emu;
	int64_t queue = 0;
	char name[24];
	int rc;

	rc = json_get_num(lk, pl, "delay_ms", &e->delay_ms, 0, 60000, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_num(lk, pl, "jitter_ms", &e->jitter_ms, 0, 60000, JSON_OPTIONAL,
				  &L->err);
	if (!rc)
		rc = json_get_num(lk, pl, "loss_pct", &e->loss_pct, 0, 100, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_num(lk, pl, "rate_mbit", &e->rate_mbit, 0.001, 100000, JSON_OPTIONAL,
				  &L->err);
	if (!rc)
		rc = json_get_int(lk, pl, "queue_pkts", &queue, 1, 100000, JSON_OPTIONAL, &L->err);
	if (rc)
		return rc;
	e->queue_pkts = (int)queue;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		e->on |= json_obj_get(lk, keys[k]) != NULL;
	if (queue && !json_obj_get(lk, "rate_mbit")) {
		struct json_path pq = JSON_PATH_KEY(pl, "queue_pkts");

		return fail(L, json_obj_get(lk, "queue_pkts"), &pq,
			    "queue_pkts is the queue of a rate limit: give rate_mbit too");
	}
	if (!e->on)
		return 0;
	/* the link's namespace must not be a node's */
	snprintf(name, sizeof(name), "l%zu", idx);
	if (topo_node_find(t, name) >= 0)
		return fail(L, lk, pl,
			    "an emulated link's namespace is %s-%s-%s, which is node %s's: "
			    "rename that node",
			    t->prefix, t->lab, name, name);
	snprintf(tl->ns, sizeof(tl->ns), "%s-%s-%s", t->prefix, t->lab, name);
	return 0;
}

static int load_addrs(struct loader *L, const struct json_val *lk, const struct json_path *pl,
		      const char *key, struct topo_if *ifp)
{
	struct json_path here = JSON_PATH_KEY(pl, key);
	const struct json_val *arr = NULL;
	struct topo *t = L->t;
	int rc = json_get_arr(lk, pl, key, &arr, JSON_OPTIONAL, &L->err);

	if (rc || !arr)
		return rc;
	if (json_arr_len(arr) > TOPO_ADDRS_MAX)
		return fail(L, arr, &here, "at most %d addresses per interface", TOPO_ADDRS_MAX);
	for (size_t i = 0; i < json_arr_len(arr); i++) {
		struct json_path pa = JSON_PATH_IDX(&here, i);
		const struct json_val *v = json_arr_at(arr, i);
		struct topo_addr *a = &ifp->addr[ifp->n_addr];
		const char *s, *slash;

		rc = json_as_str(v, &pa, &s, &L->err);
		if (rc)
			return rc;
		slash = strchr(s, '/');
		if (!slash || strlen(s) >= sizeof(a->text) ||
		    addr_parse_prefix(s, &a->family, a->bytes, &a->plen))
			return fail(L, v, &pa,
				    "\"%s\" is not an address with a prefix length "
				    "(2001:db8:1::1/64, 192.0.2.1/24)",
				    s);
		if (!addr_allowed(a->family, a->bytes, a->plen) ||
		    (a->bytes[0] == 0xfe && a->family == 6) || a->plen == 0)
			return fail(L, v, &pa,
				    "\"%s\" is outside the documentation prefixes (2001:db8::/32, "
				    "192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)",
				    s);
		snprintf(a->text, sizeof(a->text), "%s", s);
		snprintf(a->host, sizeof(a->host), "%.*s", (int)(slash - s), s);
		/* the same host address twice in the lab is a mistake */
		for (int ni = 0; ni < t->n_node; ni++)
			for (int ii = 0; ii < t->node[ni].n_if; ii++)
				for (int k = 0; k < t->node[ni].ifs[ii].n_addr; k++) {
					const struct topo_addr *o = &t->node[ni].ifs[ii].addr[k];

					if (o != a && o->family == a->family &&
					    !memcmp(o->bytes, a->bytes, 16))
						return fail(L, v, &pa,
							    "address %s is already on %s:%s",
							    a->host, t->node[ni].name,
							    t->node[ni].ifs[ii].name);
				}
		ifp->n_addr++;
	}
	return 0;
}

/* One end of a link: node (key "a"/"b") and interface ("a_if"/"b_if"). */
static int load_end(struct loader *L, const struct json_val *lk, const struct json_path *pl,
		    const char *side, int *node_out, int *if_out)
{
	char key_if[8];
	struct json_path pnode = JSON_PATH_KEY(pl, side);
	struct topo *t = L->t;
	const char *node, *ifname = NULL;
	struct topo_node *n;
	char autoname[16];
	int ni, rc;

	snprintf(key_if, sizeof(key_if), "%s_if", side);
	struct json_path pif = JSON_PATH_KEY(pl, key_if);

	rc = json_get_str(lk, pl, side, &node, JSON_REQUIRED, &L->err);
	if (!rc)
		rc = json_get_str(lk, pl, key_if, &ifname, JSON_OPTIONAL, &L->err);
	if (rc)
		return rc;
	ni = topo_node_find(t, node);
	if (ni < 0)
		return fail(L, json_obj_get(lk, side), &pnode, "unknown node \"%s\"", node);
	n = &t->node[ni];
	if (n->n_if == TOPO_IFS_MAX)
		return fail(L, json_obj_get(lk, side), &pnode, "node %s has %d interfaces already",
			    node, TOPO_IFS_MAX);
	if (!ifname) {
		snprintf(autoname, sizeof(autoname), "eth%d", n->n_if);
		ifname = autoname;
	} else if (!topo_name_ok(ifname, 15) || !strcmp(ifname, "lo")) {
		return fail(L, json_obj_get(lk, key_if), &pif,
			    "\"%s\": an interface name is 1-15 characters of [A-Za-z0-9_-] "
			    "(not \"lo\")",
			    ifname);
	}
	if (if_find(n, ifname) >= 0)
		return fail(L, json_obj_get(lk, json_obj_get(lk, key_if) ? key_if : side),
			    json_obj_get(lk, key_if) ? &pif : &pnode,
			    "node %s has an interface \"%s\" already", node, ifname);
	snprintf(n->ifs[n->n_if].name, sizeof(n->ifs[0].name), "%s", ifname);
	*node_out = ni;
	*if_out = n->n_if++;
	return 0;
}

static int load_links(struct loader *L, const struct json_val *links, const struct json_path *at)
{
	struct topo *t = L->t;
	int rc;

	if (json_arr_len(links) > TOPO_LINKS_MAX)
		return fail(L, links, at, "at most %d links", TOPO_LINKS_MAX);
	for (size_t i = 0; i < json_arr_len(links); i++) {
		struct json_path pl = JSON_PATH_IDX(at, i);
		const struct json_val *lk = json_arr_at(links, i);
		int an, ai, bn, bi;

		rc = json_expect(lk, &pl, JSON_OBJECT, &L->err);
		if (!rc)
			rc = json_check_keys(lk, &pl, link_keys, &L->err);
		if (!rc)
			rc = load_end(L, lk, &pl, "a", &an, &ai);
		if (!rc)
			rc = load_end(L, lk, &pl, "b", &bn, &bi);
		if (rc)
			return rc;
		t->node[an].ifs[ai].peer_node = bn;
		t->node[an].ifs[ai].peer_if = bi;
		t->node[an].ifs[ai].link = t->n_link;
		t->node[bn].ifs[bi].peer_node = an;
		t->node[bn].ifs[bi].peer_if = ai;
		t->node[bn].ifs[bi].link = t->n_link;
		t->link[t->n_link] =
			(struct topo_link){.a_node = an, .a_if = ai, .b_node = bn, .b_if = bi};
		rc = load_emu(L, lk, &pl, i, &t->link[t->n_link]);
		if (rc)
			return rc;
		t->n_link++;
		rc = load_addrs(L, lk, &pl, "a_addr", &t->node[an].ifs[ai]);
		if (!rc)
			rc = load_addrs(L, lk, &pl, "b_addr", &t->node[bn].ifs[bi]);
		if (rc)
			return rc;
	}
	return 0;
}

/* A route: "PREFIX|default [via ADDR] [dev IF] [...]"; the family comes from
 * the prefix or the gateway, and dev must be an interface of the node. */
static int check_route(struct loader *L, const struct topo_node *n, const char *line,
		       const struct json_val *v, const struct json_path *at)
{
	char buf[512], *save = NULL, *w;
	int family = 0, plen, idx = 0;
	uint8_t a[16];

	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save), idx++) {
		int f;

		if (idx == 0) {
			if (!strcmp(w, "default"))
				continue;
			if (addr_parse_prefix(w, &f, a, &plen))
				return fail(L, v, at,
					    "\"%s\": a route starts with a prefix or 'default'", w);
			family = f;
		} else if (!strcmp(w, "via")) {
			w = strtok_r(NULL, " \t", &save);
			if (!w || addr_parse(w, &f, a))
				return fail(L, v, at, "'via' needs an address");
			if (family && f != family)
				return fail(L, v, at, "gateway %s is not of the prefix's family",
					    w);
			family = f;
		} else if (!strcmp(w, "dev")) {
			w = strtok_r(NULL, " \t", &save);
			if (!w || if_find(n, w) < 0)
				return fail(L, v, at, "'dev %s': node %s has no such interface",
					    w ? w : "", n->name);
		}
	}
	if (!family)
		return fail(L, v, at, "a default route needs 'via ADDR' to tell its family");
	return 0;
}

/* "frr": {"ospf": true, "ospf6": false, "router_id": "192.0.2.201",
 * "conf": [...]} on a kernel or srchain node. */
static int load_frr(struct loader *L, const struct json_val *v, const struct json_path *pn,
		    struct topo_node *n)
{
	static const char *const keys[] = {"ospf", "ospf6", "router_id", "conf", "comment", NULL};
	struct json_path pf = JSON_PATH_KEY(pn, "frr");
	struct json_path pr = JSON_PATH_KEY(&pf, "router_id");
	const struct json_val *f = NULL;
	const char *rid = NULL;
	struct topo_frr *fr = &n->frr;
	char why[300];
	uint8_t a[16];
	int rc, family;

	rc = json_get_obj(v, pn, "frr", &f, JSON_OPTIONAL, &L->err);
	if (rc || !f)
		return rc;
	if (n->role == TOPO_HOST)
		return fail(L, f, &pf, "FRR runs on kernel and srchain nodes, not on a host");
	rc = json_check_keys(f, &pf, keys, &L->err);
	if (!rc)
		rc = json_get_bool(f, &pf, "ospf", &fr->ospf, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_bool(f, &pf, "ospf6", &fr->ospf6, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_str(f, &pf, "router_id", &rid, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = load_lines(L, f, &pf, "conf", &fr->conf, true);
	if (rc)
		return rc;
	if (rid) {
		const struct json_val *rv = json_obj_get(f, "router_id");
		char *s = NULL;
		bool ok;

		if (topo_subst(L->t, rid, &s, why, sizeof(why)))
			return fail(L, rv, &pr, "%s", why);
		ok = !addr_parse(s, &family, a) && family == 4 && strlen(s) < sizeof(fr->router_id);
		if (ok)
			snprintf(fr->router_id, sizeof(fr->router_id), "%s", s);
		free(s);
		if (!ok)
			return fail(L, rv, &pr, "\"%s\": a router ID is written as an IPv4 address",
				    rid);
		if (topo_doc_words(fr->router_id, why, sizeof(why)))
			return fail(L, rv, &pr, "%s", why);
	}
	if ((fr->ospf || fr->ospf6) && n->n_if == 0)
		return fail(L, f, &pf, "node %s has no link to run OSPF on", n->name);
	fr->on = true;
	return 0;
}

static int load_node_lines(struct loader *L, const struct json_val *nodes,
			   const struct json_path *at)
{
	struct topo *t = L->t;
	int rc;

	for (size_t i = 0; i < json_arr_len(nodes); i++) {
		struct json_path pn = JSON_PATH_IDX(at, i);
		struct json_path pr = JSON_PATH_KEY(&pn, "routes");
		struct json_path ps = JSON_PATH_KEY(&pn, "sysctl");
		const struct json_val *v = json_arr_at(nodes, i), *sys = NULL;
		struct topo_node *n = &t->node[i];

		rc = load_lines(L, v, &pn, "routes", &n->routes, true);
		if (!rc)
			rc = load_lines(L, v, &pn, "ip", &n->ip, true);
		if (!rc)
			rc = load_lines(L, v, &pn, "config", &n->config, true);
		if (!rc)
			rc = json_get_obj(v, &pn, "sysctl", &sys, JSON_OPTIONAL, &L->err);
		if (!rc)
			rc = load_frr(L, v, &pn, n);
		if (rc)
			return rc;
		if (n->role == TOPO_SRCHAIN && n->n_if == 0)
			return fail(L, v, &pn,
				    "srchain node %s has no link: srchaind needs an interface",
				    n->name);
		for (int k = 0; k < n->routes.n; k++) {
			struct json_path pk = JSON_PATH_IDX(&pr, (size_t)k);

			rc = check_route(L, n, n->routes.line[k],
					 json_arr_at(json_obj_get(v, "routes"), (size_t)k), &pk);
			if (rc)
				return rc;
		}
		for (int k = 0; k < n->ip.n; k++) {
			char *s = n->ip.line[k];

			/* "ip -6 route ..." and "-6 route ..." both mean `ip -6 route ...` */
			if (!strncmp(s, "ip ", 3))
				memmove(s, s + 3, strlen(s + 3) + 1);
			if (strstr(s, "seg6local"))
				n->seg6local = true;
		}
		for (size_t k = 0; sys && k < json_obj_len(sys); k++) {
			const char *key = json_obj_key(sys, k);
			struct json_path pk = JSON_PATH_KEY(&ps, key);
			const struct json_val *sv = json_obj_val(sys, k);
			const char *val;
			char kv[300];

			if (n->sysctl.n == TOPO_LINES_MAX)
				return fail(L, sv, &pk, "too many sysctls");
			if (strncmp(key, "net.", 4) || strstr(key, "..") || strchr(key, '/'))
				return fail(L, sv, &pk, "only net.* sysctls of the namespace");
			rc = json_as_str(sv, &pk, &val, &L->err);
			if (rc)
				return rc;
			snprintf(kv, sizeof(kv), "%s=%s", key, val);
			n->sysctl.line[n->sysctl.n] = strdup(kv);
			if (!n->sysctl.line[n->sysctl.n++])
				return -ENOMEM;
		}
	}
	return 0;
}

static const char *const top_keys[] = {"lab", "prefix", "vars", "nodes", "links", "comment", NULL};

static int load_root(struct loader *L, const struct json_val *root, const char *prefix)
{
	struct json_path pl = JSON_PATH_KEY(NULL, "lab");
	struct json_path pp = JSON_PATH_KEY(NULL, "prefix");
	struct json_path pnodes = JSON_PATH_KEY(NULL, "nodes");
	struct json_path plinks = JSON_PATH_KEY(NULL, "links");
	const struct json_val *nodes, *links = NULL;
	const char *lab, *fprefix = NULL;
	struct topo *t = L->t;
	int rc;

	rc = json_expect(root, NULL, JSON_OBJECT, &L->err);
	if (!rc)
		rc = json_check_keys(root, NULL, top_keys, &L->err);
	if (!rc)
		rc = json_get_str(root, NULL, "lab", &lab, JSON_REQUIRED, &L->err);
	if (!rc)
		rc = json_get_str(root, NULL, "prefix", &fprefix, JSON_OPTIONAL, &L->err);
	if (!rc)
		rc = json_get_arr(root, NULL, "nodes", &nodes, JSON_REQUIRED, &L->err);
	if (!rc)
		rc = json_get_arr(root, NULL, "links", &links, JSON_OPTIONAL, &L->err);
	if (rc)
		return rc;
	if (!topo_name_ok(lab, TOPO_NAME_MAX))
		return fail(L, json_obj_get(root, "lab"), &pl,
			    "\"%s\": a lab name is 1-%d characters of [A-Za-z0-9_-]", lab,
			    TOPO_NAME_MAX);
	if (fprefix && !topo_name_ok(fprefix, TOPO_PREFIX_MAX))
		return fail(L, json_obj_get(root, "prefix"), &pp,
			    "\"%s\": a prefix is 1-%d characters of [A-Za-z0-9_-]", fprefix,
			    TOPO_PREFIX_MAX);
	snprintf(t->lab, sizeof(t->lab), "%s", lab);
	snprintf(t->prefix, sizeof(t->prefix), "%s",
		 prefix	   ? prefix
		 : fprefix ? fprefix
			   : TOPO_PREFIX_DEFAULT);
	rc = load_vars(L, root);
	if (!rc)
		rc = load_node_names(L, nodes, &pnodes);
	if (!rc && links)
		rc = load_links(L, links, &plinks);
	if (!rc)
		rc = load_node_lines(L, nodes, &pnodes);
	return rc;
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n_node; i++) {
		struct topo_lines *ls[] = {&t->node[i].routes, &t->node[i].ip, &t->node[i].config,
					   &t->node[i].sysctl, &t->node[i].frr.conf};

		for (size_t k = 0; k < sizeof(ls) / sizeof(ls[0]); k++)
			for (int j = 0; j < ls[k]->n; j++)
				free(ls[k]->line[j]);
	}
	json_free(t->doc);
	free(t);
}

int topo_load(const char *path, const char *prefix, struct topo **out, char *msg, size_t cap)
{
	struct loader L = {0};
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if (prefix && !topo_name_ok(prefix, TOPO_PREFIX_MAX)) {
		snprintf(msg, cap, "--prefix '%s': 1-%d characters of [A-Za-z0-9_-]", prefix,
			 TOPO_PREFIX_MAX);
		return -EINVAL;
	}
	rc = file_read(path, FILE_READ_MAX, &text, &len, NULL);
	if (rc) {
		snprintf(msg, cap, "%s: %s", path, strerror(-rc));
		return rc;
	}
	L.t = calloc(1, sizeof(*L.t));
	if (!L.t) {
		free(text);
		snprintf(msg, cap, "out of memory");
		return -ENOMEM;
	}
	snprintf(L.t->path, sizeof(L.t->path), "%s", path);
	rc = json_parse(text, len, NULL, &L.t->doc, &L.err);
	free(text);
	if (!rc)
		rc = load_root(&L, json_root(L.t->doc), prefix);
	if (rc) {
		util_fmt_json_err(msg, cap, path, &L.err);
		topo_free(L.t);
		return rc;
	}
	*out = L.t;
	return 0;
}

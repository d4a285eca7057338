/* MSD-constrained path search (see fit.h).
 *
 * Legs: leg[u * n + v] is the chain-metric cost of the IGP's path from u to
 * v when that path is ECMP-free and avoids the exclusions (a node SID for v
 * then steers exactly along it), else FIT_NONE. One column per target v, each
 * O(n) by following the unique next hops with memoisation; stored by row so
 * that the search's scan over targets reads memory in order.
 *
 * Search: best[s][f][v] = cheapest way to stand at v with f functions
 * applied having used s SIDs; every move uses one SID, so the states of s+1
 * come from those of s only. The answer is the cheapest (s <= max_sids, K,
 * egress). Its list is valid, so pce_encode on the resulting path finds one
 * no longer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "pce/fit.h"

#define FIT_NONE UINT32_MAX

struct fit {
	struct pce_graph *g;
	const struct pce_chain_req *req;
	uint8_t *nx, *ex;
	uint32_t *leg;
	int *at;
	int n, K, S;
	uint64_t *best;
	int32_t *from_node, *how; /* how: -1 node SID, -2 - inst function, >= 0 edge */
};

static size_t st(const struct fit *c, int s, int f, int v)
{
	return ((size_t)s * (size_t)(c->K + 1) + (size_t)f) * (size_t)c->n + (size_t)v;
}

/* Column v of the leg table. */
static int legs_to(struct fit *c, int v, int *stack)
{
	const struct pce_graph *g = c->g;
	const struct pce_spt *t = pce_graph_spt(c->g, INV_METRIC_IGP, true, v);
#define col(u) c->leg[(size_t)(u) * (size_t)c->n + (size_t)v]
	uint8_t *done = (uint8_t *)stack + (size_t)c->n * sizeof(int); /* after the stack */

	if (!t)
		return -ENOMEM;
	memset(done, 0, (size_t)c->n);
	col(v) = 0;
	done[v] = 1;
	for (int u0 = 0; u0 < c->n; u0++) {
		int depth = 0, u = u0;

		/* walk the unique next hops until a known node */
		while (!done[u]) {
			int hop = -1, count = 0;

			for (int k = g->out_start[u];
			     t->dist[u] != PCE_DIST_INF && k < g->out_start[u + 1]; k++) {
				const struct pce_edge *e = &g->edges[g->out_edge[k]];

				if (t->dist[e->to] != PCE_DIST_INF &&
				    t->dist[e->to] + e->metric[INV_METRIC_IGP] == t->dist[u]) {
					hop = g->out_edge[k];
					count++;
				}
			}
			if (count != 1 || c->ex[hop] || c->nx[g->edges[hop].to] || c->nx[u]) {
				col(u) = FIT_NONE;
				done[u] = 1;
				break;
			}
			stack[depth++] = hop;
			u = g->edges[hop].to;
		}
		/* unwind: each node's cost is its next hop's plus the edge */
		while (depth--) {
			const struct pce_edge *e = &g->edges[stack[depth]];
			uint64_t d = col(e->to) == FIT_NONE
					     ? FIT_NONE
					     : (uint64_t)col(e->to) + e->metric[c->req->metric];

			col(e->from) = d >= FIT_NONE ? FIT_NONE : (uint32_t)d;
			done[e->from] = 1;
		}
	}
#undef col
	return 0;
}

static void relax(struct fit *c, size_t from, int s, int f, int v, uint64_t d, int32_t how)
{
	size_t to = st(c, s, f, v);

	if (d < c->best[to]) {
		c->best[to] = d;
		c->from_node[to] = (int32_t)(from % (size_t)c->n);
		c->how[to] = how;
	}
}

static void moves(struct fit *c, int s, int f, int u)
{
	const struct pce_graph *g = c->g;
	bool mpls = c->req->dataplane == INV_DP_SRMPLS;
	size_t from = st(c, s, f, u);
	uint64_t d = c->best[from];

	const uint32_t *row = &c->leg[(size_t)u * c->n];

	for (int v = 0; v < c->n; v++) {
		uint32_t l = row[v];

		if (v == u || l == FIT_NONE)
			continue;
		if (mpls ? g->nodes[v].sid_index < g->nodes[u].srgb_size : g->nodes[v].has_srv6)
			relax(c, from, s + 1, f, v, d + l, -1);
	}
	for (int k = g->out_start[u]; k < g->out_start[u + 1]; k++) {
		int e = g->out_edge[k];
		const struct pce_edge *ed = &g->edges[e];

		if (c->ex[e] || c->nx[ed->to] || !(mpls ? ed->adj_label != 0 : ed->has_adj_srv6))
			continue;
		relax(c, from, s + 1, f, ed->to, d + ed->metric[c->req->metric], e);
	}
	if (f < c->K && c->at[(size_t)f * c->n + u]) {
		int i = c->at[(size_t)f * c->n + u] - 1;

		if (mpls ? g->insts[i].label != 0 : g->insts[i].has_srv6)
			relax(c, from, s + 1, f + 1, u, d, -2 - i);
	}
}

/* Rebuilds the path from the moves that reach (s, K, egress). */
static int rebuild(struct fit *c, int s, struct pce_path *p, struct err *err)
{
	int32_t node[PCE_SEGS_MAX + 1], how[PCE_SEGS_MAX + 1];
	int v = c->req->egress, f = c->K, rc = 0;

	for (int k = s; k > 0; k--) {
		size_t i = st(c, k, f, v);

		how[k] = c->how[i];
		node[k] = v;
		v = c->from_node[i];
		if (how[k] <= -2)
			f--;
	}
	memset(p, 0, sizeof(*p));
	p->nodes[0] = c->req->ingress;
	p->cost = c->best[st(c, s, c->K, c->req->egress)];
	for (int k = 1; k <= s && !rc; k++) {
		if (how[k] >= 0) {
			rc = pce_path_push_edge(c->g, p, how[k], err);
		} else if (how[k] == -1) {
			const struct pce_spt *t =
				pce_graph_spt(c->g, INV_METRIC_IGP, true, node[k]);

			for (int u = p->nodes[p->n_edges]; u != node[k] && !rc;
			     u = p->nodes[p->n_edges])
				rc = pce_path_push_edge(c->g, p, t->edge[u], err);
		} else {
			p->fn_pos[p->n_funcs] = p->n_edges;
			p->fn_inst[p->n_funcs++] = -2 - how[k];
		}
	}
	return rc;
}

int pce_path_fit(struct pce_graph *g, const struct pce_chain_req *req, int max_sids,
		 struct pce_path *path, struct err *err)
{
	struct fit c = {.g = g, .req = req, .n = g->n_nodes, .K = req->n_funcs};
	int rc = -ENOMEM, *stack = NULL, best_s = -1;
	uint64_t *lowest = NULL;
	size_t ns;

	if (c.n > PCE_FIT_NODES_MAX)
		return err_set(err, E2BIG, "the MSD search handles at most %d nodes",
			       PCE_FIT_NODES_MAX);
	c.S = max_sids < PCE_SEGS_MAX ? max_sids : PCE_SEGS_MAX;
	ns = (size_t)(c.S + 1) * (size_t)(c.K + 1) * (size_t)c.n;
	c.leg = malloc((size_t)c.n * (size_t)c.n * sizeof(*c.leg));
	c.at = calloc((size_t)(c.K + 1) * (size_t)c.n, sizeof(int));
	c.best = malloc(ns * sizeof(*c.best));
	c.from_node = malloc(ns * sizeof(*c.from_node));
	c.how = malloc(ns * sizeof(*c.how));
	stack = malloc((size_t)c.n * (sizeof(int) + 1));
	lowest = malloc((size_t)(c.K + 1) * (size_t)c.n * sizeof(*lowest));
	if (!lowest || !c.leg || !c.at || !c.best || !c.from_node || !c.how || !stack ||
	    pce_path_excl_masks(g, req, &c.nx, &c.ex))
		goto out;
	rc = pce_path_steps(g, req, c.nx, c.at, err);
	if (rc)
		goto out;
	rc = -ENOMEM;
	for (int v = 0; v < c.n; v++)
		if (legs_to(&c, v, stack))
			goto out;
	for (size_t i = 0; i < ns; i++)
		c.best[i] = PCE_DIST_INF;
	c.best[st(&c, 0, 0, req->ingress)] = 0;
	/* a state no cheaper than the same (f, v) with fewer SIDs leads
	 * nowhere new: only improvements are expanded */
	for (size_t i = 0; i < (size_t)(c.K + 1) * (size_t)c.n; i++)
		lowest[i] = PCE_DIST_INF;
	for (int s = 0; s < c.S; s++)
		for (int f = 0; f <= c.K; f++)
			for (int u = 0; u < c.n; u++) {
				uint64_t d = c.best[st(&c, s, f, u)];
				uint64_t *low = &lowest[(size_t)f * c.n + u];

				if (d >= *low)
					continue;
				*low = d;
				moves(&c, s, f, u);
			}
	for (int s = 0; s <= c.S; s++) {
		uint64_t d = c.best[st(&c, s, c.K, req->egress)];

		if (d != PCE_DIST_INF &&
		    (best_s < 0 || d < c.best[st(&c, best_s, c.K, req->egress)]))
			best_s = s;
	}
	if (best_s < 0) {
		rc = err_set(
			err, E2BIG,
			"no path from '%s' through the chain's %d function(s) to '%s' has a %s "
			"segment list of at most %d SIDs",
			g->nodes[req->ingress].name, c.K, g->nodes[req->egress].name,
			inv_dataplane_name(req->dataplane), c.S);
		goto out;
	}
	rc = rebuild(&c, best_s, path, err);
out:
	if (rc == -ENOMEM)
		err_set(err, ENOMEM, "MSD search: out of memory");
	free(c.nx);
	free(c.ex);
	free(c.leg);
	free(c.at);
	free(c.best);
	free(c.from_node);
	free(c.how);
	free(stack);
	free(lowest);
	return rc;
}

int pce_chain_compute(struct pce_graph *g, const struct pce_chain_req *req, struct pce_path *path,
		      struct pce_seglist *list, struct err *err)
{
	const struct pce_node *in = &g->nodes[req->ingress];
	struct err first = {{0}}, second = {{0}};
	int rc;

	rc = pce_path_compute(g, req, path, err);
	if (rc)
		return rc;
	rc = pce_encode(g, path, req->dataplane, list, &first);
	if (rc != -E2BIG && rc != -EHOSTUNREACH) {
		if (rc && err)
			*err = first;
		return rc;
	}
	rc = pce_path_fit(g, req, in->msd ? (int)in->msd : PCE_SEGS_MAX, path, &second);
	if (rc == -E2BIG)
		return err_set(err, E2BIG, "%.250s; %.250s", first.msg, second.msg);
	if (rc) {
		if (err)
			*err = second;
		return rc;
	}
	path->fitted = true;
	return pce_encode(g, path, req->dataplane, list, err);
}

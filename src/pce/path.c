/* Chain path computation (see path.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "pce/heap.h"
#include "pce/path.h"

int pce_chain_req_from_inv(const struct pce_graph *g, const struct inv_chain *c,
			   struct pce_chain_req *req, struct err *err)
{
	char buf[INV_LIST_LEN];
	char *el[INV_LIST_MAX];
	int n;

	memset(req, 0, sizeof(*req));
	req->metric = c->metric;
	req->select = c->select;
	req->dataplane = c->dataplane;
	req->ingress = pce_graph_node_find(g, c->ingress);
	req->egress = pce_graph_node_find(g, c->egress);
	if (req->ingress < 0 || req->egress < 0)
		return err_set(err, ENOENT, "chain '%s': ingress or egress is not in the topology",
			       c->name);
	snprintf(buf, sizeof(buf), "%s", c->functions);
	n = inv_list_split(buf, el, PCE_FUNCS_MAX);
	if (n < 0)
		return err_set(err, EINVAL, "chain '%s': bad function list", c->name);
	req->n_funcs = n;
	for (int k = 0; k < n; k++) {
		req->func_type[k] = pce_graph_type_find(g, el[k]);
		req->pinned[k] = -1;
		if (req->func_type[k] < 0)
			return err_set(
				err, ENOENT,
				"chain '%s': function '%s' (position %d): no instance exists",
				c->name, el[k], k + 1);
	}
	snprintf(buf, sizeof(buf), "%s", c->pinned);
	n = inv_list_split(buf, el, INV_LIST_MAX);
	for (int p = 0; p < n; p++) {
		char *eq = strchr(el[p], '=');
		int i = eq ? pce_graph_inst_find(g, eq + 1) : -ENOENT;

		if (i < 0)
			return err_set(err, ENOENT, "chain '%s': pinned '%s' is unknown", c->name,
				       el[p]);
		for (int k = 0; k < req->n_funcs; k++)
			if (req->func_type[k] == g->insts[i].type)
				req->pinned[k] = i;
	}
	snprintf(buf, sizeof(buf), "%s", c->exclude_nodes);
	n = inv_list_split(buf, el, INV_LIST_MAX);
	for (int k = 0; k < n; k++) {
		int v = pce_graph_node_find(g, el[k]);

		if (v >= 0)
			req->excl_nodes[req->n_excl_nodes++] = v;
	}
	snprintf(buf, sizeof(buf), "%s", c->exclude_links);
	n = inv_list_split(buf, el, INV_LIST_MAX);
	for (int k = 0; k < n; k++) {
		int e = pce_graph_edge_find(g, el[k]); /* a link that is down is no edge */

		if (e >= 0)
			req->excl_edges[req->n_excl_edges++] = e;
	}
	return 0;
}

/* a is a better choice than b for least-loaded: lower load/capacity. */
static bool lighter(const struct pce_inst *a, const struct pce_inst *b)
{
	return (uint64_t)a->load * b->capacity < (uint64_t)b->load * a->capacity;
}

/* Candidate instances of function k into cand[] (count returned), or a
 * negative errno with the reason. */
static int candidates(const struct pce_graph *g, const struct pce_chain_req *req, int k,
		      const uint8_t *node_excl, int *cand, struct err *err)
{
	const char *type = g->types[req->func_type[k]];
	int n = 0, best = -1;

	if (req->pinned[k] >= 0) {
		const struct pce_inst *p = &g->insts[req->pinned[k]];

		if (p->state != INV_FN_ACTIVE)
			return err_set(err, ENOENT,
				       "function '%s' (position %d): pinned instance "
				       "'%s' is %s",
				       type, k + 1, p->name, inv_fn_state_name(p->state));
		if (node_excl && node_excl[p->node])
			return err_set(err, ENOENT,
				       "function '%s' (position %d): pinned instance "
				       "'%s' is on excluded node '%s'",
				       type, k + 1, p->name, g->nodes[p->node].name);
		cand[0] = req->pinned[k];
		return 1;
	}
	for (int i = 0; i < g->n_insts; i++) {
		const struct pce_inst *p = &g->insts[i];

		if (p->type != req->func_type[k] || p->state != INV_FN_ACTIVE ||
		    p->load >= p->capacity || (node_excl && node_excl[p->node]))
			continue;
		if (req->select == INV_SELECT_LEAST_LOADED) {
			if (best >= 0 && lighter(&g->insts[best], p))
				continue;
			if (best >= 0 && lighter(p, &g->insts[best]))
				n = 0;
			best = i;
		}
		cand[n++] = i;
	}
	if (!n)
		return err_set(err, ENOENT,
			       "function '%s' (position %d): no active instance with spare capacity"
			       "%s",
			       type, k + 1, node_excl ? " outside the excluded nodes" : "");
	return n;
}

int pce_path_push_edge(const struct pce_graph *g, struct pce_path *p, int e, struct err *err)
{
	if (p->n_edges == PCE_PATH_MAX)
		return err_set(err, E2BIG, "the path is longer than %d hops", PCE_PATH_MAX);
	p->edges[p->n_edges++] = e;
	p->nodes[p->n_edges] = g->edges[e].to;
	return 0;
}

int pce_path_excl_masks(const struct pce_graph *g, const struct pce_chain_req *req, uint8_t **nodes,
			uint8_t **edges)
{
	*nodes = calloc((size_t)g->n_nodes + 1, 1);
	*edges = calloc((size_t)g->n_edges + 1, 1);
	if (!*nodes || !*edges)
		return -ENOMEM;
	for (int k = 0; k < req->n_excl_nodes; k++)
		(*nodes)[req->excl_nodes[k]] = 1;
	for (int k = 0; k < req->n_excl_edges; k++)
		(*edges)[req->excl_edges[k]] = 1;
	return 0;
}

int pce_path_steps(const struct pce_graph *g, const struct pce_chain_req *req,
		   const uint8_t *node_excl, int *at, struct err *err)
{
	int n = g->n_nodes, rc = 0;
	int *cand = malloc(((size_t)g->n_insts + 1) * sizeof(int));

	if (!cand)
		return err_set(err, ENOMEM, "path computation: out of memory");
	for (int k = 0; k < req->n_funcs && !rc; k++) {
		int nc = candidates(g, req, k, node_excl, cand, err);

		if (nc < 0)
			rc = nc;
		for (int c = 0; c < nc; c++) {
			int *slot = &at[(size_t)k * n + g->insts[cand[c]].node];

			if (!*slot || lighter(&g->insts[cand[c]], &g->insts[*slot - 1]))
				*slot = cand[c] + 1;
		}
	}
	free(cand);
	return rc;
}

static int unreachable(const struct pce_graph *g, const struct pce_chain_req *req, int layer,
		       struct err *err)
{
	const char *excl = req->n_excl_nodes || req->n_excl_edges ? " with the exclusions" : "";

	if (layer < req->n_funcs)
		return err_set(err, ENETUNREACH,
			       "no candidate instance of function '%s' (position %d) is reachable "
			       "from '%s' under the %s metric%s",
			       g->types[req->func_type[layer]], layer + 1,
			       g->nodes[req->ingress].name, inv_metric_name(req->metric), excl);
	return err_set(err, ENETUNREACH,
		       "egress '%s' is unreachable after the last function under the %s metric%s",
		       g->nodes[req->egress].name, inv_metric_name(req->metric), excl);
}

int pce_path_layered(struct pce_graph *g, const struct pce_chain_req *req, struct pce_path *path,
		     struct err *err)
{
	int n = g->n_nodes, K = req->n_funcs, layers = K + 1, rc;
	size_t ns = (size_t)n * (size_t)layers;
	uint8_t *nx = NULL, *ex = NULL;
	uint64_t *dist = malloc(ns * sizeof(*dist));
	int32_t *via = malloc(ns * sizeof(*via)); /* edge, or -2 - instance on a layer step */
	int *at =
		calloc((size_t)layers * (size_t)n, sizeof(int)); /* instance at (layer, node) + 1 */
	int32_t *rev = NULL;
	struct pce_heap h = {0};
	struct pce_heap_item it;
	int deepest = 0;

	rc = -ENOMEM;
	if (!dist || !via || !at || pce_path_excl_masks(g, req, &nx, &ex))
		goto out;
	rc = pce_path_steps(g, req, nx, at, err);
	if (rc)
		goto out;
	rc = -ENOMEM;
	for (size_t s = 0; s < ns; s++) {
		dist[s] = PCE_DIST_INF;
		via[s] = -1;
	}
	dist[req->ingress] = 0;
	if (pce_heap_push(&h, 0, req->ingress))
		goto out;
	while (pce_heap_pop(&h, &it)) {
		int s = it.val, k = s / n, u = s % n;

		if (it.key != dist[s])
			continue;
		if (k > deepest)
			deepest = k;
		if (k == K && u == req->egress)
			break;
		if (k < K && at[(size_t)k * n + u] && it.key < dist[s + n]) {
			dist[s + n] = it.key;
			via[s + n] = -2 - (at[(size_t)k * n + u] - 1);
			if (pce_heap_push(&h, it.key, s + n))
				goto out;
		}
		for (int j = g->out_start[u]; j < g->out_start[u + 1]; j++) {
			int e = g->out_edge[j], v = g->edges[e].to;
			uint64_t d = it.key + g->edges[e].metric[req->metric];

			if (ex[e] || nx[v] || d >= dist[(size_t)k * n + v])
				continue;
			dist[(size_t)k * n + v] = d;
			via[(size_t)k * n + v] = e;
			if (pce_heap_push(&h, d, k * n + v))
				goto out;
		}
	}
	size_t goal = (size_t)K * n + req->egress;

	if (dist[goal] == PCE_DIST_INF) {
		rc = unreachable(g, req, deepest, err);
		goto out;
	}
	/* walk back, recording the steps in reverse */
	int nsteps = 0;

	rev = malloc(ns * sizeof(*rev));
	if (!rev)
		goto out;
	for (size_t s = goal; s != (size_t)req->ingress;) {
		rev[nsteps++] = via[s];
		s = via[s] >= 0 ? (s / n) * n + g->edges[via[s]].from : s - n;
	}
	memset(path, 0, sizeof(*path));
	path->nodes[0] = req->ingress;
	path->cost = dist[goal];
	rc = 0;
	for (int i = nsteps - 1; i >= 0 && !rc; i--) {
		if (rev[i] >= 0) {
			rc = pce_path_push_edge(g, path, rev[i], err);
		} else {
			path->fn_pos[path->n_funcs] = path->n_edges;
			path->fn_inst[path->n_funcs++] = -2 - rev[i];
		}
	}
out:
	if (rc == -ENOMEM)
		err_set(err, ENOMEM, "path computation: out of memory");
	pce_heap_free(&h);
	free(dist);
	free(via);
	free(at);
	free(nx);
	free(ex);
	free(rev);
	return rc;
}

/* Appends the tree path from a to b: the reverse tree rooted at b (first
 * edges towards b) or the forward tree rooted at a (last edges into v). */
static int append_leg(const struct pce_graph *g, const struct pce_spt *t, bool reverse, int a,
		      int b, struct pce_path *p, struct err *err)
{
	int rc = 0;

	if (reverse) {
		for (int v = a; v != b && !rc; v = g->edges[t->edge[v]].to)
			rc = pce_path_push_edge(g, p, t->edge[v], err);
		return rc;
	}
	int len = 0, start = p->n_edges;

	for (int v = b; v != a; v = g->edges[t->edge[v]].from)
		len++;
	if (start + len > PCE_PATH_MAX)
		return err_set(err, E2BIG, "the path is longer than %d hops", PCE_PATH_MAX);
	int i = start + len;

	for (int v = b; v != a; v = g->edges[t->edge[v]].from)
		p->edges[--i] = t->edge[v];
	for (i = start; i < start + len; i++)
		p->nodes[i + 1] = g->edges[p->edges[i]].to;
	p->n_edges = start + len;
	return 0;
}

static uint64_t add_dist(uint64_t a, uint64_t b)
{
	return a == PCE_DIST_INF || b == PCE_DIST_INF ? PCE_DIST_INF : a + b;
}

/* Without exclusions every shortest leg is a tree path: D[k][c] = cost of
 * the best path from the ingress through instances of functions 1..k ending
 * at candidate c of function k, D[k][c] = min_c' D[k-1][c'] + d(c', c). This
 * is the layered Dijkstra's optimum, because a shortest path in the layered
 * graph splits at its layer steps into shortest paths of the topology. */
static int path_by_trees(struct pce_graph *g, const struct pce_chain_req *req,
			 struct pce_path *path, struct err *err)
{
	enum inv_metric m = req->metric;
	int K = req->n_funcs, nc[PCE_FUNCS_MAX] = {0}, *cand[PCE_FUNCS_MAX] = {0};
	uint64_t *D[PCE_FUNCS_MAX] = {0};
	int *from[PCE_FUNCS_MAX] = {0};
	int rc = -ENOMEM, best = -1, pick[PCE_FUNCS_MAX];
	uint64_t best_d = PCE_DIST_INF;
	const struct pce_spt *t;

	memset(path, 0, sizeof(*path));
	path->nodes[0] = req->ingress;
	if (K == 0) {
		t = pce_graph_spt(g, m, true, req->egress);
		if (!t)
			goto out;
		if (t->dist[req->ingress] == PCE_DIST_INF)
			return unreachable(g, req, 0, err);
		path->cost = t->dist[req->ingress];
		return append_leg(g, t, true, req->ingress, req->egress, path, err);
	}
	for (int k = 0; k < K; k++) {
		cand[k] = malloc(((size_t)g->n_insts + 1) * sizeof(int));
		D[k] = malloc(((size_t)g->n_insts + 1) * sizeof(uint64_t));
		from[k] = malloc(((size_t)g->n_insts + 1) * sizeof(int));
		if (!cand[k] || !D[k] || !from[k])
			goto out;
		nc[k] = candidates(g, req, k, NULL, cand[k], err);
		if (nc[k] < 0) {
			rc = nc[k];
			goto out;
		}
	}
	for (int c = 0; c < nc[0]; c++) {
		t = pce_graph_spt(g, m, true, g->insts[cand[0][c]].node);
		if (!t)
			goto out;
		D[0][c] = t->dist[req->ingress];
		from[0][c] = -1;
	}
	for (int k = 1; k < K; k++) {
		for (int c = 0; c < nc[k]; c++) {
			D[k][c] = PCE_DIST_INF;
			from[k][c] = -1;
		}
		for (int p = 0; p < nc[k - 1]; p++) {
			if (D[k - 1][p] == PCE_DIST_INF)
				continue;
			t = pce_graph_spt(g, m, false, g->insts[cand[k - 1][p]].node);
			if (!t)
				goto out;
			for (int c = 0; c < nc[k]; c++) {
				uint64_t d =
					add_dist(D[k - 1][p], t->dist[g->insts[cand[k][c]].node]);

				if (d < D[k][c]) {
					D[k][c] = d;
					from[k][c] = p;
				}
			}
		}
	}
	for (int c = 0; c < nc[K - 1]; c++) {
		if (D[K - 1][c] == PCE_DIST_INF)
			continue;
		t = pce_graph_spt(g, m, false, g->insts[cand[K - 1][c]].node);
		if (!t)
			goto out;
		uint64_t d = add_dist(D[K - 1][c], t->dist[req->egress]);

		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	if (best < 0) {
		int k;

		for (k = 0; k < K; k++) {
			bool any = false;

			for (int c = 0; c < nc[k]; c++)
				any |= D[k][c] != PCE_DIST_INF;
			if (!any)
				break;
		}
		rc = unreachable(g, req, k, err);
		goto out;
	}
	for (int k = K - 1, c = best; k >= 0; c = from[k][c], k--)
		pick[k] = cand[k][c];
	path->cost = best_d;
	rc = 0;
	for (int k = 0; k <= K && !rc; k++) {
		int a = k ? g->insts[pick[k - 1]].node : req->ingress;
		int b = k < K ? g->insts[pick[k]].node : req->egress;

		t = k ? pce_graph_spt(g, m, false, a) : pce_graph_spt(g, m, true, b);
		rc = append_leg(g, t, k == 0, a, b, path, err);
		if (k < K) {
			path->fn_pos[k] = path->n_edges;
			path->fn_inst[k] = pick[k];
			path->n_funcs = k + 1;
		}
	}
out:
	if (rc == -ENOMEM)
		err_set(err, ENOMEM, "path computation: out of memory");
	for (int k = 0; k < K; k++) {
		free(cand[k]);
		free(D[k]);
		free(from[k]);
	}
	return rc;
}

int pce_path_compute(struct pce_graph *g, const struct pce_chain_req *req, struct pce_path *path,
		     struct err *err)
{
	if (req->n_excl_nodes || req->n_excl_edges)
		return pce_path_layered(g, req, path, err);
	return path_by_trees(g, req, path, err);
}

/* Topology graph and its shortest-path trees (see graph.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "pce/graph.h"
#include "pce/heap.h"

struct pce_graph *pce_graph_new(void)
{
	return calloc(1, sizeof(struct pce_graph));
}

void pce_graph_free(struct pce_graph *g)
{
	if (!g)
		return;
	for (int m = 0; m < INV_METRIC_MAX; m++)
		for (int d = 0; d < 2; d++) {
			for (int i = 0; g->spt[m][d] && i < g->n_nodes; i++) {
				free(g->spt[m][d][i].dist);
				free(g->spt[m][d][i].edge);
			}
			free(g->spt[m][d]);
			free(g->spt_done[m][d]);
		}
	free(g->nodes);
	free(g->edges);
	free(g->insts);
	free(g->types);
	free(g->out_start);
	free(g->out_edge);
	free(g->in_start);
	free(g->in_edge);
	free(g);
}

static int grow(void **a, int *cap, int n, size_t size)
{
	void *p;
	int c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*a, (size_t)c * size);
	if (!p)
		return -ENOMEM;
	*a = p;
	*cap = c;
	return 0;
}

int pce_graph_add_node(struct pce_graph *g, const struct pce_node *n)
{
	if (g->finished)
		return -EBUSY;
	if (grow((void **)&g->nodes, &g->cap_nodes, g->n_nodes, sizeof(*n)))
		return -ENOMEM;
	g->nodes[g->n_nodes] = *n;
	return g->n_nodes++;
}

int pce_graph_add_edge(struct pce_graph *g, const struct pce_edge *e)
{
	if (g->finished)
		return -EBUSY;
	if (e->from < 0 || e->from >= g->n_nodes || e->to < 0 || e->to >= g->n_nodes ||
	    e->from == e->to)
		return -EINVAL;
	for (int m = 0; m < INV_METRIC_MAX; m++)
		if (!e->metric[m])
			return -EINVAL; /* Dijkstra and the encoder need positive metrics */
	if (grow((void **)&g->edges, &g->cap_edges, g->n_edges, sizeof(*e)))
		return -ENOMEM;
	g->edges[g->n_edges] = *e;
	return g->n_edges++;
}

int pce_graph_add_inst(struct pce_graph *g, const struct pce_inst *i)
{
	if (g->finished)
		return -EBUSY;
	if (i->node < 0 || i->node >= g->n_nodes || i->type < 0 || i->type >= g->n_types)
		return -EINVAL;
	if (grow((void **)&g->insts, &g->cap_insts, g->n_insts, sizeof(*i)))
		return -ENOMEM;
	g->insts[g->n_insts] = *i;
	return g->n_insts++;
}

int pce_graph_type_find(const struct pce_graph *g, const char *name)
{
	for (int t = 0; t < g->n_types; t++)
		if (!strcmp(g->types[t], name))
			return t;
	return -ENOENT;
}

int pce_graph_type_add(struct pce_graph *g, const char *name)
{
	int t = pce_graph_type_find(g, name);

	if (t >= 0)
		return t;
	if (g->finished || strlen(name) >= INV_NAME_LEN)
		return -EINVAL;
	if (grow((void **)&g->types, &g->cap_types, g->n_types, sizeof(*g->types)))
		return -ENOMEM;
	snprintf(g->types[g->n_types], INV_NAME_LEN, "%s", name);
	return g->n_types++;
}

/* Counting sort of the edges by one end into start[]/idx[]. */
static int group(const struct pce_graph *g, bool by_head, int **start, int **idx)
{
	int n = g->n_nodes;

	*start = calloc((size_t)n + 1, sizeof(int));
	*idx = malloc(((size_t)g->n_edges + 1) * sizeof(int));
	if (!*start || !*idx)
		return -ENOMEM;
	for (int e = 0; e < g->n_edges; e++)
		(*start)[(by_head ? g->edges[e].to : g->edges[e].from) + 1]++;
	for (int v = 0; v < n; v++)
		(*start)[v + 1] += (*start)[v];
	int *fill = malloc(((size_t)n + 1) * sizeof(int));

	if (!fill)
		return -ENOMEM;
	memcpy(fill, *start, ((size_t)n + 1) * sizeof(int));
	for (int e = 0; e < g->n_edges; e++)
		(*idx)[fill[by_head ? g->edges[e].to : g->edges[e].from]++] = e;
	free(fill);
	return 0;
}

int pce_graph_finish(struct pce_graph *g)
{
	if (g->finished)
		return 0;
	if (group(g, false, &g->out_start, &g->out_edge) ||
	    group(g, true, &g->in_start, &g->in_edge))
		return -ENOMEM;
	for (int m = 0; m < INV_METRIC_MAX; m++)
		for (int d = 0; d < 2; d++) {
			g->spt[m][d] = calloc((size_t)g->n_nodes + 1, sizeof(struct pce_spt));
			g->spt_done[m][d] = calloc((size_t)g->n_nodes + 1, sizeof(bool));
			if (!g->spt[m][d] || !g->spt_done[m][d])
				return -ENOMEM;
		}
	g->finished = true;
	return 0;
}

int pce_graph_node_find(const struct pce_graph *g, const char *name)
{
	for (int i = 0; i < g->n_nodes; i++)
		if (!strcmp(g->nodes[i].name, name))
			return i;
	return -ENOENT;
}

int pce_graph_edge_find(const struct pce_graph *g, const char *name)
{
	for (int i = 0; i < g->n_edges; i++)
		if (!strcmp(g->edges[i].name, name))
			return i;
	return -ENOENT;
}

int pce_graph_inst_find(const struct pce_graph *g, const char *name)
{
	for (int i = 0; i < g->n_insts; i++)
		if (!strcmp(g->insts[i].name, name))
			return i;
	return -ENOENT;
}

int pce_graph_dijkstra(const struct pce_graph *g, enum inv_metric m, bool reverse, int root,
		       const uint8_t *node_excl, const uint8_t *edge_excl, uint64_t *dist,
		       int32_t *edge)
{
	const int *start = reverse ? g->in_start : g->out_start;
	const int *idx = reverse ? g->in_edge : g->out_edge;
	struct pce_heap h = {0};
	struct pce_heap_item it;

	for (int v = 0; v < g->n_nodes; v++) {
		dist[v] = PCE_DIST_INF;
		edge[v] = -1;
	}
	dist[root] = 0;
	if (pce_heap_push(&h, 0, root))
		return -ENOMEM;
	while (pce_heap_pop(&h, &it)) {
		int u = it.val;

		if (it.key != dist[u])
			continue; /* stale entry */
		for (int k = start[u]; k < start[u + 1]; k++) {
			int e = idx[k];
			int v = reverse ? g->edges[e].from : g->edges[e].to;
			uint64_t d = it.key + g->edges[e].metric[m];

			if ((edge_excl && edge_excl[e]) || (node_excl && node_excl[v]))
				continue;
			if (d < dist[v]) {
				dist[v] = d;
				edge[v] = e;
				if (pce_heap_push(&h, d, v)) {
					pce_heap_free(&h);
					return -ENOMEM;
				}
			}
		}
	}
	pce_heap_free(&h);
	return 0;
}

const struct pce_spt *pce_graph_spt(struct pce_graph *g, enum inv_metric m, bool reverse, int root)
{
	struct pce_spt *t = &g->spt[m][reverse][root];

	if (g->spt_done[m][reverse][root])
		return t;
	t->dist = malloc((size_t)g->n_nodes * sizeof(*t->dist));
	t->edge = malloc((size_t)g->n_nodes * sizeof(*t->edge));
	if (!t->dist || !t->edge ||
	    pce_graph_dijkstra(g, m, reverse, root, NULL, NULL, t->dist, t->edge)) {
		free(t->dist);
		free(t->edge);
		*t = (struct pce_spt){0};
		return NULL;
	}
	g->spt_done[m][reverse][root] = true;
	g->n_dijkstra++;
	return t;
}

/* ---- from the inventory ---- */

struct load_ctx {
	struct pce_graph *g;
	struct err *err;
};

static int load_node(const struct inv_node *in, void *arg)
{
	struct load_ctx *c = arg;
	struct pce_node n = {0};

	snprintf(n.name, sizeof(n.name), "%s", in->name);
	n.srgb_base = in->srgb_base;
	n.srgb_size = in->srgb_size;
	n.sid_index = in->sid_index;
	n.msd = in->msd;
	n.has_srv6 = in->srv6_node_sid[0] && inet_pton(AF_INET6, in->srv6_node_sid, &n.srv6_sid);
	return pce_graph_add_node(c->g, &n) < 0 ? -ENOMEM : 0;
}

static int load_link(const struct inv_link *l, void *arg)
{
	struct load_ctx *c = arg;
	struct pce_edge e = {0};

	if (!l->up)
		return 0;
	snprintf(e.name, sizeof(e.name), "%s", l->name);
	e.from = pce_graph_node_find(c->g, l->a);
	e.to = pce_graph_node_find(c->g, l->b);
	if (e.from < 0 || e.to < 0)
		return err_set(c->err, EPROTO, "link '%s': an end is not a node", l->name);
	e.metric[INV_METRIC_IGP] = l->igp_metric;
	e.metric[INV_METRIC_TE] = l->te_metric;
	e.metric[INV_METRIC_DELAY] = l->delay_us;
	e.adj_label = l->adj_label;
	e.has_adj_srv6 = l->adj_srv6_sid[0] && inet_pton(AF_INET6, l->adj_srv6_sid, &e.adj_srv6);
	return pce_graph_add_edge(c->g, &e) < 0 ? -ENOMEM : 0;
}

static int load_type(const struct inv_func *f, void *arg)
{
	struct load_ctx *c = arg;

	return pce_graph_type_add(c->g, f->type) < 0 ? -ENOMEM : 0;
}

static int load_func(const struct inv_func *f, void *arg)
{
	struct load_ctx *c = arg;
	struct pce_inst i = {0};

	snprintf(i.name, sizeof(i.name), "%s", f->name);
	i.type = pce_graph_type_find(c->g, f->type);
	i.node = pce_graph_node_find(c->g, f->node);
	if (i.node < 0)
		return err_set(c->err, EPROTO, "function '%s': node '%s' is unknown", f->name,
			       f->node);
	i.label = f->label;
	i.has_srv6 = f->srv6_sid[0] && inet_pton(AF_INET6, f->srv6_sid, &i.srv6_sid);
	i.capacity = f->capacity;
	i.state = f->state;
	return pce_graph_add_inst(c->g, &i) < 0 ? -ENOMEM : 0;
}

static int load_path(const struct inv_path *p, void *arg)
{
	struct load_ctx *c = arg;
	char buf[INV_LIST_LEN];
	char *el[INV_LIST_MAX];
	int n;

	snprintf(buf, sizeof(buf), "%s", p->instances);
	n = inv_list_split(buf, el, INV_LIST_MAX);
	for (int k = 0; k < n; k++) {
		int i = pce_graph_inst_find(c->g, el[k]);

		if (i >= 0)
			c->g->insts[i].load++;
	}
	return 0;
}

int pce_graph_from_inv(struct inv *inv, struct pce_graph **out, struct err *err)
{
	struct load_ctx c = {pce_graph_new(), err};
	int rc;

	if (!c.g)
		return err_set(err, ENOMEM, "graph: out of memory");
	rc = inv_node_list(inv, load_node, &c, err);
	if (!rc)
		rc = inv_link_list(inv, load_link, &c, err);
	if (!rc)
		rc = inv_func_list(inv, load_type, &c, err);
	if (!rc)
		rc = inv_func_list(inv, load_func, &c, err);
	if (!rc)
		rc = pce_graph_finish(c.g);
	if (!rc)
		rc = inv_path_list(inv, load_path, &c, err);
	if (rc == -ENOMEM)
		err_set(err, ENOMEM, "graph: out of memory");
	if (rc) {
		pce_graph_free(c.g);
		return rc;
	}
	*out = c.g;
	return 0;
}

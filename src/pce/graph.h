/* The topology the PCE computes on: nodes, directed edges (one per IGP
 * adjacency that is up) with their three metrics and adjacency SIDs, and the
 * function instances placed on nodes. Built from the inventory or by hand;
 * after pce_graph_finish it is read-only except for the shortest-path trees
 * it caches (computed on first use, reused by every chain). */
#ifndef SRCHAIN_PCE_GRAPH_H
#define SRCHAIN_PCE_GRAPH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "pce/inv.h"

struct err;

#define PCE_FUNCS_MAX INV_LIST_MAX
#define PCE_DIST_INF  UINT64_MAX

struct pce_node {
	char name[INV_NAME_LEN];
	uint32_t srgb_base, srgb_size, sid_index;
	bool has_srv6;
	struct in6_addr srv6_sid; /* End SID */
	uint32_t msd;		  /* 0: no limit advertised */
};

struct pce_edge {
	char name[INV_NAME_LEN];
	int from, to;
	uint32_t metric[INV_METRIC_MAX];
	uint32_t adj_label; /* 0: none */
	bool has_adj_srv6;
	struct in6_addr adj_srv6; /* End.X SID */
};

struct pce_inst {
	char name[INV_NAME_LEN];
	int type; /* index into the graph's type names */
	int node;
	uint32_t label; /* 0: none */
	bool has_srv6;
	struct in6_addr srv6_sid;
	uint32_t capacity, load; /* load: chains currently through it */
	enum inv_fn_state state;
};

/* A shortest-path tree under one metric: forward (from root: dist[v] is
 * root->v, edge[v] the last edge into v) or reverse (to root: dist[v] is
 * v->root, edge[v] the first edge out of v). edge[] is -1 at the root and
 * where unreachable. */
struct pce_spt {
	uint64_t *dist;
	int32_t *edge;
};

struct pce_graph {
	struct pce_node *nodes;
	struct pce_edge *edges;
	struct pce_inst *insts;
	char (*types)[INV_NAME_LEN];
	int n_nodes, n_edges, n_insts, n_types;
	int cap_nodes, cap_edges, cap_insts, cap_types;
	/* after finish: edges grouped by tail (out) and head (in), CSR */
	int *out_start, *out_edge, *in_start, *in_edge;
	bool finished;
	/* tree cache: [metric][0 forward, 1 reverse][root], NULL until used */
	struct pce_spt *spt[INV_METRIC_MAX][2];
	bool *spt_done[INV_METRIC_MAX][2];
	uint64_t n_dijkstra; /* trees computed so far, for the benchmark */
};

struct pce_graph *pce_graph_new(void);
void pce_graph_free(struct pce_graph *g);

/* Builders return the new element's index or a negative errno. */
int pce_graph_add_node(struct pce_graph *g, const struct pce_node *n);
int pce_graph_add_edge(struct pce_graph *g, const struct pce_edge *e);
int pce_graph_add_inst(struct pce_graph *g, const struct pce_inst *i);
/* The index of a function type name (-ENOENT); _add adds it if new. */
int pce_graph_type_find(const struct pce_graph *g, const char *name);
int pce_graph_type_add(struct pce_graph *g, const char *name);
/* Groups the edges; no builder may run afterwards. */
int pce_graph_finish(struct pce_graph *g);

int pce_graph_node_find(const struct pce_graph *g, const char *name);
int pce_graph_edge_find(const struct pce_graph *g, const char *name);
int pce_graph_inst_find(const struct pce_graph *g, const char *name);

/* Reads every node, every link that is up, every function instance (load:
 * the installed paths that visit it) from the inventory into a finished
 * graph. */
int pce_graph_from_inv(struct inv *inv, struct pce_graph **out, struct err *err);

/* The cached tree rooted at root under metric (reverse: distances towards
 * root), computed on first use over every edge. NULL only on ENOMEM. */
const struct pce_spt *pce_graph_spt(struct pce_graph *g, enum inv_metric m, bool reverse, int root);

/* Dijkstra from root over the edges for which the masks (indexed by node /
 * edge, NULL: none) are clear; fills dist and edge (see struct pce_spt).
 * An excluded root still starts the walk. 0 or -ENOMEM. */
int pce_graph_dijkstra(const struct pce_graph *g, enum inv_metric m, bool reverse, int root,
		       const uint8_t *node_excl, const uint8_t *edge_excl, uint64_t *dist,
		       int32_t *edge);

#endif

/* Path computation for a chain: the best path ingress -> instance of
 * function 1 -> ... -> instance of function K -> egress under one metric,
 * choosing the instances as part of the optimisation. The reference
 * algorithm is Dijkstra over the layered graph (copy k of the topology = "k
 * functions applied"; at a node hosting a candidate instance of function
 * k+1 a zero-cost edge leads from copy k to copy k+1). Without exclusions
 * the same optimum comes faster from the graph's cached trees: a dynamic
 * programme over the candidate instances (see doc/pce.md). */
#ifndef SRCHAIN_PCE_PATH_H
#define SRCHAIN_PCE_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include "pce/graph.h"

struct err;

#define PCE_PATH_MAX 512 /* edges on one computed path */

struct pce_chain_req {
	int ingress, egress;
	int n_funcs;
	int func_type[PCE_FUNCS_MAX];
	int pinned[PCE_FUNCS_MAX]; /* instance index, or -1 */
	enum inv_metric metric;
	enum inv_select select;
	enum inv_dataplane dataplane;
	int n_excl_nodes, excl_nodes[INV_LIST_MAX];
	int n_excl_edges, excl_edges[INV_LIST_MAX];
};

/* nodes[0..n_edges], edges[i] leads from nodes[i] to nodes[i+1]; function k
 * is applied by instance fn_inst[k] when the packet is at nodes[fn_pos[k]]
 * (fn_pos non-decreasing). */
struct pce_path {
	int n_edges;
	int nodes[PCE_PATH_MAX + 1];
	int edges[PCE_PATH_MAX];
	int n_funcs;
	int fn_pos[PCE_FUNCS_MAX];
	int fn_inst[PCE_FUNCS_MAX];
	uint64_t cost;
	bool fitted; /* pce_chain_compute: the best path's list did not fit */
};

/* Resolves an inventory chain's names against the graph. */
int pce_chain_req_from_inv(const struct pce_graph *g, const struct inv_chain *c,
			   struct pce_chain_req *req, struct err *err);

/* The best path for req: -ENOENT (no candidate instance), -ENETUNREACH (no
 * path), -E2BIG (longer than PCE_PATH_MAX), with the reason in err. */
int pce_path_compute(struct pce_graph *g, const struct pce_chain_req *req, struct pce_path *path,
		     struct err *err);
/* The same by the layered-graph Dijkstra, whatever the exclusions. */
int pce_path_layered(struct pce_graph *g, const struct pce_chain_req *req, struct pce_path *path,
		     struct err *err);

/* For the other path searches (fit.c): */
/* Fills at[k * n_nodes + v] with 1 + the instance a path steps through at
 * node v from "k functions applied" to k+1 (0: none); at is zeroed. */
int pce_path_steps(const struct pce_graph *g, const struct pce_chain_req *req,
		   const uint8_t *node_excl, int *at, struct err *err);
/* Allocates the chain's exclusions as masks by node and by edge. */
int pce_path_excl_masks(const struct pce_graph *g, const struct pce_chain_req *req, uint8_t **nodes,
			uint8_t **edges);
/* Appends edge e to p; -E2BIG past PCE_PATH_MAX. */
int pce_path_push_edge(const struct pce_graph *g, struct pce_path *p, int e, struct err *err);

#endif

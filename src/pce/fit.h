/* When the best path for a chain cannot be encoded within its ingress's
 * MSD (or lacks a SID it needs): the cheapest path whose segment list fits.
 * A shortest-path search over "segment moves" counted by SIDs used: from a
 * node, a node SID to any node whose IGP path from here is ECMP-free (cost:
 * that path under the chain's metric), an adjacency SID across one edge, or
 * a function SID where a candidate instance is; at most max_sids moves. */
#ifndef SRCHAIN_PCE_FIT_H
#define SRCHAIN_PCE_FIT_H

#include "pce/encode.h"
#include "pce/path.h"

struct err;

#define PCE_FIT_NODES_MAX 4096 /* its leg table is n x n */

/* The cheapest path for req whose list needs at most max_sids SIDs of the
 * chain's data plane: -E2BIG (with the reason) when there is none. */
int pce_path_fit(struct pce_graph *g, const struct pce_chain_req *req, int max_sids,
		 struct pce_path *path, struct err *err);

/* The controller's entry point: the best path and its shortest list; when
 * that list exceeds the ingress's MSD or lacks a SID, the cheapest path that
 * fits (path->fitted set); when none does, the reason for both. */
int pce_chain_compute(struct pce_graph *g, const struct pce_chain_req *req, struct pce_path *path,
		      struct pce_seglist *list, struct err *err);

#endif

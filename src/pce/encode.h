/* Segment-list encoding: the shortest list of SIDs that makes the network,
 * forwarding each node SID along the IGP's shortest paths with ECMP, follow
 * exactly a computed path and apply its functions in order. Node SIDs where
 * the IGP would follow the path anyway, adjacency SIDs where it would
 * deviate or split over equal-cost paths, function SIDs at the instances.
 * SR-MPLS labels follow the global-index model: a node SID's label is the
 * SRGB base of the node where that segment becomes active (the end of the
 * previous segment; the ingress for the first) plus the target's index;
 * adjacency and function labels are local labels of the node that holds
 * them. See doc/pce.md for the rule and its proof sketch. */
#ifndef SRCHAIN_PCE_ENCODE_H
#define SRCHAIN_PCE_ENCODE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "pce/path.h"

struct err;

#define PCE_SEGS_MAX 64

enum pce_seg_kind { PCE_SEG_NODE, PCE_SEG_ADJ, PCE_SEG_FUNC, PCE_SEG_KIND_MAX };

struct pce_seg {
	enum pce_seg_kind kind;
	int node;	     /* NODE: the target; ADJ: the edge's tail; FUNC: the instance's node */
	int edge;	     /* ADJ: the edge, else -1 */
	int inst;	     /* FUNC: the instance, else -1 */
	uint32_t label;	     /* SR-MPLS */
	struct in6_addr sid; /* SRv6 */
};

struct pce_seglist {
	enum inv_dataplane dataplane;
	int n;
	struct pce_seg s[PCE_SEGS_MAX];
};

/* Encodes path for the data plane. -EHOSTUNREACH when a hop or a function
 * lacks the SID it needs, -E2BIG when the shortest list exceeds the
 * ingress's MSD; err says which constraint and which hop. */
int pce_encode(struct pce_graph *g, const struct pce_path *path, enum inv_dataplane dp,
	       struct pce_seglist *out, struct err *err);

/* Whether the lists differ on the wire (data plane, count, labels/SIDs):
 * the controller pushes a chain only when this is true. */
bool pce_seglist_changed(const struct pce_seglist *old, const struct pce_seglist *cur);

/* "16005 24012 30001" or "2001:db8:5::1 2001:db8:3::e1"; 0 or -ENOSPC. */
int pce_seglist_format(const struct pce_seglist *l, char *buf, size_t len);

#endif

/* Segment-list encoding (see encode.h and doc/pce.md "Encoding").
 *
 * A packet's progress along the path is a state (i, f): it is at nodes[i]
 * with functions 1..f applied. Each SID moves it from one state to a later
 * one, and only along the path: a node SID from i to j when the IGP's
 * ECMP forwarding from nodes[i] towards nodes[j] takes exactly edges
 * i..j-1; an adjacency SID across one edge; a function SID at the
 * function's position. The shortest list is the shortest route from (0, 0)
 * to (m, K) in this DAG, found by one pass in topological order; ties go to
 * the list with fewer adjacency SIDs (a node SID survives link failures). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "pce/encode.h"

struct enc {
	struct pce_graph *g;
	const struct pce_path *p;
	enum inv_dataplane dp;
	int m, K;
	int *lo; /* lo[j]: node SIDs towards nodes[j] follow the path from any i >= lo[j] */
	/* per state f * (m + 1) + i */
	int *nseg, *nadj, *from;
	struct pce_seg *step;
};

#define UNSEEN INT32_MAX

/* The IGP's ECMP next hops at nodes[l] towards nodes[j] are exactly
 * edges[l]. */
static int single_next_hop(struct enc *c, int l, int j)
{
	const struct pce_graph *g = c->g;
	const struct pce_spt *t = pce_graph_spt(c->g, INV_METRIC_IGP, true, c->p->nodes[j]);
	int x = c->p->nodes[l], found = 0;

	if (!t)
		return -ENOMEM;
	if (t->dist[x] == PCE_DIST_INF)
		return 0;
	for (int k = g->out_start[x]; k < g->out_start[x + 1]; k++) {
		const struct pce_edge *e = &g->edges[g->out_edge[k]];

		if (t->dist[e->to] != PCE_DIST_INF &&
		    t->dist[e->to] + e->metric[INV_METRIC_IGP] == t->dist[x]) {
			if (g->out_edge[k] != c->p->edges[l])
				return 0;
			found++;
		}
	}
	return found == 1;
}

static bool exact(const struct enc *c, int i, int j)
{
	return i == j || i >= c->lo[j];
}

static void relax(struct enc *c, int from, int to, const struct pce_seg *seg)
{
	int ns = c->nseg[from] + 1, na = c->nadj[from] + (seg->kind == PCE_SEG_ADJ);

	if (ns < c->nseg[to] || (ns == c->nseg[to] && na < c->nadj[to])) {
		c->nseg[to] = ns;
		c->nadj[to] = na;
		c->from[to] = from;
		c->step[to] = *seg;
	}
}

static void transitions(struct enc *c, int i, int f)
{
	const struct pce_graph *g = c->g;
	const struct pce_path *p = c->p;
	int m = c->m, s = f * (m + 1) + i;
	int limit = f < c->K ? p->fn_pos[f] : m; /* no segment may pass the next function */
	const struct pce_node *here = &g->nodes[p->nodes[i]];
	struct pce_seg seg;

	for (int j = i + 1; j <= limit; j++) {
		const struct pce_node *t = &g->nodes[p->nodes[j]];

		if (!exact(c, i, j))
			continue;
		seg = (struct pce_seg){
			.kind = PCE_SEG_NODE, .node = p->nodes[j], .edge = -1, .inst = -1};
		if (c->dp == INV_DP_SRMPLS && t->sid_index < here->srgb_size) {
			seg.label = here->srgb_base + t->sid_index;
			relax(c, s, f * (m + 1) + j, &seg);
		} else if (c->dp == INV_DP_SRV6 && t->has_srv6) {
			seg.sid = t->srv6_sid;
			relax(c, s, f * (m + 1) + j, &seg);
		}
	}
	/* SR-MPLS adjacency labels are local: only where the packet is. An
	 * SRv6 End.X SID is routed to its node first, like a node SID. */
	for (int l = i; l < limit; l++) {
		const struct pce_edge *e = &g->edges[p->edges[l]];

		if (c->dp == INV_DP_SRMPLS && l > i)
			break;
		if (!exact(c, i, l))
			continue;
		seg = (struct pce_seg){
			.kind = PCE_SEG_ADJ, .node = e->from, .edge = p->edges[l], .inst = -1};
		if (c->dp == INV_DP_SRMPLS && e->adj_label) {
			seg.label = e->adj_label;
			relax(c, s, f * (m + 1) + l + 1, &seg);
		} else if (c->dp == INV_DP_SRV6 && e->has_adj_srv6) {
			seg.sid = e->adj_srv6;
			relax(c, s, f * (m + 1) + l + 1, &seg);
		}
	}
	if (f < c->K && (i == limit || (c->dp == INV_DP_SRV6 && exact(c, i, limit)))) {
		const struct pce_inst *in = &g->insts[p->fn_inst[f]];

		seg = (struct pce_seg){
			.kind = PCE_SEG_FUNC, .node = in->node, .edge = -1, .inst = p->fn_inst[f]};
		if (c->dp == INV_DP_SRMPLS && in->label) {
			seg.label = in->label;
			relax(c, s, (f + 1) * (m + 1) + limit, &seg);
		} else if (c->dp == INV_DP_SRV6 && in->has_srv6) {
			seg.sid = in->srv6_sid;
			relax(c, s, (f + 1) * (m + 1) + limit, &seg);
		}
	}
}

static const char *seg_what(const struct pce_graph *g, const struct pce_seg *s, char *buf,
			    size_t len)
{
	if (s->kind == PCE_SEG_NODE)
		snprintf(buf, len, "node SID of '%s'", g->nodes[s->node].name);
	else if (s->kind == PCE_SEG_ADJ)
		snprintf(buf, len, "adjacency SID of link '%s'", g->edges[s->edge].name);
	else
		snprintf(buf, len, "function SID of '%s'", g->insts[s->inst].name);
	return buf;
}

/* Nothing reaches the end: name the furthest state's missing SID. */
static int no_encoding(struct enc *c, struct err *err)
{
	const struct pce_graph *g = c->g;
	const struct pce_path *p = c->p;
	const char *dp = inv_dataplane_name(c->dp);
	int bi = 0, bf = 0;

	for (int f = 0; f <= c->K; f++)
		for (int i = 0; i <= c->m; i++)
			if (c->nseg[f * (c->m + 1) + i] != UNSEEN &&
			    (i > bi || (i == bi && f > bf))) {
				bi = i;
				bf = f;
			}
	if (bf < c->K && bi == p->fn_pos[bf]) {
		const struct pce_inst *in = &g->insts[p->fn_inst[bf]];

		return err_set(err, EHOSTUNREACH,
			       "function %d: instance '%s' on '%s' has no %s SID", bf + 1, in->name,
			       g->nodes[in->node].name, dp);
	}
	const struct pce_edge *e = &g->edges[p->edges[bi]];

	return err_set(err, EHOSTUNREACH,
		       "hop %s->%s (link '%s'): the IGP's shortest paths from '%s' leave the "
		       "computed path or split over equal-cost paths, and the link has no %s "
		       "adjacency SID (or a node SID the target lacks)",
		       g->nodes[e->from].name, g->nodes[e->to].name, e->name,
		       g->nodes[p->nodes[bi]].name, dp);
}

int pce_encode(struct pce_graph *g, const struct pce_path *path, enum inv_dataplane dp,
	       struct pce_seglist *out, struct err *err)
{
	struct enc c = {g, path, dp, path->n_edges, path->n_funcs};
	size_t ns = (size_t)(c.m + 1) * (size_t)(c.K + 1);
	int rc = -ENOMEM, goal, n;
	const struct pce_node *ingress = &g->nodes[path->nodes[0]];

	c.lo = malloc(((size_t)c.m + 1) * sizeof(int));
	c.nseg = malloc(ns * sizeof(int));
	c.nadj = malloc(ns * sizeof(int));
	c.from = malloc(ns * sizeof(int));
	c.step = malloc(ns * sizeof(*c.step));
	if (!c.lo || !c.nseg || !c.nadj || !c.from || !c.step)
		goto out;
	for (int j = 0; j <= c.m; j++) {
		c.lo[j] = j;
		for (int l = j - 1; l >= 0; l--) {
			int r = single_next_hop(&c, l, j);

			if (r < 0)
				goto out;
			if (!r)
				break;
			c.lo[j] = l;
		}
	}
	for (size_t s = 0; s < ns; s++)
		c.nseg[s] = c.nadj[s] = UNSEEN;
	c.nseg[0] = c.nadj[0] = 0;
	for (int f = 0; f <= c.K; f++)
		for (int i = 0; i <= c.m; i++)
			if (c.nseg[f * (c.m + 1) + i] != UNSEEN)
				transitions(&c, i, f);
	goal = c.K * (c.m + 1) + c.m;
	if (c.nseg[goal] == UNSEEN) {
		rc = no_encoding(&c, err);
		goto out;
	}
	n = c.nseg[goal];
	memset(out, 0, sizeof(*out));
	out->dataplane = dp;
	out->n = n < PCE_SEGS_MAX ? n : PCE_SEGS_MAX;
	/* the walk back yields the last segment first */
	int limit = ingress->msd ? (int)ingress->msd : PCE_SEGS_MAX;
	struct pce_seg over = {0};

	for (int s = goal, k = n - 1; s != 0; s = c.from[s], k--) {
		if (k < PCE_SEGS_MAX)
			out->s[k] = c.step[s];
		if (k == limit)
			over = c.step[s];
	}
	if (n > limit) {
		char what[96];

		rc = err_set(err, E2BIG,
			     "the shortest %s segment list for this path has %d SIDs; ingress '%s' "
			     "accepts %d (%s); SID %d, the %s, is the first that does not fit",
			     inv_dataplane_name(dp), n, ingress->name, limit,
			     ingress->msd ? "its MSD" : "the encoder's limit", limit + 1,
			     seg_what(g, &over, what, sizeof(what)));
		goto out;
	}
	rc = 0;
out:
	if (rc == -ENOMEM)
		err_set(err, ENOMEM, "encoding: out of memory");
	free(c.lo);
	free(c.nseg);
	free(c.nadj);
	free(c.from);
	free(c.step);
	return rc;
}

bool pce_seglist_changed(const struct pce_seglist *old, const struct pce_seglist *cur)
{
	if (old->dataplane != cur->dataplane || old->n != cur->n)
		return true;
	for (int k = 0; k < cur->n; k++) {
		if (cur->dataplane == INV_DP_SRMPLS ? old->s[k].label != cur->s[k].label
						    : memcmp(&old->s[k].sid, &cur->s[k].sid, 16))
			return true;
	}
	return false;
}

int pce_seglist_format(const struct pce_seglist *l, char *buf, size_t len)
{
	size_t o = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = 0;
	for (int k = 0; k < l->n; k++) {
		char a[INET6_ADDRSTRLEN];
		int w;

		if (l->dataplane == INV_DP_SRMPLS)
			w = snprintf(buf + o, len - o, "%s%u", k ? " " : "", l->s[k].label);
		else
			w = snprintf(buf + o, len - o, "%s%s", k ? " " : "",
				     inet_ntop(AF_INET6, &l->s[k].sid, a, sizeof(a)));
		if (w < 0 || (size_t)w >= len - o)
			return -ENOSPC;
		o += (size_t)w;
	}
	return 0;
}

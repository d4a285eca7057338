/* PCE path computation and segment-list encoding on hand-made topologies
 * with known answers, and on random ones against an independent checker:
 * a forwarding simulation (its own Floyd-Warshall IGP distances, every ECMP
 * branch) that the produced list must steer along the computed path
 * exactly, plus a brute-force search that no shorter list does. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "lib/err.h"
#include "pce/encode.h"
#include "pce/fit.h"
#include "pce/inv.h"
#include "pce/path.h"
#include "test.h"

/* ---- building topologies ---- */

static struct pce_graph *G;

static int N(const char *name, uint32_t idx)
{
	struct pce_node n = {.srgb_base = 16000,
			     .srgb_size = 8000,
			     .sid_index = idx,
			     .has_srv6 = true,
			     .msd = 0};
	char a[64];

	snprintf(n.name, sizeof(n.name), "%s", name);
	snprintf(a, sizeof(a), "2001:db8:%x::1", idx);
	inet_pton(AF_INET6, a, &n.srv6_sid);
	return pce_graph_add_node(G, &n);
}

/* One direction a -> b; adjacency label 24000 + edge, End.X SID
 * 2001:db8:<a>::e:<edge>. */
static int E1(int a, int b, uint32_t igp, uint32_t te)
{
	struct pce_edge e = {.from = a, .to = b, .metric = {igp, te, te}, .has_adj_srv6 = true};
	char s[64];

	e.adj_label = 24000 + (uint32_t)G->n_edges;
	snprintf(e.name, sizeof(e.name), "%.20s-%.20s#%d", G->nodes[a].name, G->nodes[b].name,
		 G->n_edges);
	snprintf(s, sizeof(s), "2001:db8:%x::e:%x", G->nodes[a].sid_index, G->n_edges);
	inet_pton(AF_INET6, s, &e.adj_srv6);
	return pce_graph_add_edge(G, &e);
}

static int L(int a, int b, uint32_t igp, uint32_t te)
{
	int e = E1(a, b, igp, te);

	E1(b, a, igp, te);
	return e;
}

static int I(const char *name, const char *type, int node)
{
	struct pce_inst i = {
		.node = node, .has_srv6 = true, .capacity = 100, .state = INV_FN_ACTIVE};
	char s[64];

	snprintf(i.name, sizeof(i.name), "%s", name);
	i.type = pce_graph_type_add(G, type);
	i.label = 30000 + (uint32_t)G->n_insts;
	snprintf(s, sizeof(s), "2001:db8:%x::f:%x", G->nodes[node].sid_index, G->n_insts);
	inet_pton(AF_INET6, s, &i.srv6_sid);
	return pce_graph_add_inst(G, &i);
}

static struct pce_chain_req REQ(int in, int out, enum inv_metric m, const char *f1,
				const char *f2) {
	struct pce_chain_req r = {.ingress = in, .egress = out, .metric = m};

	for (int k = 0; k < PCE_FUNCS_MAX; k++)
		r.pinned[k] = -1;
	if (f1)
		r.func_type[r.n_funcs++] = pce_graph_type_find(G, f1);
	if (f2)
		r.func_type[r.n_funcs++] = pce_graph_type_find(G, f2);
	return r;
}

/* ---- the independent checker ---- */

#define INF UINT64_MAX

static uint64_t *
floyd(const struct pce_graph *g)
{
	int n = g->n_nodes;
	uint64_t *D = malloc((size_t)n * n * sizeof(*D));

	for (int i = 0; i < n * n; i++)
		D[i] = i % (n + 1) == 0 ? 0 : INF;
	for (int e = 0; e < g->n_edges; e++) {
		uint64_t *d = &D[g->edges[e].from * n + g->edges[e].to];

		if (g->edges[e].metric[INV_METRIC_IGP] < *d)
			*d = g->edges[e].metric[INV_METRIC_IGP];
	}
	for (int k = 0; k < n; k++)
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				if (D[i * n + k] != INF && D[k * n + j] != INF &&
				    D[i * n + k] + D[k * n + j] < D[i * n + j])
					D[i * n + j] = D[i * n + k] + D[k * n + j];
	return D;
}

struct sim {
	const struct pce_graph *g;
	const struct pce_path *p;
	const uint64_t *D;
	int pos, f;
	char why[160];
};

/* IGP forwarding from the current position to node t: every ECMP next hop
 * at every step must be the path's next edge. */
static bool route(struct sim *s, int t)
{
	const struct pce_graph *g = s->g;
	int n = g->n_nodes;

	while (s->p->nodes[s->pos] != t) {
		int x = s->p->nodes[s->pos];

		if (s->D[x * n + t] == INF)
			return snprintf(s->why, sizeof(s->why), "%d unreachable", t), false;
		if (s->f < s->p->n_funcs && s->pos == s->p->fn_pos[s->f])
			return snprintf(s->why, sizeof(s->why), "leaves function %d", s->f), false;
		for (int e = 0; e < g->n_edges; e++) {
			const struct pce_edge *ed = &g->edges[e];

			if (ed->from != x || s->D[ed->to * n + t] == INF ||
			    ed->metric[INV_METRIC_IGP] + s->D[ed->to * n + t] != s->D[x * n + t])
				continue;
			if (s->pos >= s->p->n_edges || e != s->p->edges[s->pos])
				return snprintf(s->why, sizeof(s->why),
						"at pos %d an ECMP branch takes edge %d", s->pos,
						e),
				       false;
		}
		s->pos++;
	}
	return true;
}

static bool cross(struct sim *s, int e)
{
	if (s->f < s->p->n_funcs && s->pos == s->p->fn_pos[s->f])
		return snprintf(s->why, sizeof(s->why), "adjacency leaves function %d", s->f),
		       false;
	if (s->pos >= s->p->n_edges || s->p->edges[s->pos] != e)
		return snprintf(s->why, sizeof(s->why), "adjacency %d off path at %d", e, s->pos),
		       false;
	s->pos++;
	return true;
}

static bool apply(struct sim *s, int inst)
{
	if (s->f >= s->p->n_funcs || s->p->fn_inst[s->f] != inst || s->p->fn_pos[s->f] != s->pos)
		return snprintf(s->why, sizeof(s->why), "function %d applied wrongly", inst), false;
	s->f++;
	return true;
}

static bool seg_mpls(struct sim *s, uint32_t label)
{
	const struct pce_graph *g = s->g;
	int x = s->p->nodes[s->pos];

	for (int e = 0; e < g->n_edges; e++)
		if (g->edges[e].from == x && g->edges[e].adj_label == label)
			return cross(s, e);
	for (int i = 0; i < g->n_insts; i++)
		if (g->insts[i].node == x && g->insts[i].label == label)
			return apply(s, i);
	uint32_t idx = label - g->nodes[x].srgb_base;

	for (int v = 0; label >= g->nodes[x].srgb_base && v < g->n_nodes; v++)
		if (g->nodes[v].sid_index == idx && idx < g->nodes[x].srgb_size)
			return route(s, v);
	return snprintf(s->why, sizeof(s->why), "label %u unknown at %d", label, x), false;
}

static bool seg_srv6(struct sim *s, const struct in6_addr *sid)
{
	const struct pce_graph *g = s->g;

	for (int v = 0; v < g->n_nodes; v++)
		if (!memcmp(&g->nodes[v].srv6_sid, sid, 16))
			return route(s, v);
	for (int e = 0; e < g->n_edges; e++)
		if (!memcmp(&g->edges[e].adj_srv6, sid, 16))
			return route(s, g->edges[e].from) && cross(s, e);
	for (int i = 0; i < g->n_insts; i++)
		if (!memcmp(&g->insts[i].srv6_sid, sid, 16))
			return route(s, g->insts[i].node) && apply(s, i);
	return snprintf(s->why, sizeof(s->why), "SID unknown"), false;
}

/* true when l steers a packet from the ingress along p exactly. */
static bool simulate(const struct pce_graph *g, const struct pce_path *p, const uint64_t *D,
		     const struct pce_seglist *l, char *why, size_t len)
{
	struct sim s = {g, p, D, 0, 0, ""};
	bool ok = true;

	for (int k = 0; k < l->n && ok; k++)
		ok = l->dataplane == INV_DP_SRMPLS ? seg_mpls(&s, l->s[k].label)
						   : seg_srv6(&s, &l->s[k].sid);
	if (ok && (s.pos != p->n_edges || s.f != p->n_funcs)) {
		snprintf(s.why, sizeof(s.why), "stops at pos %d f %d of %d/%d", s.pos, s.f,
			 p->n_edges, p->n_funcs);
		ok = false;
	}
	if (why)
		snprintf(why, len, "%s", s.why);
	return ok;
}

/* Every SID that could appear in a list for p (a SID leading off the path
 * never can): node SIDs of path nodes (as labels seen at each path node),
 * adjacency SIDs of path edges, the path's function SIDs. */
static int sid_pool(const struct pce_graph *g, const struct pce_path *p, enum inv_dataplane dp,
		    struct pce_seg *pool, int cap)
{
	int n = 0;

	for (int i = 0; i <= p->n_edges; i++) {
		const struct pce_node *t = &g->nodes[p->nodes[i]];

		if (dp == INV_DP_SRV6 && n < cap)
			pool[n++].sid = t->srv6_sid;
		for (int j = 0; dp == INV_DP_SRMPLS && j <= p->n_edges && n < cap; j++)
			pool[n++].label = g->nodes[p->nodes[j]].srgb_base + t->sid_index;
	}
	for (int i = 0; i < p->n_edges && n < cap; i++) {
		pool[n].label = g->edges[p->edges[i]].adj_label;
		pool[n++].sid = g->edges[p->edges[i]].adj_srv6;
	}
	for (int k = 0; k < p->n_funcs && n < cap; k++) {
		pool[n].label = g->insts[p->fn_inst[k]].label;
		pool[n++].sid = g->insts[p->fn_inst[k]].srv6_sid;
	}
	return n;
}

/* No list of length l->n - 1 steers along p (l->n <= 3 only). */
static bool nothing_shorter(const struct pce_graph *g, const struct pce_path *p, const uint64_t *D,
			    const struct pce_seglist *l)
{
	static struct pce_seg pool[512];
	struct pce_seglist t = {.dataplane = l->dataplane, .n = l->n - 1};
	int np = sid_pool(g, p, l->dataplane, pool, 512);

	if (t.n == 0)
		return !simulate(g, p, D, &t, NULL, 0);
	for (int a = 0; a < np; a++) {
		t.s[0] = pool[a];
		if (t.n == 1 && simulate(g, p, D, &t, NULL, 0))
			return false;
		for (int b = 0; t.n == 2 && b < np; b++) {
			t.s[1] = pool[b];
			if (simulate(g, p, D, &t, NULL, 0))
				return false;
		}
	}
	return true;
}

/* Encodes p for dp and checks the list with the simulation. */
static int enc_check(const struct pce_path *p, enum inv_dataplane dp, struct pce_seglist *l,
		     struct err *e)
{
	uint64_t *D = floyd(G);
	char why[160];
	int rc = pce_encode(G, p, dp, l, e);

	if (!rc && !simulate(G, p, D, l, why, sizeof(why)))
		test_fail(__FILE__, __LINE__, "%s list does not follow the path: %s",
			  inv_dataplane_name(dp), why);
	free(D);
	return rc;
}

static void fresh(void)
{
	pce_graph_free(G);
	G = pce_graph_new();
}

/* ---- hand-made topologies ---- */

/* Two parallel A-B links of equal IGP cost: no node SID can choose one, the
 * adjacency SID must. */
TEST(pce_ecmp_parallel_needs_adjacency)
{
	struct err e = {{0}};
	struct pce_path p;
	struct pce_seglist l;

	fresh();
	int A = N("A", 1), B = N("B", 2), D = N("D", 3);

	L(A, B, 1, 5);
	int l2 = L(A, B, 1, 1);

	L(B, D, 1, 1);
	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(A, D, INV_METRIC_TE, NULL, NULL);

	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.n_edges, 2);
	CHECK_EQ(p.edges[0], l2);
	CHECK_EQ(p.cost, 2);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.s[0].kind, PCE_SEG_ADJ);
	CHECK_EQ(l.s[0].label, G->edges[l2].adj_label);
	CHECK_EQ(l.s[1].kind, PCE_SEG_NODE);
	CHECK_EQ(l.s[1].label, 16003);
	CHECK_EQ(enc_check(&p, INV_DP_SRV6, &l, &e), 0);
	CHECK_EQ(l.n, 2); /* End.X of A, then End of D */
	CHECK_EQ(l.s[0].kind, PCE_SEG_ADJ);

	/* under the IGP metric Dijkstra picks one of the two: still pinned */
	r.metric = INV_METRIC_IGP;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.s[0].kind, PCE_SEG_ADJ);

	/* without the adjacency SID nothing works, and the reason names the hop */
	G->edges[p.edges[0]].adj_label = 0;
	CHECK_EQ(pce_encode(G, &p, INV_DP_SRMPLS, &l, &e), -EHOSTUNREACH);
	CHECK(strstr(e.msg, "hop A->B"));
	CHECK(strstr(e.msg, "no srmpls adjacency SID"));
}

/* Diamond A-{B,C}-D, all IGP 1: the IGP splits towards D, so the list pins
 * the path through B with B's node SID (unique shortest from A), not an
 * adjacency SID; [D] alone is refused by the checker. */
TEST(pce_ecmp_diamond)
{
	struct err e = {{0}};
	struct pce_path p;
	struct pce_seglist l, only_d = {.dataplane = INV_DP_SRMPLS, .n = 1};

	fresh();
	int A = N("A", 1), B = N("B", 2), C = N("C", 3), D = N("D", 4);

	L(A, B, 1, 1);
	L(B, D, 1, 1);
	L(A, C, 1, 5);
	L(C, D, 1, 5);
	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(A, D, INV_METRIC_TE, NULL, NULL);

	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.nodes[1], B);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.s[0].kind, PCE_SEG_NODE);
	CHECK_EQ(l.s[0].label, 16002);
	CHECK_EQ(l.s[1].label, 16004);
	uint64_t *Dm = floyd(G);

	only_d.s[0].label = 16004;
	CHECK(!simulate(G, &p, Dm, &only_d, NULL, 0));
	CHECK(nothing_shorter(G, &p, Dm, &l));
	free(Dm);
}

/* The TE path A-X-C is not the IGP's (A-Y-C): one node SID for X makes the
 * detour, then C's node SID, its label taken from X's SRGB (17000). */
TEST(pce_detour_needs_node_sid)
{
	struct err e = {{0}};
	struct pce_path p;
	struct pce_seglist l;

	fresh();
	int A = N("A", 1), Y = N("Y", 2), X = N("X", 3), C = N("C", 4);

	G->nodes[X].srgb_base = 17000;
	L(A, Y, 1, 10);
	L(Y, C, 1, 10);
	L(A, X, 2, 1);
	L(X, C, 2, 1);
	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(A, C, INV_METRIC_TE, NULL, NULL);

	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.n_edges, 2);
	CHECK_EQ(p.nodes[1], X);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.s[0].label, 16003);
	CHECK_EQ(l.s[1].label, 17004);
	CHECK_EQ(l.s[0].kind + l.s[1].kind, 2 * PCE_SEG_NODE);
	/* MSD 1: the best path does not fit; the cheapest that does is the
	 * IGP's own, A-Y-C (TE 20), one SID */
	G->nodes[A].msd = 1;
	CHECK_EQ(pce_chain_compute(G, &r, &p, &l, &e), 0);
	CHECK(p.fitted);
	CHECK_EQ(p.cost, 20);
	CHECK_EQ(p.nodes[1], Y);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.s[0].label, 16004);
	G->nodes[A].msd = 2;
	CHECK_EQ(pce_chain_compute(G, &r, &p, &l, &e), 0);
	CHECK(!p.fitted);
	CHECK_EQ(p.cost, 2);
	/* under the IGP metric the IGP's own path needs one SID */
	r.metric = INV_METRIC_IGP;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.nodes[1], Y);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 1);
}

/* A chain of parallel pairs needs one adjacency SID per hop: four SIDs do
 * not fit an MSD of 3, and the error says which SID overflows. */
TEST(pce_msd_overflow)
{
	struct err e = {{0}};
	struct pce_path p;
	struct pce_seglist l;
	int v[5];

	fresh();
	for (int i = 0; i < 5; i++) {
		char name[4] = {(char)('A' + i), 0};

		v[i] = N(name, (uint32_t)i + 1);
	}
	for (int i = 0; i < 4; i++) {
		L(v[i], v[i + 1], 1, 5);
		L(v[i], v[i + 1], 1, 1);
	}
	G->nodes[v[0]].msd = 3;
	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(v[0], v[4], INV_METRIC_TE, NULL, NULL);

	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(pce_encode(G, &p, INV_DP_SRMPLS, &l, &e), -E2BIG);
	CHECK(strstr(e.msg, "has 4 SIDs; ingress 'A' accepts 3 (its MSD)"));
	CHECK(strstr(e.msg, "SID 4, the adjacency SID of link 'D-E#"));
	/* every path needs an adjacency SID per hop: nothing fits */
	CHECK_EQ(pce_chain_compute(G, &r, &p, &l, &e), -E2BIG);
	CHECK(strstr(e.msg, "has 4 SIDs; ingress 'A' accepts 3"));
	CHECK(strstr(e.msg,
		     "no path from 'A' through the chain's 0 function(s) to 'E' has a srmpls "
		     "segment list of at most 3 SIDs"));
	G->nodes[v[0]].msd = 4;
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 4);
}

/* Excluding B->D moves the path to A-C-D (layered Dijkstra); the IGP would
 * still go through B, so C's node SID pins the detour. */
TEST(pce_excluded_link_and_node)
{
	struct err e = {{0}};
	struct pce_path p;
	struct pce_seglist l;

	fresh();
	int A = N("A", 1), B = N("B", 2), C = N("C", 3), D = N("D", 4);

	L(A, B, 1, 1);
	int bd = L(B, D, 1, 1);

	L(A, C, 2, 2);
	L(C, D, 2, 2);
	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(A, D, INV_METRIC_IGP, NULL, NULL);

	r.excl_edges[r.n_excl_edges++] = bd;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.cost, 4);
	CHECK_EQ(p.nodes[1], C);
	for (int i = 0; i < p.n_edges; i++)
		CHECK(p.edges[i] != bd);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.s[0].label, 16003);

	r = REQ(A, D, INV_METRIC_IGP, NULL, NULL);
	r.excl_nodes[r.n_excl_nodes++] = B;
	r.excl_nodes[r.n_excl_nodes++] = C;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), -ENETUNREACH);
	CHECK(strstr(e.msg, "egress 'D' is unreachable"));
	CHECK(strstr(e.msg, "with the exclusions"));
}

/* Greedy nearest-first takes fw1 (1 from A) and then pays 5 to Z: 6.
 * Choosing the instance inside the optimisation takes fw2: 3 + 1 = 4. */
TEST(pce_instance_selection_beats_greedy)
{
	struct err e = {{0}};
	struct pce_path p, q;

	fresh();
	int A = N("A", 1), F1 = N("F1", 2), F2 = N("F2", 3), Z = N("Z", 4), Q = N("Q", 5);

	L(A, F1, 1, 1);
	L(A, F2, 3, 3);
	L(F2, Z, 1, 1);
	L(F1, Q, 50, 50);
	L(Q, Z, 50, 50);
	int fw1 = I("fw1", "fw", F1), fw2 = I("fw2", "fw", F2);

	I("nat1", "nat", Z);
	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(A, Z, INV_METRIC_IGP, "fw", NULL);

	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.fn_inst[0], fw2);
	CHECK_EQ(p.cost, 4);
	CHECK_EQ(pce_path_layered(G, &r, &q, &e), 0);
	CHECK_EQ(q.fn_inst[0], fw2);
	CHECK_EQ(q.cost, 4);

	/* two functions, the second at the egress itself */
	r = REQ(A, Z, INV_METRIC_IGP, "fw", "nat");
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.n_funcs, 2);
	CHECK_EQ(p.fn_pos[1], p.n_edges);

	/* pinned overrides; least-loaded filters first; state matters */
	r = REQ(A, Z, INV_METRIC_IGP, "fw", NULL);
	r.pinned[0] = fw1;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.fn_inst[0], fw1);
	CHECK_EQ(p.cost, 6);
	G->insts[fw1].state = INV_FN_DRAINING;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), -ENOENT);
	CHECK(strstr(e.msg, "pinned instance 'fw1' is draining"));
	G->insts[fw1].state = INV_FN_ACTIVE;
	r.pinned[0] = -1;
	r.select = INV_SELECT_LEAST_LOADED;
	G->insts[fw2].load = 50;
	G->insts[fw1].load = 10;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.fn_inst[0], fw1);
	G->insts[fw1].load = 100; /* at capacity */
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(p.fn_inst[0], fw2);
	G->insts[fw2].load = 100;
	CHECK_EQ(pce_path_compute(G, &r, &p, &e), -ENOENT);
	CHECK(strstr(e.msg, "function 'fw' (position 1): no active instance with spare capacity"));
}

/* SR-MPLS needs the node SID to reach a function, its label being local;
 * an SRv6 function SID is routed to its node and so doubles as that. */
TEST(pce_function_sids)
{
	struct err e = {{0}};
	struct pce_path p;
	struct pce_seglist l, l2;
	char txt[256];

	fresh();
	int A = N("A", 1), B = N("B", 2), C = N("C", 3), Z = N("Z", 4);

	L(A, B, 1, 1);
	L(B, C, 1, 1);
	L(C, Z, 1, 1);
	int fw = I("fw1", "fw", C);

	CHECK_EQ(pce_graph_finish(G), 0);
	struct pce_chain_req r = REQ(A, Z, INV_METRIC_IGP, "fw", NULL);

	CHECK_EQ(pce_path_compute(G, &r, &p, &e), 0);
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(l.n, 3);
	CHECK_EQ(pce_seglist_format(&l, txt, sizeof(txt)), 0);
	CHECK_STR(txt, "16003 30000 16004");
	CHECK_EQ(enc_check(&p, INV_DP_SRV6, &l, &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(pce_seglist_format(&l, txt, sizeof(txt)), 0);
	CHECK_STR(txt, "2001:db8:3::f:0 2001:db8:4::1");
	CHECK_EQ(pce_seglist_format(&l, txt, 10), -ENOSPC);

	/* diff: same list -> unchanged; another data plane or SID -> changed */
	CHECK_EQ(enc_check(&p, INV_DP_SRV6, &l2, &e), 0);
	CHECK(!pce_seglist_changed(&l, &l2));
	l2.s[1].sid.s6_addr[15] ^= 1;
	CHECK(pce_seglist_changed(&l, &l2));
	CHECK_EQ(enc_check(&p, INV_DP_SRMPLS, &l2, &e), 0);
	CHECK(pce_seglist_changed(&l, &l2));

	G->insts[fw].label = 0;
	CHECK_EQ(pce_encode(G, &p, INV_DP_SRMPLS, &l, &e), -EHOSTUNREACH);
	CHECK(strstr(e.msg, "function 1: instance 'fw1' on 'C' has no srmpls SID"));
	pce_graph_free(G);
	G = NULL;
}

/* ---- random topologies ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Random connected graphs with small IGP metrics (many ECMP ties); for
 * random chains: the tree DP and the layered Dijkstra agree on the cost,
 * both encodings steer exactly along the path, and short lists are minimal. */
TEST(pce_random_topologies)
{
	struct err e = {{0}};
	int chains = 0, brute = 0, excl = 0, fitted = 0;

	for (int round = 0; round < 12; round++) {
		int n = 6 + (int)rnd(10);

		fresh();
		for (int v = 0; v < n; v++) {
			char name[16];

			snprintf(name, sizeof(name), "v%d", v);
			N(name, (uint32_t)v + 1);
		}
		for (int v = 1; v < n; v++)
			L(v, (int)rnd((uint32_t)v), 1 + rnd(3), 1 + rnd(20));
		for (int k = 0; k < n; k++)
			L((int)rnd((uint32_t)n), (int)rnd((uint32_t)n), 1 + rnd(3), 1 + rnd(20));
		for (int k = 0; k < 5; k++)
			I(k < 3 ? (k ? (k == 1 ? "a2" : "a3") : "a1") : (k == 3 ? "b1" : "b2"),
			  k < 3 ? "a" : "b", (int)rnd((uint32_t)n));
		CHECK_EQ(pce_graph_finish(G), 0);
		uint64_t *D = floyd(G);

		for (int c = 0; c < 25; c++) {
			struct pce_chain_req r =
				REQ((int)rnd((uint32_t)n), (int)rnd((uint32_t)n),
				    (enum inv_metric)rnd(3), "a", rnd(2) ? "b" : NULL);
			struct pce_path p, q;
			struct pce_seglist l;
			char why[160];
			int x = (int)rnd((uint32_t)n);

			if (rnd(3) == 0 && x != r.ingress && x != r.egress) {
				r.excl_nodes[r.n_excl_nodes++] = x;
				excl++;
			}
			int rc1 = pce_path_compute(G, &r, &p, &e),
			    rc2 = pce_path_layered(G, &r, &q, &e);

			CHECK_EQ(rc1, rc2);
			if (rc1)
				continue;
			CHECK_EQ(p.cost, q.cost);
			chains++;
			/* with room for any list, the MSD search finds the optimum */
			struct pce_path fp;

			CHECK_EQ(pce_path_fit(G, &r, PCE_SEGS_MAX, &fp, &e), 0);
			CHECK_EQ(fp.cost, p.cost);
			/* with a tight MSD: a list that fits and steers exactly, or none */
			G->nodes[r.ingress].msd = 1 + rnd(4);
			r.dataplane = (enum inv_dataplane)rnd(2);
			int rc3 = pce_chain_compute(G, &r, &fp, &l, &e);

			CHECK(rc3 == 0 || rc3 == -E2BIG);
			if (rc3 == 0) {
				fitted += fp.fitted;
				CHECK(l.n <= (int)G->nodes[r.ingress].msd);
				CHECK(fp.cost >= p.cost);
				CHECK(fp.fitted || fp.cost == p.cost);
				if (!simulate(G, &fp, D, &l, why, sizeof(why)))
					test_fail(__FILE__, __LINE__, "fitted list: %s", why);
			}
			G->nodes[r.ingress].msd = 0;
			for (int dp = 0; dp < INV_DP_MAX; dp++) {
				CHECK_EQ(pce_encode(G, &p, (enum inv_dataplane)dp, &l, &e), 0);
				if (!simulate(G, &p, D, &l, why, sizeof(why)))
					test_fail(__FILE__, __LINE__, "round %d chain %d %s: %s",
						  round, c,
						  inv_dataplane_name((enum inv_dataplane)dp), why);
				if (l.n <= 3) {
					brute++;
					if (!nothing_shorter(G, &p, D, &l))
						test_fail(
							__FILE__, __LINE__,
							"round %d chain %d: a shorter list exists",
							round, c);
				}
			}
		}
		free(D);
	}
	CHECK(chains > 150);
	CHECK(brute > 50);
	CHECK(excl > 20);
	CHECK(fitted > 10);
	pce_graph_free(G);
	G = NULL;
}

/* PCE benchmark (make bench-pce; reported, not asserted): path computation
 * and segment-list encoding of 10,000 chains of 3 functions on a generated
 * 1,000-node topology.
 *
 * Topology: Barabasi-Albert preferential attachment, seeded: a 5-node clique,
 * then each new node links to 4 distinct existing nodes chosen with
 * probability proportional to their degree: 3,990 links (7,980 directed
 * adjacencies), a power-law degree distribution like an ISP's. Metrics,
 * seeded: IGP 1-10 (ties, so ECMP); TE equal to the IGP metric except on one
 * link in five (random 1-10); delay 50 us per IGP unit plus 0-99 us noise.
 * --independent-metrics draws TE (1-100) and delay (10-1000 us)
 * independently of the IGP: the worst case, where TE/delay paths share
 * little with IGP paths and need long lists. Every node
 * has a node SID (SRGB 16000+8000) and an SRv6 End SID, every adjacency an
 * SR-MPLS and an SRv6 adjacency SID. 3 function types x 20 instances on
 * random nodes. Chains: random ingress/egress, functions 1,2,3, metric
 * cycling IGP/TE/delay, data plane alternating SR-MPLS/SRv6, MSD 10.
 *
 * What makes it fast: shortest-path trees are computed once per (metric,
 * direction, root) and cached in the graph; a chain without exclusions is
 * then a DP over its candidate instances (20 x 20 per layer) on cached
 * distances, and the encoder's ECMP test reads cached reverse IGP trees. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lib/err.h"
#include "pce/encode.h"
#include "pce/fit.h"
#include "pce/path.h"

#define NODES	       1000
#define BA_M	       4
#define TYPES	       3
#define INSTS	       20 /* per type */
#define CHAINS	       10000
#define LAYERED_SAMPLE 300
#define FIT_SAMPLE     50

static uint64_t rng_state = 0x5eed2026ull;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static bool independent; /* --independent-metrics */

static void add_link(struct pce_graph *g, int a, int b)
{
	uint32_t igp = 1 + rnd(10), te = igp, delay = igp * 50 + rnd(100);

	if (independent) {
		te = 1 + rnd(100);
		delay = 10 + rnd(991);
	} else if (rnd(5) == 0) {
		te = 1 + rnd(10); /* an operator's TE override on one link in five */
	}

	for (int d = 0; d < 2; d++) {
		struct pce_edge e = {.from = d ? b : a,
				     .to = d ? a : b,
				     .metric = {igp, te, delay},
				     .has_adj_srv6 = true};

		e.adj_label = 24000 + (uint32_t)g->n_edges;
		snprintf(e.name, sizeof(e.name), "l%d", g->n_edges);
		e.adj_srv6.s6_addr[0] = 0x20;
		e.adj_srv6.s6_addr[1] = 0x01;
		e.adj_srv6.s6_addr[2] = 0x0d;
		e.adj_srv6.s6_addr[3] = 0xb8;
		e.adj_srv6.s6_addr[4] = (uint8_t)(e.from >> 8);
		e.adj_srv6.s6_addr[5] = (uint8_t)e.from;
		e.adj_srv6.s6_addr[12] = 0xe;
		e.adj_srv6.s6_addr[14] = (uint8_t)(g->n_edges >> 8);
		e.adj_srv6.s6_addr[15] = (uint8_t)g->n_edges;
		if (pce_graph_add_edge(g, &e) < 0)
			abort();
	}
}

static bool linked(const int *ends, int n_ends, int a, int b)
{
	for (int i = 0; i + 1 < n_ends; i += 2)
		if ((ends[i] == a && ends[i + 1] == b) || (ends[i] == b && ends[i + 1] == a))
			return true;
	return false;
}

static struct pce_graph *generate(int *n_links)
{
	struct pce_graph *g = pce_graph_new();
	/* every link's two ends: sampling an entry is sampling by degree */
	static int ends[2 * NODES * BA_M + 64];
	int n_ends = 0;

	for (int v = 0; v < NODES; v++) {
		struct pce_node n = {.srgb_base = 16000,
				     .srgb_size = 8000,
				     .sid_index = (uint32_t)v,
				     .has_srv6 = true,
				     .msd = 10};

		snprintf(n.name, sizeof(n.name), "r%d", v);
		n.srv6_sid.s6_addr[0] = 0x20;
		n.srv6_sid.s6_addr[1] = 0x01;
		n.srv6_sid.s6_addr[2] = 0x0d;
		n.srv6_sid.s6_addr[3] = 0xb8;
		n.srv6_sid.s6_addr[4] = (uint8_t)(v >> 8);
		n.srv6_sid.s6_addr[5] = (uint8_t)v;
		n.srv6_sid.s6_addr[15] = 1;
		pce_graph_add_node(g, &n);
	}
	for (int a = 0; a <= BA_M; a++)
		for (int b = a + 1; b <= BA_M; b++) {
			add_link(g, a, b);
			ends[n_ends++] = a;
			ends[n_ends++] = b;
		}
	for (int v = BA_M + 1; v < NODES; v++) {
		int picked[BA_M], np = 0, base = n_ends;

		while (np < BA_M) {
			int u = ends[rnd((uint32_t)base)];
			bool dup = false;

			for (int k = 0; k < np; k++)
				dup |= picked[k] == u;
			if (dup || linked(ends + base, n_ends - base, v, u))
				continue;
			picked[np++] = u;
			add_link(g, v, u);
			ends[n_ends++] = v;
			ends[n_ends++] = u;
		}
	}
	*n_links = n_ends / 2;
	for (int t = 0; t < TYPES; t++) {
		char name[8];

		snprintf(name, sizeof(name), "f%d", t);
		pce_graph_type_add(g, name);
		for (int k = 0; k < INSTS; k++) {
			struct pce_inst in = {.type = t,
					      .node = (int)rnd(NODES),
					      .has_srv6 = true,
					      .capacity = 1000000,
					      .state = INV_FN_ACTIVE};

			snprintf(in.name, sizeof(in.name), "f%d-%d", t, k);
			in.label = 30000 + (uint32_t)g->n_insts;
			in.srv6_sid = g->nodes[in.node].srv6_sid;
			in.srv6_sid.s6_addr[12] = 0xf;
			in.srv6_sid.s6_addr[15] = (uint8_t)g->n_insts;
			pce_graph_add_inst(g, &in);
		}
	}
	if (pce_graph_finish(g))
		abort();
	return g;
}

static struct pce_chain_req chain(int c)
{
	struct pce_chain_req r = {.ingress = (int)rnd(NODES),
				  .egress = (int)rnd(NODES),
				  .n_funcs = TYPES,
				  .metric = (enum inv_metric)(c % 3),
				  .dataplane = (enum inv_dataplane)(c / 3 % 2)};

	for (int k = 0; k < TYPES; k++) {
		r.func_type[k] = k;
		r.pinned[k] = -1;
	}
	return r;
}

struct tally {
	int ok, no_path, msd, other, segs, kinds[PCE_SEG_KIND_MAX], hops;
	int m_ok[INV_METRIC_MAX], m_msd[INV_METRIC_MAX], m_segs[INV_METRIC_MAX];
};

static void run(struct pce_graph *g, struct pce_chain_req *reqs, int n, struct tally *t)
{
	static struct pce_path p;
	static struct pce_seglist l;
	struct err e;

	memset(t, 0, sizeof(*t));
	for (int c = 0; c < n; c++) {
		int rc = pce_path_compute(g, &reqs[c], &p, &e);

		if (rc) {
			t->no_path++;
			continue;
		}
		rc = pce_encode(g, &p, reqs[c].dataplane, &l, &e);
		if (rc == -E2BIG) {
			t->msd++;
			t->m_msd[reqs[c].metric]++;
			continue;
		}
		if (rc) {
			t->other++;
			continue;
		}
		t->ok++;
		t->m_ok[reqs[c].metric]++;
		t->m_segs[reqs[c].metric] += l.n;
		t->segs += l.n;
		t->hops += p.n_edges;
		for (int k = 0; k < l.n; k++)
			t->kinds[l.s[k].kind]++;
	}
}

int main(int argc, char **argv)
{
	static struct pce_chain_req reqs[CHAINS];
	struct tally t;
	int n_links;
	long rss0 = rss_kb();

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--independent-metrics"))) {
		fprintf(stderr, "usage: pce_bench [--independent-metrics]\n");
		return 2;
	}
	independent = argc == 2;
	double t0 = now();
	struct pce_graph *g = generate(&n_links);
	double t1 = now();

	for (int c = 0; c < CHAINS; c++)
		reqs[c] = chain(c);
	printf("topology: Barabasi-Albert n=%d m=%d seed %#llx: %d links (%d adjacencies), "
	       "%d instances of %d types, %s metrics, built in %.1f ms\n",
	       NODES, BA_M, 0x5eed2026ull, n_links, g->n_edges, g->n_insts, TYPES,
	       independent ? "independent" : "correlated", (t1 - t0) * 1e3);

	double t2 = now();

	run(g, reqs, CHAINS, &t);
	double t3 = now();
	uint64_t trees = g->n_dijkstra;

	printf("cold: %d chains of %d functions computed+encoded in %.3f s (%.1f us/chain), "
	       "%llu shortest-path trees computed on the way\n",
	       CHAINS, TYPES, t3 - t2, (t3 - t2) * 1e6 / CHAINS, (unsigned long long)trees);
	printf("      %d encoded, %d over MSD 10, %d no path, %d other; mean %.2f hops, %.2f SIDs "
	       "(node %d, adjacency %d, function %d)\n",
	       t.ok, t.msd, t.no_path, t.other, (double)t.hops / (t.ok ? t.ok : 1),
	       (double)t.segs / (t.ok ? t.ok : 1), t.kinds[PCE_SEG_NODE], t.kinds[PCE_SEG_ADJ],
	       t.kinds[PCE_SEG_FUNC]);
	for (int m = 0; m < INV_METRIC_MAX; m++)
		printf("      metric %-5s: %4d encoded (mean %.2f SIDs), %4d over MSD 10\n",
		       inv_metric_name((enum inv_metric)m), t.m_ok[m],
		       (double)t.m_segs[m] / (t.m_ok[m] ? t.m_ok[m] : 1), t.m_msd[m]);
	run(g, reqs, CHAINS, &t);
	double t4 = now();

	printf("warm: the same %d chains again (trees cached) in %.3f s (%.1f us/chain)\n", CHAINS,
	       t4 - t3, (t4 - t3) * 1e6 / CHAINS);

	/* the reference algorithm on a sample, and a check that it agrees */
	static struct pce_path p, q;
	struct err e;
	int mismatch = 0, nl = 0;
	double t5 = now();

	for (int c = 0; c < LAYERED_SAMPLE; c++)
		nl += pce_path_layered(g, &reqs[c], &q, &e) == 0;
	double t6 = now();

	for (int c = 0; c < LAYERED_SAMPLE; c++)
		if (pce_path_layered(g, &reqs[c], &q, &e) == 0 &&
		    (pce_path_compute(g, &reqs[c], &p, &e) || p.cost != q.cost))
			mismatch++;
	printf("layered-graph Dijkstra (used when a chain excludes nodes/links): %.1f us/chain "
	       "over %d chains; optimum equal to the tree DP's in %d of %d\n",
	       (t6 - t5) * 1e6 / LAYERED_SAMPLE, LAYERED_SAMPLE, nl - mismatch, nl);
	/* the MSD fallback on the chains whose best list does not fit */
	int tried = 0, rescued = 0;
	static struct pce_seglist l;
	double t7 = now();

	for (int c = 0; c < CHAINS && tried < FIT_SAMPLE; c++) {
		if (pce_path_compute(g, &reqs[c], &p, &e) ||
		    pce_encode(g, &p, reqs[c].dataplane, &l, &e) != -E2BIG)
			continue;
		tried++;
		rescued += pce_chain_compute(g, &reqs[c], &p, &l, &e) == 0;
	}
	double t8 = now();

	printf("MSD fallback (cheapest path whose list fits): %d of %d over-MSD chains rescued, "
	       "%.1f ms/chain\n",
	       rescued, tried, tried ? (t8 - t7) * 1e3 / tried : 0.0);
	printf("memory: max RSS %ld KiB (%ld KiB at start)\n", rss_kb(), rss0);
	pce_graph_free(g);
	return mismatch ? 1 : 0;
}

/* The data plane: workers push bursts of received packets through stages
 *
 *   input (L2) -> ip4 / ip6 / mpls / nsh -> classify -> sid -> ... -> tx
 *
 * Each stage takes a vector of packets and sorts every packet onto a next
 * stage; the dispatcher runs stages until only terminal vectors (tx, host,
 * drop) hold packets. A packet re-enters lookups at most DP_PASS_MAX times.
 *
 * Files: pipeline.c (dispatcher, input, IPv4/IPv6, transmit), classify.c,
 * steer.c (policies), srv6_sid.c (SID stage) with the SRv6 behaviours in
 * srv6_end.c, srv6_decap.c, srv6_encap.c; mpls_fwd.c and nsh_fwd.c (stage
 * and behaviours of their family); behaviour.c (the behaviour registry),
 * fn.c (the function hook); build.c, lpm.c, match.c (tables).
 */
#ifndef SRCHAIN_DP_DP_H
#define SRCHAIN_DP_DP_H

#include <stdatomic.h>
#include <stdint.h>

#include "dp/counters.h"
#include "dp/tables.h"
#include "pkt/pbuf.h"

/* The most packets one dp_process() call takes. */
#define DP_BURST_MAX 256
/* Stage and terminal vectors hold a burst plus the copies that functions
 * (mirror) add, one per packet of the burst. */
#define DP_OUT_MAX (2 * DP_BURST_MAX)

enum dp_next {
	DPN_IP6,
	DPN_IP4,
	DPN_MPLS,
	DPN_NSH,
	DPN_CLASSIFY,
	DPN_SID,
	DPN_TX,
	DPN_HOST,
	DPN_DROP,
	DPN_MAX
};

/* Where packets end up after a burst. Each packet in drop[] carries its
 * drop reason in pkt->ref. */
struct dp_out {
	uint32_t n[3]; /* tx, host, drop */
	struct pkt *v[3][DP_OUT_MAX];
};
#define DP_OUT_TX   0
#define DP_OUT_HOST 1
#define DP_OUT_DROP 2

/* Buffers for copies (mirror, ICMP errors); NULL get = none available. */
struct pkt_pool {
	struct pkt *(*get)(void *ctx);
	void *ctx;
};

struct dp;

struct dp_worker {
	uint32_t id;
	struct dp *dp;
	struct pkt_pool pool;
	uint32_t copy_room;   /* copies this burst may still make: see dp_copy_get */
	_Atomic uint64_t seq; /* odd while inside a burst: grace periods */
	uint64_t ctr[DP_CTR_MAX];
	uint16_t n[DPN_MAX];
	/* vec[s] points at one of buf[]; the dispatcher swaps a stage's full
	 * vector with the spare one instead of copying it */
	struct pkt **vec[DPN_MAX];
	struct pkt **spare;
	struct pkt *buf[DPN_MAX + 1][DP_OUT_MAX];
};

struct dp {
	_Atomic(struct dp_tables *) tables;
	uint32_t n_workers;
	struct dp_worker **workers;
};

/* What a stage sees: the table set of this burst and the worker's state. */
struct dp_ctx {
	const struct dp_tables *t;
	struct dp_worker *w;
	uint64_t *stats; /* this worker's row of t->stats */
	struct dp_out *out;
};

int dp_init(struct dp *dp, uint32_t n_workers);
/* Sets up a worker's vectors (dp_init does it for the workers it makes). */
void dp_worker_init(struct dp_worker *w, struct dp *dp, uint32_t id);
void dp_fini(struct dp *dp);

/* Runs one burst: the first min(n, DP_BURST_MAX) of pkts[], which have
 * frame/off/len/in_if set, data at Ethernet. Returns how many it took; the
 * caller passes the rest in another call. */
uint32_t dp_process(struct dp_worker *w, struct pkt **pkts, uint32_t n, struct dp_out *out);

/* Like dp_process for packets that start at L3 (l3 set): used by tests and
 * by the benchmark's pure stage runs. */
uint32_t dp_process_l3(struct dp_worker *w, struct pkt **pkts, uint32_t n, struct dp_out *out);

/* Publishes t (ownership passes to dp) and frees the previous set after a
 * grace period. Called from the control thread only. */
void dp_publish(struct dp *dp, struct dp_tables *t);

/* Counter sums over all workers. */
uint64_t dp_ctr_sum(const struct dp *dp, enum dp_ctr c);
void dp_stat_sum(const struct dp *dp, uint32_t slot, uint64_t *pkts, uint64_t *bytes);

/* Stage plumbing, for stage implementations. */
static inline void dp_next(struct dp_ctx *c, struct pkt *p, enum dp_next next)
{
	struct dp_worker *w = c->w;

	if (w->n[next] < DP_OUT_MAX)
		w->vec[next][w->n[next]++] = p;
	else
		c->out->v[DP_OUT_DROP][c->out->n[DP_OUT_DROP]++] = p; /* cannot happen: bounded */
}

/* A buffer for a copy, or NULL (counted pool_empty). A burst of n packets
 * makes at most DP_OUT_MAX - n copies, so that every packet fits in every
 * stage and terminal vector whatever the pool holds. */
static inline struct pkt *dp_copy_get(struct dp_ctx *c)
{
	struct dp_worker *w = c->w;
	struct pkt *p = w->copy_room && w->pool.get ? w->pool.get(w->pool.ctx) : NULL;

	if (!p)
		w->ctr[DP_CTR_POOL_EMPTY]++;
	else
		w->copy_room--;
	return p;
}

static inline void dp_drop(struct dp_ctx *c, struct pkt *p, enum dp_ctr why)
{
	c->w->ctr[why]++;
	p->ref = why;
	dp_next(c, p, DPN_DROP);
}

static inline void dp_stat(struct dp_ctx *c, uint32_t slot, uint32_t bytes)
{
	c->stats[2 * slot]++;
	c->stats[2 * slot + 1] += bytes;
}

static inline void dp_stat_n(struct dp_ctx *c, uint32_t slot, struct pkt **p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dp_stat(c, slot, p[i]->len);
}

/* Stages: each takes a vector and sorts every packet onward. */
void dp_stage_ip6(struct dp_ctx *c, struct pkt **p, uint32_t n);
void dp_stage_ip4(struct dp_ctx *c, struct pkt **p, uint32_t n);
void dp_stage_mpls(struct dp_ctx *c, struct pkt **p, uint32_t n);
void dp_stage_nsh(struct dp_ctx *c, struct pkt **p, uint32_t n);
void dp_stage_classify(struct dp_ctx *c, struct pkt **p, uint32_t n);
void dp_stage_sid(struct dp_ctx *c, struct pkt **p, uint32_t n);
void dp_stage_tx(struct dp_ctx *c, struct pkt **p, uint32_t n);

/* Routes an IPv4/IPv6 packet (p->l3) that is neither local nor to be
 * classified: TTL / hop limit, main FIB, multipath. */
void dp_route_ip(struct dp_ctx *c, struct pkt *p);
/* Sends p to the next hop chosen from group nhg by the packet's flow hash. */
void dp_forward_nhg(struct dp_ctx *c, struct pkt *p, uint32_t nhg);
/* Flow hash of the innermost packet, computed once per packet. */
uint32_t dp_pkt_hash(struct pkt *p);
/* Applies the steering policy (its headend behaviour) and sorts p onward. */
void dp_policy_apply(struct dp_ctx *c, struct pkt *p, uint32_t policy);
/* Ingress label push of an SR-MPLS policy, forwarded by the top label. */
int dp_mpls_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol);
/* Ingress NSH push (MD type 1 or 2, flow hash in the metadata). */
int dp_nsh_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol);
/* Strips IP/UDP/VXLAN-GPE from a packet addressed to us (UDP at udp_off). */
int dp_vxlan_gpe_rx(struct dp_ctx *c, struct pkt *p, uint32_t udp_off);

#endif

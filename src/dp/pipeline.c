/* Burst dispatcher, L2 input, IPv4/IPv6 lookup, multipath and transmit. */
#include <errno.h>
#include <stddef.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp/dp.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"
#include "pkt/eth.h"
#include "pkt/flow.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/vxlan_gpe.h"
#include <netinet/in.h>

typedef void (*dp_stage_fn)(struct dp_ctx *c, struct pkt **p, uint32_t n);

/* Non-terminal stages in the order the dispatcher visits them. */
static const dp_stage_fn stages[DPN_TX] = {
	[DPN_IP6] = dp_stage_ip6, [DPN_IP4] = dp_stage_ip4,	      [DPN_MPLS] = dp_stage_mpls,
	[DPN_NSH] = dp_stage_nsh, [DPN_CLASSIFY] = dp_stage_classify, [DPN_SID] = dp_stage_sid,
};

int dp_init(struct dp *dp, uint32_t n_workers)
{
	memset(dp, 0, sizeof(*dp));
	if (!n_workers)
		return -EINVAL;
	dp->workers = calloc(n_workers, sizeof(*dp->workers));
	if (!dp->workers)
		return -ENOMEM;
	dp->n_workers = n_workers;
	for (uint32_t i = 0; i < n_workers; i++) {
		dp->workers[i] = aligned_alloc(64, (sizeof(struct dp_worker) + 63) & ~(size_t)63);
		if (!dp->workers[i]) {
			dp_fini(dp);
			return -ENOMEM;
		}
		dp_worker_init(dp->workers[i], dp, i);
	}
	return 0;
}

void dp_worker_init(struct dp_worker *w, struct dp *dp, uint32_t id)
{
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->dp = dp;
	for (int s = 0; s < DPN_MAX; s++)
		w->vec[s] = w->buf[s];
	w->spare = w->buf[DPN_MAX];
}

void dp_fini(struct dp *dp)
{
	struct dp_tables *t = atomic_load(&dp->tables);

	if (t)
		dp_tables_free(t);
	for (uint32_t i = 0; dp->workers && i < dp->n_workers; i++)
		free(dp->workers[i]);
	free(dp->workers);
	memset(dp, 0, sizeof(*dp));
}

void dp_publish(struct dp *dp, struct dp_tables *t)
{
	struct dp_tables *old;

	t->gen = 1;
	old = atomic_load(&dp->tables);
	if (old)
		t->gen = old->gen + 1;
	/* seq_cst on both sides (here and in dp_begin): either the worker
	 * sees the new set, or we see its odd seq and wait for it */
	old = atomic_exchange(&dp->tables, t);
	if (!old)
		return;
	/* Grace period: a worker inside a burst (odd seq) may still read the
	 * old set; wait until it has left that burst. */
	for (uint32_t i = 0; i < dp->n_workers; i++) {
		uint64_t s = atomic_load(&dp->workers[i]->seq);

		if (!(s & 1))
			continue;
		while (atomic_load_explicit(&dp->workers[i]->seq, memory_order_acquire) == s) {
			struct timespec ts = {0, 20000};

			nanosleep(&ts, NULL);
		}
	}
	dp_tables_free(old);
}

uint64_t dp_ctr_sum(const struct dp *dp, enum dp_ctr c)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < dp->n_workers; i++)
		sum += dp->workers[i]->ctr[c];
	return sum;
}

void dp_stat_sum(const struct dp *dp, uint32_t slot, uint64_t *pkts, uint64_t *bytes)
{
	const struct dp_tables *t = atomic_load(&dp->tables);

	*pkts = *bytes = 0;
	if (!t || slot >= t->n_stat)
		return;
	for (uint32_t i = 0; i < t->n_workers; i++) {
		const uint64_t *row = t->stats + (size_t)i * t->n_stat * 2;

		*pkts += row[2 * slot];
		*bytes += row[2 * slot + 1];
	}
}

uint32_t dp_pkt_hash(struct pkt *p)
{
	struct flow_key k;

	if (p->hash)
		return p->hash;
	if (flow_hash_fast(pkt_data(p), p->len, p->l3, &p->hash) == 0)
		return p->hash;
	if (flow_key_from_l3(pkt_data(p), p->len, p->l3, &k) == 0)
		p->hash = flow_hash(&k, 0);
	else
		p->hash = 1;
	return p->hash;
}

/* RFC 4291 2.5.2/2.5.3/2.5.6/2.7 and RFC 1812 5.3.7 / RFC 6890: sources a
 * router never forwards. DP_CTR_MAX when the source of IP packet p is fine. */
static enum dp_ctr dp_src_check(const struct pkt *p)
{
	const uint8_t *d = pkt_data(p);

	if (p->l3 == PKT_L3_IPV6) {
		const uint8_t *a = d + offsetof(struct ipv6_hdr, src);
		static const uint8_t zero[15];

		if (a[0] == 0xff)
			return DP_CTR_IP6_SRC_MULTICAST;
		if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
			return DP_CTR_IP6_SRC_LINKLOCAL;
		if (!memcmp(a, zero, 15) && a[15] <= 1)
			return a[15] ? DP_CTR_IP6_SRC_LOOPBACK : DP_CTR_IP6_SRC_UNSPEC;
	} else if (p->l3 == PKT_L3_IPV4) {
		const uint8_t *a = d + offsetof(struct ipv4_hdr, saddr);

		if (a[0] == 0)
			return DP_CTR_IP4_SRC_THISNET;
		if (a[0] == 127)
			return DP_CTR_IP4_SRC_LOOPBACK;
		if ((a[0] & 0xf0) == 0xe0)
			return DP_CTR_IP4_SRC_MULTICAST;
		if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
			return DP_CTR_IP4_SRC_BROADCAST;
	}
	return DP_CTR_MAX;
}

/* Every forwarded IP packet passes here (routes, End.X, End.DX4/DX6, PHP),
 * so its source is checked here; a classified packet's source was checked
 * as received, before any encapsulation hid it. */
void dp_forward_nhg(struct dp_ctx *c, struct pkt *p, uint32_t nhg)
{
	const struct dp_nhg *g = &c->t->nhg[nhg];
	uint32_t b = g->first;
	enum dp_ctr why = dp_src_check(p);

	if (why != DP_CTR_MAX) {
		dp_drop(c, p, why);
		return;
	}

	/* multiply-shift maps the 32-bit hash onto [0, n) without a divide */
	if (g->n > 1)
		b += (uint32_t)(((uint64_t)dp_pkt_hash(p) * g->n) >> 32);
	p->nh = c->t->buckets[b];
	p->out_if = c->t->nh[p->nh].oif;
	dp_next(c, p, DPN_TX);
}

/* Undoes the L2 pull so the host stack gets the frame as it came in. */
static void dp_to_host(struct dp_ctx *c, struct pkt *p)
{
	pkt_push(p, p->l2_len);
	p->l2_len = 0;
	c->w->ctr[DP_CTR_HOST]++;
	dp_next(c, p, DPN_HOST);
}

static void dp_input(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		struct eth_info e;

		c->w->ctr[DP_CTR_RX]++;
		p->hash = 0;
		p->passes = 0;
		p->flags = 0;
		p->nh = DP_NONE;
		if (p->in_if < t->n_if)
			dp_stat(c, t->ifs[p->in_if].stat, p->len);
		if (eth_parse(pkt_data(p), p->len, &e) < 0) {
			dp_drop(c, p, DP_CTR_ETH_MALFORMED);
			continue;
		}
		p->vlan = e.vlan;
		p->l2_len = (uint8_t)e.l2_len;
		pkt_pull(p, e.l2_len);
		switch (e.type) {
		case ETH_P_IPV6:
			p->l3 = PKT_L3_IPV6;
			dp_next(c, p, DPN_IP6);
			break;
		case ETH_P_IPV4:
			p->l3 = PKT_L3_IPV4;
			dp_next(c, p, DPN_IP4);
			break;
		case ETH_P_MPLS_UC:
			p->l3 = PKT_L3_MPLS;
			dp_next(c, p, DPN_MPLS);
			break;
		case ETH_P_NSH:
			p->l3 = PKT_L3_NSH;
			dp_next(c, p, DPN_NSH);
			break;
		default:
			p->l3 = PKT_L3_NONE;
			dp_to_host(c, p);
			break;
		}
	}
}

/* The hop limit / TTL is checked before the lookup (an expiring packet
 * counts as expired, not as unroutable) and decremented after it. */
void dp_route_ip(struct dp_ctx *c, struct pkt *p)
{
	const struct dp_tables *t = c->t;
	uint32_t v;

	if (p->l3 == PKT_L3_IPV6) {
		struct ipv6_hdr *ip6 = ipv6_hdr_at(pkt_data(p));

		if (ip6->hop_limit <= 1) {
			dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
			return;
		}
		v = lpm_lookup(&t->fib6[0], &ip6->dst);
		if (v == LPM_MISS) {
			dp_drop(c, p, DP_CTR_IP6_NO_ROUTE);
			return;
		}
		ip6->hop_limit--;
	} else {
		struct ipv4_hdr *ip4 = ipv4_hdr_at(pkt_data(p));

		if (ip4->ttl <= 1) {
			dp_drop(c, p, DP_CTR_IP4_TTL_EXPIRED);
			return;
		}
		v = lpm_lookup(&t->fib4[0], &ip4->daddr);
		if (v == LPM_MISS) {
			dp_drop(c, p, DP_CTR_IP4_NO_ROUTE);
			return;
		}
		ipv4_dec_ttl(ip4);
	}
	dp_forward_nhg(c, p, v);
}

static int dp_take_pass(struct dp_ctx *c, struct pkt *p)
{
	if (++p->passes > DP_PASS_MAX) {
		dp_drop(c, p, DP_CTR_LOOP_LIMIT);
		return -1;
	}
	return 0;
}

static int dp_wants_classify(const struct dp_tables *t, const struct pkt *p)
{
	return t->any_classify && !(p->flags & PKT_F_CLASSIFIED) && p->in_if < t->n_if &&
	       t->ifs[p->in_if].classify;
}

/* To the classifier, unless the source is one no router forwards. */
static void dp_classify_next(struct dp_ctx *c, struct pkt *p)
{
	enum dp_ctr why = dp_src_check(p);

	if (why != DP_CTR_MAX)
		dp_drop(c, p, why);
	else
		dp_next(c, p, DPN_CLASSIFY);
}

void dp_stage_ip6(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		uint8_t *d = pkt_data(p);
		const struct ipv6_hdr *ip6 = ipv6_hdr_at(d);
		uint32_t v, plen;

		if (dp_take_pass(c, p))
			continue;
		if (p->len < IPV6_HDR_LEN || ipv6_version(ip6) != 6 ||
		    (plen = ipv6_payload_len(ip6)) + IPV6_HDR_LEN > p->len) {
			dp_drop(c, p, DP_CTR_IP6_MALFORMED);
			continue;
		}
		pkt_trim(p, plen + IPV6_HDR_LEN); /* Ethernet padding */
		if (t->n_sid && (v = lpm_lookup(&t->sids, &ip6->dst)) != LPM_MISS) {
			/* SR traffic addressed to us is in a chain already */
			p->flags |= PKT_F_CLASSIFIED;
			p->ref = v;
			dp_next(c, p, DPN_SID);
			continue;
		}
		if (t->local6.count && !xhash_get(&t->local6, &ip6->dst, &v)) {
			if (ip6->nexthdr == IPPROTO_UDP && p->len >= IPV6_HDR_LEN + L4_UDP_HLEN &&
			    l4_udp_dport((const void *)(d + IPV6_HDR_LEN)) == VXLAN_GPE_PORT)
				dp_vxlan_gpe_rx(c, p, IPV6_HDR_LEN);
			else
				dp_to_host(c, p);
			continue;
		}
		if (dp_wants_classify(t, p)) {
			dp_classify_next(c, p);
			continue;
		}
		dp_route_ip(c, p);
	}
}

void dp_stage_ip4(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		uint8_t *d = pkt_data(p);
		const struct ipv4_hdr *ip4 = ipv4_hdr_at(d);
		uint32_t v, tot, ihl;

		if (dp_take_pass(c, p))
			continue;
		if (p->len < IPV4_HDR_LEN || ipv4_version(ip4) != 4 ||
		    (ihl = ipv4_hdr_len(ip4)) < IPV4_HDR_LEN ||
		    (tot = ipv4_total_len(ip4)) > p->len || tot < ihl) {
			dp_drop(c, p, DP_CTR_IP4_MALFORMED);
			continue;
		}
		if (!ipv4_csum_ok(ip4)) { /* RFC 1812 5.2.2 */
			dp_drop(c, p, DP_CTR_IP4_BAD_CSUM);
			continue;
		}
		pkt_trim(p, tot);
		if (t->local4.count && !xhash_get(&t->local4, &ip4->daddr, &v)) {
			if (ip4->protocol == IPPROTO_UDP && tot >= ihl + L4_UDP_HLEN &&
			    l4_udp_dport((const void *)(d + ihl)) == VXLAN_GPE_PORT)
				dp_vxlan_gpe_rx(c, p, ihl);
			else
				dp_to_host(c, p);
			continue;
		}
		if (dp_wants_classify(t, p)) {
			dp_classify_next(c, p);
			continue;
		}
		dp_route_ip(c, p);
	}
}

static const uint16_t l3_ethertype[PKT_L3_MAX] = {
	[PKT_L3_IPV4] = ETH_P_IPV4,
	[PKT_L3_IPV6] = ETH_P_IPV6,
	[PKT_L3_MPLS] = ETH_P_MPLS_UC,
	[PKT_L3_NSH] = ETH_P_NSH,
};

/* MAC of a next hop that had none when the tables were built: the
 * neighbour entry of its gateway, or for a connected next hop (family 0)
 * of the packet's own destination. */
static const struct dp_nh *dp_tx_neigh(const struct dp_tables *t, const struct pkt *p,
				       const struct dp_nh *nh)
{
	const uint8_t *a = NULL;
	int fam = nh->family;
	uint8_t key[20] = {0};
	uint32_t v;

	memcpy(key, &p->out_if, 2);
	if (fam) {
		a = nh->addr;
	} else if (p->l3 == PKT_L3_IPV6 && p->len >= IPV6_HDR_LEN) {
		a = ipv6_hdr_at(pkt_data(p))->dst.s6_addr;
		fam = 6;
	} else if (p->l3 == PKT_L3_IPV4 && p->len >= IPV4_HDR_LEN) {
		a = (const uint8_t *)&ipv4_hdr_at(pkt_data(p))->daddr;
		fam = 4;
	} else {
		return NULL;
	}
	memcpy(key + 4, a, fam == 4 ? 4 : 16);
	if (xhash_get(fam == 4 ? &t->neigh4 : &t->neigh6, key, &v))
		return NULL;
	return &t->nh[v];
}

void dp_stage_tx(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		const struct dp_nh *nh = &t->nh[p->nh];
		const struct dp_if *oif;
		uint8_t *d;

		p->out_if = nh->oif;

		if (!nh->has_mac && !(nh = dp_tx_neigh(t, p, nh))) {
			dp_drop(c, p, DP_CTR_NEIGH_UNRESOLVED);
			continue;
		}
		oif = &t->ifs[nh->oif];
		if (p->len > oif->mtu) {
			dp_drop(c, p, DP_CTR_MTU_EXCEEDED);
			continue;
		}
		d = pkt_push(p, sizeof(struct eth_hdr));
		if (!d) {
			dp_drop(c, p, DP_CTR_NO_HEADROOM);
			continue;
		}
		eth_build(d, nh->mac, oif->mac, l3_ethertype[p->l3]);
		dp_stat(c, oif->stat_tx, p->len);
		c->w->ctr[DP_CTR_TX]++;
		c->out->v[DP_OUT_TX][c->out->n[DP_OUT_TX]++] = p;
	}
}

static void dp_move_out(struct dp_ctx *c, enum dp_next from, int to)
{
	struct dp_worker *w = c->w;
	struct dp_out *o = c->out;

	for (uint32_t i = 0; i < w->n[from] && o->n[to] < DP_OUT_MAX; i++)
		o->v[to][o->n[to]++] = w->vec[from][i];
	w->n[from] = 0;
}

/* Hands stage s its vector and gives it an empty one to fill meanwhile
 * (a stage may sort packets back onto itself). */
static void dp_run_stage(struct dp_ctx *c, int s, dp_stage_fn fn)
{
	struct dp_worker *w = c->w;
	struct pkt **in = w->vec[s];
	uint32_t n = w->n[s];

	w->vec[s] = w->spare;
	w->spare = in;
	w->n[s] = 0;
	fn(c, in, n);
}

static void dp_run(struct dp_ctx *c)
{
	struct dp_worker *w = c->w;
	int again;

	do {
		again = 0;
		for (int s = 0; s < DPN_TX; s++) {
			if (!w->n[s])
				continue;
			dp_run_stage(c, s, stages[s]);
			again = 1;
		}
	} while (again);
	if (w->n[DPN_TX])
		dp_run_stage(c, DPN_TX, dp_stage_tx);
	dp_move_out(c, DPN_HOST, DP_OUT_HOST);
	dp_move_out(c, DPN_DROP, DP_OUT_DROP);
}

static int dp_begin(struct dp_worker *w, struct dp_ctx *c, struct dp_out *out)
{
	atomic_fetch_add(&w->seq, 1);
	c->t = atomic_load(&w->dp->tables);
	c->w = w;
	c->out = out;
	out->n[0] = out->n[1] = out->n[2] = 0;
	if (!c->t)
		return -1;
	c->stats = c->t->stats + (size_t)(w->id % c->t->n_workers) * c->t->n_stat * 2;
	return 0;
}

static void dp_end(struct dp_worker *w)
{
	atomic_fetch_add_explicit(&w->seq, 1, memory_order_release);
}

uint32_t dp_process(struct dp_worker *w, struct pkt **pkts, uint32_t n, struct dp_out *out)
{
	struct dp_ctx c;

	if (n > DP_BURST_MAX)
		n = DP_BURST_MAX;
	if (dp_begin(w, &c, out) == 0) {
		w->copy_room = n < DP_OUT_MAX ? DP_OUT_MAX - n : 0;
		dp_input(&c, pkts, n);
		dp_run(&c);
	} else {
		for (uint32_t i = 0; i < n; i++)
			out->v[DP_OUT_HOST][out->n[DP_OUT_HOST]++] = pkts[i];
	}
	dp_end(w);
	return n;
}

uint32_t dp_process_l3(struct dp_worker *w, struct pkt **pkts, uint32_t n, struct dp_out *out)
{
	static const enum dp_next first[PKT_L3_MAX] = {
		[PKT_L3_NONE] = DPN_DROP, [PKT_L3_IPV4] = DPN_IP4, [PKT_L3_IPV6] = DPN_IP6,
		[PKT_L3_MPLS] = DPN_MPLS, [PKT_L3_NSH] = DPN_NSH,
	};
	struct dp_ctx c;

	if (n > DP_BURST_MAX)
		n = DP_BURST_MAX;
	if (dp_begin(w, &c, out) == 0) {
		w->copy_room = n < DP_OUT_MAX ? DP_OUT_MAX - n : 0;
		for (uint32_t i = 0; i < n; i++) {
			struct pkt *p = pkts[i];
			enum dp_next next = first[p->l3 < PKT_L3_MAX ? p->l3 : 0];

			w->ctr[DP_CTR_RX]++;
			p->hash = 0;
			p->passes = 0;
			p->flags = 0;
			p->l2_len = 0;
			if (next == DPN_DROP)
				dp_drop(&c, p, DP_CTR_ETH_UNKNOWN);
			else
				dp_next(&c, p, next);
		}
		dp_run(&c);
	}
	dp_end(w);
	return n;
}

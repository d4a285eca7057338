/* SR-MPLS forwarding (RFC 8660 over RFC 3032): label push at the ingress,
 * and per incoming label pop (local SID), swap, or pop-and-forward (PHP,
 * adjacency SID). TTL follows the uniform model of RFC 3443: the popped
 * label's TTL is carried to what lies below it. */
#include <errno.h>

#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/fn.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/mpls.h"

/* Writes TTL into the IP header below the stack when it is lower there
 * (uniform model at the egress / penultimate hop), keeping the IPv4
 * checksum right. Returns the packet's new L3 type or PKT_L3_NONE. */
static int mpls_ip_payload(struct pkt *p, uint8_t ttl)
{
	uint8_t *d = pkt_data(p);

	/* forwarded as it is by PHP and pop-forward: the IP header must say
	 * the length we send (what lies beyond is Ethernet padding) */
	if (p->len >= IPV4_HDR_LEN && ipv4_version(ipv4_hdr_at(d)) == 4) {
		struct ipv4_hdr *ip4 = ipv4_hdr_at(d);
		uint16_t hl = ipv4_hdr_len(ip4), tl = ipv4_total_len(ip4);

		if (hl < IPV4_HDR_LEN || tl < hl || tl > p->len)
			return PKT_L3_NONE;
		pkt_trim(p, tl);
		if (ttl < ip4->ttl)
			ipv4_set_ttl(ip4, ttl);
		return PKT_L3_IPV4;
	}
	if (p->len >= IPV6_HDR_LEN && ipv6_version(ipv6_hdr_at(d)) == 6) {
		struct ipv6_hdr *ip6 = ipv6_hdr_at(d);

		if (ipv6_payload_len(ip6) + (uint32_t)IPV6_HDR_LEN > p->len)
			return PKT_L3_NONE;
		pkt_trim(p, ipv6_payload_len(ip6) + (uint32_t)IPV6_HDR_LEN);
		if (ttl < ip6->hop_limit)
			ip6->hop_limit = ttl;
		return PKT_L3_IPV6;
	}
	return PKT_L3_NONE;
}

/* Pops the top entry lse; ttl goes to the new top (or the IP payload).
 * Returns 0, or -1 after dropping the packet. */
static int mpls_pop(struct dp_ctx *c, struct pkt *p, be32 lse, uint8_t ttl)
{
	pkt_pull(p, MPLS_HLEN);
	if (!mpls_s(lse)) {
		uint8_t *d = pkt_data(p);
		be32 next;

		if (p->len < MPLS_HLEN) {
			dp_drop(c, p, DP_CTR_MPLS_MALFORMED);
			return -1;
		}
		next = mpls_load(d);
		if (ttl < mpls_ttl(next))
			mpls_store(d, mpls_set_ttl(next, ttl));
		return 0;
	}
	p->l3 = (uint16_t)mpls_ip_payload(p, ttl);
	if (p->l3 == PKT_L3_NONE) {
		dp_drop(c, p, DP_CTR_MPLS_BAD_PAYLOAD);
		return -1;
	}
	return 0;
}

static void mpls_after_pop(struct dp_ctx *c, struct pkt *p)
{
	p->flags |= PKT_F_CLASSIFIED;
	dp_next(c, p, p->l3 == PKT_L3_MPLS ? DPN_MPLS : p->l3 == PKT_L3_IPV4 ? DPN_IP4 : DPN_IP6);
}

/* Swaps the top entry lse to out_label with TTL ttl (TC and S kept) and
 * forwards. */
static void mpls_swap_fwd(struct dp_ctx *c, struct pkt *p, const struct dp_lfib *e, be32 lse,
			  uint8_t ttl)
{
	uint8_t *d = pkt_data(p);
	uint32_t out = e->out_label;

	/* explicit null toward the egress: the value names the family of the
	 * payload (RFC 3032 2.1), which only the packet knows */
	if (out == MPLS_LABEL_IPV4_NULL || out == MPLS_LABEL_IPV6_NULL) {
		struct mpls_info mi;

		if (mpls_walk(d, p->len, &mi) == 0)
			out = mi.payload == MPLS_PAYLOAD_IPV6 ? MPLS_LABEL_IPV6_NULL
							      : MPLS_LABEL_IPV4_NULL;
	}
	mpls_store(d, mpls_entry(out, mpls_tc(lse), mpls_s(lse), ttl));
	dp_forward_nhg(c, p, e->nhg);
}

static void mpls_pop_fwd(struct dp_ctx *c, struct pkt *p, const struct dp_lfib *e, be32 lse,
			 uint8_t ttl)
{
	if (mpls_pop(c, p, lse, ttl) == 0)
		dp_forward_nhg(c, p, e->nhg);
}

/* The label behaviours: the stage has checked the stack, the top entry is
 * at pkt_data(p) and the entry's function has run. */
static void mpls_b_pop(struct dp_ctx *c, const struct dp_lfib *e, struct pkt *p)
{
	be32 lse = mpls_load(pkt_data(p));

	(void)e;
	if (mpls_pop(c, p, lse, mpls_ttl(lse)) == 0)
		mpls_after_pop(c, p);
}

/* TTL of a label that is forwarded (RFC 3032 2.4.1): the incoming one
 * less one, or -1 after dropping a packet whose TTL runs out. */
static int mpls_fwd_ttl(struct dp_ctx *c, struct pkt *p, be32 lse)
{
	if (mpls_ttl(lse) <= 1) {
		dp_drop(c, p, DP_CTR_MPLS_TTL_EXPIRED);
		return -1;
	}
	return mpls_ttl(lse) - 1;
}

static void mpls_b_swap(struct dp_ctx *c, const struct dp_lfib *e, struct pkt *p)
{
	be32 lse = mpls_load(pkt_data(p));
	int ttl = mpls_fwd_ttl(c, p, lse);

	if (ttl >= 0)
		mpls_swap_fwd(c, p, e, lse, (uint8_t)ttl);
}

static void mpls_b_php(struct dp_ctx *c, const struct dp_lfib *e, struct pkt *p)
{
	be32 lse = mpls_load(pkt_data(p));
	int ttl = mpls_fwd_ttl(c, p, lse);

	if (ttl >= 0)
		mpls_pop_fwd(c, p, e, lse, (uint8_t)ttl);
}

void dp_stage_mpls(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		uint8_t *d = pkt_data(p);
		const struct dp_lfib *e;
		uint32_t label, idx;
		be32 lse;

		if (++p->passes > DP_PASS_MAX) {
			dp_drop(c, p, DP_CTR_LOOP_LIMIT);
			continue;
		}
		if (p->passes == 1) {
			/* first look at this stack on this node: insist on a
			 * bottom of stack within the limit (RFC 3032 2.1) */
			struct mpls_info mi;

			if (mpls_walk(d, p->len, &mi) < 0) {
				dp_drop(c, p,
					p->len < MPLS_HLEN ? DP_CTR_MPLS_MALFORMED
							   : DP_CTR_MPLS_BOS_MISSING);
				continue;
			}
		}
		if (p->len < MPLS_HLEN) {
			dp_drop(c, p, DP_CTR_MPLS_MALFORMED);
			continue;
		}
		lse = mpls_load(d);
		label = mpls_label(lse);
		if (label <= MPLS_LABEL_RESERVED_MAX) {
			/* explicit null: pop and process what is below here
			 * (anywhere in the stack, RFC 4182) */
			if (label != MPLS_LABEL_IPV4_NULL && label != MPLS_LABEL_IPV6_NULL)
				dp_drop(c, p, DP_CTR_MPLS_RESERVED_LABEL);
			else if (mpls_pop(c, p, lse, mpls_ttl(lse)) == 0)
				mpls_after_pop(c, p);
			continue;
		}
		idx = t->lfib_idx[label];
		if (!idx) {
			dp_drop(c, p, DP_CTR_MPLS_NO_LABEL);
			continue;
		}
		e = &t->lfib[idx - 1];
		dp_stat(c, e->stat, p->len);
		if (e->vnf != DP_NONE && dp_fn_run(c, e->vnf, &p, 1) == 0)
			continue;
		e->desc->run.label(c, e, p);
	}
}

/* Ingress push (RFC 8660 2): the IP TTL is decremented as the packet is
 * routed and copied into every pushed label (uniform), or the labels get
 * 255 (pipe). The top label is then forwarded by its LFIB entry right
 * here, without a second TTL decrement. Returns 0, or -1 when dropped. */
int dp_mpls_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol)
{
	const struct dp_tables *t = c->t;
	const struct dp_lfib *e;
	uint8_t *d = pkt_data(p), ttl;
	uint32_t idx, top;

	if (p->l3 == PKT_L3_IPV4) {
		struct ipv4_hdr *ip4 = ipv4_hdr_at(d);

		if (ipv4_dec_ttl(ip4)) {
			dp_drop(c, p, DP_CTR_IP4_TTL_EXPIRED);
			return -1;
		}
		ttl = ip4->ttl;
	} else {
		struct ipv6_hdr *ip6 = ipv6_hdr_at(d);

		if (ipv6_dec_hop_limit(ip6)) {
			dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
			return -1;
		}
		ttl = ip6->hop_limit;
	}
	if (pol->ttl_pipe)
		ttl = 255;
	d = pkt_push(p, MPLS_HLEN * pol->n);
	if (!d) {
		dp_drop(c, p, DP_CTR_NO_HEADROOM);
		return -1;
	}
	for (uint32_t i = 0; i < pol->n; i++)
		mpls_store(d + MPLS_HLEN * i, mpls_entry(pol->labels[i], 0, i + 1u == pol->n, ttl));
	p->l3 = PKT_L3_MPLS;
	top = pol->labels[0];
	idx = top <= MPLS_LABEL_MAX ? t->lfib_idx[top] : 0;
	if (!idx) {
		dp_drop(c, p, DP_CTR_MPLS_NO_LABEL);
		return -1;
	}
	e = &t->lfib[idx - 1];
	switch (e->op) {
	case DP_LFIB_POP:
		/* the chain starts at this node (a local function label) */
		dp_next(c, p, DPN_MPLS);
		break;
	case DP_LFIB_SWAP:
		mpls_swap_fwd(c, p, e, mpls_load(d), ttl);
		break;
	default:
		mpls_pop_fwd(c, p, e, mpls_load(d), ttl);
		break;
	}
	return 0;
}

static void mpls_b_push(struct dp_ctx *c, const struct dp_policy *pol, struct pkt *p)
{
	dp_mpls_push(c, p, pol);
}

static int mpls_check_nexthops(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			       const void *entry, struct err *err)
{
	(void)d;
	const struct dp_lfib *e = entry;

	if (e->nhg >= t->n_nhg)
		return err_set(err, EINVAL, "field 'via': label %u needs next hops", e->in_label);
	if (e->op == DP_LFIB_SWAP && e->out_label > MPLS_LABEL_MAX)
		return err_set(err, EINVAL, "field 'swap': %u is not a label", e->out_label);
	return 0;
}

static int mpls_check_pop(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			  const void *entry, struct err *err)
{
	(void)d;
	const struct dp_lfib *e = entry;

	(void)t;
	if (e->nhg != DP_NONE)
		return err_set(err, EINVAL, "field 'via': pop takes no next hops");
	return 0;
}

static int mpls_check_push(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			   const void *entry, struct err *err)
{
	(void)d;
	const struct dp_policy *pol = entry;

	(void)t;
	if (pol->n < 1 || pol->n > DP_LABELS_MAX)
		return err_set(err, EINVAL, "field 'labels': %u labels, not 1-%d", pol->n,
			       DP_LABELS_MAX);
	for (uint32_t i = 0; i < pol->n; i++)
		if (pol->labels[i] > MPLS_LABEL_MAX)
			return err_set(err, EINVAL, "field 'labels': %u is not a label",
				       pol->labels[i]);
	return 0;
}

#define STACK_DROPS DP_CTR_MPLS_MALFORMED, DP_CTR_MPLS_BAD_PAYLOAD, DP_CTR_VNF_DROP

/* Names are RFC 3031's label operations, which the configuration uses;
 * RFC 8660 2 maps them onto the SR operations (NEXT: pop, CONTINUE: swap,
 * PUSH). */
const struct dp_behaviour_desc dp_mpls_behaviours[] = {
	{
		.name = "pop",
		.at = DP_AT_LABEL,
		.id = DP_LFIB_POP,
		.optional = DP_BP_FUNCTION,
		.help = "local SID: pop and process what is below (RFC 8660 2 NEXT)",
		.check = mpls_check_pop,
		.run.label = mpls_b_pop,
		.drops = (const enum dp_ctr[]){STACK_DROPS, DP_CTR_MAX},
	},
	{
		.name = "swap",
		.at = DP_AT_LABEL,
		.id = DP_LFIB_SWAP,
		.required = DP_BP_LABEL | DP_BP_NEXTHOPS,
		.optional = DP_BP_FUNCTION,
		.help = "swap to the outgoing label and forward (RFC 8660 2 CONTINUE)",
		.check = mpls_check_nexthops,
		.run.label = mpls_b_swap,
		.drops = (const enum dp_ctr[]){STACK_DROPS, DP_CTR_MPLS_TTL_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "pop-forward",
		.alias = "adjacency",
		.at = DP_AT_LABEL,
		.id = DP_LFIB_POP_FWD,
		.required = DP_BP_NEXTHOPS,
		.optional = DP_BP_FUNCTION,
		.help = "pop and forward: penultimate hop popping (RFC 3031 3.16), adjacency SID "
			"(RFC 8660 2)",
		.check = mpls_check_nexthops,
		.run.label = mpls_b_php,
		.drops = (const enum dp_ctr[]){STACK_DROPS, DP_CTR_MPLS_TTL_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "PUSH",
		.at = DP_AT_POLICY,
		.id = DP_POL_MPLS,
		.help = "push the policy's label stack, forward by the top label (RFC 8660 2 PUSH)",
		.check = mpls_check_push,
		.run.policy = mpls_b_push,
		.drops = (const enum dp_ctr[]){DP_CTR_IP4_TTL_EXPIRED, DP_CTR_IP6_HLIM_EXPIRED,
					       DP_CTR_NO_HEADROOM, DP_CTR_MPLS_NO_LABEL,
					       DP_CTR_MPLS_MALFORMED, DP_CTR_MPLS_BAD_PAYLOAD,
					       DP_CTR_MAX},
	},
	{.name = NULL},
};

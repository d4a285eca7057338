/* SRv6 decapsulating behaviours (RFC 8986 4.4 End.DX6, 4.5 End.DX4,
 * 4.6 End.DT6, 4.7 End.DT4, 4.8 End.DT46): Segments Left must be 0 (or no SRH), the
 * upper-layer header is the inner packet, which is forwarded to a fixed
 * next hop (DX) or looked up in a table (DT). */
#include <errno.h>

#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/srv6.h"
#include "pkt/ipv4.h"

/* Removes the outer IPv6 header and its extension headers, walked once;
 * the upper-layer protocol must be `want` (IPPROTO_IPIP or IPPROTO_IPV6). */
static int srv6_decap(struct dp_ctx *c, struct pkt *p, struct srv6_chain *h, uint8_t want)
{
	const uint8_t *d;

	if (srv6_chain_walk(p, h)) {
		dp_drop(c, p, DP_CTR_SRV6_SRH_MALFORMED);
		return -1;
	}
	if (h->srh && h->srh->segments_left != 0) {
		dp_drop(c, p, DP_CTR_SRV6_SL_NONZERO);
		return -1;
	}
	if (h->ii.l4_proto != want) {
		dp_drop(c, p, DP_CTR_SRV6_BAD_INNER);
		return -1;
	}
	d = pkt_pull(p, h->ii.l4_off);
	/* the inner header must be sane before anything forwards it, and say
	 * the length we send (as ip6_rcv / ip_rcv check after decapsulation) */
	if (want == IPPROTO_IPV6) {
		const struct ipv6_hdr *ip6 = (const struct ipv6_hdr *)d;

		p->l3 = PKT_L3_IPV6;
		if (p->len < IPV6_HDR_LEN || ipv6_version(ip6) != 6 ||
		    ipv6_payload_len(ip6) + (uint32_t)IPV6_HDR_LEN > p->len) {
			dp_drop(c, p, DP_CTR_SRV6_BAD_INNER);
			return -1;
		}
		pkt_trim(p, ipv6_payload_len(ip6) + (uint32_t)IPV6_HDR_LEN);
	} else {
		const struct ipv4_hdr *ip4 = (const struct ipv4_hdr *)d;

		p->l3 = PKT_L3_IPV4;
		if (p->len < IPV4_HDR_LEN || ipv4_version(ip4) != 4 ||
		    ipv4_hdr_len(ip4) < IPV4_HDR_LEN || ipv4_total_len(ip4) < ipv4_hdr_len(ip4) ||
		    ipv4_total_len(ip4) > p->len) {
			dp_drop(c, p, DP_CTR_SRV6_BAD_INNER);
			return -1;
		}
		pkt_trim(p, ipv4_total_len(ip4));
	}
	return 0;
}

/* Forwards the inner packet by a FIB (End.DT*) or a fixed next hop
 * (End.DX*), decrementing its TTL / hop limit as Linux ip*_forward does. */
static void srv6_inner6(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p, int lookup)
{
	struct ipv6_hdr *ip6 = ipv6_hdr_at(pkt_data(p));
	uint32_t nhg = s->nhg;

	if (lookup) {
		nhg = dp_route_lookup(c->t, s->fib, 6, &ip6->dst);
		if (nhg == DP_NONE) {
			dp_drop(c, p, DP_CTR_IP6_NO_ROUTE);
			return;
		}
	}
	if (ipv6_dec_hop_limit(ip6)) {
		dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
		return;
	}
	dp_forward_nhg(c, p, nhg);
}

static void srv6_inner4(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p, int lookup)
{
	struct ipv4_hdr *ip4 = ipv4_hdr_at(pkt_data(p));
	uint32_t nhg = s->nhg;

	if (lookup) {
		nhg = dp_route_lookup(c->t, s->fib, 4, &ip4->daddr);
		if (nhg == DP_NONE) {
			dp_drop(c, p, DP_CTR_IP4_NO_ROUTE);
			return;
		}
	}
	if (ipv4_dec_ttl(ip4)) {
		dp_drop(c, p, DP_CTR_IP4_TTL_EXPIRED);
		return;
	}
	dp_forward_nhg(c, p, nhg);
}

static void srv6_end_dx6(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			 struct srv6_chain *h)
{
	if (srv6_decap(c, p, h, IPPROTO_IPV6) == 0)
		srv6_inner6(c, s, p, 0);
}

static void srv6_end_dx4(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			 struct srv6_chain *h)
{
	if (srv6_decap(c, p, h, IPPROTO_IPIP) == 0)
		srv6_inner4(c, s, p, 0);
}

static void srv6_end_dt6(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			 struct srv6_chain *h)
{
	if (srv6_decap(c, p, h, IPPROTO_IPV6) == 0)
		srv6_inner6(c, s, p, 1);
}

static void srv6_end_dt4(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			 struct srv6_chain *h)
{
	if (srv6_decap(c, p, h, IPPROTO_IPIP) == 0)
		srv6_inner4(c, s, p, 1);
}

/* End.DT46: the inner family picks the table's IPv4 or IPv6 side. */
static void srv6_end_dt46(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			  struct srv6_chain *h)
{
	uint8_t want = IPPROTO_IPV6;

	if (srv6_chain_walk(p, h) == 0 && h->ii.l4_proto == IPPROTO_IPIP)
		want = IPPROTO_IPIP;
	if (srv6_decap(c, p, h, want) != 0)
		return;
	if (want == IPPROTO_IPV6)
		srv6_inner6(c, s, p, 1);
	else
		srv6_inner4(c, s, p, 1);
}

static int srv6_check_table(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			    const void *entry, struct err *err)
{
	(void)d;
	const struct dp_sid *s = entry;

	if (s->fib >= t->n_fib)
		return err_set(err, EINVAL, "field 'table': no table with index %u", s->fib);
	return 0;
}

#define COMMON (DP_BP_FUNCTION | DP_BP_HMAC)
#define DECAP_DROPS                                                                                \
	DP_CTR_SRV6_SRH_MALFORMED, DP_CTR_SRV6_HMAC_FAIL, DP_CTR_SRV6_SL_NONZERO,                  \
		DP_CTR_SRV6_HMAC_MISSING, DP_CTR_SRV6_HMAC_KEY_UNKNOWN,                            \
		DP_CTR_SRV6_HMAC_DST_MISMATCH, DP_CTR_SRV6_BAD_INNER, DP_CTR_VNF_DROP

const struct dp_behaviour_desc dp_srv6_decap_behaviours[] = {
	{
		.name = "End.DX4",
		.at = DP_AT_SID,
		.id = DP_B_END_DX4,
		.required = DP_BP_NH4,
		.optional = DP_BP_DEV | COMMON,
		.help = "decapsulate, forward the IPv4 packet to a next hop (4.5)",
		.check = srv6_check_nexthop,
		.run.sid = srv6_end_dx4,
		.validate = srv6_validate_decap,
		.drops = (const enum dp_ctr[]){DECAP_DROPS, DP_CTR_IP4_TTL_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "End.DX6",
		.at = DP_AT_SID,
		.id = DP_B_END_DX6,
		.required = DP_BP_NH6,
		.optional = DP_BP_DEV | COMMON,
		.help = "decapsulate, forward the IPv6 packet to a next hop (4.4)",
		.check = srv6_check_nexthop,
		.run.sid = srv6_end_dx6,
		.validate = srv6_validate_decap,
		.drops = (const enum dp_ctr[]){DECAP_DROPS, DP_CTR_IP6_HLIM_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "End.DT4",
		.at = DP_AT_SID,
		.id = DP_B_END_DT4,
		.optional = DP_BP_TABLE | COMMON,
		.help = "decapsulate, look the IPv4 packet up in a table (4.7)",
		.check = srv6_check_table,
		.run.sid = srv6_end_dt4,
		.validate = srv6_validate_decap,
		.drops = (const enum dp_ctr[]){DECAP_DROPS, DP_CTR_IP4_NO_ROUTE,
					       DP_CTR_IP4_TTL_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "End.DT6",
		.at = DP_AT_SID,
		.id = DP_B_END_DT6,
		.optional = DP_BP_TABLE | COMMON,
		.help = "decapsulate, look the IPv6 packet up in a table (4.6)",
		.check = srv6_check_table,
		.run.sid = srv6_end_dt6,
		.validate = srv6_validate_decap,
		.drops = (const enum dp_ctr[]){DECAP_DROPS, DP_CTR_IP6_NO_ROUTE,
					       DP_CTR_IP6_HLIM_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "End.DT46",
		.at = DP_AT_SID,
		.id = DP_B_END_DT46,
		.optional = DP_BP_TABLE | COMMON,
		.help = "decapsulate, look the IPv4 or IPv6 packet up in a table (4.8)",
		.check = srv6_check_table,
		.run.sid = srv6_end_dt46,
		.drops = (const enum dp_ctr[]){DECAP_DROPS, DP_CTR_IP4_NO_ROUTE,
					       DP_CTR_IP6_NO_ROUTE, DP_CTR_IP4_TTL_EXPIRED,
					       DP_CTR_IP6_HLIM_EXPIRED, DP_CTR_MAX},
	},
	{.name = NULL},
};

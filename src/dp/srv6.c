/* SRv6: H.Encaps / H.Encaps.Red at the ingress and the local SID
 * behaviours of RFC 8986 (End, End.X, End.DX4, End.DX6, End.DT4, End.DT6,
 * End.B6.Encaps), with the SRH checks of RFC 8754 4.3.1.
 *
 * Where RFC 8986 and Linux seg6local differ we follow Linux, the peer we
 * interoperate with: the hop limit is decremented when the packet is
 * forwarded (not again when the next SID is local too), and SRH errors are
 * counted drops rather than ICMPv6 Parameter Problems (RFC 8754 4.3.1.1
 * S03, "SHOULD" be sent). */
#include <string.h>

#include "dp/dp.h"
#include "pkt/byteorder.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/srh.h"

#define IP6_HLEN	 40u
#define NH_IPIP		 4
#define NH_IPV6		 41
#define NH_ROUTING	 43
#define SRH_TYPE	 4
#define IP4_DEFAULT_HLIM 64 /* Linux ip6_dst_hoplimit() default */

/* Finds the SRH of the IPv6 packet at d: its offset, or 0 when there is
 * none, or -1 when the extension chain or the SRH is malformed. The common
 * case (SRH right after the fixed header) skips the general walk. */
static int srv6_srh_find(const uint8_t *d, uint32_t len)
{
	struct ipv6_info ii;
	struct srh_info si;
	uint32_t off;

	if (d[6] == NH_ROUTING && len >= IP6_HLEN + 8 && d[IP6_HLEN + 2] == SRH_TYPE) {
		off = IP6_HLEN;
	} else {
		if (ipv6_walk(d, len, &ii) < 0)
			return -1;
		if (!ii.srh_off)
			return 0;
		off = (uint32_t)ii.srh_off;
	}
	if (srh_parse(d + off, len - off, &si) < 0)
		return -1;
	return (int)off;
}

/* Shared by End, End.X, End.B6.Encaps (RFC 8986 4.1 S02-S16): checks the
 * SRH, decrements Segments Left and copies the next segment into the DA. */
static int srv6_advance(struct dp_ctx *c, struct pkt *p)
{
	uint8_t *d = pkt_data(p);
	int off = srv6_srh_find(d, p->len);
	uint8_t *srh, sl;

	if (off <= 0) {
		dp_drop(c, p, off < 0 ? DP_CTR_SRV6_SRH_MALFORMED : DP_CTR_SRV6_NO_SRH);
		return -1;
	}
	srh = d + off;
	sl = srh[3];
	if (sl == 0) {
		dp_drop(c, p, DP_CTR_SRV6_SL_ZERO);
		return -1;
	}
	if (sl > srh[4] + 1u) {
		dp_drop(c, p, DP_CTR_SRV6_SL_INVALID);
		return -1;
	}
	sl--;
	srh[3] = sl;
	memcpy(d + 24, srh + 8 + 16u * sl, 16);
	return 0;
}

/* Decapsulation for End.DX4/DX6/DT4/DT6 (RFC 8986 4.4-4.8): Segments Left
 * must be 0 (or no SRH), the upper-layer header must be `want` (4 or 41);
 * removes the outer IPv6 header and all its extension headers. */
static int srv6_decap(struct dp_ctx *c, struct pkt *p, int want)
{
	uint8_t *d = pkt_data(p);
	struct ipv6_info ii;
	int off = srv6_srh_find(d, p->len);

	if (off < 0 || ipv6_walk(d, p->len, &ii) < 0) {
		dp_drop(c, p, DP_CTR_SRV6_SRH_MALFORMED);
		return -1;
	}
	if (off > 0 && d[off + 3] != 0) {
		dp_drop(c, p, DP_CTR_SRV6_SL_NONZERO);
		return -1;
	}
	if (ii.l4_proto != want) {
		dp_drop(c, p, DP_CTR_SRV6_BAD_INNER);
		return -1;
	}
	pkt_pull(p, (uint32_t)ii.l4_off);
	p->l3 = want == NH_IPV6 ? PKT_L3_IPV6 : PKT_L3_IPV4;
	d = pkt_data(p);
	/* the inner header must be sane before anything forwards it, and
	 * say the length we send (as ip6_rcv / ip_rcv check after decap) */
	if (want == NH_IPV6 ? (p->len < 40 || (d[0] >> 4) != 6 || rd_be16(d + 4) + 40u > p->len)
			    : (p->len < 20 || (d[0] >> 4) != 4 || (d[0] & 0xfu) < 5 ||
			       rd_be16(d + 2) < (d[0] & 0xfu) * 4u || rd_be16(d + 2) > p->len)) {
		dp_drop(c, p, DP_CTR_SRV6_BAD_INNER);
		return -1;
	}
	pkt_trim(p, want == NH_IPV6 ? rd_be16(d + 4) + 40u : rd_be16(d + 2));
	return 0;
}

int dp_srv6_encap(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol)
{
	const uint8_t *in = pkt_data(p);
	uint32_t inner_len = p->len, tc = 0, fl = 0, hlim, add = IP6_HLEN + pol->srh_len;
	uint8_t nh, *d;

	if (p->l3 == PKT_L3_IPV6) {
		uint32_t vtf = rd_be32(in);

		tc = (vtf >> 20) & 0xff;
		if (pol->flowlabel == DP_FLOWLABEL_COPY)
			fl = vtf & 0xfffff;
		hlim = in[7];
		nh = NH_IPV6;
	} else {
		hlim = IP4_DEFAULT_HLIM;
		nh = NH_IPIP;
	}
	if (pol->flowlabel == DP_FLOWLABEL_HASH)
		fl = dp_pkt_hash(p) & 0xfffff;
	if (inner_len + add > 0xffffu + IP6_HLEN) {
		dp_drop(c, p, DP_CTR_MTU_EXCEEDED);
		return -1;
	}
	d = pkt_push(p, add);
	if (!d) {
		dp_drop(c, p, DP_CTR_NO_HEADROOM);
		return -1;
	}
	wr_be32(d, 6u << 28 | tc << 20 | fl);
	wr_be16(d + 4, (uint16_t)(p->len - IP6_HLEN));
	d[7] = (uint8_t)hlim;
	memcpy(d + 8, &pol->src, 16);
	memcpy(d + 24, &pol->first, 16);
	if (pol->srh_len) {
		d[6] = NH_ROUTING;
		memcpy(d + IP6_HLEN, pol->srh, pol->srh_len);
		d[IP6_HLEN] = nh;
	} else {
		d[6] = nh;
	}
	p->l3 = PKT_L3_IPV6;
	return 0;
}

static void srv6_end(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p)
{
	(void)s;
	if (srv6_advance(c, p) == 0)
		dp_next(c, p, DPN_IP6);
}

static void srv6_end_x(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p)
{
	uint8_t *d = pkt_data(p);

	if (srv6_advance(c, p))
		return;
	if (d[7] <= 1) {
		dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
		return;
	}
	d[7]--;
	dp_forward_nhg(c, p, s->nhg);
}

/* Forwards a decapsulated inner packet by a FIB (End.DT*) or a fixed next
 * hop (End.DX*), decrementing its TTL / hop limit as Linux ip*_forward does. */
static void srv6_inner_forward(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p)
{
	uint8_t *d = pkt_data(p);
	uint32_t nhg = s->nhg;

	if (p->l3 == PKT_L3_IPV6) {
		if (s->behaviour == DP_B_END_DT6) {
			nhg = dp_route_lookup(c->t, s->fib, 6, d + 24);
			if (nhg == DP_NONE) {
				dp_drop(c, p, DP_CTR_IP6_NO_ROUTE);
				return;
			}
		}
		if (d[7] <= 1) {
			dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
			return;
		}
		d[7]--;
	} else {
		if (s->behaviour == DP_B_END_DT4) {
			nhg = dp_route_lookup(c->t, s->fib, 4, d + 16);
			if (nhg == DP_NONE) {
				dp_drop(c, p, DP_CTR_IP4_NO_ROUTE);
				return;
			}
		}
		if (ipv4_dec_ttl((struct ipv4_hdr *)(void *)d)) {
			dp_drop(c, p, DP_CTR_IP4_TTL_EXPIRED);
			return;
		}
	}
	dp_forward_nhg(c, p, nhg);
}

static void srv6_end_dx(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p)
{
	int want =
		(s->behaviour == DP_B_END_DX6 || s->behaviour == DP_B_END_DT6) ? NH_IPV6 : NH_IPIP;

	if (srv6_decap(c, p, want) == 0)
		srv6_inner_forward(c, s, p);
}

static void srv6_end_b6_encaps(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p)
{
	if (srv6_advance(c, p))
		return;
	if (dp_srv6_encap(c, p, &c->t->policy[s->policy]))
		return;
	dp_next(c, p, DPN_IP6);
}

/* RFC 8754 2.1.2.1: a SID that requires an HMAC drops packets whose SRH
 * has no HMAC TLV, a key ID other than ours, or a wrong HMAC. */
uint32_t dp_srv6_hmac_check(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;
	uint32_t keep = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		const uint8_t *d = pkt_data(p);
		int off = srv6_srh_find(d, p->len);
		struct srh_info si;

		if (off < 0) {
			dp_drop(c, p, DP_CTR_SRV6_SRH_MALFORMED);
			continue;
		}
		if (!off || !t->srv6_hmac_set || srh_parse(d + off, p->len - (uint32_t)off, &si) ||
		    !si.hmac_off || srh_hmac_key_id(&si) != t->srv6_hmac_key_id ||
		    /* without the D flag the DA must be the active segment */
		    (!srh_hmac_d_flag(&si) &&
		     (si.segments_left >= si.n_segments ||
		      memcmp(d + 24, si.segments + 16u * si.segments_left, 16))) ||
		    srh_hmac_verify_k(&t->srv6_hmac, (const struct in6_addr *)(const void *)(d + 8),
				      d + off, p->len - (uint32_t)off)) {
			dp_drop(c, p, DP_CTR_SRV6_HMAC_FAIL);
			continue;
		}
		pkts[keep++] = p;
	}
	return keep;
}

typedef void (*srv6_fn)(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p);

static const srv6_fn srv6_behaviours[DP_B_MAX] = {
	[DP_B_END] = srv6_end,
	[DP_B_END_X] = srv6_end_x,
	[DP_B_END_DX4] = srv6_end_dx,
	[DP_B_END_DX6] = srv6_end_dx,
	[DP_B_END_DT4] = srv6_end_dx,
	[DP_B_END_DT6] = srv6_end_dx,
	[DP_B_END_B6_ENCAPS] = srv6_end_b6_encaps,
};

/* SID stage: packets whose destination matched a local SID (p->ref).
 * Consecutive packets for the same SID are handled as one group: its
 * function (if any) runs over the group, then the behaviour. */
void dp_stage_sid(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;
	uint32_t i = 0;

	while (i < n) {
		uint32_t ref = pkts[i]->ref, j = i + 1, m;
		const struct dp_sid *s = &t->sid[ref];
		srv6_fn fn = srv6_behaviours[s->behaviour];

		while (j < n && pkts[j]->ref == ref)
			j++;
		for (uint32_t k = i; k < j; k++)
			dp_stat(c, s->stat, pkts[k]->len);
		m = j - i;
		if (s->hmac)
			m = dp_srv6_hmac_check(c, pkts + i, m);
		if (s->vnf != DP_NONE)
			m = dp_vnf_run(c, s->vnf, pkts + i, m);
		for (uint32_t k = 0; k < m; k++)
			fn(c, s, pkts[i + k]);
		i = j;
	}
}

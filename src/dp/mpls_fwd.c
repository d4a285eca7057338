/* SR-MPLS forwarding (RFC 8660 over RFC 3032): label push at the ingress,
 * and per incoming label pop (local SID), swap, or pop-and-forward (PHP,
 * adjacency SID). TTL follows the uniform model of RFC 3443: the popped
 * label's TTL is carried to what lies below it. */
#include <string.h>

#include "dp/dp.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"
#include "pkt/ipv4.h"
#include "pkt/mpls.h"

#define LBL_IPV4_NULL	 0u
#define LBL_IPV6_NULL	 2u
#define LBL_RESERVED_MAX 15u

static inline uint32_t lse_label(uint32_t lse)
{
	return lse >> 12;
}

static inline uint32_t lse_bos(uint32_t lse)
{
	return (lse >> 8) & 1;
}

static inline uint32_t lse_ttl(uint32_t lse)
{
	return lse & 0xff;
}

/* Writes TTL into the IP header below the stack when it is lower there
 * (uniform model at the egress / penultimate hop), keeping the IPv4
 * checksum right. Returns the packet's new L3 type or PKT_L3_NONE. */
static int mpls_ip_payload(struct pkt *p, uint32_t ttl)
{
	uint8_t *d = pkt_data(p);

	/* forwarded as it is by PHP and pop-forward: the IP header must say
	 * the length we send (what lies beyond is Ethernet padding) */
	if (p->len >= 20 && (d[0] >> 4) == 4) {
		if ((d[0] & 0xfu) < 5 || rd_be16(d + 2) < (d[0] & 0xfu) * 4u ||
		    rd_be16(d + 2) > p->len)
			return PKT_L3_NONE;
		pkt_trim(p, rd_be16(d + 2));
		if (ttl < d[8]) {
			csum_replace16(d + 10, (uint16_t)(d[8] << 8 | d[9]),
				       (uint16_t)(ttl << 8 | d[9]));
			d[8] = (uint8_t)ttl;
		}
		return PKT_L3_IPV4;
	}
	if (p->len >= 40 && (d[0] >> 4) == 6) {
		if (rd_be16(d + 4) + 40u > p->len)
			return PKT_L3_NONE;
		pkt_trim(p, rd_be16(d + 4) + 40u);
		if (ttl < d[7])
			d[7] = (uint8_t)ttl;
		return PKT_L3_IPV6;
	}
	return PKT_L3_NONE;
}

/* Pops the top entry; ttl goes to the new top (or the IP payload). Sorts
 * the packet onto `next` if it still has labels, else onto IPv4/IPv6.
 * Returns 0, or -1 after dropping it. */
static int mpls_pop(struct dp_ctx *c, struct pkt *p, uint32_t lse, uint32_t ttl)
{
	pkt_pull(p, 4);
	if (!lse_bos(lse)) {
		uint8_t *d = pkt_data(p);
		uint32_t next;

		if (p->len < 4) {
			dp_drop(c, p, DP_CTR_MPLS_MALFORMED);
			return -1;
		}
		next = rd_be32(d);
		if (ttl < lse_ttl(next))
			wr_be32(d, (next & ~0xffu) | ttl);
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

/* Forwards by an LFIB entry whose TTL handling the caller has done. */
static void mpls_fwd_entry(struct dp_ctx *c, struct pkt *p, const struct dp_lfib *e, uint32_t lse,
			   uint32_t ttl)
{
	uint8_t *d = pkt_data(p);

	if (e->op == DP_LFIB_SWAP) {
		uint32_t out = e->out_label;

		/* explicit null toward the egress: the value names the family of
		 * the payload (RFC 3032 2.1), which only the packet knows */
		if (out == LBL_IPV4_NULL || out == LBL_IPV6_NULL) {
			struct mpls_info mi;

			if (mpls_walk(d, p->len, &mi) == 0)
				out = mi.payload == MPLS_PAYLOAD_IPV6 ? LBL_IPV6_NULL
								      : LBL_IPV4_NULL;
		}
		wr_be32(d, out << 12 | (lse & 0xf00) | ttl);
	} else if (mpls_pop(c, p, lse, ttl)) {
		return;
	}
	dp_forward_nhg(c, p, e->nhg);
}

void dp_stage_mpls(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		uint8_t *d = pkt_data(p);
		const struct dp_lfib *e;
		uint32_t lse, label, idx, ttl;

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
					p->len < 4 ? DP_CTR_MPLS_MALFORMED
						   : DP_CTR_MPLS_BOS_MISSING);
				continue;
			}
		}
		if (p->len < 4) {
			dp_drop(c, p, DP_CTR_MPLS_MALFORMED);
			continue;
		}
		lse = rd_be32(d);
		label = lse_label(lse);
		ttl = lse_ttl(lse);
		if (label <= LBL_RESERVED_MAX) {
			/* explicit null: pop and process what is below here
			 * (anywhere in the stack, RFC 4182) */
			if ((label == LBL_IPV4_NULL || label == LBL_IPV6_NULL) &&
			    mpls_pop(c, p, lse, ttl) == 0)
				mpls_after_pop(c, p);
			else if (label != LBL_IPV4_NULL && label != LBL_IPV6_NULL)
				dp_drop(c, p, DP_CTR_MPLS_RESERVED_LABEL);
			continue;
		}
		idx = t->lfib_idx[label];
		if (!idx) {
			dp_drop(c, p, DP_CTR_MPLS_NO_LABEL);
			continue;
		}
		e = &t->lfib[idx - 1];
		dp_stat(c, e->stat, p->len);
		if (e->vnf != DP_NONE && dp_vnf_run(c, e->vnf, &p, 1) == 0)
			continue;
		if (e->op == DP_LFIB_POP) {
			if (mpls_pop(c, p, lse, ttl) == 0)
				mpls_after_pop(c, p);
			continue;
		}
		if (ttl <= 1) {
			dp_drop(c, p, DP_CTR_MPLS_TTL_EXPIRED);
			continue;
		}
		mpls_fwd_entry(c, p, e, lse, ttl - 1);
	}
}

/* Ingress push (RFC 8660 2): the IP TTL is decremented as the packet is
 * routed and copied into every pushed label (uniform), or the labels get
 * 255 (pipe). The top label is then forwarded by its LFIB entry right
 * here, without a second TTL decrement. */
int dp_mpls_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol)
{
	const struct dp_tables *t = c->t;
	uint8_t *d = pkt_data(p);
	uint32_t ttl, idx, top;

	if (p->l3 == PKT_L3_IPV4) {
		if (ipv4_dec_ttl((struct ipv4_hdr *)(void *)d)) {
			dp_drop(c, p, DP_CTR_IP4_TTL_EXPIRED);
			return -1;
		}
		ttl = d[8];
	} else {
		if (d[7] <= 1) {
			dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
			return -1;
		}
		ttl = --d[7];
	}
	if (pol->ttl_pipe)
		ttl = 255;
	d = pkt_push(p, 4u * pol->n);
	if (!d) {
		dp_drop(c, p, DP_CTR_NO_HEADROOM);
		return -1;
	}
	for (uint32_t i = 0; i < pol->n; i++)
		wr_be32(d + 4 * i, pol->labels[i] << 12 | (i + 1u == pol->n) << 8 | ttl);
	p->l3 = PKT_L3_MPLS;
	top = pol->labels[0];
	idx = top < (1u << 20) ? t->lfib_idx[top] : 0;
	if (!idx) {
		dp_drop(c, p, DP_CTR_MPLS_NO_LABEL);
		return -1;
	}
	if (t->lfib[idx - 1].op == DP_LFIB_POP) {
		/* the chain starts at this node (a local function label) */
		dp_next(c, p, DPN_MPLS);
		return 0;
	}
	mpls_fwd_entry(c, p, &t->lfib[idx - 1], rd_be32(d), ttl);
	return 0;
}

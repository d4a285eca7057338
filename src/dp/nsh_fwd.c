/* NSH service function forwarding (RFC 8300): push at classification,
 * forward by (SPI, SI), hand to a local function and decrement SI, remove
 * at the end of the path; over Ethernet (0x894F) or VXLAN-GPE (UDP 4790).
 *
 *  0                   1                   2                   3
 *  |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 *  |          Service Path Identifier (SPI)        | Service Index |
 */
#include <errno.h>
#include <string.h>

#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/fn.h"
#include "pkt/byteorder.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/nsh.h"
#include "pkt/vxlan_gpe.h"

int dp_nsh_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol)
{
	uint8_t hdr[32], *d;
	int len, np = p->l3 == PKT_L3_IPV4 ? NSH_NP_IPV4 : NSH_NP_IPV6;

	len = nsh_build(hdr, sizeof(hdr), pol->nsh_spi, pol->nsh_si, NSH_TTL_DEFAULT, (uint8_t)np,
			pol->nsh_md_type, dp_pkt_hash(p));
	if (len < 0 || !(d = pkt_push(p, (uint32_t)len))) {
		dp_drop(c, p, DP_CTR_NO_HEADROOM);
		return -1;
	}
	memcpy(d, hdr, (size_t)len);
	p->l3 = PKT_L3_NSH;
	return 0;
}

/* Wraps the NSH packet in IPv4/IPv6 + UDP + VXLAN-GPE toward a remote SFF. */
static int nsh_vxlan_push(struct dp_ctx *c, struct pkt *p, const struct dp_sff *f)
{
	uint32_t ip_len = f->remote_family == 4 ? IPV4_HDR_LEN : IPV6_HDR_LEN;
	uint32_t udp_len = p->len + L4_UDP_HLEN + VXLAN_GPE_HLEN;
	uint8_t *d = pkt_push(p, ip_len + L4_UDP_HLEN + VXLAN_GPE_HLEN);
	struct udp_hdr *udp;

	if (!d) {
		dp_drop(c, p, DP_CTR_NO_HEADROOM);
		return -1;
	}
	udp = (struct udp_hdr *)(void *)(d + ip_len);
	vxlan_gpe_build(d + ip_len + L4_UDP_HLEN, VXLAN_GPE_HLEN, f->vni, VXLAN_GPE_NP_NSH);
	/* source port from the flow hash spreads flows in the underlay */
	udp->sport = h_to_be16((uint16_t)(49152u + (p->hash & 0x3fff)));
	udp->dport = h_to_be16(VXLAN_GPE_PORT);
	udp->len = h_to_be16((uint16_t)udp_len);
	udp->check = 0;
	if (f->remote_family == 4) {
		be32 s, t;

		memcpy(&s, f->local, 4);
		memcpy(&t, f->remote, 4);
		ipv4_build(ipv4_hdr_at(d), 0, (uint16_t)(udp_len + IPV4_HDR_LEN), 0, IPV4_DF, 64,
			   IPPROTO_UDP, s, t);
		p->l3 = PKT_L3_IPV4;
	} else {
		const struct in6_addr *src = (const void *)f->local, *dst = (const void *)f->remote;

		ipv6_build(ipv6_hdr_at(d), 0, 0, (uint16_t)udp_len, IPPROTO_UDP, 64, src, dst);
		/* RFC 8200 8.1: UDP over IPv6 carries a checksum */
		udp->check = h_to_be16(l4_udp_csum_v6(src, dst, udp, udp_len));
		p->l3 = PKT_L3_IPV6;
	}
	return 0;
}

static void nsh_vxlan_route(struct dp_ctx *c, struct pkt *p, const struct dp_sff *f)
{
	uint32_t nhg = dp_route_lookup(c->t, 0, f->remote_family, f->remote);

	if (nhg == DP_NONE) {
		dp_drop(c, p, f->remote_family == 4 ? DP_CTR_IP4_NO_ROUTE : DP_CTR_IP6_NO_ROUTE);
		return;
	}
	dp_forward_nhg(c, p, nhg);
}

int dp_vxlan_gpe_rx(struct dp_ctx *c, struct pkt *p, uint32_t udp_off)
{
	struct vxlan_gpe_info vi;

	uint32_t gpe_off = udp_off + L4_UDP_HLEN;

	if (p->len < gpe_off + VXLAN_GPE_HLEN ||
	    vxlan_gpe_parse(pkt_data(p) + gpe_off, p->len - gpe_off, &vi) < 0 ||
	    vi.next_proto != VXLAN_GPE_NP_NSH) {
		dp_drop(c, p, DP_CTR_VXLAN_MALFORMED);
		return -1;
	}
	pkt_pull(p, gpe_off + VXLAN_GPE_HLEN);
	p->l3 = PKT_L3_NSH;
	dp_next(c, p, DPN_NSH);
	return 0;
}

/* The path entry behaviours: the stage has parsed the NSH (ni) at
 * pkt_data(p). */
static void nsh_b_function(struct dp_ctx *c, const struct dp_sff *f, struct pkt *p,
			   const struct nsh_info *ni)
{
	if (dp_fn_run(c, f->vnf, &p, 1) == 0)
		return;
	if (ni->si == 0) {
		dp_drop(c, p, DP_CTR_NSH_NO_PATH);
		return;
	}
	/* the SF's service index decrement */
	nsh_set_si(nsh_hdr_at(pkt_data(p)), (uint8_t)(ni->si - 1));
	dp_next(c, p, DPN_NSH);
}

/* RFC 8300 2.2: the SFF decrements TTL before forwarding. */
static int nsh_fwd_ttl(struct dp_ctx *c, struct pkt *p)
{
	if (nsh_dec_ttl(nsh_hdr_at(pkt_data(p)))) {
		dp_drop(c, p, DP_CTR_NSH_TTL_EXPIRED);
		return -1;
	}
	return 0;
}

static void nsh_b_forward(struct dp_ctx *c, const struct dp_sff *f, struct pkt *p,
			  const struct nsh_info *ni)
{
	(void)ni;
	if (nsh_fwd_ttl(c, p) == 0)
		dp_forward_nhg(c, p, f->nhg);
}

static void nsh_b_vxlan(struct dp_ctx *c, const struct dp_sff *f, struct pkt *p,
			const struct nsh_info *ni)
{
	(void)ni;
	if (nsh_fwd_ttl(c, p))
		return;
	dp_pkt_hash(p);
	if (nsh_vxlan_push(c, p, f))
		return;
	/* the outer header is ours: routed, not forwarded (its TTL leaves as
	 * built, RFC 1812 5.3.1) */
	nsh_vxlan_route(c, p, f);
}

static void nsh_b_end(struct dp_ctx *c, const struct dp_sff *f, struct pkt *p,
		      const struct nsh_info *ni)
{
	(void)f;
	if (ni->next_proto != NSH_NP_IPV4 && ni->next_proto != NSH_NP_IPV6) {
		dp_drop(c, p, DP_CTR_NSH_BAD_PAYLOAD);
		return;
	}
	pkt_pull(p, ni->hdr_len);
	p->l3 = ni->next_proto == NSH_NP_IPV4 ? PKT_L3_IPV4 : PKT_L3_IPV6;
	p->flags |= PKT_F_CLASSIFIED;
	dp_next(c, p, p->l3 == PKT_L3_IPV4 ? DPN_IP4 : DPN_IP6);
}

void dp_stage_nsh(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		const struct dp_sff *f;
		struct nsh_info ni;
		uint32_t key, idx;

		if (++p->passes > DP_PASS_MAX) {
			dp_drop(c, p, DP_CTR_LOOP_LIMIT);
			continue;
		}
		if (nsh_parse(pkt_data(p), p->len, &ni) < 0) {
			dp_drop(c, p, DP_CTR_NSH_MALFORMED);
			continue;
		}
		/* a packet on a service path is in a chain already */
		p->flags |= PKT_F_CLASSIFIED;
		key = ni.spi << 8 | ni.si;
		if (xhash_get(&t->sff_map, &key, &idx)) {
			dp_drop(c, p, DP_CTR_NSH_NO_PATH);
			continue;
		}
		f = &t->sff[idx];
		dp_stat(c, f->stat, p->len);
		f->desc->run.path(c, f, p, &ni);
	}
}

static void nsh_b_push(struct dp_ctx *c, const struct dp_policy *pol, struct pkt *p)
{
	if (dp_nsh_push(c, p, pol) == 0)
		dp_next(c, p, DPN_NSH);
}

static int nsh_check_function(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			      const void *entry, struct err *err)
{
	(void)d;
	const struct dp_sff *f = entry;

	if (f->vnf >= t->n_vnf)
		return err_set(err, EINVAL, "field 'function': the path entry needs a function");
	return 0;
}

static int nsh_check_forward(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			     const void *entry, struct err *err)
{
	(void)d;
	const struct dp_sff *f = entry;

	if (f->nhg >= t->n_nhg)
		return err_set(err, EINVAL, "field 'via': forward needs next hops");
	return 0;
}

static int nsh_check_vxlan(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			   const void *entry, struct err *err)
{
	(void)d;
	const struct dp_sff *f = entry;

	(void)t;
	if (f->remote_family != 4 && f->remote_family != 6)
		return err_set(err, EINVAL, "field 'remote': vxlan needs a remote address");
	if (f->vni > 0xffffff)
		return err_set(err, EINVAL, "field 'vni': %u is over 24 bits", f->vni);
	return 0;
}

static int nsh_check_push(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			  const void *entry, struct err *err)
{
	(void)d;
	const struct dp_policy *pol = entry;

	(void)t;
	if (pol->nsh_md_type != NSH_MD_TYPE1 && pol->nsh_md_type != NSH_MD_TYPE2)
		return err_set(err, EINVAL, "field 'md': %u is not 1 or 2", pol->nsh_md_type);
	if (pol->nsh_spi > NSH_SPI_MAX)
		return err_set(err, EINVAL, "field 'spi': %u is over 24 bits", pol->nsh_spi);
	return 0;
}

/* Names are the configuration's words for what RFC 8300 has an SFF do with
 * a packet of a known (SPI, SI). */
const struct dp_behaviour_desc dp_nsh_behaviours[] = {
	{
		.name = "function",
		.at = DP_AT_PATH,
		.id = DP_SFF_FUNCTION,
		.required = DP_BP_FUNCTION,
		.help = "hand to a local service function, decrement SI, look up again "
			"(RFC 8300 2.3)",
		.check = nsh_check_function,
		.run.path = nsh_b_function,
		.drops = (const enum dp_ctr[]){DP_CTR_VNF_DROP, DP_CTR_NSH_NO_PATH, DP_CTR_MAX},
	},
	{
		.name = "forward",
		.at = DP_AT_PATH,
		.id = DP_SFF_FWD_ETH,
		.required = DP_BP_NEXTHOPS,
		.help = "decrement TTL, forward over Ethernet to the next SFF (RFC 8300 2.2, 4)",
		.check = nsh_check_forward,
		.run.path = nsh_b_forward,
		.drops = (const enum dp_ctr[]){DP_CTR_NSH_TTL_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "vxlan",
		.at = DP_AT_PATH,
		.id = DP_SFF_FWD_VXLAN,
		.required = DP_BP_REMOTE | DP_BP_LOCAL,
		.optional = DP_BP_VNI,
		.help = "decrement TTL, forward over VXLAN-GPE to a remote SFF (RFC 8300 4)",
		.check = nsh_check_vxlan,
		.run.path = nsh_b_vxlan,
		.drops =
			(const enum dp_ctr[]){DP_CTR_NSH_TTL_EXPIRED, DP_CTR_NO_HEADROOM,
					      DP_CTR_IP4_NO_ROUTE, DP_CTR_IP6_NO_ROUTE, DP_CTR_MAX},
	},
	{
		.name = "end",
		.at = DP_AT_PATH,
		.id = DP_SFF_END,
		.help = "end of the path: remove the NSH, route the inner packet (RFC 8300 2.3)",
		.run.path = nsh_b_end,
		.drops = (const enum dp_ctr[]){DP_CTR_NSH_BAD_PAYLOAD, DP_CTR_MAX},
	},
	{
		.name = "NSH encapsulation",
		.at = DP_AT_POLICY,
		.id = DP_POL_NSH,
		.help = "impose an NSH (MD type 1 or 2, flow hash in the metadata) (RFC 8300 2)",
		.check = nsh_check_push,
		.run.policy = nsh_b_push,
		.drops = (const enum dp_ctr[]){DP_CTR_NO_HEADROOM, DP_CTR_MAX},
	},
	{.name = NULL},
};

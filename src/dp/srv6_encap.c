/* SRv6 headend behaviours (RFC 8986 5.1 H.Encaps, 5.2 H.Encaps.Red): a
 * steered IPv4 or IPv6 packet gets an outer IPv6 header and the policy's
 * prebuilt SRH. */
#include <errno.h>
#include <string.h>

#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/srv6.h"

#define IP4_DEFAULT_HLIM 64 /* Linux ip6_dst_hoplimit() default */

int srv6_encap_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol)
{
	uint32_t tc = 0, fl = 0, hlim, add = IPV6_HDR_LEN + pol->srh_len;
	uint8_t nh, *d;

	if (p->l3 == PKT_L3_IPV6) {
		const struct ipv6_hdr *in = ipv6_hdr_at(pkt_data(p));

		tc = ipv6_tc(in);
		if (pol->flowlabel == DP_FLOWLABEL_COPY)
			fl = ipv6_flow_label(in);
		hlim = in->hop_limit;
		nh = IPPROTO_IPV6;
	} else {
		hlim = IP4_DEFAULT_HLIM;
		nh = IPPROTO_IPIP;
	}
	if (pol->flowlabel == DP_FLOWLABEL_HASH)
		fl = dp_pkt_hash(p) & 0xfffff;
	if (p->len + add > 0xffffu + IPV6_HDR_LEN) {
		dp_drop(c, p, DP_CTR_MTU_EXCEEDED);
		return -1;
	}
	d = pkt_push(p, add);
	if (!d) {
		dp_drop(c, p, DP_CTR_NO_HEADROOM);
		return -1;
	}
	ipv6_build(ipv6_hdr_at(d), (uint8_t)tc, fl, (uint16_t)(p->len - IPV6_HDR_LEN),
		   pol->srh_len ? IPPROTO_ROUTING : nh, (uint8_t)hlim, &pol->src, &pol->first);
	if (pol->srh_len) {
		memcpy(d + IPV6_HDR_LEN, pol->srh, pol->srh_len);
		srh_hdr_at(d + IPV6_HDR_LEN)->nexthdr = nh;
	}
	p->l3 = PKT_L3_IPV6;
	return 0;
}

static void srv6_h_encaps(struct dp_ctx *c, const struct dp_policy *pol, struct pkt *p)
{
	if (srv6_encap_push(c, p, pol) == 0)
		dp_next(c, p, DPN_IP6);
}

/* The policy's SRH was built by srh_build: check what the packet path
 * relies on (a whole header, at most DP_SEGS_MAX segments). */
static int srv6_check_policy(const struct dp_behaviour_desc *d, const struct dp_tables *t,
			     const void *entry, struct err *err)
{
	(void)d;
	const struct dp_policy *pol = entry;
	struct srh_info si;

	(void)t;
	if (pol->n < 1 || pol->n > DP_SEGS_MAX)
		return err_set(err, EINVAL, "field 'segs': %u segments, not 1-%d", pol->n,
			       DP_SEGS_MAX);
	if (pol->srh_len > sizeof(pol->srh) ||
	    (pol->srh_len &&
	     (srh_parse(pol->srh, pol->srh_len, &si) || si.hdr_len != pol->srh_len)))
		return err_set(err, EINVAL, "field 'segs': the policy's SRH is malformed");
	return 0;
}

#define ENCAP_DROPS DP_CTR_MTU_EXCEEDED, DP_CTR_NO_HEADROOM, DP_CTR_MAX

const struct dp_behaviour_desc dp_srv6_encap_behaviours[] = {
	{
		.name = "H.Encaps",
		.at = DP_AT_POLICY,
		.id = DP_POL_SRV6_ENCAPS,
		.help = "push an outer IPv6 header and an SRH with the whole list (RFC 8986 5.1)",
		.check = srv6_check_policy,
		.run.policy = srv6_h_encaps,
		.drops = (const enum dp_ctr[]){ENCAP_DROPS},
	},
	{
		.name = "H.Encaps.Red",
		.at = DP_AT_POLICY,
		.id = DP_POL_SRV6_ENCAPS_RED,
		.help = "the same without the first segment in the SRH, no SRH for one "
			"segment (RFC 8986 5.2)",
		.check = srv6_check_policy,
		.run.policy = srv6_h_encaps,
		.drops = (const enum dp_ctr[]){ENCAP_DROPS},
	},
	{.name = NULL},
};

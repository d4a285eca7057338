/* srbench cases of SRv6 (RFC 8986): H.Encaps and H.Encaps.Red of IPv6 and
 * IPv4 behind the classifier, End, End.X, End.DX6, End.DT6, End.DT4,
 * End.B6.Encaps, and End with a firewall function on the SID. */
#include <string.h>

#include "dp/tables.h"
#include "pkt/eth.h"
#include "srbench.h"

static const struct spec specs[] = {
	{"h.encaps",
	 K_ENCAPS,
	 0,
	 1,
	 {1, 3, 10},
	 "classify + SRv6 H.Encaps (outer IPv6 + SRH) + FIB"},
	{"h.encaps", K_ENCAPS, 1, 1, {1, 3, 10}, "classify + SRv6 H.Encaps of IPv4 + FIB"},
	{"h.encaps.red", K_ENCAPS_RED, 0, 1, {3, 10}, "classify + SRv6 H.Encaps.Red + FIB"},
	{"end", K_END, 0, 0, {3, 10}, "SRv6 End: SID lookup, SL--, DA update, FIB"},
	{"end.x", K_END_X, 0, 0, {3}, "SRv6 End.X: End to a fixed adjacency"},
	{"end.dx6", K_END_DX6, 0, 0, {3}, "SRv6 End.DX6: decapsulate, IPv6 to a fixed next hop"},
	{"end.dt6", K_END_DT6, 0, 0, {3}, "SRv6 End.DT6: decapsulate, IPv6 FIB lookup"},
	{"end.dt4", K_END_DT4, 1, 0, {3}, "SRv6 End.DT4: decapsulate, IPv4 FIB lookup"},
	{"end.b6.encaps", K_END_B6, 0, 0, {3}, "SRv6 End.B6.Encaps: End + new IPv6/SRH (3 SIDs)"},
	{"end+fw10", K_END_FW, 0, 0, {3}, "SRv6 End with a 10-rule firewall function on the SID"},
};

/* The encapsulating cases steer their family to policy eN or rN. */
static void srv6_conf(struct sbuf *b, const struct bcase *c)
{
	const char *fam = c->s->v4 ? "ipv4" : "ipv6";

	sb_printf(b, "classify family %s policy %c%u\n", fam, c->s->kind == K_ENCAPS ? 'e' : 'r',
		  c->segs);
}

static void srv6_build(const struct bcase *c, const struct flow *f, struct pb *in,
		       struct expect *ex)
{
	uint8_t path[16][16], path2[16][16];
	int v4 = c->s->v4, n = c->segs;
	uint8_t inner_nh = v4 ? NH_IPIP : NH_IPV6;
	uint16_t inner_type = v4 ? ETH_P_IPV4 : ETH_P_IPV6;
	struct pb *o = &ex->l3;

	switch (c->s->kind) {
	case K_ENCAPS:
	case K_ENCAPS_RED: {
		int red = c->s->kind == K_ENCAPS_RED;

		node_encaps_path(path, n);
		pb_inner(in, f, v4, c->inner, 64);
		pb_inner(o, f, v4, c->inner, 64);
		o->v4_at = -1; /* the inner packet is not touched */
		if (!red || n > 1)
			pb_srh(o, path, n, red ? n - 2 : n - 1, n - 1, inner_nh);
		pb_ip6(o, node_source6, path[0], (!red || n > 1) ? NH_ROUTING : inner_nh, 63,
		       v4 ? 0 : f->fl);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], inner_type);
		ex->ethertype = ETH_P_IPV6;
		break;
	}
	case K_END:
	case K_END_X:
	case K_END_FW: {
		uint16_t sid = c->s->kind == K_END     ? SID_END
			       : c->s->kind == K_END_X ? SID_END_X
						       : SID_FW;

		node_transit_path(path, n, 0, sid);
		pb_inner(in, f, 0, c->inner, 64);
		pb_srh(in, path, n, n - 1, n - 1, NH_IPV6);
		pb_ip6(in, node_ingress6, path[0], NH_ROUTING, 64, f->fl);
		pb_inner(o, f, 0, c->inner, 64);
		pb_srh(o, path, n, n - 1, n - 2, NH_IPV6);
		pb_ip6(o, node_ingress6, path[1], NH_ROUTING, 63, f->fl);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], ETH_P_IPV6);
		ex->ethertype = ETH_P_IPV6;
		if (c->s->kind == K_END_X)
			ex->ifmask = IFM_A;
		break;
	}
	case K_END_DX6:
	case K_END_DT6:
	case K_END_DT4: {
		uint16_t sid = c->s->kind == K_END_DX6	 ? SID_DX6
			       : c->s->kind == K_END_DT6 ? SID_DT6
							 : SID_DT4;

		node_transit_path(path, n, n - 1, sid);
		pb_inner(in, f, v4, c->inner, 64);
		pb_srh(in, path, n, n - 1, 0, inner_nh);
		pb_ip6(in, node_ingress6, path[n - 1], NH_ROUTING, 64, v4 ? 0 : f->fl);
		pb_inner(o, f, v4, c->inner, 63);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], ETH_P_IPV6);
		ex->ethertype = inner_type;
		if (c->s->kind == K_END_DX6)
			ex->ifmask = IFM_B;
		break;
	}
	case K_END_B6:
		node_transit_path(path, 3, 0, SID_B6);
		node_b6_path(path2, n);
		pb_inner(in, f, 0, c->inner, 64);
		pb_srh(in, path, 3, 2, 2, NH_IPV6);
		pb_ip6(in, node_ingress6, path[0], NH_ROUTING, 64, f->fl);
		pb_inner(o, f, 0, c->inner, 64);
		pb_srh(o, path, 3, 2, 1, NH_IPV6);
		pb_ip6(o, node_ingress6, path[1], NH_ROUTING, 64, f->fl);
		pb_srh(o, path2, n, n - 1, n - 1, NH_IPV6);
		pb_ip6(o, node_source6, path2[0], NH_ROUTING, 63, f->fl);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], ETH_P_IPV6);
		ex->ethertype = ETH_P_IPV6;
		break;
	default:
		break;
	}
}

/* The firewall's last rule (the one the flows match) must count them. */
static uint32_t srv6_stat(const struct bcase *c, const struct dp_tables *t, uint32_t i)
{
	(void)i;
	if (c->s->kind != K_END_FW)
		return DP_NONE;
	for (uint32_t s = 0; s < t->n_stat; s++)
		if (!strcmp(t->stat_name[s], "function fw rule allow proto 17 "
					     "src 2001:db8:1::/48 dport 5000-5999"))
			return s;
	return 0; /* never counts packets: the check fails */
}

const struct family cases_srv6 = {
	.specs = specs,
	.n_specs = sizeof(specs) / sizeof(specs[0]),
	.conf = srv6_conf,
	.build = srv6_build,
	.stat = srv6_stat,
};

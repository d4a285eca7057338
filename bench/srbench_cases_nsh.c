/* srbench cases of NSH (RFC 8300): push of MD type 1 behind the classifier,
 * and the SFF's (SPI, SI) lookup, TTL and forward. */
#include "pkt/eth.h"
#include "pkt/flow.h"
#include "srbench.h"

static const struct spec specs[] = {
	{"nsh-push", K_NSH_PUSH, 1, 1, {0}, "classify + NSH push (MD type 1) + SFF forward"},
	{"nsh-sff", K_NSH_SFF, 1, 0, {0}, "NSH SFF: (SPI, SI) lookup, TTL, forward"},
};

/* nsh-push steers its family to policy n1. */
static void nsh_conf(struct sbuf *b, const struct bcase *c)
{
	sb_printf(b, "classify family %s policy n1\n", c->s->v4 ? "ipv4" : "ipv6");
}

static void nsh_build(const struct bcase *c, const struct flow *f, struct pb *in, struct expect *ex)
{
	int v4 = c->s->v4, push = c->s->kind == K_NSH_PUSH;
	uint16_t inner_type = v4 ? ETH_P_IPV4 : ETH_P_IPV6;
	struct pb *o = &ex->l3;
	uint32_t h;

	pb_inner(in, f, v4, c->inner, 64);
	h = flow_hash_l3(pb_data(in), in->len, v4 ? PKT_L3_IPV4 : PKT_L3_IPV6, 0);
	pb_inner(o, f, v4, c->inner, 64);
	o->v4_at = -1;
	if (!push)
		pb_nsh(in, 100, 254, 63, v4 ? NP_IPV4 : 2, h);
	pb_nsh(o, 100, push ? 255 : 254, 62, v4 ? NP_IPV4 : 2, h);
	pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], push ? inner_type : ETH_P_NSH);
	ex->ethertype = ETH_P_NSH;
}

const struct family cases_nsh = {
	.specs = specs,
	.n_specs = sizeof(specs) / sizeof(specs[0]),
	.conf = nsh_conf,
	.build = nsh_build,
};

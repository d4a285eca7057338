/* srbench cases of SR-MPLS (RFC 8660): push of a 3-label policy behind the
 * classifier, swap of a node SID, pop of our own node SID then swap of the
 * next, and penultimate hop pop to IPv4. */
#include "pkt/eth.h"
#include "srbench.h"

static const struct spec specs[] = {
	{"mpls-push", K_MPLS_PUSH, 1, 1, {3}, "classify + SR-MPLS push of 3 labels + LFIB forward"},
	{"mpls-push", K_MPLS_PUSH, 0, 1, {3}, "classify + SR-MPLS push of 3 labels + LFIB forward"},
	{"mpls-swap", K_MPLS_SWAP, 1, 0, {3}, "SR-MPLS swap of the top label (node SID)"},
	{"mpls-pop", K_MPLS_POP, 1, 0, {3}, "SR-MPLS pop of our node SID, then swap of the next"},
	{"mpls-php", K_MPLS_PHP, 1, 0, {1}, "SR-MPLS penultimate hop pop to IPv4"},
};

/* mpls-push steers its family to policy m3. */
static void mpls_conf(struct sbuf *b, const struct bcase *c)
{
	sb_printf(b, "classify family %s policy m3\n", c->s->v4 ? "ipv4" : "ipv6");
}

static void mpls_build(const struct bcase *c, const struct flow *f, struct pb *in,
		       struct expect *ex)
{
	int v4 = c->s->v4;
	uint16_t inner_type = v4 ? ETH_P_IPV4 : ETH_P_IPV6;
	struct pb *o = &ex->l3;

	switch (c->s->kind) {
	case K_MPLS_PUSH: {
		static const uint32_t lbl[3] = {16001, 16002, 16003};
		static const uint8_t ttl[3] = {63, 63, 63};

		pb_inner(in, f, v4, c->inner, 64);
		pb_inner(o, f, v4, c->inner, 63);
		pb_mpls(o, lbl, ttl, 3);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], inner_type);
		ex->ethertype = ETH_P_MPLS_UC;
		break;
	}
	case K_MPLS_SWAP:
	case K_MPLS_POP: {
		int pop = c->s->kind == K_MPLS_POP;
		const uint32_t lin[3] = {pop ? 16010u : 16001u, pop ? 16001u : 16002u, 16003};
		static const uint8_t tin[3] = {64, 64, 64};
		const uint32_t lout[3] = {16001, pop ? 16003u : 16002u, 16003};
		static const uint8_t tout[3] = {63, 64, 64};

		pb_inner(in, f, v4, c->inner, 64);
		pb_mpls(in, lin, tin, 3);
		pb_inner(o, f, v4, c->inner, 64);
		pb_mpls(o, lout, tout, pop ? 2 : 3);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], ETH_P_MPLS_UC);
		ex->ethertype = ETH_P_MPLS_UC;
		break;
	}
	case K_MPLS_PHP: {
		static const uint32_t lin[1] = {16005};
		static const uint8_t tin[1] = {64};

		pb_inner(in, f, v4, c->inner, 64);
		pb_mpls(in, lin, tin, 1);
		pb_inner(o, f, v4, c->inner, 63);
		pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], ETH_P_MPLS_UC);
		ex->ethertype = inner_type;
		break;
	}
	default:
		break;
	}
}

const struct family cases_mpls = {
	.specs = specs,
	.n_specs = sizeof(specs) / sizeof(specs[0]),
	.conf = mpls_conf,
	.build = mpls_build,
};

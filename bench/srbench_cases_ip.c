/* srbench cases of plain forwarding and the classifier: IPv6 and IPv4
 * through the FIB (LPM, hop limit or TTL + checksum, ECMP), and the
 * classifier's exact 5-tuple rules and prefix + port range rule before
 * forwarding. */
#include <stdio.h>

#include "dp/tables.h"
#include "pkt/eth.h"
#include "srbench.h"

static const struct spec specs[] = {
	{"ip6-fwd", K_IP6_FWD, 0, 0, {0}, "IPv6 forwarding: FIB LPM, hop limit, ECMP, Ethernet"},
	{"ip4-fwd", K_IP4_FWD, 1, 0, {0}, "IPv4 forwarding: LPM in the FIB, TTL + checksum, ECMP"},
	{"cls-exact",
	 K_CLS_EXACT,
	 0,
	 1,
	 {0},
	 "classifier: 5-tuple exact rule among N, then forward"},
	{"cls-exact",
	 K_CLS_EXACT,
	 1,
	 1,
	 {0},
	 "classifier: 5-tuple exact rule among N, then forward"},
	{"cls-prefix",
	 K_CLS_PREFIX,
	 0,
	 1,
	 {0},
	 "classifier: prefix + port range after N exact rules"},
};

static void ip_conf(struct sbuf *b, const struct bcase *c)
{
	char s1[64], s2[64];
	struct flow f;

	/* exact rules: the flows' own 5-tuples (cls-exact) or the same shape
	 * for TCP, which the UDP flows never match (cls-prefix) */
	for (uint32_t k = 0; k < bench_opt.rules; k++) {
		node_flow(k, &f);
		if (c->s->v4)
			sb_printf(b, "classify proto %s src %s/32 dst %s/32", "udp",
				  node_a4(f.src4, s1), node_a4(f.dst4, s2));
		else
			sb_printf(b, "classify proto %s src %s/128 dst %s/128",
				  c->s->kind == K_CLS_EXACT ? "udp" : "tcp", node_a6(f.src6, s1),
				  node_a6(f.dst6, s2));
		sb_printf(b, " sport %u dport %u forward\n", f.sport, f.dport);
	}
	if (c->s->kind == K_CLS_PREFIX)
		sb_printf(b, "classify proto udp src 2001:db8:1::/48 dst 2001:db8:1000::/36 "
			     "dport 5000-5999 forward\n");
}

/* The packet comes out as it went in, one hop older. */
static void ip_build(const struct bcase *c, const struct flow *f, struct pb *in, struct expect *ex)
{
	int v4 = c->s->v4;
	uint16_t inner_type = v4 ? ETH_P_IPV4 : ETH_P_IPV6;

	pb_inner(in, f, v4, c->inner, 64);
	pb_inner(&ex->l3, f, v4, c->inner, 63);
	pb_eth(in, node_if_mac[IF_IN], node_nb_mac[IF_IN], inner_type);
	ex->ethertype = inner_type;
}

/* The rule a flow matches must count it. */
static uint32_t ip_stat(const struct bcase *c, const struct dp_tables *t, uint32_t i)
{
	switch (c->s->kind) {
	case K_CLS_EXACT:
		return t->rule[i % bench_opt.rules].stat;
	case K_CLS_PREFIX:
		return t->rule[bench_opt.rules].stat;
	default:
		return DP_NONE;
	}
}

const struct family cases_ip = {
	.specs = specs,
	.n_specs = sizeof(specs) / sizeof(specs[0]),
	.conf = ip_conf,
	.build = ip_build,
	.stat = ip_stat,
};

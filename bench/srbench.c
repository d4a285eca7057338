/* srbench: data-plane throughput of one behaviour at a time, on one core.
 *
 * Each case builds a whole node configuration (conf_apply: interfaces,
 * neighbours, a FIB of ~1000 routes per family, SIDs, LFIB, policies, NSH
 * path entries, a firewall) plus the classifier lines of the case, and a
 * ring of received frames (4096 flows by default, varying ports and
 * destinations, so flow hashing, ECMP and the FIB see realistic traffic).
 *
 * Every case is validated before it is timed: each frame of the ring goes
 * through dp_process() alone and its output must be byte for byte the
 * packet the behaviour should produce (built here independently from the
 * same parameters), on an allowed interface, with the right MACs; then the
 * ring goes through in bursts and nothing may be dropped. A case that fails
 * is reported as an ERROR, never as a speed.
 *
 * Timed loop, per burst:
 *   rx:  copy the template bytes into the next frame at PKT_HEADROOM (as a
 *        NIC would DMA) and set off/len/in_if;
 *   dp:  dp_process() (from Ethernet, full path);
 *   tx:  read the first byte and length of every output packet.
 * The "null" ceiling does the same rx and tx with a minimal L2/L3 header
 * read instead of dp_process(), on the same templates; every case is
 * reported as a percentage of the null run of its own frame length.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "conf/conf.h"
#include "dp/dp.h"
#include "dp/tables.h"
#include "io/pcap.h"
#include "lib/addr.h"
#include "lib/jsonw.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"
#include "pkt/eth.h"
#include "pkt/flow.h"
#include "pkt/l4.h"

#define FLOWS_MAX   65536u
#define ROUTES_MAX  4096u
#define RULES_MAX   8192u
#define FRAMES_MAX  65536u
#define REPEATS_MAX 15
#define CASES_MAX   128
#define NULLS_MAX   64
#define DUMP_PKTS   8
#define RETRIES_MAX 2

/* Data-plane interface numbering: the order of the interface lines. */
#define IF_IN	 0
#define IF_A	 1
#define IF_B	 2
#define IFM_A	 (1u << IF_A)
#define IFM_B	 (1u << IF_B)
#define IFM_ECMP (IFM_A | IFM_B)

static const uint8_t if_mac[3][6] = {
	{0x02, 0x00, 0x5e, 0x00, 0x00, 0x01},
	{0x02, 0x00, 0x5e, 0x00, 0x00, 0x02},
	{0x02, 0x00, 0x5e, 0x00, 0x00, 0x03},
};
/* Neighbours behind eth1 and eth2; the upstream sender on eth0. */
static const uint8_t nb_mac[3][6] = {
	{0x02, 0x00, 0x5e, 0x00, 0x09, 0x01},
	{0x02, 0x00, 0x5e, 0x00, 0x01, 0x02},
	{0x02, 0x00, 0x5e, 0x00, 0x01, 0x03},
};

/* ---------------------------------------------------------------- cases */

enum kind {
	K_IP6_FWD,
	K_IP4_FWD,
	K_CLS_EXACT,
	K_CLS_PREFIX,
	K_ENCAPS,
	K_ENCAPS_RED,
	K_END,
	K_END_X,
	K_END_DX6,
	K_END_DT6,
	K_END_DT4,
	K_END_B6,
	K_END_FW,
	K_MPLS_PUSH,
	K_MPLS_SWAP,
	K_MPLS_POP,
	K_MPLS_PHP,
	K_NSH_PUSH,
	K_NSH_SFF,
	K_MAX
};

struct spec {
	const char *name;
	enum kind kind;
	uint8_t v4;	 /* inner packet is IPv4 */
	uint8_t segs[3]; /* segment / label counts to run, 0-terminated; {0} = n/a */
	const char *what;
};

static const struct spec specs[] = {
	{"ip6-fwd", K_IP6_FWD, 0, {0}, "IPv6 forwarding: FIB LPM, hop limit, ECMP, Ethernet"},
	{"ip4-fwd", K_IP4_FWD, 1, {0}, "IPv4 forwarding: LPM in the FIB, TTL + checksum, ECMP"},
	{"cls-exact", K_CLS_EXACT, 0, {0}, "classifier: 5-tuple exact rule among N, then forward"},
	{"cls-exact", K_CLS_EXACT, 1, {0}, "classifier: 5-tuple exact rule among N, then forward"},
	{"cls-prefix", K_CLS_PREFIX, 0, {0}, "classifier: prefix + port range after N exact rules"},
	{"h.encaps", K_ENCAPS, 0, {1, 3, 10}, "classify + SRv6 H.Encaps (outer IPv6 + SRH) + FIB"},
	{"h.encaps", K_ENCAPS, 1, {1, 3, 10}, "classify + SRv6 H.Encaps of IPv4 + FIB"},
	{"h.encaps.red", K_ENCAPS_RED, 0, {3, 10}, "classify + SRv6 H.Encaps.Red + FIB"},
	{"end", K_END, 0, {3, 10}, "SRv6 End: SID lookup, SL--, DA update, FIB"},
	{"end.x", K_END_X, 0, {3}, "SRv6 End.X: End to a fixed adjacency"},
	{"end.dx6", K_END_DX6, 0, {3}, "SRv6 End.DX6: decapsulate, IPv6 to a fixed next hop"},
	{"end.dt6", K_END_DT6, 0, {3}, "SRv6 End.DT6: decapsulate, IPv6 FIB lookup"},
	{"end.dt4", K_END_DT4, 1, {3}, "SRv6 End.DT4: decapsulate, IPv4 FIB lookup"},
	{"end.b6.encaps", K_END_B6, 0, {3}, "SRv6 End.B6.Encaps: End + new IPv6/SRH (3 SIDs)"},
	{"end+fw10", K_END_FW, 0, {3}, "SRv6 End with a 10-rule firewall function on the SID"},
	{"mpls-push", K_MPLS_PUSH, 1, {3}, "classify + SR-MPLS push of 3 labels + LFIB forward"},
	{"mpls-push", K_MPLS_PUSH, 0, {3}, "classify + SR-MPLS push of 3 labels + LFIB forward"},
	{"mpls-swap", K_MPLS_SWAP, 1, {3}, "SR-MPLS swap of the top label (node SID)"},
	{"mpls-pop", K_MPLS_POP, 1, {3}, "SR-MPLS pop of our node SID, then swap of the next"},
	{"mpls-php", K_MPLS_PHP, 1, {1}, "SR-MPLS penultimate hop pop to IPv4"},
	{"nsh-push", K_NSH_PUSH, 1, {0}, "classify + NSH push (MD type 1) + SFF forward"},
	{"nsh-sff", K_NSH_SFF, 1, {0}, "NSH SFF: (SPI, SI) lookup, TTL, forward"},
};

struct bcase {
	const struct spec *s;
	uint8_t segs;
	uint16_t inner; /* bytes of the inner IP packet */
	uint16_t burst; /* 0: the default burst */
};

/* ------------------------------------------------------------- options */

struct opts {
	double seconds, warmup, min_cpu;
	int cpu, json, repeats, list, verbose, no_null, single_burst;
	uint32_t flows, burst, frames, routes, rules;
	char *filter;
	const char *dump;
	int sizes;     /* bit 0: 64, bit 1: 512 */
	uint32_t segs; /* 0: every count */
	int family;    /* 0 any, 4, 6 */
};

static struct opts opt = {
	.seconds = 1.0,
	.warmup = 0.2,
	.min_cpu = 0.9,
	.cpu = -1,
	.repeats = 3,
	.flows = 4096,
	.burst = 32,
	.frames = 1024,
	.routes = 1000,
	.rules = 1000,
	.sizes = 3,
};

/* ---------------------------------------------------- addresses, flows */

/* Prefix lengths of the filler routes, cycled: mostly /48 (/24), a few
 * longer and shorter ones and host routes, as in a provider edge FIB. */
static const uint8_t lens6[16] = {48, 48, 48, 48, 48, 48, 48, 48, 56, 56, 64, 64, 44, 40, 128, 128};
static const uint8_t lens4[16] = {24, 24, 24, 24, 24, 24, 24, 24, 24, 23, 22, 20, 16, 28, 32, 32};

/* 2001:db8:BLOCK::ID */
static void addr6(uint8_t a[16], uint16_t block, uint16_t id)
{
	memset(a, 0, 16);
	a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
	wr_be16(a + 4, block);
	wr_be16(a + 14, id);
}

/* Filler route r: 2001:db8:(0x1000 + r)::/len, lengths in realistic mix. */
static int route6(uint32_t r, uint8_t a[16])
{
	int len = lens6[r % 16];

	addr6(a, (uint16_t)(0x1000 + r), len == 128 ? 1 : 0);
	return len;
}

/* 10.(r >> 8).(r & 255).0/len (in-memory only, never on a wire). */
static int route4(uint32_t r, uint8_t a[4])
{
	int len = lens4[r % 16];

	a[0] = 10, a[1] = (uint8_t)(r >> 8), a[2] = (uint8_t)r, a[3] = len == 32 ? 1 : 0;
	return len;
}

struct flow {
	uint8_t src6[16], dst6[16], src4[4], dst4[4];
	uint16_t sport, dport, id;
	uint32_t fl; /* IPv6 flow label */
};

static void flow_make(uint32_t i, struct flow *f)
{
	uint32_t r = i % opt.routes;
	int len;

	memset(f, 0, sizeof(*f));
	addr6(f->src6, 0x0001, (uint16_t)(1 + i % 200));
	f->src4[0] = 198, f->src4[1] = 51, f->src4[2] = 100, f->src4[3] = (uint8_t)(1 + i % 200);
	len = route6(r, f->dst6);
	if (len < 128)
		wr_be32(f->dst6 + 12, 0x10000u + i);
	len = route4(r, f->dst4);
	if (len == 28)
		f->dst4[3] = (uint8_t)(1 + i % 14);
	else if (len < 28)
		f->dst4[3] = (uint8_t)(1 + i % 254);
	f->sport = (uint16_t)(1024 + i % 64000);
	f->dport = (uint16_t)(5000 + (i * 7) % 64);
	f->id = (uint16_t)i;
	f->fl = ((i + 1) * 2654435761u >> 12) & 0xfffff;
	if (!f->fl)
		f->fl = 1;
}

/* Segment lists. Our SIDs live in 2001:db8:aa::/48, the other nodes' in
 * 2001:db8:bb::/48 (routed over eth1 + eth2), the ingress is ee::1. */
#define BLK_US	  0x00aa
#define BLK_OTHER 0x00bb
#define SID_END	  1
#define SID_END_X 2
#define SID_DX6	  3
#define SID_DT6	  4
#define SID_B6	  5
#define SID_FW	  6
#define SID_DT4	  7

static void encaps_path(uint8_t path[][16], int n)
{
	for (int k = 0; k < n; k++)
		addr6(path[k], BLK_OTHER, (uint16_t)(0x21 + k));
}

static void b6_path(uint8_t path[][16], int n)
{
	for (int k = 0; k < n; k++)
		addr6(path[k], BLK_OTHER, (uint16_t)(0x31 + k));
}

/* A path through this node: other nodes' SIDs, ours (sid) at position us. */
static void transit_path(uint8_t path[][16], int n, int us, uint16_t sid)
{
	for (int k = 0; k < n; k++)
		addr6(path[k], BLK_OTHER, (uint16_t)(2 + k));
	addr6(path[us], BLK_US, sid);
}

/* --------------------------------------------------------------- config */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap * 2 + (size_t)n + 256;
		b->s = realloc(b->s, b->cap);
		if (!b->s) {
			fprintf(stderr, "srbench: out of memory\n");
			exit(2);
		}
	}
	b->len += (size_t)n;
}

static const char *a6(const uint8_t a[16], char *buf)
{
	return addr_fmt(6, a, buf, 64);
}

static const char *a4(const uint8_t a[4], char *buf)
{
	return addr_fmt(4, a, buf, 64);
}

#define NH6 "via 2001:db8:ff:2::2 dev eth1 via 2001:db8:ff:3::2 dev eth2"
#define NH4 "via 192.0.2.66 dev eth1 via 192.0.2.130 dev eth2"

static void seglist(struct sbuf *b, uint8_t path[][16], int n)
{
	char s[64];

	for (int k = 0; k < n; k++)
		sb_printf(b, "%s%s", k ? "," : "", a6(path[k], s));
}

/* The node every case runs on; the case adds its classifier lines. */
static void conf_node(struct sbuf *b, int classify)
{
	uint8_t a[16], path[16][16];
	char s[64];

	sb_printf(b,
		  "interface eth0 mac 02:00:5e:00:00:01 addr 2001:db8:ff:1::1/64 "
		  "addr 192.0.2.1/26%s\n",
		  classify ? " classify" : "");
	sb_printf(b, "interface eth1 mac 02:00:5e:00:00:02 addr 2001:db8:ff:2::1/64 "
		     "addr 192.0.2.65/26\n");
	sb_printf(b, "interface eth2 mac 02:00:5e:00:00:03 addr 2001:db8:ff:3::1/64 "
		     "addr 192.0.2.129/26\n");
	sb_printf(b, "neighbor eth1 2001:db8:ff:2::2 mac 02:00:5e:00:01:02\n"
		     "neighbor eth2 2001:db8:ff:3::2 mac 02:00:5e:00:01:03\n"
		     "neighbor eth1 192.0.2.66 mac 02:00:5e:00:01:02\n"
		     "neighbor eth2 192.0.2.130 mac 02:00:5e:00:01:03\n"
		     "srv6 source 2001:db8:ff::1\n"
		     "route 2001:db8:bb::/48 " NH6 "\n"
		     "route 192.0.2.192/26 " NH4 "\n");
	for (uint32_t r = 0; r < opt.routes; r++) {
		int len = route6(r, a);

		sb_printf(b, "route %s/%d " NH6 "\n", a6(a, s), len);
	}
	for (uint32_t r = 0; r < opt.routes; r++) {
		int len = route4(r, a);

		sb_printf(b, "route %s/%d " NH4 "\n", a4(a, s), len);
	}
	sb_printf(b, "mpls srgb 16000 23999\n"
		     "mpls node-sid 192.0.2.1/32 index 10\n"
		     "mpls node-sid 192.0.2.201/32 index 1\n"
		     "mpls node-sid 192.0.2.202/32 index 2\n"
		     "mpls node-sid 192.0.2.203/32 index 3\n"
		     "mpls node-sid 192.0.2.205/32 index 5 php\n");
	/* ten rules; only the last matches the benchmark's flows */
	sb_printf(b, "function fw firewall default deny\n"
		     "function fw rule deny proto tcp dport 22\n"
		     "function fw rule deny proto tcp dport 23\n"
		     "function fw rule deny src 2001:db8:dead::/48\n"
		     "function fw rule deny dst 2001:db8:dead::/48\n"
		     "function fw rule deny proto udp dport 53\n"
		     "function fw rule deny proto udp sport 1-1023\n"
		     "function fw rule allow proto tcp dport 80\n"
		     "function fw rule allow proto tcp dport 443\n"
		     "function fw rule deny proto gre\n"
		     "function fw rule allow proto udp src 2001:db8:1::/48 dport 5000-5999\n");
	/* e1, e3, e10: H.Encaps policies; r1, r3, r10: H.Encaps.Red */
	for (int k = 0; k < 3; k++) {
		int n = (int[]){1, 3, 10}[k];

		encaps_path(path, n);
		sb_printf(b, "policy e%d srv6 segs ", n);
		seglist(b, path, n);
		sb_printf(b, "\npolicy r%d srv6 encaps.red segs ", n);
		seglist(b, path, n);
		sb_printf(b, "\n");
	}
	b6_path(path, 3);
	sb_printf(b, "policy b6 srv6 segs ");
	seglist(b, path, 3);
	sb_printf(b, "\npolicy m3 mpls labels 16001,16002,16003\n"
		     "policy n1 nsh spi 100 si 255\n"
		     "sid 2001:db8:aa::1/128 End\n"
		     "sid 2001:db8:aa::2/128 End.X nh6 2001:db8:ff:2::2\n"
		     "sid 2001:db8:aa::3/128 End.DX6 nh6 2001:db8:ff:3::2\n"
		     "sid 2001:db8:aa::4/128 End.DT6\n"
		     "sid 2001:db8:aa::5/128 End.B6.Encaps policy b6\n"
		     "sid 2001:db8:aa::6/128 End function fw\n"
		     "sid 2001:db8:aa::7/128 End.DT4\n"
		     "nsh spi 100 si 255 forward " NH6 "\n"
		     "nsh spi 100 si 254 forward " NH6 "\n");
}

static int case_classifies(const struct bcase *c)
{
	switch (c->s->kind) {
	case K_CLS_EXACT:
	case K_CLS_PREFIX:
	case K_ENCAPS:
	case K_ENCAPS_RED:
	case K_MPLS_PUSH:
	case K_NSH_PUSH:
		return 1;
	default:
		return 0;
	}
}

/* Flows in the ring: the exact-match classifier has one flow per rule. */
static uint32_t case_flows(const struct bcase *c)
{
	return c->s->kind == K_CLS_EXACT && opt.rules < opt.flows ? opt.rules : opt.flows;
}

static void conf_case(struct sbuf *b, const struct bcase *c)
{
	const char *fam = c->s->v4 ? "ipv4" : "ipv6";
	char s1[64], s2[64];
	struct flow f;

	conf_node(b, case_classifies(c));
	switch (c->s->kind) {
	case K_CLS_EXACT:
	case K_CLS_PREFIX:
		/* exact rules: the flows' own 5-tuples (cls-exact) or the same
		 * shape for TCP, which the UDP flows never match (cls-prefix) */
		for (uint32_t k = 0; k < opt.rules; k++) {
			flow_make(k, &f);
			if (c->s->v4)
				sb_printf(b, "classify proto %s src %s/32 dst %s/32", "udp",
					  a4(f.src4, s1), a4(f.dst4, s2));
			else
				sb_printf(b, "classify proto %s src %s/128 dst %s/128",
					  c->s->kind == K_CLS_EXACT ? "udp" : "tcp", a6(f.src6, s1),
					  a6(f.dst6, s2));
			sb_printf(b, " sport %u dport %u forward\n", f.sport, f.dport);
		}
		if (c->s->kind == K_CLS_PREFIX)
			sb_printf(b,
				  "classify proto udp src 2001:db8:1::/48 dst 2001:db8:1000::/36 "
				  "dport 5000-5999 forward\n");
		break;
	case K_ENCAPS:
		sb_printf(b, "classify family %s policy e%u\n", fam, c->segs);
		break;
	case K_ENCAPS_RED:
		sb_printf(b, "classify family %s policy r%u\n", fam, c->segs);
		break;
	case K_MPLS_PUSH:
		sb_printf(b, "classify family %s policy m3\n", fam);
		break;
	case K_NSH_PUSH:
		sb_printf(b, "classify family %s policy n1\n", fam);
		break;
	default:
		break;
	}
	if (case_classifies(c))
		sb_printf(b, "classify default drop\n");
}

/* ------------------------------------------------------ packet building */

#define PB_CAP	 4096u
#define PB_START 2048u

/* A packet built from the inside out, as an encapsulating node would. */
struct pb {
	uint32_t off, len;
	uint8_t b[PB_CAP];
	int v4_at; /* offset from the start of an IPv4 header whose checksum the
		    * data plane updates incrementally; -1 if none */
};

static uint8_t *pb_push(struct pb *p, uint32_t n)
{
	p->off -= n;
	p->len += n;
	if (p->v4_at >= 0)
		p->v4_at += (int)n;
	return p->b + p->off;
}

static const uint8_t *pb_data(const struct pb *p)
{
	return p->b + p->off;
}

static void pb_inner(struct pb *p, const struct flow *f, int v4, uint32_t size, uint8_t ttl)
{
	uint8_t *d, *udp;
	uint32_t l4 = size - (v4 ? 20u : 40u);

	p->off = PB_START;
	p->len = size;
	p->v4_at = v4 ? 0 : -1;
	d = p->b + p->off;
	memset(d, 0, size);
	if (v4) {
		be32 s, t;

		d[0] = 0x45;
		wr_be16(d + 2, (uint16_t)size);
		wr_be16(d + 4, f->id);
		wr_be16(d + 6, 0x4000); /* DF */
		d[8] = ttl;
		d[9] = IPPROTO_UDP;
		memcpy(d + 12, f->src4, 4);
		memcpy(d + 16, f->dst4, 4);
		wr_be16(d + 10, csum_fold(csum_partial(d, 20, 0)));
		udp = d + 20;
		wr_be16(udp, f->sport);
		wr_be16(udp + 2, f->dport);
		wr_be16(udp + 4, (uint16_t)l4);
		for (uint32_t k = 8; k < l4; k++)
			udp[k] = (uint8_t)(f->id + k);
		memcpy(&s, f->src4, 4);
		memcpy(&t, f->dst4, 4);
		wr_be16(udp + 6, l4_udp_csum_v4(s, t, udp, l4));
	} else {
		wr_be32(d, 6u << 28 | f->fl);
		wr_be16(d + 4, (uint16_t)l4);
		d[6] = IPPROTO_UDP;
		d[7] = ttl;
		memcpy(d + 8, f->src6, 16);
		memcpy(d + 24, f->dst6, 16);
		udp = d + 40;
		wr_be16(udp, f->sport);
		wr_be16(udp + 2, f->dport);
		wr_be16(udp + 4, (uint16_t)l4);
		for (uint32_t k = 8; k < l4; k++)
			udp[k] = (uint8_t)(f->id + k);
		wr_be16(udp + 6,
			l4_udp_csum_v6((const struct in6_addr *)(const void *)f->src6,
				       (const struct in6_addr *)(const void *)f->dst6, udp, l4));
	}
}

/* SRH with Segment List[i] = path[n - 1 - i] for i <= last_entry. */
static void pb_srh(struct pb *p, uint8_t path[][16], int n, int last_entry, int sl, uint8_t nh)
{
	uint8_t *d = pb_push(p, 8u + 16u * (uint32_t)(last_entry + 1));

	d[0] = nh;
	d[1] = (uint8_t)(2 * (last_entry + 1));
	d[2] = 4;
	d[3] = (uint8_t)sl;
	d[4] = (uint8_t)last_entry;
	d[5] = d[6] = d[7] = 0;
	for (int i = 0; i <= last_entry; i++)
		memcpy(d + 8 + 16 * i, path[n - 1 - i], 16);
}

static void pb_ip6(struct pb *p, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		   uint8_t hlim, uint32_t fl)
{
	uint32_t plen = p->len;
	uint8_t *d = pb_push(p, 40);

	wr_be32(d, 6u << 28 | fl);
	wr_be16(d + 4, (uint16_t)plen);
	d[6] = nh;
	d[7] = hlim;
	memcpy(d + 8, src, 16);
	memcpy(d + 24, dst, 16);
}

static void pb_mpls(struct pb *p, const uint32_t *label, const uint8_t *ttl, int n)
{
	uint8_t *d = pb_push(p, 4u * (uint32_t)n);

	for (int i = 0; i < n; i++)
		wr_be32(d + 4 * i, label[i] << 12 | (uint32_t)(i == n - 1) << 8 | ttl[i]);
}

/* NSH MD type 1 (RFC 8300 2.4): 24 bytes, flow hash in the first context word. */
static void pb_nsh(struct pb *p, uint32_t spi, uint8_t si, uint8_t ttl, uint8_t np, uint32_t hash)
{
	uint8_t *d = pb_push(p, 24);

	wr_be16(d, (uint16_t)(ttl << 6 | 6));
	d[2] = 1;
	d[3] = np;
	wr_be32(d + 4, spi << 8 | si);
	memset(d + 8, 0, 16);
	wr_be32(d + 8, hash);
}

static void pb_eth(struct pb *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	eth_build(pb_push(p, ETH_HLEN), dst, src, type);
}

/* What the data plane must send for one received frame. */
struct expect {
	struct pb l3; /* the packet after the Ethernet header */
	uint16_t ethertype;
	uint16_t ifmask; /* allowed output interfaces */
};

#define NP_IPV4	   1
#define NH_IPIP	   4
#define NH_IPV6	   41
#define NH_ROUTING 43

/* Builds the received frame `in` for flow i and what must come out. */
static void build_case(const struct bcase *c, uint32_t i, struct pb *in, struct expect *ex)
{
	uint8_t path[16][16], path2[16][16], src_in[16], src_node[16];
	int v4 = c->s->v4, n = c->segs;
	uint8_t inner_nh = v4 ? NH_IPIP : NH_IPV6;
	uint16_t inner_type = v4 ? ETH_P_IPV4 : ETH_P_IPV6;
	struct pb *o = &ex->l3;
	struct flow f;

	flow_make(i, &f);
	addr6(src_in, 0x00ee, 1);
	memcpy(src_node, (const uint8_t[16]){0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff, [15] = 1}, 16);
	ex->ifmask = IFM_ECMP;
	switch (c->s->kind) {
	case K_IP6_FWD:
	case K_IP4_FWD:
	case K_CLS_EXACT:
	case K_CLS_PREFIX:
		pb_inner(in, &f, v4, c->inner, 64);
		pb_inner(o, &f, v4, c->inner, 63);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], inner_type);
		ex->ethertype = inner_type;
		break;
	case K_ENCAPS:
	case K_ENCAPS_RED: {
		int red = c->s->kind == K_ENCAPS_RED;

		encaps_path(path, n);
		pb_inner(in, &f, v4, c->inner, 64);
		pb_inner(o, &f, v4, c->inner, 64);
		o->v4_at = -1; /* the inner packet is not touched */
		if (!red || n > 1)
			pb_srh(o, path, n, red ? n - 2 : n - 1, n - 1, inner_nh);
		pb_ip6(o, src_node, path[0], (!red || n > 1) ? NH_ROUTING : inner_nh, 63,
		       v4 ? 0 : f.fl);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], inner_type);
		ex->ethertype = ETH_P_IPV6;
		break;
	}
	case K_END:
	case K_END_X:
	case K_END_FW: {
		uint16_t sid = c->s->kind == K_END     ? SID_END
			       : c->s->kind == K_END_X ? SID_END_X
						       : SID_FW;

		transit_path(path, n, 0, sid);
		pb_inner(in, &f, 0, c->inner, 64);
		pb_srh(in, path, n, n - 1, n - 1, NH_IPV6);
		pb_ip6(in, src_in, path[0], NH_ROUTING, 64, f.fl);
		pb_inner(o, &f, 0, c->inner, 64);
		pb_srh(o, path, n, n - 1, n - 2, NH_IPV6);
		pb_ip6(o, src_in, path[1], NH_ROUTING, 63, f.fl);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], ETH_P_IPV6);
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

		transit_path(path, n, n - 1, sid);
		pb_inner(in, &f, v4, c->inner, 64);
		pb_srh(in, path, n, n - 1, 0, inner_nh);
		pb_ip6(in, src_in, path[n - 1], NH_ROUTING, 64, v4 ? 0 : f.fl);
		pb_inner(o, &f, v4, c->inner, 63);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], ETH_P_IPV6);
		ex->ethertype = inner_type;
		if (c->s->kind == K_END_DX6)
			ex->ifmask = IFM_B;
		break;
	}
	case K_END_B6:
		transit_path(path, 3, 0, SID_B6);
		b6_path(path2, n);
		pb_inner(in, &f, 0, c->inner, 64);
		pb_srh(in, path, 3, 2, 2, NH_IPV6);
		pb_ip6(in, src_in, path[0], NH_ROUTING, 64, f.fl);
		pb_inner(o, &f, 0, c->inner, 64);
		pb_srh(o, path, 3, 2, 1, NH_IPV6);
		pb_ip6(o, src_in, path[1], NH_ROUTING, 64, f.fl);
		pb_srh(o, path2, n, n - 1, n - 1, NH_IPV6);
		pb_ip6(o, src_node, path2[0], NH_ROUTING, 63, f.fl);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], ETH_P_IPV6);
		ex->ethertype = ETH_P_IPV6;
		break;
	case K_MPLS_PUSH: {
		static const uint32_t lbl[3] = {16001, 16002, 16003};
		static const uint8_t ttl[3] = {63, 63, 63};

		pb_inner(in, &f, v4, c->inner, 64);
		pb_inner(o, &f, v4, c->inner, 63);
		pb_mpls(o, lbl, ttl, 3);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], inner_type);
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

		pb_inner(in, &f, v4, c->inner, 64);
		pb_mpls(in, lin, tin, 3);
		pb_inner(o, &f, v4, c->inner, 64);
		pb_mpls(o, lout, tout, pop ? 2 : 3);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], ETH_P_MPLS_UC);
		ex->ethertype = ETH_P_MPLS_UC;
		break;
	}
	case K_MPLS_PHP: {
		static const uint32_t lin[1] = {16005};
		static const uint8_t tin[1] = {64};

		pb_inner(in, &f, v4, c->inner, 64);
		pb_mpls(in, lin, tin, 1);
		pb_inner(o, &f, v4, c->inner, 63);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], ETH_P_MPLS_UC);
		ex->ethertype = inner_type;
		break;
	}
	case K_NSH_PUSH:
	case K_NSH_SFF: {
		int push = c->s->kind == K_NSH_PUSH;
		uint32_t h;

		pb_inner(in, &f, v4, c->inner, 64);
		h = flow_hash_l3(pb_data(in), in->len, v4 ? PKT_L3_IPV4 : PKT_L3_IPV6, 0);
		pb_inner(o, &f, v4, c->inner, 64);
		o->v4_at = -1;
		if (!push)
			pb_nsh(in, 100, 254, 63, v4 ? NP_IPV4 : 2, h);
		pb_nsh(o, 100, push ? 255 : 254, 62, v4 ? NP_IPV4 : 2, h);
		pb_eth(in, if_mac[IF_IN], nb_mac[IF_IN], push ? inner_type : ETH_P_NSH);
		ex->ethertype = ETH_P_NSH;
		break;
	}
	case K_MAX:
		break;
	}
}

/* Stat slot that must count every packet of flow i, or DP_NONE. */
static uint32_t case_stat(const struct bcase *c, const struct dp_tables *t, uint32_t i)
{
	switch (c->s->kind) {
	case K_CLS_EXACT:
		return t->rule[i % opt.rules].stat;
	case K_CLS_PREFIX:
		return t->rule[opt.rules].stat;
	case K_END_FW:
		for (uint32_t s = 0; s < t->n_stat; s++)
			if (!strcmp(t->stat_name[s], "function fw rule allow proto 17 "
						     "src 2001:db8:1::/48 dport 5000-5999"))
				return s;
		return 0; /* never counts packets: the check fails */
	default:
		return DP_NONE;
	}
}

/* ---------------------------------------------------------- the harness */

struct ring {
	uint8_t *tpl; /* n templates, stride bytes apart */
	uint32_t n, stride, len;
};

struct frames {
	uint8_t *mem;
	struct pkt *d;
	uint32_t n;
};

struct result {
	int ok;
	char err[256];
	uint32_t frame_len;
	double mpps[REPEATS_MAX], run_cpu[REPEATS_MAX], med_mpps, ns, cpu_frac, spread;
	double mpps_cpu[REPEATS_MAX], med_mpps_cpu; /* packets per second of CPU time */
	int retries, noisy;
	double null_mpps;
	long nivcsw;
	uint64_t tx_if[3];
};

static volatile uint64_t sink;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long nivcsw(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nivcsw;
}

/* One timed run: returns packets done; *secs the wall time it took.
 * bad counts packets that did not go to tx (must stay 0). */
static uint64_t run(struct dp_worker *w, const struct ring *r, struct frames *fr, uint32_t burst,
		    int null_mode, double seconds, double *secs, uint64_t *bad)
{
	static struct dp_out out;
	struct pkt *v[DP_BURST_MAX];
	uint32_t ti = 0, fi = 0, chunk = burst >= 2048 ? 1 : 2048 / burst;
	uint64_t pkts = 0, acc = 0, nbad = 0;
	double t0 = now_s(), t1, end = t0 + seconds;

	for (;;) {
		for (uint32_t k = 0; k < chunk; k++) {
			for (uint32_t j = 0; j < burst; j++) {
				struct pkt *p = &fr->d[fi];

				if (++fi == fr->n)
					fi = 0;
				p->off = PKT_HEADROOM;
				p->len = r->len;
				p->in_if = IF_IN;
				memcpy(p->frame + PKT_HEADROOM, r->tpl + (size_t)ti * r->stride,
				       r->len);
				if (++ti == r->n)
					ti = 0;
				v[j] = p;
			}
			if (null_mode) {
				for (uint32_t j = 0; j < burst; j++) {
					const uint8_t *d = pkt_data(v[j]);
					uint16_t type = rd_be16(d + 12);
					uint32_t x = type == ETH_P_IPV6 ? rd_be32(d + ETH_HLEN + 36)
						     : type == ETH_P_IPV4
							     ? rd_be32(d + ETH_HLEN + 16)
							     : rd_be32(d + ETH_HLEN);

					v[j]->out_if = (uint16_t)(IF_A + (x & 1));
				}
				for (uint32_t j = 0; j < burst; j++)
					acc += pkt_data(v[j])[0] + v[j]->len + v[j]->out_if;
			} else {
				dp_process(w, v, burst, &out);
				for (uint32_t j = 0; j < out.n[DP_OUT_TX]; j++)
					acc += pkt_data(out.v[DP_OUT_TX][j])[0] +
					       out.v[DP_OUT_TX][j]->len;
				nbad += out.n[DP_OUT_HOST] + out.n[DP_OUT_DROP];
			}
			pkts += burst;
		}
		t1 = now_s();
		if (t1 >= end)
			break;
	}
	sink += acc;
	*secs = t1 - t0;
	*bad += nbad;
	return pkts;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Warm-up, then opt.repeats timed runs; median Mpps. A run during which
 * this thread had the CPU for less than opt.min_cpu of the wall time (other
 * processes on the same core) is retried, up to RETRIES_MAX times; the
 * best of the tries is kept and the result is flagged noisy. */
static int measure(struct dp_worker *w, const struct ring *r, struct frames *fr, uint32_t burst,
		   int null_mode, struct result *res)
{
	double secs, sorted[REPEATS_MAX], sorted_cpu[REPEATS_MAX], wall = 0, cpu = 0;
	uint64_t bad = 0, total;
	long cs0;

	total = run(w, r, fr, burst, null_mode, opt.warmup, &secs, &bad);
	cs0 = nivcsw();
	res->retries = 0;
	res->noisy = 0;
	for (int k = 0; k < opt.repeats; k++) {
		double best_frac = -1;

		for (int a = 0; a <= RETRIES_MAX; a++) {
			double c0 = cpu_s(), frac, mpps;
			uint64_t n = run(w, r, fr, burst, null_mode, opt.seconds, &secs, &bad);

			total += n;
			frac = (cpu_s() - c0) / secs;
			mpps = (double)n / secs / 1e6;
			wall += secs;
			cpu += frac * secs;
			if (frac > best_frac) {
				best_frac = frac;
				res->mpps[k] = mpps;
				res->mpps_cpu[k] = frac > 0 ? mpps / frac : 0;
				res->run_cpu[k] = frac;
			}
			if (frac >= opt.min_cpu)
				break;
			if (a == RETRIES_MAX)
				res->noisy = 1;
			else
				res->retries++;
		}
		sorted[k] = res->mpps[k];
		sorted_cpu[k] = res->mpps_cpu[k];
	}
	res->nivcsw = nivcsw() - cs0;
	res->cpu_frac = cpu / wall;
	if (opt.verbose)
		fprintf(stderr, "srbench: %s: %llu packets through run() (warm-up included)\n",
			null_mode ? "null" : "dp", (unsigned long long)total);
	if (bad) {
		snprintf(res->err, sizeof(res->err),
			 "%llu packets dropped or sent to host while timing",
			 (unsigned long long)bad);
		return -1;
	}
	qsort(sorted, (size_t)opt.repeats, sizeof(sorted[0]), cmp_double);
	qsort(sorted_cpu, (size_t)opt.repeats, sizeof(sorted_cpu[0]), cmp_double);
	res->med_mpps = sorted[opt.repeats / 2];
	res->med_mpps_cpu = sorted_cpu[opt.repeats / 2];
	res->ns = 1e3 / res->med_mpps;
	res->spread = (sorted[opt.repeats - 1] - sorted[0]) / res->med_mpps;
	res->cpu_frac = 0;
	for (int k = 0; k < opt.repeats; k++)
		res->cpu_frac += res->run_cpu[k] / opt.repeats;
	return 0;
}

/* --------------------------------------------------------- validation */

static int fail(struct result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	res->ok = 0;
	return -1;
}

static const char *hex(const uint8_t *p, uint32_t n, char *buf, size_t cap)
{
	size_t o = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%02x", p[i]);
	return buf;
}

/* Output p must be ex: Ethernet from the output interface to its
 * neighbour, then exactly ex->l3 (an IPv4 checksum the data plane updated
 * incrementally must be valid; either form of zero is accepted). */
static int check_out(const struct pkt *p, const struct expect *ex, uint32_t flow,
		     struct result *res)
{
	const uint8_t *d = pkt_data(p), *l3 = d + ETH_HLEN, *e = pb_data(&ex->l3);
	char h1[80], h2[80];

	if (p->out_if > IF_B || !(ex->ifmask & (1u << p->out_if)))
		return fail(res, "flow %u: sent on interface %u, expected mask 0x%x", flow,
			    p->out_if, ex->ifmask);
	if (p->len != ETH_HLEN + ex->l3.len)
		return fail(res, "flow %u: output is %u bytes, expected %u", flow, p->len,
			    ETH_HLEN + ex->l3.len);
	if (memcmp(d, nb_mac[p->out_if], 6) || memcmp(d + 6, if_mac[p->out_if], 6))
		return fail(res, "flow %u: wrong MAC addresses %s", flow,
			    hex(d, 12, h1, sizeof(h1)));
	if (rd_be16(d + 12) != ex->ethertype)
		return fail(res, "flow %u: ethertype 0x%04x, expected 0x%04x", flow,
			    rd_be16(d + 12), ex->ethertype);
	for (uint32_t k = 0; k < ex->l3.len; k++) {
		if (ex->l3.v4_at >= 0 &&
		    (k == (uint32_t)ex->l3.v4_at + 10 || k == (uint32_t)ex->l3.v4_at + 11))
			continue;
		if (l3[k] != e[k]) {
			uint32_t from = k & ~7u;

			return fail(res,
				    "flow %u: L3 byte %u is 0x%02x, expected 0x%02x "
				    "(got %s, want %s at %u)",
				    flow, k, l3[k], e[k],
				    hex(l3 + from, 16 < ex->l3.len - from ? 16 : ex->l3.len - from,
					h1, sizeof(h1)),
				    hex(e + from, 16 < ex->l3.len - from ? 16 : ex->l3.len - from,
					h2, sizeof(h2)),
				    from);
		}
	}
	if (ex->l3.v4_at >= 0 && csum_fold(csum_partial(l3 + ex->l3.v4_at, 20, 0)) != 0)
		return fail(res, "flow %u: IPv4 header checksum is wrong after forwarding", flow);
	return 0;
}

static void fill(struct pkt *p, const uint8_t *bytes, uint32_t len)
{
	pkt_set(p, bytes, len);
	p->in_if = IF_IN;
}

static const char *drop_reason(const struct dp_out *out)
{
	if (out->n[DP_OUT_DROP])
		return dp_ctr_name((enum dp_ctr)out->v[DP_OUT_DROP][0]->ref);
	return out->n[DP_OUT_HOST] ? "sent to host" : "nothing came out";
}

struct dumper {
	struct pcap_writer in, out;
};

/* Every flow alone, then the ring in bursts as timed. */
static int validate(const struct bcase *c, struct dp *dp, const struct ring *r, struct frames *fr,
		    uint32_t burst, struct dumper *dm, struct result *res)
{
	const struct dp_tables *t = atomic_load(&dp->tables);
	struct dp_worker *w = dp->workers[0];
	static struct dp_out out;
	static struct expect ex;
	static struct pb in;
	struct pkt *v[DP_BURST_MAX];
	uint64_t pk0, pk1, by;

	for (uint32_t i = 0; i < r->n; i++) {
		uint32_t slot;

		build_case(c, i, &in, &ex);
		if (in.len != r->len ||
		    memcmp(pb_data(&in), r->tpl + (size_t)i * r->stride, r->len))
			return fail(res, "flow %u: template differs from its rebuild", i);
		slot = case_stat(c, t, i);
		if (slot != DP_NONE)
			dp_stat_sum(dp, slot, &pk0, &by);
		fill(&fr->d[0], r->tpl + (size_t)i * r->stride, r->len);
		v[0] = &fr->d[0];
		dp_process(w, v, 1, &out);
		if (dm && i < DUMP_PKTS) {
			pcap_write(&dm->in, i * 1000ull, r->tpl + (size_t)i * r->stride, r->len);
			for (uint32_t k = 0; k < out.n[DP_OUT_TX]; k++)
				pcap_write(&dm->out, i * 1000ull, pkt_data(out.v[DP_OUT_TX][k]),
					   out.v[DP_OUT_TX][k]->len);
		}
		if (out.n[DP_OUT_TX] != 1 || out.n[DP_OUT_DROP] || out.n[DP_OUT_HOST])
			return fail(res, "flow %u: dropped (%s)", i, drop_reason(&out));
		if (check_out(out.v[DP_OUT_TX][0], &ex, i, res))
			return -1;
		if (slot != DP_NONE) {
			dp_stat_sum(dp, slot, &pk1, &by);
			if (pk1 != pk0 + 1)
				return fail(res, "flow %u: not counted by '%s'", i,
					    t->stat_name[slot]);
		}
	}
	/* the timed path: whole bursts, frames taken in turn */
	memset(res->tx_if, 0, sizeof(res->tx_if));
	for (uint32_t i = 0, fi = 0; i < r->n;) {
		uint32_t n = r->n - i < burst ? r->n - i : burst;

		for (uint32_t j = 0; j < n; j++) {
			fill(&fr->d[fi], r->tpl + (size_t)(i + j) * r->stride, r->len);
			v[j] = &fr->d[fi];
			fi = (fi + 1) % fr->n;
		}
		dp_process(w, v, n, &out);
		if (out.n[DP_OUT_TX] != n)
			return fail(res, "burst at flow %u: %u of %u sent (%s)", i,
				    out.n[DP_OUT_TX], n, drop_reason(&out));
		for (uint32_t j = 0; j < n; j++)
			res->tx_if[out.v[DP_OUT_TX][j]->out_if % 3]++;
		i += n;
	}
	return 0;
}

/* -------------------------------------------------------------- output */

static const char *kind_segs(const struct bcase *c, char *buf)
{
	if (!c->segs)
		return "-";
	snprintf(buf, 8, "%u", c->segs);
	return buf;
}

static void print_header(void)
{
	printf("%-14s %-6s %4s %6s %5s %8s %8s %7s %7s %5s %8s\n", "case", "inner", "segs", "frame",
	       "burst", "Mpps", "ns/pkt", "%null", "spread", "cpu%", "Mpps/cpu");
}

static void print_row(const char *name, const char *inner, const char *segs, uint32_t frame,
		      uint32_t burst, const struct result *res, int is_null)
{
	if (!res->ok) {
		printf("%-14s %-6s %4s %6u %5u ERROR: %s\n", name, inner, segs, frame, burst,
		       res->err);
		return;
	}
	char pct[16] = "-";

	if (is_null)
		snprintf(pct, sizeof(pct), "100.0%%");
	else if (res->null_mpps > 0)
		snprintf(pct, sizeof(pct), "%.1f%%", 100.0 * res->med_mpps / res->null_mpps);
	printf("%-14s %-6s %4s %6u %5u %8.2f %8.1f %7s %6.1f%% %4.0f%% %8.2f%s\n", name, inner,
	       segs, frame, burst, res->med_mpps, res->ns, pct, 100.0 * res->spread,
	       100.0 * res->cpu_frac, res->med_mpps_cpu, res->noisy ? " noisy" : "");
	fflush(stdout);
}

static void json_result(struct jsonw *j, const char *name, const char *family, uint32_t inner,
			uint32_t segs, uint32_t frame, uint32_t burst, const struct result *res,
			int is_null)
{
	jsonw_obj_open(j);
	jsonw_kv_str(j, "case", name);
	if (family)
		jsonw_kv_str(j, "inner_family", family);
	if (inner)
		jsonw_kv_uint(j, "inner_bytes", inner);
	if (segs)
		jsonw_kv_uint(j, "segments", segs);
	jsonw_kv_uint(j, "frame_bytes", frame);
	jsonw_kv_uint(j, "burst", burst);
	jsonw_kv_str(j, "status", res->ok ? "ok" : "error");
	if (!res->ok) {
		jsonw_kv_str(j, "error", res->err);
	} else {
		jsonw_kv_double(j, "mpps", res->med_mpps);
		jsonw_kv_double(j, "ns_per_pkt", res->ns);
		if (is_null || res->null_mpps > 0) {
			jsonw_kv_double(j, "pct_of_null",
					is_null ? 100.0 : 100.0 * res->med_mpps / res->null_mpps);
			jsonw_kv_double(j, "null_mpps", is_null ? res->med_mpps : res->null_mpps);
		}
		jsonw_kv_double(j, "spread", res->spread);
		jsonw_kv_double(j, "cpu_fraction", res->cpu_frac);
		jsonw_kv_double(j, "mpps_per_cpu_time", res->med_mpps_cpu);
		jsonw_kv_int(j, "involuntary_switches", res->nivcsw);
		jsonw_kv_int(j, "retried_runs", res->retries);
		jsonw_kv_bool(j, "noisy", res->noisy);
		jsonw_key(j, "runs_mpps");
		jsonw_arr_open(j);
		for (int k = 0; k < opt.repeats; k++)
			jsonw_double(j, res->mpps[k]);
		jsonw_arr_close(j);
		jsonw_key(j, "runs_cpu_fraction");
		jsonw_arr_open(j);
		for (int k = 0; k < opt.repeats; k++)
			jsonw_double(j, res->run_cpu[k]);
		jsonw_arr_close(j);
		if (!is_null) {
			jsonw_key(j, "tx_per_interface");
			jsonw_arr_open(j);
			for (int k = 1; k < 3; k++)
				jsonw_uint(j, res->tx_if[k]);
			jsonw_arr_close(j);
		}
	}
	jsonw_obj_close(j);
}

/* --------------------------------------------------------------- cases */

static int pattern_match(const char *pat, const char *name)
{
	if (strpbrk(pat, "*?["))
		return fnmatch(pat, name, 0) == 0;
	return strstr(name, pat) != NULL;
}

/* Comma-separated patterns. A plain word selects the case of that exact
 * name if there is one (so "end" is End alone), else every name holding
 * it; a glob (end*) matches names. */
static int selected(const char *name)
{
	char buf[256], *save = NULL;

	if (!opt.filter)
		return 1;
	snprintf(buf, sizeof(buf), "%s", opt.filter);
	for (char *pat = strtok_r(buf, ",", &save); pat; pat = strtok_r(NULL, ",", &save)) {
		int exact_exists = 0;

		if (!strpbrk(pat, "*?["))
			for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
				if (!strcmp(specs[i].name, pat))
					exact_exists = 1;
		if (exact_exists ? !strcmp(pat, name) : pattern_match(pat, name))
			return 1;
	}
	return 0;
}

static uint32_t make_cases(struct bcase *cs)
{
	static const uint16_t sizes[2] = {64, 512};
	uint32_t n = 0;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		const struct spec *s = &specs[i];

		if (!selected(s->name))
			continue;
		for (int k = 0; k < 3 && (k == 0 || s->segs[k]); k++) {
			if ((opt.segs && s->segs[k] && s->segs[k] != opt.segs) ||
			    (opt.family && opt.family != (s->v4 ? 4 : 6)))
				continue;
			for (int z = 0; z < 2; z++) {
				if (!(opt.sizes & (1 << z)) || n == CASES_MAX)
					continue;
				cs[n++] = (struct bcase){s, s->segs[k], sizes[z], 0};
			}
			/* one behaviour also at the largest burst */
			if (s->kind == K_END && s->segs[k] == 3 && (opt.sizes & 1) &&
			    !opt.single_burst && opt.burst != DP_BURST_MAX && n < CASES_MAX)
				cs[n++] = (struct bcase){s, 3, 64, DP_BURST_MAX};
		}
	}
	return n;
}

struct null_entry {
	uint32_t frame_len, burst;
	struct result res;
};

static struct null_entry nulls[NULLS_MAX];
static uint32_t n_nulls;

static int build_ring(const struct bcase *c, struct ring *r, struct result *res)
{
	static struct pb in;
	static struct expect ex;
	uint32_t nf = case_flows(c);

	build_case(c, 0, &in, &ex);
	r->len = in.len;
	r->stride = (in.len + 63) & ~63u;
	r->n = opt.flows;
	r->tpl = aligned_alloc(64, (size_t)r->n * r->stride);
	if (!r->tpl)
		return fail(res, "out of memory");
	for (uint32_t i = 0; i < r->n; i++) {
		build_case(c, i % nf, &in, &ex);
		if (in.len != r->len)
			return fail(res, "flow %u: frame length %u differs", i, in.len);
		memcpy(r->tpl + (size_t)i * r->stride, pb_data(&in), in.len);
	}
	/* templates beyond nf repeat flows: validate the distinct ones */
	r->n = nf;
	return 0;
}

static int dump_open(struct dumper *dm, const struct bcase *c, const char *fam)
{
	char path[4096];
	struct err err = {{0}};

	snprintf(path, sizeof(path), "%s/%s-%s%u-s%u.in.pcap", opt.dump, c->s->name, fam, c->inner,
		 c->segs);
	if (pcap_open_write(&dm->in, path, &err))
		goto err;
	snprintf(path, sizeof(path), "%s/%s-%s%u-s%u.out.pcap", opt.dump, c->s->name, fam, c->inner,
		 c->segs);
	if (pcap_open_write(&dm->out, path, &err)) {
		pcap_close_write(&dm->in);
		goto err;
	}
	return 0;
err:
	fprintf(stderr, "srbench: %s\n", err.msg);
	return -1;
}

static uint32_t count_lines(const struct sbuf *b)
{
	uint32_t n = 0;

	for (size_t k = 0; k < b->len; k++)
		n += b->s[k] == '\n';
	return n;
}

static void run_case(const struct bcase *c, struct frames *fr, struct jsonw *j)
{
	const char *fam = c->s->v4 ? "v4" : "v6";
	uint32_t burst = c->burst ? c->burst : opt.burst;
	struct sbuf cfg = {0};
	struct result res = {.ok = 1};
	struct dp_tables *t = NULL;
	struct dumper dm, *dmp = NULL;
	struct ring r = {0};
	struct null_entry *ne = NULL;
	struct err err = {{0}};
	struct dp dp;
	char inner[16], segbuf[8];
	const char *segs = kind_segs(c, segbuf);
	int have_dp = 0;

	snprintf(inner, sizeof(inner), "%s/%u", fam, c->inner);
	if (build_ring(c, &r, &res))
		goto out;
	res.frame_len = r.len;
	conf_case(&cfg, c);
	t = dp_tables_new(1);
	if (!t) {
		fail(&res, "out of memory");
		goto out;
	}
	if (conf_apply(t, cfg.s, cfg.len, "srbench.conf", &err) || dp_tables_finish(t, &err)) {
		fail(&res, "configuration: %s", err.msg);
		dp_tables_free(t);
		goto out;
	}
	if (opt.verbose)
		fprintf(stderr,
			"srbench: %s %s: %u config lines, FIB %u v6 / %u v4 prefixes "
			"(%u / %u lengths), %u classifier rules, %u flows\n",
			c->s->name, inner, count_lines(&cfg), t->fib6[0].h.count,
			t->fib4[0].h.count, t->fib6[0].n_lens, t->fib4[0].n_lens, t->n_rule, r.n);
	if (dp_init(&dp, 1)) {
		dp_tables_free(t);
		fail(&res, "out of memory");
		goto out;
	}
	have_dp = 1;
	dp_publish(&dp, t);
	if (opt.dump && dump_open(&dm, c, fam) == 0)
		dmp = &dm;
	if (validate(c, &dp, &r, fr, burst, dmp, &res))
		goto out;
	r.n = opt.flows; /* time the whole ring */

	/* the ceiling for this frame length and burst */
	for (uint32_t k = 0; k < n_nulls; k++)
		if (nulls[k].frame_len == r.len && nulls[k].burst == burst)
			ne = &nulls[k];
	if (!ne && n_nulls < NULLS_MAX && !opt.no_null) {
		ne = &nulls[n_nulls++];
		ne->frame_len = r.len;
		ne->burst = burst;
		ne->res.ok = 1;
		ne->res.frame_len = r.len;
		measure(dp.workers[0], &r, fr, burst, 1, &ne->res);
		if (j)
			json_result(j, "null", NULL, 0, 0, r.len, burst, &ne->res, 1);
		else
			print_row("null", "-", "-", r.len, burst, &ne->res, 1);
	}
	if (measure(dp.workers[0], &r, fr, burst, 0, &res)) {
		res.ok = 0;
		goto out;
	}
	res.null_mpps = ne ? ne->res.med_mpps : 0;
out:
	if (j)
		json_result(j, c->s->name, fam, c->inner, c->segs, r.len, burst, &res, 0);
	else
		print_row(c->s->name, inner, segs, r.len, burst, &res, 0);
	if (!res.ok && opt.verbose)
		fprintf(stderr, "srbench: %s %s: %s\n", c->s->name, inner, res.err);
	if (dmp) {
		pcap_close_write(&dm.in);
		pcap_close_write(&dm.out);
	}
	if (have_dp)
		dp_fini(&dp);
	free(r.tpl);
	free(cfg.s);
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: srbench [-t SECONDS] [-c CPU] [--filter NAMES] [--json] [options]\n"
		"  -t, --time S      seconds per timed run (default 1)\n"
		"  -r, --repeats N   timed runs per case, median reported (default 3)\n"
		"  -w, --warmup S    untimed warm-up per case (default 0.2)\n"
		"  -c, --cpu N       pin to CPU N (default: the last CPU)\n"
		"  -f, --filter P    comma-separated case names, substrings or globs\n"
		"  -s, --size N      inner packet size 64 or 512 only\n"
		"  -b, --burst N     packets per dp_process() call (default 32, max %u;\n"
		"                    also runs End at %u unless -b is given)\n"
		"      --segs N      only cases with N segments/labels (or none)\n"
		"      --family 4|6  only cases whose inner packet is IPv4 / IPv6\n"
		"      --flows N     distinct flows in the ring (default 4096)\n"
		"      --frames N    rx frames cycled through (default 1024)\n"
		"      --routes N    filler routes per family (default 1000, max %u)\n"
		"      --rules N     exact classifier rules (default 1000)\n"
		"      --dump DIR    write each case's first frames in/out as pcap\n"
		"      --json        machine-readable results\n"
		"      --no-null     skip the null ceiling (for profiling one case)\n"
		"      --min-cpu PCT retry a run that had the CPU less than PCT%% of the\n"
		"                    time, up to %d times (default 90; 0 = never)\n"
		"  -l, --list        list the cases\n"
		"  -v, --verbose     table sizes and errors on stderr\n",
		DP_BURST_MAX, DP_BURST_MAX, ROUTES_MAX, RETRIES_MAX);
}

static int parse_u32_opt(const char *name, const char *s, uint32_t lo, uint32_t hi, uint32_t *v)
{
	uint64_t x;

	if (num_parse(s, lo, hi, &x)) {
		fprintf(stderr, "srbench: %s: '%s' is not a number %u-%u\n", name, s, lo, hi);
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{"time", required_argument, NULL, 't'},
		{"repeats", required_argument, NULL, 'r'},
		{"warmup", required_argument, NULL, 'w'},
		{"cpu", required_argument, NULL, 'c'},
		{"filter", required_argument, NULL, 'f'},
		{"size", required_argument, NULL, 's'},
		{"burst", required_argument, NULL, 'b'},
		{"flows", required_argument, NULL, 1},
		{"frames", required_argument, NULL, 2},
		{"routes", required_argument, NULL, 3},
		{"rules", required_argument, NULL, 4},
		{"dump", required_argument, NULL, 5},
		{"json", no_argument, NULL, 6},
		{"list", no_argument, NULL, 'l'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"no-null", no_argument, NULL, 7},
		{"min-cpu", required_argument, NULL, 8},
		{"segs", required_argument, NULL, 9},
		{"family", required_argument, NULL, 10},
		{NULL, 0, NULL, 0},
	};
	uint32_t v;
	int ch;
	char *end;

	while ((ch = getopt_long(argc, argv, "t:r:w:c:f:s:b:lvh", lo, NULL)) != -1) {
		switch (ch) {
		case 't':
		case 'w': {
			double d;

			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || d < 0.001 || d > 3600) {
				fprintf(stderr, "srbench: '%s' is not a duration in seconds\n",
					optarg);
				return -1;
			}
			*(ch == 't' ? &opt.seconds : &opt.warmup) = d;
			break;
		}
		case 'r':
			if (parse_u32_opt("repeats", optarg, 1, REPEATS_MAX, &v))
				return -1;
			opt.repeats = (int)v;
			break;
		case 'c':
			if (parse_u32_opt("cpu", optarg, 0, CPU_SETSIZE - 1, &v))
				return -1;
			opt.cpu = (int)v;
			break;
		case 'f':
			opt.filter = optarg;
			break;
		case 's':
			if (!strcmp(optarg, "64"))
				opt.sizes = 1;
			else if (!strcmp(optarg, "512"))
				opt.sizes = 2;
			else {
				fprintf(stderr, "srbench: --size is 64 or 512\n");
				return -1;
			}
			break;
		case 'b':
			if (parse_u32_opt("burst", optarg, 1, DP_BURST_MAX, &opt.burst))
				return -1;
			opt.single_burst = 1;
			break;
		case 1:
			if (parse_u32_opt("flows", optarg, 1, FLOWS_MAX, &opt.flows))
				return -1;
			break;
		case 2:
			if (parse_u32_opt("frames", optarg, 1, FRAMES_MAX, &opt.frames))
				return -1;
			break;
		case 3:
			if (parse_u32_opt("routes", optarg, 1, ROUTES_MAX, &opt.routes))
				return -1;
			break;
		case 4:
			if (parse_u32_opt("rules", optarg, 1, RULES_MAX, &opt.rules))
				return -1;
			break;
		case 5:
			opt.dump = optarg;
			break;
		case 6:
			opt.json = 1;
			break;
		case 7:
			opt.no_null = 1;
			break;
		case 8:
			if (parse_u32_opt("min-cpu", optarg, 0, 100, &v))
				return -1;
			opt.min_cpu = v / 100.0;
			break;
		case 9:
			if (parse_u32_opt("segs", optarg, 1, DP_SEGS_MAX, &opt.segs))
				return -1;
			break;
		case 10:
			if (strcmp(optarg, "4") && strcmp(optarg, "6")) {
				fprintf(stderr, "srbench: --family is 4 or 6\n");
				return -1;
			}
			opt.family = optarg[0] - '0';
			break;
		case 'l':
			opt.list = 1;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "srbench: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int pin(void)
{
	cpu_set_t set;
	int cpu = opt.cpu;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return -1;
		for (int k = 0; k < CPU_SETSIZE; k++)
			if (CPU_ISSET(k, &set))
				cpu = k;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "srbench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return -1;
	}
	opt.cpu = cpu;
	return 0;
}

int main(int argc, char **argv)
{
	static struct bcase cases[CASES_MAX];
	struct frames fr = {0};
	struct jsonw jw, *j = NULL;
	double load0[3] = {0}, load1[3] = {0}, t0;
	uint32_t n;

	if (parse_args(argc, argv))
		return 2;
	n = make_cases(cases);
	if (opt.list) {
		for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
			if (i == 0 || strcmp(specs[i].name, specs[i - 1].name))
				printf("%-14s %s\n", specs[i].name, specs[i].what);
		return 0;
	}
	if (!n) {
		fprintf(stderr, "srbench: no case matches '%s' (see --list)\n", opt.filter);
		return 2;
	}
	if (opt.frames < opt.burst || opt.frames < DP_BURST_MAX)
		opt.frames = DP_BURST_MAX > opt.burst ? DP_BURST_MAX : opt.burst;
	if (pin())
		return 1;
	if (opt.dump && mkdir(opt.dump, 0755) && errno != EEXIST) {
		fprintf(stderr, "srbench: %s: %s\n", opt.dump, strerror(errno));
		return 1;
	}
	/* frames of PKT_FRAME_SIZE, as in the offline pool and an AF_XDP UMEM */
	fr.n = opt.frames;
	fr.mem = aligned_alloc(4096, (size_t)fr.n * PKT_FRAME_SIZE);
	fr.d = calloc(fr.n, sizeof(*fr.d));
	if (!fr.mem || !fr.d) {
		fprintf(stderr, "srbench: out of memory\n");
		return 1;
	}
	memset(fr.mem, 0, (size_t)fr.n * PKT_FRAME_SIZE);
	for (uint32_t i = 0; i < fr.n; i++) {
		fr.d[i].frame = fr.mem + (size_t)i * PKT_FRAME_SIZE;
		fr.d[i].addr = i;
	}
	getloadavg(load0, 3);
	t0 = now_s();
	if (opt.json) {
		j = &jw;
		jsonw_init(j, stdout, true);
		jsonw_obj_open(j);
		jsonw_kv_int(j, "cpu", opt.cpu);
		jsonw_kv_double(j, "seconds", opt.seconds);
		jsonw_kv_int(j, "repeats", opt.repeats);
		jsonw_kv_uint(j, "burst", opt.burst);
		jsonw_kv_uint(j, "flows", opt.flows);
		jsonw_kv_uint(j, "frames", opt.frames);
		jsonw_kv_uint(j, "routes_per_family", opt.routes);
		jsonw_kv_uint(j, "classifier_rules", opt.rules);
		jsonw_kv_double(j, "min_cpu_fraction", opt.min_cpu);
		jsonw_key(j, "loadavg_start");
		jsonw_arr_open(j);
		for (int k = 0; k < 3; k++)
			jsonw_double(j, load0[k]);
		jsonw_arr_close(j);
		jsonw_key(j, "results");
		jsonw_arr_open(j);
	} else {
		printf("srbench: CPU %d, %.2g s x %d runs (median), warm-up %.2g s, burst %u, "
		       "%u flows, %u frames, %u routes/family, %u classifier rules, load %.2f\n",
		       opt.cpu, opt.seconds, opt.repeats, opt.warmup, opt.burst, opt.flows,
		       opt.frames, opt.routes, opt.rules, load0[0]);
		print_header();
	}
	for (uint32_t i = 0; i < n; i++)
		run_case(&cases[i], &fr, j);
	getloadavg(load1, 3);
	if (j) {
		jsonw_arr_close(j);
		jsonw_key(j, "loadavg_end");
		jsonw_arr_open(j);
		for (int k = 0; k < 3; k++)
			jsonw_double(j, load1[k]);
		jsonw_arr_close(j);
		jsonw_kv_double(j, "elapsed_s", now_s() - t0);
		jsonw_obj_close(j);
		if (jsonw_finish(j))
			return 1;
	} else {
		printf("load average %.2f at start, %.2f at end; %.0f s; sink %llu\n", load0[0],
		       load1[0], now_s() - t0, (unsigned long long)(sink & 1));
	}
	free(fr.mem);
	free(fr.d);
	return 0;
}

/* The node every srbench case runs on: interfaces, neighbours, a FIB of
 * filler routes per family, MPLS, policies, SIDs, NSH paths and a firewall;
 * and the flows of the ring, spread over the filler routes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srbench.h"
#include "lib/addr.h"
#include "pkt/byteorder.h"

const uint8_t node_if_mac[3][6] = {
	{0x02, 0x00, 0x5e, 0x00, 0x00, 0x01},
	{0x02, 0x00, 0x5e, 0x00, 0x00, 0x02},
	{0x02, 0x00, 0x5e, 0x00, 0x00, 0x03},
};
/* Neighbours behind eth1 and eth2; the upstream sender on eth0. */
const uint8_t node_nb_mac[3][6] = {
	{0x02, 0x00, 0x5e, 0x00, 0x09, 0x01},
	{0x02, 0x00, 0x5e, 0x00, 0x01, 0x02},
	{0x02, 0x00, 0x5e, 0x00, 0x01, 0x03},
};

const uint8_t node_ingress6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0xee, [15] = 1};
const uint8_t node_source6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff, [15] = 1};

/* Prefix lengths of the IPv6 filler routes, cycled: mostly /48, a few
 * longer and shorter ones and host routes, as in a provider edge FIB. */
static const uint8_t lens6[16] = {48, 48, 48, 48, 48, 48, 48, 48, 56, 56, 64, 64, 44, 40, 128, 128};

/* 2001:db8:BLOCK::ID */
void node_addr6(uint8_t a[16], uint16_t block, uint16_t id)
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

	node_addr6(a, (uint16_t)(0x1000 + r), len == 128 ? 1 : 0);
	return len;
}

/* The IPv4 filler routes live in 198.51.100.0/24 and 203.0.113.0/24 (a
 * 512-address space; 192.0.2.0/24 holds the node's own subnets and node
 * SIDs). 512 addresses hold 1022 distinct prefixes of /24../32, so 1000
 * routes need nearly all of them: each length takes about half of what is
 * left, in a 16-route cycle of 8 x /32, 4 x /31, 2 x /30, one /29 and one
 * of /28../24 (32, 16, 8, 4, 2 of them, in that order). Route r is the
 * k-th of its length, at address offset k << (32 - len). The FIB's v4 trie
 * is then a few nodes deep under three /24s and nearly every lookup ends
 * on a host route (the IPv6 fillers keep a provider-edge mix). Filler
 * route r (< ROUTES4_MAX): its prefix in a, its length returned. */
static int route4(uint32_t r, uint8_t a[4])
{
	static const uint8_t slot_len[16] = {32, 32, 32, 32, 32, 32, 32, 32,
					     31, 31, 31, 31, 30, 30, 29, 0};
	uint32_t cycle = r / 16, slot = r % 16, k, off;
	int len = slot_len[slot];

	if (slot < 8)
		k = cycle * 8 + slot;
	else if (slot < 12)
		k = cycle * 4 + slot - 8;
	else if (slot < 14)
		k = cycle * 2 + slot - 12;
	else if (slot == 14)
		k = cycle;
	else /* /28 x 32, /27 x 16, /26 x 8, /25 x 4, /24 x 2 */
		for (k = cycle, len = 28; len > 24 && k >= 1u << (len - 23); len--)
			k -= 1u << (len - 23);
	off = k << (32 - len);
	memcpy(a, off < 256 ? (const uint8_t[]){198, 51, 100} : (const uint8_t[]){203, 0, 113}, 3);
	a[3] = (uint8_t)off;
	return len;
}

/* IPv4 filler routes of the node: at most ROUTES4_MAX. */
static uint32_t routes4(void)
{
	return bench_opt.routes < ROUTES4_MAX ? bench_opt.routes : ROUTES4_MAX;
}

void node_flow(uint32_t i, struct flow *f)
{
	uint32_t r = i % bench_opt.routes;
	int len;

	memset(f, 0, sizeof(*f));
	node_addr6(f->src6, 0x0001, (uint16_t)(1 + i % 200));
	f->src4[0] = 198, f->src4[1] = 51, f->src4[2] = 100, f->src4[3] = (uint8_t)(1 + i % 200);
	len = route6(r, f->dst6);
	if (len < 128)
		wr_be32(f->dst6 + 12, 0x10000u + i);
	len = route4(i % routes4(), f->dst4);
	f->dst4[3] += (uint8_t)(i & ((1u << (32 - len)) - 1)); /* a host of the prefix */
	f->sport = (uint16_t)(1024 + i % 64000);
	f->dport = (uint16_t)(5000 + (i * 7) % 64);
	f->id = (uint16_t)i;
	f->fl = ((i + 1) * 2654435761u >> 12) & 0xfffff;
	if (!f->fl)
		f->fl = 1;
}

void node_encaps_path(uint8_t path[][16], int n)
{
	for (int k = 0; k < n; k++)
		node_addr6(path[k], BLK_OTHER, (uint16_t)(0x21 + k));
}

void node_b6_path(uint8_t path[][16], int n)
{
	for (int k = 0; k < n; k++)
		node_addr6(path[k], BLK_OTHER, (uint16_t)(0x31 + k));
}

/* A path through this node: other nodes' SIDs, ours (sid) at position us. */
void node_transit_path(uint8_t path[][16], int n, int us, uint16_t sid)
{
	for (int k = 0; k < n; k++)
		node_addr6(path[k], BLK_OTHER, (uint16_t)(2 + k));
	node_addr6(path[us], BLK_US, sid);
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
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

const char *node_a6(const uint8_t a[16], char *buf)
{
	return addr_fmt(6, a, buf, 64);
}

const char *node_a4(const uint8_t a[4], char *buf)
{
	return addr_fmt(4, a, buf, 64);
}

#define NH6 "via 2001:db8:ff:2::2 dev eth1 via 2001:db8:ff:3::2 dev eth2"
#define NH4 "via 192.0.2.66 dev eth1 via 192.0.2.130 dev eth2"

static void seglist(struct sbuf *b, uint8_t path[][16], int n)
{
	char s[64];

	for (int k = 0; k < n; k++)
		sb_printf(b, "%s%s", k ? "," : "", node_a6(path[k], s));
}

/* The node every case runs on; the case adds its classifier lines. */
void node_conf(struct sbuf *b, int classify)
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
	for (uint32_t r = 0; r < bench_opt.routes; r++) {
		int len = route6(r, a);

		sb_printf(b, "route %s/%d " NH6 "\n", node_a6(a, s), len);
	}
	for (uint32_t r = 0; r < routes4(); r++) {
		int len = route4(r, a);

		sb_printf(b, "route %s/%d " NH4 "\n", node_a4(a, s), len);
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

		node_encaps_path(path, n);
		sb_printf(b, "policy e%d srv6 segs ", n);
		seglist(b, path, n);
		sb_printf(b, "\npolicy r%d srv6 encaps.red segs ", n);
		seglist(b, path, n);
		sb_printf(b, "\n");
	}
	node_b6_path(path, 3);
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

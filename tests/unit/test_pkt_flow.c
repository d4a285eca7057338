/* Flow key of the innermost packet and flow hash: identical before and
 * after SRv6, MPLS, NSH and VXLAN-GPE encapsulation; symmetric mode;
 * fragments; nesting cap; mixing quality. */
#include <arpa/inet.h>
#include <errno.h>

#include "pkt/eth.h"
#include "pkt/flow.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/mpls.h"
#include "pkt/nsh.h"
#include "pkt/pbuf.h"
#include "pkt/srh.h"
#include "pkt/vxlan_gpe.h"
#include "test.h"

/* scapy: IP(192.0.2.1 -> 198.51.100.2)/TCP(1234 -> 80, S) */
static const char inner4_hex[] = "450000280001000040068e98c0000201c633640204d20050000000010000"
				 "0000500220009e880000";
/* scapy: IPv6(2001:db8::1 -> 2001:db8::2)/UDP(5000 -> 53)/"hello!" */
static const char inner6_hex[] = "60000000000e114020010db8000000000000000000000001"
				 "20010db800000000000000000000000213880035000e4cad68656c6c6f21";

struct buf {
	uint8_t b[1024];
	size_t len;
};

static void load(struct buf *p, const char *hex)
{
	p->len = test_hex(p->b, sizeof(p->b), hex);
}

/* Prepends n bytes to the packet and returns where they go. */
static uint8_t *prepend(struct buf *p, size_t n)
{
	memmove(p->b + n, p->b, p->len);
	p->len += n;
	return p->b;
}

static int l3_of(const struct buf *p)
{
	return p->b[0] >> 4 == 4 ? PKT_L3_IPV4 : PKT_L3_IPV6;
}

static uint8_t ipproto_of(const struct buf *p)
{
	return l3_of(p) == PKT_L3_IPV4 ? IPPROTO_IPIP : IPPROTO_IPV6;
}

/* H.Encaps (RFC 8986 5.1) or H.Encaps.Red (5.2) with a 3-segment path. */
static void srv6_encap(struct buf *p, int n_segs, int reduced)
{
	struct in6_addr path[3], src;
	uint8_t srh[128];
	int sl;
	uint8_t *d;

	inet_pton(AF_INET6, "2001:db8:a::1", &src);
	inet_pton(AF_INET6, "2001:db8:1::1", &path[0]);
	inet_pton(AF_INET6, "2001:db8:2::2", &path[1]);
	inet_pton(AF_INET6, "2001:db8:3::3", &path[2]);
	sl = srh_build(srh, sizeof(srh), ipproto_of(p), path, n_segs, reduced);
	CHECK(sl >= 0);
	d = prepend(p, IPV6_HDR_LEN + (size_t)sl);
	ipv6_build((struct ipv6_hdr *)d, 0, 0, (uint16_t)(p->len - IPV6_HDR_LEN),
		   sl ? IPPROTO_ROUTING : ipproto_of(p), 64, &src, &path[0]);
	memcpy(d + IPV6_HDR_LEN, srh, (size_t)sl);
}

static void mpls_encap(struct buf *p, int depth)
{
	uint8_t *d = prepend(p, 4 * (size_t)depth);

	for (int i = 0; i < depth; i++) {
		be32 e = mpls_entry(16000 + (uint32_t)i, 0, i == depth - 1, 64);

		memcpy(d + 4 * i, &e, 4);
	}
}

static void eth_encap(struct buf *p, uint16_t type)
{
	static const uint8_t a[6] = {2, 0, 0, 0, 0, 1}, b[6] = {2, 0, 0, 0, 0, 2};

	eth_build(prepend(p, ETH_HLEN), b, a, type);
}

static void nsh_encap(struct buf *p, int md_type, uint8_t np)
{
	uint8_t h[32];
	int n = nsh_build(h, sizeof(h), 100, 255, 63, np, md_type, 0x1234);

	CHECK(n > 0);
	memcpy(prepend(p, (size_t)n), h, (size_t)n);
}

/* NSH over VXLAN-GPE over UDP over IPv4 (the data plane's NSH transport). */
static void gpe_encap(struct buf *p)
{
	uint8_t *d = prepend(p, IPV4_HDR_LEN + L4_UDP_HLEN + VXLAN_GPE_HLEN);
	be32 s = h_to_be32(0xc0000264), t = h_to_be32(0xc0000265);

	ipv4_build((struct ipv4_hdr *)d, 0, (uint16_t)p->len, 0, IPV4_DF, 64, IPPROTO_UDP, s, t);
	wr_be16(d + 20, 49152);
	wr_be16(d + 22, VXLAN_GPE_PORT);
	wr_be16(d + 24, (uint16_t)(p->len - IPV4_HDR_LEN));
	wr_be16(d + 26, 0);
	vxlan_gpe_build(d + 28, VXLAN_GPE_HLEN, 7, VXLAN_GPE_NP_NSH);
}

static void check_same_flow(const struct buf *plain, const struct buf *enc, int enc_l3,
			    const char *what)
{
	struct flow_key a, b;
	int ra = flow_key_from_l3(plain->b, plain->len, l3_of(plain), &a);
	int rb = flow_key_from_l3(enc->b, enc->len, enc_l3, &b);

	if (ra != 0 || rb != 0 || memcmp(&a, &b, sizeof(a)) != 0) {
		test_fail(__FILE__, __LINE__, "%s: key differs (rc %d/%d)", what, ra, rb);
		return;
	}
	for (int sym = 0; sym <= 1; sym++)
		if (flow_hash_l3(plain->b, plain->len, l3_of(plain), sym) !=
		    flow_hash_l3(enc->b, enc->len, enc_l3, sym))
			test_fail(__FILE__, __LINE__, "%s: hash differs (symmetric %d)", what, sym);
}

TEST(flow_key_plain_packets)
{
	struct buf p;
	struct flow_key k;
	uint8_t a4[4] = {192, 0, 2, 1}, zero[16] = {0};

	load(&p, inner4_hex);
	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_IPV4, &k), 0);
	CHECK_EQ(k.family, FLOW_FAMILY_IPV4);
	CHECK_EQ(k.proto, IPPROTO_TCP);
	CHECK_MEM(k.src, a4, 4);
	CHECK_MEM(k.src + 4, zero, 12);
	CHECK_EQ(k.sport, 1234);
	CHECK_EQ(k.dport, 80);
	CHECK_EQ(k.pad[0] | k.pad[1], 0);

	load(&p, inner6_hex);
	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_IPV6, &k), 0);
	CHECK_EQ(k.family, FLOW_FAMILY_IPV6);
	CHECK_EQ(k.proto, IPPROTO_UDP);
	CHECK_MEM(k.dst, p.b + 24, 16);
	CHECK_EQ(k.sport, 5000);
	CHECK_EQ(k.dport, 53);

	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_NONE, &k), -EPROTONOSUPPORT);
	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_IPV4, &k), -EPROTO);
}

TEST(flow_hash_stable_across_srv6)
{
	const char *inners[] = {inner4_hex, inner6_hex};

	for (int i = 0; i < 2; i++) {
		struct buf plain, enc;

		load(&plain, inners[i]);
		enc = plain;
		srv6_encap(&enc, 3, 0);
		check_same_flow(&plain, &enc, PKT_L3_IPV6, "SRv6 H.Encaps");
		enc = plain;
		srv6_encap(&enc, 3, 1);
		check_same_flow(&plain, &enc, PKT_L3_IPV6, "SRv6 H.Encaps.Red");
		enc = plain;
		srv6_encap(&enc, 1, 1); /* no SRH at all */
		check_same_flow(&plain, &enc, PKT_L3_IPV6, "SRv6 reduced, one segment");
		srv6_encap(&enc, 2, 0); /* SRv6 in SRv6 (End.B6.Encaps) */
		check_same_flow(&plain, &enc, PKT_L3_IPV6, "SRv6 in SRv6");
	}
}

TEST(flow_hash_stable_across_srh_with_tlvs_and_ext_headers)
{
	struct buf plain, enc;
	uint8_t *d;
	struct in6_addr s, t;
	size_t srh_len;

	load(&plain, inner4_hex);
	enc = plain;
	/* SRH with Pad1, PadN and HMAC TLVs (test_pkt_srh.c), next header 4,
	 * behind a hop-by-hop header. */
	srh_len = test_hex(prepend(&enc, 104), 104,
			   "040c040202000000"
			   "20010db8000300000000000000000003"
			   "20010db8000200000000000000000002"
			   "20010db8000100000000000000000001"
			   "00"
			   "04050000000000"
			   "0526000001020304"
			   "0bb7aeece37d475725b949ca7a52e15b6c80285f22838ebc20019fd13b8cd40b");
	CHECK_EQ(srh_len, 104);
	d = prepend(&enc, IPV6_HDR_LEN + 8);
	inet_pton(AF_INET6, "2001:db8::1", &s);
	inet_pton(AF_INET6, "2001:db8:1::1", &t);
	ipv6_build((struct ipv6_hdr *)d, 0, 0, (uint16_t)(enc.len - IPV6_HDR_LEN), IPPROTO_HOPOPTS,
		   64, &s, &t);
	memset(d + IPV6_HDR_LEN, 0, 8);
	d[IPV6_HDR_LEN] = IPPROTO_ROUTING;
	d[IPV6_HDR_LEN + 2] = 1; /* PadN option, length 4 */
	d[IPV6_HDR_LEN + 3] = 4;
	check_same_flow(&plain, &enc, PKT_L3_IPV6, "SRv6 with TLVs");
}

TEST(flow_hash_stable_across_mpls)
{
	const char *inners[] = {inner4_hex, inner6_hex};

	for (int i = 0; i < 2; i++) {
		struct buf plain, enc;

		load(&plain, inners[i]);
		for (int depth = 1; depth <= MPLS_STACK_MAX; depth += 5) {
			enc = plain;
			mpls_encap(&enc, depth);
			check_same_flow(&plain, &enc, PKT_L3_MPLS, "MPLS");
		}
		/* SR-MPLS over SRv6 over MPLS: three levels. */
		enc = plain;
		srv6_encap(&enc, 2, 0);
		mpls_encap(&enc, 2);
		check_same_flow(&plain, &enc, PKT_L3_MPLS, "SRv6 in MPLS");
	}
}

TEST(flow_hash_stable_across_nsh)
{
	const char *inners[] = {inner4_hex, inner6_hex};

	for (int i = 0; i < 2; i++) {
		struct buf plain, enc;
		uint8_t np = i == 0 ? NSH_NP_IPV4 : NSH_NP_IPV6;

		load(&plain, inners[i]);
		for (int md = 1; md <= 2; md++) {
			enc = plain;
			nsh_encap(&enc, md, np);
			check_same_flow(&plain, &enc, PKT_L3_NSH, "NSH");
			/* NSH carrying an Ethernet frame. */
			enc = plain;
			eth_encap(&enc, i == 0 ? ETH_P_IPV4 : ETH_P_IPV6);
			nsh_encap(&enc, md, NSH_NP_ETHERNET);
			check_same_flow(&plain, &enc, PKT_L3_NSH, "NSH over Ethernet payload");
			/* ... over VXLAN-GPE over IPv4: three levels around the inner packet. */
			gpe_encap(&enc);
			check_same_flow(&plain, &enc, PKT_L3_IPV4, "VXLAN-GPE/NSH/Ethernet");
		}
	}
}

TEST(flow_nesting_cap)
{
	struct buf plain, enc;
	struct flow_key k;

	load(&plain, inner4_hex);
	enc = plain;
	for (int i = 0; i < FLOW_NEST_MAX; i++)
		srv6_encap(&enc, 1, 1);
	check_same_flow(&plain, &enc, PKT_L3_IPV6, "FLOW_NEST_MAX levels");
	srv6_encap(&enc, 1, 1);
	CHECK_EQ(flow_key_from_l3(enc.b, enc.len, PKT_L3_IPV6, &k), -E2BIG);
	CHECK(flow_hash_l3(enc.b, enc.len, PKT_L3_IPV6, 0) != 0);
}

TEST(flow_errors_keep_outer_addresses)
{
	struct buf enc;
	struct flow_key k;

	/* MPLS pseudowire (control word, not IP): nothing to key on. */
	load(&enc, "00000000 0200000000000000");
	mpls_encap(&enc, 2);
	CHECK_EQ(flow_key_from_l3(enc.b, enc.len, PKT_L3_MPLS, &k), -EPROTONOSUPPORT);
	CHECK_EQ(k.family, FLOW_FAMILY_NONE);
	CHECK(flow_hash(&k, 0) != 0);

	/* SRv6 whose inner IPv4 packet is truncated: the outer IPv6 key. */
	load(&enc, "4500002800010000400600000000000000000000");
	srv6_encap(&enc, 2, 0);
	CHECK_EQ(flow_key_from_l3(enc.b, enc.len, PKT_L3_IPV6, &k), -EBADMSG);
	CHECK_EQ(k.family, FLOW_FAMILY_IPV6);
	CHECK_EQ(k.proto, IPPROTO_IPIP);
	CHECK_MEM(k.src, enc.b + 8, 16);

	for (size_t len = 0; len < 20; len++)
		CHECK(flow_key_from_l3(enc.b, len, PKT_L3_IPV6, &k) < 0);
}

TEST(flow_fragments)
{
	struct buf p, enc;
	struct flow_key k;

	load(&p, inner4_hex);
	wr_be16(p.b + 6, IPV4_MF); /* first fragment: ports present */
	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_IPV4, &k), 0);
	CHECK_EQ(k.sport, 1234);
	wr_be16(p.b + 6, 100); /* later fragment: no transport header */
	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_IPV4, &k), 0);
	CHECK_EQ(k.proto, IPPROTO_TCP);
	CHECK_EQ(k.sport, 0);
	CHECK_EQ(k.dport, 0);

	/* A fragmented IPv4 tunnel packet is keyed on itself. */
	load(&enc, inner6_hex);
	srv6_encap(&enc, 1, 1);
	gpe_encap(&enc);
	wr_be16(enc.b + 6, IPV4_MF);
	CHECK_EQ(flow_key_from_l3(enc.b, enc.len, PKT_L3_IPV4, &k), 0);
	CHECK_EQ(k.family, FLOW_FAMILY_IPV4);
	CHECK_EQ(k.proto, IPPROTO_UDP);
	CHECK_EQ(k.dport, VXLAN_GPE_PORT);
}

TEST(flow_icmp_type_code_as_ports)
{
	struct buf p;
	struct flow_key k;

	load(&p, "60000000000c3a4020010db8000000000000000000000001"
		 "20010db800000000000000000000000280005f7a0001000261626364");
	CHECK_EQ(flow_key_from_l3(p.b, p.len, PKT_L3_IPV6, &k), 0);
	CHECK_EQ(k.proto, IPPROTO_ICMPV6);
	CHECK_EQ(k.sport, L4_ICMP6_ECHO_REQUEST);
	CHECK_EQ(k.dport, 0);
}

TEST(flow_hash_symmetric)
{
	struct buf fwd, rev;
	uint32_t hf, hr;

	load(&fwd, inner4_hex);
	/* The reply: addresses and ports swapped. */
	rev = fwd;
	memcpy(rev.b + 12, fwd.b + 16, 4);
	memcpy(rev.b + 16, fwd.b + 12, 4);
	memcpy(rev.b + 20, fwd.b + 22, 2);
	memcpy(rev.b + 22, fwd.b + 20, 2);
	hf = flow_hash_l3(fwd.b, fwd.len, PKT_L3_IPV4, 1);
	hr = flow_hash_l3(rev.b, rev.len, PKT_L3_IPV4, 1);
	CHECK_EQ(hf, hr);
	CHECK(flow_hash_l3(fwd.b, fwd.len, PKT_L3_IPV4, 0) !=
	      flow_hash_l3(rev.b, rev.len, PKT_L3_IPV4, 0));
	/* Encapsulated reply, symmetric: still the same. */
	mpls_encap(&rev, 2);
	CHECK_EQ(flow_hash_l3(rev.b, rev.len, PKT_L3_MPLS, 1), hf);

	/* Same address both ways: ordered by port. */
	{
		struct flow_key a = {0}, b;

		a.family = FLOW_FAMILY_IPV4;
		a.proto = IPPROTO_UDP;
		a.sport = 1;
		a.dport = 2;
		b = a;
		b.sport = 2;
		b.dport = 1;
		CHECK_EQ(flow_hash(&a, 1), flow_hash(&b, 1));
		CHECK(flow_hash(&a, 0) != flow_hash(&b, 0));
	}
}

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint32_t rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void random_key(struct flow_key *k)
{
	uint8_t *b = (uint8_t *)k;

	memset(k, 0, sizeof(*k));
	for (size_t i = 0; i < offsetof(struct flow_key, pad); i++)
		b[i] = (uint8_t)rnd32();
}

TEST(flow_hash_avalanche)
{
	/* Every input bit of the key flips each output bit with probability
	 * close to 1/2 (strict avalanche), measured over random keys. */
	enum { TRIALS = 200, IN_BITS = 8 * 36 };
	static uint16_t flips[IN_BITS][32];
	double worst = 0;

	memset(flips, 0, sizeof(flips));
	for (int t = 0; t < TRIALS; t++) {
		struct flow_key k, m;
		uint32_t h;

		random_key(&k);
		h = flow_hash(&k, 0);
		for (int bit = 0; bit < IN_BITS; bit++) {
			uint32_t d;

			m = k;
			((uint8_t *)&m)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			d = h ^ flow_hash(&m, 0);
			for (int o = 0; o < 32; o++)
				flips[bit][o] += (d >> o) & 1;
		}
	}
	for (int bit = 0; bit < IN_BITS; bit++)
		for (int o = 0; o < 32; o++) {
			double p = (double)flips[bit][o] / TRIALS,
			       dev = p > 0.5 ? p - 0.5 : 0.5 - p;

			if (dev > worst)
				worst = dev;
		}
	/* With 200 trials one standard deviation is 0.035; 9216 cells. */
	if (worst > 0.2)
		test_fail(__FILE__, __LINE__, "avalanche bias %.3f", worst);
}

TEST(flow_hash_spreads_sequential_ports)
{
	/* 65536 flows differing only in the source port, into 64 buckets:
	 * chi-square with 63 degrees of freedom stays well under 150. */
	unsigned buckets[64] = {0};
	struct flow_key k;
	double chi = 0, expect = 65536.0 / 64;

	random_key(&k);
	for (uint32_t port = 0; port < 65536; port++) {
		uint32_t h;

		k.sport = (uint16_t)port;
		h = flow_hash(&k, 0);
		CHECK(h != 0);
		buckets[h % 64]++;
	}
	for (int i = 0; i < 64; i++)
		chi += (buckets[i] - expect) * (buckets[i] - expect) / expect;
	if (chi > 150)
		test_fail(__FILE__, __LINE__, "chi-square %.1f", chi);
}

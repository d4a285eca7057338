/* IPv6 extension header walk. Vectors built with scapy. */
#include <arpa/inet.h>
#include <errno.h>

#include "pkt/ipv6.h"
#include "test.h"

#define V6_HDR_HEX                                                                                 \
	"20010db8000000000000000000000001"                                                         \
	"20010db8000000000000000000000002"

/* IPv6/HopByHop/DestOpt/SRH(2 segments, SL 1)/Fragment(offset 0, M)/UDP/"x" */
static const char v6_ext_hex[] = "6000000000490040" V6_HDR_HEX "3c00010400000000"
				 "2b00010400000000"
				 "2c04040101000000"
				 "20010db8000000000000000000000002"
				 "20010db8000100000000000000000001"
				 "1100000100000005"
				 "000100020009"
				 "2c64"
				 "78";

TEST(ipv6_walk_plain_udp)
{
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p),
			    "60000000000e1140" V6_HDR_HEX "13880035000e4cad68656c6c6f21");
	struct ipv6_info ip;

	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK(ip.hdr == (const struct ipv6_hdr *)p);
	CHECK_EQ(ip.payload_len, 14);
	CHECK_EQ(ip.n_ext, 0);
	CHECK_EQ(ip.l4_proto, IPPROTO_UDP);
	CHECK_EQ(ip.l4_off, 40);
	CHECK_EQ(ip.srh_off, 0);
	CHECK_EQ(ip.rh_off, 0);
	CHECK_EQ(ip.fraghdr_off, 0);
	CHECK(!ip.non_first_fragment);
	for (size_t len = 0; len < n; len++)
		CHECK_EQ(ipv6_walk(p, len, &ip), -EBADMSG);
	p[0] = 0x45;
	CHECK_EQ(ipv6_walk(p, n, &ip), -EPROTO);
}

TEST(ipv6_walk_extension_chain)
{
	uint8_t p[160];
	size_t n = test_hex(p, sizeof(p), v6_ext_hex);
	struct ipv6_info ip;

	CHECK_EQ(n, 113);
	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK_EQ(ip.n_ext, 4);
	CHECK_EQ(ip.rh_off, 56);
	CHECK_EQ(ip.rh_type, 4);
	CHECK_EQ(ip.srh_off, 56);
	CHECK_EQ(ip.fraghdr_off, 96);
	CHECK(!ip.non_first_fragment);
	CHECK_EQ(ip.l4_proto, IPPROTO_UDP);
	CHECK_EQ(ip.l4_off, 104);
	/* Every truncation of the buffer, and every payload length too short
	 * for the chain, is rejected; padding after the payload is ignored. */
	for (size_t len = 0; len < n; len++)
		CHECK_EQ(ipv6_walk(p, len, &ip), -EBADMSG);
	for (uint16_t plen = 0; plen <= 73; plen++) {
		wr_be16(p + 4, plen);
		CHECK_EQ(ipv6_walk(p, n, &ip), plen < 64 ? -EBADMSG : 0);
	}
	wr_be16(p + 4, 64);
	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK_EQ(ip.l4_off, 104);
}

TEST(ipv6_walk_routing_type_other_than_srh)
{
	uint8_t p[160];
	size_t n = test_hex(p, sizeof(p), v6_ext_hex);
	struct ipv6_info ip;

	p[58] = 2; /* routing type 2 (mobility) */
	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK_EQ(ip.rh_off, 56);
	CHECK_EQ(ip.rh_type, 2);
	CHECK_EQ(ip.srh_off, 0);
}

TEST(ipv6_walk_non_first_fragment)
{
	/* IPv6/Fragment(offset 10, nh UDP)/"payload!" */
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p),
			    "6000000000102c40" V6_HDR_HEX "1100005000000005"
			    "7061796c6f616421");
	struct ipv6_info ip;

	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK(ip.non_first_fragment);
	CHECK_EQ(ip.fraghdr_off, 40);
	CHECK_EQ(ip.l4_proto, IPPROTO_UDP);
	CHECK_EQ(ip.l4_off, 48);
}

TEST(ipv6_walk_ah)
{
	/* AH with Payload Len 4: (4 + 2) * 4 = 24 bytes (RFC 4302 2.2). */
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p),
			    "60000000002c3340" V6_HDR_HEX "060400000000010000000001"
			    "000000000000000000000000"
			    "0001000200000000000000005002200000000000");
	struct ipv6_info ip;

	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK_EQ(ip.n_ext, 1);
	CHECK_EQ(ip.l4_proto, IPPROTO_TCP);
	CHECK_EQ(ip.l4_off, 64);
}

/* IPv6 followed by n destination options headers, then no next header. */
static size_t v6_dstopts(uint8_t *p, int n)
{
	size_t len = IPV6_HDR_LEN + (size_t)n * 8;

	memset(p, 0, len);
	p[0] = 0x60;
	wr_be16(p + 4, (uint16_t)(n * 8));
	p[6] = n ? IPPROTO_DSTOPTS : IPPROTO_NONE;
	p[7] = 64;
	for (int i = 0; i < n; i++)
		p[IPV6_HDR_LEN + i * 8] = i + 1 < n ? IPPROTO_DSTOPTS : IPPROTO_NONE;
	return len;
}

TEST(ipv6_walk_no_next_header_and_cap)
{
	uint8_t p[256];
	struct ipv6_info ip;
	size_t n;

	n = v6_dstopts(p, 0);
	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK_EQ(ip.l4_proto, IPPROTO_NONE);
	CHECK_EQ(ip.l4_off, 40);

	n = v6_dstopts(p, IPV6_EXT_MAX);
	CHECK_EQ(ipv6_walk(p, n, &ip), 0);
	CHECK_EQ(ip.n_ext, IPV6_EXT_MAX);
	CHECK_EQ(ip.l4_proto, IPPROTO_NONE);
	CHECK_EQ(ip.l4_off, 40 + 8 * IPV6_EXT_MAX);

	n = v6_dstopts(p, IPV6_EXT_MAX + 1);
	CHECK_EQ(ipv6_walk(p, n, &ip), -E2BIG);
}

TEST(ipv6_build_matches_scapy)
{
	uint8_t want[64], got[40];
	struct in6_addr s, d;
	struct ipv6_hdr *h = (struct ipv6_hdr *)got;

	test_hex(want, sizeof(want),
		 "6b8123450008114020010db8000000000000000000000001"
		 "20010db8000000000000000000000002");
	inet_pton(AF_INET6, "2001:db8::1", &s);
	inet_pton(AF_INET6, "2001:db8::2", &d);
	ipv6_build(h, 0xb8, 0x12345, 8, IPPROTO_UDP, 64, &s, &d);
	CHECK_MEM(got, want, 40);
	CHECK_EQ(ipv6_version(h), 6);
	CHECK_EQ(ipv6_tc(h), 0xb8);
	CHECK_EQ(ipv6_flow_label(h), 0x12345);
	CHECK_EQ(ipv6_payload_len(h), 8);
}

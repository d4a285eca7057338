/* IPv4 parsing, header checksum, TTL decrement and building. */
#include <errno.h>
#include <netinet/in.h>

#include "pkt/ipv4.h"
#include "test.h"

/* IP(src=192.0.2.1, dst=198.51.100.2, id=1, ttl=64)/TCP(1234 -> 80, S), scapy. */
static const char ipv4_tcp_hex[] = "450000280001000040068e98c0000201c633640204d20050000000010000"
				   "0000500220009e880000";

TEST(ipv4_parse_scapy_tcp)
{
	uint8_t p[64];
	size_t n = test_hex(p, sizeof(p), ipv4_tcp_hex);
	struct ipv4_info ip;

	CHECK_EQ(n, 40);
	CHECK_EQ(ipv4_parse(p, n, &ip), 0);
	CHECK(ip.hdr == (const struct ipv4_hdr *)p);
	CHECK_EQ(ip.hdr_len, 20);
	CHECK_EQ(ip.total_len, 40);
	CHECK_EQ(ip.proto, IPPROTO_TCP);
	CHECK_EQ(ip.l4_off, 20);
	CHECK(!ip.is_fragment);
	CHECK(!ip.non_first_fragment);
	CHECK(ipv4_csum_ok(ip.hdr));
	CHECK_EQ(ipv4_csum_compute(ip.hdr), 0x8e98);
	/* Link padding after total_len is allowed. */
	CHECK_EQ(ipv4_parse(p, n + 6, &ip), 0);
	for (size_t len = 0; len < n; len++)
		CHECK_EQ(ipv4_parse(p, len, &ip), -EBADMSG);
}

TEST(ipv4_parse_rejects)
{
	uint8_t p[64];
	size_t n = test_hex(p, sizeof(p), ipv4_tcp_hex);
	struct ipv4_info ip;

	p[0] = 0x65;
	CHECK_EQ(ipv4_parse(p, n, &ip), -EPROTO);
	p[0] = 0x44; /* IHL 4 */
	CHECK_EQ(ipv4_parse(p, n, &ip), -EBADMSG);
	p[0] = 0x4b; /* IHL 11 = 44 bytes > total_len 40 */
	CHECK_EQ(ipv4_parse(p, 64, &ip), -EBADMSG);
	p[0] = 0x46; /* IHL 6: options fit */
	CHECK_EQ(ipv4_parse(p, n, &ip), 0);
	CHECK_EQ(ip.l4_off, 24);
	p[0] = 0x45;
	wr_be16(p + 2, 19); /* total_len below the header */
	CHECK_EQ(ipv4_parse(p, n, &ip), -EBADMSG);
}

TEST(ipv4_fragments)
{
	uint8_t p[64];
	size_t n = test_hex(p, sizeof(p), ipv4_tcp_hex);
	struct ipv4_info ip;

	wr_be16(p + 6, IPV4_MF);
	CHECK_EQ(ipv4_parse(p, n, &ip), 0);
	CHECK(ip.is_fragment);
	CHECK(!ip.non_first_fragment);
	wr_be16(p + 6, 185); /* last fragment, offset 1480 */
	CHECK_EQ(ipv4_parse(p, n, &ip), 0);
	CHECK(ip.is_fragment);
	CHECK(ip.non_first_fragment);
	CHECK_EQ(ipv4_frag_offset(ip.hdr), 1480);
	wr_be16(p + 6, IPV4_DF);
	CHECK_EQ(ipv4_parse(p, n, &ip), 0);
	CHECK(!ip.is_fragment);
}

TEST(ipv4_dec_ttl_incremental_equals_recompute)
{
	uint8_t p[64];

	test_hex(p, sizeof(p), ipv4_tcp_hex);
	for (int ttl = 255; ttl >= 2; ttl--) {
		struct ipv4_hdr *h = (struct ipv4_hdr *)p;

		p[8] = (uint8_t)ttl;
		h->check = 0;
		h->check = h_to_be16(ipv4_csum_compute(h));
		CHECK_EQ(ipv4_dec_ttl(h), 0);
		CHECK_EQ(p[8], ttl - 1);
		CHECK(ipv4_csum_ok(h));
		CHECK_EQ(be16_to_h(h->check), ipv4_csum_compute(h));
	}
	for (int ttl = 0; ttl <= 1; ttl++) {
		uint8_t before[20];

		p[8] = (uint8_t)ttl;
		memcpy(before, p, 20);
		CHECK_EQ(ipv4_dec_ttl((struct ipv4_hdr *)p), -ETIMEDOUT);
		CHECK_MEM(p, before, 20);
	}
}

TEST(ipv4_build_matches_scapy)
{
	uint8_t want[64], got[20];
	be32 s, d;

	test_hex(want, sizeof(want), ipv4_tcp_hex);
	memcpy(&s, want + 12, 4);
	memcpy(&d, want + 16, 4);
	ipv4_build((struct ipv4_hdr *)got, 0, 40, 1, 0, 64, IPPROTO_TCP, s, d);
	CHECK_MEM(got, want, 20);
	CHECK(ipv4_csum_ok((struct ipv4_hdr *)got));
}

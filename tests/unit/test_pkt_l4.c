/* Transport checksums against scapy-built packets, and port extraction. */
#include <arpa/inet.h>
#include <errno.h>

#include "pkt/l4.h"
#include "test.h"

#define V6_ADDRS                                                                                   \
	"20010db8000000000000000000000001"                                                         \
	"20010db8000000000000000000000002"

static void v6_addrs(const uint8_t *ip6, struct in6_addr *s, struct in6_addr *d)
{
	memcpy(s, ip6 + 8, 16);
	memcpy(d, ip6 + 24, 16);
}

TEST(l4_udp_csum_v4_scapy)
{
	uint8_t p[64];
	size_t n = test_hex(p, sizeof(p),
			    "450000210007000040117cbac0000201cb007109"
			    "13880035000daa3968656c6c6f");
	be32 s, d;

	memcpy(&s, p + 12, 4);
	memcpy(&d, p + 16, 4);
	CHECK_EQ(l4_csum_v4(s, d, IPPROTO_UDP, p + 20, n - 20), 0);
	wr_be16(p + 26, 0);
	CHECK_EQ(l4_udp_csum_v4(s, d, p + 20, n - 20), 0xaa39);
	CHECK_EQ(l4_udp_len((const struct udp_hdr *)(p + 20)), 13);
}

TEST(l4_udp_csum_v6_scapy)
{
	uint8_t p[96];
	size_t n =
		test_hex(p, sizeof(p), "60000000000e1140" V6_ADDRS "13880035000e4cad68656c6c6f21");
	struct in6_addr s, d;

	v6_addrs(p, &s, &d);
	CHECK_EQ(l4_csum_v6(&s, &d, IPPROTO_UDP, p + 40, n - 40), 0);
	wr_be16(p + 46, 0);
	CHECK_EQ(l4_udp_csum_v6(&s, &d, p + 40, n - 40), 0x4cad);
}

TEST(l4_udp_csum_zero_is_sent_as_ffff)
{
	uint8_t p[96];
	size_t n =
		test_hex(p, sizeof(p), "60000000000e1140" V6_ADDRS "13880035000e000068656c6c0000");
	struct in6_addr s, d;
	uint16_t c;

	v6_addrs(p, &s, &d);
	/* Adding the checksum itself to the data makes the sum 0xffff. */
	c = l4_udp_csum_v6(&s, &d, p + 40, n - 40);
	wr_be16(p + n - 2, c);
	CHECK_EQ(l4_csum_v6(&s, &d, IPPROTO_UDP, p + 40, n - 40), 0);
	CHECK_EQ(l4_udp_csum_v6(&s, &d, p + 40, n - 40), 0xffff);
}

TEST(l4_icmp6_csum_scapy)
{
	uint8_t p[96];
	size_t n = test_hex(p, sizeof(p), "60000000000c3a40" V6_ADDRS "80005f7a0001000261626364");
	struct in6_addr s, d;

	v6_addrs(p, &s, &d);
	CHECK_EQ(l4_icmp6_csum(&s, &d, p + 40, n - 40), 0);
	wr_be16(p + 42, 0);
	CHECK_EQ(l4_icmp6_csum(&s, &d, p + 40, n - 40), 0x5f7a);
}

TEST(l4_icmp_and_tcp_scapy)
{
	uint8_t p[96];
	size_t n = test_hex(p, sizeof(p),
			    "45000020000300004001f6d6c0000201c00002020800192d0001000170696e67");
	struct in6_addr s, d;
	const struct tcp_hdr *t;

	CHECK_EQ(l4_icmp_csum(p + 20, n - 20), 0);
	wr_be16(p + 22, 0);
	CHECK_EQ(l4_icmp_csum(p + 20, n - 20), 0x192d);

	n = test_hex(p, sizeof(p),
		     "6000000000180640" V6_ADDRS
		     "01bbc3500000000500000009501820009677000064617461");
	v6_addrs(p, &s, &d);
	CHECK_EQ(l4_csum_v6(&s, &d, IPPROTO_TCP, p + 40, n - 40), 0);
	t = (const struct tcp_hdr *)(p + 40);
	CHECK_EQ(l4_tcp_hdr_len(t), 20);
	CHECK_EQ(t->flags, L4_TCP_PSH | L4_TCP_ACK);
	CHECK_EQ(be16_to_h(t->sport), 443);
	wr_be16(p + 56, 0);
	CHECK_EQ(l4_csum_v6(&s, &d, IPPROTO_TCP, p + 40, n - 40), 0x9677);
}

TEST(l4_ports_by_protocol)
{
	static const uint8_t h[8] = {0x13, 0x88, 0x00, 0x35, 0, 8, 0, 0};
	uint16_t sp = 0, dp = 0;

	CHECK_EQ(l4_ports(IPPROTO_UDP, h, 8, &sp, &dp), 0);
	CHECK_EQ(sp, 5000);
	CHECK_EQ(dp, 53);
	CHECK_EQ(l4_ports(IPPROTO_TCP, h, 4, &sp, &dp), 0);
	CHECK_EQ(l4_ports(IPPROTO_SCTP, h, 3, &sp, &dp), -EBADMSG);
	CHECK_EQ(l4_ports(IPPROTO_ICMPV6, h, 2, &sp, &dp), 0);
	CHECK_EQ(sp, 0x13);
	CHECK_EQ(dp, 0x88);
	CHECK_EQ(l4_ports(IPPROTO_ICMP, h, 1, &sp, &dp), -EBADMSG);
	CHECK_EQ(l4_ports(IPPROTO_GRE, h, 8, &sp, &dp), -ENOENT);
}

/* The small inline accessors of pkt/ that the data plane's stages read and
 * write headers through (ipv6.h, ipv4.h, mpls.h, nsh.h, srh.h, l4.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/mpls.h"
#include "pkt/nsh.h"
#include "pkt/srh.h"
#include "test.h"

static void a6(void *a, const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
}

TEST(pkt_ipv6_hdr_at_and_hop_limit)
{
	uint8_t b[1 + IPV6_HDR_LEN] = {0};
	struct in6_addr s, d;
	struct ipv6_hdr *h = ipv6_hdr_at(b + 1); /* odd address: packed */

	a6(&s, "2001:db8::1");
	a6(&d, "2001:db8::2");
	ipv6_build(h, 0, 0, 0, IPPROTO_NONE, 2, &s, &d);
	CHECK_EQ(b[1 + 7], 2);
	CHECK_MEM(b + 1 + 24, &d, 16);
	CHECK_EQ(ipv6_dec_hop_limit(h), 0);
	CHECK_EQ(h->hop_limit, 1);
	CHECK_EQ(ipv6_dec_hop_limit(h), -ETIMEDOUT);
	CHECK_EQ(h->hop_limit, 1); /* untouched */
	h->hop_limit = 0;
	CHECK_EQ(ipv6_dec_hop_limit(h), -ETIMEDOUT);
	CHECK_EQ(h->hop_limit, 0);
}

TEST(pkt_ipv4_set_ttl_keeps_checksum)
{
	uint8_t b[1 + IPV4_HDR_LEN];
	struct ipv4_hdr *h = ipv4_hdr_at(b + 1);
	be32 s = h_to_be32(0xc0000201), d = h_to_be32(0xc6336401);

	ipv4_build(h, 0, 60, 7, IPV4_DF, 64, IPPROTO_UDP, s, d);
	CHECK(ipv4_csum_ok(h));
	ipv4_set_ttl(h, 3);
	CHECK_EQ(b[1 + 8], 3);
	CHECK(ipv4_csum_ok(h));
	ipv4_set_ttl(h, 255);
	CHECK_EQ(h->ttl, 255);
	CHECK(ipv4_csum_ok(h));
	CHECK_EQ(h->protocol, IPPROTO_UDP);
}

TEST(pkt_mpls_store_load)
{
	uint8_t b[5] = {0};
	be32 e = mpls_entry(16004, 5, 1, 63);

	mpls_store(b + 1, e);
	/* 16004 = 0x03e84: label 20 bits, TC 3, S 1, TTL 8 */
	CHECK_EQ(b[1], 0x03);
	CHECK_EQ(b[2], 0xe8);
	CHECK_EQ(b[3], 0x4b); /* 4 << 4 | 5 << 1 | 1 */
	CHECK_EQ(b[4], 63);
	CHECK_EQ(mpls_label(mpls_load(b + 1)), 16004);
	CHECK_EQ(mpls_tc(mpls_load(b + 1)), 5);
	CHECK_EQ(mpls_s(mpls_load(b + 1)), 1);
	CHECK_EQ(b[0], 0);
}

TEST(pkt_nsh_hdr_at_set_si)
{
	uint8_t b[1 + NSH_MD1_LEN];
	struct nsh_hdr *h = nsh_hdr_at(b + 1);

	CHECK_EQ(nsh_build(b + 1, sizeof(b) - 1, 0x123456, 9, 63, NSH_NP_IPV4, NSH_MD_TYPE1, 0),
		 NSH_MD1_LEN);
	nsh_set_si(h, 8);
	CHECK_EQ(nsh_si(h), 8);
	CHECK_EQ(nsh_spi(h), 0x123456);
	CHECK_EQ(b[1 + 7], 8);
}

TEST(pkt_udp_dport)
{
	uint8_t b[1 + L4_UDP_HLEN] = {0, 0x12, 0x34, 0x12, 0xb6, 0, 8, 0, 0};
	const struct udp_hdr *u = (const void *)(b + 1);

	CHECK_EQ(l4_udp_dport(u), 4790);
	CHECK_EQ(l4_udp_len(u), 8);
}

TEST(pkt_srh_active_segment)
{
	struct in6_addr path[3];
	struct srh_info si;
	uint8_t b[1 + 128];
	struct srh_hdr *h = srh_hdr_at(b + 1);
	int n;

	a6(&path[0], "2001:db8::a");
	a6(&path[1], "2001:db8::b");
	a6(&path[2], "2001:db8::c");
	n = srh_build(b + 1, sizeof(b) - 1, IPPROTO_IPV6, path, 3, 0);
	CHECK(n > 0);
	CHECK_EQ(h->segments_left, 2);
	CHECK_EQ(srh_parse(b + 1, (size_t)n, &si), 0);
	/* Segment List[2] is the first segment of the path */
	CHECK(srh_active_segment(&si) && !memcmp(srh_active_segment(&si), &path[0], 16));
	h->segments_left = 0;
	CHECK_EQ(srh_parse(b + 1, (size_t)n, &si), 0);
	CHECK(srh_active_segment(&si) && !memcmp(srh_active_segment(&si), &path[2], 16));
	h->segments_left = 3; /* one past Last Entry */
	CHECK_EQ(srh_parse(b + 1, (size_t)n, &si), 0);
	CHECK(srh_active_segment(&si) == NULL);
}

TEST(pkt_srh_hmac_field)
{
	struct hmac_sha256_key k;
	struct in6_addr path[2], src;
	struct srh_info si;
	uint8_t b[256];
	int n;

	a6(&path[0], "2001:db8::a");
	a6(&path[1], "2001:db8::b");
	a6(&src, "2001:db8::1");
	hmac_sha256_setkey(&k, (const uint8_t *)"k", 1);
	n = srh_build_hmac(b, sizeof(b), IPPROTO_IPV6, path, 2, 0, &src, &k, 9);
	CHECK(n > 0);
	CHECK_EQ(srh_parse(b, (size_t)n, &si), 0);
	CHECK(si.hmac_off != 0);
	CHECK(srh_hmac_field(&si) == b + si.hmac_off + 8);
	CHECK_EQ(srh_hmac_key_id(&si), 9);
	/* a TLV too short for HMAC-SHA-256 (still a valid TLV walk) */
	b[si.hmac_off + 1] = 6;
	b[si.hmac_off + 8] = SRH_TLV_PADN;
	b[si.hmac_off + 9] = SRH_HMAC_LEN - 2;
	CHECK_EQ(srh_parse(b, (size_t)n, &si), 0);
	CHECK(si.hmac_off != 0);
	CHECK(srh_hmac_field(&si) == NULL);
}

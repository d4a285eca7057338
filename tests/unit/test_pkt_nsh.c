/* NSH: MD type 1 (scapy vector) and type 2 (decoded by tshark as class
 * 0xfff6, type 1, length 4), round trips, length rules, TLV walk. */
#include <errno.h>

#include "pkt/nsh.h"
#include "test.h"

/* scapy NSH(mdtype=1, nextproto=1, spi=0x123456, si=254, ttl=63,
 * context_header=deadbeef + 12 zero bytes) */
static const char md1_hex[] = "0fc60101123456fe"
			      "deadbeef000000000000000000000000";
/* TTL 10, SPI 42, SI 9, next protocol Ethernet, TLV fff6/01/len 4. */
static const char md2_hex[] = "0284020300002a09"
			      "fff6010412345678";

TEST(nsh_md1_scapy_and_build)
{
	uint8_t p[64], b[64];
	size_t n = test_hex(p, sizeof(p), md1_hex);
	struct nsh_info ni;

	CHECK_EQ(nsh_parse(p, n, &ni), 0);
	CHECK(ni.hdr == (const struct nsh_hdr *)p);
	CHECK_EQ(ni.hdr_len, 24);
	CHECK_EQ(ni.md_type, NSH_MD_TYPE1);
	CHECK_EQ(ni.next_proto, NSH_NP_IPV4);
	CHECK_EQ(ni.spi, 0x123456);
	CHECK_EQ(ni.si, 254);
	CHECK_EQ(ni.ttl, 63);
	CHECK(!ni.oam);
	CHECK(ni.ctx == p + 8);
	CHECK_EQ(ni.ctx_len, 16);
	CHECK(ni.has_flow_hash);
	CHECK_EQ(ni.flow_hash, 0xdeadbeef);
	for (size_t len = 0; len < n; len++)
		CHECK_EQ(nsh_parse(p, len, &ni), -EBADMSG);

	memset(b, 0xee, sizeof(b));
	CHECK_EQ(nsh_build(b, sizeof(b), 0x123456, 254, 63, NSH_NP_IPV4, 1, 0xdeadbeef), 24);
	CHECK_MEM(b, p, 24);
}

TEST(nsh_md2_round_trip)
{
	uint8_t p[64], b[64];
	size_t n = test_hex(p, sizeof(p), md2_hex);
	struct nsh_info ni;

	CHECK_EQ(nsh_build(b, sizeof(b), 42, 9, 10, NSH_NP_ETHERNET, 2, 0x12345678), 16);
	CHECK_MEM(b, p, n);
	CHECK_EQ(nsh_parse(b, 16, &ni), 0);
	CHECK_EQ(ni.hdr_len, 16);
	CHECK_EQ(ni.md_type, NSH_MD_TYPE2);
	CHECK_EQ(ni.next_proto, NSH_NP_ETHERNET);
	CHECK_EQ(ni.spi, 42);
	CHECK_EQ(ni.si, 9);
	CHECK_EQ(ni.ttl, 10);
	CHECK_EQ(ni.n_tlvs, 1);
	CHECK(ni.has_flow_hash);
	CHECK_EQ(ni.flow_hash, 0x12345678);
	for (size_t len = 0; len < 16; len++)
		CHECK_EQ(nsh_parse(b, len, &ni), -EBADMSG);

	CHECK_EQ(nsh_build(b, 15, 42, 9, 10, 3, 2, 1), -ENOSPC);
	CHECK_EQ(nsh_build(b, 23, 42, 9, 10, 3, 1, 1), -ENOSPC);
	CHECK_EQ(nsh_build(b, sizeof(b), 0x1000000, 9, 10, 3, 2, 1), -EINVAL);
	CHECK_EQ(nsh_build(b, sizeof(b), 42, 9, 64, 3, 2, 1), -EINVAL);
	CHECK_EQ(nsh_build(b, sizeof(b), 42, 9, 10, 3, 3, 1), -EINVAL);
}

TEST(nsh_length_rules)
{
	uint8_t p[64];
	size_t n = test_hex(p, sizeof(p), md1_hex);
	struct nsh_info ni;

	p[0] = 0x4f; /* version 1 */
	CHECK_EQ(nsh_parse(p, n, &ni), -EPROTO);
	p[0] = 0x0f;
	p[1] = 0xc5; /* MD type 1 with Length 5 */
	CHECK_EQ(nsh_parse(p, n, &ni), -EBADMSG);
	p[1] = 0xc7;
	CHECK_EQ(nsh_parse(p, 28, &ni), -EBADMSG);
	p[1] = 0xc6;
	p[2] = 0; /* MD type 0: reserved */
	CHECK_EQ(nsh_parse(p, n, &ni), -EPROTO);
	p[2] = 0xf;
	CHECK_EQ(nsh_parse(p, n, &ni), -EPROTO);
	p[2] = 0xf1; /* unassigned high bits ignored */
	CHECK_EQ(nsh_parse(p, n, &ni), 0);

	/* MD type 2 with no context at all is valid; Length 1 is not. */
	n = test_hex(p, sizeof(p), md2_hex);
	p[1] = 0x82;
	CHECK_EQ(nsh_parse(p, n, &ni), 0);
	CHECK_EQ(ni.n_tlvs, 0);
	CHECK(!ni.has_flow_hash);
	p[1] = 0x81;
	CHECK_EQ(nsh_parse(p, n, &ni), -EBADMSG);
	p[1] = 0x80;
	CHECK_EQ(nsh_parse(p, n, &ni), -EBADMSG);
}

TEST(nsh_md2_tlv_walk)
{
	uint8_t p[128];
	struct nsh_info ni;
	size_t n = test_hex(p, sizeof(p), md2_hex);

	/* The TLV must fit the header exactly. */
	p[15 - 4] = 5; /* 5 bytes of metadata pad to 8: overruns by 4 */
	CHECK_EQ(nsh_parse(p, n, &ni), -EBADMSG);
	p[11] = 4;
	p[1] = 0x85; /* 4 trailing bytes that are not a whole TLV... */
	memset(p + 16, 0, 4);
	CHECK_EQ(nsh_parse(p, 20, &ni), 0); /* ...but a TLV with no metadata is */
	CHECK_EQ(ni.n_tlvs, 2);
	CHECK(ni.has_flow_hash);

	/* NSH_MD2_TLV_MAX empty TLVs fit, one more is refused. */
	memset(p + 8, 0, 4 * (NSH_MD2_TLV_MAX + 1));
	p[1] = (uint8_t)(0x80 | (2 + NSH_MD2_TLV_MAX));
	CHECK_EQ(nsh_parse(p, sizeof(p), &ni), 0);
	CHECK_EQ(ni.n_tlvs, NSH_MD2_TLV_MAX);
	CHECK(!ni.has_flow_hash);
	p[1] = (uint8_t)(0x80 | (3 + NSH_MD2_TLV_MAX));
	CHECK_EQ(nsh_parse(p, sizeof(p), &ni), -E2BIG);
}

TEST(nsh_accessors_ttl_si)
{
	uint8_t b[32];
	struct nsh_hdr *h = (struct nsh_hdr *)b;

	CHECK_EQ(nsh_build(b, sizeof(b), 0xabcdef, 200, 2, NSH_NP_IPV6, 1, 7), 24);
	CHECK_EQ(nsh_version(h), 0);
	CHECK_EQ(nsh_len(h), 24);
	CHECK_EQ(nsh_md_type(h), 1);
	CHECK_EQ(nsh_spi(h), 0xabcdef);
	nsh_set_si(h, 199);
	CHECK_EQ(nsh_si(h), 199);
	CHECK_EQ(nsh_spi(h), 0xabcdef);
	CHECK_EQ(nsh_dec_ttl(h), 0);
	CHECK_EQ(nsh_ttl(h), 1);
	CHECK_EQ(nsh_len(h), 24);
	CHECK_EQ(nsh_dec_ttl(h), -ETIMEDOUT);
	CHECK_EQ(nsh_ttl(h), 1);
	nsh_set_ttl(h, 0);
	CHECK_EQ(nsh_dec_ttl(h), 0); /* RFC 8300 2.2: 0 - 1 gives 63 */
	CHECK_EQ(nsh_ttl(h), 63);
	CHECK_EQ(nsh_len(h), 24);
	CHECK_EQ(nsh_version(h), 0);
}

/* SRv6 SRH: parsing (TLVs, caps, truncation), building (normal, reduced),
 * HMAC TLV (known answer computed with Python's hmac module over the
 * RFC 8754 2.1.2.1 text). */
#include <arpa/inet.h>
#include <errno.h>

#include "pkt/srh.h"
#include "test.h"

#define SEG3 "20010db8000300000000000000000003"
#define SEG2 "20010db8000200000000000000000002"
#define SEG1 "20010db8000100000000000000000001"

/* scapy: IPv6ExtHdrSegmentRouting(nh=41, addresses=[3::3, 2::2, 1::1], segleft=2) */
static const char srh_plain_hex[] = "2906040202000000" SEG3 SEG2 SEG1;

/* Same list, next header 4, then Pad1, PadN(5) and an HMAC TLV (key ID
 * 0x01020304, key "srchain-test-key", source 2001:db8::1). */
static const char srh_tlv_hmac_hex[] = "040c040202000000" SEG3 SEG2 SEG1 "00"
				       "0405"
				       "0000000000"
				       "0526"
				       "0000"
				       "01020304"
				       "0bb7aeece37d475725b949ca7a52e15b"
				       "6c80285f22838ebc20019fd13b8cd40b";

static const uint8_t test_key[] = "srchain-test-key";
#define TEST_KEY_LEN 16
#define TEST_KEY_ID  0x01020304

static void addr(struct in6_addr *a, const char *s)
{
	inet_pton(AF_INET6, s, a);
}

TEST(srh_parse_plain)
{
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p), srh_plain_hex);
	struct srh_info si;
	struct in6_addr a, want;

	CHECK_EQ(n, 56);
	CHECK_EQ(srh_parse(p, n, &si), 0);
	CHECK(si.hdr == (const struct srh_hdr *)p);
	CHECK_EQ(si.hdr->nexthdr, IPPROTO_IPV6);
	CHECK_EQ(si.hdr_len, 56);
	CHECK_EQ(si.n_segments, 3);
	CHECK_EQ(si.segments_left, 2);
	CHECK(!si.sl_overflow);
	CHECK(si.segments == p + 8);
	CHECK_EQ(si.tlv_off, 56);
	CHECK_EQ(si.tlv_len, 0);
	CHECK_EQ(si.n_tlvs, 0);
	CHECK_EQ(si.hmac_off, 0);
	srh_segment(&si, 0, &a);
	addr(&want, "2001:db8:3::3");
	CHECK_MEM(&a, &want, 16);
	srh_segment(&si, 2, &a);
	addr(&want, "2001:db8:1::1");
	CHECK_MEM(&a, &want, 16);
	for (size_t len = 0; len < n; len++)
		CHECK_EQ(srh_parse(p, len, &si), -EBADMSG);
}

TEST(srh_parse_rejects)
{
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p), srh_plain_hex);
	struct srh_info si;

	p[2] = 0; /* RH0 */
	CHECK_EQ(srh_parse(p, n, &si), -EPROTO);
	p[2] = 4;
	p[4] = 3; /* Last Entry 3: 4 segments in 48 bytes */
	CHECK_EQ(srh_parse(p, n, &si), -EBADMSG);
	p[4] = 2;
	p[1] = 7; /* 64 bytes announced, 56 present */
	CHECK_EQ(srh_parse(p, n, &si), -EBADMSG);
}

TEST(srh_segments_left_overflow_is_flagged_not_rejected)
{
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p), srh_plain_hex);
	struct srh_info si;

	p[3] = 3; /* Last Entry + 1: legal (reduced encapsulation) */
	CHECK_EQ(srh_parse(p, n, &si), 0);
	CHECK(!si.sl_overflow);
	p[3] = 4;
	CHECK_EQ(srh_parse(p, n, &si), 0);
	CHECK(si.sl_overflow);
	CHECK_EQ(si.segments_left, 4);
	p[3] = 255;
	CHECK_EQ(srh_parse(p, n, &si), 0);
	CHECK(si.sl_overflow);
}

TEST(srh_parse_pad1_padn_hmac)
{
	uint8_t p[160];
	size_t n = test_hex(p, sizeof(p), srh_tlv_hmac_hex);
	struct srh_info si;

	CHECK_EQ(n, 104);
	CHECK_EQ(srh_parse(p, n, &si), 0);
	CHECK_EQ(si.hdr_len, 104);
	CHECK_EQ(si.tlv_off, 56);
	CHECK_EQ(si.tlv_len, 48);
	CHECK_EQ(si.n_tlvs, 3);
	CHECK_EQ(si.hmac_off, 64);
	CHECK_EQ(srh_hmac_key_id(&si), TEST_KEY_ID);
	CHECK(!srh_hmac_d_flag(&si));
	for (size_t len = 0; len < n; len++)
		CHECK_EQ(srh_parse(p, len, &si), -EBADMSG);
}

TEST(srh_parse_tlv_errors)
{
	uint8_t p[160];
	size_t n = test_hex(p, sizeof(p), srh_tlv_hmac_hex);
	struct srh_info si;

	p[58] = 6; /* PadN eats the HMAC type: the bytes after it overrun the header */
	CHECK_EQ(srh_parse(p, n, &si), -EBADMSG);
	p[58] = 5;
	p[65] = 39; /* HMAC TLV one byte past the header end */
	CHECK_EQ(srh_parse(p, n, &si), -EBADMSG);
	p[65] = 5; /* shorter than D/RESERVED + Key ID */
	CHECK_EQ(srh_parse(p, n, &si), -EBADMSG);
	p[65] = 38;
	p[64] = 0x80; /* unknown type: skipped by its length */
	CHECK_EQ(srh_parse(p, n, &si), 0);
	CHECK_EQ(si.hmac_off, 0);
	CHECK_EQ(si.n_tlvs, 3);
	/* Lone type byte at the very end: no room for its length. */
	p[1] = 7;
	memset(p + 56, 0, 8);
	p[63] = SRH_TLV_PADN;
	CHECK_EQ(srh_parse(p, 64, &si), -EBADMSG);
}

TEST(srh_parse_tlv_cap)
{
	uint8_t p[256];
	struct srh_info si;

	test_hex(p, sizeof(p), srh_plain_hex);
	memset(p + 56, SRH_TLV_PAD1, 40);
	p[1] = (56 + 32) / 8 - 1; /* 32 Pad1 */
	CHECK_EQ(srh_parse(p, 88, &si), 0);
	CHECK_EQ(si.n_tlvs, SRH_TLV_MAX);
	p[1] = (56 + 40) / 8 - 1; /* 40 Pad1 */
	CHECK_EQ(srh_parse(p, 96, &si), -E2BIG);
}

static void path3(struct in6_addr path[3])
{
	addr(&path[0], "2001:db8:1::1");
	addr(&path[1], "2001:db8:2::2");
	addr(&path[2], "2001:db8:3::3");
}

TEST(srh_build_normal_matches_scapy)
{
	uint8_t want[128], got[128];
	struct in6_addr path[3];
	size_t n = test_hex(want, sizeof(want), srh_plain_hex);

	path3(path);
	CHECK_EQ(srh_len(3, 0), 56);
	CHECK_EQ(srh_build(got, sizeof(got), IPPROTO_IPV6, path, 3, 0), (int)n);
	CHECK_MEM(got, want, n);
	CHECK_EQ(srh_build(got, 55, IPPROTO_IPV6, path, 3, 0), -ENOSPC);
	CHECK_EQ(srh_build(got, sizeof(got), IPPROTO_IPV6, path, 0, 0), -EINVAL);

	CHECK_EQ(srh_build(got, sizeof(got), IPPROTO_IPIP, path, 1, 0), 24);
	CHECK_EQ(got[1], 2);
	CHECK_EQ(got[3], 0); /* Segments Left */
	CHECK_EQ(got[4], 0); /* Last Entry */
	CHECK_MEM(got + 8, &path[0], 16);
}

TEST(srh_build_reduced_layout)
{
	uint8_t got[128];
	struct in6_addr path[3];
	struct srh_info si;

	path3(path);
	/* RFC 8986 5.2: the first segment lives only in the destination
	 * address; the list keeps the other two, reversed. */
	CHECK_EQ(srh_build(got, sizeof(got), IPPROTO_IPV6, path, 3, 1), 40);
	CHECK_EQ(srh_parse(got, 40, &si), 0);
	CHECK_EQ(si.n_segments, 2);
	CHECK_EQ(si.hdr->last_entry, 1);
	CHECK_EQ(si.segments_left, 2);
	CHECK(!si.sl_overflow);
	CHECK_MEM(si.segments, &path[2], 16);
	CHECK_MEM(si.segments + 16, &path[1], 16);
	CHECK_EQ(srh_build(got, sizeof(got), IPPROTO_IPV6, path, 1, 1), 0);
	CHECK_EQ(srh_build(got, sizeof(got), IPPROTO_IPV6, path, 2, 1), 24);
	CHECK_MEM(got + 8, &path[1], 16);
	CHECK_EQ(got[3], 1);
	CHECK_EQ(got[4], 0);
}

TEST(srh_build_size_limits)
{
	static uint8_t buf[4096];
	static struct in6_addr path[130];

	CHECK_EQ(srh_build(buf, sizeof(buf), 41, path, 127, 0), SRH_LEN_MAX - 8);
	CHECK_EQ(srh_build(buf, sizeof(buf), 41, path, 128, 0), -E2BIG);
	CHECK_EQ(srh_build(buf, sizeof(buf), 41, path, 128, 1), SRH_LEN_MAX - 8);
	CHECK_EQ(srh_len(125, 1), SRH_LEN_MAX);
}

TEST(srh_hmac_known_answer)
{
	uint8_t p[160], mac[32];
	size_t n = test_hex(p, sizeof(p), srh_tlv_hmac_hex);
	struct in6_addr src;

	addr(&src, "2001:db8::1");
	CHECK_EQ(srh_hmac_compute(test_key, TEST_KEY_LEN, &src, p, n, TEST_KEY_ID, mac), 0);
	CHECK_MEM(mac, p + 72, 32);
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, p, n), 0);
	CHECK_EQ(srh_hmac_compute(test_key, TEST_KEY_LEN, &src, p, 55, TEST_KEY_ID, mac), -EBADMSG);
}

TEST(srh_hmac_verify_detects_changes)
{
	uint8_t p[160], q[160];
	size_t n = test_hex(p, sizeof(p), srh_tlv_hmac_hex);
	struct in6_addr src, other;

	addr(&src, "2001:db8::1");
	addr(&other, "2001:db8::99");
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &other, p, n), -EACCES);
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN - 1, &src, p, n), -EACCES);
	memcpy(q, p, n);
	q[8 + 16 + 15] ^= 1; /* a segment */
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, n), -EACCES);
	memcpy(q, p, n);
	q[5] = 0x10; /* Flags */
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, n), -EACCES);
	memcpy(q, p, n);
	q[71] ^= 1; /* Key ID */
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, n), -EACCES);
	memcpy(q, p, n);
	q[103] ^= 1; /* the HMAC */
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, n), -EACCES);
	memcpy(q, p, n);
	q[3] = 1; /* Segments Left is not covered: it changes at every hop */
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, n), 0);

	test_hex(q, sizeof(q), srh_plain_hex);
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, 56), -ENOENT);
	memcpy(q, p, n);
	q[65] = 14; /* HMAC of 8 bytes: not SHA-256; PadN the rest */
	q[80] = SRH_TLV_PADN;
	q[81] = 22;
	CHECK_EQ(srh_hmac_verify(test_key, TEST_KEY_LEN, &src, q, n), -EBADMSG);
}

TEST(srh_build_hmac_round_trip)
{
	uint8_t got[160], want[160];
	struct in6_addr path[3], src;
	struct hmac_sha256_key k;
	struct srh_info si;
	int len;

	path3(path);
	addr(&src, "2001:db8::1");
	hmac_sha256_setkey(&k, test_key, TEST_KEY_LEN);
	CHECK_EQ(srh_len(3, 1), 96);
	len = srh_build_hmac(got, sizeof(got), IPPROTO_IPIP, path, 3, 0, &src, &k, TEST_KEY_ID);
	CHECK_EQ(len, 96);
	CHECK_EQ(srh_parse(got, (size_t)len, &si), 0);
	CHECK_EQ(si.hmac_off, 56);
	CHECK_EQ(si.n_tlvs, 1);
	CHECK(!srh_hmac_d_flag(&si));
	/* The HMAC text has no TLVs in it: same MAC as the padded vector. */
	test_hex(want, sizeof(want), srh_tlv_hmac_hex);
	CHECK_MEM(got + 56, want + 64, 40);
	CHECK_EQ(srh_hmac_verify_k(&k, &src, got, (size_t)len), 0);
	CHECK_EQ(srh_build_hmac(got, 95, IPPROTO_IPIP, path, 3, 0, &src, &k, 1), -ENOSPC);

	len = srh_build_hmac(got, sizeof(got), IPPROTO_IPIP, path, 3, 1, &src, &k, TEST_KEY_ID);
	CHECK_EQ(len, 80);
	CHECK_EQ(srh_parse(got, (size_t)len, &si), 0);
	CHECK(srh_hmac_d_flag(&si));
	CHECK_EQ(srh_hmac_verify_k(&k, &src, got, (size_t)len), 0);
	CHECK_EQ(srh_build_hmac(got, sizeof(got), IPPROTO_IPIP, path, 1, 1, &src, &k, 1), 0);
}

/* Internet checksum: RFC 1071 example, a naive reference over every length
 * and alignment, and RFC 1624 incremental updates against recomputation. */
#include "pkt/csum.h"
#include "test.h"

static uint32_t rng_state = 0x12345678;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* RFC 1071 section 4.1, word by word in network order. */
static uint16_t ref_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

TEST(csum_rfc1071_example)
{
	/* RFC 1071 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2. */
	static const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	CHECK_EQ(csum_fold_sum(csum_partial(b, sizeof(b), 0)), 0xddf2);
	CHECK_EQ(csum_fold(csum_partial(b, sizeof(b), 0)), 0x220d);
	CHECK_EQ(csum_fold(csum_partial(b, 0, 0)), 0xffff);
}

TEST(csum_matches_reference_all_lengths_alignments)
{
	uint8_t buf[600];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	for (size_t align = 0; align < 8; align++)
		for (size_t len = 0; len <= 512; len++)
			if (csum_fold_sum(csum_partial(buf + align, len, 0)) !=
			    ref_sum(buf + align, len)) {
				test_fail(__FILE__, __LINE__, "align %zu len %zu", align, len);
				return;
			}
	/* All ones: carries in every lane. */
	memset(buf, 0xff, sizeof(buf));
	CHECK_EQ(csum_fold_sum(csum_partial(buf, sizeof(buf), 0)), 0xffff);
}

TEST(csum_chained_even_chunks)
{
	uint8_t buf[300];
	uint32_t s;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rnd();
	s = csum_partial(buf, 100, 0);
	s = csum_partial(buf + 100, 64, s);
	s = csum_partial(buf + 164, 135, s);
	CHECK_EQ(csum_fold_sum(s), ref_sum(buf, 299));
	/* A large initial sum must not overflow. */
	CHECK_EQ(csum_fold_sum(csum_partial(buf, 2, 0xffffffffu)),
		 csum_fold_sum(csum_add16(0xffffffffu, (uint16_t)(buf[0] << 8 | buf[1]))));
}

TEST(csum_replace16_equals_recompute)
{
	uint8_t hdr[20];

	for (int iter = 0; iter < 20000; iter++) {
		uint16_t old, new, want;
		int w = (int)(rnd() % 9 + 1); /* any word but the checksum (word 5) */

		for (size_t i = 0; i < sizeof(hdr); i++)
			hdr[i] = (uint8_t)rnd();
		if (w == 5)
			w = 0;
		wr_be16(hdr + 10, 0);
		wr_be16(hdr + 10, csum_fold(csum_partial(hdr, sizeof(hdr), 0)));
		old = rd_be16(hdr + 2 * w);
		new = iter & 1 ? (uint16_t)rnd() : (uint16_t)(old - 0x100);
		wr_be16(hdr + 2 * w, new);
		csum_replace16(hdr + 10, old, new);
		want = rd_be16(hdr + 10);
		CHECK_EQ(csum_fold(csum_partial(hdr, sizeof(hdr), 0)), 0);
		wr_be16(hdr + 10, 0);
		if (csum_fold(csum_partial(hdr, sizeof(hdr), 0)) != want) {
			test_fail(__FILE__, __LINE__, "iteration %d", iter);
			return;
		}
	}
}

TEST(csum_replace32_equals_recompute)
{
	uint8_t hdr[20];

	for (int iter = 0; iter < 20000; iter++) {
		uint32_t old, new;
		uint16_t want;

		for (size_t i = 0; i < sizeof(hdr); i++)
			hdr[i] = (uint8_t)rnd();
		wr_be16(hdr + 10, 0);
		wr_be16(hdr + 10, csum_fold(csum_partial(hdr, sizeof(hdr), 0)));
		old = rd_be32(hdr + 12);
		new = rnd();
		wr_be32(hdr + 12, new);
		csum_replace32(hdr + 10, old, new);
		want = rd_be16(hdr + 10);
		wr_be16(hdr + 10, 0);
		if (csum_fold(csum_partial(hdr, sizeof(hdr), 0)) != want) {
			test_fail(__FILE__, __LINE__, "iteration %d", iter);
			return;
		}
	}
}

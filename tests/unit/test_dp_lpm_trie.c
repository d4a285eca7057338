/* The compiled trie must answer exactly like the per-length hash probes. */
#include <stdlib.h>

#include "dp/lpm.h"
#include "test.h"

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void trie_vs_slow(int addr_len, uint32_t seed, int min_len)
{
	struct lpm l;
	uint8_t a[16];
	uint32_t s = seed;

	CHECK_EQ(lpm_init(&l, addr_len), 0);
	/* prefixes clustered under a few roots so that they nest and overlap */
	for (int i = 0; i < 3000; i++) {
		int len = min_len + (int)(rnd(&s) % (uint32_t)(addr_len * 8 + 1 - min_len));

		for (int b = 0; b < addr_len; b++)
			a[b] = (uint8_t)rnd(&s);
		a[0] = (uint8_t)(min_len ? 0x20 : 0x20 + (a[0] & 3));
		if (addr_len == 16)
			a[1] = 1, a[2] = 0x0d, a[3] = 0xb8;
		else if (min_len)
			a[1] = 0x01;
		CHECK_EQ(lpm_add(&l, a, len, (uint32_t)i), 0);
	}
	CHECK_EQ(lpm_compile(&l), 0);
	CHECK(l.trie != NULL);
	if (min_len)
		CHECK_EQ(l.skip, min_len / 8);
	for (int i = 0; i < 200000; i++) {
		for (int b = 0; b < addr_len; b++)
			a[b] = (uint8_t)rnd(&s);
		a[0] = (uint8_t)(0x20 + (a[0] & 3));
		if (min_len && (i & 1))
			a[1] = 1;
		if (addr_len == 16 && (i & 1))
			a[1] = 1, a[2] = 0x0d, a[3] = 0xb8;
		if (lpm_lookup(&l, a) != lpm_lookup_slow(&l, a)) {
			CHECK_EQ(lpm_lookup(&l, a), lpm_lookup_slow(&l, a));
			break;
		}
	}
	lpm_free(&l);
}

TEST(lpm_trie_matches_hash_v4)
{
	trie_vs_slow(4, 12345, 0);
	trie_vs_slow(4, 777, 0);
	trie_vs_slow(4, 31, 16); /* every prefix under 32.1/16: path compression */
}

TEST(lpm_trie_matches_hash_v6)
{
	trie_vs_slow(16, 4242, 0);
	trie_vs_slow(16, 99, 0);
	trie_vs_slow(16, 5, 32); /* all under 2001:db8::/32: skip 4 bytes */
}

TEST(lpm_trie_default_and_host)
{
	struct lpm l;
	uint8_t any[16] = {0}, h[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	uint8_t other[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

	CHECK_EQ(lpm_init(&l, 16), 0);
	CHECK_EQ(lpm_add(&l, h, 128, 7), 0);
	CHECK_EQ(lpm_add(&l, any, 0, 3), 0);
	CHECK_EQ(lpm_compile(&l), 0);
	CHECK_EQ(lpm_lookup(&l, h), 7);
	CHECK_EQ(lpm_lookup(&l, other), 3);
	/* adding after compiling drops the trie until the next compile */
	CHECK_EQ(lpm_add(&l, other, 128, 9), 0);
	CHECK(l.trie == NULL);
	CHECK_EQ(lpm_lookup(&l, other), 9);
	CHECK_EQ(lpm_compile(&l), 0);
	CHECK_EQ(lpm_lookup(&l, other), 9);
	lpm_free(&l);
}

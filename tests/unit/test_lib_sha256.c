/* SHA-256 as linked (Nettle, which lib/hmac.h builds on; on a CPU with SHA-NI
 * this runs that code) against the FIPS 180-4 example vectors (NIST CSRC
 * "SHA256.pdf", "SHA256_2.pdf") and the one-million-'a' long message. */
#include <nettle/sha2.h>

#include "test.h"

#define SHA256_DIGEST_LEN SHA256_DIGEST_SIZE

static void sha256(const void *msg, size_t len, uint8_t out[SHA256_DIGEST_LEN])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, msg);
	sha256_digest(&ctx, SHA256_DIGEST_LEN, out);
}

static void check_digest(const void *msg, size_t len, const char *hex)
{
	uint8_t want[SHA256_DIGEST_LEN], got[SHA256_DIGEST_LEN];

	test_hex(want, sizeof(want), hex);
	sha256(msg, len, got);
	CHECK_MEM(got, want, sizeof(want));
}

TEST(sha256_nist_short)
{
	check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_digest(
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		"klmnopqrlmnopqrsmnopqrstnopqrstu",
		112, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(sha256_nist_million_a)
{
	static uint8_t a[1000000];
	uint8_t want[SHA256_DIGEST_LEN], got[SHA256_DIGEST_LEN];
	struct sha256_ctx ctx;

	memset(a, 'a', sizeof(a));
	test_hex(want, sizeof(want),
		 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha256(a, sizeof(a), got);
	CHECK_MEM(got, want, sizeof(want));

	/* Same message in uneven pieces crosses every block boundary case. */
	sha256_init(&ctx);
	for (size_t off = 0, step = 1; off < sizeof(a); off += step, step = step % 131 + 1)
		sha256_update(&ctx, off + step > sizeof(a) ? sizeof(a) - off : step, a + off);
	sha256_digest(&ctx, SHA256_DIGEST_LEN, got);
	CHECK_MEM(got, want, sizeof(want));
}

TEST(sha256_padding_boundaries)
{
	/* 55, 56 and 64 bytes: the length fits, just misses, and fills a block. */
	uint8_t m[64], d1[SHA256_DIGEST_LEN], d2[SHA256_DIGEST_LEN];
	struct sha256_ctx ctx;

	memset(m, 'a', sizeof(m));
	check_digest(m, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check_digest(m, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check_digest(m, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	sha256(m, 63, d1);
	sha256_init(&ctx);
	sha256_update(&ctx, 10, m);
	sha256_update(&ctx, 53, m);
	sha256_digest(&ctx, SHA256_DIGEST_LEN, d2);
	CHECK_MEM(d1, d2, sizeof(d1));
}

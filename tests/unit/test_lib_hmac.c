/* HMAC-SHA-256 (lib/hmac.h over Nettle) against the RFC 4231 section 4 test
 * cases, through a prepared key as the data plane uses it. */
#include "lib/hmac.h"
#include "test.h"

struct hmac_case {
	const char *key_hex;
	const char *data_hex;
	const char *mac_hex;
	size_t mac_len; /* test case 5 checks a 128-bit truncation */
};

#define AA20  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define AA131 AA20 AA20 AA20 AA20 AA20 AA20 "aaaaaaaaaaaaaaaaaaaaaa"

static const struct hmac_case rfc4231[] = {
	{"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32},
	{"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32},
	{AA20,
	 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	 "dddddddddddddd",
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32},
	{"0102030405060708090a0b0c0d0e0f10111213141516171819",
	 "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	 "cdcdcdcdcdcdcd",
	 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32},
	{"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
	 "a3b6167473100ee06e0c796c2955552b", 16},
	{AA131,
	 "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048"
	 "617368204b6579204669727374",
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32},
	{AA131,
	 "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d"
	 "73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174"
	 "612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e"
	 "6720757365642062792074686520484d414320616c676f726974686d2e",
	 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32},
};

/* One message under a prepared key, the way srh.c computes an SRH HMAC. */
static void mac_of(const struct hmac_sha256_key *k, const uint8_t *data, size_t len,
		   uint8_t out[HMAC_SHA256_LEN])
{
	struct hmac_sha256_ctx c;

	hmac_sha256_start(&c, k);
	hmac_sha256_update(&c, len, data);
	hmac_sha256_digest(&c, HMAC_SHA256_LEN, out);
}

TEST(hmac_sha256_rfc4231)
{
	for (size_t i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
		uint8_t key[200], data[200], want[32], got[32];
		size_t kl = test_hex(key, sizeof(key), rfc4231[i].key_hex);
		size_t dl = test_hex(data, sizeof(data), rfc4231[i].data_hex);
		struct hmac_sha256_key k;

		test_hex(want, sizeof(want), rfc4231[i].mac_hex);
		hmac_sha256_setkey(&k, key, kl);
		mac_of(&k, data, dl, got);
		if (memcmp(got, want, rfc4231[i].mac_len) != 0)
			test_fail(__FILE__, __LINE__, "RFC 4231 test case %zu", i + 1);
	}
}

/* A prepared key serves message after message unchanged (it is shared,
 * read-only, by the workers), and a message may come in pieces. */
TEST(hmac_sha256_prepared_key_pieces)
{
	static const uint8_t key[] = "Jefe";
	static const char msg[] = "what do ya want for nothing?";
	struct hmac_sha256_key k, before;
	struct hmac_sha256_ctx c;
	uint8_t one[32], pieces[32], want[32];

	test_hex(want, sizeof(want), rfc4231[1].mac_hex);
	hmac_sha256_setkey(&k, key, 4);
	before = k;
	mac_of(&k, (const uint8_t *)msg, strlen(msg), one);
	CHECK_MEM(one, want, sizeof(want));
	for (int round = 0; round < 2; round++) {
		hmac_sha256_start(&c, &k);
		hmac_sha256_update(&c, 5, (const uint8_t *)msg);
		hmac_sha256_update(&c, strlen(msg) - 5, (const uint8_t *)msg + 5);
		hmac_sha256_digest(&c, HMAC_SHA256_LEN, pieces);
		CHECK_MEM(pieces, one, sizeof(one));
	}
	CHECK_MEM(&k, &before, sizeof(k));
}

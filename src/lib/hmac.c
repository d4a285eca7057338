/* HMAC (RFC 2104 section 2): H(K ^ opad, H(K ^ ipad, text)). */
#include <string.h>

#include "lib/hmac.h"

void hmac_sha256_setkey(struct hmac_sha256_key *k, const uint8_t *key, size_t keylen)
{
	uint8_t block[SHA256_BLOCK_LEN] = {0};
	uint8_t pad[SHA256_BLOCK_LEN];

	if (keylen > SHA256_BLOCK_LEN)
		sha256(key, keylen, block);
	else if (keylen)
		memcpy(block, key, keylen);

	for (int i = 0; i < SHA256_BLOCK_LEN; i++)
		pad[i] = block[i] ^ 0x36;
	sha256_init(&k->inner);
	sha256_update(&k->inner, pad, sizeof(pad));
	for (int i = 0; i < SHA256_BLOCK_LEN; i++)
		pad[i] = block[i] ^ 0x5c;
	sha256_init(&k->outer);
	sha256_update(&k->outer, pad, sizeof(pad));
	memset(block, 0, sizeof(block));
	memset(pad, 0, sizeof(pad));
}

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const struct hmac_sha256_key *k)
{
	ctx->inner = k->inner;
	ctx->outer = k->outer;
}

void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len)
{
	sha256_update(&ctx->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t out[HMAC_SHA256_LEN])
{
	uint8_t ih[SHA256_DIGEST_LEN];

	sha256_final(&ctx->inner, ih);
	sha256_update(&ctx->outer, ih, sizeof(ih));
	sha256_final(&ctx->outer, out);
}

void hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t len,
		 uint8_t out[HMAC_SHA256_LEN])
{
	struct hmac_sha256_key k;
	struct hmac_sha256_ctx ctx;

	hmac_sha256_setkey(&k, key, keylen);
	hmac_sha256_init(&ctx, &k);
	hmac_sha256_update(&ctx, data, len);
	hmac_sha256_final(&ctx, out);
}

bool hmac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	volatile uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

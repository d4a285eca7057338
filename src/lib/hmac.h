/* HMAC-SHA-256 (RFC 2104, FIPS 198-1). */
#ifndef SRCHAIN_LIB_HMAC_H
#define SRCHAIN_LIB_HMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/sha256.h"

#define HMAC_SHA256_LEN SHA256_DIGEST_LEN

/* A key prepared once: the hash states after absorbing K^ipad and K^opad,
 * which saves two compression rounds on every message. */
struct hmac_sha256_key {
	struct sha256_ctx inner;
	struct sha256_ctx outer;
};

/* Running HMAC over a message given in pieces. */
struct hmac_sha256_ctx {
	struct sha256_ctx inner;
	struct sha256_ctx outer;
};

/* Prepares a key of any length (longer than a block: hashed first). */
void hmac_sha256_setkey(struct hmac_sha256_key *k, const uint8_t *key, size_t keylen);
/* Starts a message under a prepared key. */
void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const struct hmac_sha256_key *k);
/* Adds len bytes of message. */
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t len);
/* Writes the 32-byte MAC. */
void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t out[HMAC_SHA256_LEN]);
/* One-shot MAC of len bytes under a raw key. */
void hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t len,
		 uint8_t out[HMAC_SHA256_LEN]);
/* Compares two MACs in time that depends only on len. */
bool hmac_equal(const uint8_t *a, const uint8_t *b, size_t len);

#endif

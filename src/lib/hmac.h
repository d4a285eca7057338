/* HMAC-SHA-256 (RFC 2104, FIPS 198-1) through Nettle, with keys prepared once.
 *
 * hmac_sha256_setkey() runs at configuration time and keeps Nettle's context
 * after the key is absorbed (the hash states of K ^ ipad and K ^ opad). A
 * message starts from a copy of that context on the caller's stack, so the
 * packet path neither allocates nor hashes the key again, and the prepared key
 * stays read-only for every worker that shares it:
 *
 *	struct hmac_sha256_ctx c;
 *
 *	hmac_sha256_start(&c, key);
 *	hmac_sha256_update(&c, len, data);		// Nettle: length first
 *	hmac_sha256_digest(&c, HMAC_SHA256_LEN, mac);
 *
 * Nettle picks its SHA-NI code at run time where the CPU has it.
 */
#ifndef SRCHAIN_LIB_HMAC_H
#define SRCHAIN_LIB_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/hmac.h>

#define HMAC_SHA256_LEN SHA256_DIGEST_SIZE

/* A key prepared once; read-only afterwards. */
struct hmac_sha256_key {
	struct hmac_sha256_ctx ctx;
};

/* Prepares a key of any length (longer than a block: hashed first). */
static inline void hmac_sha256_setkey(struct hmac_sha256_key *k, const uint8_t *key, size_t keylen)
{
	hmac_sha256_set_key(&k->ctx, keylen, key);
}

/* Starts a message under a prepared key (a copy of its context). */
static inline void hmac_sha256_start(struct hmac_sha256_ctx *ctx, const struct hmac_sha256_key *k)
{
	*ctx = k->ctx;
}

#endif

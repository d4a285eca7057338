/* SHA-256 (FIPS 180-4). */
#ifndef SRCHAIN_LIB_SHA256_H
#define SRCHAIN_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_BLOCK_LEN  64

struct sha256_ctx {
	uint32_t h[8];
	uint64_t n_bytes; /* message length so far */
	uint8_t buf[SHA256_BLOCK_LEN];
	uint32_t buf_len;
};

/* Starts a digest. */
void sha256_init(struct sha256_ctx *ctx);
/* Adds len bytes of message. */
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Pads, writes the 32-byte digest; ctx must be re-initialised before reuse. */
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_LEN]);
/* One-shot digest of len bytes. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN]);

#endif

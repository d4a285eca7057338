/* Internet checksum over a byte range (RFC 1071).
 *
 * The ones-complement sum does not depend on byte order (RFC 1071 2.(B)):
 * summing native 64-bit loads and swapping the folded result once gives the
 * same value as summing big-endian 16-bit words, at a fraction of the cost. */
#include "pkt/csum.h"

static inline uint64_t add_carry64(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w);
}

uint32_t csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t acc = 0;
	uint16_t folded;

	for (; len >= 32; p += 32, len -= 32) {
		uint64_t w[4];

		memcpy(w, p, sizeof(w));
		acc = add_carry64(acc, w[0]);
		acc = add_carry64(acc, w[1]);
		acc = add_carry64(acc, w[2]);
		acc = add_carry64(acc, w[3]);
	}
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;

		memcpy(&w, p, sizeof(w));
		acc = add_carry64(acc, w);
	}
	if (len >= 4) {
		uint32_t w;

		memcpy(&w, p, sizeof(w));
		acc = add_carry64(acc, w);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;

		memcpy(&w, p, sizeof(w));
		acc = add_carry64(acc, w);
		p += 2;
		len -= 2;
	}
	if (len) {
		/* The odd byte is the high-order byte of a zero-padded word. */
		uint8_t pad[2] = {p[0], 0};
		uint16_t w;

		memcpy(&w, pad, sizeof(w));
		acc = add_carry64(acc, w);
	}

	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	folded = csum_fold_sum((uint32_t)acc);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	folded = __builtin_bswap16(folded);
#endif
	return (uint32_t)csum_fold_sum(sum) + folded;
}

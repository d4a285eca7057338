/* Open-addressing hash table with fixed-size keys and 32-bit values.
 * Built by the control path (put may grow it), read-only once published:
 * lookups take no lock and never allocate. */
#ifndef SRCHAIN_LIB_XHASH_H
#define SRCHAIN_LIB_XHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define XHASH_KEY_MAX 48

struct xhash {
	uint32_t key_size;
	uint32_t cap; /* power of two */
	uint32_t count;
	uint8_t *keys; /* cap * key_size */
	uint32_t *vals;
	uint32_t *tags; /* 0 = empty, else hash | 1 */
};

/* Hash of n bytes; fast on short keys (read 8 bytes at a time). */
static inline uint32_t xhash_bytes(const void *key, size_t n)
{
	const uint8_t *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;

		memcpy(&w, p, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

int xhash_init(struct xhash *h, uint32_t key_size, uint32_t expect);
void xhash_free(struct xhash *h);
/* Inserts or replaces key -> val. */
int xhash_put(struct xhash *h, const void *key, uint32_t val);

/* Looks key up: 0 and *val on a hit, -1 on a miss. */
static inline int xhash_get(const struct xhash *h, const void *key, uint32_t *val)
{
	uint32_t hv, tag, i;

	if (!h->cap)
		return -1;
	hv = xhash_bytes(key, h->key_size);
	tag = hv | 1;
	for (i = tag & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		uint32_t t = h->tags[i];

		if (!t)
			return -1;
		if (t == tag && !memcmp(h->keys + (size_t)i * h->key_size, key, h->key_size)) {
			*val = h->vals[i];
			return 0;
		}
	}
}

#endif

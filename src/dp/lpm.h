/* Longest-prefix match over IPv4 or IPv6 addresses, for the FIBs and the
 * SRv6 local SID table.
 *
 * While a table set is built, prefixes live in one exact-match hash keyed
 * by (length, masked address); lookups then probe each length present,
 * longest first. lpm_compile() turns the set into a multibit trie with a
 * stride of 8 bits and prefixes expanded to the stride (shorter prefixes
 * first, so a longer one overwrites what it covers and a new child node
 * inherits its parent's entry): a lookup is then one dependent load per
 * address byte up to the longest prefix on its path, no hashing. */
#ifndef SRCHAIN_DP_LPM_H
#define SRCHAIN_DP_LPM_H

#include <stdint.h>
#include <string.h>

#include "lib/xhash.h"

#define LPM_MISS UINT32_MAX

struct lpm {
	uint8_t addr_len; /* 4 or 16 bytes */
	uint8_t n_lens;
	uint8_t lens[129]; /* distinct prefix lengths present, longest first */
	struct xhash h;
	/* compiled trie: node n is trie[n * 256 ...]; an entry is 0 (no
	 * route), LPM_CHILD | node, or value + 1 */
	uint32_t *trie;
	uint32_t n_nodes;
	/* bytes every prefix shares (path compression): the root node sits
	 * at depth skip, and an address that differs there matches nothing */
	uint8_t skip;
	uint8_t skip_bytes[16];
};

#define LPM_CHILD 0x80000000u

int lpm_init(struct lpm *l, int addr_len);
void lpm_free(struct lpm *l);
/* Adds or replaces prefix/len -> val (val != LPM_MISS). Host bits are ignored. */
int lpm_add(struct lpm *l, const void *prefix, int len, uint32_t val);
/* Exact lookup of prefix/len (for building: is this prefix present?). */
uint32_t lpm_get(const struct lpm *l, const void *prefix, int len);
/* Builds the trie from the prefixes added so far (again after more adds).
 * Values must be below 2^31 - 1. */
int lpm_compile(struct lpm *l);
/* Value of the longest prefix covering addr, or LPM_MISS. */
uint32_t lpm_lookup_slow(const struct lpm *l, const void *addr);

static inline uint32_t lpm_lookup(const struct lpm *l, const void *addr)
{
	const uint8_t *a = addr;
	uint32_t node = 0;

	if (!l->trie)
		return lpm_lookup_slow(l, addr);
	if (l->skip && memcmp(a, l->skip_bytes, l->skip))
		return LPM_MISS;
	for (int i = l->skip; i < l->addr_len; i++) {
		uint32_t e = l->trie[(size_t)node * 256 + a[i]];

		if (!(e & LPM_CHILD))
			return e ? e - 1 : LPM_MISS;
		node = e & ~LPM_CHILD;
	}
	return LPM_MISS; /* not reached: the last level holds no children */
}

#endif

/* Longest-prefix match over IPv4 or IPv6 addresses: one exact-match hash
 * keyed by (length, masked address), probed from the longest length present
 * down to the shortest. Routing tables hold few distinct lengths, so a
 * lookup is a handful of hash probes. Used by the FIBs and the SRv6 local
 * SID table. */
#ifndef SRCHAIN_DP_LPM_H
#define SRCHAIN_DP_LPM_H

#include <stdint.h>

#include "lib/xhash.h"

#define LPM_MISS UINT32_MAX

struct lpm {
	uint8_t addr_len; /* 4 or 16 bytes */
	uint8_t n_lens;
	uint8_t lens[129]; /* distinct prefix lengths present, longest first */
	struct xhash h;
};

int lpm_init(struct lpm *l, int addr_len);
void lpm_free(struct lpm *l);
/* Adds or replaces prefix/len -> val (val != LPM_MISS). Host bits are ignored. */
int lpm_add(struct lpm *l, const void *prefix, int len, uint32_t val);
/* Exact lookup of prefix/len (for building: is this prefix present?). */
uint32_t lpm_get(const struct lpm *l, const void *prefix, int len);
/* Value of the longest prefix covering addr, or LPM_MISS. */
uint32_t lpm_lookup(const struct lpm *l, const void *addr);

#endif

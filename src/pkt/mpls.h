/* MPLS label stack (RFC 3032 2.1) and reserved labels (RFC 3032 2.1,
 * RFC 6790 for the ELI, RFC 5586 for the GAL, RFC 3429 for OAM Alert).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |                Label                  | TC  |S|      TTL      |
 */
#ifndef SRCHAIN_PKT_MPLS_H
#define SRCHAIN_PKT_MPLS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pkt/byteorder.h"

#define MPLS_HLEN      4
#define MPLS_STACK_MAX 16

#define MPLS_LABEL_IPV4_NULL	 0
#define MPLS_LABEL_ROUTER_ALERT	 1
#define MPLS_LABEL_IPV6_NULL	 2
#define MPLS_LABEL_IMPLICIT_NULL 3
#define MPLS_LABEL_ELI		 7
#define MPLS_LABEL_GAL		 13
#define MPLS_LABEL_OAM_ALERT	 14
#define MPLS_LABEL_RESERVED_MAX	 15
#define MPLS_LABEL_MAX		 0xfffff

/* What follows the bottom of the stack, guessed from the first nibble. */
enum mpls_payload {
	MPLS_PAYLOAD_OTHER = 0,
	MPLS_PAYLOAD_IPV4,
	MPLS_PAYLOAD_IPV6,
	MPLS_PAYLOAD_MAX
};

struct mpls_info {
	uint8_t depth; /* entries up to and including the bottom of stack */
	uint16_t payload_off;
	uint8_t payload; /* enum mpls_payload */
};

static inline uint32_t mpls_label(be32 e)
{
	return be32_to_h(e) >> 12;
}

static inline uint8_t mpls_tc(be32 e)
{
	return (uint8_t)((be32_to_h(e) >> 9) & 0x7);
}

static inline uint8_t mpls_s(be32 e)
{
	return (uint8_t)((be32_to_h(e) >> 8) & 0x1);
}

static inline uint8_t mpls_ttl(be32 e)
{
	return (uint8_t)be32_to_h(e);
}

static inline be32 mpls_entry(uint32_t label, uint8_t tc, uint8_t s, uint8_t ttl)
{
	return h_to_be32((label & MPLS_LABEL_MAX) << 12 | (uint32_t)(tc & 0x7) << 9 |
			 (uint32_t)(s & 0x1) << 8 | ttl);
}

static inline be32 mpls_set_ttl(be32 e, uint8_t ttl)
{
	return h_to_be32((be32_to_h(e) & 0xffffff00u) | ttl);
}

/* Reads the entry at p (4 bytes, any alignment). */
static inline be32 mpls_load(const uint8_t *p)
{
	be32 e;

	memcpy(&e, p, sizeof(e));
	return e;
}

/* Writes entry e at p (4 bytes, any alignment). */
static inline void mpls_store(uint8_t *p, be32 e)
{
	memcpy(p, &e, sizeof(e));
}

/* Counts entries up to the one with S = 1. 0, -EBADMSG (no bottom of stack
 * within len) or -E2BIG (no bottom within MPLS_STACK_MAX entries). */
int mpls_walk(const uint8_t *p, size_t len, struct mpls_info *out);

#endif

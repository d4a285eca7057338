/* Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Sums are kept in "network word" order: a 16-bit word contributes the value
 * rd_be16() would read, so a folded sum is a host-order number that is
 * written to the wire with wr_be16()/h_to_be16(). */
#ifndef SRCHAIN_PKT_CSUM_H
#define SRCHAIN_PKT_CSUM_H

#include <stddef.h>
#include <stdint.h>

#include "pkt/byteorder.h"

/* Adds len bytes at buf to the running 32-bit sum; only the last chunk of a
 * chained computation may have an odd length (RFC 1071 4.1 zero pad). */
uint32_t csum_partial(const void *buf, size_t len, uint32_t sum);

/* Folds a running sum to 16 bits with end-around carry, without inverting. */
static inline uint16_t csum_fold_sum(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum field value (host order) for a running sum: ~fold(sum).
 * Over data that already holds a correct checksum it yields 0. */
static inline uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~csum_fold_sum(sum);
}

/* Ones-complement addition of a 16-bit host value to a running sum. */
static inline uint32_t csum_add16(uint32_t sum, uint16_t v)
{
	return csum_fold_sum(sum) + (uint32_t)v;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for a 16-bit field changing from
 * old_host to new_host. csum points at the checksum field, any alignment
 * (it is usually a member of a packed header). */
static inline void csum_replace16(void *csum, uint16_t old_host, uint16_t new_host)
{
	uint32_t s = (uint16_t)~rd_be16(csum);

	s += (uint16_t)~old_host;
	s += new_host;
	wr_be16(csum, csum_fold(s));
}

/* Same as csum_replace16 for a 32-bit field: two 16-bit words at once. */
static inline void csum_replace32(void *csum, uint32_t old_host, uint32_t new_host)
{
	uint32_t s = (uint16_t)~rd_be16(csum);

	s += (uint16_t) ~(old_host >> 16);
	s += (uint16_t) ~(old_host & 0xffff);
	s += new_host >> 16;
	s += new_host & 0xffff;
	wr_be16(csum, csum_fold(s));
}

#endif

/* Big-endian wire types and the only place they are converted. */
#ifndef SRCHAIN_PKT_BYTEORDER_H
#define SRCHAIN_PKT_BYTEORDER_H

#include <stdint.h>
#include <string.h>

/* Wire fields are stored in these types; read and write them only through
 * the accessors below so that a reader always knows which order a value is in. */
typedef uint16_t be16;
typedef uint32_t be32;
typedef uint64_t be64;

static inline uint16_t be16_to_h(be16 v)
{
	return __builtin_bswap16(v);
}
static inline uint32_t be32_to_h(be32 v)
{
	return __builtin_bswap32(v);
}
static inline uint64_t be64_to_h(be64 v)
{
	return __builtin_bswap64(v);
}
static inline be16 h_to_be16(uint16_t v)
{
	return __builtin_bswap16(v);
}
static inline be32 h_to_be32(uint32_t v)
{
	return __builtin_bswap32(v);
}
static inline be64 h_to_be64(uint64_t v)
{
	return __builtin_bswap64(v);
}

/* Unaligned loads/stores of big-endian values from raw bytes. */
static inline uint16_t rd_be16(const void *p)
{
	be16 v;
	memcpy(&v, p, sizeof(v));
	return be16_to_h(v);
}

static inline uint32_t rd_be32(const void *p)
{
	be32 v;
	memcpy(&v, p, sizeof(v));
	return be32_to_h(v);
}

static inline void wr_be16(void *p, uint16_t h)
{
	be16 v = h_to_be16(h);
	memcpy(p, &v, sizeof(v));
}

static inline void wr_be32(void *p, uint32_t h)
{
	be32 v = h_to_be32(h);
	memcpy(p, &v, sizeof(v));
}

#endif

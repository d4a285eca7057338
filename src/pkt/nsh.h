/* Network Service Header (RFC 8300 2).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 *  |          Service Path Identifier (SPI)        | Service Index |
 *  //              Context Header(s) (MD Type 1: 16 bytes)        //
 *
 * Length counts 4-byte words of the whole NSH. MD Type 2 context is a
 * sequence of TLVs (RFC 8300 2.5.1):
 *  |          Metadata Class       |      Type     |U|    Length   |
 *  //        Variable-Length Metadata, padded to 4 bytes          //
 */
#ifndef SRCHAIN_PKT_NSH_H
#define SRCHAIN_PKT_NSH_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt/byteorder.h"

#define NSH_BASE_LEN	 8 /* base header + service path header */
#define NSH_MD1_CTX_LEN	 16
#define NSH_MD1_LEN	 (NSH_BASE_LEN + NSH_MD1_CTX_LEN)
#define NSH_MD1_WORDS	 6
#define NSH_MD2_TLV_HLEN 4
#define NSH_MD2_TLV_MAX	 16
#define NSH_TTL_MAX	 63
#define NSH_TTL_DEFAULT	 63 /* RFC 8300 2.2 */
#define NSH_SPI_MAX	 0xffffff

#define NSH_MD_TYPE1 1
#define NSH_MD_TYPE2 2

/* Next Protocol (IANA NSH registry, RFC 8300 11). */
#define NSH_NP_IPV4	1
#define NSH_NP_IPV6	2
#define NSH_NP_ETHERNET 3
#define NSH_NP_NSH	4
#define NSH_NP_MPLS	5

/* The MD type 2 TLV that carries the flow hash: a class from the
 * Experimental range 0xFFF6-0xFFFE (IANA NSH MD Class registry, RFC 8300 11). */
#define NSH_MD2_CLASS_SRCHAIN  0xfff6
#define NSH_MD2_TYPE_FLOW_HASH 0x01

struct nsh_hdr {
	be16 ver_o_ttl_len;
	uint8_t md_type; /* low 4 bits; high 4 unassigned */
	uint8_t next_proto;
	be32 spi_si;
} __attribute__((packed));

struct nsh_info {
	const struct nsh_hdr *hdr;
	uint16_t hdr_len; /* Length * 4 */
	uint8_t md_type;
	uint8_t next_proto;
	uint32_t spi;
	uint8_t si;
	uint8_t ttl;
	bool oam;
	const uint8_t *ctx; /* context headers, hdr_len - 8 bytes */
	uint16_t ctx_len;
	uint8_t n_tlvs;	    /* MD type 2 */
	bool has_flow_hash; /* MD type 1 always, MD type 2 if the TLV is there */
	uint32_t flow_hash;
};

/* The header at p (a packed struct: any alignment will do). */
static inline struct nsh_hdr *nsh_hdr_at(uint8_t *p)
{
	return (struct nsh_hdr *)(void *)p;
}

static inline uint8_t nsh_version(const struct nsh_hdr *h)
{
	return (uint8_t)(be16_to_h(h->ver_o_ttl_len) >> 14);
}

static inline bool nsh_oam(const struct nsh_hdr *h)
{
	return (be16_to_h(h->ver_o_ttl_len) >> 13) & 1;
}

static inline uint8_t nsh_ttl(const struct nsh_hdr *h)
{
	return (uint8_t)((be16_to_h(h->ver_o_ttl_len) >> 6) & NSH_TTL_MAX);
}

static inline uint16_t nsh_len(const struct nsh_hdr *h)
{
	return (uint16_t)((be16_to_h(h->ver_o_ttl_len) & 0x3f) * 4);
}

static inline uint8_t nsh_md_type(const struct nsh_hdr *h)
{
	return h->md_type & 0x0f;
}

static inline uint32_t nsh_spi(const struct nsh_hdr *h)
{
	return be32_to_h(h->spi_si) >> 8;
}

static inline uint8_t nsh_si(const struct nsh_hdr *h)
{
	return (uint8_t)be32_to_h(h->spi_si);
}

static inline void nsh_set_spi_si(struct nsh_hdr *h, uint32_t spi, uint8_t si)
{
	h->spi_si = h_to_be32((spi & NSH_SPI_MAX) << 8 | si);
}

static inline void nsh_set_si(struct nsh_hdr *h, uint8_t si)
{
	nsh_set_spi_si(h, nsh_spi(h), si);
}

static inline void nsh_set_ttl(struct nsh_hdr *h, uint8_t ttl)
{
	uint16_t w = be16_to_h(h->ver_o_ttl_len);

	w = (uint16_t)((w & ~(NSH_TTL_MAX << 6)) | (ttl & NSH_TTL_MAX) << 6);
	h->ver_o_ttl_len = h_to_be16(w);
}

/* RFC 8300 2.2: an SFF decrements the TTL and must not forward a packet
 * whose TTL reaches 0; an incoming 0 decrements to 63 (the 6-bit field
 * wraps, for senders that predate the TTL). -ETIMEDOUT, header untouched,
 * when the packet must be dropped. */
static inline int nsh_dec_ttl(struct nsh_hdr *h)
{
	uint8_t ttl = nsh_ttl(h);

	if (ttl == 1)
		return -ETIMEDOUT;
	nsh_set_ttl(h, (uint8_t)((ttl - 1) & NSH_TTL_MAX));
	return 0;
}

/* Validates version 0 and a Length consistent with the MD type (type 1:
 * 6 words; type 2: at least 2 words, filled exactly by at most
 * NSH_MD2_TLV_MAX TLVs). 0, -EPROTO (version or MD type), -EBADMSG, -E2BIG. */
int nsh_parse(const uint8_t *p, size_t len, struct nsh_info *out);

/* Writes an NSH carrying flow_hash: MD type 1 puts it in the first 4
 * context bytes (rest zero), MD type 2 in one TLV (NSH_MD2_CLASS_SRCHAIN,
 * NSH_MD2_TYPE_FLOW_HASH, length 4). Bytes written (24 or 16), -EINVAL
 * (SPI over 24 bits, TTL over 63, other MD type) or -ENOSPC. */
int nsh_build(uint8_t *buf, size_t cap, uint32_t spi, uint8_t si, uint8_t ttl, uint8_t next_proto,
	      int md_type, uint32_t flow_hash);

#endif

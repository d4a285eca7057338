/* SRv6 Segment Routing Header (RFC 8754), building (RFC 8986 5.1, 5.2) and
 * its HMAC TLV (RFC 8754 2.1.2).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Next Header   |  Hdr Ext Len  | Routing Type=4| Segments Left |
 *  | Last Entry    |     Flags     |              Tag              |
 *  |            Segment List[0] (last segment of the path)         |
 *  |            ...                                                |
 *  |            Segment List[Last Entry]                           |
 *  //           TLVs (Pad1, PadN, HMAC, ...)                      //
 *
 * Segment List[0] is the LAST segment of the path: the list is stored in
 * reverse, and Segments Left indexes the next segment to visit.
 */
#ifndef SRCHAIN_PKT_SRH_H
#define SRCHAIN_PKT_SRH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/hmac.h"
#include "pkt/byteorder.h"

#define SRH_ROUTING_TYPE 4
#define SRH_FIXED_LEN	 8
#define SRH_SEG_LEN	 16
/* Hdr Ext Len is 8 bits of 8-octet units beyond the first 8 octets. */
#define SRH_LEN_MAX 2048
#define SRH_TLV_MAX 32

/* RFC 8754 2.1.1 (Pad1, PadN) and 2.1.2 (HMAC). */
#define SRH_TLV_PAD1 0
#define SRH_TLV_PADN 4
#define SRH_TLV_HMAC 5

/* HMAC TLV (RFC 8754 2.1.2):
 *  |     Type=5    |    Length     |D|        RESERVED             |
 *  |                      HMAC Key ID (4 octets)                   |
 *  //                     HMAC (32 octets for SHA-256)            //
 * Length counts the octets after itself: 2 + 4 + 32. */
#define SRH_HMAC_LEN	 32
#define SRH_HMAC_TLV_LEN (2 + 2 + 4 + SRH_HMAC_LEN)
#define SRH_HMAC_D	 0x80 /* in the first octet after Length */
/* The H flag of draft-ietf-6man-segment-routing-header before RFC 8754
 * left Flags unassigned; Linux still sends it with an HMAC TLV and only
 * recognises a TLV when it is set (SR6_FLAG1_HMAC). */
#define SRH_FLAG_H 0x08

struct srh_hdr {
	uint8_t nexthdr;
	uint8_t hdr_ext_len;
	uint8_t routing_type;
	uint8_t segments_left;
	uint8_t last_entry;
	uint8_t flags;
	be16 tag;
	struct in6_addr segments[];
} __attribute__((packed));

struct srh_info {
	const struct srh_hdr *hdr;
	uint16_t hdr_len;   /* (Hdr Ext Len + 1) * 8 */
	uint8_t n_segments; /* Last Entry + 1 */
	uint8_t segments_left;
	/* Segments Left > Last Entry + 1: a well-formed header that the SRv6
	 * processing of RFC 8754 4.3.1.1 (S09-S11) must reject. */
	bool sl_overflow;
	const uint8_t *segments; /* n_segments * 16 bytes, Segment List[0] first */
	uint16_t tlv_off;	 /* from the SRH start */
	uint16_t tlv_len;
	uint8_t n_tlvs;
	uint16_t hmac_off; /* first HMAC TLV from the SRH start, 0 if none */
};

/* Parses an SRH at p; the TLV area is walked (at most SRH_TLV_MAX TLVs).
 * 0, -EPROTO (routing type is not 4), -EBADMSG (truncated or inconsistent
 * lengths) or -E2BIG (too many TLVs). */
int srh_parse(const uint8_t *p, size_t len, struct srh_info *out);

/* The SRH at p (a packed struct: any alignment will do). */
static inline struct srh_hdr *srh_hdr_at(uint8_t *p)
{
	return (struct srh_hdr *)(void *)p;
}

/* Segment List[Segments Left] of a parsed SRH: the segment the packet is
 * bound for; NULL when Segments Left is past Last Entry. */
static inline const struct in6_addr *srh_active_segment(const struct srh_info *si)
{
	if (si->segments_left >= si->n_segments)
		return NULL;
	return (const struct in6_addr *)(const void *)(si->segments +
						       (size_t)si->segments_left * SRH_SEG_LEN);
}

/* Copies Segment List[i] (0 <= i < n_segments). */
static inline void srh_segment(const struct srh_info *si, unsigned i, struct in6_addr *out)
{
	memcpy(out, si->segments + (size_t)i * SRH_SEG_LEN, SRH_SEG_LEN);
}

/* Key ID of the HMAC TLV found by srh_parse (hmac_off != 0). */
static inline uint32_t srh_hmac_key_id(const struct srh_info *si)
{
	return rd_be32((const uint8_t *)si->hdr + si->hmac_off + 4);
}

/* D flag of that HMAC TLV: destination address check disabled (reduced list). */
static inline bool srh_hmac_d_flag(const struct srh_info *si)
{
	return (((const uint8_t *)si->hdr)[si->hmac_off + 2] & SRH_HMAC_D) != 0;
}

/* The HMAC field of that TLV, or NULL when the TLV's Length is not that
 * of HMAC-SHA-256 (2 + 4 + 32). */
static inline const uint8_t *srh_hmac_field(const struct srh_info *si)
{
	const uint8_t *t = (const uint8_t *)si->hdr + si->hmac_off;

	return t[1] == SRH_HMAC_TLV_LEN - 2 ? t + 8 : NULL;
}

/* Bytes of an SRH with n segments in its list, with or without an HMAC TLV. */
size_t srh_len(int n_segments, int with_hmac);

/* Writes an SRH for path[0..n-1] in visiting order (path[0] first; it also
 * goes in the outer destination address). Normal (RFC 8986 5.1): all n
 * segments, Last Entry = Segments Left = n - 1. Reduced (H.Encaps.Red, RFC
 * 8986 5.2): path[0] is left out of the list, Last Entry = n - 2, Segments
 * Left = n - 1; with n == 1 no SRH is needed and 0 is returned.
 * Bytes written, or -EINVAL (n < 1), -E2BIG (over SRH_LEN_MAX), -ENOSPC. */
int srh_build(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path, int n,
	      int reduced);

/* Like srh_build, followed by an HMAC TLV computed for source address src
 * (the D flag is set for a reduced list). Reduced with n == 1 returns 0. */
int srh_build_hmac(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path, int n,
		   int reduced, const struct in6_addr *src, const struct hmac_sha256_key *key,
		   uint32_t key_id);

/* Like srh_build_hmac with the SRH Flags octet set to flags (covered by
 * the digest): SRH_FLAG_H makes Linux (seg6_hmac.c) look for the TLV. */
int srh_build_hmac_flags(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path,
			 int n, int reduced, const struct in6_addr *src,
			 const struct hmac_sha256_key *key, uint32_t key_id, uint8_t flags);

/* HMAC-SHA-256 of the RFC 8754 2.1.2.1 text: source address, Last Entry,
 * Flags, key_id and Segment List[0..Last Entry] of the SRH at srh.
 * 0 or -EBADMSG (srh_len too short for its segment list). */
int srh_hmac_compute_k(const struct hmac_sha256_key *key, const struct in6_addr *src,
		       const uint8_t *srh, size_t srh_len, uint32_t key_id,
		       uint8_t out[SRH_HMAC_LEN]);

/* Same with a raw key (prepared on each call). */
int srh_hmac_compute(const uint8_t *key, size_t keylen, const struct in6_addr *src,
		     const uint8_t *srh, size_t srh_len, uint32_t key_id,
		     uint8_t out[SRH_HMAC_LEN]);

/* Checks the HMAC TLV of the SRH at srh (key ID taken from the TLV) in
 * constant time. 0 if it matches; -ENOENT (no HMAC TLV), -EBADMSG (bad SRH
 * or HMAC field not 32 octets), -EPROTO, -E2BIG (from srh_parse), -EACCES
 * (mismatch). */
int srh_hmac_verify_k(const struct hmac_sha256_key *key, const struct in6_addr *src,
		      const uint8_t *srh, size_t srh_len);

/* Same with a raw key. */
int srh_hmac_verify(const uint8_t *key, size_t keylen, const struct in6_addr *src,
		    const uint8_t *srh, size_t srh_len);

#endif

/* IPv4 header (RFC 791). */
#ifndef SRCHAIN_PKT_IPV4_H
#define SRCHAIN_PKT_IPV4_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt/byteorder.h"
#include "pkt/csum.h"

#define IPV4_HDR_LEN	   20
#define IPV4_DF		   0x4000
#define IPV4_MF		   0x2000
#define IPV4_FRAG_OFF_MASK 0x1fff

struct ipv4_hdr {
	uint8_t version_ihl;
	uint8_t tos;
	be16 total_len;
	be16 id;
	be16 frag_off; /* flags (3 bits) and fragment offset (13 bits, 8-byte units) */
	uint8_t ttl;
	uint8_t protocol;
	be16 check;
	be32 saddr;
	be32 daddr;
} __attribute__((packed));

struct ipv4_info {
	const struct ipv4_hdr *hdr;
	uint16_t hdr_len;
	uint16_t total_len;
	uint8_t proto;
	uint16_t l4_off;	 /* from the start of the IPv4 header */
	bool is_fragment;	 /* MF set or offset != 0 */
	bool non_first_fragment; /* offset != 0: no L4 header in this packet */
};

static inline uint8_t ipv4_version(const struct ipv4_hdr *h)
{
	return h->version_ihl >> 4;
}

static inline uint16_t ipv4_hdr_len(const struct ipv4_hdr *h)
{
	return (uint16_t)((h->version_ihl & 0x0f) * 4);
}

static inline uint16_t ipv4_total_len(const struct ipv4_hdr *h)
{
	return be16_to_h(h->total_len);
}

/* Fragment offset in bytes. */
static inline uint16_t ipv4_frag_offset(const struct ipv4_hdr *h)
{
	return (uint16_t)((be16_to_h(h->frag_off) & IPV4_FRAG_OFF_MASK) * 8);
}

static inline bool ipv4_is_fragment(const struct ipv4_hdr *h)
{
	return (be16_to_h(h->frag_off) & (IPV4_MF | IPV4_FRAG_OFF_MASK)) != 0;
}

/* Validates version 4, IHL >= 5 and IHL*4 <= total length <= len.
 * 0, -EPROTO (not version 4) or -EBADMSG. */
int ipv4_parse(const uint8_t *p, size_t len, struct ipv4_info *out);

/* Checksum of a header of ipv4_hdr_len() bytes, its check field taken as 0;
 * host order. Only for a header that ipv4_parse accepted or that was built. */
uint16_t ipv4_csum_compute(const struct ipv4_hdr *h);

/* True when the header checksum verifies. Same precondition as above. */
bool ipv4_csum_ok(const struct ipv4_hdr *h);

/* The header at p (a packed struct: any alignment will do). */
static inline struct ipv4_hdr *ipv4_hdr_at(uint8_t *p)
{
	return (struct ipv4_hdr *)(void *)p;
}

/* Sets the TTL with the RFC 1624 update of the checksum (the TTL shares a
 * 16-bit word with the protocol). */
static inline void ipv4_set_ttl(struct ipv4_hdr *h, uint8_t ttl)
{
	uint16_t old_word = (uint16_t)(h->ttl << 8 | h->protocol);

	h->ttl = ttl;
	csum_replace16(&h->check, old_word, (uint16_t)(ttl << 8 | h->protocol));
}

/* Forwarding TTL decrement with the RFC 1624 update of the checksum (the TTL
 * shares a 16-bit word with the protocol). -ETIMEDOUT, header untouched, when
 * the packet must not be forwarded (TTL <= 1). */
static inline int ipv4_dec_ttl(struct ipv4_hdr *h)
{
	uint16_t old_word;

	if (h->ttl <= 1)
		return -ETIMEDOUT;
	old_word = (uint16_t)(h->ttl << 8 | h->protocol);
	h->ttl--;
	csum_replace16(&h->check, old_word, (uint16_t)(h->ttl << 8 | h->protocol));
	return 0;
}

/* Writes a 20-byte header without options and fills its checksum.
 * frag_off holds the flags and offset in host order (IPV4_DF, IPV4_MF);
 * saddr and daddr are in wire order. */
void ipv4_build(struct ipv4_hdr *h, uint8_t tos, uint16_t total_len, uint16_t id, uint16_t frag_off,
		uint8_t ttl, uint8_t proto, be32 saddr, be32 daddr);

#endif

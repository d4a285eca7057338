/* IPv6 header and extension header walk (RFC 8200). */
#ifndef SRCHAIN_PKT_IPV6_H
#define SRCHAIN_PKT_IPV6_H

#include <errno.h>
#include <netinet/in.h> /* struct in6_addr, IPPROTO_* */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt/byteorder.h"

#define IPV6_HDR_LEN 40
/* Extension headers walked before giving up (-E2BIG). RFC 8200 4.1 allows
 * each header once (destination options twice); 8 leaves room for that.
 * Offsets fit in 16 bits: 8 headers of at most 2048 bytes. */
#define IPV6_EXT_MAX	  8
#define IPV6_FRAG_HDR_LEN 8

struct ipv6_hdr {
	be32 ver_tc_flow; /* version 4, traffic class 8, flow label 20 */
	be16 payload_len;
	uint8_t nexthdr;
	uint8_t hop_limit;
	struct in6_addr src;
	struct in6_addr dst;
} __attribute__((packed));

struct ipv6_info {
	const struct ipv6_hdr *hdr;
	uint16_t payload_len;
	uint8_t n_ext;		 /* extension headers walked */
	uint16_t rh_off;	 /* first routing header, 0 if none */
	uint8_t rh_type;	 /* its routing type, valid when rh_off != 0 */
	uint16_t srh_off;	 /* rh_off when rh_type is 4 (SRH), else 0 */
	uint16_t fraghdr_off;	 /* fragment header, 0 if none */
	bool non_first_fragment; /* fragment offset != 0: no L4 header follows */
	uint8_t l4_proto;	 /* upper-layer protocol, IPPROTO_NONE (59) if none */
	uint16_t l4_off;	 /* where its header starts (or would start) */
};

static inline uint8_t ipv6_version(const struct ipv6_hdr *h)
{
	return (uint8_t)(be32_to_h(h->ver_tc_flow) >> 28);
}

static inline uint8_t ipv6_tc(const struct ipv6_hdr *h)
{
	return (uint8_t)(be32_to_h(h->ver_tc_flow) >> 20);
}

static inline uint32_t ipv6_flow_label(const struct ipv6_hdr *h)
{
	return be32_to_h(h->ver_tc_flow) & 0xfffff;
}

static inline void ipv6_set_ver_tc_flow(struct ipv6_hdr *h, uint8_t tc, uint32_t flow)
{
	h->ver_tc_flow = h_to_be32(6u << 28 | (uint32_t)tc << 20 | (flow & 0xfffff));
}

static inline uint16_t ipv6_payload_len(const struct ipv6_hdr *h)
{
	return be16_to_h(h->payload_len);
}

/* The fixed header at p (a packed struct: any alignment will do). */
static inline struct ipv6_hdr *ipv6_hdr_at(uint8_t *p)
{
	return (struct ipv6_hdr *)(void *)p;
}

/* Forwarding hop limit decrement (RFC 8200 3). -ETIMEDOUT, header
 * untouched, when the packet must not be forwarded (hop limit <= 1). */
static inline int ipv6_dec_hop_limit(struct ipv6_hdr *h)
{
	if (h->hop_limit <= 1)
		return -ETIMEDOUT;
	h->hop_limit--;
	return 0;
}

/* Walks the fixed header and the extension headers (hop-by-hop, routing,
 * fragment, destination options, AH) within 40 + payload_len bytes.
 * Jumbograms (payload_len 0 with a Jumbo option) are not supported.
 * 0, -EPROTO (not version 6), -EBADMSG (truncated) or -E2BIG (more than
 * IPV6_EXT_MAX extension headers). */
int ipv6_walk(const uint8_t *p, size_t len, struct ipv6_info *out);

/* Writes a 40-byte header. */
void ipv6_build(struct ipv6_hdr *h, uint8_t tc, uint32_t flow_label, uint16_t payload_len,
		uint8_t nexthdr, uint8_t hop_limit, const struct in6_addr *src,
		const struct in6_addr *dst);

#endif

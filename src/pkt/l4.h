/* Transport headers (UDP RFC 768, TCP RFC 9293, ICMP RFC 792, ICMPv6
 * RFC 4443) and their pseudo-header checksums. */
#ifndef SRCHAIN_PKT_L4_H
#define SRCHAIN_PKT_L4_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt/byteorder.h"

#define L4_UDP_HLEN	8
#define L4_TCP_HLEN_MIN 20
#define L4_ICMP_HLEN	8

#define L4_TCP_FIN 0x01
#define L4_TCP_SYN 0x02
#define L4_TCP_RST 0x04
#define L4_TCP_PSH 0x08
#define L4_TCP_ACK 0x10
#define L4_TCP_URG 0x20
#define L4_TCP_ECE 0x40
#define L4_TCP_CWR 0x80

#define L4_ICMP_ECHO_REPLY    0
#define L4_ICMP_DEST_UNREACH  3
#define L4_ICMP_ECHO_REQUEST  8
#define L4_ICMP_TIME_EXCEEDED 11

#define L4_ICMP6_DEST_UNREACH  1
#define L4_ICMP6_PKT_TOO_BIG   2
#define L4_ICMP6_TIME_EXCEEDED 3
#define L4_ICMP6_PARAM_PROB    4
#define L4_ICMP6_ECHO_REQUEST  128
#define L4_ICMP6_ECHO_REPLY    129

struct udp_hdr {
	be16 sport;
	be16 dport;
	be16 len;
	be16 check;
} __attribute__((packed));

struct tcp_hdr {
	be16 sport;
	be16 dport;
	be32 seq;
	be32 ack;
	uint8_t doff_rsvd; /* data offset in 32-bit words, high nibble */
	uint8_t flags;	   /* L4_TCP_* */
	be16 window;
	be16 check;
	be16 urg_ptr;
} __attribute__((packed));

struct icmpv4_hdr {
	uint8_t type;
	uint8_t code;
	be16 check;
	be32 rest; /* identifier/sequence, pointer, MTU, ... */
} __attribute__((packed));

struct icmpv6_hdr {
	uint8_t type;
	uint8_t code;
	be16 check;
	be32 data; /* pointer (Parameter Problem), MTU, identifier/sequence */
} __attribute__((packed));

static inline uint16_t l4_udp_len(const struct udp_hdr *h)
{
	return be16_to_h(h->len);
}

static inline uint16_t l4_udp_dport(const struct udp_hdr *h)
{
	return be16_to_h(h->dport);
}

/* TCP header length in bytes, options included. */
static inline uint16_t l4_tcp_hdr_len(const struct tcp_hdr *h)
{
	return (uint16_t)((h->doff_rsvd >> 4) * 4);
}

/* Running sums of the IPv4 (RFC 768, RFC 9293 3.1) and IPv6 (RFC 8200 8.1)
 * pseudo-headers, to continue with csum_partial() over the L4 bytes. */
uint32_t l4_pseudo_v4(be32 saddr, be32 daddr, uint8_t proto, uint16_t l4_len);
uint32_t l4_pseudo_v6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nexthdr,
		      uint32_t l4_len);

/* csum_fold(pseudo-header + len bytes at l4), host order. With the
 * checksum field zeroed it is the value to store; over a segment holding a
 * correct checksum it is 0. */
uint16_t l4_csum_v4(be32 saddr, be32 daddr, uint8_t proto, const void *l4, size_t len);
uint16_t l4_csum_v6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nexthdr,
		    const void *l4, size_t len);

/* UDP checksum to store (field zeroed before the call): a computed 0 is
 * sent as 0xFFFF, 0 meaning "no checksum" (RFC 768), which IPv6 forbids
 * (RFC 8200 8.1). */
uint16_t l4_udp_csum_v4(be32 saddr, be32 daddr, const void *udp, size_t len);
uint16_t l4_udp_csum_v6(const struct in6_addr *src, const struct in6_addr *dst, const void *udp,
			size_t len);

/* ICMPv6 checksum (RFC 4443 2.3, with pseudo-header) and ICMPv4 checksum
 * (RFC 792, none), same convention as l4_csum_v4/v6. */
uint16_t l4_icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst, const void *icmp6,
		       size_t len);
uint16_t l4_icmp_csum(const void *icmp, size_t len);

/* Ports of a TCP, UDP, UDP-Lite or SCTP header (all start with source and
 * destination port); for ICMP and ICMPv6, type and code stand in for them.
 * 0, -ENOENT (protocol without ports) or -EBADMSG (too short). */
int l4_ports(uint8_t proto, const uint8_t *p, size_t len, uint16_t *sport, uint16_t *dport);

#endif

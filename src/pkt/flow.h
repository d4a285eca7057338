/* Flow key of the innermost packet and the flow hash used for ECMP/WCMP,
 * flow affinity, NSH metadata and the SR-MPLS proxy.
 *
 * The hash is unkeyed and identical on every node, so that a hash carried in
 * NSH metadata or computed before an encapsulation matches one recomputed
 * after it. */
#ifndef SRCHAIN_PKT_FLOW_H
#define SRCHAIN_PKT_FLOW_H

#include <stddef.h>
#include <stdint.h>

/* Encapsulations looked through around the innermost packet (SRv6, IP in
 * IP, MPLS, NSH, VXLAN-GPE to NSH, inner Ethernet each count one). */
#define FLOW_NEST_MAX 4

#define FLOW_FAMILY_NONE 0
#define FLOW_FAMILY_IPV4 4
#define FLOW_FAMILY_IPV6 6

/* Five 64-bit words; padding is always zero so the key hashes as bytes. */
struct flow_key {
	uint8_t src[16]; /* IPv4 in the first 4 bytes, rest zero */
	uint8_t dst[16];
	uint16_t sport; /* host order; ICMP type for ICMP/ICMPv6 */
	uint16_t dport; /* host order; ICMP code for ICMP/ICMPv6 */
	uint8_t family; /* FLOW_FAMILY_* */
	uint8_t proto;	/* upper-layer protocol */
	uint8_t pad[2];
};

/* Finds the innermost IPv4/IPv6 packet of the l3 (enum pkt_l3) packet at p
 * and fills its key. Ports (TCP, UDP, UDP-Lite, SCTP) or ICMP type/code are
 * read from unfragmented packets and first fragments only; a fragmented
 * tunnel packet is not looked into. 0; on error the key holds the deepest
 * addresses found (zero if none): -EBADMSG, -EPROTO, -E2BIG (nesting
 * deeper than FLOW_NEST_MAX), -EPROTONOSUPPORT (payload that is not IP,
 * e.g. an MPLS pseudowire). */
int flow_key_from_l3(const uint8_t *p, size_t len, int l3, struct flow_key *out);

/* 32-bit hash of a key, never 0 (0 means "not computed" in struct pkt).
 * symmetric: (a -> b) and (b -> a) hash the same. */
uint32_t flow_hash(const struct flow_key *k, int symmetric);

/* The hash of the common packet shapes (TCP/UDP over IPv4 or IPv6, under
 * an SRv6 encapsulation or an MPLS stack) read straight from the headers:
 * 0 and *hash equal to flow_hash() of flow_key_from_l3()'s key, or -1 when
 * the packet needs the general walk. */
int flow_hash_fast(const uint8_t *p, size_t len, int l3, uint32_t *hash);

/* flow_hash() of the key flow_key_from_l3() finds, whatever it returned. */
uint32_t flow_hash_l3(const uint8_t *p, size_t len, int l3, int symmetric);

#endif

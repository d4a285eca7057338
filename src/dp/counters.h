/* Named data-plane counters: every drop has a reason, every reason a name.
 * Per worker, never shared on the packet path; summed when read. */
#ifndef SRCHAIN_DP_COUNTERS_H
#define SRCHAIN_DP_COUNTERS_H

#include <stdint.h>

#define DP_COUNTERS(X)                                                                             \
	X(RX, "rx", "packets received")                                                            \
	X(TX, "tx", "packets transmitted")                                                         \
	X(HOST, "host", "packets handed to the host stack")                                        \
	X(MIRROR_TX, "mirror_tx", "copies sent by mirror functions")                               \
	X(ETH_MALFORMED, "eth_malformed", "truncated Ethernet/VLAN header")                        \
	X(ETH_UNKNOWN, "eth_unknown_type", "ethertype not handled (and no host path)")             \
	X(IP4_MALFORMED, "ip4_malformed", "bad IPv4 header or length")                             \
	X(IP4_TTL_EXPIRED, "ip4_ttl_expired", "IPv4 TTL reached zero")                             \
	X(IP4_NO_ROUTE, "ip4_no_route", "no IPv4 route")                                           \
	X(IP6_MALFORMED, "ip6_malformed", "bad IPv6 header, length or extension chain")            \
	X(IP6_HLIM_EXPIRED, "ip6_hlim_expired", "IPv6 hop limit reached zero")                     \
	X(IP6_NO_ROUTE, "ip6_no_route", "no IPv6 route")                                           \
	X(NEIGH_UNRESOLVED, "neigh_unresolved", "next hop has no link-layer address")              \
	X(MTU_EXCEEDED, "mtu_exceeded", "packet larger than the output MTU or buffer")             \
	X(NO_HEADROOM, "no_headroom", "no headroom to push an encapsulation")                      \
	X(LOOP_LIMIT, "loop_limit", "too many local lookups for one packet")                       \
	X(CLASSIFY_DEFAULT_DROP, "classify_default_drop", "no classifier rule matched (drop)")     \
	X(CLASSIFY_DROP, "classify_drop", "a classifier rule said drop")                           \
	X(SRV6_NO_SRH, "srv6_no_srh", "SID needs an SRH and the packet has none")                  \
	X(SRV6_SRH_MALFORMED, "srv6_srh_malformed", "SRH fails RFC 8754 parsing")                  \
	X(SRV6_SL_ZERO, "srv6_sl_zero", "Segments Left is 0 where the behaviour needs more")       \
	X(SRV6_SL_NONZERO, "srv6_sl_nonzero", "Segments Left is not 0 at a decapsulating SID")     \
	X(SRV6_SL_INVALID, "srv6_sl_invalid", "Segments Left > Last Entry + 1 (RFC 8754 4.3.1.1)") \
	X(SRV6_BAD_INNER, "srv6_bad_inner", "inner packet is not of the behaviour's family")       \
	X(SRV6_HMAC_FAIL, "srv6_hmac_fail", "SRH HMAC digest wrong")                               \
	X(SRV6_ICMP_SENT, "srv6_icmp_sent", "ICMPv6 parameter problems sent")                      \
	X(MPLS_MALFORMED, "mpls_malformed", "truncated label stack")                               \
	X(MPLS_BOS_MISSING, "mpls_bos_missing", "no bottom-of-stack bit within the stack limit")   \
	X(MPLS_TTL_EXPIRED, "mpls_ttl_expired", "MPLS TTL reached zero")                           \
	X(MPLS_NO_LABEL, "mpls_no_label", "incoming label not in the LFIB")                        \
	X(MPLS_RESERVED_LABEL, "mpls_reserved_label", "reserved label not valid here")             \
	X(MPLS_BAD_PAYLOAD, "mpls_bad_payload", "payload below the bottom of stack is not IP")     \
	X(MPLS_STACK_TOO_DEEP, "mpls_stack_too_deep", "push would exceed the stack limit")         \
	X(NSH_MALFORMED, "nsh_malformed", "NSH fails RFC 8300 parsing")                            \
	X(NSH_TTL_EXPIRED, "nsh_ttl_expired", "NSH TTL reached zero")                              \
	X(NSH_NO_PATH, "nsh_no_path", "no entry for (SPI, SI)")                                    \
	X(NSH_BAD_PAYLOAD, "nsh_bad_payload", "NSH next protocol not IPv4/IPv6 at path end")       \
	X(VXLAN_MALFORMED, "vxlan_malformed", "bad VXLAN-GPE header")                              \
	X(VNF_DROP, "vnf_drop", "dropped by a function (firewall deny)")                           \
	X(POOL_EMPTY, "pool_empty", "no free buffer for a copy")                                   \
	X(SRV6_HMAC_MISSING, "srv6_hmac_missing", "SID requires an HMAC TLV, the SRH has none")    \
	X(SRV6_HMAC_KEY_UNKNOWN, "srv6_hmac_key_unknown", "HMAC key ID not configured")            \
	X(SRV6_HMAC_DST_MISMATCH, "srv6_hmac_dst_mismatch",                                        \
	  "destination is not the active segment (HMAC D flag clear)")                             \
	X(IP4_BAD_CSUM, "ip4_bad_csum", "IPv4 header checksum wrong (RFC 1812 5.2.2)")             \
	X(IP6_SRC_LINKLOCAL, "ip6_src_linklocal", "link-local source not forwarded (RFC 4291)")    \
	X(IP6_SRC_LOOPBACK, "ip6_src_loopback", "loopback source ::1 (RFC 4291 2.5.3)")            \
	X(IP6_SRC_UNSPEC, "ip6_src_unspecified", "unspecified source :: (RFC 4291 2.5.2)")         \
	X(IP6_SRC_MULTICAST, "ip6_src_multicast", "multicast source ff00::/8 (RFC 4291 2.7)")      \
	X(IP4_SRC_THISNET, "ip4_src_thisnet", "source in 0.0.0.0/8 (RFC 6890)")                    \
	X(IP4_SRC_LOOPBACK, "ip4_src_loopback", "source in 127.0.0.0/8 (RFC 1812 5.3.7)")          \
	X(IP4_SRC_MULTICAST, "ip4_src_multicast", "multicast source 224.0.0.0/4 (RFC 1812 5.3.7)") \
	X(IP4_SRC_BROADCAST, "ip4_src_broadcast", "source 255.255.255.255 (RFC 1812 5.3.7)")

enum dp_ctr {
#define DP_CTR_ENUM(id, name, help) DP_CTR_##id,
	DP_COUNTERS(DP_CTR_ENUM)
#undef DP_CTR_ENUM
		DP_CTR_MAX
};

/* Counter name as shown to operators (stable: scripts match on it). */
const char *dp_ctr_name(enum dp_ctr c);
/* One-line description for `--help`-style listings. */
const char *dp_ctr_help(enum dp_ctr c);

#endif

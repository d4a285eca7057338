/* SRv6 inside the data plane, shared by its files: the SID stage
 * (srv6_sid.c) parses a packet's header chain once and hands the result to
 * the HMAC check and to the behaviour (srv6_end.c, srv6_decap.c); the
 * headend encapsulation (srv6_encap.c) is also End.B6.Encaps' second half.
 *
 * Where RFC 8986 and Linux seg6local differ we follow Linux, the peer we
 * interoperate with: the hop limit is decremented when the packet is
 * forwarded (not again when the next SID is local too), and SRH errors are
 * counted drops rather than ICMPv6 Parameter Problems (RFC 8754 4.3.1.1
 * S03, "SHOULD" be sent). */
#ifndef SRCHAIN_DP_SRV6_H
#define SRCHAIN_DP_SRV6_H

#include <stdbool.h>

#include "dp/counters.h"
#include "dp/tables.h"
#include "pkt/ipv6.h"
#include "lib/err.h"
#include "pkt/srh.h"

struct dp_behaviour_desc;
struct dp_ctx;
struct dp_tables;
struct dp_policy;
struct dp_sid;
struct pkt;

/* What the SID stage learnt about an IPv6 packet addressed to a local SID. */
struct srv6_chain {
	struct ipv6_hdr *ip6;
	struct srh_hdr *srh; /* NULL: no SRH */
	struct srh_info si;  /* the parsed SRH, when srh is set */
	bool walked;	     /* ii holds the whole extension chain */
	struct ipv6_info ii;
};

/* Finds and parses the SRH of IPv6 packet p into h. The common case (SRH
 * right after the fixed header) skips the extension walk. 0, or -1 when
 * the extension chain or the SRH is malformed. */
int srv6_chain_parse(struct pkt *p, struct srv6_chain *h);
/* Walks the whole extension chain (h->ii) unless the parse did already;
 * 0 or -1 when it is malformed. */
int srv6_chain_walk(const struct pkt *p, struct srv6_chain *h);
/* The SRH HMAC mode that applies to p at SID s: the SID's, else its input
 * interface's, else the node's (default verify). */
enum dp_hmac_mode srv6_hmac_mode(const struct dp_tables *t, const struct dp_sid *s,
				 const struct pkt *p);
/* RFC 8754 2.1.2.1 check of h under mode: DP_CTR_MAX, or the drop reason. */
enum dp_ctr srv6_hmac_check(const struct dp_tables *t, enum dp_hmac_mode mode,
			    const struct srv6_chain *h);
/* Validate hooks (dp/behaviour.h): DP_CTR_MAX or the drop reason. */
enum dp_ctr srv6_validate_advance(const struct dp_tables *t, const struct dp_sid *s,
				  const struct srv6_chain *h);
enum dp_ctr srv6_validate_end(const struct dp_tables *t, const struct dp_sid *s,
			      const struct srv6_chain *h);
enum dp_ctr srv6_validate_end_x(const struct dp_tables *t, const struct dp_sid *s,
				const struct srv6_chain *h);
enum dp_ctr srv6_validate_decap(const struct dp_tables *t, const struct dp_sid *s,
				const struct srv6_chain *h);
/* Check hook of the SID behaviours that forward to a configured next hop
 * (End.X, End.DX4, End.DX6): "field 'nh6': End.X needs a next hop". */
int srv6_check_nexthop(const struct dp_behaviour_desc *d, const struct dp_tables *t,
		       const void *entry, struct err *err);
/* Pushes the policy's outer IPv6 header and SRH in front of the IPv4 or
 * IPv6 packet p (RFC 8986 5.1 H.Encaps, 5.2 H.Encaps.Red); 0 or dropped. */
int srv6_encap_push(struct dp_ctx *c, struct pkt *p, const struct dp_policy *pol);

#endif

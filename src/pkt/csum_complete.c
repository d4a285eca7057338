/* Completing partial TCP/UDP checksums (see csum_complete.h).
 *
 * The pseudo-header (RFC 768, RFC 9293 3.1, RFC 8200 8.1) is the one of the
 * innermost IP header; with an SRH the destination is the final one,
 * Segment List[0] (RFC 8754 2, RFC 8200 8.1). Lengths come from the IP
 * headers, not the frame: Ethernet padding is not part of the segment. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "pkt/csum.h"
#include "pkt/csum_complete.h"
#include "pkt/eth.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h" /* struct udp_hdr, tcp_hdr */
#include "pkt/mpls.h"
#include "pkt/srh.h"

/* Where the TCP/UDP header lies, relative to the frame. */
struct csum_l4 {
	size_t off;	 /* L4 header */
	size_t len;	 /* L4 header and payload */
	size_t field;	 /* checksum field */
	uint32_t pseudo; /* running sum of the pseudo-header */
	uint8_t proto;
};

/* Fills l for an L4 header of proto at frame offset l4 ending at end;
 * -ENOENT for anything but TCP/UDP, -EBADMSG when its header is cut. */
static int csum_l4_at(uint8_t proto, size_t l4, size_t end, struct csum_l4 *l)
{
	if (proto == IPPROTO_UDP) {
		if (end - l4 < L4_UDP_HLEN)
			return -EBADMSG;
		l->field = l4 + offsetof(struct udp_hdr, check);
	} else if (proto == IPPROTO_TCP) {
		if (end - l4 < L4_TCP_HLEN_MIN)
			return -EBADMSG;
		l->field = l4 + offsetof(struct tcp_hdr, check);
	} else {
		return -ENOENT;
	}
	l->off = l4;
	l->len = end - l4;
	l->proto = proto;
	return 0;
}

/* Walks IP headers from frame offset off (version ver) to the innermost
 * TCP/UDP header; 0 or -errno (not TCP/UDP, fragment, malformed, too deep). */
static int csum_find_l4(const uint8_t *d, size_t off, size_t end, int ver, struct csum_l4 *l)
{
	for (int nest = 0; nest < CSUM_NEST_MAX; nest++) {
		uint8_t proto;
		size_t l4;
		int rc;

		if (ver == 6) {
			const uint8_t *addrs;
			struct ipv6_info v6;

			if ((rc = ipv6_walk(d + off, end - off, &v6)))
				return rc;
			if (v6.fraghdr_off)
				return -ENOENT; /* the checksum covers the reassembled datagram */
			end = off + IPV6_HDR_LEN + v6.payload_len;
			proto = v6.l4_proto;
			l4 = off + v6.l4_off;
			if (proto != IPPROTO_IPV6 && proto != IPPROTO_IPIP) {
				const struct srh_hdr *srh = (const void *)(d + off + v6.srh_off);

				if ((rc = csum_l4_at(proto, l4, end, l)))
					return rc;
				/* source and destination are adjacent: one sum;
				 * ipv6_walk checked the whole SRH is there */
				addrs = d + off + offsetof(struct ipv6_hdr, src);
				if (v6.srh_off && srh->hdr_ext_len >= sizeof(struct in6_addr) / 8)
					l->pseudo =
						csum_partial(srh->segments, sizeof(struct in6_addr),
							     csum_partial(addrs, 16, 0));
				else
					l->pseudo = csum_partial(addrs, 32, 0);
				/* RFC 8200 8.1: a 32-bit length, zeros, next header */
				l->pseudo += (uint32_t)(l->len >> 16) +
					     (uint32_t)(l->len & 0xffff) + proto;
				return 0;
			}
		} else {
			struct ipv4_info v4;

			if ((rc = ipv4_parse(d + off, end - off, &v4)))
				return rc;
			if (v4.is_fragment)
				return -ENOENT;
			end = off + v4.total_len;
			proto = v4.proto;
			l4 = off + v4.l4_off;
			if (proto != IPPROTO_IPV6 && proto != IPPROTO_IPIP) {
				if ((rc = csum_l4_at(proto, l4, end, l)))
					return rc;
				/* RFC 768: source, destination, zero, protocol, length */
				l->pseudo = csum_partial(d + off + offsetof(struct ipv4_hdr, saddr),
							 8, 0) +
					    proto + (uint32_t)l->len;
				return 0;
			}
		}
		off = l4;
		ver = proto == IPPROTO_IPV6 ? 6 : 4;
	}
	return -E2BIG;
}

int csum_complete_frame(uint8_t *frame, size_t len)
{
	struct eth_info eth;
	struct csum_l4 l;
	uint16_t field, c;
	size_t off;
	uint32_t sum;
	int ver;

	if (eth_parse(frame, len, &eth))
		return 0;
	off = eth.l2_len;
	if (eth.type == ETH_P_MPLS_UC) {
		struct mpls_info m;

		if (mpls_walk(frame + off, len - off, &m) || m.payload == MPLS_PAYLOAD_OTHER)
			return 0;
		off += m.payload_off;
		ver = m.payload == MPLS_PAYLOAD_IPV6 ? 6 : 4;
	} else if (eth.type == ETH_P_IPV6) {
		ver = 6;
	} else if (eth.type == ETH_P_IPV4) {
		ver = 4;
	} else {
		return 0;
	}
	if (csum_find_l4(frame, off, len, ver, &l))
		return 0;
	field = rd_be16(frame + l.field);
	/* never 0 (the pseudo-header is not all zeros): a UDP field of 0, "no
	 * checksum", is never taken for a partial one */
	if (field != csum_fold_sum(l.pseudo))
		return 0;
	sum = csum_partial(frame + l.off, l.len, 0);
	/* it verifies as it is (the 1 in 65536 case): leave it */
	if (csum_fold_sum(sum + csum_fold_sum(l.pseudo)) == 0xffff)
		return 0;
	c = csum_fold(sum);
	/* RFC 768: a computed 0 is sent as all ones */
	wr_be16(frame + l.field, c || l.proto != IPPROTO_UDP ? c : 0xffff);
	return 1;
}

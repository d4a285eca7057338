/* IPv6 extension header walk (RFC 8200 4, RFC 4302 2.2 for AH). */
#include <errno.h>
#include <string.h>

#include "pkt/cursor.h"
#include "pkt/ipv6.h"

static bool ipv6_is_ext(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_FRAGMENT:
	case IPPROTO_DSTOPTS:
	case IPPROTO_AH:
		return true;
	default:
		return false;
	}
}

/* Length of one extension header from its first two bytes (Next Header,
 * Hdr Ext Len): fixed 8 for Fragment, 4-byte units + 2 for AH, 8-byte units
 * + 1 for the others. */
static size_t ipv6_ext_len(uint8_t nh, const uint8_t *e)
{
	if (nh == IPPROTO_FRAGMENT)
		return IPV6_FRAG_HDR_LEN;
	if (nh == IPPROTO_AH)
		return ((size_t)e[1] + 2) * 4;
	return ((size_t)e[1] + 1) * 8;
}

int ipv6_walk(const uint8_t *p, size_t len, struct ipv6_info *out)
{
	struct cursor c;
	const struct ipv6_hdr *h;
	uint16_t plen;
	uint8_t nh;

	cursor_init(&c, p, len);
	h = cursor_pull(&c, IPV6_HDR_LEN);
	if (!h)
		return -EBADMSG;
	if (ipv6_version(h) != 6)
		return -EPROTO;
	plen = ipv6_payload_len(h);
	if (plen > len - IPV6_HDR_LEN)
		return -EBADMSG;
	/* Bytes past the payload are link padding, never headers. */
	c.end = c.p + plen;

	memset(out, 0, sizeof(*out));
	out->hdr = h;
	out->payload_len = plen;
	nh = h->nexthdr;

	while (ipv6_is_ext(nh)) {
		const uint8_t *e;
		size_t off = cursor_off(&c), elen;

		if (out->n_ext == IPV6_EXT_MAX)
			return -E2BIG;
		e = cursor_peek(&c, 2);
		if (!e)
			return -EBADMSG;
		elen = ipv6_ext_len(nh, e);
		if (!cursor_pull(&c, elen))
			return -EBADMSG;
		out->n_ext++;

		if (nh == IPPROTO_ROUTING && !out->rh_off) {
			/* Routing Type is the third byte (RFC 8200 4.4). */
			out->rh_off = (uint16_t)off;
			out->rh_type = e[2];
			if (e[2] == 4)
				out->srh_off = (uint16_t)off;
		}
		if (nh == IPPROTO_FRAGMENT) {
			out->fraghdr_off = (uint16_t)off;
			/* RFC 8200 4.5: the offset is the high 13 bits of bytes
			 * 2-3; a later fragment carries no headers to walk. */
			out->non_first_fragment = (rd_be16(e + 2) & 0xfff8) != 0;
		}
		nh = e[0];
		if (out->non_first_fragment)
			break;
	}
	out->l4_proto = nh;
	out->l4_off = (uint16_t)cursor_off(&c);
	return 0;
}

void ipv6_build(struct ipv6_hdr *h, uint8_t tc, uint32_t flow_label, uint16_t payload_len,
		uint8_t nexthdr, uint8_t hop_limit, const struct in6_addr *src,
		const struct in6_addr *dst)
{
	ipv6_set_ver_tc_flow(h, tc, flow_label);
	h->payload_len = h_to_be16(payload_len);
	h->nexthdr = nexthdr;
	h->hop_limit = hop_limit;
	memcpy(&h->src, src, sizeof(*src));
	memcpy(&h->dst, dst, sizeof(*dst));
}

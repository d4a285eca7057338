/* IPv4 header parsing and building (RFC 791). */
#include "pkt/cursor.h"
#include "pkt/ipv4.h"

int ipv4_parse(const uint8_t *p, size_t len, struct ipv4_info *out)
{
	struct cursor c;
	const struct ipv4_hdr *h;
	uint16_t hl, tl;

	cursor_init(&c, p, len);
	h = cursor_peek(&c, IPV4_HDR_LEN);
	if (!h)
		return -EBADMSG;
	if (ipv4_version(h) != 4)
		return -EPROTO;
	hl = ipv4_hdr_len(h);
	tl = ipv4_total_len(h);
	if (hl < IPV4_HDR_LEN || tl < hl || tl > len)
		return -EBADMSG;

	out->hdr = h;
	out->hdr_len = hl;
	out->total_len = tl;
	out->proto = h->protocol;
	out->l4_off = hl;
	out->is_fragment = ipv4_is_fragment(h);
	out->non_first_fragment = ipv4_frag_offset(h) != 0;
	return 0;
}

uint16_t ipv4_csum_compute(const struct ipv4_hdr *h)
{
	uint32_t sum = csum_partial(h, ipv4_hdr_len(h), 0);

	/* Subtracting the stored check (adding its complement) is the same as
	 * summing with the field zeroed, without writing to the header. */
	return csum_fold(csum_add16(sum, (uint16_t)~be16_to_h(h->check)));
}

bool ipv4_csum_ok(const struct ipv4_hdr *h)
{
	return csum_fold(csum_partial(h, ipv4_hdr_len(h), 0)) == 0;
}

void ipv4_build(struct ipv4_hdr *h, uint8_t tos, uint16_t total_len, uint16_t id, uint16_t frag_off,
		uint8_t ttl, uint8_t proto, be32 saddr, be32 daddr)
{
	h->version_ihl = 4 << 4 | IPV4_HDR_LEN / 4;
	h->tos = tos;
	h->total_len = h_to_be16(total_len);
	h->id = h_to_be16(id);
	h->frag_off = h_to_be16(frag_off);
	h->ttl = ttl;
	h->protocol = proto;
	h->check = 0;
	h->saddr = saddr;
	h->daddr = daddr;
	h->check = h_to_be16(ipv4_csum_compute(h));
}

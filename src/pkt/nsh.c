/* Network Service Header parsing and building (RFC 8300). */
#include <string.h>

#include "pkt/cursor.h"
#include "pkt/nsh.h"

/* RFC 8300 2.5.1: TLVs back to back, each padded to 4 bytes, up to the end
 * of the header given by Length. */
static int nsh_walk_md2(struct nsh_info *out)
{
	struct cursor c;

	cursor_init(&c, out->ctx, out->ctx_len);
	for (int i = 0; cursor_left(&c); i++) {
		const uint8_t *t, *v;
		uint8_t vlen;

		if (i == NSH_MD2_TLV_MAX)
			return -E2BIG;
		t = cursor_pull(&c, NSH_MD2_TLV_HLEN);
		if (!t)
			return -EBADMSG;
		vlen = t[3] & 0x7f;
		v = cursor_pull(&c, ((size_t)vlen + 3) & ~(size_t)3);
		if (!v)
			return -EBADMSG;
		out->n_tlvs++;
		if (rd_be16(t) == NSH_MD2_CLASS_SRCHAIN && t[2] == NSH_MD2_TYPE_FLOW_HASH &&
		    vlen == 4 && !out->has_flow_hash) {
			out->has_flow_hash = true;
			out->flow_hash = rd_be32(v);
		}
	}
	return 0;
}

int nsh_parse(const uint8_t *p, size_t len, struct nsh_info *out)
{
	const struct nsh_hdr *h;
	uint16_t hl;

	if (len < NSH_BASE_LEN)
		return -EBADMSG;
	h = (const struct nsh_hdr *)p;
	if (nsh_version(h) != 0)
		return -EPROTO;
	hl = nsh_len(h);
	if (hl < NSH_BASE_LEN || hl > len)
		return -EBADMSG;

	out->hdr = h;
	out->hdr_len = hl;
	out->md_type = nsh_md_type(h);
	out->next_proto = h->next_proto;
	out->spi = nsh_spi(h);
	out->si = nsh_si(h);
	out->ttl = nsh_ttl(h);
	out->oam = nsh_oam(h);
	out->ctx = p + NSH_BASE_LEN;
	out->ctx_len = (uint16_t)(hl - NSH_BASE_LEN);
	out->n_tlvs = 0;
	out->has_flow_hash = false;
	out->flow_hash = 0;

	switch (out->md_type) {
	case NSH_MD_TYPE1:
		if (hl != NSH_MD1_LEN)
			return -EBADMSG;
		out->has_flow_hash = true;
		out->flow_hash = rd_be32(out->ctx);
		return 0;
	case NSH_MD_TYPE2:
		return nsh_walk_md2(out);
	default:
		/* 0x0 is reserved, 0xF experimental, the rest unassigned (RFC 8300 11). */
		return -EPROTO;
	}
}

int nsh_build(uint8_t *buf, size_t cap, uint32_t spi, uint8_t si, uint8_t ttl, uint8_t next_proto,
	      int md_type, uint32_t flow_hash)
{
	struct nsh_hdr *h = (struct nsh_hdr *)buf;
	size_t len;

	if (spi > NSH_SPI_MAX || ttl > NSH_TTL_MAX)
		return -EINVAL;
	if (md_type == NSH_MD_TYPE1)
		len = NSH_MD1_LEN;
	else if (md_type == NSH_MD_TYPE2)
		len = NSH_BASE_LEN + NSH_MD2_TLV_HLEN + 4;
	else
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;

	h->ver_o_ttl_len = h_to_be16((uint16_t)(ttl << 6 | len / 4));
	h->md_type = (uint8_t)md_type;
	h->next_proto = next_proto;
	nsh_set_spi_si(h, spi, si);
	if (md_type == NSH_MD_TYPE1) {
		memset(buf + NSH_BASE_LEN, 0, NSH_MD1_CTX_LEN);
		wr_be32(buf + NSH_BASE_LEN, flow_hash);
	} else {
		wr_be16(buf + NSH_BASE_LEN, NSH_MD2_CLASS_SRCHAIN);
		buf[NSH_BASE_LEN + 2] = NSH_MD2_TYPE_FLOW_HASH;
		buf[NSH_BASE_LEN + 3] = 4;
		wr_be32(buf + NSH_BASE_LEN + NSH_MD2_TLV_HLEN, flow_hash);
	}
	return (int)len;
}

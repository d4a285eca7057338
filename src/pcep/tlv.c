/* PCEP TLV walk and the bounded writer. */
#include <errno.h>
#include <string.h>

#include "pcep/tlv.h"
#include "pkt/byteorder.h"

int pcep_tlv_next(struct cursor *c, struct pcep_tlv *t)
{
	const uint8_t *h;

	if (cursor_left(c) == 0)
		return 0;
	h = cursor_pull(c, PCEP_TLV_HDR_LEN);
	if (!h)
		return -EBADMSG;
	t->type = rd_be16(h);
	t->len = rd_be16(h + 2);
	t->val = cursor_pull(c, pcep_pad4(t->len));
	if (!t->val)
		return -EBADMSG;
	return 1;
}

void pcep_wb_init(struct pcep_wbuf *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
}

uint8_t *pcep_wb_put(struct pcep_wbuf *w, size_t n)
{
	uint8_t *p;

	if (w->err)
		return NULL;
	if (w->cap - w->len < n) {
		w->err = -ENOSPC;
		return NULL;
	}
	p = w->buf + w->len;
	memset(p, 0, n);
	w->len += n;
	return p;
}

void pcep_wb_u8(struct pcep_wbuf *w, uint8_t v)
{
	uint8_t *p = pcep_wb_put(w, 1);

	if (p)
		*p = v;
}

void pcep_wb_u16(struct pcep_wbuf *w, uint16_t v)
{
	uint8_t *p = pcep_wb_put(w, 2);

	if (p)
		wr_be16(p, v);
}

void pcep_wb_u32(struct pcep_wbuf *w, uint32_t v)
{
	uint8_t *p = pcep_wb_put(w, 4);

	if (p)
		wr_be32(p, v);
}

void pcep_wb_bytes(struct pcep_wbuf *w, const void *src, size_t n)
{
	uint8_t *p = pcep_wb_put(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void pcep_tlv_put(struct pcep_wbuf *w, uint16_t type, const void *val, uint16_t len)
{
	size_t start = pcep_tlv_begin(w, type);

	pcep_wb_bytes(w, val, len);
	pcep_tlv_end(w, start);
}

size_t pcep_tlv_begin(struct pcep_wbuf *w, uint16_t type)
{
	size_t start = w->len;

	pcep_wb_u16(w, type);
	pcep_wb_u16(w, 0);
	return start;
}

void pcep_tlv_end(struct pcep_wbuf *w, size_t start)
{
	size_t vlen;

	if (w->err)
		return;
	vlen = w->len - start - PCEP_TLV_HDR_LEN;
	if (vlen > UINT16_MAX) {
		w->err = -EINVAL;
		return;
	}
	wr_be16(w->buf + start + 2, (uint16_t)vlen);
	pcep_wb_put(w, pcep_pad4(vlen) - vlen);
}

/* PCEP TLVs (RFC 5440 7.1) and the bounded writer every encoder uses.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |             Type              |            Length             |
 *  |                 Value (Length bytes, padded to 4)           //
 *
 * Length counts the value only, never the header or the padding.
 */
#ifndef SRCHAIN_PCEP_TLV_H
#define SRCHAIN_PCEP_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "pkt/cursor.h"

#define PCEP_TLV_HDR_LEN 4
/* Compile-time cap on every TLV walk: no object we accept carries more. */
#define PCEP_TLV_WALK_MAX 64

/* TLV type indicators (IANA "PCEP TLV Type Indicators"). */
enum pcep_tlv_type {
	PCEP_TLV_STATEFUL_PCE_CAP = 16,	  /* RFC 8231 7.1.1 */
	PCEP_TLV_SYMBOLIC_PATH_NAME = 17, /* RFC 8231 7.3.2 */
	PCEP_TLV_IPV4_LSP_IDS = 18,	  /* RFC 8231 7.3.1 */
	PCEP_TLV_IPV6_LSP_IDS = 19,	  /* RFC 8231 7.3.1 */
	PCEP_TLV_SR_PCE_CAP = 26,	  /* RFC 8664 4.1.2 (sub-TLV; top level in early drafts) */
	PCEP_TLV_SRV6_PCE_CAP = 27,	  /* RFC 9603 4.1.1 (sub-TLV) */
	PCEP_TLV_PATH_SETUP_TYPE = 28,	  /* RFC 8408 4 */
	PCEP_TLV_PST_CAP = 34,		  /* RFC 8408 3 */
};

struct pcep_tlv {
	uint16_t type;
	uint16_t len;
	const uint8_t *val;
};

/* Takes the next TLV (and its padding) off c: 1 = got one, 0 = c is empty,
 * -EBADMSG = the header or the padded value runs past the end. */
int pcep_tlv_next(struct cursor *c, struct pcep_tlv *t);

static inline size_t pcep_pad4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

/* Bounded output buffer: an encoder that runs out of room sets err once
 * and every later write is a no-op, so callers check err at the end. */
struct pcep_wbuf {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err; /* 0 or -ENOSPC / -EINVAL */
};

void pcep_wb_init(struct pcep_wbuf *w, void *buf, size_t cap);
/* n zeroed bytes at the end of w, or NULL (and w->err = -ENOSPC). */
uint8_t *pcep_wb_put(struct pcep_wbuf *w, size_t n);
void pcep_wb_u8(struct pcep_wbuf *w, uint8_t v);
void pcep_wb_u16(struct pcep_wbuf *w, uint16_t v);
void pcep_wb_u32(struct pcep_wbuf *w, uint32_t v);
void pcep_wb_bytes(struct pcep_wbuf *w, const void *p, size_t n);
/* Writes a whole TLV with its padding. */
void pcep_tlv_put(struct pcep_wbuf *w, uint16_t type, const void *val, uint16_t len);
/* Opens a TLV whose value follows; pcep_tlv_end patches the length and pads. */
size_t pcep_tlv_begin(struct pcep_wbuf *w, uint16_t type);
void pcep_tlv_end(struct pcep_wbuf *w, size_t start);

#endif

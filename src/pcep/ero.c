/* ERO object and its IPv4, IPv6, SR-ERO and SRv6-ERO subobjects. */
#include <errno.h>
#include <string.h>

#include "pcep/ero.h"
#include "pcep/obj.h"
#include "pkt/byteorder.h"
#include "pkt/cursor.h"
#include "pkt/mpls.h"

#define ERO_SUB_HDR_LEN 2  /* L|Type, Length */
#define ERO_IPV4_LEN	8  /* RFC 3209 4.3.3.1 */
#define ERO_IPV6_LEN	20 /* RFC 3209 4.3.3.2 */
#define ERO_SR_FIXED	4  /* header + NT/flags */
#define ERO_SRV6_FIXED	8  /* header + NT/flags + reserved + behavior */
#define ERO_SRV6_SS_LEN 8
#define ERO_SUB_FLAGS	0x0fff

static const int8_t nai_lens[PCEP_NAI_MAX] = {
	[PCEP_NAI_ABSENT] = 0,		[PCEP_NAI_IPV4_NODE] = 4, [PCEP_NAI_IPV6_NODE] = 16,
	[PCEP_NAI_IPV4_ADJ] = 8,	[PCEP_NAI_IPV6_ADJ] = 32, [PCEP_NAI_UNNUMBERED] = 16,
	[PCEP_NAI_IPV6_LINKLOCAL] = 40,
};

int pcep_nai_len(uint8_t nt)
{
	return nt < PCEP_NAI_MAX ? nai_lens[nt] : -1;
}

/* SRv6 NAIs are IPv6 only (RFC 9603 4.3.1). */
static bool srv6_nt_ok(uint8_t nt)
{
	return nt == PCEP_NAI_ABSENT || nt == PCEP_NAI_IPV6_NODE || nt == PCEP_NAI_IPV6_ADJ ||
	       nt == PCEP_NAI_IPV6_LINKLOCAL;
}

static void nai_read(const uint8_t *p, uint8_t nt, struct pcep_nai *n)
{
	memset(n, 0, sizeof(*n));
	switch (nt) {
	case PCEP_NAI_IPV4_NODE:
		memcpy(n->local, p, 4);
		break;
	case PCEP_NAI_IPV6_NODE:
		memcpy(n->local, p, 16);
		break;
	case PCEP_NAI_IPV4_ADJ:
		memcpy(n->local, p, 4);
		memcpy(n->remote, p + 4, 4);
		break;
	case PCEP_NAI_IPV6_ADJ:
		memcpy(n->local, p, 16);
		memcpy(n->remote, p + 16, 16);
		break;
	case PCEP_NAI_UNNUMBERED:
		memcpy(n->local, p, 4);
		n->local_ifid = rd_be32(p + 4);
		memcpy(n->remote, p + 8, 4);
		n->remote_ifid = rd_be32(p + 12);
		break;
	case PCEP_NAI_IPV6_LINKLOCAL:
		memcpy(n->local, p, 16);
		n->local_ifid = rd_be32(p + 16);
		memcpy(n->remote, p + 20, 16);
		n->remote_ifid = rd_be32(p + 36);
		break;
	default:
		break;
	}
}

static void nai_write(struct pcep_wbuf *w, uint8_t nt, const struct pcep_nai *n)
{
	switch (nt) {
	case PCEP_NAI_IPV4_NODE:
		pcep_wb_bytes(w, n->local, 4);
		break;
	case PCEP_NAI_IPV6_NODE:
		pcep_wb_bytes(w, n->local, 16);
		break;
	case PCEP_NAI_IPV4_ADJ:
		pcep_wb_bytes(w, n->local, 4);
		pcep_wb_bytes(w, n->remote, 4);
		break;
	case PCEP_NAI_IPV6_ADJ:
		pcep_wb_bytes(w, n->local, 16);
		pcep_wb_bytes(w, n->remote, 16);
		break;
	case PCEP_NAI_UNNUMBERED:
		pcep_wb_bytes(w, n->local, 4);
		pcep_wb_u32(w, n->local_ifid);
		pcep_wb_bytes(w, n->remote, 4);
		pcep_wb_u32(w, n->remote_ifid);
		break;
	case PCEP_NAI_IPV6_LINKLOCAL:
		pcep_wb_bytes(w, n->local, 16);
		pcep_wb_u32(w, n->local_ifid);
		pcep_wb_bytes(w, n->remote, 16);
		pcep_wb_u32(w, n->remote_ifid);
		break;
	default:
		break;
	}
}

/* Length an SR-ERO subobject must have for its flags and NT, or -errval:
 * the checks of RFC 8664 4.3.1 and 5.1 in the order the RFC lists them. */
static int sr_expected_len(uint8_t nt, uint16_t flags, uint8_t *errval)
{
	int nl = pcep_nai_len(nt);

	if (nl < 0) {
		*errval = PCEP_ERRV_NAI_UNSUPPORTED;
		return -1;
	}
	if ((flags & PCEP_SR_S) && (flags & PCEP_SR_F)) {
		*errval = PCEP_ERRV_SID_NAI_ABSENT;
		return -1;
	}
	if (nt == PCEP_NAI_ABSENT && !(flags & PCEP_SR_F)) {
		*errval = PCEP_ERRV_MALFORMED_OBJECT;
		return -1;
	}
	return ERO_SR_FIXED + ((flags & PCEP_SR_S) ? 0 : 4) + ((flags & PCEP_SR_F) ? 0 : nl);
}

static int srv6_expected_len(uint8_t nt, uint16_t flags, uint8_t *errval)
{
	int nl = pcep_nai_len(nt);

	if (nl < 0 || !srv6_nt_ok(nt)) {
		*errval = PCEP_ERRV_NAI_UNSUPPORTED;
		return -1;
	}
	if ((flags & PCEP_SRV6_S) && (flags & PCEP_SRV6_F)) {
		*errval = PCEP_ERRV_SID_NAI_ABSENT;
		return -1;
	}
	if (nt == PCEP_NAI_ABSENT && !(flags & PCEP_SRV6_F)) {
		*errval = PCEP_ERRV_MALFORMED_OBJECT;
		return -1;
	}
	return ERO_SRV6_FIXED + ((flags & PCEP_SRV6_S) ? 0 : 16) +
	       ((flags & PCEP_SRV6_F) ? 0 : nl) + ((flags & PCEP_SRV6_T) ? ERO_SRV6_SS_LEN : 0);
}

static int sr_decode(const uint8_t *p, size_t len, struct pcep_ero_sub *s, struct pcep_perr *e)
{
	uint8_t ev = 0;
	uint16_t w = rd_be16(p + 2);
	int want;

	s->nt = (uint8_t)(w >> 12);
	s->flags = w & ERO_SUB_FLAGS;
	want = sr_expected_len(s->nt, s->flags, &ev);
	if (want < 0)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, ev, "SR-ERO NT/flags");
	if ((size_t)want != len)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
				     "SR-ERO length does not match its flags and NAI type");
	p += ERO_SR_FIXED;
	if (!(s->flags & PCEP_SR_S)) {
		s->sid = rd_be32(p);
		p += 4;
		/* Labels 0-15 are reserved and never name a segment (RFC 3032). */
		if ((s->flags & PCEP_SR_M) && (s->sid >> 12) <= MPLS_LABEL_RESERVED_MAX)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_BAD_LABEL,
					     "SR-ERO label in the reserved range");
	}
	if (!(s->flags & PCEP_SR_F))
		nai_read(p, s->nt, &s->nai);
	return 0;
}

static int srv6_decode(const uint8_t *p, size_t len, struct pcep_ero_sub *s, struct pcep_perr *e)
{
	uint8_t ev = 0;
	uint16_t w = rd_be16(p + 2);
	int want;

	s->nt = (uint8_t)(w >> 12);
	s->flags = w & ERO_SUB_FLAGS;
	want = srv6_expected_len(s->nt, s->flags, &ev);
	if (want < 0)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, ev, "SRv6-ERO NT/flags");
	if ((size_t)want != len)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
				     "SRv6-ERO length does not match its flags and NAI type");
	if (rd_be16(p + 4) != 0)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
				     "SRv6-ERO reserved field not zero");
	s->behavior = rd_be16(p + 6);
	p += ERO_SRV6_FIXED;
	if (!(s->flags & PCEP_SRV6_S)) {
		memcpy(s->addr, p, 16);
		p += 16;
	}
	if (!(s->flags & PCEP_SRV6_F)) {
		nai_read(p, s->nt, &s->nai);
		p += pcep_nai_len(s->nt);
	}
	if (s->flags & PCEP_SRV6_T) {
		s->ss.lb_len = p[0];
		s->ss.ln_len = p[1];
		s->ss.fun_len = p[2];
		s->ss.arg_len = p[3];
		s->ss.flags = p[7];
		if (p[4] || p[5] || p[6] ||
		    (unsigned)s->ss.lb_len + s->ss.ln_len + s->ss.fun_len + s->ss.arg_len > 128)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SRV6_SID_STRUCT,
					     "SRv6 SID structure longer than 128 bits");
	}
	return 0;
}

static int ip_decode(const uint8_t *p, size_t len, struct pcep_ero_sub *s, struct pcep_perr *e)
{
	size_t alen = s->type == PCEP_ERO_IPV4 ? 4 : 16;

	if (len != (s->type == PCEP_ERO_IPV4 ? ERO_IPV4_LEN : ERO_IPV6_LEN))
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
				     "ERO IP prefix subobject length");
	memcpy(s->addr, p + 2, alen);
	s->prefix_len = p[2 + alen];
	if (s->prefix_len > alen * 8 || p[3 + alen] != 0)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
				     "ERO prefix length too long or reserved byte set");
	return 0;
}

int pcep_ero_decode(const uint8_t *body, size_t len, struct pcep_ero *ero, struct pcep_perr *e)
{
	struct cursor c;
	unsigned n_sr = 0, n_srv6 = 0, n_ip = 0;

	memset(ero, 0, sizeof(*ero));
	cursor_init(&c, body, len);
	for (unsigned i = 0; i <= PCEP_ERO_MAX && cursor_left(&c); i++) {
		const uint8_t *h = cursor_peek(&c, ERO_SUB_HDR_LEN);
		struct pcep_ero_sub *s;
		size_t slen;
		const uint8_t *p;
		int rc;

		if (i == PCEP_ERO_MAX)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_ERO_TOO_MANY,
					     "ERO has more subobjects than we support");
		if (!h)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT,
					     PCEP_ERRV_MALFORMED_OBJECT,
					     "ERO subobject header truncated");
		slen = h[1];
		p = slen >= 4 ? cursor_pull(&c, slen) : NULL;
		if (!p)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT,
					     PCEP_ERRV_MALFORMED_OBJECT, "ERO subobject length");
		s = &ero->sub[ero->n++];
		s->loose = (h[0] & 0x80) != 0;
		s->type = h[0] & 0x7f;
		switch (s->type) {
		case PCEP_ERO_IPV4:
		case PCEP_ERO_IPV6:
			n_ip++;
			rc = ip_decode(p, slen, s, e);
			break;
		case PCEP_ERO_SR:
			n_sr++;
			rc = sr_decode(p, slen, s, e);
			break;
		case PCEP_ERO_SRV6:
			n_srv6++;
			rc = srv6_decode(p, slen, s, e);
			break;
		default:
			rc = pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
					   "ERO subobject type not supported");
			break;
		}
		if (rc)
			return rc;
	}
	/* RFC 8664 5.1 / RFC 9603 5.1: SR-ERO (SRv6-ERO) never mixes. */
	if ((n_sr && (n_ip || n_srv6)) || (n_srv6 && n_ip))
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_ERO_MIXED,
				     "ERO mixes SR subobjects with other subobject types");
	return 0;
}

static void sub_encode(struct pcep_wbuf *w, const struct pcep_ero_sub *s)
{
	uint8_t ev = 0;
	uint8_t t = (uint8_t)((s->loose ? 0x80 : 0) | (s->type & 0x7f));
	int len;

	switch (s->type) {
	case PCEP_ERO_IPV4:
	case PCEP_ERO_IPV6: {
		size_t alen = s->type == PCEP_ERO_IPV4 ? 4 : 16;

		pcep_wb_u8(w, t);
		pcep_wb_u8(w, (uint8_t)(alen == 4 ? ERO_IPV4_LEN : ERO_IPV6_LEN));
		pcep_wb_bytes(w, s->addr, alen);
		pcep_wb_u8(w, s->prefix_len);
		pcep_wb_u8(w, 0);
		return;
	}
	case PCEP_ERO_SR:
		len = sr_expected_len(s->nt, s->flags & ERO_SUB_FLAGS, &ev);
		if (len < 0)
			break;
		pcep_wb_u8(w, t);
		pcep_wb_u8(w, (uint8_t)len);
		pcep_wb_u16(w, (uint16_t)(s->nt << 12 | (s->flags & ERO_SUB_FLAGS)));
		if (!(s->flags & PCEP_SR_S))
			pcep_wb_u32(w, s->sid);
		if (!(s->flags & PCEP_SR_F))
			nai_write(w, s->nt, &s->nai);
		return;
	case PCEP_ERO_SRV6:
		len = srv6_expected_len(s->nt, s->flags & ERO_SUB_FLAGS, &ev);
		if (len < 0)
			break;
		pcep_wb_u8(w, t);
		pcep_wb_u8(w, (uint8_t)len);
		pcep_wb_u16(w, (uint16_t)(s->nt << 12 | (s->flags & ERO_SUB_FLAGS)));
		pcep_wb_u16(w, 0);
		pcep_wb_u16(w, s->behavior);
		if (!(s->flags & PCEP_SRV6_S))
			pcep_wb_bytes(w, s->addr, 16);
		if (!(s->flags & PCEP_SRV6_F))
			nai_write(w, s->nt, &s->nai);
		if (s->flags & PCEP_SRV6_T) {
			uint8_t ss[ERO_SRV6_SS_LEN] = {
				s->ss.lb_len, s->ss.ln_len, s->ss.fun_len, s->ss.arg_len, 0, 0, 0,
				s->ss.flags};

			pcep_wb_bytes(w, ss, sizeof(ss));
		}
		return;
	default:
		break;
	}
	if (!w->err)
		w->err = -EINVAL;
}

void pcep_ero_encode(struct pcep_wbuf *w, const struct pcep_ero *ero)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_ERO, 1, 0);

	if (ero->n > PCEP_ERO_MAX && !w->err)
		w->err = -EINVAL;
	for (unsigned i = 0; i < ero->n && i < PCEP_ERO_MAX; i++)
		sub_encode(w, &ero->sub[i]);
	pcep_obj_end(w, start);
}

void pcep_ero_sr_label(struct pcep_ero_sub *s, uint32_t label, uint8_t nt,
		       const struct pcep_nai *nai)
{
	memset(s, 0, sizeof(*s));
	s->type = PCEP_ERO_SR;
	s->nt = nt;
	s->flags = PCEP_SR_M | (nai ? 0 : PCEP_SR_F);
	s->sid = (label & MPLS_LABEL_MAX) << 12;
	if (nai)
		s->nai = *nai;
}

void pcep_ero_srv6_sid(struct pcep_ero_sub *s, const uint8_t sid[16], uint16_t behavior, uint8_t nt,
		       const struct pcep_nai *nai)
{
	memset(s, 0, sizeof(*s));
	s->type = PCEP_ERO_SRV6;
	s->nt = nt;
	s->flags = nai ? 0 : PCEP_SRV6_F;
	s->behavior = behavior;
	memcpy(s->addr, sid, 16);
	if (nai)
		s->nai = *nai;
}

/* PCEP object header and the objects other than the ERO. */
#include <errno.h>
#include <string.h>

#include "pcep/obj.h"
#include "pkt/byteorder.h"

#define OPEN_BODY_LEN	4
#define LSP_BODY_LEN	4
#define SRP_BODY_LEN	8
#define BW_BODY_LEN	4
#define METRIC_BODY_LEN 8
#define EP4_BODY_LEN	8
#define EP6_BODY_LEN	32
#define ERROR_BODY_LEN	4
#define CLOSE_BODY_LEN	4
#define LSP_IDS4_LEN	16
#define LSP_IDS6_LEN	52
#define PCEP_VERSION	1

int pcep_obj_next(struct cursor *c, struct pcep_obj_raw *o)
{
	const uint8_t *h;
	uint16_t len;

	if (cursor_left(c) == 0)
		return 0;
	h = cursor_peek(c, PCEP_OBJ_HDR_LEN);
	if (!h)
		return -EBADMSG;
	len = rd_be16(h + 2);
	if (len < PCEP_OBJ_HDR_LEN || (len & 3) || len > cursor_left(c))
		return -EBADMSG;
	cursor_pull(c, len);
	o->cls = h[0];
	o->ot = h[1] >> 4;
	o->flags = h[1] & (PCEP_OBJ_FLAG_P | PCEP_OBJ_FLAG_I);
	o->body = h + PCEP_OBJ_HDR_LEN;
	o->body_len = (uint16_t)(len - PCEP_OBJ_HDR_LEN);
	return 1;
}

size_t pcep_obj_begin(struct pcep_wbuf *w, uint8_t cls, uint8_t ot, uint8_t flags)
{
	size_t start = w->len;

	pcep_wb_u8(w, cls);
	pcep_wb_u8(w, (uint8_t)(ot << 4 | (flags & (PCEP_OBJ_FLAG_P | PCEP_OBJ_FLAG_I))));
	pcep_wb_u16(w, 0);
	return start;
}

void pcep_obj_end(struct pcep_wbuf *w, size_t start)
{
	size_t len;

	if (w->err)
		return;
	len = w->len - start;
	if (len & 3)
		pcep_wb_put(w, 4 - (len & 3));
	len = w->len - start;
	if (w->err)
		return;
	if (len > UINT16_MAX) {
		w->err = -EINVAL;
		return;
	}
	wr_be16(w->buf + start + 2, (uint16_t)len);
}

static int malformed(struct pcep_perr *e, const char *why)
{
	return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, why);
}

/* PATH-SETUP-TYPE-CAPABILITY (RFC 8408 3):
 *  |               Reserved                    |  Num of PSTs  |
 *  |     PST#1     |      ...      |     PST#N     |    Padding    |
 *  //               Optional sub-TLVs                             //  */
static int pst_cap_decode(const struct pcep_tlv *t, struct pcep_open *v, struct pcep_perr *e)
{
	struct cursor c;
	struct pcep_tlv st;
	uint8_t n;
	const uint8_t *psts;
	int rc;

	if (t->len < 4)
		return malformed(e, "PATH-SETUP-TYPE-CAPABILITY too short");
	n = t->val[3];
	if (n == 0 || n > PCEP_PST_MAX || pcep_pad4(n) > (size_t)t->len - 4)
		return malformed(e, "PATH-SETUP-TYPE-CAPABILITY PST count");
	psts = t->val + 4;
	v->has_pst_cap = true;
	v->n_pst = n;
	memcpy(v->pst, psts, n);
	cursor_init(&c, psts + pcep_pad4(n), t->len - 4 - pcep_pad4(n));
	for (unsigned i = 0; i < PCEP_TLV_WALK_MAX; i++) {
		rc = pcep_tlv_next(&c, &st);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return malformed(e, "PATH-SETUP-TYPE-CAPABILITY sub-TLV length");
		if (st.type == PCEP_TLV_SR_PCE_CAP) {
			if (st.len != 4)
				return malformed(e, "SR-PCE-CAPABILITY length");
			v->has_sr_cap = true;
			v->sr_cap_top_level = false;
			v->sr_flags = st.val[2];
			v->sr_msd = st.val[3];
		} else if (st.type == PCEP_TLV_SRV6_PCE_CAP) {
			unsigned k;

			if (st.len < 4 || (st.len & 1) || (st.len - 4) / 2 > PCEP_SRV6_MSD_MAX)
				return malformed(e, "SRv6-PCE-CAPABILITY length");
			v->has_srv6_cap = true;
			v->srv6_flags = rd_be16(st.val + 2);
			k = (st.len - 4u) / 2u;
			v->n_srv6_msd = (uint8_t)k;
			for (unsigned j = 0; j < k; j++) {
				v->srv6_msd[j].type = st.val[4 + 2 * j];
				v->srv6_msd[j].value = st.val[5 + 2 * j];
			}
		}
		/* other sub-TLVs: skipped (RFC 8408 3) */
	}
	return malformed(e, "too many sub-TLVs");
}

int pcep_open_decode(const struct pcep_obj_raw *o, struct pcep_open *v, struct pcep_perr *e)
{
	struct cursor c;
	struct pcep_tlv t;
	int rc;

	memset(v, 0, sizeof(*v));
	if (o->ot != 1 || o->body_len < OPEN_BODY_LEN)
		return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
				     "OPEN object type or length");
	if ((o->body[0] >> 5) != PCEP_VERSION)
		return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_VERSION,
				     "OPEN object version");
	v->keepalive = o->body[1];
	v->deadtimer = o->body[2];
	v->sid = o->body[3];
	cursor_init(&c, o->body + OPEN_BODY_LEN, o->body_len - OPEN_BODY_LEN);
	for (unsigned i = 0; i < PCEP_TLV_WALK_MAX; i++) {
		rc = pcep_tlv_next(&c, &t);
		if (rc == 0)
			goto done;
		if (rc < 0)
			return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
					     "OPEN TLV length");
		switch (t.type) {
		case PCEP_TLV_STATEFUL_PCE_CAP:
			if (t.len < 4)
				return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE,
						     PCEP_ERRV_INVALID_OPEN,
						     "STATEFUL-PCE-CAPABILITY length");
			v->has_stateful = true;
			v->stateful_flags = rd_be32(t.val);
			break;
		case PCEP_TLV_PST_CAP:
			rc = pst_cap_decode(&t, v, e);
			if (rc)
				return rc;
			break;
		case PCEP_TLV_SR_PCE_CAP:
			/* Top-level form of draft-ietf-pce-segment-routing (FRR sends it). */
			if (t.len != 4)
				return malformed(e, "SR-PCE-CAPABILITY length");
			if (!v->has_sr_cap) {
				v->has_sr_cap = true;
				v->sr_cap_top_level = true;
				v->sr_flags = t.val[2];
				v->sr_msd = t.val[3];
			}
			break;
		default:
			break; /* unknown TLVs are ignored (RFC 5440 7.1) */
		}
	}
	return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
			     "too many OPEN TLVs");
done:
	/* RFC 8664 4.1.2 / RFC 9603 4.1.1: a PST listed needs its sub-TLV. */
	for (unsigned i = 0; i < v->n_pst; i++) {
		if (v->pst[i] == PCEP_PST_SR && !v->has_sr_cap)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SR_CAP_MISSING,
					     "PST 1 (SR) without SR-PCE-CAPABILITY");
		if (v->pst[i] == PCEP_PST_SRV6 && !v->has_srv6_cap)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT,
					     PCEP_ERRV_SRV6_CAP_MISSING,
					     "PST 3 (SRv6) without SRv6-PCE-CAPABILITY");
	}
	return 0;
}

void pcep_open_encode(struct pcep_wbuf *w, const struct pcep_open *v)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_OPEN, 1, 0);

	pcep_wb_u8(w, PCEP_VERSION << 5);
	pcep_wb_u8(w, v->keepalive);
	pcep_wb_u8(w, v->deadtimer);
	pcep_wb_u8(w, v->sid);
	if (v->has_stateful) {
		uint8_t f[4];

		wr_be32(f, v->stateful_flags);
		pcep_tlv_put(w, PCEP_TLV_STATEFUL_PCE_CAP, f, 4);
	}
	if (v->has_sr_cap && v->sr_cap_top_level) {
		uint8_t sr[4] = {0, 0, v->sr_flags, v->sr_msd};

		pcep_tlv_put(w, PCEP_TLV_SR_PCE_CAP, sr, 4);
	}
	for (unsigned i = 0; i < v->n_pst && i < PCEP_PST_MAX; i++)
		if (((v->pst[i] == PCEP_PST_SR && !v->has_sr_cap) ||
		     (v->pst[i] == PCEP_PST_SRV6 && !v->has_srv6_cap)) &&
		    !w->err)
			w->err = -EINVAL; /* the decoder would refuse it (10/12, 10/34) */
	if (v->has_pst_cap) {
		size_t t = pcep_tlv_begin(w, PCEP_TLV_PST_CAP);

		if ((v->n_pst == 0 || v->n_pst > PCEP_PST_MAX) && !w->err)
			w->err = -EINVAL;
		pcep_wb_u8(w, 0);
		pcep_wb_u8(w, 0);
		pcep_wb_u8(w, 0);
		pcep_wb_u8(w, v->n_pst);
		pcep_wb_bytes(w, v->pst, v->n_pst <= PCEP_PST_MAX ? v->n_pst : 0);
		pcep_wb_put(w, pcep_pad4(v->n_pst) - v->n_pst);
		if (v->has_sr_cap && !v->sr_cap_top_level) {
			uint8_t sr[4] = {0, 0, v->sr_flags, v->sr_msd};

			pcep_tlv_put(w, PCEP_TLV_SR_PCE_CAP, sr, 4);
		}
		if (v->has_srv6_cap) {
			size_t s = pcep_tlv_begin(w, PCEP_TLV_SRV6_PCE_CAP);

			if (v->n_srv6_msd > PCEP_SRV6_MSD_MAX && !w->err)
				w->err = -EINVAL;
			pcep_wb_u16(w, 0);
			pcep_wb_u16(w, v->srv6_flags);
			for (unsigned j = 0; j < v->n_srv6_msd && j < PCEP_SRV6_MSD_MAX; j++) {
				pcep_wb_u8(w, v->srv6_msd[j].type);
				pcep_wb_u8(w, v->srv6_msd[j].value);
			}
			pcep_tlv_end(w, s);
		}
		pcep_tlv_end(w, t);
	} else if ((v->has_srv6_cap || (v->has_sr_cap && !v->sr_cap_top_level)) && !w->err) {
		w->err = -EINVAL; /* sub-TLVs need the PATH-SETUP-TYPE-CAPABILITY TLV */
	}
	pcep_obj_end(w, start);
}

static int lsp_ids_decode(const struct pcep_tlv *t, struct pcep_lsp_ids *ids, struct pcep_perr *e)
{
	size_t al = t->type == PCEP_TLV_IPV4_LSP_IDS ? 4 : 16;
	const uint8_t *p = t->val;

	if (t->len != (al == 4 ? LSP_IDS4_LEN : LSP_IDS6_LEN))
		return malformed(e, "LSP-IDENTIFIERS length");
	memset(ids, 0, sizeof(*ids));
	ids->af = al == 4 ? 4 : 6;
	memcpy(ids->sender, p, al);
	p += al;
	ids->lsp_id = rd_be16(p);
	ids->tunnel_id = rd_be16(p + 2);
	p += 4;
	memcpy(ids->ext_tunnel_id, p, al);
	p += al;
	memcpy(ids->endpoint, p, al);
	return 0;
}

int pcep_lsp_decode(const struct pcep_obj_raw *o, struct pcep_lsp *v, struct pcep_perr *e)
{
	struct cursor c;
	struct pcep_tlv t;
	uint32_t w;
	int rc;

	memset(v, 0, sizeof(*v));
	if (o->body_len < LSP_BODY_LEN)
		return malformed(e, "LSP object too short");
	w = rd_be32(o->body);
	v->plsp_id = w >> 12;
	v->flags = w & PCEP_LSP_FLAGS;
	cursor_init(&c, o->body + LSP_BODY_LEN, o->body_len - LSP_BODY_LEN);
	for (unsigned i = 0; i < PCEP_TLV_WALK_MAX; i++) {
		rc = pcep_tlv_next(&c, &t);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return malformed(e, "LSP TLV length");
		switch (t.type) {
		case PCEP_TLV_SYMBOLIC_PATH_NAME:
			if (t.len == 0 || t.len > PCEP_SYMNAME_MAX)
				return malformed(e, "SYMBOLIC-PATH-NAME length");
			v->has_symname = true;
			v->symname_len = t.len;
			memcpy(v->symname, t.val, t.len);
			v->symname[t.len] = '\0';
			break;
		case PCEP_TLV_IPV4_LSP_IDS:
		case PCEP_TLV_IPV6_LSP_IDS:
			rc = lsp_ids_decode(&t, &v->ids, e);
			if (rc)
				return rc;
			break;
		default:
			break;
		}
	}
	return malformed(e, "too many LSP TLVs");
}

void pcep_lsp_encode(struct pcep_wbuf *w, const struct pcep_lsp *v)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_LSP, 1, 0);

	if ((v->plsp_id > PCEP_PLSP_ID_MAX ||
	     (v->has_symname && (v->symname_len == 0 || v->symname_len > PCEP_SYMNAME_MAX))) &&
	    !w->err)
		w->err = -EINVAL;
	pcep_wb_u32(w, (v->plsp_id & PCEP_PLSP_ID_MAX) << 12 | (v->flags & PCEP_LSP_FLAGS));
	/* RFC 8231 7.3 order (and FRR's): LSP-IDENTIFIERS, then the name */
	if (v->ids.af == 4 || v->ids.af == 6) {
		size_t al = v->ids.af == 4 ? 4 : 16;
		size_t t =
			pcep_tlv_begin(w, al == 4 ? PCEP_TLV_IPV4_LSP_IDS : PCEP_TLV_IPV6_LSP_IDS);

		pcep_wb_bytes(w, v->ids.sender, al);
		pcep_wb_u16(w, v->ids.lsp_id);
		pcep_wb_u16(w, v->ids.tunnel_id);
		pcep_wb_bytes(w, v->ids.ext_tunnel_id, al);
		pcep_wb_bytes(w, v->ids.endpoint, al);
		pcep_tlv_end(w, t);
	} else if (v->ids.af != 0 && !w->err) {
		w->err = -EINVAL;
	}
	if (v->has_symname)
		pcep_tlv_put(w, PCEP_TLV_SYMBOLIC_PATH_NAME, v->symname,
			     v->symname_len <= PCEP_SYMNAME_MAX ? v->symname_len : 0);
	pcep_obj_end(w, start);
}

int pcep_lsp_set_symname(struct pcep_lsp *l, const char *name, size_t len)
{
	if (len == 0 || len > PCEP_SYMNAME_MAX)
		return -EINVAL;
	memcpy(l->symname, name, len);
	l->symname[len] = '\0';
	l->symname_len = (uint16_t)len;
	l->has_symname = true;
	return 0;
}

int pcep_srp_decode(const struct pcep_obj_raw *o, struct pcep_srp *v, struct pcep_perr *e)
{
	struct cursor c;
	struct pcep_tlv t;
	int rc;

	memset(v, 0, sizeof(*v));
	if (o->body_len < SRP_BODY_LEN)
		return malformed(e, "SRP object too short");
	v->flags = rd_be32(o->body);
	v->id = rd_be32(o->body + 4);
	cursor_init(&c, o->body + SRP_BODY_LEN, o->body_len - SRP_BODY_LEN);
	for (unsigned i = 0; i < PCEP_TLV_WALK_MAX; i++) {
		rc = pcep_tlv_next(&c, &t);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return malformed(e, "SRP TLV length");
		if (t.type == PCEP_TLV_PATH_SETUP_TYPE) {
			if (t.len != 4)
				return malformed(e, "PATH-SETUP-TYPE length");
			v->has_pst = true;
			v->pst = t.val[3];
		}
	}
	return malformed(e, "too many SRP TLVs");
}

void pcep_srp_encode(struct pcep_wbuf *w, const struct pcep_srp *v)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_SRP, 1, 0);

	pcep_wb_u32(w, v->flags);
	pcep_wb_u32(w, v->id);
	if (v->has_pst) {
		uint8_t pst[4] = {0, 0, 0, v->pst};

		pcep_tlv_put(w, PCEP_TLV_PATH_SETUP_TYPE, pst, 4);
	}
	pcep_obj_end(w, start);
}

int pcep_bandwidth_decode(const struct pcep_obj_raw *o, struct pcep_bandwidth *v,
			  struct pcep_perr *e)
{
	if ((o->ot != 1 && o->ot != 2) || o->body_len != BW_BODY_LEN)
		return malformed(e, "BANDWIDTH type or length");
	v->ot = o->ot;
	v->bw_bits = rd_be32(o->body);
	return 0;
}

void pcep_bandwidth_encode(struct pcep_wbuf *w, const struct pcep_bandwidth *v)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_BANDWIDTH, v->ot ? v->ot : 1, 0);

	pcep_wb_u32(w, v->bw_bits);
	pcep_obj_end(w, start);
}

int pcep_metric_decode(const struct pcep_obj_raw *o, struct pcep_metric *v, struct pcep_perr *e)
{
	if (o->ot != 1 || o->body_len != METRIC_BODY_LEN)
		return malformed(e, "METRIC type or length");
	v->flags = o->body[2];
	v->type = o->body[3];
	v->value_bits = rd_be32(o->body + 4);
	return 0;
}

void pcep_metric_encode(struct pcep_wbuf *w, const struct pcep_metric *v)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_METRIC, 1, 0);

	pcep_wb_u16(w, 0);
	pcep_wb_u8(w, v->flags);
	pcep_wb_u8(w, v->type);
	pcep_wb_u32(w, v->value_bits);
	pcep_obj_end(w, start);
}

int pcep_endpoints_decode(const struct pcep_obj_raw *o, struct pcep_endpoints *v,
			  struct pcep_perr *e)
{
	size_t al;

	memset(v, 0, sizeof(*v));
	if (o->ot == 1 && o->body_len == EP4_BODY_LEN)
		al = 4;
	else if (o->ot == 2 && o->body_len == EP6_BODY_LEN)
		al = 16;
	else
		return malformed(e, "END-POINTS type or length");
	v->af = al == 4 ? 4 : 6;
	memcpy(v->src, o->body, al);
	memcpy(v->dst, o->body + al, al);
	return 0;
}

void pcep_endpoints_encode(struct pcep_wbuf *w, const struct pcep_endpoints *v)
{
	size_t al = v->af == 6 ? 16 : 4;
	size_t start = pcep_obj_begin(w, PCEP_OBJ_ENDPOINTS, al == 4 ? 1 : 2, 0);

	if (v->af != 4 && v->af != 6 && !w->err)
		w->err = -EINVAL;
	pcep_wb_bytes(w, v->src, al);
	pcep_wb_bytes(w, v->dst, al);
	pcep_obj_end(w, start);
}

int pcep_error_decode(const struct pcep_obj_raw *o, struct pcep_error *v, struct pcep_perr *e)
{
	if (o->ot != 1 || o->body_len < ERROR_BODY_LEN)
		return malformed(e, "PCEP-ERROR type or length");
	v->type = o->body[2];
	v->value = o->body[3];
	return 0;
}

void pcep_error_encode(struct pcep_wbuf *w, const struct pcep_error *v)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_ERROR, 1, 0);

	pcep_wb_u16(w, 0);
	pcep_wb_u8(w, v->type);
	pcep_wb_u8(w, v->value);
	pcep_obj_end(w, start);
}

int pcep_close_decode(const struct pcep_obj_raw *o, uint8_t *reason, struct pcep_perr *e)
{
	if (o->ot != 1 || o->body_len < CLOSE_BODY_LEN)
		return malformed(e, "CLOSE type or length");
	*reason = o->body[3];
	return 0;
}

void pcep_close_encode(struct pcep_wbuf *w, uint8_t reason)
{
	size_t start = pcep_obj_begin(w, PCEP_OBJ_CLOSE, 1, 0);

	pcep_wb_u16(w, 0);
	pcep_wb_u8(w, 0);
	pcep_wb_u8(w, reason);
	pcep_obj_end(w, start);
}

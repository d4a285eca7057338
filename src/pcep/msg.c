/* PCEP message grammars: object lists to and from struct pcep_msg. */
#include <errno.h>
#include <string.h>

#include "pcep/msg.h"
#include "pkt/byteorder.h"
#include "pkt/cursor.h"

/* Object types we decode, per class; classes listed with no types are
 * recognised and skipped whatever their type (LSPA, RRO, IRO, ASSOCIATION,
 * VENDOR-INFORMATION: part of the grammar, not used by this library). */
struct obj_kind {
	uint8_t cls;
	uint8_t ot_mask; /* bit n = object type n decoded; 0 = skipped */
};

static const struct obj_kind obj_kinds[] = {
	{PCEP_OBJ_OPEN, 1u << 1},
	{PCEP_OBJ_ENDPOINTS, 1u << 1 | 1u << 2},
	{PCEP_OBJ_BANDWIDTH, 1u << 1 | 1u << 2},
	{PCEP_OBJ_METRIC, 1u << 1},
	{PCEP_OBJ_ERO, 1u << 1},
	{PCEP_OBJ_ERROR, 1u << 1},
	{PCEP_OBJ_CLOSE, 1u << 1},
	{PCEP_OBJ_LSP, 1u << 1},
	{PCEP_OBJ_SRP, 1u << 1},
	{PCEP_OBJ_RRO, 0},
	{PCEP_OBJ_LSPA, 0},
	{PCEP_OBJ_IRO, 0},
	{PCEP_OBJ_VENDOR_INFO, 0},
	{PCEP_OBJ_ASSOCIATION, 0},
};

enum { KIND_UNKNOWN_CLASS, KIND_UNKNOWN_TYPE, KIND_SKIP, KIND_DECODE };

static int obj_kind(const struct pcep_obj_raw *o)
{
	for (size_t i = 0; i < sizeof(obj_kinds) / sizeof(obj_kinds[0]); i++) {
		if (obj_kinds[i].cls != o->cls)
			continue;
		if (obj_kinds[i].ot_mask == 0)
			return KIND_SKIP;
		return (o->ot < 8 && (obj_kinds[i].ot_mask >> o->ot) & 1) ? KIND_DECODE
									  : KIND_UNKNOWN_TYPE;
	}
	return KIND_UNKNOWN_CLASS;
}

int pcep_hdr_len(const uint8_t *p)
{
	uint16_t len = rd_be16(p + 2);

	if ((p[0] >> 5) != PCEP_VERSION_1 || len < PCEP_HDR_LEN)
		return -EBADMSG;
	return len;
}

void pcep_msg_init(struct pcep_msg *m, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

const char *pcep_msg_type_name(uint8_t type)
{
	static const char *const names[PCEP_MSG_TYPE_MAX] = {
		[PCEP_MSG_OPEN] = "Open",   [PCEP_MSG_KEEPALIVE] = "Keepalive",
		[PCEP_MSG_PCREQ] = "PCReq", [PCEP_MSG_PCREP] = "PCRep",
		[PCEP_MSG_PCNTF] = "PCNtf", [PCEP_MSG_PCERR] = "PCErr",
		[PCEP_MSG_CLOSE] = "Close", [PCEP_MSG_PCRPT] = "PCRpt",
		[PCEP_MSG_PCUPD] = "PCUpd", [PCEP_MSG_PCINITIATE] = "PCInitiate",
	};

	return type < PCEP_MSG_TYPE_MAX && names[type] ? names[type] : "unknown";
}

bool pcep_is_end_of_sync(const struct pcep_lsp_state *s)
{
	return s->has_lsp && s->lsp.plsp_id == 0 && !(s->lsp.flags & PCEP_LSP_S);
}

static bool lsp_msg(uint8_t type)
{
	return type == PCEP_MSG_PCRPT || type == PCEP_MSG_PCUPD || type == PCEP_MSG_PCINITIATE;
}

static int missing(struct pcep_perr *e, uint8_t value, const char *why)
{
	return pcep_perr_set(e, PCEP_ERRT_MANDATORY_MISSING, value, why);
}

int pcep_msg_check_lsps(const struct pcep_msg *m, struct pcep_perr *e)
{
	if (m->n_lsp == 0)
		return m->type == PCEP_MSG_PCRPT
			       ? missing(e, PCEP_ERRV_LSP_MISSING, "PCRpt without an LSP object")
			       : missing(e, PCEP_ERRV_SRP_MISSING, "message without an SRP object");
	if (m->n_lsp > PCEP_MSG_LSP_MAX)
		return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT,
				     "more LSPs in one message than we support");
	for (unsigned i = 0; i < m->n_lsp; i++) {
		const struct pcep_lsp_state *s = &m->lsp[i];

		e->has_srp = s->has_srp;
		e->srp_id = s->srp.id;
		if (m->type != PCEP_MSG_PCRPT && !s->has_srp)
			return missing(e, PCEP_ERRV_SRP_MISSING, "SRP object missing");
		if (!s->has_lsp)
			return missing(e, PCEP_ERRV_LSP_MISSING, "LSP object missing");
		if (m->type == PCEP_MSG_PCINITIATE && (s->srp.flags & PCEP_SRP_R))
			continue; /* <PCE-initiated-lsp-deletion> ::= <SRP> <LSP> */
		if (!s->has_ero)
			return missing(e, PCEP_ERRV_ERO_MISSING, "ERO object missing");
		if (m->type == PCEP_MSG_PCINITIATE) {
			if (s->lsp.plsp_id != 0)
				return pcep_perr_set(e, PCEP_ERRT_INVALID_OPERATION,
						     PCEP_ERRV_INIT_NONZERO_PLSP,
						     "PCInitiate create with a non-zero PLSP-ID");
			if (!s->lsp.has_symname)
				return pcep_perr_set(
					e, PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SYMNAME_MISSING,
					"PCInitiate create without SYMBOLIC-PATH-NAME");
		}
	}
	e->has_srp = false;
	return 0;
}

/* Adds one decoded object to the <state-report>/<update-request>/<PCE-
 * initiated-lsp-request> list: an SRP, or an LSP after an LSP, opens the
 * next entry. */
static int lsp_obj(struct pcep_msg *m, const struct pcep_obj_raw *o, struct pcep_perr *e)
{
	struct pcep_lsp_state *s = m->n_lsp ? &m->lsp[m->n_lsp - 1] : NULL;
	bool open_new = o->cls == PCEP_OBJ_SRP || (o->cls == PCEP_OBJ_LSP && (!s || s->has_lsp));

	if (open_new) {
		if (m->n_lsp == PCEP_MSG_LSP_MAX)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT,
					     PCEP_ERRV_MALFORMED_OBJECT,
					     "more LSPs in one message than we support");
		s = &m->lsp[m->n_lsp++];
	}
	switch (o->cls) {
	case PCEP_OBJ_SRP:
		s->has_srp = true;
		return pcep_srp_decode(o, &s->srp, e);
	case PCEP_OBJ_LSP:
		s->has_lsp = true;
		return pcep_lsp_decode(o, &s->lsp, e);
	default:
		break;
	}
	if (!s || !s->has_lsp) {
		if (s && s->has_srp) {
			e->has_srp = true;
			e->srp_id = s->srp.id;
		}
		return missing(e, PCEP_ERRV_LSP_MISSING, "object before the LSP object");
	}
	switch (o->cls) {
	case PCEP_OBJ_ENDPOINTS:
		s->has_endpoints = true;
		return pcep_endpoints_decode(o, &s->ep, e);
	case PCEP_OBJ_ERO:
		if (s->has_ero)
			return pcep_perr_set(e, PCEP_ERRT_INVALID_OBJECT,
					     PCEP_ERRV_MALFORMED_OBJECT, "second ERO for one LSP");
		s->has_ero = true;
		return pcep_ero_decode(o->body, o->body_len, &s->ero, e);
	case PCEP_OBJ_BANDWIDTH:
		if (s->has_bw) {
			m->n_skipped++; /* actual-attribute-list of a PCRpt */
			return 0;
		}
		s->has_bw = true;
		return pcep_bandwidth_decode(o, &s->bw, e);
	case PCEP_OBJ_METRIC:
		if (s->n_metric == PCEP_METRIC_MAX) {
			m->n_skipped++;
			return 0;
		}
		return pcep_metric_decode(o, &s->metric[s->n_metric++], e);
	default:
		m->n_skipped++;
		return 0;
	}
}

static int err_obj(struct pcep_msg *m, const struct pcep_obj_raw *o, struct pcep_perr *e)
{
	struct pcep_srp srp;
	int rc;

	switch (o->cls) {
	case PCEP_OBJ_SRP:
		if (m->n_err || m->err_has_srp) {
			m->n_skipped++;
			return 0;
		}
		rc = pcep_srp_decode(o, &srp, e);
		m->err_has_srp = true;
		m->err_srp_id = srp.id;
		return rc;
	case PCEP_OBJ_ERROR:
		if (m->n_err == PCEP_MSG_ERR_MAX || m->has_open) {
			m->n_skipped++;
			return 0;
		}
		return pcep_error_decode(o, &m->err[m->n_err++], e);
	case PCEP_OBJ_OPEN:
		if (m->has_open || !m->n_err) {
			m->n_skipped++;
			return 0;
		}
		m->has_open = true;
		return pcep_open_decode(o, &m->open, e);
	default:
		m->n_skipped++;
		return 0;
	}
}

int pcep_msg_decode(const uint8_t *buf, size_t len, struct pcep_msg *m, struct pcep_perr *e)
{
	struct cursor c;
	struct pcep_obj_raw o;
	bool seen_close = false;
	int rc;

	memset(e, 0, sizeof(*e));
	pcep_msg_init(m, 0);
	if (len < PCEP_HDR_LEN)
		return pcep_perr_malformed(e, "message shorter than the common header");
	if ((buf[0] >> 5) != PCEP_VERSION_1)
		return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_VERSION,
				     "PCEP version not 1");
	if (rd_be16(buf + 2) != len)
		return pcep_perr_malformed(e, "Message-Length does not match the message");
	m->type = buf[1];
	switch (m->type) {
	case PCEP_MSG_OPEN:
	case PCEP_MSG_KEEPALIVE:
	case PCEP_MSG_PCERR:
	case PCEP_MSG_CLOSE:
	case PCEP_MSG_PCRPT:
	case PCEP_MSG_PCUPD:
	case PCEP_MSG_PCINITIATE:
		break;
	default:
		return pcep_perr_set(e, PCEP_ERRT_CAPABILITY, 0, "message type not supported");
	}
	cursor_init(&c, buf + PCEP_HDR_LEN, len - PCEP_HDR_LEN);
	for (unsigned i = 0;; i++) {
		if (i == PCEP_MSG_OBJ_MAX)
			return pcep_perr_malformed(e, "too many objects");
		rc = pcep_obj_next(&c, &o);
		if (rc == 0)
			break;
		if (rc < 0)
			return pcep_perr_malformed(e, "object length");
		switch (obj_kind(&o)) {
		case KIND_UNKNOWN_CLASS:
		case KIND_UNKNOWN_TYPE:
			/* RFC 5440 7.2: an object we cannot process that the
			 * sender marks P (must be processed) rejects the message. */
			if (o.flags & PCEP_OBJ_FLAG_P)
				return pcep_perr_set(e, PCEP_ERRT_UNKNOWN_OBJECT,
						     obj_kind(&o) == KIND_UNKNOWN_CLASS
							     ? PCEP_ERRV_UNREC_CLASS
							     : PCEP_ERRV_UNREC_TYPE,
						     "unknown object with the P flag");
			m->n_skipped++;
			continue;
		case KIND_SKIP:
			m->n_skipped++;
			continue;
		default:
			break;
		}
		rc = 0;
		switch (m->type) {
		case PCEP_MSG_OPEN:
			if (i == 0 && o.cls == PCEP_OBJ_OPEN) {
				m->has_open = true;
				rc = pcep_open_decode(&o, &m->open, e);
			} else {
				m->n_skipped++;
			}
			break;
		case PCEP_MSG_CLOSE:
			if (o.cls == PCEP_OBJ_CLOSE && !seen_close) {
				seen_close = true;
				rc = pcep_close_decode(&o, &m->close_reason, e);
			} else {
				m->n_skipped++;
			}
			break;
		case PCEP_MSG_PCERR:
			rc = err_obj(m, &o, e);
			break;
		case PCEP_MSG_KEEPALIVE:
			m->n_skipped++;
			break;
		default:
			rc = lsp_obj(m, &o, e);
			/* RFC 8231 6.3: a refused request names its SRP */
			if (rc && !e->has_srp && m->n_lsp && m->lsp[m->n_lsp - 1].has_srp) {
				e->has_srp = true;
				e->srp_id = m->lsp[m->n_lsp - 1].srp.id;
			}
			break;
		}
		if (rc)
			return rc;
	}
	switch (m->type) {
	case PCEP_MSG_OPEN:
		if (!m->has_open)
			return pcep_perr_set(e, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
					     "Open message without an OPEN object first");
		break;
	case PCEP_MSG_CLOSE:
		if (!seen_close)
			return pcep_perr_malformed(e, "Close message without a CLOSE object");
		break;
	case PCEP_MSG_PCERR:
		if (!m->n_err)
			return pcep_perr_malformed(e, "PCErr message without a PCEP-ERROR object");
		break;
	case PCEP_MSG_PCRPT:
	case PCEP_MSG_PCUPD:
	case PCEP_MSG_PCINITIATE:
		return pcep_msg_check_lsps(m, e);
	default:
		break;
	}
	return 0;
}

static void lsp_state_encode(struct pcep_wbuf *w, const struct pcep_lsp_state *s)
{
	if (s->has_srp)
		pcep_srp_encode(w, &s->srp);
	pcep_lsp_encode(w, &s->lsp);
	if (s->has_endpoints)
		pcep_endpoints_encode(w, &s->ep);
	if (s->has_ero)
		pcep_ero_encode(w, &s->ero);
	if (s->has_bw)
		pcep_bandwidth_encode(w, &s->bw);
	if (s->n_metric > PCEP_METRIC_MAX && !w->err)
		w->err = -EINVAL;
	for (unsigned i = 0; i < s->n_metric && i < PCEP_METRIC_MAX; i++)
		pcep_metric_encode(w, &s->metric[i]);
}

int pcep_msg_encode(const struct pcep_msg *m, uint8_t *buf, size_t cap)
{
	struct pcep_wbuf w;
	struct pcep_perr e;

	pcep_wb_init(&w, buf, cap);
	pcep_wb_u8(&w, PCEP_VERSION_1 << 5);
	pcep_wb_u8(&w, m->type);
	pcep_wb_u16(&w, 0);
	switch (m->type) {
	case PCEP_MSG_OPEN:
		pcep_open_encode(&w, &m->open);
		break;
	case PCEP_MSG_KEEPALIVE:
		break;
	case PCEP_MSG_CLOSE:
		pcep_close_encode(&w, m->close_reason);
		break;
	case PCEP_MSG_PCERR:
		if (m->n_err == 0 || m->n_err > PCEP_MSG_ERR_MAX)
			return -EINVAL;
		if (m->err_has_srp) {
			struct pcep_srp srp = {.id = m->err_srp_id};

			pcep_srp_encode(&w, &srp);
		}
		for (unsigned i = 0; i < m->n_err; i++)
			pcep_error_encode(&w, &m->err[i]);
		if (m->has_open)
			pcep_open_encode(&w, &m->open);
		break;
	default:
		if (!lsp_msg(m->type))
			return -EINVAL;
		if (pcep_msg_check_lsps(m, &e))
			return -EINVAL;
		for (unsigned i = 0; i < m->n_lsp; i++)
			lsp_state_encode(&w, &m->lsp[i]);
		break;
	}
	if (w.err)
		return w.err == -ENOSPC && w.len >= PCEP_MSG_MAX_LEN ? -EMSGSIZE : w.err;
	if (w.len > PCEP_MSG_MAX_LEN)
		return -EMSGSIZE;
	wr_be16(buf + 2, (uint16_t)w.len);
	return (int)w.len;
}

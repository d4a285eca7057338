/* PCEP session FSM (RFC 5440 Appendix A) with stateful extensions. */
#include <errno.h>
#include <string.h>

#include "pcep/session.h"

#define MS 1000u

const char *pcep_state_name(enum pcep_state st)
{
	static const char *const names[PCEP_ST_MAX] = {
		[PCEP_ST_IDLE] = "Idle",
		[PCEP_ST_TCP_PENDING] = "TCPPending",
		[PCEP_ST_OPEN_WAIT] = "OpenWait",
		[PCEP_ST_KEEP_WAIT] = "KeepWait",
		[PCEP_ST_UP] = "UP",
	};

	return st < PCEP_ST_MAX ? names[st] : "?";
}

void pcep_session_cfg_default(struct pcep_session_cfg *cfg, enum pcep_role role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	cfg->open.keepalive = 30;
	cfg->open.deadtimer = 120;
	cfg->min_keepalive = 0;
	cfg->max_keepalive = 255;
	cfg->min_deadtimer = 0;
	cfg->max_deadtimer = 255;
}

void pcep_session_cfg_stateful_sr(struct pcep_session_cfg *cfg, enum pcep_role role, uint8_t msd,
				  bool srv6)
{
	struct pcep_open *o = &cfg->open;

	pcep_session_cfg_default(cfg, role);
	o->has_stateful = true;
	o->stateful_flags = PCEP_STATEFUL_U | PCEP_STATEFUL_I;
	o->has_pst_cap = true;
	o->pst[o->n_pst++] = PCEP_PST_SR;
	o->has_sr_cap = true;
	o->sr_msd = role == PCEP_ROLE_PCC ? msd : 0;
	if (srv6) {
		o->pst[o->n_pst++] = PCEP_PST_SRV6;
		o->has_srv6_cap = true;
	}
}

void pcep_session_init(struct pcep_session *s, const struct pcep_session_cfg *cfg, pcep_event_fn cb,
		       void *arg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->cb = cb;
	s->cb_arg = arg;
	s->local = cfg->open;
	s->srp_next = 1;
}

static void emit(struct pcep_session *s, const struct pcep_event *ev)
{
	if (s->cb)
		s->cb(s->cb_arg, ev);
}

/* Appends an encoded message to the output: 0 or -ENOBUFS/-EINVAL. */
static int put(struct pcep_session *s, uint64_t now, const struct pcep_msg *m)
{
	int n = pcep_msg_encode(m, s->out + s->out_len, sizeof(s->out) - s->out_len);

	if (n < 0)
		return n == -ENOSPC ? -ENOBUFS : n;
	s->out_len += (size_t)n;
	s->stats.msgs_out++;
	if (m->type == PCEP_MSG_KEEPALIVE)
		s->stats.keepalives_out++;
	if (m->type == PCEP_MSG_PCERR)
		s->stats.pcerr_out++;
	/* RFC 5440 6.3: any message sent restarts the keepalive timer */
	if (s->state == PCEP_ST_UP && s->local.keepalive)
		s->t_keepalive = now + s->local.keepalive * MS;
	return 0;
}

static void send_simple(struct pcep_session *s, uint64_t now, uint8_t type)
{
	pcep_msg_init(&s->tx, type);
	if (type == PCEP_MSG_OPEN) {
		s->tx.has_open = true;
		s->tx.open = s->local;
	}
	put(s, now, &s->tx);
}

static void send_pcerr(struct pcep_session *s, uint64_t now, uint8_t type, uint8_t value,
		       bool has_srp, uint32_t srp_id, const struct pcep_open *proposal)
{
	pcep_msg_init(&s->tx, PCEP_MSG_PCERR);
	s->tx.n_err = 1;
	s->tx.err[0].type = type;
	s->tx.err[0].value = value;
	s->tx.err_has_srp = has_srp;
	s->tx.err_srp_id = srp_id;
	if (proposal) {
		s->tx.has_open = true;
		s->tx.open = *proposal;
	}
	put(s, now, &s->tx);
}

static void go_idle(struct pcep_session *s, uint8_t reason, bool by_peer, uint8_t et, uint8_t ev,
		    const char *why)
{
	struct pcep_event e = {.type = PCEP_EV_CLOSED,
			       .close_reason = reason,
			       .by_peer = by_peer,
			       .err_type = et,
			       .err_value = ev,
			       .why = why};

	s->state = PCEP_ST_IDLE;
	s->t_open_wait = s->t_keep_wait = s->t_keepalive = s->t_dead = 0;
	s->local_ok = s->remote_ok = false;
	emit(s, &e);
}

/* Refuses a message with a PCErr; closes when the catalogue says so (in
 * UP with a Close message, before UP by dropping TCP, RFC 5440 6.2). */
static void refuse(struct pcep_session *s, uint64_t now, const struct pcep_perr *pe)
{
	if (pe->type) {
		struct pcep_event ev = {.type = PCEP_EV_PCERR_SENT,
					.err_type = pe->type,
					.err_value = pe->value,
					.why = pe->why};

		send_pcerr(s, now, pe->type, pe->value, pe->has_srp, pe->srp_id, NULL);
		emit(s, &ev);
	}
	if (pe->close_reason == PCEP_CLOSE_NONE)
		return;
	if (s->state == PCEP_ST_UP) {
		pcep_msg_init(&s->tx, PCEP_MSG_CLOSE);
		s->tx.close_reason = pe->close_reason;
		put(s, now, &s->tx);
	}
	go_idle(s, s->state == PCEP_ST_UP ? pe->close_reason : 0, false, pe->type, pe->value,
		pe->why);
}

static void refuse_with(struct pcep_session *s, uint64_t now, uint8_t type, uint8_t value,
			const char *why)
{
	struct pcep_perr pe = {0};

	pcep_perr_set(&pe, type, value, why);
	refuse(s, now, &pe);
}

int pcep_session_start(struct pcep_session *s, uint64_t now)
{
	(void)now;
	if (s->state != PCEP_ST_IDLE)
		return -EALREADY;
	s->state = PCEP_ST_TCP_PENDING;
	return 0;
}

int pcep_session_connected(struct pcep_session *s, uint64_t now)
{
	if (s->state != PCEP_ST_IDLE && s->state != PCEP_ST_TCP_PENDING)
		return -EALREADY;
	s->local = s->cfg.open;
	s->local_ok = s->remote_ok = false;
	s->open_rejects = s->proposals = 0;
	s->sync_done = false;
	s->out_len = 0;
	pcep_rx_init(&s->stream, s->cfg.max_msg);
	s->state = PCEP_ST_OPEN_WAIT;
	s->t_open_wait = now + PCEP_OPENWAIT_MS;
	send_simple(s, now, PCEP_MSG_OPEN);
	return 0;
}

static bool has_pst(const struct pcep_open *o, uint8_t pst)
{
	for (unsigned i = 0; i < o->n_pst && i < PCEP_PST_MAX; i++)
		if (o->pst[i] == pst)
			return true;
	return false;
}

static bool in_range(uint8_t v, uint8_t lo, uint8_t hi)
{
	return v >= lo && v <= hi;
}

static uint8_t clamp(uint8_t v, uint8_t lo, uint8_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The peer's timers are acceptable: both zero (no keepalives, no dead
 * timer) or each in its configured range. */
static bool timers_ok(const struct pcep_session_cfg *c, const struct pcep_open *p)
{
	if (p->keepalive == 0 && p->deadtimer == 0)
		return c->min_keepalive == 0;
	return in_range(p->keepalive, c->min_keepalive ? c->min_keepalive : 1, c->max_keepalive) &&
	       in_range(p->deadtimer, c->min_deadtimer ? c->min_deadtimer : 1, c->max_deadtimer);
}

static void enter_up(struct pcep_session *s, uint64_t now)
{
	struct pcep_event ev = {.type = PCEP_EV_UP};

	s->state = PCEP_ST_UP;
	s->t_open_wait = s->t_keep_wait = 0;
	s->t_keepalive = s->local.keepalive ? now + s->local.keepalive * MS : 0;
	s->t_dead = s->peer.deadtimer ? now + s->peer.deadtimer * MS : 0;
	s->stateful = s->local.has_stateful && s->peer.has_stateful;
	s->update = s->stateful && (s->local.stateful_flags & PCEP_STATEFUL_U) &&
		    (s->peer.stateful_flags & PCEP_STATEFUL_U);
	s->initiate = s->stateful && (s->local.stateful_flags & PCEP_STATEFUL_I) &&
		      (s->peer.stateful_flags & PCEP_STATEFUL_I);
	s->sr = s->local.has_sr_cap && s->peer.has_sr_cap;
	s->srv6 = has_pst(&s->local, PCEP_PST_SRV6) && has_pst(&s->peer, PCEP_PST_SRV6);
	/* Without stateful there is nothing to synchronize. */
	s->sync_done = !s->stateful;
	emit(s, &ev);
}

static void update_wait_state(struct pcep_session *s, uint64_t now)
{
	if (s->local_ok && s->remote_ok) {
		enter_up(s, now);
		return;
	}
	s->state = s->local_ok ? PCEP_ST_KEEP_WAIT : PCEP_ST_OPEN_WAIT;
}

static void rx_open(struct pcep_session *s, uint64_t now, const struct pcep_open *p)
{
	if (s->local_ok) {
		refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
			    "second Open after ours was accepted");
		return;
	}
	if (s->cfg.require_stateful && !p->has_stateful) {
		refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_UNACCEPTABLE_NONNEG,
			    "peer does not advertise STATEFUL-PCE-CAPABILITY");
		return;
	}
	if (!timers_ok(&s->cfg, p)) {
		struct pcep_open prop = s->local;
		struct pcep_event ev = {.type = PCEP_EV_PCERR_SENT,
					.err_type = PCEP_ERRT_SESSION_FAILURE,
					.err_value = PCEP_ERRV_UNACCEPTABLE_NEG,
					.why = "peer keepalive/deadtimer out of range"};

		if (s->open_rejects++) {
			refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE,
				    PCEP_ERRV_SECOND_OPEN_UNACCEPT,
				    "second Open with unacceptable timers");
			return;
		}
		/* RFC 5440 6.2: propose values we would accept */
		prop.keepalive =
			clamp(p->keepalive, s->cfg.min_keepalive ? s->cfg.min_keepalive : 1,
			      s->cfg.max_keepalive);
		prop.deadtimer =
			clamp(p->deadtimer, s->cfg.min_deadtimer ? s->cfg.min_deadtimer : 1,
			      s->cfg.max_deadtimer);
		send_pcerr(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_UNACCEPTABLE_NEG, false, 0,
			   &prop);
		emit(s, &ev);
		s->t_open_wait = now + PCEP_OPENWAIT_MS;
		return;
	}
	s->peer = *p;
	s->local_ok = true;
	s->t_open_wait = 0;
	send_simple(s, now, PCEP_MSG_KEEPALIVE);
	if (!s->remote_ok)
		s->t_keep_wait = now + PCEP_KEEPWAIT_MS;
	update_wait_state(s, now);
}

/* The peer refused our Open (PCErr 1/4) and may propose timers. */
static void rx_open_pcerr(struct pcep_session *s, uint64_t now, const struct pcep_msg *m)
{
	const struct pcep_open *p = &m->open;

	if (!m->has_open || s->proposals++ || !timers_ok(&s->cfg, p)) {
		refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_PCERR_UNACCEPTABLE,
			    "peer proposes unacceptable session characteristics");
		return;
	}
	s->local.keepalive = p->keepalive;
	s->local.deadtimer = p->deadtimer;
	send_simple(s, now, PCEP_MSG_OPEN);
	s->t_keep_wait = now + PCEP_KEEPWAIT_MS;
}

static void deliver(struct pcep_session *s, const struct pcep_msg *m)
{
	struct pcep_event ev = {.type = PCEP_EV_MSG, .msg = m};

	emit(s, &ev);
}

static void rx_pcrpt(struct pcep_session *s, uint64_t now, const struct pcep_msg *m)
{
	bool end = false;

	if (s->cfg.role != PCEP_ROLE_PCE) {
		refuse_with(s, now, PCEP_ERRT_CAPABILITY, 0, "PCRpt sent to a PCC");
		return;
	}
	if (!s->stateful) {
		refuse_with(s, now, PCEP_ERRT_INVALID_OPERATION, PCEP_ERRV_RPT_NO_STATEFUL,
			    "PCRpt without stateful capability");
		return;
	}
	for (unsigned i = 0; i < m->n_lsp; i++) {
		if (pcep_is_end_of_sync(&m->lsp[i]))
			end = true;
		else if (!s->sync_done)
			s->stats.sync_reports++;
	}
	deliver(s, m);
	if (end && !s->sync_done) {
		struct pcep_event ev = {.type = PCEP_EV_SYNC_DONE};

		s->sync_done = true;
		emit(s, &ev);
	}
}

static void rx_pcc_only(struct pcep_session *s, uint64_t now, const struct pcep_msg *m)
{
	if (s->cfg.role != PCEP_ROLE_PCC) {
		refuse_with(s, now, PCEP_ERRT_CAPABILITY, 0, "PCUpd/PCInitiate sent to a PCE");
		return;
	}
	if (m->type == PCEP_MSG_PCUPD && !s->update) {
		struct pcep_perr pe = {0};

		pcep_perr_set(&pe, PCEP_ERRT_INVALID_OPERATION, PCEP_ERRV_UPD_NO_STATEFUL,
			      "PCUpd without stateful update capability");
		pe.has_srp = true;
		pe.srp_id = m->lsp[0].srp.id;
		refuse(s, now, &pe);
		return;
	}
	if (m->type == PCEP_MSG_PCINITIATE && !s->initiate) {
		refuse_with(s, now, PCEP_ERRT_CAPABILITY, 0,
			    "PCInitiate without LSP-INSTANTIATION-CAPABILITY");
		return;
	}
	deliver(s, m);
}

/* RFC 5440 6.9: unknown messages are counted; past MAX-UNKNOWN-MESSAGES a
 * minute the session closes with reason 5. */
static bool too_many_unknown(struct pcep_session *s, uint64_t now)
{
	s->stats.unknown_msgs++;
	if (now - s->unknown_window_start >= 60 * MS) {
		s->unknown_window_start = now;
		s->unknown_in_window = 0;
	}
	return ++s->unknown_in_window > PCEP_MAX_UNKNOWN_MSGS;
}

void pcep_session_recv(struct pcep_session *s, uint64_t now, const uint8_t *buf, size_t len)
{
	struct pcep_msg *m = &s->rx;
	struct pcep_perr pe;
	bool up;

	if (s->state < PCEP_ST_OPEN_WAIT)
		return;
	up = s->state == PCEP_ST_UP;
	s->stats.msgs_in++;
	if (up && s->peer.deadtimer)
		s->t_dead = now + s->peer.deadtimer * MS;
	if (pcep_msg_decode(buf, len, m, &pe)) {
		if (pe.type == PCEP_ERRT_CAPABILITY && too_many_unknown(s, now)) {
			pe.type = 0;
			pe.close_reason = PCEP_CLOSE_TOO_MANY_UNKNOWN_MSG;
		}
		/* before UP anything refused is fatal (RFC 5440 6.2) */
		if (!up) {
			if (pe.type != PCEP_ERRT_SESSION_FAILURE &&
			    pe.type != PCEP_ERRT_INVALID_OBJECT)
				pcep_perr_set(&pe, PCEP_ERRT_SESSION_FAILURE,
					      PCEP_ERRV_INVALID_OPEN, pe.why);
			pe.close_reason =
				pe.close_reason ? pe.close_reason : PCEP_CLOSE_NO_EXPLANATION;
		}
		refuse(s, now, &pe);
		return;
	}
	s->stats.skipped_objects += m->n_skipped;
	if (m->type == PCEP_MSG_CLOSE) {
		go_idle(s, m->close_reason, true, 0, 0, "peer sent Close");
		return;
	}
	if (m->type == PCEP_MSG_PCERR)
		s->stats.pcerr_in++;
	if (!up) {
		switch (m->type) {
		case PCEP_MSG_OPEN:
			rx_open(s, now, &m->open);
			return;
		case PCEP_MSG_KEEPALIVE:
			s->stats.keepalives_in++;
			s->remote_ok = true;
			s->t_keep_wait = 0;
			update_wait_state(s, now);
			return;
		case PCEP_MSG_PCERR:
			if (m->err[0].type == PCEP_ERRT_SESSION_FAILURE &&
			    m->err[0].value == PCEP_ERRV_UNACCEPTABLE_NEG) {
				rx_open_pcerr(s, now, m);
				return;
			}
			go_idle(s, 0, true, m->err[0].type, m->err[0].value,
				"peer refused the session");
			return;
		default:
			refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
				    "non-Open message before the session is up");
			return;
		}
	}
	switch (m->type) {
	case PCEP_MSG_KEEPALIVE:
		s->stats.keepalives_in++;
		return;
	case PCEP_MSG_OPEN:
		refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
			    "Open on an established session");
		return;
	case PCEP_MSG_PCERR:
		deliver(s, m);
		return;
	case PCEP_MSG_PCRPT:
		rx_pcrpt(s, now, m);
		return;
	default:
		rx_pcc_only(s, now, m);
		return;
	}
}

static void feed_one(void *arg, const uint8_t *msg, size_t len)
{
	struct pcep_session *s = arg;

	pcep_session_recv(s, s->feed_now, msg, len);
}

void pcep_session_feed(struct pcep_session *s, uint64_t now, const uint8_t *data, size_t n)
{
	int rc;

	if (s->state < PCEP_ST_OPEN_WAIT)
		return;
	s->feed_now = now;
	rc = pcep_rx_push(&s->stream, data, n, feed_one, s);
	if (rc && s->state >= PCEP_ST_OPEN_WAIT) {
		struct pcep_perr pe = {0};

		if (s->state == PCEP_ST_UP)
			pcep_perr_malformed(&pe, rc == -EMSGSIZE ? "message longer than we accept"
								 : "broken PCEP stream");
		else
			pcep_perr_set(&pe, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN,
				      "broken PCEP stream before the session is up");
		refuse(s, now, &pe);
	}
}

void pcep_session_tick(struct pcep_session *s, uint64_t now)
{
	if (s->t_open_wait && now >= s->t_open_wait) {
		refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_OPENWAIT_EXPIRED,
			    "OpenWait timer expired");
		return;
	}
	if (s->t_keep_wait && now >= s->t_keep_wait) {
		refuse_with(s, now, PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_KEEPWAIT_EXPIRED,
			    "KeepWait timer expired");
		return;
	}
	if (s->state != PCEP_ST_UP)
		return;
	if (s->t_dead && now >= s->t_dead) {
		struct pcep_perr pe = {.close_reason = PCEP_CLOSE_DEADTIMER,
				       .why = "DeadTimer expired"};

		refuse(s, now, &pe);
		return;
	}
	if (s->t_keepalive && now >= s->t_keepalive)
		send_simple(s, now, PCEP_MSG_KEEPALIVE);
}

uint64_t pcep_session_next_timer(const struct pcep_session *s)
{
	const uint64_t t[] = {s->t_open_wait, s->t_keep_wait, s->t_keepalive, s->t_dead};
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i] && t[i] < best)
			best = t[i];
	return best;
}

int pcep_session_send(struct pcep_session *s, uint64_t now, const struct pcep_msg *m)
{
	bool pce = s->cfg.role == PCEP_ROLE_PCE;

	if (s->state != PCEP_ST_UP)
		return -ENOTCONN;
	switch (m->type) {
	case PCEP_MSG_PCRPT:
		if (pce || !s->stateful)
			return -EOPNOTSUPP;
		break;
	case PCEP_MSG_PCUPD:
		if (!pce || !s->update)
			return -EOPNOTSUPP;
		if (!s->sync_done)
			return -EAGAIN;
		break;
	case PCEP_MSG_PCINITIATE:
		if (!pce || !s->initiate)
			return -EOPNOTSUPP;
		if (!s->sync_done)
			return -EAGAIN;
		break;
	case PCEP_MSG_PCERR:
		break;
	default:
		return -EINVAL;
	}
	return put(s, now, m);
}

int pcep_session_pcc_end_sync(struct pcep_session *s, uint64_t now)
{
	struct pcep_lsp_state *ls;
	int rc;

	if (s->cfg.role != PCEP_ROLE_PCC)
		return -EINVAL;
	pcep_msg_init(&s->tx, PCEP_MSG_PCRPT);
	s->tx.n_lsp = 1;
	ls = &s->tx.lsp[0];
	ls->has_lsp = true;
	ls->has_ero = true;
	rc = pcep_session_send(s, now, &s->tx);
	if (rc == 0)
		s->sync_done = true;
	return rc;
}

void pcep_session_close(struct pcep_session *s, uint64_t now, uint8_t reason)
{
	if (s->state == PCEP_ST_IDLE)
		return;
	if (s->state >= PCEP_ST_OPEN_WAIT) {
		pcep_msg_init(&s->tx, PCEP_MSG_CLOSE);
		s->tx.close_reason = reason;
		put(s, now, &s->tx);
	}
	go_idle(s, reason, false, 0, 0, "closed locally");
}

uint32_t pcep_session_srp_id(struct pcep_session *s)
{
	uint32_t id = s->srp_next++;

	if (s->srp_next == 0xffffffffu)
		s->srp_next = 1;
	return id;
}

const uint8_t *pcep_session_out(const struct pcep_session *s, size_t *len)
{
	*len = s->out_len;
	return s->out;
}

void pcep_session_out_consume(struct pcep_session *s, size_t n)
{
	if (n >= s->out_len) {
		s->out_len = 0;
		return;
	}
	memmove(s->out, s->out + n, s->out_len - n);
	s->out_len -= n;
}

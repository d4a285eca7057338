/* PCEP session FSM driven by an injected clock: establishment, capability
 * negotiation, state sync, keepalive/dead timer, OpenWait/KeepWait expiry,
 * timer negotiation (1/4, 1/5, 1/6), stateful errors, framing split at
 * every byte boundary; and the TCP transport over loopback. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "pcep/frame.h"
#include "pcep/session.h"
#include "pcep/transport.h"
#include "test.h"

struct rec {
	int n[PCEP_EV_MAX];
	uint8_t close_reason, err_type, err_value, msg_type;
	bool by_peer;
};

static void on_event(void *arg, const struct pcep_event *ev)
{
	struct rec *r = arg;

	r->n[ev->type]++;
	if (ev->type == PCEP_EV_CLOSED) {
		r->close_reason = ev->close_reason;
		r->by_peer = ev->by_peer;
		r->err_type = ev->err_type;
		r->err_value = ev->err_value;
	}
	if (ev->type == PCEP_EV_PCERR_SENT) {
		r->err_type = ev->err_type;
		r->err_value = ev->err_value;
	}
	if (ev->type == PCEP_EV_MSG)
		r->msg_type = ev->msg->type;
}

static struct pcep_session pcc, pce;
static struct rec rpcc, rpce;
static struct pcep_msg scratch;

static void caps(struct pcep_session_cfg *c, enum pcep_role role)
{
	pcep_session_cfg_stateful_sr(c, role, 10, true);
}

static void setup(const struct pcep_session_cfg *cc, const struct pcep_session_cfg *ce)
{
	memset(&rpcc, 0, sizeof(rpcc));
	memset(&rpce, 0, sizeof(rpce));
	pcep_session_init(&pcc, cc, on_event, &rpcc);
	pcep_session_init(&pce, ce, on_event, &rpce);
}

static void move(struct pcep_session *from, struct pcep_session *to, uint64_t now)
{
	size_t n;
	const uint8_t *p = pcep_session_out(from, &n);
	static uint8_t tmp[PCEP_SESSION_OUT_MAX];

	memcpy(tmp, p, n);
	pcep_session_out_consume(from, n);
	pcep_session_feed(to, now, tmp, n);
}

static void pump(uint64_t now)
{
	for (int i = 0; i < 16; i++) {
		size_t a, b;

		pcep_session_out(&pcc, &a);
		pcep_session_out(&pce, &b);
		if (!a && !b)
			return;
		move(&pcc, &pce, now);
		move(&pce, &pcc, now);
	}
}

/* The last message in s's output, decoded. */
static const struct pcep_msg *last_out(struct pcep_session *s)
{
	size_t n, off = 0, last = 0;
	const uint8_t *p = pcep_session_out(s, &n);
	struct pcep_perr e;

	while (off + PCEP_HDR_LEN <= n) {
		last = off;
		off += (size_t)pcep_hdr_len(p + off);
	}
	if (n == 0 || pcep_msg_decode(p + last, n - last, &scratch, &e))
		scratch.type = 0;
	return &scratch;
}

static void establish(void)
{
	struct pcep_session_cfg cc, ce;

	caps(&cc, PCEP_ROLE_PCC);
	caps(&ce, PCEP_ROLE_PCE);
	setup(&cc, &ce);
	CHECK_EQ(pcep_session_start(&pcc, 0), 0);
	CHECK_EQ(pcc.state, PCEP_ST_TCP_PENDING);
	CHECK_EQ(pcep_session_connected(&pcc, 0), 0);
	CHECK_EQ(pcep_session_connected(&pce, 0), 0);
	CHECK_EQ(pcc.state, PCEP_ST_OPEN_WAIT);
	pump(10);
	CHECK_EQ(pcc.state, PCEP_ST_UP);
	CHECK_EQ(pce.state, PCEP_ST_UP);
}

static void report(struct pcep_msg *m, uint32_t plsp, uint16_t flags)
{
	pcep_msg_init(m, PCEP_MSG_PCRPT);
	m->n_lsp = 1;
	m->lsp[0].has_lsp = true;
	m->lsp[0].lsp.plsp_id = plsp;
	m->lsp[0].lsp.flags = flags;
	m->lsp[0].has_ero = true;
	pcep_ero_sr_label(&m->lsp[0].ero.sub[m->lsp[0].ero.n++], 16001, 0, NULL);
}

TEST(pcep_session_establish_negotiate_sync_update)
{
	static struct pcep_msg m;

	establish();
	CHECK_EQ(rpcc.n[PCEP_EV_UP], 1);
	CHECK_EQ(rpce.n[PCEP_EV_UP], 1);
	CHECK(pce.stateful && pce.update && pce.initiate && pce.sr && pce.srv6);
	CHECK(pcc.stateful && pcc.update && pcc.initiate);
	CHECK_EQ(pce.peer.sr_msd, 10);
	CHECK(!pce.sync_done);
	/* PCE may not update before the end of sync */
	pcep_msg_init(&m, PCEP_MSG_PCUPD);
	m.n_lsp = 1;
	m.lsp[0].has_srp = true;
	m.lsp[0].srp.id = pcep_session_srp_id(&pce);
	m.lsp[0].has_lsp = true;
	m.lsp[0].lsp.plsp_id = 1;
	m.lsp[0].has_ero = true;
	CHECK_EQ(pcep_session_send(&pce, 20, &m), -EAGAIN);
	CHECK_EQ(pcep_session_send(&pcc, 20, &m), -EOPNOTSUPP); /* PCC never sends PCUpd */
	/* PCC reports one LSP (SYNC set) then the end-of-sync marker */
	report(&scratch, 1, PCEP_LSP_S | PCEP_LSP_D);
	CHECK_EQ(pcep_session_send(&pcc, 20, &scratch), 0);
	CHECK_EQ(pcep_session_pcc_end_sync(&pcc, 20), 0);
	pump(20);
	CHECK_EQ(rpce.n[PCEP_EV_MSG], 2);
	CHECK_EQ(rpce.n[PCEP_EV_SYNC_DONE], 1);
	CHECK_EQ(pce.stats.sync_reports, 1);
	CHECK(pce.sync_done);
	CHECK_EQ(pcep_session_send(&pce, 30, &m), 0);
	pump(30);
	CHECK_EQ(rpcc.n[PCEP_EV_MSG], 1);
	CHECK_EQ(rpcc.msg_type, PCEP_MSG_PCUPD);
	/* Close from the PCC */
	pcep_session_close(&pcc, 40, PCEP_CLOSE_NO_EXPLANATION);
	CHECK_EQ(rpcc.n[PCEP_EV_CLOSED], 1);
	pump(40);
	CHECK_EQ(rpce.n[PCEP_EV_CLOSED], 1);
	CHECK(rpce.by_peer);
	CHECK_EQ(rpce.close_reason, PCEP_CLOSE_NO_EXPLANATION);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
}

TEST(pcep_session_keepalive_and_dead_timer)
{
	size_t n;

	establish();
	CHECK_EQ(pcep_session_next_timer(&pcc), 10 + 30000);
	pcep_session_tick(&pcc, 30009);
	pcep_session_out(&pcc, &n);
	CHECK_EQ(n, 0);
	pcep_session_tick(&pcc, 30010);
	CHECK_EQ(last_out(&pcc)->type, PCEP_MSG_KEEPALIVE);
	CHECK_EQ(pcc.stats.keepalives_out, 2); /* the Open's ack, then this one */
	pump(30010);
	/* the PCE heard from the PCC at 30010: dead at 150010 */
	pcep_session_tick(&pce, 150009);
	CHECK_EQ(pce.state, PCEP_ST_UP);
	pcep_session_out_consume(&pce, 1 << 20);
	pcep_session_tick(&pce, 150010);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.close_reason, PCEP_CLOSE_DEADTIMER);
	CHECK_EQ(last_out(&pce)->type, PCEP_MSG_CLOSE);
	CHECK_EQ(scratch.close_reason, PCEP_CLOSE_DEADTIMER);
	CHECK_EQ(pcep_session_next_timer(&pce), UINT64_MAX);
}

TEST(pcep_session_openwait_expiry)
{
	struct pcep_session_cfg c;

	pcep_session_cfg_default(&c, PCEP_ROLE_PCE);
	setup(&c, &c);
	pcep_session_connected(&pce, 1000);
	CHECK_EQ(last_out(&pce)->type, PCEP_MSG_OPEN);
	pcep_session_tick(&pce, 60999);
	CHECK_EQ(pce.state, PCEP_ST_OPEN_WAIT);
	pcep_session_tick(&pce, 61000);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.n[PCEP_EV_CLOSED], 1);
	CHECK_EQ(rpce.err_type, 1);
	CHECK_EQ(rpce.err_value, 2);
	CHECK_EQ(last_out(&pce)->type, PCEP_MSG_PCERR);
	CHECK_EQ(scratch.err[0].value, PCEP_ERRV_OPENWAIT_EXPIRED);
}

TEST(pcep_session_keepwait_expiry)
{
	struct pcep_session_cfg c;
	size_t n;
	const uint8_t *p;

	pcep_session_cfg_default(&c, PCEP_ROLE_PCE);
	setup(&c, &c);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	/* only the PCC's Open reaches the PCE; its Keepalive never does */
	p = pcep_session_out(&pcc, &n);
	pcep_session_feed(&pce, 5000, p, n);
	CHECK_EQ(pce.state, PCEP_ST_KEEP_WAIT);
	CHECK_EQ(pcep_session_next_timer(&pce), 65000);
	pcep_session_tick(&pce, 64999);
	CHECK_EQ(pce.state, PCEP_ST_KEEP_WAIT);
	pcep_session_tick(&pce, 65000);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.err_value, PCEP_ERRV_KEEPWAIT_EXPIRED);
	CHECK_EQ(last_out(&pce)->err[0].value, PCEP_ERRV_KEEPWAIT_EXPIRED);
}

TEST(pcep_session_timer_negotiation_1_4_then_agree)
{
	struct pcep_session_cfg cc, ce;

	pcep_session_cfg_default(&cc, PCEP_ROLE_PCC);
	pcep_session_cfg_default(&ce, PCEP_ROLE_PCE);
	cc.open.keepalive = 5;
	ce.min_keepalive = 10;
	ce.max_keepalive = 60;
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	pump(1);
	CHECK_EQ(rpce.n[PCEP_EV_PCERR_SENT], 1);
	CHECK_EQ(pcc.local.keepalive, 10); /* adopted the proposal */
	CHECK_EQ(pcc.state, PCEP_ST_UP);
	CHECK_EQ(pce.state, PCEP_ST_UP);
	CHECK_EQ(pce.peer.keepalive, 10);
}

TEST(pcep_session_timer_negotiation_failures)
{
	struct pcep_session_cfg cc, ce;
	static uint8_t open5[64];
	size_t n;
	const uint8_t *p;

	/* the PCC refuses the proposal: 1/6 */
	pcep_session_cfg_default(&cc, PCEP_ROLE_PCC);
	pcep_session_cfg_default(&ce, PCEP_ROLE_PCE);
	cc.open.keepalive = 5;
	cc.max_keepalive = 5;
	ce.min_keepalive = 10;
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	pump(1);
	CHECK_EQ(pcc.state, PCEP_ST_IDLE);
	CHECK_EQ(rpcc.err_type, 1);
	CHECK_EQ(rpcc.err_value, PCEP_ERRV_PCERR_UNACCEPTABLE);
	/* a second unacceptable Open: 1/5 */
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	p = pcep_session_out(&pcc, &n);
	memcpy(open5, p, n);
	pcep_session_feed(&pce, 1, open5, n);
	CHECK_EQ(pce.state, PCEP_ST_OPEN_WAIT);
	CHECK_EQ(last_out(&pce)->err[0].value, PCEP_ERRV_UNACCEPTABLE_NEG);
	CHECK(scratch.has_open && scratch.open.keepalive == 10);
	pcep_session_feed(&pce, 2, open5, n);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.err_value, PCEP_ERRV_SECOND_OPEN_UNACCEPT);
	/* stateful required, not advertised: 1/3 */
	ce.min_keepalive = 0;
	ce.require_stateful = true;
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	pump(1);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.err_value, PCEP_ERRV_UNACCEPTABLE_NONNEG);
	/* a non-Open message in OpenWait: 1/1 */
	setup(&cc, &ce);
	pcep_session_connected(&pce, 0);
	pcep_session_feed(&pce, 1, (const uint8_t *)"\x20\x0a\x00\x04", 4);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.err_value, PCEP_ERRV_INVALID_OPEN);
}

TEST(pcep_session_stateful_errors)
{
	struct pcep_session_cfg cc, ce;
	static uint8_t b[256];
	static struct pcep_msg m;
	int n;

	/* stateful not negotiated: a PCRpt to the PCE is 19/5 and closes */
	pcep_session_cfg_default(&cc, PCEP_ROLE_PCC);
	pcep_session_cfg_default(&ce, PCEP_ROLE_PCE);
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	pump(1);
	CHECK(!pce.stateful && pce.sync_done);
	report(&m, 1, 0);
	CHECK_EQ(pcep_session_send(&pcc, 2, &m), -EOPNOTSUPP);
	n = pcep_msg_encode(&m, b, sizeof(b));
	pcep_session_out_consume(&pce, 1 << 20);
	pcep_session_feed(&pce, 2, b, (size_t)n);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.err_type, PCEP_ERRT_INVALID_OPERATION);
	CHECK_EQ(rpce.err_value, PCEP_ERRV_RPT_NO_STATEFUL);
	CHECK_EQ(last_out(&pce)->type, PCEP_MSG_CLOSE);
	/* PCUpd to a PCC that did not negotiate updates: 19/2 and close */
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	pump(1);
	pcep_msg_init(&m, PCEP_MSG_PCUPD);
	m.n_lsp = 1;
	m.lsp[0].has_srp = m.lsp[0].has_lsp = m.lsp[0].has_ero = true;
	m.lsp[0].srp.id = 77;
	n = pcep_msg_encode(&m, b, sizeof(b));
	pcep_session_feed(&pcc, 2, b, (size_t)n);
	CHECK_EQ(pcc.state, PCEP_ST_IDLE);
	CHECK_EQ(rpcc.err_value, PCEP_ERRV_UPD_NO_STATEFUL);
	/* the PCErr carries the SRP of the refused update */
	{
		size_t len;
		const uint8_t *p = pcep_session_out(&pcc, &len);
		struct pcep_perr e;

		CHECK_EQ(pcep_msg_decode(p, (size_t)pcep_hdr_len(p), &scratch, &e), 0);
		CHECK(scratch.err_has_srp && scratch.err_srp_id == 77);
	}
}

TEST(pcep_session_bad_report_keeps_session)
{
	/* PCRpt without ERO in UP: PCErr 6/9, the session stays up */
	establish();
	pcep_session_out_consume(&pce, 1 << 20);
	pcep_session_feed(&pce, 50,
			  (const uint8_t *)"\x20\x0a\x00\x0c\x20\x10\x00\x08\x00\x00\x50\x00", 12);
	CHECK_EQ(pce.state, PCEP_ST_UP);
	CHECK_EQ(last_out(&pce)->type, PCEP_MSG_PCERR);
	CHECK_EQ(scratch.err[0].type, PCEP_ERRT_MANDATORY_MISSING);
	CHECK_EQ(scratch.err[0].value, PCEP_ERRV_ERO_MISSING);
	/* an Open on an established session is refused and closes */
	pcep_session_feed(&pce, 60,
			  (const uint8_t *)"\x20\x01\x00\x0c\x01\x10\x00\x08\x20\x1e\x78\x01", 12);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
}

TEST(pcep_session_too_many_unknown_messages)
{
	establish();
	pcep_session_out_consume(&pce, 1 << 20);
	for (int i = 0; i < PCEP_MAX_UNKNOWN_MSGS; i++)
		pcep_session_feed(&pce, 100 + i, (const uint8_t *)"\x20\x63\x00\x04", 4);
	CHECK_EQ(pce.state, PCEP_ST_UP);
	CHECK_EQ(pce.stats.pcerr_out, PCEP_MAX_UNKNOWN_MSGS);
	pcep_session_feed(&pce, 200, (const uint8_t *)"\x20\x63\x00\x04", 4);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.close_reason, PCEP_CLOSE_TOO_MANY_UNKNOWN_MSG);
	/* a minute later the count starts again */
	establish();
	for (int i = 0; i < PCEP_MAX_UNKNOWN_MSGS; i++)
		pcep_session_feed(&pce, 1000, (const uint8_t *)"\x20\x63\x00\x04", 4);
	pcep_session_feed(&pce, 61000, (const uint8_t *)"\x20\x63\x00\x04", 4);
	CHECK_EQ(pce.state, PCEP_ST_UP);
}

TEST(pcep_session_broken_stream_closes)
{
	struct pcep_session_cfg cc, ce;

	establish();
	pcep_session_feed(&pce, 50, (const uint8_t *)"\x20\x02\x00\x02", 4);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(rpce.close_reason, PCEP_CLOSE_MALFORMED);
	/* a message longer than max_msg */
	caps(&cc, PCEP_ROLE_PCC);
	caps(&ce, PCEP_ROLE_PCE);
	ce.max_msg = 256;
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	pump(1);
	CHECK_EQ(pce.state, PCEP_ST_UP);
	pcep_session_feed(&pce, 2, (const uint8_t *)"\x20\x0a\x01\x04", 4);
	CHECK_EQ(pce.state, PCEP_ST_IDLE);
	CHECK_EQ(last_out(&pce)->type, PCEP_MSG_CLOSE);
	CHECK_EQ(scratch.close_reason, PCEP_CLOSE_MALFORMED);
}

struct frames {
	int n;
	size_t bytes;
	uint8_t cat[1024];
};

static void on_frame(void *arg, const uint8_t *msg, size_t len)
{
	struct frames *f = arg;

	CHECK_EQ(pcep_hdr_len(msg), (long long)len);
	if (f->bytes + len <= sizeof(f->cat))
		memcpy(f->cat + f->bytes, msg, len);
	f->bytes += len;
	f->n++;
}

/* Three messages (Open, Keepalive, PCRpt) as one stream, split in two at
 * every byte, in three at every pair, and byte by byte: always the same
 * three messages back. */
TEST(pcep_frame_split_at_every_byte)
{
	static struct pcep_rx rx;
	static uint8_t s[512];
	static struct frames f;
	size_t n = 0;
	int len;

	pcep_msg_init(&scratch, PCEP_MSG_OPEN);
	scratch.open.keepalive = 30;
	scratch.open.deadtimer = 120;
	n += (size_t)pcep_msg_encode(&scratch, s + n, sizeof(s) - n);
	pcep_msg_init(&scratch, PCEP_MSG_KEEPALIVE);
	n += (size_t)pcep_msg_encode(&scratch, s + n, sizeof(s) - n);
	report(&scratch, 7, PCEP_LSP_D);
	len = pcep_msg_encode(&scratch, s + n, sizeof(s) - n);
	CHECK(len > 0);
	n += (size_t)len;
	for (size_t a = 0; a <= n; a++) {
		for (size_t b = a; b <= n; b += (a % 7 == 0) ? 1 : n) {
			memset(&f, 0, sizeof(f));
			pcep_rx_init(&rx, 0);
			CHECK_EQ(pcep_rx_push(&rx, s, a, on_frame, &f), 0);
			CHECK_EQ(pcep_rx_push(&rx, s + a, b - a, on_frame, &f), 0);
			CHECK_EQ(pcep_rx_push(&rx, s + b, n - b, on_frame, &f), 0);
			CHECK_EQ(f.n, 3);
			CHECK_EQ(f.bytes, n);
			CHECK_MEM(f.cat, s, n);
		}
	}
	memset(&f, 0, sizeof(f));
	pcep_rx_init(&rx, 0);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(pcep_rx_push(&rx, s + i, 1, on_frame, &f), 0);
	CHECK_EQ(f.n, 3);
	CHECK_MEM(f.cat, s, n);
	/* bounded: longer than max_msg, bad version, length below 4 */
	pcep_rx_init(&rx, 64);
	CHECK_EQ(pcep_rx_push(&rx, (const uint8_t *)"\x20\x0a\x00\x41", 4, on_frame, &f),
		 -EMSGSIZE);
	pcep_rx_init(&rx, 64);
	CHECK_EQ(pcep_rx_push(&rx, (const uint8_t *)"\x20\x0a\x00\x40", 4, on_frame, &f), 0);
	pcep_rx_init(&rx, 0);
	CHECK_EQ(pcep_rx_push(&rx, (const uint8_t *)"\x40\x02\x00\x04", 4, on_frame, &f), -EBADMSG);
	pcep_rx_init(&rx, 0);
	CHECK_EQ(pcep_rx_push(&rx, (const uint8_t *)"\x20\x02", 2, on_frame, &f), 0);
	CHECK_EQ(pcep_rx_push(&rx, (const uint8_t *)"\x00\x03", 2, on_frame, &f), -EBADMSG);
}

/* The whole establishment fed to the PCE split at every byte boundary. */
TEST(pcep_session_feed_split_at_every_byte)
{
	static uint8_t s[512];
	size_t n;
	const uint8_t *p;
	struct pcep_session_cfg cc, ce;

	caps(&cc, PCEP_ROLE_PCC);
	caps(&ce, PCEP_ROLE_PCE);
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	move(&pce, &pcc, 0); /* PCC: Open -> sends Keepalive */
	report(&scratch, 3, PCEP_LSP_S);
	p = pcep_session_out(&pcc, &n);
	memcpy(s, p, n);
	for (size_t cut = 0; cut <= n; cut++) {
		setup(&cc, &ce);
		pcep_session_connected(&pce, 0);
		pcep_session_feed(&pce, 1, s, cut);
		pcep_session_feed(&pce, 1, s + cut, n - cut);
		CHECK_EQ(pce.state, PCEP_ST_UP);
		CHECK_EQ(rpce.n[PCEP_EV_UP], 1);
	}
}

TEST(pcep_backoff_exponential_capped_jittered)
{
	uint32_t prev_hi = 0;

	for (unsigned a = 0; a < 40; a++) {
		uint32_t d = 1000u << (a < 6 ? a : 6);
		uint32_t hi = d > 60000 ? 60000 : d;
		uint32_t v = pcep_backoff_ms(a, 1000, 60000, 42);

		CHECK(v >= hi / 2 && v <= hi);
		CHECK(hi >= prev_hi);
		CHECK_EQ(v, pcep_backoff_ms(a, 1000, 60000, 42)); /* pure */
		prev_hi = hi;
	}
	/* seeds spread the delays */
	CHECK(pcep_backoff_ms(5, 1000, 60000, 1) != pcep_backoff_ms(5, 1000, 60000, 2) ||
	      pcep_backoff_ms(6, 1000, 60000, 1) != pcep_backoff_ms(6, 1000, 60000, 2));
	CHECK(pcep_backoff_ms(UINT32_MAX, 1000, 60000, 3) <= 60000);
}

static void pump_fd(struct pcep_session *s, int fd, uint64_t now)
{
	size_t n;
	const uint8_t *p = pcep_session_out(s, &n);
	ssize_t w = pcep_tr_write(fd, p, n);
	uint8_t buf[700]; /* small on purpose: messages arrive in pieces */
	ssize_t r;

	if (w > 0)
		pcep_session_out_consume(s, (size_t)w);
	while ((r = pcep_tr_read(fd, buf, sizeof(buf))) > 0)
		pcep_session_feed(s, now, buf, (size_t)r);
}

/* Two sessions over a real TCP connection on loopback. */
TEST(pcep_transport_loopback_session)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	struct sockaddr_storage peer;
	struct pcep_session_cfg cc, ce;
	int lfd, cfd = -1, afd = -EAGAIN, rc;

	lfd = pcep_tr_listen((struct sockaddr *)&sa, sizeof(sa), 4);
	CHECK(lfd >= 0);
	if (lfd < 0)
		return;
	CHECK_EQ(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	CHECK_EQ(pcep_tr_accept(lfd, &peer), -EAGAIN);
	rc = pcep_tr_connect((struct sockaddr *)&sa, sizeof(sa), &cfd);
	CHECK(rc == 0 || rc == -EINPROGRESS);
	for (int i = 0; i < 100 && afd == -EAGAIN; i++) {
		struct pollfd pf = {.fd = lfd, .events = POLLIN};

		poll(&pf, 1, 20);
		afd = pcep_tr_accept(lfd, &peer);
	}
	CHECK(afd >= 0);
	{
		struct pollfd pf = {.fd = cfd, .events = POLLOUT};

		CHECK_EQ(poll(&pf, 1, 1000), 1);
		CHECK_EQ(pcep_tr_connect_done(cfd), 0);
	}
	caps(&cc, PCEP_ROLE_PCC);
	caps(&ce, PCEP_ROLE_PCE);
	setup(&cc, &ce);
	pcep_session_connected(&pcc, 0);
	pcep_session_connected(&pce, 0);
	for (int i = 0; i < 100 && (pcc.state != PCEP_ST_UP || pce.state != PCEP_ST_UP); i++) {
		struct pollfd pf[2] = {{.fd = cfd, .events = POLLIN},
				       {.fd = afd, .events = POLLIN}};

		pump_fd(&pcc, cfd, 1);
		pump_fd(&pce, afd, 1);
		poll(pf, 2, 10);
	}
	CHECK_EQ(pcc.state, PCEP_ST_UP);
	CHECK_EQ(pce.state, PCEP_ST_UP);
	close(cfd);
	{
		uint8_t b[16];
		ssize_t r = -EAGAIN;

		for (int i = 0; i < 100 && r == -EAGAIN; i++) {
			struct pollfd pf = {.fd = afd, .events = POLLIN};

			poll(&pf, 1, 10);
			r = pcep_tr_read(afd, b, sizeof(b));
		}
		CHECK_EQ(r, -ECONNRESET);
	}
	close(afd);
	close(lfd);
	/* nobody listening: connect fails now or at connect_done */
	rc = pcep_tr_connect((struct sockaddr *)&sa, sizeof(sa), &cfd);
	if (rc == -EINPROGRESS) {
		struct pollfd pf = {.fd = cfd, .events = POLLOUT};

		poll(&pf, 1, 1000);
		rc = pcep_tr_connect_done(cfd);
	}
	CHECK_EQ(rc, -ECONNREFUSED);
	if (cfd >= 0)
		close(cfd);
}

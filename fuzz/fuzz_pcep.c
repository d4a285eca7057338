/* libFuzzer target for the PCEP library. The input is decoded as one
 * message: a decoded message encodes, the encoding decodes, and encoding
 * that again gives the same bytes (no larger than the input); a refused one
 * names a catalogued PCErr or a Close. Then the input is fed, in pieces
 * with the clock moving in between, to a PCE in OpenWait, a PCE and a PCC
 * that are UP: every byte a session emits must be a valid PCEP message. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pcep/err.h"
#include "pcep/msg.h"
#include "pcep/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INVARIANT(c)                                                                               \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

static struct pcep_msg m1, m2;
static uint8_t b1[PCEP_MSG_MAX_LEN], b2[PCEP_MSG_MAX_LEN];
static struct pcep_session sess;

static void fuzz_codec(const uint8_t *data, size_t size)
{
	struct pcep_perr e;
	int rc, n1, n2;

	rc = pcep_msg_decode(data, size, &m1, &e);
	if (rc) {
		INVARIANT(rc == -EBADMSG);
		INVARIANT(e.why != NULL);
		INVARIANT(e.type || e.close_reason);
		INVARIANT(e.type == 0 || pcep_err_lookup(e.type, e.value) != NULL);
		return;
	}
	n1 = pcep_msg_encode(&m1, b1, sizeof(b1));
	INVARIANT(n1 >= PCEP_HDR_LEN && (size_t)n1 <= size);
	INVARIANT(pcep_msg_decode(b1, (size_t)n1, &m2, &e) == 0);
	INVARIANT(m2.type == m1.type && m2.n_lsp == m1.n_lsp && m2.n_err == m1.n_err);
	n2 = pcep_msg_encode(&m2, b2, sizeof(b2));
	INVARIANT(n2 == n1 && memcmp(b1, b2, (size_t)n1) == 0);
}

static void on_event(void *arg, const struct pcep_event *ev)
{
	(void)arg;
	INVARIANT(ev->type < PCEP_EV_MAX);
	INVARIANT(ev->type != PCEP_EV_MSG || ev->msg != NULL);
}

/* Everything a session wrote is a sequence of messages that decode. */
static void check_out(struct pcep_session *s)
{
	size_t n, off = 0;
	const uint8_t *p = pcep_session_out(s, &n);
	struct pcep_perr e;

	INVARIANT(n <= PCEP_SESSION_OUT_MAX);
	while (off < n) {
		int len;

		INVARIANT(n - off >= PCEP_HDR_LEN);
		len = pcep_hdr_len(p + off);
		INVARIANT(len >= PCEP_HDR_LEN && (size_t)len <= n - off);
		INVARIANT(pcep_msg_decode(p + off, (size_t)len, &m2, &e) == 0);
		off += (size_t)len;
	}
	pcep_session_out_consume(s, n);
}

static void caps(struct pcep_session_cfg *c, enum pcep_role role)
{
	pcep_session_cfg_stateful_sr(c, role, 10, true);
	c->max_msg = 4096;
}

/* The peer's side of the establishment: its Open and its Keepalive. */
static size_t peer_hello(enum pcep_role peer_role, uint8_t *buf, size_t cap)
{
	struct pcep_session_cfg c;
	int n, k;

	caps(&c, peer_role);
	pcep_msg_init(&m2, PCEP_MSG_OPEN);
	m2.has_open = true;
	m2.open = c.open;
	n = pcep_msg_encode(&m2, buf, cap);
	pcep_msg_init(&m2, PCEP_MSG_KEEPALIVE);
	k = pcep_msg_encode(&m2, buf + n, cap - (size_t)n);
	INVARIANT(n > 0 && k > 0);
	return (size_t)(n + k);
}

static void fuzz_session(enum pcep_role role, bool up, const uint8_t *data, size_t size)
{
	struct pcep_session_cfg c;
	uint8_t hello[256];
	uint64_t now = 0;
	size_t step = size ? (size_t)(data[0] % 23) + 1 : 1;

	caps(&c, role);
	pcep_session_init(&sess, &c, on_event, NULL);
	INVARIANT(pcep_session_connected(&sess, now) == 0);
	if (up) {
		size_t n = peer_hello(role == PCEP_ROLE_PCE ? PCEP_ROLE_PCC : PCEP_ROLE_PCE, hello,
				      sizeof(hello));

		pcep_session_feed(&sess, now, hello, n);
		INVARIANT(sess.state == PCEP_ST_UP);
		if (role == PCEP_ROLE_PCC)
			INVARIANT(pcep_session_pcc_end_sync(&sess, now) == 0);
	}
	check_out(&sess);
	for (size_t off = 0; off < size; off += step) {
		size_t n = size - off < step ? size - off : step;

		pcep_session_feed(&sess, now, data + off, n);
		check_out(&sess);
		now += (uint64_t)data[off] * 997u;
		pcep_session_tick(&sess, now);
		INVARIANT(sess.state < PCEP_ST_MAX);
		INVARIANT(pcep_session_next_timer(&sess) == UINT64_MAX ||
			  pcep_session_next_timer(&sess) > now || sess.state == PCEP_ST_UP);
		check_out(&sess);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size <= PCEP_MSG_MAX_LEN)
		fuzz_codec(data, size);
	fuzz_session(PCEP_ROLE_PCE, false, data, size);
	fuzz_session(PCEP_ROLE_PCE, true, data, size);
	fuzz_session(PCEP_ROLE_PCC, true, data, size);
	return 0;
}

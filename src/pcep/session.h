/* One PCEP session (RFC 5440 6.2, Appendix A; RFC 8231 5.4-5.6): the FSM
 * Idle -> TCPPending -> OpenWait -> KeepWait -> UP, Open negotiation,
 * keepalives and the dead timer, Close, stateful/SR capability negotiation
 * and LSP state synchronization.
 *
 * Pure: the caller feeds whole messages (see pcep_rx in transport.h) and the
 * time ("now", ms, any monotonic origin), collects the bytes to send from
 * pcep_session_out(), and hears about what happened through one callback.
 * No sockets, no clock, no allocation inside. */
#ifndef SRCHAIN_PCEP_SESSION_H
#define SRCHAIN_PCEP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcep/err.h"
#include "pcep/frame.h"
#include "pcep/msg.h"

#define PCEP_OPENWAIT_MS      60000 /* RFC 5440 6.2 */
#define PCEP_KEEPWAIT_MS      60000 /* RFC 5440 6.2 */
#define PCEP_MAX_UNKNOWN_MSGS 5	    /* per minute, RFC 5440 10 (MAX-UNKNOWN-MESSAGES) */
#define PCEP_SESSION_OUT_MAX  (2 * 65536)

enum pcep_state {
	PCEP_ST_IDLE = 0,
	PCEP_ST_TCP_PENDING,
	PCEP_ST_OPEN_WAIT,
	PCEP_ST_KEEP_WAIT,
	PCEP_ST_UP,
	PCEP_ST_MAX
};

enum pcep_role {
	PCEP_ROLE_PCC = 0,
	PCEP_ROLE_PCE,
};

struct pcep_session_cfg {
	enum pcep_role role;
	struct pcep_open open; /* our Open: timers and capabilities */
	/* peer Open values we accept; outside them we propose ours (1/4) */
	uint8_t min_keepalive, max_keepalive;
	uint8_t min_deadtimer, max_deadtimer;
	/* refuse (1/3) a peer that does not advertise stateful PCE */
	bool require_stateful;
	size_t max_msg; /* largest message accepted, 0 = 65535 */
};

enum pcep_event_type {
	PCEP_EV_UP = 0,	    /* session established */
	PCEP_EV_CLOSED,	    /* session over; flush pcep_session_out() then close TCP */
	PCEP_EV_MSG,	    /* PCRpt / PCUpd / PCInitiate / PCErr for the upper layer */
	PCEP_EV_SYNC_DONE,  /* PCE: end-of-sync marker received (RFC 8231 5.6) */
	PCEP_EV_PCERR_SENT, /* we refused a message (err_type/err_value) */
	PCEP_EV_MAX
};

struct pcep_event {
	enum pcep_event_type type;
	const struct pcep_msg *msg;  /* PCEP_EV_MSG */
	uint8_t close_reason;	     /* PCEP_EV_CLOSED: Close reason, or 0 */
	bool by_peer;		     /* PCEP_EV_CLOSED: the peer sent Close */
	uint8_t err_type, err_value; /* PCEP_EV_CLOSED/PCERR_SENT: the PCErr behind it */
	const char *why;
};

typedef void (*pcep_event_fn)(void *arg, const struct pcep_event *ev);

struct pcep_session_stats {
	uint64_t msgs_in, msgs_out, keepalives_in, keepalives_out;
	uint64_t pcerr_in, pcerr_out, unknown_msgs, skipped_objects;
	uint64_t sync_reports;
};

struct pcep_session {
	struct pcep_session_cfg cfg;
	enum pcep_state state;
	pcep_event_fn cb;
	void *cb_arg;
	struct pcep_open local;					/* our Open as last sent */
	struct pcep_open peer;					/* the peer's accepted Open */
	bool local_ok;						/* we accepted the peer's Open */
	bool remote_ok;						/* the peer acknowledged ours */
	uint8_t open_rejects;					/* unacceptable Opens received */
	uint8_t proposals;					/* PCErr 1/4 proposals we adopted */
	uint64_t t_open_wait, t_keep_wait, t_keepalive, t_dead; /* deadlines, 0 = off */
	uint64_t unknown_window_start;
	uint8_t unknown_in_window;
	/* negotiated */
	bool stateful, update, initiate, sr, srv6;
	/* state synchronization (RFC 8231 5.6) */
	bool sync_done;
	uint32_t srp_next; /* next SRP-ID-number we use */
	struct pcep_session_stats stats;
	uint64_t feed_now;     /* now, for messages pcep_session_feed frames */
	struct pcep_rx stream; /* framing of the received byte stream */
	struct pcep_msg rx;    /* scratch for the message being handled */
	struct pcep_msg tx;
	size_t out_len;
	uint8_t out[PCEP_SESSION_OUT_MAX];
};

/* Defaults: keepalive 30, deadtimer 120 (RFC 5440 8.3), accepting peer
 * keepalive 1-255 (or 0) and deadtimer 4-255 (or 0), no capabilities. */
void pcep_session_cfg_default(struct pcep_session_cfg *cfg, enum pcep_role role);
/* Defaults plus what srchain speaks: stateful with update and instantiation
 * (RFC 8231, 8281), PST SR with SR-PCE-CAPABILITY (msd; a PCE sends 0) and,
 * when srv6, PST SRv6 with SRv6-PCE-CAPABILITY. */
void pcep_session_cfg_stateful_sr(struct pcep_session_cfg *cfg, enum pcep_role role, uint8_t msd,
				  bool srv6);
void pcep_session_init(struct pcep_session *s, const struct pcep_session_cfg *cfg, pcep_event_fn cb,
		       void *arg);
/* Idle -> TCPPending: the transport starts connecting. */
int pcep_session_start(struct pcep_session *s, uint64_t now);
/* TCP is up (connected or accepted): send Open, start OpenWait. */
int pcep_session_connected(struct pcep_session *s, uint64_t now);
/* Handles one whole received message (Message-Length bytes). */
void pcep_session_recv(struct pcep_session *s, uint64_t now, const uint8_t *msg, size_t len);
/* Handles received stream bytes (any split): frames them and calls
 * pcep_session_recv per message; a broken stream (bad version, length
 * below 4 or over max_msg) closes the session. */
void pcep_session_feed(struct pcep_session *s, uint64_t now, const uint8_t *data, size_t n);
/* Runs the timers due at now. */
void pcep_session_tick(struct pcep_session *s, uint64_t now);
/* The earliest deadline (ms), or UINT64_MAX when no timer runs. */
uint64_t pcep_session_next_timer(const struct pcep_session *s);
/* Sends a PCRpt/PCUpd/PCInitiate/PCErr once UP: 0, -ENOTCONN, -EOPNOTSUPP
 * (capability not negotiated), -EAGAIN (PCE before the end of sync),
 * -ENOBUFS, -EINVAL. */
int pcep_session_send(struct pcep_session *s, uint64_t now, const struct pcep_msg *m);
/* PCC: sends the end-of-synchronization marker (RFC 8231 5.6). */
int pcep_session_pcc_end_sync(struct pcep_session *s, uint64_t now);
/* Sends Close with reason and goes Idle (PCEP_EV_CLOSED follows). */
void pcep_session_close(struct pcep_session *s, uint64_t now, uint8_t reason);
/* A fresh SRP-ID-number (RFC 8231 7.2: never 0 or 0xFFFFFFFF). */
uint32_t pcep_session_srp_id(struct pcep_session *s);

/* Bytes waiting to be written, and how many the transport wrote. */
const uint8_t *pcep_session_out(const struct pcep_session *s, size_t *len);
void pcep_session_out_consume(struct pcep_session *s, size_t n);

const char *pcep_state_name(enum pcep_state st);

#endif

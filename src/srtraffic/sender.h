/* srtraffic send: state shared by the scheduler (sender.c), the TCP
 * connections (sender_tcp.c) and the report (sender_report.c). */
#ifndef SRTRAFFIC_SENDER_H
#define SRTRAFFIC_SENDER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "srtraffic/util.h"
#include "srtraffic/wire.h"

#define SENDER_MAX_FLOWS 4096
#define SENDER_BATCH	 64	       /* packets per sendmmsg() */
#define SENDER_DRAIN_NS	 2000000000ull /* TCP: time to flush and see the sink close */

enum sender_tcp_state {
	SENDER_TCP_NONE, /* UDP flow, or not started */
	SENDER_TCP_CONNECTING,
	SENDER_TCP_UP,
	SENDER_TCP_FAILED, /* never connected: connect_errno says why */
	SENDER_TCP_CLOSED, /* connected, then broken: stream_errno says why */
	SENDER_TCP_STATE_MAX
};

struct sender_flow {
	uint32_t id;
	uint16_t sport; /* as bound (the kernel's choice if --sport was not given) */
	int fd;
	uint64_t seq;  /* next sequence number: packets/records started */
	uint64_t sent; /* handed to the kernel completely */
	uint64_t bytes;
	uint64_t errors;
	int last_errno;
	uint64_t last_slot; /* the flow's last scheduled slot; UINT64_MAX if open-ended */
	bool fin_sent;

	/* TCP only */
	enum sender_tcp_state state;
	uint64_t connect_start;
	uint64_t connect_ns;
	int connect_errno;
	int stream_errno;
	uint64_t skipped; /* slots missed because the previous record was still queued */
	uint8_t rec_hdr[SRT_HDR_LEN];
	uint32_t rec_off; /* bytes of the current record written */
	bool rec_pending;
	bool rec_fin;
	bool shut;    /* shutdown(SHUT_WR) done */
	bool drained; /* the sink closed after reading everything */
};

struct sender_opts {
	struct srt_addr dst;
	struct srt_addr src;
	bool have_src;
	bool tcp;
	uint16_t dport;
	uint16_t sport;
	uint32_t flows;
	double rate;
	uint64_t count;	      /* per flow; 0 = unlimited */
	uint64_t duration_ns; /* 0 = unlimited */
	uint32_t size;
	uint32_t flow_id;
	uint64_t connect_timeout_ns;
	const char *json;
	bool verbose;
};

/* Why the schedule ended. */
enum sender_stop {
	SENDER_STOP_COUNT,
	SENDER_STOP_DURATION,
	SENDER_STOP_SIGNAL,
	SENDER_STOP_NO_CONNECTION, /* TCP: no connection up (any more) */
	SENDER_STOP_MAX
};

struct sender_run {
	uint64_t start_ns; /* schedule start (TCP: after the connects) */
	uint64_t end_ns;
	uint64_t lag_max_ns; /* how late the latest slot went out */
	enum sender_stop stop;
};

struct sender {
	struct sender_opts o;
	struct sender_flow *flows;
	uint8_t *zeros;	 /* o.size bytes of padding, never written */
	unsigned tcp_up; /* TCP flows in SENDER_TCP_UP */
};

/* Set by SIGINT/SIGTERM: stop sending, finish flows, write the report. */
extern volatile sig_atomic_t sender_stop;

/* Opens and connects one TCP connection per flow, in parallel, within
 * --connect-timeout; returns how many are up. Failures are recorded per flow. */
unsigned sender_tcp_connect(struct sender *s);
/* The flow's turn in the schedule: starts a record, or finishes a queued one. */
void sender_tcp_slot(struct sender *s, struct sender_flow *f, bool fin, uint64_t now);
/* Writes queued records and the FIN record, half-closes, and waits for the
 * sink to close, for at most SENDER_DRAIN_NS. */
void sender_tcp_finish(struct sender *s);

/* Report name of a stop reason ("count", ...). */
const char *sender_stop_name(enum sender_stop why);
/* False if the flow had send errors or, for TCP, did not connect, broke, or
 * was not drained: such a flow makes the exit status 3. */
bool sender_flow_ok(const struct sender *s, const struct sender_flow *f);
/* Writes the JSON report; 0 or a negative errno. */
int sender_report_json(FILE *out, const struct sender *s, const struct sender_run *run);
/* One summary line (and with -v one line per flow) on stderr. */
void sender_report_summary(const struct sender *s, const struct sender_run *run);

/* `srtraffic send`: returns the process exit status. */
int sender_main(int argc, char **argv);

#endif

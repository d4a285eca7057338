/* srtraffic recv: state shared by the receive loop (sink.c), the flow table
 * (sink_flows.c) and the report (sink_report.c). */
#ifndef SRTRAFFIC_SINK_H
#define SRTRAFFIC_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "lib/flowstats.h"
#include "srtraffic/util.h"
#include "srtraffic/wire.h"

#define SINK_MAX_FLOWS	4096
#define SINK_INDEX_SIZE 8192 /* flow index slots: power of two, 2x SINK_MAX_FLOWS */
#define SINK_MAX_PORTS	64   /* per protocol */
#define SINK_MAX_CONNS	4096
#define SINK_RX_BATCH	64   /* datagrams per recvmmsg() */
#define SINK_RX_BUF	2048 /* only the header is read; MSG_TRUNC gives the size */
#define SINK_TCP_BUF	65536
#define SINK_SERIES_MAX 65536	   /* points per flow */
#define SINK_SERIES_ALL (1u << 22) /* points over all flows (96 MiB) */

enum sink_ep_kind {
	SINK_EP_UDP,
	SINK_EP_TCP_LISTEN,
	SINK_EP_TCP_CONN,
	SINK_EP_SIGNAL,
	SINK_EP_MAX
};

/* What epoll hands back: every registered fd has one of these first. */
struct sink_ep {
	enum sink_ep_kind kind;
	int fd;
	uint16_t port;	    /* local port */
	uint32_t rxq_drops; /* UDP: the socket's drop counter (SO_RXQ_OVFL) */
};

struct sink_conn {
	struct sink_ep ep;
	uint32_t slot; /* index in sink.conns */
	struct sockaddr_storage peer;
	uint8_t hdr[SRT_HDR_LEN];
	uint32_t hdr_have; /* header bytes of the current record received */
	uint32_t skip;	   /* padding bytes of the current record still to come */
	struct srt_hdr cur;
};

struct sink_flow {
	uint32_t flow_id;
	uint16_t dport;
	uint8_t proto;		      /* IPPROTO_UDP or IPPROTO_TCP */
	struct sockaddr_storage peer; /* source of the first packet */
	uint64_t bytes;
	uint64_t first_ns;
	uint64_t last_ns;
	struct flowstats_series series;
	struct flowstats st;
};

struct sink_counters {
	uint64_t packets; /* valid packets and records, all flows */
	uint64_t bytes;
	uint64_t bad[SRT_HDR_STATUS_MAX]; /* dropped: header did not parse */
	uint64_t bad_size;		  /* UDP: header length != datagram size */
	uint64_t untracked;		  /* valid, but the flow table was full */
	uint64_t clock_behind;		  /* send time after receive time: latency 0 */
	uint64_t tcp_accepted;
	uint64_t tcp_closed;
	uint64_t tcp_rejected;	 /* more than SINK_MAX_CONNS connections */
	uint64_t tcp_bad_stream; /* closed: a record header did not parse */
	uint64_t tcp_errors;	 /* closed: read error (e.g. reset) */
	uint64_t tcp_truncated;	 /* closed in the middle of a record */
};

struct sink_opts {
	struct srt_addr listen;
	bool listen_default;
	uint16_t udp[SINK_MAX_PORTS];
	unsigned n_udp;
	uint16_t tcp[SINK_MAX_PORTS];
	unsigned n_tcp;
	uint64_t duration_ns;
	uint64_t idle_ns;
	uint64_t series_ns;
	const char *json;
	const char *ready_file;
	bool verbose;
};

enum sink_stop { SINK_STOP_DURATION, SINK_STOP_IDLE, SINK_STOP_SIGNAL, SINK_STOP_MAX };

struct sink {
	struct sink_opts o;
	uint64_t start_ns;
	uint64_t end_ns;
	uint64_t last_rx_ns; /* 0 until the first packet */
	enum sink_stop stop;
	struct sink_counters c;
	struct flowstats_hist all_latency; /* every flow, for the summary */

	/* flow table: flows[0, n_flows), found through index[] */
	struct sink_flow *flows[SINK_MAX_FLOWS];
	uint32_t n_flows;
	uint16_t index[SINK_INDEX_SIZE]; /* 0 = empty, else flows[] position + 1 */
	uint32_t series_cap;		 /* points per new flow */
	uint64_t series_left;		 /* of SINK_SERIES_ALL */

	int epfd;
	struct sink_ep udp[SINK_MAX_PORTS];
	struct sink_ep tcp[SINK_MAX_PORTS];
	struct sink_ep sig;
	struct sink_conn *conns[SINK_MAX_CONNS];

	/* receive buffers */
	struct mmsghdr msgs[SINK_RX_BATCH];
	struct iovec iovs[SINK_RX_BATCH];
	struct sockaddr_storage names[SINK_RX_BATCH];
	uint8_t bufs[SINK_RX_BATCH][SINK_RX_BUF];
	uint64_t ctrl[SINK_RX_BATCH][8]; /* CMSG_SPACE(sizeof(uint32_t)), aligned */
	uint8_t tcp_buf[SINK_TCP_BUF];
};

/* Prepares the flow table (series sizing from the options). */
void sink_flows_init(struct sink *s);
/* Frees every flow. */
void sink_flows_fini(struct sink *s);
/* Accounts one valid packet or record that arrived at now. */
void sink_account(struct sink *s, const struct srt_hdr *h, uint8_t proto, uint16_t dport,
		  const struct sockaddr *peer, uint64_t now, uint64_t bytes);

/* Writes the JSON report; 0 or a negative errno. */
int sink_report_json(FILE *out, struct sink *s);
/* One summary line (and with -v one line per flow) on stderr. */
void sink_report_summary(struct sink *s);

/* `srtraffic recv`: returns the process exit status. */
int sink_main(int argc, char **argv);

#endif

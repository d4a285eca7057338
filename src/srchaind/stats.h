/* The daemon's statistics as one document, written the same way by live
 * mode (--json, --stats-interval, at exit), offline mode (--json) and the
 * control socket (show counters), as JSON or as text:
 *
 *   {"uptime_ms":N, "generation":N,
 *    "counters":{"rx":N, ...},                        every named counter
 *    "objects":[{"name":S, "packets":N, "bytes":N}],  every object (stat slot)
 *    "ports":[{"name":S, "rx_packets":N, "rx_bytes":N, ...,
 *              "tx_packets":N, "tx_bytes":N, "tx_errors":N}],
 *    "control":{"clients":N, ...}}                    only with a control socket
 *
 * Live ports are the served interfaces' sockets; offline ports are the
 * interfaces of the configuration with the pcap records read and written. */
#ifndef SRCHAIND_STATS_H
#define SRCHAIND_STATS_H

#include <stdint.h>
#include <stdio.h>

struct dp;
struct io_stats;
struct jsonw;

/* The control socket's own counters (srchaind/ctl.c). */
struct stats_ctl {
	uint64_t clients;   /* connected now */
	uint64_t accepted;  /* connections taken on */
	uint64_t answered;  /* answers sent in full */
	uint64_t refused;   /* turned away: the client limit was reached */
	uint64_t timed_out; /* no complete request line in time */
	uint64_t dropped;   /* answer not delivered: too slow, gone, or sent too much */
};

/* Where the numbers come from. */
struct stats_src {
	const struct dp *dp;
	uint64_t uptime_ms;
	uint32_t n_ports;
	const char *const *port_name; /* n_ports names */
	/* Counters of port (0..n_ports-1), summed over workers. */
	void (*port_stats)(void *ctx, uint32_t port, struct io_stats *s);
	void *ctx;
	const struct stats_ctl *ctl; /* NULL: no control socket */
};

/* Writes the document as one JSON value (an object) through j. */
void stats_json(struct jsonw *j, const struct stats_src *s);

/* Writes the same numbers as text to f under a title line; zero counters and
 * objects without packets are left out, ports are always listed. */
void stats_text(FILE *f, const struct stats_src *s, const char *title);

#endif

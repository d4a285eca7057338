/* Packet I/O backends behind one small interface: a port is one network
 * interface opened by one worker. A worker receives bursts into descriptors
 * whose frames live in the port's own buffer area, hands them to the data
 * plane, transmits what comes out on the ports it owns, and sleeps in poll()
 * on io_fd() when there is nothing to do.
 *
 * Ownership: descriptors and frames returned by io_rx_burst stay valid until
 * the next io_rx_burst on the same port. io_tx_burst never takes ownership
 * of the descriptors: AF_PACKET copies the bytes; AF_XDP sends a frame of
 * its UMEM in place (the frame then returns through the completion ring,
 * the next io_rx_burst on its port no longer recycles it) and copies a
 * frame from anywhere else (function copies, another UMEM) into the UMEM.
 */
#ifndef SRCHAIN_IO_IO_H
#define SRCHAIN_IO_IO_H

#include <stdint.h>

#include "lib/err.h"

struct pkt;

#define IO_BURST_MAX 64

/* Per-port counters, owned by the worker that owns the port. */
struct io_stats {
	uint64_t rx_pkts, rx_bytes;
	uint64_t rx_not_ours;	  /* broadcast/multicast/other host: left to the kernel */
	uint64_t rx_truncated;	  /* frame larger than a buffer */
	uint64_t rx_gso;	  /* unsegmented GSO/GRO super-frame: not handled */
	uint64_t rx_csum_fixed;	  /* checksum completed in software (CHECKSUM_PARTIAL) */
	uint64_t rx_kernel_drops; /* socket queue overflows reported by the kernel */
	uint64_t tx_pkts, tx_bytes;
	uint64_t tx_errors;
};

struct io_opts {
	uint16_t in_if;	    /* data-plane interface index stamped on received packets */
	uint16_t fanout_id; /* AF_PACKET: nonzero = join this fanout group (by flow hash) */
	uint32_t burst;	    /* receive slots (1..IO_BURST_MAX, 0 = IO_BURST_MAX) */
	uint32_t queue;	    /* AF_XDP: rx queue of the interface this port serves */
	struct io_xdp *xdp; /* AF_XDP: the attached steering program (io/xdp/loader.h) */
};

struct io_port;
struct io_xdp;

struct io_ops {
	const char *name;
	int (*open)(struct io_port **port, const char *ifname, const struct io_opts *o,
		    struct err *err);
	int (*rx_burst)(struct io_port *port, struct pkt **pkts, uint32_t max);
	uint32_t (*tx_burst)(struct io_port *port, struct pkt *const *pkts, uint32_t n);
	void (*stats)(struct io_port *port); /* optional: pull kernel counters */
	void (*close)(struct io_port *port);
};

/* The part of a port every backend shares; backends embed it first. */
struct io_port {
	const struct io_ops *ops;
	char name[16];
	uint32_t ifindex;
	int fd; /* readable when packets wait */
	uint16_t in_if;
	struct io_stats stats;
};

extern const struct io_ops io_afpacket_ops;
extern const struct io_ops io_afxdp_ops;

/* Opens ifname with the named backend ("afpacket", "afxdp"); 0 or -errno with err. */
int io_open(const char *backend, const char *ifname, const struct io_opts *o, struct io_port **port,
	    struct err *err);

/* Receives up to max packets (never blocks): count, or -errno on a socket error. */
static inline int io_rx_burst(struct io_port *port, struct pkt **pkts, uint32_t max)
{
	return port->ops->rx_burst(port, pkts, max);
}

/* Sends n frames (data at pkt_data, Ethernet first); returns how many went. */
static inline uint32_t io_tx_burst(struct io_port *port, struct pkt *const *pkts, uint32_t n)
{
	return port->ops->tx_burst(port, pkts, n);
}

/* The descriptor to poll() for POLLIN. */
static inline int io_fd(const struct io_port *port)
{
	return port->fd;
}

/* Refreshes kernel-side counters (socket drops) into port->stats. */
void io_stats_update(struct io_port *port);

void io_close(struct io_port *port);

#endif

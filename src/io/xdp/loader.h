/* The XDP steering program's loader (the program: io/xdp/steer.bpf.c).
 *
 * io_xdp_open loads the program, embedded in the binary, and attaches it
 * to every served interface; io_xdp_sync fills its maps from plain lists
 * that the daemon takes from its tables. AF_XDP ports (io/afxdp.c) are
 * then opened with io_open("afxdp") and io_opts.xdp/queue, and register
 * their sockets in the program's socket map. */
#ifndef SRCHAIN_IO_XDP_LOADER_H
#define SRCHAIN_IO_XDP_LOADER_H

#include <stdint.h>

#include "lib/err.h"

struct io_xdp;

/* XDP attach mode: native (driver) first, else generic (skb). */
enum io_xdp_mode { IO_XDP_AUTO, IO_XDP_NATIVE, IO_XDP_GENERIC, IO_XDP_MODE_MAX };

/* An SRv6 local SID prefix. */
struct io_xdp_sid {
	uint8_t addr[16];
	uint8_t len; /* prefix length, 0..128 */
};

/* What the program knows of one served interface. */
struct io_xdp_port {
	uint8_t mac[6];	  /* unicast frames to another MAC go to the kernel */
	uint8_t classify; /* the data plane classifies IP from here */
};

/* Everything the steering maps hold, as plain lists owned by the caller.
 * ports[i] describes device i of io_xdp_open; devices past n_port get
 * an all-zero entry. */
struct io_xdp_state {
	const struct io_xdp_sid *sids;
	uint32_t n_sid;
	const uint8_t (*local4)[4]; /* addresses of this host, wire order */
	uint32_t n_local4;
	const uint8_t (*local6)[16];
	uint32_t n_local6;
	const struct io_xdp_port *ports;
	uint32_t n_port;
};

/* An attached device, as the AF_XDP sockets need it. */
struct io_xdp_dev {
	uint32_t slot;	  /* device index given to io_xdp_open */
	uint32_t ifindex; /* kernel interface index */
	uint8_t native;	  /* attached in driver mode (zero-copy possible) */
	/* frames may carry partial TCP/UDP checksums: generic XDP, or a
	 * virtual driver (veth, tun) that passes the sender's skb on */
	uint8_t csum_partial;
};

/* Loads the steering program and attaches it to devs[0..n_dev) (device i
 * is data-plane interface i); 0 or -errno with err. Nothing is redirected
 * until io_xdp_sync has run and sockets are open. */
int io_xdp_open(struct io_xdp **x, const char *const *devs, uint32_t n_dev, enum io_xdp_mode mode,
		struct err *err);

/* Rx queues that every served interface has (>= 1). */
uint32_t io_xdp_queues(const struct io_xdp *x);

/* Devices the program is attached to. */
uint32_t io_xdp_n_dev(const struct io_xdp *x);

/* Describes the attachment, e.g. "n1 native, n2 generic". */
const char *io_xdp_describe(const struct io_xdp *x);

/* Loads s into the program's maps: new entries first, then stale ones out,
 * so that the program never misses an entry present before and after.
 * -E2BIG (maps untouched) when a list exceeds its map. Control thread. */
int io_xdp_sync(struct io_xdp *x, const struct io_xdp_state *s, struct err *err);

/* The attached device named ifname; 0 or -ENODEV. */
int io_xdp_dev_find(const struct io_xdp *x, const char *ifname, struct io_xdp_dev *out);

/* Redirects what the program steers from (slot, queue) to AF_XDP socket
 * fd; 0 or -errno. */
int io_xdp_socket_set(struct io_xdp *x, uint32_t slot, uint32_t queue, int fd);

/* Packets of device slot that the program gave the verdict (enum
 * steer_verdict, io/xdp/steer.h), summed over CPUs; 0 or -errno. */
int io_xdp_verdicts(struct io_xdp *x, uint32_t slot, uint32_t verdict, uint64_t *count);

/* Storage for the AF_XDP backend's state of rx queue q (its UMEM): NULL
 * until that backend sets it; the loader never looks inside. */
void **io_xdp_queue_state(struct io_xdp *x, uint32_t queue);

/* Detaches the program and frees it; close the ports first. */
void io_xdp_close(struct io_xdp *x);

#endif

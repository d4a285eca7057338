/* AF_XDP backend: the daemon-wide part. io_xdp_open loads the steering
 * program (io/xdp/steer.bpf.c, embedded in the binary) and attaches it to
 * every served interface; ports are then opened with io_open("afxdp")
 * and io_opts.xdp/queue; io_xdp_sync keeps the program's maps in step
 * with the data plane's tables.
 *
 * Queues: AF_XDP sockets are per (interface, rx queue). Worker k serves
 * queue k of every interface and owns one UMEM shared by its sockets, so
 * a packet forwarded to another interface leaves from the frame it
 * arrived in. Hence at most io_xdp_queues() workers. */
#ifndef SRCHAIN_IO_AFXDP_H
#define SRCHAIN_IO_AFXDP_H

#include <stdint.h>

#include "lib/err.h"

struct io_xdp;
struct dp_tables;

/* XDP attach mode: native (driver) first, else generic (skb). */
enum io_xdp_mode { IO_XDP_AUTO, IO_XDP_NATIVE, IO_XDP_GENERIC, IO_XDP_MODE_MAX };

/* Loads the steering program and attaches it to devs[0..n_dev) (device i
 * is data-plane interface i); 0 or -errno with err. Nothing is redirected
 * until io_xdp_sync has run and sockets are open. */
int io_xdp_open(struct io_xdp **x, const char *const *devs, uint32_t n_dev, enum io_xdp_mode mode,
		struct err *err);

/* Rx queues that every served interface has (>= 1). */
uint32_t io_xdp_queues(const struct io_xdp *x);

/* Describes the attachment, e.g. "n1 native, n2 generic". */
const char *io_xdp_describe(const struct io_xdp *x);

/* Loads t's SRv6 SIDs, local addresses and interface flags (classify,
 * MAC) into the program's maps: new entries first, then stale ones out.
 * Called by the control thread after each dp_publish. */
int io_xdp_sync(struct io_xdp *x, const struct dp_tables *t, struct err *err);

/* Detaches the program and frees it; close the ports first. */
void io_xdp_close(struct io_xdp *x);

#endif

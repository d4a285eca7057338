/* Live mode's view of the kernel: a table set built from an rtnetlink dump
 * of the served interfaces, their addresses, the main routing table and the
 * neighbour tables, with the SR configuration applied on top; and a
 * subscription that says when that state changed. */
#ifndef SRCHAIND_NETLINK_H
#define SRCHAIND_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct dp_tables;

#define NL_DEVS_MAX 64

/* What one build took from the kernel (for the log line). */
struct nl_summary {
	uint32_t links, addrs, routes, routes_skipped, neighs;
};

/* Builds a finished table set for n_workers: devs[0..n_dev) become data-plane
 * interfaces 0..n_dev-1 (in that order), then conf (len bytes, named fname
 * in errors) is applied. NULL with err set on any error. */
struct dp_tables *nl_build_tables(const char *const *devs, uint32_t n_dev, const char *conf,
				  size_t len, const char *fname, uint32_t n_workers,
				  struct nl_summary *sum, struct err *err);

/* Opens a non-blocking socket subscribed to link, address, route and
 * neighbour changes: fd >= 0, or -errno with err set. */
int nl_watch_open(struct err *err);

/* Reads everything pending on a watch socket; 1 if anything changed (or
 * messages were lost), 0 if nothing was pending. */
int nl_watch_drain(int fd);

#endif

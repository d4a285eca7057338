/* Live mode: serve kernel interfaces with workers over AF_XDP or AF_PACKET
 * sockets (io/); tables come from the kernel (rtnetlink) with the SR
 * configuration on top. */
#ifndef SRCHAIND_LIVE_H
#define SRCHAIND_LIVE_H

#include <stdint.h>

#include "srchaind/netlink.h"

#define LIVE_WORKERS_MAX 64

struct live_opts {
	const char *conf;
	uint32_t n_dev;
	const char *devs[NL_DEVS_MAX];
	uint32_t workers; /* 0: one per online CPU */
	const char *pidfile;
	const char *io;	 /* afxdp[-native|-generic], afpacket; NULL: afxdp if it works */
	const char *ctl; /* control socket; NULL: the default path if free, "none": no socket */
	uint32_t stats_interval; /* seconds, 0: only at exit */
	int allow_kernel_forwarding;
	int json;
	int quiet;
};

/* Splits "IF1,IF2,..." into o->devs (pointing into list, which is modified). */
int live_parse_devs(struct live_opts *o, char *list);

/* Runs until SIGINT/SIGTERM; 0 on a clean exit, 1 on a start-up error. */
int live_run(const struct live_opts *o);

#endif

/* Hands the data plane's tables to the XDP steering program: what the
 * program needs (local SIDs, local addresses, interface MACs and classify
 * flags), taken from a table set as the plain lists io/xdp/loader.h
 * takes, so that io knows nothing of the data plane. */
#ifndef SRCHAIND_XDP_MAPS_H
#define SRCHAIND_XDP_MAPS_H

#include "lib/err.h"

struct dp_tables;
struct io_xdp;

/* Loads t's SIDs, local addresses and interfaces into x's maps
 * (io_xdp_sync); 0 or -errno with err. Control thread, after dp_publish. */
int xdp_maps_sync(struct io_xdp *x, const struct dp_tables *t, struct err *err);

#endif

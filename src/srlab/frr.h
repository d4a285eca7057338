/* FRR on srlab nodes: the frr.conf srlab writes for a node with "frr", zebra
 * and ospfd (ospf6d) started in the node's namespace with their own pid,
 * vty and zebra socket paths under the state directory, and the wait for
 * OSPF convergence.
 *
 * State directory: NODE.frr.conf (the configuration), NODE.frr/ (owned by
 * the frr user: DAEMON.pid, DAEMON.vty, zserv.api, DAEMON.log, DAEMON.err).
 */
#ifndef SRCHAIN_SRLAB_FRR_H
#define SRCHAIN_SRLAB_FRR_H

#include <stdbool.h>
#include <stddef.h>

#include "srlab/topo.h"

struct lab;

/* vtysh: $SRLAB_VTYSH, else vtysh from PATH. */
const char *frr_vtysh_prog(void);

/* True if any node of t runs FRR. */
bool frr_in_topo(const struct topo *t);

/* Writes node i's frr.conf into the state directory, starts zebra and the
 * routing daemons inside its namespace (recorded in the state, so `srlab
 * down` stops them) and waits until each serves its vty: 0 or -1 (msg). */
int frr_start(struct lab *lab, int i, char *msg, size_t cap);

/* Waits up to timeout_ms until every OSPFv2 node has a Full adjacency on
 * each link to another OSPFv2 node, and an OSPF route in its kernel table to
 * every other OSPF node's router ID that is one of that node's addresses
 * (its loopback): 0 or -1 (msg says which node is behind). */
int frr_wait_converged(struct lab *lab, int timeout_ms, char *msg, size_t cap);

#endif

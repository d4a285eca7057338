/* Kernel-side drop of transit frames on AF_PACKET-served interfaces.
 *
 * With AF_PACKET the kernel receives its own copy of every frame srchaind
 * receives. It cannot forward the transit ones (forwarding is off on served
 * interfaces) and answers each with an ICMP error (ip6_pkt_discard ->
 * icmp6_send, ip_error), which costs the sender and the node CPU. srchaind
 * therefore installs, per served interface, a netfilter netdev ingress
 * chain that drops IPv4/IPv6 packets whose destination is not an address
 * of this host (fib daddr type): ARP, ND, multicast, broadcast and traffic
 * to the host's own addresses still reach the kernel, and AF_PACKET still
 * sees every frame (packet taps run before the ingress hook).
 *
 * The chains live in one nftables table per daemon, "srchaind-PID", owned
 * by srchaind's netlink socket: removed at exit, and by the kernel when
 * the socket closes if srchaind dies without exiting. */
#ifndef SRCHAIN_SRCHAIND_TRANSIT_H
#define SRCHAIN_SRCHAIND_TRANSIT_H

#include <stdint.h>

#include "lib/err.h"

/* Installs the drop on devs[0..n-1]: 0, or a negative errno with err set
 * (nothing installed then). One installation per process. */
int transit_install(const char *const *devs, uint32_t n, struct err *err);

/* Removes what transit_install installed (no-op if nothing is). */
void transit_remove(void);

/* Name of the table transit_install made ("" if none). */
const char *transit_table(void);

#endif

/* Completing TCP/UDP checksums that a sender's checksum offload left
 * partial.
 *
 * A Linux stack that sends TCP/UDP over veth (or any device that offers
 * tx checksum offload) may leave in the checksum field only the folded sum
 * of the pseudo-header (the kernel's CHECKSUM_PARTIAL), for the device to
 * finish. A receiver on the same host that reads raw frames (XDP, AF_XDP)
 * is not told so. Such a field is recognised by its value: it equals the
 * folded pseudo-header sum. Completing it is the checksum over the L4 bytes
 * as they stand (the field already holds the pseudo-header's share).
 *
 * False positives: a complete checksum equals the pseudo-header sum by a
 * 1 in 65536 chance. A packet whose checksum verifies is never modified,
 * so the guess only ever touches packets that would fail verification. */
#ifndef SRCHAIN_PKT_CSUM_COMPLETE_H
#define SRCHAIN_PKT_CSUM_COMPLETE_H

#include <stddef.h>
#include <stdint.h>

/* IP-in-IP levels looked through (SRv6 encapsulation, IPv4 in IPv6). */
#define CSUM_NEST_MAX 4

/* Completes the innermost TCP/UDP checksum of an Ethernet frame (through up
 * to two VLAN tags, an MPLS stack, IPv6 extension headers and IP-in-IP;
 * never in fragments) when its field holds only the pseudo-header sum and
 * the packet does not verify. Reads nothing outside frame[0..len). 1 when
 * the field was rewritten, 0 when the frame is left as it was. */
int csum_complete_frame(uint8_t *frame, size_t len);

#endif

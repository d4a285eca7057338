/* Ethernet II header, with up to two 802.1Q/802.1ad tags. */
#ifndef SRCHAIN_PKT_ETH_H
#define SRCHAIN_PKT_ETH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pkt/byteorder.h"

#define ETH_ALEN      6
#define ETH_HLEN      14
#define ETH_VLAN_HLEN 4
/* QinQ: an 802.1ad S-tag and an 802.1Q C-tag; a third tag is left unparsed. */
#define ETH_VLAN_MAX 2
#define ETH_VID_MASK 0x0fff

/* Spelled exactly as <linux/if_ether.h> spells them where the names are
 * shared, so that both headers may be included in one file. */
#define ETH_P_IPV4 0x0800
#ifndef ETH_P_ARP
#define ETH_P_ARP     0x0806
#define ETH_P_8021Q   0x8100
#define ETH_P_IPV6    0x86DD
#define ETH_P_MPLS_UC 0x8847
#define ETH_P_8021AD  0x88A8
#define ETH_P_NSH     0x894F
#endif

struct eth_hdr {
	uint8_t dst[ETH_ALEN];
	uint8_t src[ETH_ALEN];
	be16 type;
} __attribute__((packed));

struct eth_info {
	const uint8_t *dst;
	const uint8_t *src;
	uint16_t vlan;	     /* VID of the outermost tag, 0 if untagged */
	uint16_t vlan_inner; /* VID of the second tag (QinQ), 0 if none */
	uint8_t n_tags;
	uint16_t type;	 /* ethertype after the tags, host order */
	uint16_t l2_len; /* bytes from the frame start to the L3 header */
};

/* Parses the header and up to ETH_VLAN_MAX tags; a deeper stack is reported
 * with type 0x8100/0x88A8 for the caller to drop as unknown. 0 or -EBADMSG. */
int eth_parse(const uint8_t *p, size_t len, struct eth_info *out);

/* Writes an untagged header (ETH_HLEN bytes). */
static inline void eth_build(uint8_t *p, const uint8_t dst[ETH_ALEN], const uint8_t src[ETH_ALEN],
			     uint16_t type)
{
	memcpy(p, dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, src, ETH_ALEN);
	wr_be16(p + 2 * ETH_ALEN, type);
}

/* Writes a header with one 802.1Q tag (ETH_HLEN + ETH_VLAN_HLEN bytes). */
static inline void eth_build_vlan(uint8_t *p, const uint8_t dst[ETH_ALEN],
				  const uint8_t src[ETH_ALEN], uint16_t vid, uint16_t type)
{
	eth_build(p, dst, src, ETH_P_8021Q);
	wr_be16(p + ETH_HLEN, vid & ETH_VID_MASK);
	wr_be16(p + ETH_HLEN + 2, type);
}

#endif

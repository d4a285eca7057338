/* VXLAN Generic Protocol Extension (draft-ietf-nvo3-vxlan-gpe), carried in
 * UDP to port 4790.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |R|R|Ver|I|P|B|O|       Reserved                | Next Protocol |
 *  |                VXLAN Network Identifier (VNI) |   Reserved    |
 */
#ifndef SRCHAIN_PKT_VXLAN_GPE_H
#define SRCHAIN_PKT_VXLAN_GPE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pkt/byteorder.h"

#define VXLAN_GPE_PORT	  4790
#define VXLAN_GPE_HLEN	  8
#define VXLAN_GPE_VNI_MAX 0xffffff

#define VXLAN_GPE_F_VER 0x30
#define VXLAN_GPE_F_I	0x08 /* VNI valid */
#define VXLAN_GPE_F_P	0x04 /* Next Protocol present */
#define VXLAN_GPE_F_B	0x02 /* BUM traffic */
#define VXLAN_GPE_F_O	0x01 /* OAM */

#define VXLAN_GPE_NP_IPV4     0x1
#define VXLAN_GPE_NP_IPV6     0x2
#define VXLAN_GPE_NP_ETHERNET 0x3
#define VXLAN_GPE_NP_NSH      0x4
#define VXLAN_GPE_NP_MPLS     0x5

struct vxlan_gpe_hdr {
	uint8_t flags;
	uint8_t reserved[2];
	uint8_t next_proto;
	be32 vni_rsvd; /* VNI in the high 24 bits */
} __attribute__((packed));

struct vxlan_gpe_info {
	uint8_t flags;
	uint8_t next_proto; /* VXLAN_GPE_NP_ETHERNET when P is clear */
	bool vni_valid;
	uint32_t vni;
	bool oam;
};

/* Writes a header with I and P set. VXLAN_GPE_HLEN, -EINVAL (VNI over 24
 * bits) or -ENOSPC. */
static inline int vxlan_gpe_build(uint8_t *p, size_t cap, uint32_t vni, uint8_t next_proto)
{
	if (vni > VXLAN_GPE_VNI_MAX)
		return -EINVAL;
	if (cap < VXLAN_GPE_HLEN)
		return -ENOSPC;
	p[0] = VXLAN_GPE_F_I | VXLAN_GPE_F_P;
	p[1] = 0;
	p[2] = 0;
	p[3] = next_proto;
	wr_be32(p + 4, vni << 8);
	return VXLAN_GPE_HLEN;
}

/* Reads a header. Without the P bit the payload is Ethernet, as in plain
 * VXLAN (RFC 7348). 0, -EBADMSG (short) or -EPROTO (version not 0). */
static inline int vxlan_gpe_parse(const uint8_t *p, size_t len, struct vxlan_gpe_info *out)
{
	if (len < VXLAN_GPE_HLEN)
		return -EBADMSG;
	if (p[0] & VXLAN_GPE_F_VER)
		return -EPROTO;
	out->flags = p[0];
	out->next_proto = (p[0] & VXLAN_GPE_F_P) ? p[3] : VXLAN_GPE_NP_ETHERNET;
	out->vni_valid = (p[0] & VXLAN_GPE_F_I) != 0;
	out->vni = out->vni_valid ? rd_be32(p + 4) >> 8 : 0;
	out->oam = (p[0] & VXLAN_GPE_F_O) != 0;
	return 0;
}

#endif

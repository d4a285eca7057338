/* Packet buffer: a descriptor over one frame, with headroom for pushing
 * encapsulations in place.
 *
 *   frame                 frame + off          frame + off + len
 *   |<---- headroom ---->|<------ packet ------>|<---- tailroom ---->|
 *
 * A frame is either a slot of a malloc'd pool (offline mode, tests,
 * benchmarks) or a chunk of an AF_XDP UMEM; the descriptor never owns the
 * memory, the pool that handed it out does.
 */
#ifndef SRCHAIN_PKT_PBUF_H
#define SRCHAIN_PKT_PBUF_H

#include <stdint.h>
#include <string.h>

#define PKT_FRAME_SIZE 4096u
/* Room for Ethernet + outer IPv6 + an SRH of 16 segments, or NSH over
 * VXLAN-GPE over IPv6, in front of a received packet. */
#define PKT_HEADROOM 512u
#define PKT_MAX_LEN  (PKT_FRAME_SIZE - PKT_HEADROOM)

/* Network protocol of the bytes at pkt_data() once L2 has been removed. */
enum pkt_l3 { PKT_L3_NONE = 0, PKT_L3_IPV4, PKT_L3_IPV6, PKT_L3_MPLS, PKT_L3_NSH, PKT_L3_MAX };

#define PKT_F_CLASSIFIED 0x01 /* went through the ingress classifier */
#define PKT_F_COPY	 0x02 /* a copy made by a function: never copied again */

struct pkt {
	uint8_t *frame;
	uint32_t off;  /* start of packet bytes within frame */
	uint32_t len;  /* number of packet bytes */
	uint64_t addr; /* owner's handle: UMEM address or pool index */
	uint64_t ts;   /* receive time, ns (capture time in offline mode) */

	/* Metadata, valid for the current pass through the data plane. */
	uint16_t in_if; /* interface index (data-plane numbering) */
	uint16_t out_if;
	uint16_t l3;	 /* enum pkt_l3 */
	uint16_t vlan;	 /* 802.1Q VID received, 0 if untagged */
	uint32_t hash;	 /* inner flow hash, 0 = not yet computed */
	uint32_t nh;	 /* next hop index chosen by a lookup */
	uint32_t ref;	 /* stage-private reference (SID entry, policy, ...) */
	uint8_t l2_len;	 /* bytes of L2 header removed at input */
	uint8_t flags;	 /* PKT_F_* */
	uint16_t passes; /* lookups taken, bounded to stop local loops */
};

static inline uint8_t *pkt_data(const struct pkt *p)
{
	return p->frame + p->off;
}

static inline uint32_t pkt_headroom(const struct pkt *p)
{
	return p->off;
}

static inline uint32_t pkt_tailroom(const struct pkt *p)
{
	return PKT_FRAME_SIZE - p->off - p->len;
}

/* Grows the packet at the front by n bytes; NULL if the headroom is short. */
static inline uint8_t *pkt_push(struct pkt *p, uint32_t n)
{
	if (p->off < n)
		return NULL;
	p->off -= n;
	p->len += n;
	return pkt_data(p);
}

/* Removes n bytes from the front; NULL if the packet is shorter. */
static inline uint8_t *pkt_pull(struct pkt *p, uint32_t n)
{
	if (p->len < n)
		return NULL;
	p->off += n;
	p->len -= n;
	return pkt_data(p);
}

/* Shortens the packet to len bytes (no-op when already shorter). */
static inline void pkt_trim(struct pkt *p, uint32_t len)
{
	if (len < p->len)
		p->len = len;
}

/* Resets a descriptor to hold len bytes copied at the standard headroom. */
static inline int pkt_set(struct pkt *p, const void *bytes, uint32_t len)
{
	if (len > PKT_MAX_LEN)
		return -1;
	p->off = PKT_HEADROOM;
	p->len = len;
	memcpy(pkt_data(p), bytes, len);
	return 0;
}

#endif

/* Packets built from the inside out, as an encapsulating node would: the
 * frames srbench feeds the data plane and the packets it must send. */
#include <string.h>

#include "srbench.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"
#include "pkt/eth.h"
#include "pkt/l4.h"

uint8_t *pb_push(struct pb *p, uint32_t n)
{
	p->off -= n;
	p->len += n;
	if (p->v4_at >= 0)
		p->v4_at += (int)n;
	return p->b + p->off;
}

const uint8_t *pb_data(const struct pb *p)
{
	return p->b + p->off;
}

void pb_inner(struct pb *p, const struct flow *f, int v4, uint32_t size, uint8_t ttl)
{
	uint8_t *d, *udp;
	uint32_t l4 = size - (v4 ? 20u : 40u);

	p->off = PB_START;
	p->len = size;
	p->v4_at = v4 ? 0 : -1;
	d = p->b + p->off;
	memset(d, 0, size);
	if (v4) {
		be32 s, t;

		d[0] = 0x45;
		wr_be16(d + 2, (uint16_t)size);
		wr_be16(d + 4, f->id);
		wr_be16(d + 6, 0x4000); /* DF */
		d[8] = ttl;
		d[9] = IPPROTO_UDP;
		memcpy(d + 12, f->src4, 4);
		memcpy(d + 16, f->dst4, 4);
		wr_be16(d + 10, csum_fold(csum_partial(d, 20, 0)));
		udp = d + 20;
		wr_be16(udp, f->sport);
		wr_be16(udp + 2, f->dport);
		wr_be16(udp + 4, (uint16_t)l4);
		for (uint32_t k = 8; k < l4; k++)
			udp[k] = (uint8_t)(f->id + k);
		memcpy(&s, f->src4, 4);
		memcpy(&t, f->dst4, 4);
		wr_be16(udp + 6, l4_udp_csum_v4(s, t, udp, l4));
	} else {
		wr_be32(d, 6u << 28 | f->fl);
		wr_be16(d + 4, (uint16_t)l4);
		d[6] = IPPROTO_UDP;
		d[7] = ttl;
		memcpy(d + 8, f->src6, 16);
		memcpy(d + 24, f->dst6, 16);
		udp = d + 40;
		wr_be16(udp, f->sport);
		wr_be16(udp + 2, f->dport);
		wr_be16(udp + 4, (uint16_t)l4);
		for (uint32_t k = 8; k < l4; k++)
			udp[k] = (uint8_t)(f->id + k);
		wr_be16(udp + 6,
			l4_udp_csum_v6((const struct in6_addr *)(const void *)f->src6,
				       (const struct in6_addr *)(const void *)f->dst6, udp, l4));
	}
}

/* SRH with Segment List[i] = path[n - 1 - i] for i <= last_entry. */
void pb_srh(struct pb *p, uint8_t path[][16], int n, int last_entry, int sl, uint8_t nh)
{
	uint8_t *d = pb_push(p, 8u + 16u * (uint32_t)(last_entry + 1));

	d[0] = nh;
	d[1] = (uint8_t)(2 * (last_entry + 1));
	d[2] = 4;
	d[3] = (uint8_t)sl;
	d[4] = (uint8_t)last_entry;
	d[5] = d[6] = d[7] = 0;
	for (int i = 0; i <= last_entry; i++)
		memcpy(d + 8 + 16 * i, path[n - 1 - i], 16);
}

void pb_ip6(struct pb *p, const uint8_t src[16], const uint8_t dst[16], uint8_t nh, uint8_t hlim,
	    uint32_t fl)
{
	uint32_t plen = p->len;
	uint8_t *d = pb_push(p, 40);

	wr_be32(d, 6u << 28 | fl);
	wr_be16(d + 4, (uint16_t)plen);
	d[6] = nh;
	d[7] = hlim;
	memcpy(d + 8, src, 16);
	memcpy(d + 24, dst, 16);
}

void pb_mpls(struct pb *p, const uint32_t *label, const uint8_t *ttl, int n)
{
	uint8_t *d = pb_push(p, 4u * (uint32_t)n);

	for (int i = 0; i < n; i++)
		wr_be32(d + 4 * i, label[i] << 12 | (uint32_t)(i == n - 1) << 8 | ttl[i]);
}

/* NSH MD type 1 (RFC 8300 2.4): 24 bytes, flow hash in the first context word. */
void pb_nsh(struct pb *p, uint32_t spi, uint8_t si, uint8_t ttl, uint8_t np, uint32_t hash)
{
	uint8_t *d = pb_push(p, 24);

	wr_be16(d, (uint16_t)(ttl << 6 | 6));
	d[2] = 1;
	d[3] = np;
	wr_be32(d + 4, spi << 8 | si);
	memset(d + 8, 0, 16);
	wr_be32(d + 8, hash);
}

void pb_eth(struct pb *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	eth_build(pb_push(p, ETH_HLEN), dst, src, type);
}

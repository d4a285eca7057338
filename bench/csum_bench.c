/* csum_bench: cost of completing partial TCP/UDP checksums
 * (pkt/csum_complete.c) in ns per packet, over a buffer of packets, as the
 * AF_XDP rx path runs it on ports where partial checksums can occur.
 *
 * For each kind of frame: "complete" frames hold correct checksums (what a
 * physical NIC delivers: the guess is tested and rejected), "partial" ones
 * the pseudo-header sum (what a veth peer sends: the L4 checksum is
 * computed). A partial field is rewritten before each call; the 2-byte
 * store is part of the figure. Best of several runs; numbers only, nothing
 * is asserted. Usage: csum_bench [rounds [kind]] (kind: one of the frame
 * names below, e.g. "srv6 ipv4 udp"). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkt/csum.h"
#include "pkt/csum_complete.h"
#include "pkt/eth.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/srh.h"

#define N_PKTS	 1024 /* frames per buffer: fits in L2 at 1500 bytes */
#define SLOT	 2048
#define RUNS	 31
#define ROUNDS_D 20

enum kind_l3 { K_V4, K_V6, K_SRV6_V4, K_ARP };

struct kind {
	const char *name;
	enum kind_l3 l3;
	uint8_t proto;
	size_t frame_len;
};

static const struct kind kinds[] = {
	{"ipv4 udp", K_V4, IPPROTO_UDP, 64},
	{"ipv4 tcp", K_V4, IPPROTO_TCP, 1514},
	{"ipv6 udp", K_V6, IPPROTO_UDP, 78},
	{"ipv6 tcp", K_V6, IPPROTO_TCP, 1514},
	{"srv6 ipv4 udp", K_SRV6_V4, IPPROTO_UDP, 256},
	{"arp", K_ARP, 0, 60},
};

struct frames {
	uint8_t *buf; /* N_PKTS slots of SLOT bytes */
	size_t len, field;
	uint16_t partial; /* the field as a sender's offload leaves it */
};

/* Writes the L4 header and payload at l4 (len bytes) with a zero checksum
 * field; returns the field's offset from l4. */
static size_t put_l4(uint8_t *l4, uint8_t proto, size_t len, unsigned seed)
{
	size_t hl = proto == IPPROTO_UDP ? L4_UDP_HLEN : L4_TCP_HLEN_MIN;

	for (size_t i = hl; i < len; i++)
		l4[i] = (uint8_t)(i * 31 + seed);
	memset(l4, 0, hl);
	wr_be16(l4, (uint16_t)(10000 + seed));
	wr_be16(l4 + 2, 80);
	if (proto == IPPROTO_UDP) {
		wr_be16(l4 + 4, (uint16_t)len);
		return offsetof(struct udp_hdr, check);
	}
	l4[12] = 5 << 4;
	l4[13] = L4_TCP_ACK;
	return offsetof(struct tcp_hdr, check);
}

/* Builds one frame of kind k in f; its correct checksum, field offset and
 * partial value. */
static void build(const struct kind *k, uint8_t *f, unsigned seed, struct frames *fr)
{
	static const uint8_t a[6] = {2, 0, 0, 0, 0, 1}, b[6] = {2, 0, 0, 0, 0, 2};
	struct in6_addr s6, d6, segs[3];
	size_t off = ETH_HLEN, l4, l4_len, field;
	be32 s4, d4;
	uint32_t pseudo;
	uint16_t c;

	memset(f, 0, SLOT);
	inet_pton(AF_INET, "192.0.2.1", &s4);
	inet_pton(AF_INET, "198.51.100.2", &d4);
	inet_pton(AF_INET6, "2001:db8::1", &s6);
	inet_pton(AF_INET6, "2001:db8::2", &d6);
	if (k->l3 == K_ARP) {
		eth_build(f, a, b, ETH_P_ARP);
		fr->len = k->frame_len;
		fr->field = 0;
		return;
	}
	eth_build(f, a, b, k->l3 == K_V4 ? ETH_P_IPV4 : ETH_P_IPV6);
	if (k->l3 == K_SRV6_V4) {
		int n;

		inet_pton(AF_INET6, "2001:db8:1::1", &segs[0]);
		inet_pton(AF_INET6, "2001:db8:2::2", &segs[1]);
		inet_pton(AF_INET6, "2001:db8:3::3", &segs[2]);
		n = srh_build(f + off + IPV6_HDR_LEN, SLOT, IPPROTO_IPIP, segs, 3, 0);
		ipv6_build((struct ipv6_hdr *)(f + off), 0, 0,
			   (uint16_t)(k->frame_len - off - IPV6_HDR_LEN), IPPROTO_ROUTING, 64, &s6,
			   &segs[0]);
		off += IPV6_HDR_LEN + (size_t)n;
	}
	if (k->l3 == K_V6) {
		l4 = off + IPV6_HDR_LEN;
		l4_len = k->frame_len - l4;
		ipv6_build((struct ipv6_hdr *)(f + off), 0, 0, (uint16_t)l4_len, k->proto, 64, &s6,
			   &d6);
		pseudo = l4_pseudo_v6(&s6, &d6, k->proto, (uint32_t)l4_len);
	} else {
		l4 = off + IPV4_HDR_LEN;
		l4_len = k->frame_len - l4;
		ipv4_build((struct ipv4_hdr *)(f + off), 0, (uint16_t)(k->frame_len - off), 1, 0,
			   64, k->proto, s4, d4);
		pseudo = l4_pseudo_v4(s4, d4, k->proto, (uint16_t)l4_len);
	}
	field = l4 + put_l4(f + l4, k->proto, l4_len, seed);
	c = csum_fold(csum_partial(f + l4, l4_len, pseudo));
	wr_be16(f + field, c || k->proto != IPPROTO_UDP ? c : 0xffff);
	fr->len = k->frame_len;
	fr->field = field;
	fr->partial = csum_fold_sum(pseudo);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best ns per packet over RUNS runs of rounds passes over the buffer;
 * *fixed gets the completions of the last pass (a sanity figure). */
static double measure(struct frames *fr, int partial, int rounds, unsigned *fixed)
{
	double best = 1e30;

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ns(), dt;
		unsigned n = 0;

		for (int round = 0; round < rounds; round++) {
			n = 0;
			for (size_t i = 0; i < N_PKTS; i++) {
				uint8_t *f = fr->buf + i * SLOT;

				if (partial)
					wr_be16(f + fr->field, fr->partial);
				n += (unsigned)csum_complete_frame(f, fr->len);
			}
		}
		dt = (now_ns() - t0) / ((double)rounds * N_PKTS);
		if (dt < best)
			best = dt;
		*fixed = n;
	}
	return best;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS_D;
	const char *only = argc > 2 ? argv[2] : NULL;
	struct frames fr;

	if (rounds <= 0 || argc > 3) {
		fprintf(stderr, "usage: csum_bench [rounds > 0 [kind]]\n");
		return 2;
	}
	fr.buf = aligned_alloc(64, (size_t)N_PKTS * SLOT);
	if (!fr.buf) {
		fprintf(stderr, "csum_bench: out of memory\n");
		return 1;
	}
	printf("csum_complete_frame, %d packets per pass, best of %d runs of %d passes\n", N_PKTS,
	       RUNS, rounds);
	printf("%-16s %6s %14s %14s\n", "frame", "bytes", "complete ns", "partial ns");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		unsigned fixed_c, fixed_p;
		double c, p;

		if (only && strcmp(kinds[k].name, only))
			continue;
		for (size_t i = 0; i < N_PKTS; i++)
			build(&kinds[k], fr.buf + i * SLOT, (unsigned)i, &fr);
		c = measure(&fr, 0, rounds, &fixed_c);
		if (kinds[k].l3 == K_ARP) {
			printf("%-16s %6zu %14.2f %14s\n", kinds[k].name, fr.len, c, "-");
			continue;
		}
		p = measure(&fr, 1, rounds, &fixed_p);
		printf("%-16s %6zu %14.2f %14.2f\n", kinds[k].name, fr.len, c, p);
		if (fixed_c != 0 || fixed_p != N_PKTS) {
			fprintf(stderr, "csum_bench: %s: %u of complete and %u of partial fixed\n",
				kinds[k].name, fixed_c, fixed_p);
			free(fr.buf);
			return 1;
		}
	}
	free(fr.buf);
	return 0;
}

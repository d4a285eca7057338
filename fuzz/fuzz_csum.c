/* libFuzzer target for checksum completion (pkt/csum_complete.c), on an
 * exact-size copy of the input so that ASan traps any read past its end.
 * Invariants:
 *   - a frame left alone (0) is byte for byte the input; a completed one (1)
 *     differs in one aligned 16-bit word at most;
 *   - completing twice changes nothing: the second pass returns 0;
 *   - a frame whose checksum is correct is never modified: checked with a
 *     reference (pkt/l4.c) on plain Ethernet + IPv4/IPv6 + TCP/UDP frames,
 *     after setting the input's field to its correct value;
 *   - the same frame with the field set to its pseudo-header sum (a partial
 *     checksum) comes out verifying. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkt/csum.h"
#include "pkt/csum_complete.h"
#include "pkt/eth.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INVARIANT(c)                                                                               \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

/* A plain frame as the reference understands it. */
struct ref {
	int ver;
	uint8_t proto;
	size_t l4, len, field;
	be32 s4, d4;
	struct in6_addr s6, d6;
};

/* Untagged Ethernet, IPv4 (not a fragment) or IPv6 without extension
 * headers, then TCP/UDP: 0, else -1 (the reference does not apply). */
static int ref_locate(const uint8_t *f, size_t n, struct ref *r)
{
	struct eth_info e;

	if (eth_parse(f, n, &e) || e.n_tags)
		return -1;
	if (e.type == ETH_P_IPV4) {
		struct ipv4_info v4;

		if (ipv4_parse(f + ETH_HLEN, n - ETH_HLEN, &v4) || v4.is_fragment)
			return -1;
		r->ver = 4;
		r->proto = v4.proto;
		r->l4 = ETH_HLEN + v4.l4_off;
		r->len = v4.total_len - v4.l4_off;
		r->s4 = v4.hdr->saddr;
		r->d4 = v4.hdr->daddr;
	} else if (e.type == ETH_P_IPV6) {
		const struct ipv6_hdr *h = (const void *)(f + ETH_HLEN);

		if (n < ETH_HLEN + IPV6_HDR_LEN || ipv6_version(h) != 6 ||
		    ipv6_payload_len(h) > n - ETH_HLEN - IPV6_HDR_LEN)
			return -1;
		r->ver = 6;
		r->proto = h->nexthdr;
		r->l4 = ETH_HLEN + IPV6_HDR_LEN;
		r->len = ipv6_payload_len(h);
		memcpy(&r->s6, &h->src, sizeof(r->s6));
		memcpy(&r->d6, &h->dst, sizeof(r->d6));
	} else {
		return -1;
	}
	if (r->proto == IPPROTO_UDP && r->len >= L4_UDP_HLEN)
		r->field = r->l4 + offsetof(struct udp_hdr, check);
	else if (r->proto == IPPROTO_TCP && r->len >= L4_TCP_HLEN_MIN)
		r->field = r->l4 + offsetof(struct tcp_hdr, check);
	else
		return -1;
	return 0;
}

static uint16_t ref_csum(const struct ref *r, const uint8_t *f)
{
	return r->ver == 4 ? l4_csum_v4(r->s4, r->d4, r->proto, f + r->l4, r->len)
			   : l4_csum_v6(&r->s6, &r->d6, r->proto, f + r->l4, r->len);
}

static uint32_t ref_pseudo(const struct ref *r)
{
	return r->ver == 4 ? l4_pseudo_v4(r->s4, r->d4, r->proto, (uint16_t)r->len)
			   : l4_pseudo_v6(&r->s6, &r->d6, r->proto, (uint32_t)r->len);
}

/* Completion of a copy of in[0..n); the copy is returned (caller frees). */
static uint8_t *run(const uint8_t *in, size_t n, int *rc)
{
	uint8_t *c = malloc(n ? n : 1), *again;
	int rc2;

	memcpy(c, in, n);
	*rc = csum_complete_frame(c, n);
	INVARIANT(*rc == 0 || *rc == 1);
	if (*rc == 0) {
		INVARIANT(!memcmp(c, in, n));
	} else {
		size_t first = 0;

		while (first < n && c[first] == in[first])
			first++;
		INVARIANT(first < n); /* 1 means the field was rewritten */
		first &= ~(size_t)1;
		for (size_t i = 0; i < n; i++)
			INVARIANT(c[i] == in[i] || (i >= first && i < first + 2));
	}
	again = malloc(n ? n : 1);
	memcpy(again, c, n);
	rc2 = csum_complete_frame(again, n);
	INVARIANT(rc2 == 0 && !memcmp(again, c, n));
	free(again);
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ref r;
	uint8_t *f, *out;
	uint16_t c;
	int rc;

	free(run(data, size, &rc));
	if (ref_locate(data, size, &r))
		return 0;
	f = malloc(size);
	memcpy(f, data, size);
	/* correct checksum in: nothing changes */
	wr_be16(f + r.field, 0);
	c = ref_csum(&r, f);
	if (!c && r.proto == IPPROTO_UDP)
		c = 0xffff;
	wr_be16(f + r.field, c);
	INVARIANT(ref_csum(&r, f) == 0);
	out = run(f, size, &rc);
	INVARIANT(rc == 0);
	free(out);
	/* partial checksum in: verifies out */
	wr_be16(f + r.field, csum_fold_sum(ref_pseudo(&r)));
	out = run(f, size, &rc);
	INVARIANT(ref_csum(&r, out) == 0);
	INVARIANT(rc == 1 || ref_csum(&r, f) == 0);
	free(out);
	free(f);
	return 0;
}

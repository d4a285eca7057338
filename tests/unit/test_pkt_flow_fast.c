/* flow_hash_fast() must give exactly what the general walk gives, or
 * decline: checked on built packets and on many mutations of them. */
#include <string.h>

#include "pkt/byteorder.h"
#include "pkt/flow.h"
#include "pkt/pbuf.h"
#include "test.h"

static uint32_t xs(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static size_t put_ip4(uint8_t *b, uint8_t proto, size_t payload, uint32_t *s)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	wr_be16(b + 2, (uint16_t)(20 + payload));
	b[8] = 64;
	b[9] = proto;
	wr_be32(b + 12, 0xc0000200u | (xs(s) & 0xff));
	wr_be32(b + 16, 0xc6336400u | (xs(s) & 0xff));
	return 20;
}

static size_t put_ip6(uint8_t *b, uint8_t nh, size_t payload, uint32_t *s)
{
	memset(b, 0, 40);
	wr_be32(b, 6u << 28 | (xs(s) & 0xfffff));
	wr_be16(b + 4, (uint16_t)payload);
	b[6] = nh;
	b[7] = 64;
	b[8] = 0x20, b[9] = 0x01, b[10] = 0x0d, b[11] = 0xb8, b[23] = (uint8_t)xs(s);
	b[24] = 0x20, b[25] = 0x01, b[26] = 0x0d, b[27] = 0xb8, b[39] = (uint8_t)xs(s);
	return 40;
}

static size_t put_l4(uint8_t *b, uint32_t *s)
{
	wr_be16(b, (uint16_t)xs(s));
	wr_be16(b + 2, (uint16_t)(xs(s) & 1 ? 4790 : xs(s)));
	memset(b + 4, 0, 16);
	return 20;
}

/* Builds one of the shapes; returns its length and l3 type. */
static size_t build(uint8_t *b, uint32_t *s, int *l3)
{
	uint8_t proto = xs(s) & 1 ? 6 : 17;
	int shape = (int)(xs(s) % 6);
	size_t o = 0;

	*l3 = PKT_L3_IPV6;
	if (shape == 4) { /* MPLS stack of 1..17 */
		int n = 1 + (int)(xs(s) % 17);

		for (int i = 0; i < n; i++, o += 4)
			wr_be32(b + o, (16000u + (uint32_t)i) << 12 | (i == n - 1) << 8 | 64);
		*l3 = PKT_L3_MPLS;
	}
	if (shape == 0 || (shape == 4 && xs(s) & 1)) {
		o += put_ip4(b + o, proto, 20, s);
		if (shape == 0)
			*l3 = PKT_L3_IPV4;
	} else if (shape == 1 || shape == 4) {
		o += put_ip6(b + o, proto, 20, s);
	} else { /* SRv6: 2 with SRH over IPv6, 3 SRH over IPv4, 5 no SRH over IPv6 */
		int inner6 = shape != 3, nseg = 1 + (int)(xs(s) % 4);
		size_t srh = shape == 5 ? 0 : 8 + 16u * (size_t)nseg;
		size_t in_len = (inner6 ? 40 : 20) + 20;

		o += put_ip6(b, shape == 5 ? 41 : 43, srh + in_len, s);
		if (srh) {
			memset(b + o, 0, srh);
			b[o] = inner6 ? 41 : 4;
			b[o + 1] = (uint8_t)(2 * nseg);
			b[o + 2] = 4;
			o += srh;
		}
		o += inner6 ? put_ip6(b + o, proto, 20, s) : put_ip4(b + o, proto, 20, s);
	}
	o += put_l4(b + o, s);
	return o;
}

static int slow(const uint8_t *b, size_t len, int l3, uint32_t *h)
{
	struct flow_key k;

	if (flow_key_from_l3(b, len, l3, &k))
		return -1;
	*h = flow_hash(&k, 0);
	return 0;
}

TEST(flow_hash_fast_equals_general_walk)
{
	uint8_t b[600];
	uint32_t s = 2463534242u, fast_hits = 0;

	for (int i = 0; i < 300000; i++) {
		int l3;
		size_t len = build(b, &s, &l3);
		uint32_t hf, hs;
		int mut = (int)(xs(&s) % 4);

		/* mutate: flip bytes, truncate, or leave as built */
		for (int m = 0; m < mut; m++)
			b[xs(&s) % len] ^= (uint8_t)(1u << (xs(&s) % 8));
		if (xs(&s) % 5 == 0)
			len = xs(&s) % (len + 1);
		if (flow_hash_fast(b, len, l3, &hf))
			continue;
		fast_hits++;
		if (slow(b, len, l3, &hs) || hs != hf) {
			test_fail(__FILE__, __LINE__,
				  "iteration %d: fast path disagrees (l3 %d len %zu)", i, l3, len);
			return;
		}
	}
	CHECK(fast_hits > 100000);
}

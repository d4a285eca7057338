/* Transport checksums with pseudo-headers, and port extraction. */
#include <errno.h>

#include "pkt/csum.h"
#include "pkt/l4.h"

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

uint32_t l4_pseudo_v4(be32 saddr, be32 daddr, uint8_t proto, uint16_t l4_len)
{
	uint32_t sum = csum_partial(&saddr, sizeof(saddr), 0);

	sum = csum_partial(&daddr, sizeof(daddr), sum);
	return sum + proto + l4_len;
}

uint32_t l4_pseudo_v6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nexthdr,
		      uint32_t l4_len)
{
	uint32_t sum = csum_partial(src, sizeof(*src), 0);

	sum = csum_partial(dst, sizeof(*dst), sum);
	/* 32-bit length, three zero bytes and the next header (RFC 8200 8.1). */
	return sum + (l4_len >> 16) + (l4_len & 0xffff) + nexthdr;
}

uint16_t l4_csum_v4(be32 saddr, be32 daddr, uint8_t proto, const void *l4, size_t len)
{
	return csum_fold(csum_partial(l4, len, l4_pseudo_v4(saddr, daddr, proto, (uint16_t)len)));
}

uint16_t l4_csum_v6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nexthdr,
		    const void *l4, size_t len)
{
	return csum_fold(csum_partial(l4, len, l4_pseudo_v6(src, dst, nexthdr, (uint32_t)len)));
}

uint16_t l4_udp_csum_v4(be32 saddr, be32 daddr, const void *udp, size_t len)
{
	uint16_t c = l4_csum_v4(saddr, daddr, IPPROTO_UDP, udp, len);

	return c ? c : 0xffff;
}

uint16_t l4_udp_csum_v6(const struct in6_addr *src, const struct in6_addr *dst, const void *udp,
			size_t len)
{
	uint16_t c = l4_csum_v6(src, dst, IPPROTO_UDP, udp, len);

	return c ? c : 0xffff;
}

uint16_t l4_icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst, const void *icmp6,
		       size_t len)
{
	return l4_csum_v6(src, dst, IPPROTO_ICMPV6, icmp6, len);
}

uint16_t l4_icmp_csum(const void *icmp, size_t len)
{
	return csum_fold(csum_partial(icmp, len, 0));
}

int l4_ports(uint8_t proto, const uint8_t *p, size_t len, uint16_t *sport, uint16_t *dport)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		if (len < 4)
			return -EBADMSG;
		*sport = rd_be16(p);
		*dport = rd_be16(p + 2);
		return 0;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (len < 2)
			return -EBADMSG;
		*sport = p[0];
		*dport = p[1];
		return 0;
	default:
		return -ENOENT;
	}
}

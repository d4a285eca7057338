/* Innermost flow key and flow hash. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "pkt/eth.h"
#include "pkt/flow.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/mpls.h"
#include "pkt/nsh.h"
#include "pkt/pbuf.h"
#include "pkt/vxlan_gpe.h"

_Static_assert(sizeof(struct flow_key) == 40, "flow_key is hashed as five 64-bit words");

/* Stages of the walk: the pkt_l3 values plus an inner Ethernet header. */
enum { FLOW_ETH = PKT_L3_MAX };

/* The next header to look into, relative to the current stage's start. */
struct flow_step {
	size_t off;
	int l3;
};

static int flow_from_ethertype(uint16_t type)
{
	switch (type) {
	case ETH_P_IPV4:
		return PKT_L3_IPV4;
	case ETH_P_IPV6:
		return PKT_L3_IPV6;
	case ETH_P_MPLS_UC:
		return PKT_L3_MPLS;
	case ETH_P_NSH:
		return PKT_L3_NSH;
	default:
		return PKT_L3_NONE;
	}
}

/* NSH and VXLAN-GPE share the Next Protocol numbers 1-5 (RFC 8300 11 and
 * draft-ietf-nvo3-vxlan-gpe). */
static int flow_from_next_proto(uint8_t np)
{
	switch (np) {
	case NSH_NP_IPV4:
		return PKT_L3_IPV4;
	case NSH_NP_IPV6:
		return PKT_L3_IPV6;
	case NSH_NP_ETHERNET:
		return FLOW_ETH;
	case NSH_NP_NSH:
		return PKT_L3_NSH;
	case NSH_NP_MPLS:
		return PKT_L3_MPLS;
	default:
		return PKT_L3_NONE;
	}
}

/* Whether the upper layer of an IP packet is itself a packet to look into:
 * IP in IP (SRv6 encapsulation is IPv6 with or without an SRH over 4 or 41),
 * MPLS or Ethernet in IP, or VXLAN-GPE over UDP. */
static bool flow_tunnel(const uint8_t *l4, size_t len, uint8_t proto, struct flow_step *st)
{
	struct vxlan_gpe_info gpe;

	st->off = 0;
	switch (proto) {
	case IPPROTO_IPIP:
		st->l3 = PKT_L3_IPV4;
		return true;
	case IPPROTO_IPV6:
		st->l3 = PKT_L3_IPV6;
		return true;
	case IPPROTO_MPLS:
		st->l3 = PKT_L3_MPLS;
		return true;
	case IPPROTO_ETHERNET:
		st->l3 = FLOW_ETH;
		return true;
	case IPPROTO_UDP:
		if (len < L4_UDP_HLEN || rd_be16(l4 + 2) != VXLAN_GPE_PORT ||
		    vxlan_gpe_parse(l4 + L4_UDP_HLEN, len - L4_UDP_HLEN, &gpe))
			return false;
		st->off = L4_UDP_HLEN + VXLAN_GPE_HLEN;
		st->l3 = flow_from_next_proto(gpe.next_proto);
		return st->l3 != PKT_L3_NONE;
	default:
		return false;
	}
}

/* The rest of an IP stage, its addresses already in the key: either a tunnel
 * to go through (1) or the ports that complete the key (0). A fragment is
 * never looked through: its later fragments could not follow. */
static int flow_ip(const uint8_t *l4, size_t l4_len, uint8_t proto, bool fragment,
		   struct flow_key *k, struct flow_step *st)
{
	k->proto = proto;
	if (!fragment && flow_tunnel(l4, l4_len, proto, st))
		return 1;
	(void)l4_ports(proto, l4, l4_len, &k->sport, &k->dport);
	return 0;
}

static int flow_ipv4(const uint8_t *p, size_t len, struct flow_key *k, struct flow_step *st)
{
	struct ipv4_info ip;
	int err = ipv4_parse(p, len, &ip);

	if (err)
		return err;
	memset(k, 0, sizeof(*k));
	k->family = FLOW_FAMILY_IPV4;
	memcpy(k->src, &ip.hdr->saddr, 4);
	memcpy(k->dst, &ip.hdr->daddr, 4);
	if (ip.non_first_fragment) {
		k->proto = ip.proto;
		return 0;
	}
	err = flow_ip(p + ip.l4_off, ip.total_len - ip.l4_off, ip.proto, ip.is_fragment, k, st);
	st->off += ip.l4_off;
	return err;
}

static int flow_ipv6(const uint8_t *p, size_t len, struct flow_key *k, struct flow_step *st)
{
	struct ipv6_info ip;
	int err = ipv6_walk(p, len, &ip);

	if (err)
		return err;
	memset(k, 0, sizeof(*k));
	k->family = FLOW_FAMILY_IPV6;
	memcpy(k->src, &ip.hdr->src, 16);
	memcpy(k->dst, &ip.hdr->dst, 16);
	if (ip.non_first_fragment) {
		k->proto = ip.l4_proto;
		return 0;
	}
	err = flow_ip(p + ip.l4_off, IPV6_HDR_LEN + (size_t)ip.payload_len - ip.l4_off, ip.l4_proto,
		      ip.fraghdr_off != 0, k, st);
	st->off += ip.l4_off;
	return err;
}

static int flow_mpls(const uint8_t *p, size_t len, struct flow_step *st)
{
	struct mpls_info m;
	int err = mpls_walk(p, len, &m);

	if (err)
		return err;
	st->off = m.payload_off;
	switch (m.payload) {
	case MPLS_PAYLOAD_IPV4:
		st->l3 = PKT_L3_IPV4;
		return 1;
	case MPLS_PAYLOAD_IPV6:
		st->l3 = PKT_L3_IPV6;
		return 1;
	default:
		return -EPROTONOSUPPORT;
	}
}

static int flow_nsh(const uint8_t *p, size_t len, struct flow_step *st)
{
	struct nsh_info n;
	int err = nsh_parse(p, len, &n);

	if (err)
		return err;
	st->off = n.hdr_len;
	st->l3 = flow_from_next_proto(n.next_proto);
	return st->l3 == PKT_L3_NONE ? -EPROTONOSUPPORT : 1;
}

static int flow_eth(const uint8_t *p, size_t len, struct flow_step *st)
{
	struct eth_info e;
	int err = eth_parse(p, len, &e);

	if (err)
		return err;
	st->off = e.l2_len;
	st->l3 = flow_from_ethertype(e.type);
	return st->l3 == PKT_L3_NONE ? -EPROTONOSUPPORT : 1;
}

int flow_key_from_l3(const uint8_t *p, size_t len, int l3, struct flow_key *out)
{
	memset(out, 0, sizeof(*out));
	for (int level = 0; level <= FLOW_NEST_MAX; level++) {
		struct flow_step st = {0, PKT_L3_NONE};
		int r;

		switch (l3) {
		case PKT_L3_IPV4:
			r = flow_ipv4(p, len, out, &st);
			break;
		case PKT_L3_IPV6:
			r = flow_ipv6(p, len, out, &st);
			break;
		case PKT_L3_MPLS:
			r = flow_mpls(p, len, &st);
			break;
		case PKT_L3_NSH:
			r = flow_nsh(p, len, &st);
			break;
		case FLOW_ETH:
			r = flow_eth(p, len, &st);
			break;
		default:
			return -EPROTONOSUPPORT;
		}
		if (r <= 0)
			return r;
		p += st.off;
		len -= st.off;
		l3 = st.l3;
	}
	return -E2BIG;
}

/* Mixing: each 64-bit word is xored in, multiplied by 2^64/phi (spreads
 * low bits up) and xor-shifted (brings high bits down); the end is
 * finalised with Stafford's "Mix13" (the splitmix64 finaliser), which takes
 * any one-bit input change to about half the output bits. */
#define FLOW_SEED 0x5352636861696e31ull /* "SRchain1" */
#define FLOW_K	  0x9e3779b97f4a7c15ull
#define FLOW_M1	  0xbf58476d1ce4e5b9ull
#define FLOW_M2	  0x94d049bb133111ebull

static inline uint64_t rotl64(uint64_t v, int r)
{
	return v << r | v >> (64 - r);
}

/* The mixing core over the key's five 64-bit words (the struct flow_key
 * layout: src, dst, then sport | dport << 16 | family << 32 | proto << 40
 * in little-endian order). */
static uint32_t flow_mix5(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t w4)
{
	uint64_t h = FLOW_SEED;
	uint32_t r;

	/* five independent multiplies (they overlap in the pipeline instead
	 * of forming a chain), rotated apart, then the full finalizer */
	h ^= (w0 ^ 0x9e3779b97f4a7c15ull) * FLOW_K;
	h ^= rotl64((w1 ^ 0xc2b2ae3d27d4eb4full) * FLOW_M1, 13);
	h ^= rotl64((w2 ^ 0x165667b19e3779f9ull) * FLOW_M2, 27);
	h ^= rotl64((w3 ^ 0xd6e8feb86659fd93ull) * FLOW_K, 41);
	h ^= rotl64((w4 ^ 0xff51afd7ed558ccdull) * FLOW_M1, 53);
	h ^= h >> 30;
	h *= FLOW_M1;
	h ^= h >> 27;
	h *= FLOW_M2;
	h ^= h >> 31;
	r = (uint32_t)(h ^ (h >> 32));
	return r ? r : 1;
}

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t flow_w4(uint16_t sport, uint16_t dport, uint8_t family, uint8_t proto)
{
	return (uint64_t)sport | (uint64_t)dport << 16 | (uint64_t)family << 32 |
	       (uint64_t)proto << 40;
}

uint32_t flow_hash(const struct flow_key *k, int symmetric)
{
	struct flow_key c;

	if (symmetric) {
		int d = memcmp(k->src, k->dst, sizeof(k->src));

		/* Order the endpoints so that both directions give one key. */
		if (d > 0 || (d == 0 && k->sport > k->dport)) {
			c = *k;
			memcpy(c.src, k->dst, sizeof(c.src));
			memcpy(c.dst, k->src, sizeof(c.dst));
			c.sport = k->dport;
			c.dport = k->sport;
			k = &c;
		}
	}
	return flow_mix5(ld64(k->src), ld64(k->src + 8), ld64(k->dst), ld64(k->dst + 8),
			 flow_w4(k->sport, k->dport, k->family, k->proto));
}

/* TCP or UDP (not VXLAN-GPE, which is a tunnel) of an IP packet whose
 * upper layer starts at l4 with l4_len bytes: the fast path's last step. */
static int fast_l4(const uint8_t *l4, size_t l4_len, uint8_t proto, uint16_t *sp, uint16_t *dp)
{
	if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP) || l4_len < 4)
		return -1;
	*sp = rd_be16(l4);
	*dp = rd_be16(l4 + 2);
	if (proto == IPPROTO_UDP && *dp == VXLAN_GPE_PORT)
		return -1;
	return 0;
}

/* Plain IPv4 without options, not fragmented, TCP/UDP. */
static int fast_ipv4(const uint8_t *p, size_t len, uint32_t *hash)
{
	uint16_t tot, sp, dp;

	if (len < 20 || p[0] != 0x45)
		return -1;
	tot = rd_be16(p + 2);
	if (tot > len || tot < 20 || (rd_be16(p + 6) & 0x3fff))
		return -1;
	if (fast_l4(p + 20, tot - 20u, p[9], &sp, &dp))
		return -1;
	*hash = flow_mix5(ld32(p + 12), 0, ld32(p + 16), 0,
			  flow_w4(sp, dp, FLOW_FAMILY_IPV4, p[9]));
	return 0;
}

/* IPv6 with TCP/UDP right after the fixed header; or an SRv6
 * encapsulation (optional SRH, then IPv4/IPv6) of such a packet. */
static int fast_ipv6(const uint8_t *p, size_t len, int depth, uint32_t *hash)
{
	size_t end, off = 40;
	uint8_t nh;
	uint16_t sp, dp;

	if (len < 40 || (p[0] >> 4) != 6)
		return -1;
	end = 40u + rd_be16(p + 4);
	if (end > len)
		return -1;
	nh = p[6];
	if (nh == IPPROTO_ROUTING) {
		if (end < off + 8 || p[off + 2] != 4)
			return -1;
		nh = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
		if (off > end)
			return -1;
	}
	if (!depth && nh == IPPROTO_IPV6)
		return fast_ipv6(p + off, end - off, 1, hash);
	if (!depth && nh == IPPROTO_IPIP)
		return fast_ipv4(p + off, end - off, hash);
	if (fast_l4(p + off, end - off, nh, &sp, &dp))
		return -1;
	*hash = flow_mix5(ld64(p + 8), ld64(p + 16), ld64(p + 24), ld64(p + 32),
			  flow_w4(sp, dp, FLOW_FAMILY_IPV6, nh));
	return 0;
}

int flow_hash_fast(const uint8_t *p, size_t len, int l3, uint32_t *hash)
{
	switch (l3) {
	case PKT_L3_IPV4:
		return fast_ipv4(p, len, hash);
	case PKT_L3_IPV6:
		return fast_ipv6(p, len, 0, hash);
	case PKT_L3_MPLS:
		for (size_t off = 0; off + 4 <= len && off < 4 * MPLS_STACK_MAX; off += 4) {
			if (!(p[off + 2] & 1))
				continue;
			off += 4;
			if (off < len && (p[off] >> 4) == 4)
				return fast_ipv4(p + off, len - off, hash);
			if (off < len && (p[off] >> 4) == 6)
				return fast_ipv6(p + off, len - off, 1, hash);
			return -1;
		}
		return -1;
	default:
		return -1;
	}
}

uint32_t flow_hash_l3(const uint8_t *p, size_t len, int l3, int symmetric)
{
	struct flow_key k;

	(void)flow_key_from_l3(p, len, l3, &k);
	return flow_hash(&k, symmetric);
}

/* libFuzzer target for the packet library: every parser on the raw input,
 * on the L3 payload of the input read as an Ethernet frame, and on the SRH
 * that ipv6_walk finds; flow_key_from_l3 for every l3 type. Invariants the
 * callers rely on (offsets within the buffer, built headers parse back) trap
 * when broken. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkt/csum.h"
#include "pkt/eth.h"
#include "pkt/flow.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/mpls.h"
#include "pkt/nsh.h"
#include "pkt/pbuf.h"
#include "pkt/srh.h"
#include "pkt/vxlan_gpe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INVARIANT(c)                                                                               \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

static const uint8_t fuzz_key[] = "fuzz-hmac-key";

static void fuzz_srh(const uint8_t *p, size_t len, const struct in6_addr *src)
{
	struct srh_info si;

	if (srh_parse(p, len, &si))
		return;
	INVARIANT(si.hdr_len <= len);
	INVARIANT(si.tlv_off + si.tlv_len == si.hdr_len);
	INVARIANT(si.segments + (size_t)si.n_segments * SRH_SEG_LEN == p + si.tlv_off);
	INVARIANT(si.n_tlvs <= SRH_TLV_MAX);
	INVARIANT(!si.hmac_off || si.hmac_off + 8u <= si.hdr_len);
	if (si.hmac_off) {
		(void)srh_hmac_key_id(&si);
		(void)srh_hmac_d_flag(&si);
	}
	(void)srh_hmac_verify(fuzz_key, sizeof(fuzz_key) - 1, src, p, len);
}

static void fuzz_ipv4(const uint8_t *p, size_t len)
{
	struct ipv4_info ip;
	uint8_t hdr[60];

	if (ipv4_parse(p, len, &ip))
		return;
	INVARIANT(ip.hdr_len >= IPV4_HDR_LEN && ip.hdr_len <= ip.total_len && ip.total_len <= len);
	INVARIANT(ip.l4_off == ip.hdr_len);
	(void)ipv4_csum_compute(ip.hdr);
	/* A decremented TTL keeps a valid checksum valid. */
	memcpy(hdr, p, ip.hdr_len);
	if (ipv4_csum_ok((struct ipv4_hdr *)hdr) && ipv4_dec_ttl((struct ipv4_hdr *)hdr) == 0)
		INVARIANT(ipv4_csum_ok((struct ipv4_hdr *)hdr));
}

static void fuzz_ipv6(const uint8_t *p, size_t len)
{
	struct ipv6_info ip;
	struct in6_addr src;
	uint16_t sp, dp;

	if (ipv6_walk(p, len, &ip))
		return;
	INVARIANT(ip.l4_off <= IPV6_HDR_LEN + (size_t)ip.payload_len);
	INVARIANT(IPV6_HDR_LEN + (size_t)ip.payload_len <= len);
	INVARIANT(ip.n_ext <= IPV6_EXT_MAX);
	INVARIANT(!ip.srh_off || ip.srh_off == ip.rh_off);
	memcpy(&src, &ip.hdr->src, sizeof(src));
	if (ip.srh_off)
		fuzz_srh(p + ip.srh_off, IPV6_HDR_LEN + ip.payload_len - ip.srh_off, &src);
	(void)l4_ports(ip.l4_proto, p + ip.l4_off, IPV6_HDR_LEN + ip.payload_len - ip.l4_off, &sp,
		       &dp);
	(void)l4_csum_v6(&src, &src, ip.l4_proto, p + ip.l4_off,
			 IPV6_HDR_LEN + ip.payload_len - ip.l4_off);
}

static void fuzz_mpls(const uint8_t *p, size_t len)
{
	struct mpls_info m;

	if (mpls_walk(p, len, &m))
		return;
	INVARIANT(m.depth >= 1 && m.depth <= MPLS_STACK_MAX);
	INVARIANT(m.payload_off == 4u * m.depth && m.payload_off <= len);
	INVARIANT(m.payload < MPLS_PAYLOAD_MAX);
}

static void fuzz_nsh(const uint8_t *p, size_t len)
{
	struct nsh_info ni;
	uint8_t b[NSH_MD1_LEN];
	int n;

	if (nsh_parse(p, len, &ni))
		return;
	INVARIANT(ni.hdr_len <= len && ni.ctx + ni.ctx_len == p + ni.hdr_len);
	INVARIANT(ni.n_tlvs <= NSH_MD2_TLV_MAX);
	/* What was read builds back into something that parses the same. */
	n = nsh_build(b, sizeof(b), ni.spi, ni.si, ni.ttl, ni.next_proto, ni.md_type, ni.flow_hash);
	if (n > 0) {
		struct nsh_info nb;

		INVARIANT(nsh_parse(b, (size_t)n, &nb) == 0);
		INVARIANT(nb.spi == ni.spi && nb.si == ni.si && nb.ttl == ni.ttl);
		INVARIANT(nb.flow_hash == ni.flow_hash);
	}
}

static void fuzz_flow(const uint8_t *p, size_t len)
{
	for (int l3 = PKT_L3_NONE; l3 <= PKT_L3_MAX; l3++) {
		struct flow_key k;
		uint32_t fast;
		int rc = flow_key_from_l3(p, len, l3, &k);

		INVARIANT(k.pad[0] == 0 && k.pad[1] == 0);
		INVARIANT(flow_hash(&k, 0) != 0 && flow_hash(&k, 1) != 0);
		/* the fast path answers only where the general walk agrees */
		if (flow_hash_fast(p, len, l3, &fast) == 0)
			INVARIANT(rc == 0 && fast == flow_hash(&k, 0));
	}
}

/* Builds an SRH from input bytes and checks that it parses and verifies. */
static void fuzz_srh_build(const uint8_t *p, size_t len)
{
	struct in6_addr path[8], src;
	struct hmac_sha256_key k;
	uint8_t buf[SRH_LEN_MAX];
	struct srh_info si;
	int n, reduced, r;

	if (len < 1 + sizeof(src))
		return;
	n = p[0] & 7;
	reduced = p[0] >> 7;
	memcpy(&src, p + 1, sizeof(src));
	p += 1 + sizeof(src);
	len -= 1 + sizeof(src);
	if (len < (size_t)n * sizeof(path[0]))
		return;
	memcpy(path, p, (size_t)n * sizeof(path[0]));
	hmac_sha256_setkey(&k, fuzz_key, sizeof(fuzz_key) - 1);
	r = srh_build_hmac(buf, sizeof(buf), IPPROTO_NONE, path, n, reduced, &src, &k, 7);
	if (r <= 0) {
		INVARIANT(n == 0 || (n == 1 && reduced));
		return;
	}
	INVARIANT(srh_parse(buf, (size_t)r, &si) == 0 && si.hmac_off && !si.sl_overflow);
	INVARIANT(si.segments_left == n - 1);
	INVARIANT(srh_hmac_verify_k(&k, &src, buf, (size_t)r) == 0);
}

static void fuzz_l3(const uint8_t *p, size_t len)
{
	struct vxlan_gpe_info gi;
	struct in6_addr zero = {0};

	fuzz_ipv4(p, len);
	fuzz_ipv6(p, len);
	fuzz_srh(p, len, &zero);
	fuzz_mpls(p, len);
	fuzz_nsh(p, len);
	(void)vxlan_gpe_parse(p, len, &gi);
	fuzz_flow(p, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eth_info e;

	fuzz_l3(data, size);
	fuzz_srh_build(data, size);
	if (eth_parse(data, size, &e) == 0) {
		INVARIANT(e.l2_len <= size && e.l2_len == ETH_HLEN + ETH_VLAN_HLEN * e.n_tags);
		fuzz_l3(data + e.l2_len, size - e.l2_len);
	}
	return 0;
}

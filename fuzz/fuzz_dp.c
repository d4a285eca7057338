/* libFuzzer target for the whole data plane (src/dp, src/vnf).
 *
 * One node is configured at start-up through the normal path (conf_apply,
 * dp_tables_finish) with every behaviour, encapsulation and function that
 * srchaind has. Each input is a list of frames,
 *
 *   byte 0: bit 7 = end the burst before this frame, bits 0-6 = interface
 *           (modulo the interface count + 1: the last value is an index that
 *           names no interface)
 *   bytes 1-2: frame length, big-endian (cut to what is left)
 *   then the frame, from its Ethernet header
 *
 * sent through dp_process in bursts of at most DP_BURST_MAX frames, with a
 * copy pool of DP_OUT_MAX buffers per burst as in live mode. After every
 * burst the outputs are checked and any broken invariant aborts:
 *
 * - every packet out is an input or a copy handed out in this burst, and
 *   appears once; inputs + copies = tx + host + drop;
 * - the counters moved by as much: rx, tx, host, mirror copies, and the sum
 *   of the drop counters equals the drops, each drop naming a drop reason;
 * - data lies inside its frame; a transmitted packet has our MAC as source,
 *   the ethertype of its L3, fits the interface MTU;
 * - what we transmit parses back with the pkt/ library: an IPv6 packet's
 *   payload length and, when we built or rewrote it, its SRH (and the
 *   destination is the active segment); an MPLS stack ends within the
 *   packet; an NSH header parses; an IPv4 header checksum is valid unless
 *   the same header came in with a bad one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/dp.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"
#include "pkt/eth.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/mpls.h"
#include "pkt/nsh.h"
#include "pkt/srh.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* SIDs 2001:db8:1:ff::N as the golden cases number them (tests/golden). */
static const char node_conf[] =
	"interface eth0 mac 02:00:00:00:00:01 addr 2001:db8:1::1/64 addr 192.0.2.1/26 classify\n"
	"interface eth1 mac 02:00:00:00:01:01 addr 2001:db8:12::1/64 addr 198.51.100.1/26\n"
	"interface eth2 mac 02:00:00:00:02:01 addr 2001:db8:13::1/64 addr 203.0.113.1/26\n"
	"interface eth3 mac 02:00:00:00:03:01\n"
	"interface eth4 mac 02:00:00:00:04:01 mtu 1280 classify addr 2001:db8:14::1/64 "
	"addr 198.51.100.65/26\n"
	"neighbor eth0 2001:db8:1::2 mac 02:00:00:00:00:02\n"
	"neighbor eth0 192.0.2.2 mac 02:00:00:00:00:02\n"
	"neighbor eth1 2001:db8:12::2 mac 02:00:00:00:01:02\n"
	"neighbor eth1 198.51.100.2 mac 02:00:00:00:01:02\n"
	"neighbor eth1 2001:db8:12::3 mac 02:00:00:00:01:03\n"
	"neighbor eth1 198.51.100.3 mac 02:00:00:00:01:03\n"
	"neighbor eth2 2001:db8:13::2 mac 02:00:00:00:02:02\n"
	"neighbor eth2 203.0.113.2 mac 02:00:00:00:02:02\n"
	"neighbor eth4 fe80::1 mac 02:00:00:00:04:02\n"
	"neighbor eth4 198.51.100.66 mac 02:00:00:00:04:02\n"
	"route 2001:db8:2::/48 via 2001:db8:12::2 dev eth1\n"
	"route 2001:db8:3::/48 via 2001:db8:13::2 dev eth2\n"
	"route 2001:db8:100::/48 via 2001:db8:12::2 dev eth1\n"
	"route 2001:db8:200::/48 via 2001:db8:13::2 dev eth2\n"
	"route 203.0.113.128/25 via 198.51.100.2 dev eth1\n"
	"route 198.51.100.128/25 via 203.0.113.2 dev eth2\n"
	"route 2001:db8:4::/48 via fe80::1 dev eth4\n"
	"route 192.0.2.128/25 via 198.51.100.2 dev eth1 weight 1 via 203.0.113.2 dev eth2 "
	"weight 3\n"
	"route 2001:db8:5::1/128 via 2001:db8:12::2 dev eth1 via 2001:db8:13::2 dev eth2\n"
	"route 10.255.0.0/24 via 198.51.100.66 dev eth4\n"
	"route 2001:db8:200::/48 table 10 via 2001:db8:12::3 dev eth1\n"
	"route 198.51.100.128/25 table 20 via 198.51.100.3 dev eth1\n"
	"srv6 source 2001:db8:1::1\n"
	"srv6 hmac key-id 7 secret golden-hmac-key\n"
	"mpls srgb 16000 23999\n"
	"mpls srlb 24000 24999\n"
	/* node SIDs: ours (pop), someone else's (swap), PHP, explicit null
	 * for both families, anycast over ECMP */
	"mpls node-sid 2001:db8:1::1/128 index 1\n"
	"mpls node-sid 192.0.2.1/32 index 7\n"
	"mpls node-sid 2001:db8:2::1/128 index 2\n"
	"mpls node-sid 2001:db8:3::1/128 index 3 php\n"
	"mpls node-sid 203.0.113.200/32 index 4\n"
	"mpls node-sid 198.51.100.200/32 index 5 explicit-null\n"
	"mpls node-sid 2001:db8:3::2/128 index 6 explicit-null\n"
	"mpls node-sid 2001:db8:5::1/128 index 8\n"
	"mpls node-sid 10.255.0.9/32 index 9 php explicit-null\n"
	"mpls label 24001 adjacency via 2001:db8:12::3 dev eth1\n"
	"mpls label 17001 swap 17002 via 2001:db8:13::2 dev eth2\n"
	"function fw firewall default deny\n"
	"function fw rule allow proto udp dport 7053\n"
	"function fw rule deny proto tcp\n"
	"function fw rule allow proto tcp dport 443\n"
	"function fw rule allow family ipv6 src 2001:db8:1::/64 sport 1000-2000\n"
	"function fw rule allow in eth0 proto icmp\n"
	"function fw2 firewall default allow\n"
	"function fw2 rule deny proto udp src 192.0.2.0/24 dport 9\n"
	"function fw2 rule deny dst 2001:db8:100::/48 proto icmpv6\n"
	"function m mirror dev eth3 mac 02:00:00:00:03:02\n"
	"function m4 mirror dev eth4\n"
	"function cnt counter\n"
	"mpls label 17000 pop function fw2\n"
	"mpls label 17003 pop-forward via 198.51.100.2 dev eth1 function m\n"
	"mpls label 17004 swap 16002 via 2001:db8:12::2 dev eth1 function cnt\n"
	"mpls label 17005 pop\n"
	"mpls label 24002 adjacency via 198.51.100.66 dev eth4 function m4\n"
	"sid 2001:db8:1:ff::1 End\n"
	"sid 2001:db8:1:ff::2 End.X nh6 2001:db8:12::3\n"
	"sid 2001:db8:1:ff::3 End.DX6 nh6 2001:db8:12::3\n"
	"sid 2001:db8:1:ff::4 End.DX4 nh4 198.51.100.3\n"
	"sid 2001:db8:1:ff::5 End.DT6 table 10\n"
	"sid 2001:db8:1:ff::6 End.DT4 table 20\n"
	"policy b6 srv6 segs 2001:db8:3::1,2001:db8:3::2\n"
	"sid 2001:db8:1:ff::7 End.B6.Encaps policy b6\n"
	"sid 2001:db8:1:ff::8 End hmac\n"
	"sid 2001:db8:1:ff::9 End\n"
	"sid 2001:db8:1:ff::a End function fw\n"
	"sid 2001:db8:1:ff::b End function m\n"
	"sid 2001:db8:1:ff::c End function cnt\n"
	"sid 2001:db8:1:ff::d End.X nh6 fe80::1 dev eth4 function m4 hmac\n"
	"sid 2001:db8:1:ff::e End.DT4 function cnt\n"
	"sid 2001:db8:1:ff::f End.DT6 function fw2 hmac\n"
	"policy b6red srv6 encaps.red segs 2001:db8:3::5 src 2001:db8:1::9\n"
	"sid 2001:db8:1:ff::10 End.B6.Encaps policy b6red function m\n"
	"sid 2001:db8:1:ff::11 End.DX4 nh4 203.0.113.2 function fw\n"
	"sid 2001:db8:1:ff::12 End.DX6 nh6 2001:db8:13::2 function cnt hmac\n"
	"sid 2001:db8:1:fe::/64 End\n"
	"sid 2001:db8:1:fd::/80 End.DT6\n"
	"policy red srv6 segs 2001:db8:3::1\n"
	"policy p srv6 segs 2001:db8:2::1,2001:db8:3::1,2001:db8:100::1 flowlabel hash\n"
	"policy pr srv6 encaps.red segs 2001:db8:2::1,2001:db8:3::1 flowlabel zero\n"
	"policy ph srv6 segs 2001:db8:2::1,2001:db8:2::2 hmac\n"
	"policy phr srv6 segs 2001:db8:2::1,2001:db8:2::2,2001:db8:2::3 encaps.red hmac\n"
	"policy loop srv6 segs 2001:db8:1:ff::b,2001:db8:1:ff::1,2001:db8:1:ff::10\n"
	"policy m4 mpls labels idx:4\n"
	"policy m6 mpls labels idx:2\n"
	"policy m12 mpls labels idx:2,101,102,103,104,105,106,107,108,109,110,111\n"
	"policy mp mpls labels idx:4,200 ttl pipe\n"
	"policy madj mpls labels 24001,idx:3\n"
	"policy mloc mpls labels 17000,17003,idx:5\n"
	"policy n1 nsh spi 100 si 255 md 1\n"
	"policy n2 nsh spi 101 si 200 md 2\n"
	"policy n3 nsh spi 110\n"
	"policy nv nsh spi 140 md 2\n"
	"policy nl nsh spi 190\n"
	"classify in eth0 proto udp dport 2000 policy ph\n"
	"classify in eth0 proto udp dport 2001 policy phr\n"
	"classify proto udp dport 2002 policy red\n"
	"classify proto udp dport 2003 policy p\n"
	"classify proto udp dport 2004 policy pr\n"
	"classify proto udp dport 2005 policy loop\n"
	"classify proto udp dport 2006 family ipv4 policy m4\n"
	"classify proto udp dport 2006 family ipv6 policy m6\n"
	"classify proto udp dport 2007 policy m12\n"
	"classify proto udp dport 2008 policy mp\n"
	"classify proto udp dport 2009 policy madj\n"
	"classify proto udp dport 2010 policy mloc\n"
	"classify proto udp dport 2011 policy n1\n"
	"classify proto udp dport 2012 policy n2\n"
	"classify proto udp dport 2013 policy n3\n"
	"classify proto udp dport 2014 policy nv\n"
	"classify proto udp dport 2015 policy nl\n"
	"classify proto tcp sport 1024-65535 dport 80 src 192.0.2.0/24 policy p\n"
	"classify proto tcp dport 23 drop\n"
	"classify in eth4 dst 2001:db8:200::/48 policy b6red\n"
	"classify dst 203.0.113.128/25 proto icmp policy n1\n"
	"classify src 198.51.100.0/24 forward\n"
	"classify proto 132 drop\n"
	/* service paths: SFF forward, functions, end, VXLAN-GPE out over
	 * both families, a VXLAN-GPE loop back to ourselves, SI 0 */
	"nsh spi 100 si 255 forward via 198.51.100.2 dev eth1\n"
	"nsh spi 101 si 200 forward via 198.51.100.2 dev eth1\n"
	"nsh spi 110 si 255 function cnt\n"
	"nsh spi 110 si 254 function m\n"
	"nsh spi 110 si 253 function fw2\n"
	"nsh spi 110 si 252 forward via 198.51.100.2 dev eth1\n"
	"nsh spi 120 si 250 end\n"
	"nsh spi 140 si 255 vxlan remote 203.0.113.2 local 203.0.113.1 vni 42\n"
	"nsh spi 141 si 255 vxlan remote 2001:db8:13::2 local 2001:db8:13::1 vni 7\n"
	"nsh spi 150 si 255 end\n"
	"nsh spi 151 si 255 forward via 203.0.113.2 dev eth2\n"
	"nsh spi 160 si 255 forward via 198.51.100.2 dev eth1\n"
	"nsh spi 170 si 0 function cnt\n"
	"nsh spi 180 si 255 forward via 198.51.100.2 dev eth1\n"
	"nsh spi 190 si 255 vxlan remote 192.0.2.1 local 192.0.2.1\n"
	"nsh spi 191 si 255 function m4\n"
	"nsh spi 191 si 254 vxlan remote 2001:db8:14::1 local 2001:db8:14::1 vni 1\n";

#define N_IN   DP_BURST_MAX
#define N_COPY DP_OUT_MAX
#define N_DESC (N_IN + N_COPY)

static struct dp dp;
static const struct dp_tables *tabs;
static uint8_t *frames;
static struct pkt desc[N_DESC];
static uint32_t n_copies_out; /* copies handed out in this burst */
static struct dp_out out;
static uint8_t seen[N_DESC];

/* this burst's input frames, as they came */
static const uint8_t *in_bytes[N_IN];
static uint32_t in_len[N_IN];
static uint32_t n_in;

static struct pkt *copy_get(void *ctx)
{
	(void)ctx;
	if (n_copies_out == N_COPY)
		return NULL;
	return &desc[N_IN + n_copies_out++];
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dp_tables *t = dp_tables_new(1);
	struct err err = {{0}};

	(void)argc;
	(void)argv;
	FUZZ_CHECK(t != NULL);
	if (conf_apply(t, node_conf, sizeof(node_conf) - 1, "fuzz_dp.conf", &err) ||
	    dp_tables_finish(t, &err)) {
		fprintf(stderr, "fuzz_dp: %s\n", err.msg);
		abort();
	}
	FUZZ_CHECK(dp_init(&dp, 1) == 0);
	dp_publish(&dp, t);
	tabs = t;
	frames = aligned_alloc(4096, (size_t)N_DESC * PKT_FRAME_SIZE);
	FUZZ_CHECK(frames != NULL);
	dp.workers[0]->pool.get = copy_get;
	return 0;
}

/* Sum of one's complement 16-bit words of an IPv4 header (0xffff: valid). */
static int ip4_csum_ok(const uint8_t *h, uint32_t ihl)
{
	return csum_fold_sum(csum_partial(h, ihl, 0)) == 0xffff;
}

/* Looks for the IPv4 header h (ihl bytes) in this burst's inputs, TTL and
 * checksum left out of the comparison. Returns a mask: 1 = found with a
 * valid checksum, 2 = found with a bad one, 0 = not found (we built it). */
static int ip4_in_inputs(const uint8_t *h, uint32_t ihl)
{
	int found = 0;

	for (uint32_t i = 0; i < n_in; i++) {
		const uint8_t *b = in_bytes[i];

		for (uint32_t k = 0; k + ihl <= in_len[i]; k++) {
			if (b[k] != h[0] || memcmp(b + k + 1, h + 1, 7) || b[k + 9] != h[9] ||
			    memcmp(b + k + 12, h + 12, ihl - 12))
				continue;
			found |= ip4_csum_ok(b + k, ihl) ? 1 : 2;
		}
	}
	return found;
}

/* Whether the 40-byte IPv6 header h came in unchanged but for its hop
 * limit: then we only routed it and its extension headers are the
 * sender's business. */
static int ip6_in_inputs(const uint8_t *h)
{
	for (uint32_t i = 0; i < n_in; i++) {
		const uint8_t *b = in_bytes[i];

		for (uint32_t k = 0; k + 40 <= in_len[i]; k++)
			if (b[k] == h[0] && !memcmp(b + k + 1, h + 1, 6) &&
			    !memcmp(b + k + 8, h + 8, 32))
				return 1;
	}
	return 0;
}

static void check_ip4(const uint8_t *d, uint32_t len)
{
	uint32_t ihl, tot;
	int found;

	FUZZ_CHECK(len >= 20 && (d[0] >> 4) == 4);
	ihl = (d[0] & 0xfu) * 4u;
	tot = rd_be16(d + 2);
	FUZZ_CHECK(ihl >= 20 && ihl <= len && tot >= ihl && tot <= len);
	/* VXLAN-GPE we built: the UDP length covers the IP payload */
	if (d[9] == 17 && tot >= ihl + 8 && rd_be16(d + ihl + 2) == 4790 && !ip4_in_inputs(d, ihl))
		FUZZ_CHECK(rd_be16(d + ihl + 4) == tot - ihl);
	if (ip4_csum_ok(d, ihl))
		return;
	/* a bad checksum only if that header came in with a bad one */
	found = ip4_in_inputs(d, ihl);
	FUZZ_CHECK(found & 2);
}

static void check_srh(const uint8_t *d, uint32_t len, uint32_t off)
{
	struct srh_info si;

	FUZZ_CHECK(srh_parse(d + off, len - off, &si) == 0);
	FUZZ_CHECK(!si.sl_overflow);
	/* the destination is the active segment, unless the list is reduced
	 * (H.Encaps.Red: Segments Left = Last Entry + 1, DA not in it) */
	if (si.segments_left < si.n_segments)
		FUZZ_CHECK(!memcmp(d + 24, si.segments + 16u * si.segments_left, 16));
}

static void check_ip6(const uint8_t *d, uint32_t len)
{
	struct ipv6_info ii;

	FUZZ_CHECK(len >= 40 && (d[0] >> 4) == 6);
	FUZZ_CHECK(rd_be16(d + 4) + 40u == len);
	if (ip6_in_inputs(d))
		return;
	/* VXLAN-GPE we built: UDP length and checksum (RFC 8200 8.1) */
	if (d[6] == 17 && len >= 48 && rd_be16(d + 42) == 4790) {
		FUZZ_CHECK(rd_be16(d + 44) == len - 40);
		FUZZ_CHECK(l4_csum_v6((const struct in6_addr *)(const void *)(d + 8),
				      (const struct in6_addr *)(const void *)(d + 24), 17, d + 40,
				      len - 40) == 0);
		return;
	}
	/* built or rewritten here (encapsulation, End*): the SRH parses */
	if (d[6] == 43 && len >= 48 && d[42] == 4) {
		check_srh(d, len, 40);
		return;
	}
	if (ipv6_walk(d, len, &ii) == 0 && ii.srh_off)
		check_srh(d, len, ii.srh_off);
}

static void check_tx(const struct pkt *p)
{
	const struct dp_if *oif;
	const uint8_t *d = pkt_data(p), *l3;
	uint32_t len, type;
	struct mpls_info mi;
	struct nsh_info ni;

	FUZZ_CHECK(p->out_if < tabs->n_if);
	oif = &tabs->ifs[p->out_if];
	FUZZ_CHECK(p->len >= 14 && p->len - 14 <= oif->mtu);
	FUZZ_CHECK(!memcmp(d + 6, oif->mac, 6));
	type = rd_be16(d + 12);
	l3 = d + 14;
	len = p->len - 14;
	switch (p->l3) {
	case PKT_L3_IPV4:
		FUZZ_CHECK(type == ETH_P_IPV4);
		check_ip4(l3, len);
		break;
	case PKT_L3_IPV6:
		FUZZ_CHECK(type == ETH_P_IPV6);
		check_ip6(l3, len);
		break;
	case PKT_L3_MPLS:
		FUZZ_CHECK(type == ETH_P_MPLS_UC);
		FUZZ_CHECK(mpls_walk(l3, len, &mi) == 0);
		FUZZ_CHECK(mi.depth >= 1 && mi.payload_off <= len);
		break;
	case PKT_L3_NSH:
		FUZZ_CHECK(type == ETH_P_NSH);
		FUZZ_CHECK(nsh_parse(l3, len, &ni) == 0);
		break;
	default:
		FUZZ_CHECK(0);
	}
}

/* A drop counter: every counter that is not a tally of good work. */
static int is_drop_ctr(uint32_t c)
{
	return c < DP_CTR_MAX && c != DP_CTR_RX && c != DP_CTR_TX && c != DP_CTR_HOST &&
	       c != DP_CTR_MIRROR_TX && c != DP_CTR_POOL_EMPTY && c != DP_CTR_SRV6_ICMP_SENT;
}

static uint64_t drops_total(const uint64_t *ctr)
{
	uint64_t s = 0;

	for (uint32_t c = 0; c < DP_CTR_MAX; c++)
		if (is_drop_ctr(c))
			s += ctr[c];
	return s;
}

static uint64_t tx_stat_total(void)
{
	uint64_t s = 0, pk, by;

	for (uint32_t i = 0; i < tabs->n_if; i++) {
		dp_stat_sum(&dp, tabs->ifs[i].stat_tx, &pk, &by);
		s += pk;
	}
	return s;
}

static void run_burst(void)
{
	struct dp_worker *w = dp.workers[0];
	struct pkt *burst[N_IN];
	uint64_t before[DP_CTR_MAX], drops0, stx0, total = 0;

	if (!n_in)
		return;
	for (uint32_t i = 0; i < n_in; i++)
		burst[i] = &desc[i];
	memcpy(before, w->ctr, sizeof(before));
	drops0 = drops_total(w->ctr);
	stx0 = tx_stat_total();
	/* copy buffers hold whatever the last burst left: here an empty
	 * packet at the frame's end, which no check accepts if it goes out
	 * without being written */
	for (uint32_t i = N_IN; i < N_DESC; i++) {
		desc[i].off = PKT_FRAME_SIZE;
		desc[i].len = 0;
	}
	n_copies_out = 0;
	dp_process(w, burst, n_in, &out);

	memset(seen, 0, sizeof(seen));
	for (uint32_t k = 0; k < 3; k++) {
		FUZZ_CHECK(out.n[k] <= DP_OUT_MAX);
		total += out.n[k];
		for (uint32_t i = 0; i < out.n[k]; i++) {
			const struct pkt *p = out.v[k][i];
			size_t idx = (size_t)(p - desc);

			/* an input or a copy of this burst, once */
			FUZZ_CHECK(p >= desc && idx < N_DESC);
			FUZZ_CHECK(idx < n_in || (idx >= N_IN && idx < N_IN + n_copies_out));
			FUZZ_CHECK(!seen[idx]);
			seen[idx] = 1;
			FUZZ_CHECK(p->frame == frames + idx * PKT_FRAME_SIZE);
			FUZZ_CHECK(p->off <= PKT_FRAME_SIZE && p->len <= PKT_FRAME_SIZE - p->off);
			if (k == DP_OUT_TX)
				check_tx(p);
			else if (k == DP_OUT_DROP)
				FUZZ_CHECK(is_drop_ctr(p->ref));
			else
				FUZZ_CHECK(p->l2_len == 0);
		}
	}
	/* packets in (and copies made) = packets out */
	FUZZ_CHECK(total == n_in + n_copies_out);
	FUZZ_CHECK(w->ctr[DP_CTR_RX] - before[DP_CTR_RX] == n_in);
	FUZZ_CHECK(w->ctr[DP_CTR_TX] - before[DP_CTR_TX] == out.n[DP_OUT_TX]);
	FUZZ_CHECK(w->ctr[DP_CTR_HOST] - before[DP_CTR_HOST] == out.n[DP_OUT_HOST]);
	FUZZ_CHECK(drops_total(w->ctr) - drops0 == out.n[DP_OUT_DROP]);
	FUZZ_CHECK(w->ctr[DP_CTR_MIRROR_TX] - before[DP_CTR_MIRROR_TX] == n_copies_out);
	FUZZ_CHECK(tx_stat_total() - stx0 == out.n[DP_OUT_TX]);
	n_in = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t n_if = tabs->n_if;
	size_t pos = 0;

	/* descriptors start alike for every input: a crash reproduces */
	for (uint32_t i = 0; i < N_DESC; i++)
		desc[i] = (struct pkt){.frame = frames + (size_t)i * PKT_FRAME_SIZE, .addr = i};
	n_in = 0;
	while (pos + 3 <= size) {
		uint8_t ctl = data[pos];
		uint32_t len = rd_be16(data + pos + 1);
		struct pkt *p;

		pos += 3;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		if (len > PKT_MAX_LEN)
			len = PKT_MAX_LEN;
		if ((ctl & 0x80) || n_in == N_IN)
			run_burst();
		p = &desc[n_in];
		pkt_set(p, data + pos, len);
		p->in_if = (uint16_t)((ctl & 0x7f) % (n_if + 1));
		p->ts = n_in;
		in_bytes[n_in] = data + pos;
		in_len[n_in] = len;
		n_in++;
		pos += len;
	}
	run_burst();
	return 0;
}

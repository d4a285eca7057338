/* Input validation through the whole data plane (dp_process_l3): packets a
 * SID behaviour refuses (SRH malformed, Segments Left out of range, hop
 * limit 1, HMAC wrong/missing/unknown under each mode) are dropped before
 * the SID's function sees them, so firewall and mirror counters do not
 * move; IPv4 header checksum and martian / link-local sources are counted
 * drops, also after decapsulation; the classifier matches the packet as
 * received unless a rule says 'inner'. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/dp.h"
#include "dp/tables.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/srh.h"
#include "test.h"

#define NODE                                                                                       \
	"interface eth0 mac 02:00:00:00:00:01 addr 2001:db8::1/64 addr 192.0.2.1/24\n"             \
	"interface eth1 mac 02:00:00:00:00:02 addr 2001:db8:1::1/64 addr 198.51.100.1/24\n"        \
	"neighbor eth1 2001:db8:1::2 mac 02:00:00:00:00:b2\n"                                      \
	"neighbor eth1 198.51.100.2 mac 02:00:00:00:00:b2\n"                                       \
	"route 2001:db8:9::/48 via 2001:db8:1::2 dev eth1\n"                                       \
	"route 203.0.113.0/24 via 198.51.100.2 dev eth1\n"                                         \
	"srv6 source 2001:db8::1\n"                                                                \
	"srv6 hmac key-id 9 secret k\n"

struct env {
	struct dp dp;
	struct dp_tables *t;
	struct pkt p, copy;
	int copy_used;
	uint8_t frame[PKT_FRAME_SIZE], copy_frame[PKT_FRAME_SIZE];
	struct dp_out out;
};

static struct pkt *env_pool_get(void *ctx)
{
	struct env *e = ctx;

	if (e->copy_used)
		return NULL;
	e->copy_used = 1;
	memset(&e->copy, 0, sizeof(e->copy));
	e->copy.frame = e->copy_frame;
	e->copy.off = PKT_HEADROOM;
	return &e->copy;
}

static struct env *env_new(const char *text)
{
	struct env *e = calloc(1, sizeof(*e));
	struct err err;

	if (!e || dp_init(&e->dp, 1))
		abort();
	e->t = dp_tables_new(1);
	if (!e->t)
		abort();
	if (conf_apply(e->t, text, strlen(text), "node.conf", &err) ||
	    dp_tables_finish(e->t, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		abort();
	}
	dp_publish(&e->dp, e->t);
	e->dp.workers[0]->pool.get = env_pool_get;
	e->dp.workers[0]->pool.ctx = e;
	return e;
}

static void env_free(struct env *e)
{
	dp_fini(&e->dp);
	free(e);
}

static uint64_t ctr(const struct env *e, enum dp_ctr c)
{
	return dp_ctr_sum(&e->dp, c);
}

/* Packets counted in the stat slot whose name starts with prefix. */
static uint64_t stat(const struct env *e, const char *prefix)
{
	uint64_t pk, by;

	for (uint32_t i = 0; i < e->t->n_stat; i++)
		if (!strncmp(e->t->stat_name[i], prefix, strlen(prefix))) {
			dp_stat_sum(&e->dp, i, &pk, &by);
			return pk;
		}
	test_fail(__FILE__, __LINE__, "no stat slot '%s'", prefix);
	return 0;
}

/* Runs the env's packet; returns the output it went to (DP_OUT_*). */
static int run(struct env *e)
{
	struct pkt *pp = &e->p;

	e->copy_used = 0;
	dp_process_l3(e->dp.workers[0], &pp, 1, &e->out);
	for (int o = 0; o < 3; o++)
		for (uint32_t i = 0; i < e->out.n[o]; i++)
			if (e->out.v[o][i] == pp)
				return o;
	return -1;
}

static void in6(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
}

enum { NO_HMAC, GOOD_HMAC, BAD_HMAC, UNKNOWN_KEY };

/* IPv6 (src, dst = path[n - 1 - sl], hop limit) [+ SRH over path[0..n)
 * with Segments Left sl and an HMAC TLV] + IPv6/UDP from isrc. */
static void pkt6(struct env *e, const char *src, const char *const *path, int n, int sl, int hlim,
		 int hmac, const char *isrc)
{
	uint8_t *d = e->frame + PKT_HEADROOM;
	struct in6_addr s, segs[4], da, is, idst;
	uint32_t len = IPV6_HDR_LEN;

	memset(e->frame, 0, sizeof(e->frame));
	memset(&e->p, 0, sizeof(e->p));
	in6(src, &s);
	in6(isrc, &is);
	in6("2001:db8:9::5", &idst);
	for (int i = 0; i < n; i++)
		in6(path[i], &segs[i]);
	da = segs[n - 1 - sl < 0 ? 0 : n - 1 - sl];
	if (hmac == NO_HMAC) {
		len += (uint32_t)srh_build(d + len, 512, IPPROTO_IPV6, segs, n, 0);
	} else {
		struct hmac_sha256_key k;

		hmac_sha256_setkey(&k, (const uint8_t *)"k", 1);
		len += (uint32_t)srh_build_hmac(d + len, 512, IPPROTO_IPV6, segs, n, 0, &s, &k,
						hmac == UNKNOWN_KEY ? 10 : 9);
		if (hmac == BAD_HMAC)
			d[len - 1] ^= 1;
	}
	srh_hdr_at(d + IPV6_HDR_LEN)->segments_left = (uint8_t)sl;
	ipv6_build(ipv6_hdr_at(d + len), 0, 0, 8, IPPROTO_UDP, 64, &is, &idst);
	len += IPV6_HDR_LEN + 8;
	ipv6_build(ipv6_hdr_at(d), 0, 0, (uint16_t)(len - IPV6_HDR_LEN), IPPROTO_ROUTING,
		   (uint8_t)hlim, &s, &da);
	e->p.frame = e->frame;
	e->p.off = PKT_HEADROOM;
	e->p.len = len;
	e->p.l3 = PKT_L3_IPV6;
}

/* Sends the packet and checks it was dropped for `why` with no function
 * counter moving. */
static void dropped_first(struct env *e, int line, enum dp_ctr why)
{
	uint64_t before = ctr(e, why), fw = stat(e, "function fw default"),
		 mir = ctr(e, DP_CTR_MIRROR_TX);
	int o = run(e);

	if (o != DP_OUT_DROP || ctr(e, why) != before + 1)
		test_fail(__FILE__, line, "output %d, %s %llu -> %llu", o, dp_ctr_name(why),
			  (unsigned long long)before, (unsigned long long)ctr(e, why));
	if (stat(e, "function fw default") != fw || ctr(e, DP_CTR_MIRROR_TX) != mir)
		test_fail(__FILE__, line, "a function saw a packet dropped for %s",
			  dp_ctr_name(why));
}

#define DROPPED(e, why) dropped_first((e), __LINE__, (why))

TEST(validate_before_function)
{
	struct env *e = env_new(NODE "function fw firewall default allow\n"
				     "function mir mirror dev eth1 mac 02:00:00:00:00:c1\n"
				     "sid 2001:db8:f::1 End function fw\n"
				     "sid 2001:db8:f::2 End function mir\n"
				     "sid 2001:db8:f::3 End.X nh6 2001:db8:1::2 function fw\n"
				     "sid 2001:db8:f::4 End.DT6 function fw\n");
	static const char *const fw[] = {"2001:db8:f::1", "2001:db8:9::5"};
	static const char *const mir[] = {"2001:db8:f::2", "2001:db8:9::5"};
	static const char *const endx[] = {"2001:db8:f::3", "2001:db8:9::5"};
	static const char *const dt6[] = {"2001:db8:f::4", "2001:db8:f::1"};
	const char *src = "2001:db8::5";

	/* controls: a good packet reaches both functions and is forwarded */
	pkt6(e, src, fw, 2, 1, 64, NO_HMAC, src);
	CHECK_EQ(run(e), DP_OUT_TX);
	CHECK_EQ(stat(e, "function fw default"), 1);
	pkt6(e, src, mir, 2, 1, 64, NO_HMAC, src);
	CHECK_EQ(run(e), DP_OUT_TX);
	CHECK_EQ(ctr(e, DP_CTR_MIRROR_TX), 1);

	for (int f = 0; f < 2; f++) {
		const char *const *path = f ? mir : fw;

		pkt6(e, src, path, 2, 3, 64, NO_HMAC, src); /* SL > Last Entry + 1 */
		DROPPED(e, DP_CTR_SRV6_SL_INVALID);
		pkt6(e, src, path, 2, 1, 64, NO_HMAC, src); /* truncated SRH */
		e->p.frame[PKT_HEADROOM + IPV6_HDR_LEN + 1] = 200;
		DROPPED(e, DP_CTR_SRV6_SRH_MALFORMED);
		pkt6(e, src, path, 2, 1, 1, NO_HMAC, src); /* hop limit 1, next hop off node */
		DROPPED(e, DP_CTR_IP6_HLIM_EXPIRED);
		pkt6(e, src, path, 2, 1, 64, BAD_HMAC, src); /* verify is the default */
		DROPPED(e, DP_CTR_SRV6_HMAC_FAIL);
		pkt6(e, src, path, 2, 1, 64, UNKNOWN_KEY, src);
		DROPPED(e, DP_CTR_SRV6_HMAC_KEY_UNKNOWN);
	}
	/* SL 0 at End, hop limit 1 at End.X, SL 1 at End.DT6 */
	pkt6(e, src, (const char *const[]){"2001:db8:f::1"}, 1, 0, 64, NO_HMAC, src);
	DROPPED(e, DP_CTR_SRV6_SL_ZERO);
	pkt6(e, src, endx, 2, 1, 1, NO_HMAC, src);
	DROPPED(e, DP_CTR_IP6_HLIM_EXPIRED);
	pkt6(e, src, dt6, 2, 1, 64, NO_HMAC, src);
	DROPPED(e, DP_CTR_SRV6_SL_NONZERO);
	/* hop limit 1 with a local next segment stays on the node: End fw,
	 * then End.DT6 (fw again) decapsulates and routes the inner packet */
	{
		uint64_t fw0 = stat(e, "function fw default");

		pkt6(e, src, (const char *const[]){"2001:db8:f::1", "2001:db8:f::4"}, 2, 1, 1,
		     NO_HMAC, src);
		CHECK_EQ(run(e), DP_OUT_TX);
		CHECK_EQ(stat(e, "function fw default"), fw0 + 2);
	}
	env_free(e);
}

TEST(validate_hmac_modes)
{
	struct env *e = env_new(NODE "srv6 hmac key-id 10 secret k\n"
				     "sid 2001:db8:f::1 End\n"
				     "sid 2001:db8:f::2 End hmac require\n"
				     "sid 2001:db8:f::3 End hmac ignore\n"
				     "sid 2001:db8:f::4 End hmac verify\n");
	static const char *const sids[] = {"2001:db8:f::1", "2001:db8:f::2", "2001:db8:f::3",
					   "2001:db8:f::4"};
	/* outputs for no, good, bad HMAC per SID: default (verify), require,
	 * ignore, verify; key 10 exists too, so "unknown" is a second key */
	static const int want[4][3] = {
		{DP_OUT_TX, DP_OUT_TX, DP_OUT_DROP},
		{DP_OUT_DROP, DP_OUT_TX, DP_OUT_DROP},
		{DP_OUT_TX, DP_OUT_TX, DP_OUT_TX},
		{DP_OUT_TX, DP_OUT_TX, DP_OUT_DROP},
	};

	for (int s = 0; s < 4; s++)
		for (int h = 0; h < 3; h++) {
			pkt6(e, "2001:db8::5", (const char *const[]){sids[s], "2001:db8:9::5"}, 2,
			     1, 64, h, "2001:db8::5");
			if (run(e) != want[s][h])
				test_fail(__FILE__, __LINE__, "SID %s HMAC %d: not %s", sids[s], h,
					  want[s][h] == DP_OUT_TX ? "forwarded" : "dropped");
		}
	/* key 10 (same secret) verifies: several keys by key ID */
	pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::2", "2001:db8:9::5"}, 2, 1, 64,
	     UNKNOWN_KEY, "2001:db8::5");
	CHECK_EQ(run(e), DP_OUT_TX);
	CHECK_EQ(ctr(e, DP_CTR_SRV6_HMAC_MISSING), 1);
	CHECK_EQ(ctr(e, DP_CTR_SRV6_HMAC_FAIL), 3);
	/* the digest covers the source address: another source fails */
	pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::2", "2001:db8:9::5"}, 2, 1, 64,
	     GOOD_HMAC, "2001:db8::5");
	e->p.frame[PKT_HEADROOM + 8 + 15] ^= 2;
	CHECK_EQ(run(e), DP_OUT_DROP);
	CHECK_EQ(ctr(e, DP_CTR_SRV6_HMAC_FAIL), 4);
	env_free(e);
}

TEST(validate_hmac_interface_and_node_modes)
{
	struct env *e = env_new(NODE "srv6 hmac mode ignore\n"
				     "srv6 hmac mode require dev eth1\n"
				     "sid 2001:db8:f::1 End\n"
				     "sid 2001:db8:f::2 End hmac verify\n");

	/* node: ignore; a wrong HMAC passes on eth0 */
	pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::1", "2001:db8:9::5"}, 2, 1, 64,
	     BAD_HMAC, "2001:db8::5");
	CHECK_EQ(run(e), DP_OUT_TX);
	/* eth1: require; no HMAC is dropped there */
	pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::1", "2001:db8:9::5"}, 2, 1, 64,
	     NO_HMAC, "2001:db8::5");
	e->p.in_if = 1;
	CHECK_EQ(run(e), DP_OUT_DROP);
	CHECK_EQ(ctr(e, DP_CTR_SRV6_HMAC_MISSING), 1);
	/* the SID's own mode wins over the interface's */
	pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::2", "2001:db8:9::5"}, 2, 1, 64,
	     NO_HMAC, "2001:db8::5");
	e->p.in_if = 1;
	CHECK_EQ(run(e), DP_OUT_TX);
	env_free(e);
}

TEST(validate_hmac_hflag_policy)
{
	struct env *e = env_new(NODE "interface eth2 mac 02:00:00:00:00:03 classify\n"
				     "policy ph srv6 segs 2001:db8:9::1,2001:db8:9::2 hmac hflag\n"
				     "classify proto udp policy ph\n");
	uint8_t *d = e->frame + PKT_HEADROOM;
	struct hmac_sha256_key k;
	struct in6_addr s, t;

	in6("2001:db8:5::5", &s);
	in6("2001:db8:9::7", &t);
	memset(&e->p, 0, sizeof(e->p));
	ipv6_build(ipv6_hdr_at(d), 0, 0, 8, IPPROTO_UDP, 64, &s, &t);
	e->p.frame = e->frame;
	e->p.off = PKT_HEADROOM;
	e->p.len = IPV6_HDR_LEN + 8;
	e->p.l3 = PKT_L3_IPV6;
	e->p.in_if = 2;
	CHECK_EQ(run(e), DP_OUT_TX);
	d = pkt_data(&e->p) + 14;
	CHECK_EQ(d[IPV6_HDR_LEN + 5], SRH_FLAG_H);
	CHECK_EQ(d[IPV6_HDR_LEN + 2 * 16 + 8], SRH_TLV_HMAC);
	/* the digest covers the flag as sent: it verifies, and fails with
	 * the flag cleared */
	in6("2001:db8::1", &s);
	hmac_sha256_setkey(&k, (const uint8_t *)"k", 1);
	CHECK_EQ(srh_hmac_verify_k(&k, &s, d + IPV6_HDR_LEN, 2 * 16 + 8 + SRH_HMAC_TLV_LEN), 0);
	d[IPV6_HDR_LEN + 5] = 0;
	CHECK(srh_hmac_verify_k(&k, &s, d + IPV6_HDR_LEN, 2 * 16 + 8 + SRH_HMAC_TLV_LEN) != 0);
	env_free(e);
}

/* IPv6 packet src -> 2001:db8:9::5 (routed) with UDP. */
static void plain6(struct env *e, const char *src)
{
	struct in6_addr s, d;

	memset(&e->p, 0, sizeof(e->p));
	in6(src, &s);
	in6("2001:db8:9::5", &d);
	ipv6_build(ipv6_hdr_at(e->frame + PKT_HEADROOM), 0, 0, 8, IPPROTO_UDP, 64, &s, &d);
	e->p.frame = e->frame;
	e->p.off = PKT_HEADROOM;
	e->p.len = IPV6_HDR_LEN + 8;
	e->p.l3 = PKT_L3_IPV6;
}

static void plain4(struct env *e, uint32_t src)
{
	memset(&e->p, 0, sizeof(e->p));
	ipv4_build(ipv4_hdr_at(e->frame + PKT_HEADROOM), 0, 28, 1, 0, 64, IPPROTO_UDP,
		   h_to_be32(src), h_to_be32(0xcb007105)); /* 203.0.113.5 */
	e->p.frame = e->frame;
	e->p.off = PKT_HEADROOM;
	e->p.len = 28;
	e->p.l3 = PKT_L3_IPV4;
}

TEST(validate_sources_and_ipv4_header)
{
	struct env *e = env_new(NODE "sid 2001:db8:f::4 End.DT6\n");
	static const struct {
		const char *src;
		enum dp_ctr why;
	} bad6[] = {
		{"fe80::1", DP_CTR_IP6_SRC_LINKLOCAL}, {"febf::1", DP_CTR_IP6_SRC_LINKLOCAL},
		{"::1", DP_CTR_IP6_SRC_LOOPBACK},      {"::", DP_CTR_IP6_SRC_UNSPEC},
		{"ff02::1", DP_CTR_IP6_SRC_MULTICAST},
	};
	static const struct {
		uint32_t src;
		enum dp_ctr why;
	} bad4[] = {
		{0x00000001, DP_CTR_IP4_SRC_THISNET},	{0x7f000001, DP_CTR_IP4_SRC_LOOPBACK},
		{0xe0000001, DP_CTR_IP4_SRC_MULTICAST}, {0xefffffff, DP_CTR_IP4_SRC_MULTICAST},
		{0xffffffff, DP_CTR_IP4_SRC_BROADCAST},
	};

	plain6(e, "fec0::1"); /* site-local, deprecated but not link-local */
	CHECK_EQ(run(e), DP_OUT_TX);
	plain6(e, "::2");
	CHECK_EQ(run(e), DP_OUT_TX);
	for (size_t i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++) {
		plain6(e, bad6[i].src);
		CHECK_EQ(run(e), DP_OUT_DROP);
		/* the same source inside an SRv6 packet, after End.DT6 */
		pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::4"}, 1, 0, 64, NO_HMAC,
		     bad6[i].src);
		CHECK_EQ(run(e), DP_OUT_DROP);
		CHECK_EQ(ctr(e, bad6[i].why), i == 1 ? 4 : 2);
	}
	pkt6(e, "2001:db8::5", (const char *const[]){"2001:db8:f::4"}, 1, 0, 64, NO_HMAC,
	     "2001:db8::7");
	CHECK_EQ(run(e), DP_OUT_TX);

	plain4(e, 0xc0000205);
	CHECK_EQ(run(e), DP_OUT_TX);
	plain4(e, 0xdfffffff); /* 223.255.255.255: unicast */
	CHECK_EQ(run(e), DP_OUT_TX);
	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		plain4(e, bad4[i].src);
		CHECK_EQ(run(e), DP_OUT_DROP);
	}
	CHECK_EQ(ctr(e, DP_CTR_IP4_SRC_MULTICAST), 2);
	CHECK_EQ(ctr(e, DP_CTR_IP4_SRC_BROADCAST), 1);
	/* header checksum off by one bit */
	plain4(e, 0xc0000205);
	e->frame[PKT_HEADROOM + 11] ^= 1;
	CHECK_EQ(run(e), DP_OUT_DROP);
	CHECK_EQ(ctr(e, DP_CTR_IP4_BAD_CSUM), 1);
	/* IHL 4, total length past the frame, total length below IHL * 4 */
	plain4(e, 0xc0000205);
	e->frame[PKT_HEADROOM] = 0x44;
	CHECK_EQ(run(e), DP_OUT_DROP);
	plain4(e, 0xc0000205);
	e->p.len = 27;
	CHECK_EQ(run(e), DP_OUT_DROP);
	plain4(e, 0xc0000205);
	e->frame[PKT_HEADROOM + 3] = 19;
	CHECK_EQ(run(e), DP_OUT_DROP);
	CHECK_EQ(ctr(e, DP_CTR_IP4_MALFORMED), 3);
	CHECK_EQ(ctr(e, DP_CTR_IP4_BAD_CSUM), 1);
	env_free(e);
}

/* IPv6 in IPv6: outer src -> odst, inner -> idst, UDP. */
static void ip6ip6(struct env *e, const char *odst, const char *idst)
{
	uint8_t *d = e->frame + PKT_HEADROOM;
	struct in6_addr s, o, i;

	memset(&e->p, 0, sizeof(e->p));
	in6("2001:db8:5::5", &s);
	in6(odst, &o);
	in6(idst, &i);
	ipv6_build(ipv6_hdr_at(d + IPV6_HDR_LEN), 0, 0, 8, IPPROTO_UDP, 64, &s, &i);
	ipv6_build(ipv6_hdr_at(d), 0, 0, IPV6_HDR_LEN + 8, IPPROTO_IPV6, 64, &s, &o);
	e->p.frame = e->frame;
	e->p.off = PKT_HEADROOM;
	e->p.len = 2 * IPV6_HDR_LEN + 8;
	e->p.l3 = PKT_L3_IPV6;
	e->p.in_if = 2;
}

TEST(validate_classifier_outer_or_inner)
{
	struct env *e = env_new(NODE "interface eth2 mac 02:00:00:00:00:03 classify\n"
				     "policy pa srv6 segs 2001:db8:9::a\n"
				     "policy pb srv6 segs 2001:db8:9::b\n"
				     "policy pc srv6 segs 2001:db8:9::c\n"
				     "classify dst 2001:db8:9::/48 policy pa\n"
				     "classify inner dst 2001:db8:7::/48 policy pb\n"
				     "classify inner proto udp dport 1-100 policy pc\n"
				     "classify default drop\n");

	/* outer 9::5 / inner 7::5: the received header wins (rule 1) */
	ip6ip6(e, "2001:db8:9::5", "2001:db8:7::5");
	CHECK_EQ(run(e), DP_OUT_TX);
	CHECK_EQ(stat(e, "policy pa"), 1);
	/* outer 8::5 matches no outer rule; inner 7::5 matches rule 2 */
	ip6ip6(e, "2001:db8:8::5", "2001:db8:7::5");
	CHECK_EQ(run(e), DP_OUT_TX);
	CHECK_EQ(stat(e, "policy pb"), 1);
	/* outer 7::5 over inner 8::5: 'inner dst 7::/48' looks at 8::5 */
	ip6ip6(e, "2001:db8:7::5", "2001:db8:8::5");
	CHECK_EQ(run(e), DP_OUT_DROP);
	CHECK_EQ(ctr(e, DP_CTR_CLASSIFY_DEFAULT_DROP), 1);
	/* a range rule on the inner ports (UDP 0 -> 0 is not in 1-100) */
	ip6ip6(e, "2001:db8:8::5", "2001:db8:8::5");
	e->frame[PKT_HEADROOM + 2 * IPV6_HDR_LEN + 3] = 53;
	CHECK_EQ(run(e), DP_OUT_TX);
	CHECK_EQ(stat(e, "policy pc"), 1);
	/* the outer header of that packet has no ports: 'proto udp' there
	 * would not match (its next header is IPv6) */
	CHECK_EQ(stat(e, "policy pa"), 1);
	env_free(e);
}

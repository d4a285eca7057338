/* The behaviour registry (dp/behaviour.h): every id of every binding point
 * has exactly one descriptor, names resolve both ways, configuration checks
 * refuse bad entries; and the SID stage runs the SRv6 descriptors' handlers,
 * whose drops are the counters their descriptors list. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/tables.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/srh.h"
#include "test.h"

static const unsigned n_ids[DP_AT_MAX] = {
	[DP_AT_SID] = DP_B_MAX,
	[DP_AT_LABEL] = DP_LFIB_OP_MAX,
	[DP_AT_PATH] = DP_SFF_MAX,
	[DP_AT_POLICY] = DP_POL_MAX,
};

static const struct dp_behaviour_desc *const families[] = {
	dp_srv6_end_behaviours, dp_srv6_decap_behaviours, dp_srv6_encap_behaviours,
	dp_mpls_behaviours,	dp_nsh_behaviours,
};

static int n_drops(const struct dp_behaviour_desc *d)
{
	int n = 0;

	while (n < 64 && d->drops[n] != DP_CTR_MAX)
		n++;
	return n;
}

static int lists_drop(const struct dp_behaviour_desc *d, enum dp_ctr c)
{
	for (int i = 0; i < n_drops(d); i++)
		if (d->drops[i] == c)
			return 1;
	return 0;
}

TEST(behaviour_registry_complete)
{
	unsigned seen[DP_AT_MAX][32] = {{0}};

	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		for (const struct dp_behaviour_desc *d = families[f]; d->name; d++) {
			CHECK(d->at < DP_AT_MAX);
			if (d->at >= DP_AT_MAX)
				continue;
			CHECK(d->id < n_ids[d->at]);
			if (d->id < 32)
				seen[d->at][d->id]++;
			CHECK(d->help && d->help[0]);
			CHECK(d->run.sid != NULL); /* any member: one pointer */
			CHECK(d->drops && n_drops(d) < 64);
			for (int i = 0; d->drops && i < n_drops(d); i++)
				CHECK(d->drops[i] < DP_CTR_MAX);
			CHECK(!((d->required | d->optional) & ~DP_BP_ALL));
			CHECK(!(d->required & d->optional));
			/* the registry finds it by id and by every name */
			CHECK(dp_behaviour_at((enum dp_bpoint)d->at, d->id) == d);
			CHECK(dp_behaviour_lookup((enum dp_bpoint)d->at, d->name) == d);
			if (d->alias)
				CHECK(dp_behaviour_lookup((enum dp_bpoint)d->at, d->alias) == d);
		}
	}
	for (unsigned at = 0; at < DP_AT_MAX; at++) {
		for (unsigned id = 0; id < n_ids[at]; id++)
			if (seen[at][id] != 1)
				test_fail(__FILE__, __LINE__, "point %u id %u: %u descriptors", at,
					  id, seen[at][id]);
		CHECK(dp_behaviour_at((enum dp_bpoint)at, n_ids[at]) == NULL);
	}
}

TEST(behaviour_lookup_and_names)
{
	char b[200];

	CHECK_EQ(dp_behaviour_lookup(DP_AT_SID, "End.DT6")->id, DP_B_END_DT6);
	CHECK(dp_behaviour_find("End.B6.Encaps") == dp_behaviour_get(DP_B_END_B6_ENCAPS));
	CHECK(dp_behaviour_lookup(DP_AT_SID, "end") == NULL); /* names are exact */
	CHECK(dp_behaviour_lookup(DP_AT_SID, "pop") == NULL); /* and per point */
	CHECK_EQ(dp_behaviour_lookup(DP_AT_LABEL, "adjacency")->id, DP_LFIB_POP_FWD);
	CHECK_EQ(dp_behaviour_lookup(DP_AT_PATH, "end")->id, DP_SFF_END);
	CHECK_EQ(dp_behaviour_lookup(DP_AT_POLICY, "H.Encaps.Red")->id, DP_POL_SRV6_ENCAPS_RED);
	CHECK(dp_behaviour_get(DP_B_MAX) == NULL);
	CHECK_STR(dp_behaviour_names(DP_AT_SID, ", ", " or ", b, sizeof(b)),
		  "End, End.X, End.DX4, End.DX6, End.DT4, End.DT6, End.B6.Encaps or End.DT46");
	CHECK_STR(dp_behaviour_names(DP_AT_LABEL, "|", "|", b, sizeof(b)), "pop|swap|pop-forward");
	CHECK_STR(dp_behaviour_names(DP_AT_PATH, ", ", " or ", b, sizeof(b)),
		  "function, forward, vxlan or end");
	/* a short buffer stops at a whole name, terminated */
	CHECK_STR(dp_behaviour_names(DP_AT_SID, ", ", " or ", b, 12), "End, End.X");
	CHECK_STR(dp_bparam_name(DP_BP_NEXTHOPS), "via");
	CHECK_STR(dp_bparam_name(DP_BP_ALL + 1), "?");
}

#define MAC1 "02:00:00:00:00:01"
#define BASE                                                                                       \
	"interface eth0 mac " MAC1 " addr 192.0.2.1/24 addr 2001:db8::1/64\n"                      \
	"neighbor eth0 192.0.2.2 mac 02:00:00:00:00:a2\n"                                          \
	"srv6 source 2001:db8::1\n"                                                                \
	"srv6 hmac key-id 9 secret k\n"                                                            \
	"policy p6 srv6 segs 2001:db8:5::1\n"                                                      \
	"policy pm mpls labels 100\n"

static struct dp_tables *tables(const char *text)
{
	struct dp_tables *t = dp_tables_new(1);
	struct err err;

	if (!t)
		abort();
	if (conf_apply(t, text, strlen(text), "node.conf", &err) || dp_tables_finish(t, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		dp_tables_free(t);
		return NULL;
	}
	return t;
}

TEST(behaviour_checks_refuse_bad_entries)
{
	struct dp_tables *t = tables(BASE);
	struct dp_sid s = {.vnf = DP_NONE, .nhg = DP_NONE, .policy = DP_NONE};
	struct dp_lfib e = {.vnf = DP_NONE, .nhg = DP_NONE, .in_label = 100};
	struct dp_sff f = {.vnf = DP_NONE, .nhg = DP_NONE};
	struct dp_policy pol;
	struct err err;

	if (!t)
		return;
	inet_pton(AF_INET6, "2001:db8:f::1", &s.sid);
	s.sid_len = 128;
	s.behaviour = DP_B_END_X; /* no next hop */
	CHECK_EQ(dp_sid_add(t, &s, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'nh6': End.X needs a next hop");
	s.behaviour = DP_B_END_B6_ENCAPS;
	s.policy = (uint32_t)dp_policy_find(t, "pm");
	CHECK_EQ(dp_sid_add(t, &s, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'policy': 'pm' is not an SRv6 policy");
	s.behaviour = DP_B_MAX;
	CHECK_EQ(dp_sid_add(t, &s, &err), -EINVAL);
	s.behaviour = DP_B_END_B6_ENCAPS;
	s.policy = (uint32_t)dp_policy_find(t, "p6");
	CHECK_EQ(dp_sid_add(t, &s, &err), 0);
	CHECK(t->sid[t->n_sid - 1].desc == dp_behaviour_get(DP_B_END_B6_ENCAPS));

	e.op = DP_LFIB_SWAP; /* no next hops */
	e.out_label = 200;
	CHECK_EQ(dp_lfib_add(t, &e, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'via': label 100 needs next hops");
	e.op = DP_LFIB_POP;
	CHECK_EQ(dp_lfib_add(t, &e, &err), 0);
	CHECK(t->lfib[t->n_lfib - 1].desc == dp_behaviour_at(DP_AT_LABEL, DP_LFIB_POP));

	f.action = DP_SFF_FUNCTION; /* no function */
	CHECK_EQ(dp_sff_add(t, 1, 255, &f, &err), -EINVAL);
	f.action = DP_SFF_FWD_VXLAN; /* no remote */
	CHECK_EQ(dp_sff_add(t, 1, 255, &f, &err), -EINVAL);
	f.action = DP_SFF_END;
	CHECK_EQ(dp_sff_add(t, 1, 255, &f, &err), 0);

	memset(&pol, 0, sizeof(pol));
	snprintf(pol.name, sizeof(pol.name), "empty");
	pol.type = DP_POL_MPLS; /* no labels */
	CHECK_EQ(dp_policy_add(t, &pol, &err), -EINVAL);
	pol.type = DP_POL_SRV6_ENCAPS; /* no segments */
	CHECK_EQ(dp_policy_add(t, &pol, &err), -EINVAL);
	pol.type = DP_POL_NSH;
	pol.nsh_md_type = 3;
	CHECK_EQ(dp_policy_add(t, &pol, &err), -EINVAL);
	pol.nsh_md_type = 2;
	CHECK(dp_policy_add(t, &pol, &err) >= 0);
	dp_tables_free(t);
}

/* ---- the SID stage over the SRv6 descriptors ---- */

struct sid_env {
	struct dp_tables *t;
	struct dp_worker *w;
	struct dp_out out;
	struct pkt p;
	uint8_t frame[PKT_FRAME_SIZE];
};

enum inner { INNER_NONE, INNER_V4, INNER_V6 };

/* Writes IPv6(src 2001:db8::1, dst) [+ SRH over path[0..n) with Segments
 * Left sl, HMAC TLV if hmac] + an inner packet into the env's frame. */
static void sid_pkt(struct sid_env *e, const char *dst, const char *const *path, int n, int sl,
		    int hmac, enum inner in)
{
	uint8_t *d = e->frame + PKT_HEADROOM, nh;
	struct in6_addr src, da, segs[4];
	uint32_t len = IPV6_HDR_LEN, inner;
	int srh = 0;

	memset(e->frame, 0, sizeof(e->frame));
	memset(&e->p, 0, sizeof(e->p));
	inet_pton(AF_INET6, "2001:db8::1", &src);
	inet_pton(AF_INET6, dst, &da);
	nh = in == INNER_V4 ? IPPROTO_IPIP : in == INNER_V6 ? IPPROTO_IPV6 : IPPROTO_NONE;
	for (int i = 0; i < n; i++)
		inet_pton(AF_INET6, path[i], &segs[i]);
	if (n) {
		srh = hmac ? srh_build_hmac(d + len, 256, nh, segs, n, 0, &src, &e->t->srv6_hmac,
					    e->t->srv6_hmac_key_id)
			   : srh_build(d + len, 256, nh, segs, n, 0);
		if (srh <= 0)
			abort();
		srh_hdr_at(d + len)->segments_left = (uint8_t)sl;
		len += (uint32_t)srh;
	}
	inner = len;
	if (in == INNER_V4) {
		ipv4_build(ipv4_hdr_at(d + len), 0, 28, 1, 0, 64, IPPROTO_UDP,
			   h_to_be32(0xc0000205), h_to_be32(0xc0000202));
		len += 28;
	} else if (in == INNER_V6) {
		ipv6_build(ipv6_hdr_at(d + len), 0, 0, 8, IPPROTO_UDP, 64, &src, &da);
		len += 48;
	}
	(void)inner;
	ipv6_build(ipv6_hdr_at(d), 0, 0, (uint16_t)(len - IPV6_HDR_LEN), n ? IPPROTO_ROUTING : nh,
		   64, &src, &da);
	e->p.frame = e->frame;
	e->p.off = PKT_HEADROOM;
	e->p.len = len;
	e->p.l3 = PKT_L3_IPV6;
	e->p.passes = 1;
}

/* Runs the SID stage on the env's packet for the SID its destination
 * matches; returns the stage it went to (DPN_DROP with *why set). */
static int sid_run(struct sid_env *e, const struct dp_behaviour_desc **d, enum dp_ctr *why)
{
	struct dp_ctx c = {.t = e->t, .w = e->w, .stats = e->t->stats, .out = &e->out};
	struct pkt *pp = &e->p;
	uint32_t ref = lpm_lookup(&e->t->sids, pkt_data(pp) + 24);

	if (ref == LPM_MISS)
		abort();
	pp->ref = ref;
	*d = e->t->sid[ref].desc;
	memset(e->w->n, 0, sizeof(e->w->n));
	memset(e->w->ctr, 0, sizeof(e->w->ctr));
	dp_stage_sid(&c, &pp, 1);
	for (int s = 0; s < DPN_MAX; s++) {
		if (!e->w->n[s])
			continue;
		*why = (enum dp_ctr)e->p.ref;
		return s;
	}
	return -1;
}

/* Runs the packet and checks that it was dropped for `want`, a counter
 * that the SID's descriptor lists. */
static void drop_at(struct sid_env *e, int line, enum dp_ctr want)
{
	const struct dp_behaviour_desc *d;
	enum dp_ctr why = DP_CTR_MAX;
	int s = sid_run(e, &d, &why);

	if (s != DPN_DROP || why != want || e->w->ctr[want] != 1)
		test_fail(__FILE__, line, "stage %d, reason %s, wanted a drop for %s", s,
			  why < DP_CTR_MAX ? dp_ctr_name(why) : "-", dp_ctr_name(want));
	else if (!lists_drop(d, want))
		test_fail(__FILE__, line, "%s drops for %s, which its descriptor does not list",
			  d->name, dp_ctr_name(want));
}

#define DROP(e, want) drop_at((e), __LINE__, (want))

TEST(behaviour_sid_stage_runs_descriptors)
{
	static const char *const ab[] = {"2001:db8:f::1", "2001:db8:f::9"};
	struct sid_env *e = calloc(1, sizeof(*e));
	const struct dp_behaviour_desc *d;
	struct ipv6_hdr *ip6;
	struct srh_hdr *srh;
	enum dp_ctr why;
	uint8_t *data;

	if (!e)
		abort();
	e->w = calloc(1, sizeof(*e->w));
	e->t = tables(BASE "sid 2001:db8:f::1 End\n"
			   "sid 2001:db8:f::2 End hmac\n"
			   "sid 2001:db8:f::20 End.DX4 nh4 192.0.2.2\n"
			   "sid 2001:db8:f::31 End.DT6\n");
	if (!e->w || !e->t)
		goto out;
	dp_worker_init(e->w, NULL, 0);

	/* End: Segment List[1] (f::1) is the active segment, [0] (f::9) next */
	sid_pkt(e, "2001:db8:f::1", ab, 2, 1, 0, INNER_V6);
	CHECK_EQ(sid_run(e, &d, &why), DPN_IP6);
	CHECK_STR(d->name, "End");
	data = pkt_data(&e->p);
	ip6 = ipv6_hdr_at(data);
	srh = srh_hdr_at(data + IPV6_HDR_LEN);
	CHECK_EQ(srh->segments_left, 0);
	CHECK_MEM(&ip6->dst, &srh->segments[0], 16);
	CHECK_EQ(ip6->dst.s6_addr[15], 9);

	sid_pkt(e, "2001:db8:f::1", ab, 2, 0, 0, INNER_V6);
	DROP(e, DP_CTR_SRV6_SL_ZERO);
	sid_pkt(e, "2001:db8:f::1", ab, 2, 3, 0, INNER_V6);
	DROP(e, DP_CTR_SRV6_SL_INVALID);
	sid_pkt(e, "2001:db8:f::1", NULL, 0, 0, 0, INNER_V6);
	DROP(e, DP_CTR_SRV6_NO_SRH);
	sid_pkt(e, "2001:db8:f::1", ab, 2, 1, 0, INNER_V6);
	pkt_data(&e->p)[IPV6_HDR_LEN + 1] = 200; /* Hdr Ext Len past the packet */
	DROP(e, DP_CTR_SRV6_SRH_MALFORMED);

	/* HMAC (bare 'hmac' is require): right, wrong, missing */
	sid_pkt(e, "2001:db8:f::2", (const char *const[]){"2001:db8:f::2", "2001:db8:f::9"}, 2, 1,
		1, INNER_V6);
	CHECK_EQ(sid_run(e, &d, &why), DPN_IP6);
	sid_pkt(e, "2001:db8:f::2", (const char *const[]){"2001:db8:f::2", "2001:db8:f::9"}, 2, 1,
		1, INNER_V6);
	pkt_data(&e->p)[e->p.len - 48 - 1] ^= 1; /* last HMAC byte */
	DROP(e, DP_CTR_SRV6_HMAC_FAIL);
	sid_pkt(e, "2001:db8:f::2", (const char *const[]){"2001:db8:f::2", "2001:db8:f::9"}, 2, 1,
		0, INNER_V6);
	DROP(e, DP_CTR_SRV6_HMAC_MISSING);

	/* End.DX4: decapsulated, TTL down, to the fixed next hop */
	sid_pkt(e, "2001:db8:f::20", (const char *const[]){"2001:db8:f::20"}, 1, 0, 0, INNER_V4);
	CHECK_EQ(sid_run(e, &d, &why), DPN_TX);
	CHECK_EQ(e->p.l3, PKT_L3_IPV4);
	CHECK_EQ(e->p.len, 28);
	CHECK_EQ(ipv4_hdr_at(pkt_data(&e->p))->ttl, 63);
	CHECK(ipv4_csum_ok(ipv4_hdr_at(pkt_data(&e->p))));
	sid_pkt(e, "2001:db8:f::20", NULL, 0, 0, 0, INNER_V4); /* no SRH is fine */
	CHECK_EQ(sid_run(e, &d, &why), DPN_TX);
	sid_pkt(e, "2001:db8:f::20", (const char *const[]){"2001:db8:f::20"}, 1, 0, 0, INNER_V6);
	DROP(e, DP_CTR_SRV6_BAD_INNER);

	/* End.DT6 */
	sid_pkt(e, "2001:db8:f::31", ab, 2, 1, 0, INNER_V6);
	DROP(e, DP_CTR_SRV6_SL_NONZERO);
	sid_pkt(e, "2001:db8:f::31", ab, 2, 0, 0, INNER_V6); /* inner to 2001:db8:f::31 */
	DROP(e, DP_CTR_IP6_NO_ROUTE);
out:
	if (e->t)
		dp_tables_free(e->t);
	free(e->w);
	free(e);
}

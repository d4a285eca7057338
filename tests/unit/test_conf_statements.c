/* Node configuration (conf/conf.c): every statement in a valid form and the
 * tables it builds; limits built from the code's own constants, with the
 * exact start of the error text (file, line, field); node SID resolution;
 * conf_load applying nothing when any line is bad. The invalid forms of each
 * statement are data: one tests/conf/NAME.in each, the expected error in
 * NAME.err beside it (tests/conf/run.sh, `make conf-tests`). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "dp/tables.h"
#include "vnf/vnf.h"
#include "test.h"

#define MAC1 "02:00:00:00:00:01"
#define MAC2 "02:00:00:00:00:02"

/* Two interfaces with IPv4 and IPv6 subnets and a resolved neighbour on
 * each: four lines, so the statement under test is on line 5. */
#define BASE                                                                                       \
	"interface eth0 mac " MAC1 " addr 192.0.2.1/24 addr 2001:db8::1/64\n"                      \
	"interface eth1 mac " MAC2 " addr 198.51.100.1/24 addr 2001:db8:1::1/64\n"                 \
	"neighbor eth0 192.0.2.2 mac 02:00:00:00:00:a2\n"                                          \
	"neighbor eth1 2001:db8:1::2 mac 02:00:00:00:00:b2\n"

/* Applies text as node.conf; returns the table set (finished) or NULL with
 * the error text in err. */
static struct dp_tables *conf_text(const char *text, struct err *err)
{
	struct dp_tables *t = dp_tables_new(1);

	memset(err, 0, sizeof(*err));
	if (!t)
		return NULL;
	if (conf_apply(t, text, strlen(text), "node.conf", err) || dp_tables_finish(t, err)) {
		dp_tables_free(t);
		return NULL;
	}
	return t;
}

static struct dp_tables *ok_at(const char *file, int line, const char *text)
{
	struct err err;
	struct dp_tables *t = conf_text(text, &err);

	if (!t)
		test_fail(file, line, "config rejected: %s", err.msg);
	return t;
}

static void err_at(const char *file, int line, const char *text, const char *want)
{
	struct err err;
	struct dp_tables *t = conf_text(text, &err);

	if (t) {
		test_fail(file, line, "config accepted, wanted \"%s\"", want);
		dp_tables_free(t);
		return;
	}
	if (strncmp(err.msg, want, strlen(want)))
		test_fail(file, line, "error \"%s\", wanted it to start with \"%s\"", err.msg,
			  want);
}

#define CONF_OK(text)	     ok_at(__FILE__, __LINE__, (text))
#define CONF_ERR(text, want) err_at(__FILE__, __LINE__, (text), (want))

static void ip6(void *a, const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
}

static void ip4(void *a, const char *s)
{
	if (inet_pton(AF_INET, s, a) != 1)
		abort();
}

static uint32_t route4(const struct dp_tables *t, uint32_t fib, const char *s)
{
	uint8_t a[4];

	ip4(a, s);
	return dp_route_lookup(t, fib, 4, a);
}

static uint32_t route6(const struct dp_tables *t, uint32_t fib, const char *s)
{
	uint8_t a[16];

	ip6(a, s);
	return dp_route_lookup(t, fib, 6, a);
}

/* Next hop of a one-bucket group. */
static const struct dp_nh *nhg_nh(const struct dp_tables *t, uint32_t g)
{
	if (g >= t->n_nhg)
		return NULL;
	return &t->nh[t->buckets[t->nhg[g].first]];
}

static const struct dp_lfib *lfib(const struct dp_tables *t, uint32_t label)
{
	uint32_t i = t->lfib_idx[label];

	return i ? &t->lfib[i - 1] : NULL;
}

static const struct dp_sid *sid_of(const struct dp_tables *t, const char *s)
{
	struct in6_addr a;
	uint32_t i;

	ip6(&a, s);
	i = lpm_lookup(&t->sids, &a);
	return i == LPM_MISS ? NULL : &t->sid[i];
}

/* ---- lines, words, comments, statements ---- */

TEST(conf_empty_and_comments)
{
	struct dp_tables *t = CONF_OK("");

	CHECK(t && t->n_if == 0);
	dp_tables_free(t);
	t = CONF_OK("# only a comment\n\n   \n\t# indented comment\r\n");
	CHECK(t && t->n_if == 0);
	dp_tables_free(t);
	/* CRLF line ends, tabs between words, no newline at the end, a
	 * trailing comment */
	t = CONF_OK("interface\teth0  mac " MAC1 "\r\n"
		    "route 192.0.2.0/24 dev eth0 # connected\r\n"
		    "classify default drop");
	CHECK(t && t->n_if == 1 && t->default_action == DP_ACT_DROP);
	CHECK(t && route4(t, 0, "192.0.2.9") != DP_NONE);
	dp_tables_free(t);
}

TEST(conf_line_limits)
{
	char *big = malloc(CONF_LINE_MAX + 64);
	char words[CONF_ARGS_MAX * 3 + 64];
	size_t o = 0;

	/* a line of exactly CONF_LINE_MAX characters is fine (a comment) */
	memset(big, ' ', CONF_LINE_MAX);
	big[0] = '#';
	big[CONF_LINE_MAX] = 0;
	dp_tables_free(CONF_OK(big));
	big[CONF_LINE_MAX] = ' ';
	big[CONF_LINE_MAX + 1] = 0;
	CONF_ERR(big, "node.conf:1: line longer than 4096 characters");
	free(big);

	/* CONF_ARGS_MAX words are fine as far as the tokenizer goes */
	o += (size_t)snprintf(words + o, sizeof(words) - o, "classify");
	for (int i = 1; i < CONF_ARGS_MAX + 1; i++)
		o += (size_t)snprintf(words + o, sizeof(words) - o, " x");
	CONF_ERR(words, "node.conf:1: more than 96 words on one line");
	words[strlen(words) - 2] = 0; /* 96 words: the classifier sees them */
	CONF_ERR(words, "node.conf:1: field 'x': expected a match field");

	{
		static const char nul[] =
			"interface eth0 mac " MAC1 "\nroute 192.0.2.0/24 dev\0eth0\n";
		struct dp_tables *t = dp_tables_new(1);
		struct err err;

		CHECK_EQ(conf_apply(t, nul, sizeof(nul) - 1, "node.conf", &err), -EINVAL);
		CHECK_STR(err.msg, "node.conf:2: NUL byte in the line");
		dp_tables_free(t);
	}
}

/* ---- interface ---- */

TEST(conf_interface)
{
	struct dp_tables *t = CONF_OK("interface eth0 mac 02:aa:bb:cc:dd:ee mtu 9000 classify "
				      "addr 192.0.2.1/24 addr 2001:db8::1/64\n"
				      "interface lo mac " MAC1 "\n");
	uint8_t a[16];
	uint32_t v, g;

	if (!t)
		return;
	CHECK_EQ(t->n_if, 2);
	CHECK_STR(t->ifs[0].name, "eth0");
	CHECK_MEM(t->ifs[0].mac, "\x02\xaa\xbb\xcc\xdd\xee", 6);
	CHECK_EQ(t->ifs[0].mtu, 9000);
	CHECK_EQ(t->ifs[0].classify, 1);
	CHECK_EQ(t->any_classify, 1);
	CHECK_EQ(t->ifs[1].mtu, 1500); /* default */
	CHECK_EQ(t->ifs[1].classify, 0);
	/* local addresses and connected routes */
	ip4(a, "192.0.2.1");
	CHECK_EQ(xhash_get(&t->local4, a, &v), 0);
	ip6(a, "2001:db8::1");
	CHECK_EQ(xhash_get(&t->local6, a, &v), 0);
	g = route4(t, 0, "192.0.2.200");
	CHECK(g != DP_NONE && nhg_nh(t, g)->oif == 0 && nhg_nh(t, g)->family == 0);
	g = route6(t, 0, "2001:db8::abcd");
	CHECK(g != DP_NONE && nhg_nh(t, g)->oif == 0);
	CHECK_EQ(route4(t, 0, "192.0.3.1"), DP_NONE);
	dp_tables_free(t);
}

TEST(conf_interface_max)
{
	char *text = malloc(DP_IF_MAX * 64 + 128), *p = text;
	struct dp_tables *t;

	for (int i = 0; i < DP_IF_MAX; i++)
		p += sprintf(p, "interface e%d mac 02:00:00:00:00:%02x\n", i, i);
	t = CONF_OK(text);
	CHECK(t && t->n_if == DP_IF_MAX);
	dp_tables_free(t);
	sprintf(p, "interface e%d mac " MAC1 "\n", DP_IF_MAX);
	CONF_ERR(text, "node.conf:65: more than 64 interfaces");
	free(text);
}

/* ---- neighbor ---- */

TEST(conf_neighbor)
{
	struct dp_tables *t = CONF_OK(BASE "route 203.0.113.0/24 via 192.0.2.2 dev eth0\n"
					   "route 203.0.113.128/25 via 192.0.2.3 dev eth0\n");
	const struct dp_nh *nh;

	if (!t)
		return;
	nh = nhg_nh(t, route4(t, 0, "203.0.113.1"));
	CHECK(nh && nh->has_mac && nh->oif == 0);
	CHECK(nh && !memcmp(nh->mac, "\x02\x00\x00\x00\x00\xa2", 6));
	/* no neighbour entry: resolved at transmit time */
	nh = nhg_nh(t, route4(t, 0, "203.0.113.129"));
	CHECK(nh && !nh->has_mac && nh->family == 4);
	dp_tables_free(t);
}

/* ---- route ---- */

TEST(conf_route)
{
	struct dp_tables *t =
		CONF_OK(BASE "route 203.0.113.0/24 via 192.0.2.2 dev eth0\n"
			     "route 0.0.0.0/0 via 192.0.2.2 dev eth0 weight 1 via "
			     "198.51.100.2 dev eth1 weight 3\n"
			     "route 2001:db8:9::/48 table 100 via 2001:db8:1::2 dev eth1\n"
			     "route 2001:db8:a::/48 dev eth1\n");
	uint32_t g;
	int f;

	if (!t)
		return;
	g = route4(t, 0, "203.0.113.7");
	CHECK(g != DP_NONE && t->nhg[g].n == 1);
	g = route4(t, 0, "8.8.8.8");
	CHECK(g != DP_NONE && t->nhg[g].n == 4);
	if (g != DP_NONE) {
		int on1 = 0;

		for (uint32_t k = 0; k < t->nhg[g].n; k++)
			on1 += t->nh[t->buckets[t->nhg[g].first + k]].oif == 1;
		CHECK_EQ(on1, 3);
	}
	/* table 100 is its own FIB */
	f = dp_fib_index(t, 100, 0);
	CHECK(f > 0);
	CHECK_EQ(route6(t, 0, "2001:db8:9::1"), DP_NONE);
	g = route6(t, (uint32_t)f, "2001:db8:9::1");
	CHECK(g != DP_NONE && nhg_nh(t, g)->has_mac && nhg_nh(t, g)->oif == 1);
	/* connected: no gateway */
	g = route6(t, 0, "2001:db8:a::1");
	CHECK(g != DP_NONE && nhg_nh(t, g)->family == 0 && nhg_nh(t, g)->oif == 1);
	dp_tables_free(t);
}

TEST(conf_route_tables_max)
{
	char text[4096], *p = text;

	p += sprintf(p, "interface eth0 mac " MAC1 "\n");
	/* main plus 15 more */
	for (int i = 1; i < DP_FIB_MAX; i++)
		p += sprintf(p, "route 192.0.2.0/24 table %d dev eth0\n", i);
	dp_tables_free(CONF_OK(text));
	sprintf(p, "route 192.0.2.0/24 table 999 dev eth0\n");
	CONF_ERR(text, "node.conf:17: field 'table': cannot use table 999 (at most 16 tables)");
}

/* ---- srv6 ---- */

TEST(conf_srv6)
{
	struct dp_tables *t = CONF_OK("srv6 source 2001:db8::1\nsrv6 hmac key-id 77 secret k3y\n");
	struct in6_addr a;

	if (!t)
		return;
	ip6(&a, "2001:db8::1");
	CHECK_MEM(&t->srv6_src, &a, 16);
	CHECK_EQ(t->srv6_hmac_set, 1);
	CHECK_EQ(t->srv6_hmac_key_id, 77);
	dp_tables_free(t);
}

/* ---- mpls srgb / srlb / label ---- */

TEST(conf_mpls_ranges)
{
	struct dp_tables *t = CONF_OK("mpls srgb 16000 23999\nmpls srlb 15000 15999\n");

	if (!t)
		return;
	CHECK_EQ(t->srgb_lo, 16000);
	CHECK_EQ(t->srgb_hi, 23999);
	CHECK_EQ(t->srlb_lo, 15000);
	CHECK_EQ(t->srlb_hi, 15999);
	dp_tables_free(t);
}

TEST(conf_mpls_label)
{
	struct dp_tables *t =
		CONF_OK(BASE "mpls srgb 16000 16999\n"
			     "function cnt counter\n"
			     "mpls label 100 pop\n"
			     "mpls label 101 pop function cnt\n"
			     "mpls label 102 swap 200 via 192.0.2.2 dev eth0\n"
			     "mpls label idx:3 swap idx:4 via 192.0.2.2 dev eth0 function cnt\n"
			     "mpls label 15001 pop-forward via 2001:db8:1::2 dev eth1\n"
			     "mpls label 15002 adjacency via 192.0.2.2 dev eth0\n"
			     "mpls label 0x100 swap 1048575 via 2001:db8:1::2 dev eth1\n");
	const struct dp_lfib *e;

	if (!t)
		return;
	CHECK_EQ(t->n_lfib, 7);
	e = lfib(t, 100);
	CHECK(e && e->op == DP_LFIB_POP && e->nhg == DP_NONE && e->vnf == DP_NONE);
	e = lfib(t, 101);
	CHECK(e && e->op == DP_LFIB_POP && e->vnf == 0);
	e = lfib(t, 102);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 200 && nhg_nh(t, e->nhg)->oif == 0);
	e = lfib(t, 16003);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 16004 && e->vnf == 0);
	e = lfib(t, 15001);
	CHECK(e && e->op == DP_LFIB_POP_FWD && nhg_nh(t, e->nhg)->oif == 1);
	e = lfib(t, 15002);
	CHECK(e && e->op == DP_LFIB_POP_FWD && nhg_nh(t, e->nhg)->has_mac);
	e = lfib(t, 256);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 1048575);
	dp_tables_free(t);
}

/* ---- mpls node-sid: resolved after the whole file ---- */

#define NODE_SIDS                                                                                  \
	"interface eth0 mac " MAC1 " addr 198.51.100.1/24 addr 10.255.0.1/32 "                     \
	"addr 2001:db8:1::1/64 addr 2001:db8:ff::1/128\n"                                          \
	"neighbor eth0 198.51.100.2 mac 02:00:00:00:00:02\n"                                       \
	"mpls node-sid 10.255.0.1/32 index 1\n"                                                    \
	"mpls node-sid 10.255.0.2/32 index 2\n"                                                    \
	"mpls node-sid 10.255.0.3 index 3 php\n"                                                   \
	"mpls node-sid 10.255.0.4/32 index 4 php explicit-null\n"                                  \
	"mpls node-sid 10.255.0.5/32 index 5 explicit-null\n"                                      \
	"mpls node-sid 2001:db8:ff::1/128 index 11\n"                                              \
	"mpls node-sid 2001:db8:ff::6/128 index 16 php explicit-null\n"                            \
	"mpls node-sid 2001:db8:ff::7/128 index 17 php\n"                                          \
	"mpls srgb 16000 23999\n"                                                                  \
	"route 10.255.0.0/24 via 198.51.100.2 dev eth0\n"                                          \
	"route 2001:db8:ff::/64 via 2001:db8:1::2 dev eth0 weight 2 via 2001:db8:1::3 dev eth0\n"

TEST(conf_node_sid_resolution)
{
	struct dp_tables *t = CONF_OK(NODE_SIDS);
	const struct dp_lfib *e;
	uint32_t g4, g6;

	if (!t)
		return;
	CHECK_EQ(t->n_lfib, 8);
	g4 = route4(t, 0, "10.255.0.2");
	g6 = route6(t, 0, "2001:db8:ff::6");
	CHECK(g4 != DP_NONE && g6 != DP_NONE);
	/* ours: pop and look at what is below */
	e = lfib(t, 16001);
	CHECK(e && e->op == DP_LFIB_POP && e->nhg == DP_NONE);
	e = lfib(t, 16011);
	CHECK(e && e->op == DP_LFIB_POP);
	/* remote: swap to the same label (uniform SRGB) toward the route; the
	 * route is on a later line than the node SID */
	e = lfib(t, 16002);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 16002 && e->nhg == g4);
	/* penultimate hop: pop and forward */
	e = lfib(t, 16003);
	CHECK(e && e->op == DP_LFIB_POP_FWD && e->nhg == g4);
	e = lfib(t, 16017);
	CHECK(e && e->op == DP_LFIB_POP_FWD && e->nhg == g6);
	/* explicit null: 0 for an IPv4 node SID, 2 for IPv6 (RFC 3032) */
	e = lfib(t, 16004);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 0 && e->nhg == g4);
	e = lfib(t, 16005);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 0);
	e = lfib(t, 16016);
	CHECK(e && e->op == DP_LFIB_SWAP && e->out_label == 2 && e->nhg == g6);
	if (g6 != DP_NONE)
		CHECK_EQ(t->nhg[g6].n, 3); /* weights 2:1 */
	/* labels the file did not name stay empty */
	CHECK(lfib(t, 16000) == NULL && lfib(t, 16006) == NULL);
	dp_tables_free(t);
}

/* ---- sid ---- */

#define SIDS_BASE                                                                                  \
	BASE "srv6 source 2001:db8::1\n"                                                           \
	     "srv6 hmac key-id 9 secret k\n"                                                       \
	     "function fw firewall default allow\n"                                                \
	     "policy b6 srv6 segs 2001:db8:5::1,2001:db8:6::1\n"                                   \
	     "policy lab mpls labels 100\n"

TEST(conf_sid_behaviours)
{
	struct dp_tables *t =
		CONF_OK(SIDS_BASE "sid 2001:db8:f::1 End\n"
				  "sid 2001:db8:f::2/128 End function fw hmac\n"
				  "sid 2001:db8:f:1::/64 End\n"
				  "sid 2001:db8:f::10 End.X nh6 2001:db8:1::2\n"
				  "sid 2001:db8:f::11 End.X nh6 fe80::2 dev eth1\n"
				  "sid 2001:db8:f::20 End.DX4 nh4 192.0.2.2\n"
				  "sid 2001:db8:f::21 End.DX6 nh6 2001:db8::9 dev eth0\n"
				  "sid 2001:db8:f::30 End.DT4\n"
				  "sid 2001:db8:f::31 End.DT6 table 100\n"
				  "sid 2001:db8:f::40 End.B6.Encaps policy b6\n");
	const struct dp_sid *s;
	int f100;

	if (!t)
		return;
	CHECK_EQ(t->n_sid, 10);
	s = sid_of(t, "2001:db8:f::1");
	CHECK(s && s->behaviour == DP_B_END && s->vnf == DP_NONE && !s->hmac);
	CHECK(s && s->sid_len == 128 && s->nhg == DP_NONE && s->policy == DP_NONE);
	s = sid_of(t, "2001:db8:f::2");
	CHECK(s && s->behaviour == DP_B_END && s->vnf == 0 && s->hmac);
	s = sid_of(t, "2001:db8:f:1::1234");
	CHECK(s && s->sid_len == 64);
	/* End.X: the interface comes from the connected route when not given */
	s = sid_of(t, "2001:db8:f::10");
	CHECK(s && s->behaviour == DP_B_END_X && nhg_nh(t, s->nhg)->oif == 1);
	CHECK(s && nhg_nh(t, s->nhg)->has_mac); /* the neighbour is known */
	s = sid_of(t, "2001:db8:f::11");
	CHECK(s && s->behaviour == DP_B_END_X && nhg_nh(t, s->nhg)->oif == 1);
	CHECK(s && !nhg_nh(t, s->nhg)->has_mac);
	s = sid_of(t, "2001:db8:f::20");
	CHECK(s && s->behaviour == DP_B_END_DX4 && nhg_nh(t, s->nhg)->family == 4);
	CHECK(s && nhg_nh(t, s->nhg)->oif == 0);
	s = sid_of(t, "2001:db8:f::21");
	CHECK(s && s->behaviour == DP_B_END_DX6 && nhg_nh(t, s->nhg)->oif == 0);
	/* End.DT4 without table: the main table (index 0) */
	s = sid_of(t, "2001:db8:f::30");
	CHECK(s && s->behaviour == DP_B_END_DT4 && s->fib == 0);
	f100 = dp_fib_index(t, 100, 0);
	s = sid_of(t, "2001:db8:f::31");
	CHECK(s && s->behaviour == DP_B_END_DT6 && f100 > 0 && s->fib == (uint32_t)f100);
	s = sid_of(t, "2001:db8:f::40");
	CHECK(s && s->behaviour == DP_B_END_B6_ENCAPS && s->policy == 0);
	CHECK(sid_of(t, "2001:db8:f::3") == NULL);
	dp_tables_free(t);
}

TEST(conf_sid_tables_max)
{
	char text[4096], *p = text;

	for (int i = 1; i < DP_FIB_MAX; i++)
		p += sprintf(p, "sid 2001:db8:f::%x End.DT6 table %d\n", i, i);
	dp_tables_free(CONF_OK(text));
	sprintf(p, "sid 2001:db8:f::ff End.DT4 table 4242\n");
	CONF_ERR(text, "node.conf:16: field 'table': at most 16 tables");
}

/* ---- policy ---- */

/* "2001:db8:1::1,2001:db8:2::1,..." with n segments */
static void seg_list(char *buf, size_t cap, int n)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 1; i <= n; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s2001:db8:%x::1", i > 1 ? "," : "", i);
}

TEST(conf_policy_srv6)
{
	struct dp_tables *t =
		CONF_OK("srv6 source 2001:db8::1\n"
			"srv6 hmac key-id 5 secret k\n"
			"policy a srv6 segs 2001:db8:5::1,2001:db8:6::1\n"
			"policy b srv6 encaps.red segs 2001:db8:5::1,2001:db8:6::1 "
			"src 2001:db8::99 flowlabel hash\n"
			"policy c srv6 encaps.red segs 2001:db8:5::1 flowlabel zero\n"
			"policy d srv6 segs 2001:db8:5::1 encaps flowlabel copy hmac\n");
	struct in6_addr a;
	const struct dp_policy *p;

	if (!t)
		return;
	CHECK_EQ(t->n_policy, 4);
	p = &t->policy[dp_policy_find(t, "a")];
	CHECK_EQ(p->type, DP_POL_SRV6_ENCAPS);
	CHECK_EQ(p->n, 2);
	CHECK_EQ(p->srh_len, 8 + 2 * 16);
	CHECK_EQ(p->flowlabel, DP_FLOWLABEL_COPY);
	ip6(&a, "2001:db8:5::1");
	CHECK_MEM(&p->first, &a, 16);
	ip6(&a, "2001:db8::1");
	CHECK_MEM(&p->src, &a, 16);
	CHECK_EQ(p->srh[3], 1); /* segments left */
	CHECK_EQ(p->srh[4], 1); /* last entry */
	p = &t->policy[dp_policy_find(t, "b")];
	CHECK_EQ(p->type, DP_POL_SRV6_ENCAPS_RED);
	CHECK_EQ(p->srh_len, 8 + 16); /* the first segment is left out */
	CHECK_EQ(p->flowlabel, DP_FLOWLABEL_HASH);
	ip6(&a, "2001:db8::99");
	CHECK_MEM(&p->src, &a, 16);
	p = &t->policy[dp_policy_find(t, "c")];
	CHECK_EQ(p->srh_len, 0); /* reduced with one segment: no SRH */
	CHECK_EQ(p->flowlabel, DP_FLOWLABEL_ZERO);
	p = &t->policy[dp_policy_find(t, "d")];
	CHECK_EQ(p->type, DP_POL_SRV6_ENCAPS);
	CHECK_EQ(p->srh_len, 8 + 16 + 40); /* HMAC TLV */
	dp_tables_free(t);
}

TEST(conf_policy_srv6_limits)
{
	char segs[24 * 20], text[1024];
	struct dp_tables *t;

	seg_list(segs, sizeof(segs), DP_SEGS_MAX);
	snprintf(text, sizeof(text), "srv6 source 2001:db8::1\npolicy p srv6 segs %s\n", segs);
	t = CONF_OK(text);
	CHECK(t && t->policy[0].n == 16 && t->policy[0].srh_len == 8 + 16 * 16);
	dp_tables_free(t);
	snprintf(text, sizeof(text), "srv6 source 2001:db8::1\npolicy p srv6 encaps.red segs %s\n",
		 segs);
	t = CONF_OK(text);
	CHECK(t && t->policy[0].n == 16 && t->policy[0].srh_len == 8 + 15 * 16);
	dp_tables_free(t);
	seg_list(segs, sizeof(segs), DP_SEGS_MAX + 1);
	snprintf(text, sizeof(text), "srv6 source 2001:db8::1\npolicy p srv6 segs %s\n", segs);
	CONF_ERR(text, "node.conf:2: field 'segs': more than 16 segments");
	/* with an HMAC TLV (40 bytes) the prebuilt SRH holds 13 segments */
	seg_list(segs, sizeof(segs), 13);
	snprintf(text, sizeof(text),
		 "srv6 source 2001:db8::1\nsrv6 hmac key-id 1 secret k\npolicy p srv6 segs %s "
		 "hmac\n",
		 segs);
	dp_tables_free(CONF_OK(text));
}

TEST(conf_policy_srv6_errors)
{
	char segs[24 * 20], text[1024];

	/* 14 segments and an HMAC TLV do not fit the prebuilt SRH */
	seg_list(segs, sizeof(segs), 14);
	snprintf(text, sizeof(text),
		 "srv6 source 2001:db8::1\nsrv6 hmac key-id 1 secret k\npolicy p srv6 segs %s "
		 "hmac\n",
		 segs);
	CONF_ERR(text, "node.conf:3: field 'segs': ");
}

TEST(conf_policy_mpls)
{
	struct dp_tables *t = CONF_OK("mpls srgb 16000 23999\n"
				      "policy a mpls labels 16001,idx:2,1000\n"
				      "policy b mpls labels 24000 ttl pipe\n"
				      "policy c mpls ttl uniform labels 16\n"
				      "policy d mpls labels "
				      "16,17,18,19,20,21,22,23,24,25,26,1048575\n");
	const struct dp_policy *p;

	if (!t)
		return;
	p = &t->policy[dp_policy_find(t, "a")];
	CHECK_EQ(p->type, DP_POL_MPLS);
	CHECK_EQ(p->n, 3);
	CHECK_EQ(p->labels[0], 16001); /* top of the stack */
	CHECK_EQ(p->labels[1], 16002);
	CHECK_EQ(p->labels[2], 1000);
	CHECK_EQ(p->ttl_pipe, 0);
	p = &t->policy[dp_policy_find(t, "b")];
	CHECK_EQ(p->ttl_pipe, 1);
	p = &t->policy[dp_policy_find(t, "c")];
	CHECK_EQ(p->ttl_pipe, 0);
	CHECK_EQ(p->labels[0], 16);
	p = &t->policy[dp_policy_find(t, "d")];
	CHECK_EQ(p->n, DP_LABELS_MAX);
	CHECK_EQ(p->labels[11], 1048575);
	dp_tables_free(t);
}

TEST(conf_policy_nsh)
{
	struct dp_tables *t = CONF_OK("policy a nsh spi 10\n"
				      "policy b nsh spi 0xffffff si 1 md 2\n"
				      "policy c nsh md 1 si 200 spi 0\n");
	const struct dp_policy *p;

	if (!t)
		return;
	p = &t->policy[0];
	CHECK(p->type == DP_POL_NSH && p->nsh_spi == 10 && p->nsh_si == 255 && p->nsh_md_type == 1);
	p = &t->policy[1];
	CHECK(p->nsh_spi == 0xffffff && p->nsh_si == 1 && p->nsh_md_type == 2);
	p = &t->policy[2];
	CHECK(p->nsh_spi == 0 && p->nsh_si == 200 && p->nsh_md_type == 1);
	dp_tables_free(t);
}

/* ---- classify ---- */

TEST(conf_classify)
{
	struct dp_tables *t =
		CONF_OK(BASE "srv6 source 2001:db8::1\n"
			     "policy p srv6 segs 2001:db8:5::1\n"
			     "classify in eth0 proto tcp src 192.0.2.0/24 dst 203.0.113.0/25 "
			     "sport 1024-65535 dport 80 policy p\n"
			     "classify family ipv6 proto udp dport 53 drop\n"
			     "classify proto 47 forward\n"
			     "classify policy p\n"
			     "classify default drop\n");
	const struct dp_rule *r;
	uint8_t a[16];

	if (!t)
		return;
	CHECK_EQ(t->n_rule, 4);
	CHECK_EQ(t->default_action, DP_ACT_DROP);
	r = &t->rule[0];
	CHECK_EQ(r->line, 7);
	CHECK_EQ(r->action, DP_ACT_STEER);
	CHECK_EQ(r->policy, 0);
	CHECK_EQ(r->m.in_if, 0);
	CHECK_EQ(r->m.family, 4);
	CHECK_EQ(r->m.proto, 6);
	CHECK_EQ(r->m.src_len, 24);
	CHECK_EQ(r->m.dst_len, 25);
	ip4(a, "203.0.113.0");
	CHECK_MEM(r->m.dst, a, 4);
	CHECK(r->m.sport_lo == 1024 && r->m.sport_hi == 65535);
	CHECK(r->m.dport_lo == 80 && r->m.dport_hi == 80);
	r = &t->rule[1];
	CHECK(r->action == DP_ACT_DROP && r->m.family == 6 && r->m.proto == 17);
	CHECK(r->m.in_if == DP_NONE && r->m.sport_hi == 0);
	r = &t->rule[2];
	CHECK(r->action == DP_ACT_FORWARD && r->m.proto == 47 && r->m.family == 0);
	r = &t->rule[3];
	CHECK(r->action == DP_ACT_STEER && r->m.proto == 0 && r->m.src_len == 0);
	/* four rules: three hashed shapes and one range rule */
	CHECK_EQ(t->n_range, 1);
	CHECK_EQ(t->n_shape, 3);
	dp_tables_free(t);

	t = CONF_OK("classify default forward\n");
	CHECK(t && t->default_action == DP_ACT_FORWARD && t->n_rule == 0);
	dp_tables_free(t);
	t = CONF_OK("");
	CHECK(t && t->default_action == DP_ACT_FORWARD); /* the default default */
	dp_tables_free(t);
}

/* ---- nsh ---- */

TEST(conf_nsh)
{
	struct dp_tables *t =
		CONF_OK(BASE "function fw firewall\n"
			     "nsh spi 10 si 255 function fw\n"
			     "nsh spi 10 si 254 forward via 192.0.2.2 dev eth0\n"
			     "nsh spi 10 si 253 forward via 2001:db8:1::2 dev eth1\n"
			     "nsh spi 11 si 255 vxlan remote 192.0.2.2 local 192.0.2.1 vni 7\n"
			     "nsh spi 12 si 200 vxlan local 2001:db8::1 remote 2001:db8::2\n"
			     "nsh spi 0xffffff si 0 end\n");
	const struct dp_sff *f;
	uint32_t key, idx;

	if (!t)
		return;
	CHECK_EQ(t->n_sff, 6);
	key = 10u << 8 | 255;
	CHECK_EQ(xhash_get(&t->sff_map, &key, &idx), 0);
	f = &t->sff[idx];
	CHECK(f->action == DP_SFF_FUNCTION && f->vnf == 0);
	key = 10u << 8 | 254;
	CHECK_EQ(xhash_get(&t->sff_map, &key, &idx), 0);
	f = &t->sff[idx];
	CHECK(f->action == DP_SFF_FWD_ETH && nhg_nh(t, f->nhg)->has_mac);
	f = &t->sff[2];
	CHECK(f->action == DP_SFF_FWD_ETH && nhg_nh(t, f->nhg)->oif == 1);
	f = &t->sff[3];
	CHECK(f->action == DP_SFF_FWD_VXLAN && f->remote_family == 4 && f->vni == 7);
	CHECK_MEM(f->remote, "\xc0\x00\x02\x02", 4);
	CHECK_MEM(f->local, "\xc0\x00\x02\x01", 4);
	f = &t->sff[4];
	CHECK(f->action == DP_SFF_FWD_VXLAN && f->remote_family == 6 && f->vni == 0);
	key = 0xffffffu << 8;
	CHECK_EQ(xhash_get(&t->sff_map, &key, &idx), 0);
	CHECK_EQ(t->sff[idx].action, DP_SFF_END);
	key = 13u << 8 | 255;
	CHECK(xhash_get(&t->sff_map, &key, &idx) != 0);
	dp_tables_free(t);
}

/* ---- function ---- */

TEST(conf_function)
{
	struct dp_tables *t = CONF_OK(BASE "function fw firewall\n"
					   "function fw2 firewall default allow\n"
					   "function fw rule allow proto tcp dport 22\n"
					   "function fw rule deny src 192.0.2.0/24 in eth0\n"
					   "function fw default accept\n"
					   "function m mirror dev eth1\n"
					   "function m2 mirror mac 02:00:00:00:00:99 dev eth0\n"
					   "function c counter\n");
	const struct dp_nh *nh;

	if (!t)
		return;
	CHECK_EQ(t->n_vnf, 5);
	CHECK_EQ(vnf_find(t, "fw"), 0);
	CHECK_EQ(vnf_find(t, "c"), 4);
	CHECK_STR(t->vnf[0]->ops->type, "firewall");
	CHECK_STR(t->vnf[2]->ops->type, "mirror");
	CHECK_STR(t->vnf[4]->ops->type, "counter");
	CHECK_EQ(vnf_find(t, "nope"), -1);
	/* the mirror's copies go to a fixed MAC, broadcast by default */
	nh = &t->nh[t->n_nh - 1];
	CHECK(nh->has_mac && nh->oif == 0 && !memcmp(nh->mac, "\x02\0\0\0\0\x99", 6));
	nh = &t->nh[t->n_nh - 2];
	CHECK(nh->has_mac && nh->oif == 1 && !memcmp(nh->mac, "\xff\xff\xff\xff\xff\xff", 6));
	dp_tables_free(t);
}

TEST(conf_function_firewall_max)
{
	size_t cap = 300 * 48 + 256;
	char *text = malloc(cap), *p = text;

	p += sprintf(p, "function f firewall\n");
	for (int i = 0; i < 256; i++)
		p += sprintf(p, "function f rule deny dport %d\n", i + 1);
	dp_tables_free(CONF_OK(text));
	sprintf(p, "function f rule deny dport 999\n");
	CONF_ERR(text, "node.conf:258: more than 256 rules in function f");
	free(text);
}

/* ---- conf_load: files, and nothing half-applied ---- */

static char *tmp_conf(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/srchain-test-conf-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	return path;
}

TEST(conf_load_ok)
{
	char *path = tmp_conf(NODE_SIDS "function c counter\nsid 2001:db8:f::1 End function c\n");
	struct err err = {{0}};
	struct dp_tables *t;

	CHECK(path != NULL);
	if (!path)
		return;
	t = conf_load(path, 4, &err);
	CHECK(t != NULL);
	if (t) {
		CHECK_EQ(t->n_workers, 4);
		CHECK(t->stats != NULL); /* finished */
		CHECK_EQ(t->n_lfib, 8);
		CHECK_EQ(t->n_sid, 1);
		dp_tables_free(t);
	}
	unlink(path);
}

TEST(conf_load_error_applies_nothing)
{
	char want[128];
	struct err err = {{0}};
	char *path;

	/* everything valid up to the last line */
	path = tmp_conf(NODE_SIDS "function c counter\nsid 2001:db8:f::1 End function d\n");
	CHECK(path != NULL);
	if (!path)
		return;
	CHECK(conf_load(path, 1, &err) == NULL);
	snprintf(want, sizeof(want), "%s:15: field 'function': no function 'd'", path);
	CHECK(!strncmp(err.msg, want, strlen(want)));
	unlink(path);

	/* the last line is fine, a node SID (resolved at the end) is not */
	path = tmp_conf("mpls srgb 16000 16999\nmpls node-sid 10.9.9.9/32 index 1\n"
			"interface eth0 mac " MAC1 "\n");
	CHECK(path != NULL);
	if (!path)
		return;
	CHECK(conf_load(path, 1, &err) == NULL);
	snprintf(want, sizeof(want), "%s:2: field 'prefix': no route to 10.9.9.9", path);
	CHECK_STR(err.msg, want);
	unlink(path);

	/* a missing file */
	CHECK(conf_load("/nonexistent/srchain.conf", 1, &err) == NULL);
	CHECK_STR(err.msg, "/nonexistent/srchain.conf: cannot open: No such file or directory");
}

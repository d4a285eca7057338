/* Data-plane tables: longest-prefix match (dp/lpm.c), the open-addressing
 * hash under it (lib/xhash.c), weighted next-hop groups (dp_nhg_add), and
 * the tuple-space classifier (dp/classify.c) run as a stage. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/dp.h"
#include "dp/lpm.h"
#include "dp/tables.h"
#include "lib/xhash.h"
#include "pkt/pbuf.h"
#include "test.h"

static void a6(void *a, const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
}

static void a4(void *a, const char *s)
{
	if (inet_pton(AF_INET, s, a) != 1)
		abort();
}

static uint32_t look6(const struct lpm *l, const char *s)
{
	uint8_t a[16];

	a6(a, s);
	return lpm_lookup(l, a);
}

static uint32_t look4(const struct lpm *l, const char *s)
{
	uint8_t a[4];

	a4(a, s);
	return lpm_lookup(l, a);
}

static int add6(struct lpm *l, const char *s, int len, uint32_t v)
{
	uint8_t a[16];

	a6(a, s);
	return lpm_add(l, a, len, v);
}

static int add4(struct lpm *l, const char *s, int len, uint32_t v)
{
	uint8_t a[4];

	a4(a, s);
	return lpm_add(l, a, len, v);
}

/* ---- lpm ---- */

TEST(lpm_longest_match_ipv6)
{
	struct lpm l;

	CHECK_EQ(lpm_init(&l, 16), 0);
	CHECK_EQ(look6(&l, "2001:db8::1"), LPM_MISS); /* empty */
	CHECK_EQ(add6(&l, "2001:db8::", 32, 32), 0);
	CHECK_EQ(add6(&l, "2001:db8:1::", 48, 48), 0);
	CHECK_EQ(add6(&l, "2001:db8:1:2::", 64, 64), 0);
	CHECK_EQ(add6(&l, "2001:db8:1:2::1", 128, 128), 0);
	CHECK_EQ(add6(&l, "2001:db8:1:2::", 127, 127), 0);
	CHECK_EQ(add6(&l, "2001:db8:8000::", 33, 33), 0);
	CHECK_EQ(add6(&l, "8000::", 1, 1), 0);
	CHECK_EQ(l.n_lens, 7);
	CHECK_EQ(look6(&l, "2001:db8:1:2::1"), 128);
	CHECK_EQ(look6(&l, "2001:db8:1:2::0"), 127);
	CHECK_EQ(look6(&l, "2001:db8:1:2::2"), 64);
	CHECK_EQ(look6(&l, "2001:db8:1:3::1"), 48);
	CHECK_EQ(look6(&l, "2001:db8:2::1"), 32);
	CHECK_EQ(look6(&l, "2001:db8:8000::1"), 33);
	CHECK_EQ(look6(&l, "2001:db8:ffff::1"), 33);
	CHECK_EQ(look6(&l, "2001:db9::1"), LPM_MISS);
	CHECK_EQ(look6(&l, "fe80::1"), 1);
	CHECK_EQ(look6(&l, "7fff::1"), LPM_MISS);
	/* /0: everything else */
	CHECK_EQ(add6(&l, "::", 0, 0), 0);
	CHECK_EQ(look6(&l, "7fff::1"), 0);
	CHECK_EQ(look6(&l, "2001:db9::1"), 0);
	CHECK_EQ(look6(&l, "2001:db8:1:2::1"), 128);
	lpm_free(&l);
}

/* A prefix of every length 0..128 of one address: an address that first
 * differs from it at bit k is covered by lengths 0..k, so it finds k. */
TEST(lpm_every_length)
{
	static const char base[] = "2001:db8:a5a5:5a5a:ffff:0:1234:8001";
	uint8_t a[16], b[16];
	struct lpm l;

	a6(a, base);
	CHECK_EQ(lpm_init(&l, 16), 0);
	for (int len = 128; len >= 0; len--)
		CHECK_EQ(lpm_add(&l, a, len, (uint32_t)len), 0);
	CHECK_EQ(l.n_lens, 129);
	for (int i = 1; i < l.n_lens; i++)
		CHECK(l.lens[i - 1] > l.lens[i]); /* longest first */
	CHECK_EQ(lpm_lookup(&l, a), 128);
	for (int k = 0; k < 128; k++) {
		memcpy(b, a, 16);
		b[k / 8] ^= (uint8_t)(0x80 >> (k % 8));
		CHECK_EQ(lpm_lookup(&l, b), (uint32_t)k);
		CHECK_EQ(lpm_get(&l, a, k), (uint32_t)k);
	}
	lpm_free(&l);
}

TEST(lpm_ipv4)
{
	struct lpm l;
	uint8_t a[4];

	CHECK_EQ(lpm_init(&l, 4), 0);
	CHECK_EQ(add4(&l, "0.0.0.0", 0, 1), 0);
	CHECK_EQ(add4(&l, "192.0.2.0", 24, 24), 0);
	CHECK_EQ(add4(&l, "192.0.2.128", 25, 25), 0);
	CHECK_EQ(add4(&l, "192.0.2.200", 31, 31), 0);
	CHECK_EQ(add4(&l, "192.0.2.201", 32, 32), 0);
	CHECK_EQ(add4(&l, "192.0.2.77", 32, 77), 0);
	CHECK_EQ(look4(&l, "192.0.2.201"), 32);
	CHECK_EQ(look4(&l, "192.0.2.200"), 31);
	CHECK_EQ(look4(&l, "192.0.2.202"), 25);
	CHECK_EQ(look4(&l, "192.0.2.77"), 77);
	CHECK_EQ(look4(&l, "192.0.2.78"), 24);
	CHECK_EQ(look4(&l, "192.0.3.1"), 1);
	CHECK_EQ(look4(&l, "255.255.255.255"), 1);
	/* lengths over 32 are refused for IPv4, 0..32 accepted */
	CHECK_EQ(add4(&l, "192.0.2.0", 33, 9), -EINVAL);
	CHECK_EQ(add4(&l, "192.0.2.0", -1, 9), -EINVAL);
	a4(a, "192.0.2.201");
	CHECK_EQ(lpm_get(&l, a, 33), LPM_MISS);
	CHECK_EQ(lpm_get(&l, a, 32), 32);
	CHECK_EQ(lpm_get(&l, a, 30), LPM_MISS);
	lpm_free(&l);
}

TEST(lpm_replace_and_host_bits)
{
	struct lpm l;

	CHECK_EQ(lpm_init(&l, 4), 0);
	CHECK_EQ(add4(&l, "198.51.100.0", 24, 1), 0);
	CHECK_EQ(look4(&l, "198.51.100.9"), 1);
	/* same prefix written with host bits: replaces, no new length */
	CHECK_EQ(add4(&l, "198.51.100.77", 24, 2), 0);
	CHECK_EQ(look4(&l, "198.51.100.9"), 2);
	CHECK_EQ(l.n_lens, 1);
	CHECK_EQ(l.h.count, 1);
	CHECK_EQ(add4(&l, "198.51.100.0", 24, 3), 0);
	CHECK_EQ(look4(&l, "198.51.100.255"), 3);
	/* the reserved value cannot be stored */
	CHECK_EQ(add4(&l, "198.51.100.0", 24, LPM_MISS), -EINVAL);
	CHECK_EQ(look4(&l, "198.51.100.255"), 3);
	lpm_free(&l);
	CHECK_EQ(lpm_init(&l, 8), -EINVAL);
	/* /128 only matches itself */
	CHECK_EQ(lpm_init(&l, 16), 0);
	CHECK_EQ(add6(&l, "2001:db8::1", 128, 5), 0);
	CHECK_EQ(look6(&l, "2001:db8::1"), 5);
	CHECK_EQ(look6(&l, "2001:db8::"), LPM_MISS);
	CHECK_EQ(look6(&l, "2001:db8::3"), LPM_MISS);
	CHECK_EQ(add6(&l, "2001:db8::1", 129, 5), -EINVAL);
	lpm_free(&l);
}

TEST(lpm_many_prefixes)
{
	struct lpm l;
	uint8_t a[16];

	CHECK_EQ(lpm_init(&l, 16), 0);
	/* 4096 /48s and 4096 /64s inside them */
	for (uint32_t i = 0; i < 4096; i++) {
		memset(a, 0, 16);
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
		a[4] = (uint8_t)(i >> 8), a[5] = (uint8_t)i;
		CHECK_EQ(lpm_add(&l, a, 48, i), 0);
		a[7] = 1;
		CHECK_EQ(lpm_add(&l, a, 64, 10000 + i), 0);
	}
	CHECK_EQ(l.h.count, 8192);
	for (uint32_t i = 0; i < 4096; i += 7) {
		memset(a, 0, 16);
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
		a[4] = (uint8_t)(i >> 8), a[5] = (uint8_t)i;
		a[15] = 9;
		CHECK_EQ(lpm_lookup(&l, a), i);
		a[7] = 1;
		CHECK_EQ(lpm_lookup(&l, a), 10000 + i);
		a[6] = 1;
		CHECK_EQ(lpm_lookup(&l, a), i);
	}
	lpm_free(&l);
}

/* ---- xhash ---- */

TEST(xhash_basic)
{
	struct xhash h;
	uint32_t k, v = 0;

	CHECK_EQ(xhash_init(&h, 0, 16), -EINVAL);
	CHECK_EQ(xhash_init(&h, XHASH_KEY_MAX + 1, 16), -EINVAL);
	CHECK_EQ(xhash_init(&h, 4, 100), 0);
	CHECK_EQ(h.cap, 256); /* at least twice what is expected */
	k = 1;
	CHECK_EQ(xhash_get(&h, &k, &v), -1);
	CHECK_EQ(xhash_put(&h, &k, 10), 0);
	CHECK_EQ(xhash_get(&h, &k, &v), 0);
	CHECK_EQ(v, 10);
	CHECK_EQ(xhash_put(&h, &k, 11), 0); /* replace */
	CHECK_EQ(h.count, 1);
	CHECK_EQ(xhash_get(&h, &k, &v), 0);
	CHECK_EQ(v, 11);
	k = 0; /* an all-zero key is a key like any other */
	CHECK_EQ(xhash_get(&h, &k, &v), -1);
	CHECK_EQ(xhash_put(&h, &k, 0), 0);
	CHECK_EQ(xhash_get(&h, &k, &v), 0);
	CHECK_EQ(v, 0);
	xhash_free(&h);
	/* a freed (or never initialised) table misses and refuses puts */
	CHECK_EQ(xhash_get(&h, &k, &v), -1);
	CHECK_EQ(xhash_put(&h, &k, 1), -EINVAL);
	xhash_free(&h);
}

TEST(xhash_grow_many_keys)
{
	struct xhash h;
	uint8_t key[20];
	uint32_t v;
	const uint32_t n = 100000;

	CHECK_EQ(xhash_init(&h, sizeof(key), 1), 0);
	CHECK_EQ(h.cap, 16);
	memset(key, 0, sizeof(key));
	for (uint32_t i = 0; i < n; i++) {
		memcpy(key + 13, &i, 4);
		if (xhash_put(&h, key, i * 3)) {
			CHECK(0);
			break;
		}
		CHECK(h.count * 2 <= h.cap);
	}
	CHECK_EQ(h.count, n);
	CHECK_EQ(h.cap & (h.cap - 1), 0);
	CHECK(h.cap >= 2 * n && h.cap <= 8 * n);
	for (uint32_t i = 0; i < n; i++) {
		memcpy(key + 13, &i, 4);
		if (xhash_get(&h, key, &v) || v != i * 3) {
			CHECK(0);
			break;
		}
	}
	for (uint32_t i = n; i < n + 1000; i++) {
		memcpy(key + 13, &i, 4);
		CHECK_EQ(xhash_get(&h, key, &v), -1);
	}
	/* replacing every key keeps the count */
	for (uint32_t i = 0; i < n; i += 2) {
		memcpy(key + 13, &i, 4);
		CHECK_EQ(xhash_put(&h, key, 7), 0);
	}
	CHECK_EQ(h.count, n);
	memcpy(key + 13, &(uint32_t){4}, 4);
	CHECK(!xhash_get(&h, key, &v) && v == 7);
	memcpy(key + 13, &(uint32_t){5}, 4);
	CHECK(!xhash_get(&h, key, &v) && v == 15);
	xhash_free(&h);
}

/* Two keys with the same 32-bit tag (found by brute force with a second
 * table keyed by tag): the table tells them apart by the key bytes. */
TEST(xhash_tag_collision)
{
	struct xhash seen, h;
	uint32_t a = 0, b = 0, v;
	int found = 0;

	CHECK_EQ(xhash_init(&seen, 4, 1 << 16), 0);
	for (uint32_t k = 1; k < (1u << 22) && !found; k++) {
		uint32_t tag = xhash_bytes(&k, 4) | 1, other;

		if (!xhash_get(&seen, &tag, &other)) {
			a = other;
			b = k;
			found = 1;
		} else {
			CHECK_EQ(xhash_put(&seen, &tag, k), 0);
		}
	}
	xhash_free(&seen);
	CHECK(found);
	if (!found)
		return;
	CHECK_EQ(xhash_bytes(&a, 4) | 1, xhash_bytes(&b, 4) | 1);
	CHECK_EQ(xhash_init(&h, 4, 4), 0);
	CHECK_EQ(xhash_put(&h, &a, 100), 0);
	CHECK_EQ(xhash_get(&h, &b, &v), -1);
	CHECK_EQ(xhash_put(&h, &b, 200), 0);
	CHECK_EQ(h.count, 2);
	CHECK(!xhash_get(&h, &a, &v) && v == 100);
	CHECK(!xhash_get(&h, &b, &v) && v == 200);
	xhash_free(&h);
}

/* Keys whose home is the last slot: probing wraps to slot 0. */
TEST(xhash_probe_wraps)
{
	struct xhash h;
	uint32_t keys[6], n = 0, v;

	CHECK_EQ(xhash_init(&h, 4, 4), 0);
	CHECK_EQ(h.cap, 16);
	for (uint32_t k = 0; n < 6; k++)
		if (((xhash_bytes(&k, 4) | 1) & 15) == 15)
			keys[n++] = k;
	for (uint32_t i = 0; i < 6; i++)
		CHECK_EQ(xhash_put(&h, &keys[i], i), 0);
	CHECK_EQ(h.cap, 16);
	CHECK(h.tags[15] && h.tags[0] && h.tags[4]);
	for (uint32_t i = 0; i < 6; i++)
		CHECK(!xhash_get(&h, &keys[i], &v) && v == i);
	xhash_free(&h);
}

/* ---- weighted next-hop groups ---- */

/* Tables with one interface and n next hops (distinct MACs). */
static struct dp_tables *nh_tables(uint32_t *nh, uint32_t n)
{
	struct dp_tables *t = dp_tables_new(1);
	uint8_t mac[6] = {2, 0, 0, 0, 0, 0};

	if (!t || dp_if_add(t, "eth0", mac, 1500, 0, NULL) != 0)
		abort();
	for (uint32_t i = 0; i < n; i++) {
		mac[5] = (uint8_t)(i + 1);
		nh[i] = dp_nh_with_mac(t, 0, mac);
		if (nh[i] == DP_NONE)
			abort();
	}
	return t;
}

/* Buckets of group g holding each of nh[0..n). */
static void bucket_counts(const struct dp_tables *t, uint32_t g, const uint32_t *nh, uint32_t n,
			  uint32_t *cnt)
{
	memset(cnt, 0, n * sizeof(*cnt));
	for (uint32_t k = 0; k < t->nhg[g].n; k++)
		for (uint32_t i = 0; i < n; i++)
			if (t->buckets[t->nhg[g].first + k] == nh[i])
				cnt[i]++;
}

static void check_weights(const char *file, int line, const uint32_t *w, uint32_t n,
			  uint32_t want_buckets, const uint32_t *want)
{
	uint32_t nh[8], cnt[8], g = DP_NONE, sum = 0;
	struct dp_tables *t = nh_tables(nh, n);
	struct err err;

	if (dp_nhg_add(t, nh, w, n, &g, &err)) {
		test_fail(file, line, "dp_nhg_add: %s", err.msg);
		dp_tables_free(t);
		return;
	}
	if (t->nhg[g].n != want_buckets)
		test_fail(file, line, "%u buckets, wanted %u", t->nhg[g].n, want_buckets);
	bucket_counts(t, g, nh, n, cnt);
	for (uint32_t i = 0; i < n; i++) {
		sum += cnt[i];
		if (cnt[i] != want[i])
			test_fail(file, line, "next hop %u: %u buckets, wanted %u", i, cnt[i],
				  want[i]);
	}
	if (sum != t->nhg[g].n)
		test_fail(file, line, "buckets hold other next hops");
	dp_tables_free(t);
}

#define WEIGHTS(w, nb, want)                                                                       \
	check_weights(__FILE__, __LINE__, (const uint32_t[])w,                                     \
		      sizeof((const uint32_t[])w) / sizeof(uint32_t), (nb),                        \
		      (const uint32_t[])want)
#define L(...)                                                                                     \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}

TEST(nhg_weights)
{
	WEIGHTS(L(1), 1, L(1));
	WEIGHTS(L(7), 1, L(1)); /* a single next hop needs one bucket */
	WEIGHTS(L(1, 1), 2, L(1, 1));
	WEIGHTS(L(1, 2), 3, L(1, 2));
	WEIGHTS(L(2, 1), 3, L(2, 1));
	WEIGHTS(L(1, 3, 6), 10, L(1, 3, 6));
	WEIGHTS(L(6, 3, 1), 10, L(6, 3, 1));
	WEIGHTS(L(5, 5, 5, 5), 20, L(5, 5, 5, 5));
	/* totals over 1024 are scaled to 1024 buckets */
	WEIGHTS(L(1000, 1000), 1024, L(512, 512));
	WEIGHTS(L(1000, 1000, 1000, 1000, 1000, 1000), 1024, L(170, 170, 170, 170, 170, 174));
	/* every next hop keeps at least one bucket */
	WEIGHTS(L(1, 1000), 1001, L(1, 1000));
	WEIGHTS(L(1, 1000, 1000), 1024, L(1, 511, 512));
	WEIGHTS(L(1000, 1, 1000), 1024, L(511, 1, 512));
}

TEST(nhg_errors_and_layout)
{
	uint32_t nh[3], g1, g2, g3, cnt[3];
	struct dp_tables *t = nh_tables(nh, 3);
	struct err err;

	CHECK_EQ(dp_nhg_add(t, nh, (const uint32_t[]){1, 0}, 2, &g1, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'weight': must be at least 1");
	CHECK_EQ(dp_nhg_add(t, nh, (const uint32_t[]){1}, 0, &g1, &err), -EINVAL);
	CHECK_STR(err.msg, "a next-hop group needs at least one next hop");
	CHECK_EQ(t->n_nhg, 0);
	CHECK_EQ(t->n_buckets, 0);
	/* groups take consecutive bucket ranges */
	CHECK_EQ(dp_nhg_add(t, nh, (const uint32_t[]){1, 2}, 2, &g1, &err), 0);
	CHECK_EQ(dp_nhg_add(t, nh, (const uint32_t[]){3, 3, 3}, 3, &g2, &err), 0);
	CHECK_EQ(dp_nhg_add(t, nh + 2, (const uint32_t[]){4}, 1, &g3, &err), 0);
	CHECK_EQ(g1, 0);
	CHECK_EQ(g2, 1);
	CHECK_EQ(g3, 2);
	CHECK(t->nhg[0].first == 0 && t->nhg[0].n == 3);
	CHECK(t->nhg[1].first == 3 && t->nhg[1].n == 9);
	CHECK(t->nhg[2].first == 12 && t->nhg[2].n == 1);
	CHECK_EQ(t->n_buckets, 13);
	bucket_counts(t, g2, nh, 3, cnt);
	CHECK(cnt[0] == 3 && cnt[1] == 3 && cnt[2] == 3);
	CHECK_EQ(t->buckets[12], nh[2]);
	dp_tables_free(t);
}

/* ---- classifier ---- */

struct cls_env {
	struct dp_tables *t;
	struct dp_worker *w;
	struct dp_out out;
	uint8_t frame[PKT_FRAME_SIZE];
};

static int cls_setup(struct cls_env *e, const char *text)
{
	struct err err;

	memset(e, 0, sizeof(*e));
	e->t = dp_tables_new(1);
	e->w = calloc(1, sizeof(*e->w));
	if (!e->t || !e->w)
		abort();
	dp_worker_init(e->w, NULL, 0);
	if (conf_apply(e->t, text, strlen(text), "cls.conf", &err) ||
	    dp_tables_finish(e->t, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return -1;
	}
	return 0;
}

static void cls_teardown(struct cls_env *e)
{
	dp_tables_free(e->t);
	free(e->w);
}

struct flow {
	const char *in;
	const char *src, *dst;
	uint8_t proto;
	uint16_t sport, dport;
};

/* Builds the flow's packet (IPv4 or IPv6, then a TCP or UDP header or 8
 * bytes of ICMP), runs the classify stage on it and returns the index of
 * the rule that counted it, or -1 for the default action; *next is the
 * stage the packet went to. */
static int cls_run(struct cls_env *e, const struct flow *f, int *next)
{
	const struct dp_tables *t = e->t;
	struct dp_ctx c = {.t = t, .w = e->w, .stats = t->stats, .out = &e->out};
	struct pkt p, *pp = &p;
	uint8_t *d = e->frame + PKT_HEADROOM, *l4;
	uint32_t l4_len = f->proto == 6 ? 20 : 8, hit = 0;
	int v6 = strchr(f->src, ':') != NULL, rule = -1;

	memset(e->frame, 0, sizeof(e->frame));
	memset(&p, 0, sizeof(p));
	if (v6) {
		d[0] = 0x60;
		d[4] = 0, d[5] = (uint8_t)l4_len;
		d[6] = f->proto;
		d[7] = 64;
		a6(d + 8, f->src);
		a6(d + 24, f->dst);
		l4 = d + 40;
		p.len = 40 + l4_len;
		p.l3 = PKT_L3_IPV6;
	} else {
		d[0] = 0x45;
		d[2] = 0, d[3] = (uint8_t)(20 + l4_len);
		d[8] = 64;
		d[9] = f->proto;
		a4(d + 12, f->src);
		a4(d + 16, f->dst);
		l4 = d + 20;
		p.len = 20 + l4_len;
		p.l3 = PKT_L3_IPV4;
	}
	l4[0] = (uint8_t)(f->sport >> 8), l4[1] = (uint8_t)f->sport;
	l4[2] = (uint8_t)(f->dport >> 8), l4[3] = (uint8_t)f->dport;
	if (f->proto == 6)
		l4[12] = 0x50;
	else if (f->proto == 17)
		l4[5] = 8;
	p.frame = e->frame;
	p.off = PKT_HEADROOM;
	p.in_if = (uint16_t)dp_if_find(t, f->in);
	p.passes = 1;

	memset(t->stats, 0, (size_t)t->n_stat * 2 * sizeof(*t->stats));
	memset(e->w->n, 0, sizeof(e->w->n));
	dp_stage_classify(&c, &pp, 1);
	for (uint32_t r = 0; r < t->n_rule; r++)
		if (t->stats[2 * t->rule[r].stat]) {
			rule = (int)r;
			hit++;
		}
	CHECK(hit <= 1);
	CHECK(p.flags & PKT_F_CLASSIFIED);
	*next = -1;
	for (int s = 0; s < DPN_MAX; s++)
		if (e->w->n[s] == 1 && e->w->vec[s][0] == &p)
			*next = s;
	/* 'forward' routes right away (these tables have no routes): report
	 * it as the IP stage of the packet's family, as the rules say */
	if (*next == DPN_DROP && (p.ref == DP_CTR_IP4_NO_ROUTE || p.ref == DP_CTR_IP6_NO_ROUTE))
		*next = p.ref == DP_CTR_IP4_NO_ROUTE ? DPN_IP4 : DPN_IP6;
	return rule;
}

static void cls_expect(const char *file, int line, struct cls_env *e, const struct flow *f,
		       int want_rule, int want_next)
{
	int next, r = cls_run(e, f, &next);

	if (r != want_rule)
		test_fail(file, line, "%s -> %s proto %u %u -> %u in %s: rule %d, wanted %d",
			  f->src, f->dst, f->proto, f->sport, f->dport, f->in, r, want_rule);
	if (next != want_next)
		test_fail(file, line, "went to stage %d, wanted %d", next, want_next);
}

#define FLOW(...)	      (&(const struct flow){__VA_ARGS__})
#define CLS(e, f, rule, next) cls_expect(__FILE__, __LINE__, (e), (f), (rule), (next))

#define CLS_IFS                                                                                    \
	"interface eth0 mac 02:00:00:00:00:01 classify\n"                                          \
	"interface eth1 mac 02:00:00:00:00:02 classify\n"

/* Rules of every shape and with port ranges, interleaved: the lowest
 * numbered matching rule wins, whichever structure holds it. */
TEST(classify_first_match_order)
{
	struct cls_env e;

	if (cls_setup(&e, CLS_IFS "classify in eth1 drop\n"				   /* 0 */
				  "classify proto tcp dport 80 src 192.0.2.0/24 forward\n" /* 1 */
				  "classify proto tcp dport 1000-2000 forward\n"	   /* 2 */
				  "classify proto tcp dport 80 forward\n"		   /* 3 */
				  "classify dst 2001:db8:5::/48 drop\n"			   /* 4 */
				  "classify proto udp sport 53 forward\n"		   /* 5 */
				  "classify family ipv6 dport 1500 forward\n"		   /* 6 */
				  "classify proto tcp dport 1-65535 drop\n"		   /* 7 */
				  "classify proto tcp dport 80 drop\n" /* 8: shadowed */
				  "classify src 203.0.113.0/24 dst 198.51.100.0/24 drop\n" /* 9 */
				  "classify forward\n"))				   /* 10 */
		return;
	CHECK_EQ(e.t->n_range, 2);
	/* the interface rule comes first */
	CLS(&e, FLOW("eth1", "192.0.2.5", "198.51.100.1", 6, 999, 80), 0, DPN_DROP);
	CLS(&e, FLOW("eth0", "192.0.2.5", "198.51.100.1", 6, 999, 80), 1, DPN_IP4);
	CLS(&e, FLOW("eth0", "198.51.100.5", "192.0.2.1", 6, 999, 80), 3, DPN_IP4);
	/* a range rule before hashed rules that also match */
	CLS(&e, FLOW("eth0", "192.0.2.5", "198.51.100.1", 6, 999, 1500), 2, DPN_IP4);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:5::1", 6, 999, 1500), 2, DPN_IP6);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:5::1", 6, 999, 2001), 4, DPN_DROP);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:9::1", 17, 999, 1500), 6, DPN_IP6);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:5:ffff::1", 17, 53, 1500), 4, DPN_DROP);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:6::1", 17, 53, 1500), 5, DPN_IP6);
	CLS(&e, FLOW("eth0", "192.0.2.9", "192.0.2.10", 17, 53, 9), 5, DPN_IP4);
	/* a range rule after hashed rules that do not match */
	CLS(&e, FLOW("eth0", "192.0.2.9", "192.0.2.10", 6, 1, 443), 7, DPN_DROP);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:6::1", 6, 1, 65535), 7, DPN_DROP);
	CLS(&e, FLOW("eth0", "203.0.113.7", "198.51.100.99", 17, 5, 6), 9, DPN_DROP);
	CLS(&e, FLOW("eth0", "203.0.113.7", "198.51.101.99", 17, 5, 6), 10, DPN_IP4);
	CLS(&e, FLOW("eth0", "192.0.2.9", "192.0.2.10", 1, 8, 0), 10, DPN_IP4);
	CLS(&e, FLOW("eth0", "2001:db8::1", "2001:db8:5::1", 58, 128, 0), 4, DPN_DROP);
	cls_teardown(&e);
}

TEST(classify_default_and_in_if)
{
	struct cls_env e;

	if (cls_setup(&e, CLS_IFS "interface eth2 mac 02:00:00:00:00:03 classify\n"
				  "classify in eth0 proto udp forward\n"
				  "classify in eth2 dport 7-9 forward\n"
				  "classify in eth1 src 192.0.2.0/25 forward\n"
				  "classify default drop\n"))
		return;
	CLS(&e, FLOW("eth0", "192.0.2.1", "192.0.2.2", 17, 1, 2), 0, DPN_IP4);
	CLS(&e, FLOW("eth1", "192.0.2.1", "192.0.2.2", 17, 1, 2), 2, DPN_IP4);
	CLS(&e, FLOW("eth2", "192.0.2.1", "192.0.2.2", 17, 1, 2), -1, DPN_DROP);
	CLS(&e, FLOW("eth2", "192.0.2.1", "192.0.2.2", 17, 1, 8), 1, DPN_IP4);
	CLS(&e, FLOW("eth0", "192.0.2.1", "192.0.2.2", 6, 1, 8), -1, DPN_DROP);
	CLS(&e, FLOW("eth1", "192.0.2.200", "192.0.2.2", 6, 1, 8), -1, DPN_DROP);
	CLS(&e, FLOW("eth1", "2001:db8::1", "2001:db8::2", 6, 1, 8), -1, DPN_DROP);
	CHECK_EQ(e.w->ctr[DP_CTR_CLASSIFY_DEFAULT_DROP], 4);
	cls_teardown(&e);

	/* default forward, and no rules at all */
	if (cls_setup(&e, CLS_IFS))
		return;
	CHECK(e.t->any_classify);
	CLS(&e, FLOW("eth0", "192.0.2.1", "192.0.2.2", 6, 1, 2), -1, DPN_IP4);
	CLS(&e, FLOW("eth1", "2001:db8::1", "2001:db8::2", 17, 1, 2), -1, DPN_IP6);
	CHECK_EQ(e.w->ctr[DP_CTR_CLASSIFY_DEFAULT_DROP], 0);
	cls_teardown(&e);
}

/* Many exact 5-tuple rules land in one shape: one probe finds each. */
TEST(classify_many_exact_rules)
{
	struct cls_env e;
	char *text = malloc(600 * 80), *p = text;

	p += sprintf(p, CLS_IFS);
	for (int i = 0; i < 500; i++)
		p += sprintf(
			p,
			"classify proto udp src 192.0.2.%d dst 198.51.100.%d sport %d dport %d "
			"forward\n",
			i % 250, i / 250, 1000 + i, 2000 + i);
	p += sprintf(p, "classify default drop\n");
	if (cls_setup(&e, text)) {
		free(text);
		return;
	}
	free(text);
	CHECK_EQ(e.t->n_shape, 1);
	CHECK_EQ(e.t->n_range, 0);
	for (int i = 0; i < 500; i += 37) {
		char s[32], d[32];

		snprintf(s, sizeof(s), "192.0.2.%d", i % 250);
		snprintf(d, sizeof(d), "198.51.100.%d", i / 250);
		CLS(&e, FLOW("eth0", s, d, 17, (uint16_t)(1000 + i), (uint16_t)(2000 + i)), i,
		    DPN_IP4);
		CLS(&e, FLOW("eth0", s, d, 17, (uint16_t)(1000 + i), (uint16_t)(2001 + i)), -1,
		    DPN_DROP);
	}
	cls_teardown(&e);
}

/* Per-flow sequence accounting (bitmap window) and log-linear latency histogram. */
#include "lib/flowstats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_WORDS (FLOWSTATS_WINDOW_BITS / 64)
#define HIST_MAX_VAL ((UINT64_C(1) << FLOWSTATS_HIST_MAX_EXP) - 1)

_Static_assert((FLOWSTATS_WINDOW_BITS & (FLOWSTATS_WINDOW_BITS - 1)) == 0 &&
		       FLOWSTATS_WINDOW_BITS >= 128,
	       "window must be a power of two of at least two words");

void flowstats_hist_reset(struct flowstats_hist *h)
{
	memset(h, 0, sizeof(*h));
}

/* Group 0 holds the exact values [0, SUB); group g >= 1 holds [2^(g+SUB_BITS-1),
 * 2^(g+SUB_BITS)) split into SUB buckets of width 2^(g-1). */
unsigned flowstats_hist_index(uint64_t v)
{
	unsigned e, shift;

	if (v > HIST_MAX_VAL)
		v = HIST_MAX_VAL;
	if (v < FLOWSTATS_HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	shift = e - FLOWSTATS_HIST_SUB_BITS;
	return (shift + 1) * FLOWSTATS_HIST_SUB + (unsigned)((v >> shift) - FLOWSTATS_HIST_SUB);
}

uint64_t flowstats_hist_bucket_low(unsigned i)
{
	unsigned g = i / FLOWSTATS_HIST_SUB, sub = i % FLOWSTATS_HIST_SUB;

	if (g == 0)
		return i;
	return (uint64_t)(FLOWSTATS_HIST_SUB + sub) << (g - 1);
}

uint64_t flowstats_hist_bucket_width(unsigned i)
{
	unsigned g = i / FLOWSTATS_HIST_SUB;

	return g == 0 ? 1 : UINT64_C(1) << (g - 1);
}

void flowstats_hist_add(struct flowstats_hist *h, uint64_t v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->buckets[flowstats_hist_index(v)]++;
}

uint64_t flowstats_hist_quantile(const struct flowstats_hist *h, double q)
{
	uint64_t rank, seen = 0, v;

	if (h->count == 0)
		return 0;
	if (!(q > 0.0))
		return h->min;
	if (q >= 1.0)
		return h->max;
	/* Nearest-rank: the smallest value with at least q * count values at or below. */
	rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank == 0)
		rank = 1;
	for (unsigned i = 0; i < FLOWSTATS_HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen < rank)
			continue;
		v = flowstats_hist_bucket_low(i) + (flowstats_hist_bucket_width(i) - 1) / 2;
		if (v < h->min)
			v = h->min;
		if (v > h->max)
			v = h->max;
		return v;
	}
	return h->max;
}

void flowstats_init(struct flowstats *fs)
{
	memset(fs, 0, sizeof(*fs));
}

static bool window_test(const struct flowstats *fs, uint64_t seq)
{
	uint64_t bit = seq & (FLOWSTATS_WINDOW_BITS - 1);

	return fs->window[bit / 64] >> (bit % 64) & 1;
}

static void window_set(struct flowstats *fs, uint64_t seq)
{
	uint64_t bit = seq & (FLOWSTATS_WINDOW_BITS - 1);

	fs->window[bit / 64] |= UINT64_C(1) << (bit % 64);
}

/* Forgets the bits of sequence numbers (highest, seq]: they now stand for the
 * newer numbers that map onto the same bits. */
static void window_advance(struct flowstats *fs, uint64_t seq)
{
	uint64_t n = seq - fs->highest;
	uint64_t bit = (fs->highest + 1) & (FLOWSTATS_WINDOW_BITS - 1);

	if (n >= FLOWSTATS_WINDOW_BITS) {
		memset(fs->window, 0, sizeof(fs->window));
		return;
	}
	/* n < WINDOW_BITS: at most WINDOW_WORDS + 1 iterations. */
	while (n > 0) {
		uint64_t word = bit / 64, off = bit % 64;
		uint64_t take = 64 - off < n ? 64 - off : n;
		uint64_t mask = take == 64 ? ~UINT64_C(0) : ((UINT64_C(1) << take) - 1) << off;

		fs->window[word] &= ~mask;
		n -= take;
		bit = (bit + take) & (FLOWSTATS_WINDOW_BITS - 1);
	}
}

enum flowstats_verdict flowstats_seq(struct flowstats *fs, uint64_t seq)
{
	uint64_t dist;

	fs->received++;
	if (fs->unique == 0) {
		fs->highest = seq;
		window_set(fs, seq);
		fs->unique++;
		return FLOWSTATS_IN_ORDER;
	}
	if (seq > fs->highest) {
		window_advance(fs, seq);
		fs->highest = seq;
		window_set(fs, seq);
		fs->unique++;
		return FLOWSTATS_IN_ORDER;
	}
	dist = fs->highest - seq;
	if (dist >= FLOWSTATS_WINDOW_BITS) {
		fs->stale++;
		fs->reordered++;
		fs->unique++;
		if (dist > fs->reorder_max)
			fs->reorder_max = dist;
		return FLOWSTATS_STALE;
	}
	if (window_test(fs, seq)) {
		fs->duplicates++;
		return FLOWSTATS_DUPLICATE;
	}
	window_set(fs, seq);
	fs->unique++;
	fs->reordered++;
	if (dist > fs->reorder_max)
		fs->reorder_max = dist;
	return FLOWSTATS_REORDERED;
}

void flowstats_fin(struct flowstats *fs, uint64_t total)
{
	fs->fin_seen = true;
	fs->fin_total = total;
}

uint64_t flowstats_expected(const struct flowstats *fs)
{
	uint64_t expected = fs->unique ? fs->highest + 1 : 0;

	if (fs->fin_seen && fs->fin_total > expected)
		expected = fs->fin_total;
	return expected;
}

uint64_t flowstats_lost(const struct flowstats *fs)
{
	uint64_t expected = flowstats_expected(fs);

	/* A stale duplicate counts as unique and could push unique past expected. */
	return expected > fs->unique ? expected - fs->unique : 0;
}

int flowstats_series_init(struct flowstats_series *s, uint64_t first, uint32_t cap)
{
	*s = (struct flowstats_series){.first = first, .cap = cap};
	if (cap == 0)
		return 0;
	s->pts = calloc(cap, sizeof(*s->pts));
	if (!s->pts) {
		s->cap = 0;
		return -ENOMEM;
	}
	return 0;
}

void flowstats_series_fini(struct flowstats_series *s)
{
	free(s->pts);
	*s = (struct flowstats_series){0};
}

void flowstats_series_add(struct flowstats_series *s, uint64_t idx, bool has_lat, uint64_t lat)
{
	struct flowstats_point *p;
	uint64_t pos;

	if (idx < s->first || idx - s->first >= s->cap) {
		s->dropped++;
		return;
	}
	pos = idx - s->first;
	p = &s->pts[pos];
	p->received++;
	if (has_lat) {
		p->lat_count++;
		p->lat_sum += lat;
		if (lat > p->lat_max)
			p->lat_max = lat;
	}
	if (pos >= s->len)
		s->len = (uint32_t)pos + 1;
}

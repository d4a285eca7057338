/* flowstats: loss, duplicates, reordering, the window edge, percentiles, series. */
#include <stdlib.h>

#include "lib/flowstats.h"
#include "test.h"

/* struct flowstats holds the window and histogram inline (about 17 KiB). */
static struct flowstats *fs_new(void)
{
	struct flowstats *fs = malloc(sizeof(*fs));

	if (fs)
		flowstats_init(fs);
	return fs;
}

TEST(flowstats_in_order)
{
	struct flowstats *fs = fs_new();

	if (!fs)
		return;
	for (uint64_t s = 0; s < 200000; s++)
		CHECK_EQ(flowstats_seq(fs, s), FLOWSTATS_IN_ORDER);
	CHECK_EQ(fs->received, 200000);
	CHECK_EQ(fs->unique, 200000);
	CHECK_EQ(fs->duplicates, 0);
	CHECK_EQ(fs->reordered, 0);
	CHECK_EQ(fs->highest, 199999);
	CHECK_EQ(flowstats_lost(fs), 0);
	free(fs);
}

TEST(flowstats_loss_and_tail)
{
	struct flowstats *fs = fs_new();

	if (!fs)
		return;
	CHECK_EQ(flowstats_expected(fs), 0);
	CHECK_EQ(flowstats_lost(fs), 0);
	for (uint64_t s = 0; s < 10; s++)
		if (s != 3 && s != 7)
			flowstats_seq(fs, s);
	CHECK_EQ(fs->unique, 8);
	CHECK_EQ(flowstats_expected(fs), 10);
	CHECK_EQ(flowstats_lost(fs), 2);
	CHECK_EQ(fs->reordered, 0);
	/* The sender says it sent 14: the last four never arrived. */
	flowstats_fin(fs, 14);
	CHECK_EQ(flowstats_expected(fs), 14);
	CHECK_EQ(flowstats_lost(fs), 6);
	/* A smaller announced total never hides what was seen. */
	flowstats_fin(fs, 5);
	CHECK_EQ(flowstats_expected(fs), 10);
	CHECK_EQ(flowstats_lost(fs), 2);
	free(fs);
}

TEST(flowstats_first_packet_not_zero)
{
	struct flowstats *fs = fs_new();

	if (!fs)
		return;
	/* The sink started late: the packets before 100 count as lost. */
	flowstats_seq(fs, 100);
	CHECK_EQ(flowstats_lost(fs), 100);
	CHECK_EQ(flowstats_seq(fs, 50), FLOWSTATS_REORDERED);
	CHECK_EQ(flowstats_lost(fs), 99);
	free(fs);
}

TEST(flowstats_duplicates)
{
	struct flowstats *fs = fs_new();
	static const uint64_t seqs[] = {0, 1, 1, 2, 0, 2, 3};
	static const int verdict[] = {FLOWSTATS_IN_ORDER, FLOWSTATS_IN_ORDER,  FLOWSTATS_DUPLICATE,
				      FLOWSTATS_IN_ORDER, FLOWSTATS_DUPLICATE, FLOWSTATS_DUPLICATE,
				      FLOWSTATS_IN_ORDER};

	if (!fs)
		return;
	for (unsigned i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		CHECK_EQ(flowstats_seq(fs, seqs[i]), verdict[i]);
	CHECK_EQ(fs->received, 7);
	CHECK_EQ(fs->unique, 4);
	CHECK_EQ(fs->duplicates, 3);
	CHECK_EQ(fs->reordered, 0);
	CHECK_EQ(flowstats_lost(fs), 0);
	free(fs);
}

TEST(flowstats_reordering)
{
	struct flowstats *fs = fs_new();

	if (!fs)
		return;
	flowstats_seq(fs, 0);
	flowstats_seq(fs, 2);
	flowstats_seq(fs, 5);
	CHECK_EQ(flowstats_lost(fs), 3);
	CHECK_EQ(flowstats_seq(fs, 1), FLOWSTATS_REORDERED);
	CHECK_EQ(flowstats_seq(fs, 4), FLOWSTATS_REORDERED);
	CHECK_EQ(flowstats_seq(fs, 3), FLOWSTATS_REORDERED);
	CHECK_EQ(flowstats_seq(fs, 3), FLOWSTATS_DUPLICATE);
	CHECK_EQ(fs->reordered, 3);
	CHECK_EQ(fs->reorder_max, 4);
	CHECK_EQ(fs->duplicates, 1);
	CHECK_EQ(flowstats_lost(fs), 0);
	free(fs);
}

/* Bits are reused modulo the window: advancing must forget the old numbers
 * that share a bit with the new ones, and only those. */
TEST(flowstats_window_wrap)
{
	struct flowstats *fs = fs_new();
	const uint64_t w = FLOWSTATS_WINDOW_BITS;

	if (!fs)
		return;
	for (uint64_t s = 0; s < w; s++)
		flowstats_seq(fs, s);
	CHECK_EQ(flowstats_seq(fs, w + 5), FLOWSTATS_IN_ORDER);
	/* w + 2 shares its bit with 2, which was received: still new. */
	CHECK_EQ(flowstats_seq(fs, w + 2), FLOWSTATS_REORDERED);
	CHECK_EQ(flowstats_seq(fs, w + 5), FLOWSTATS_DUPLICATE);
	CHECK_EQ(flowstats_seq(fs, w + 2), FLOWSTATS_DUPLICATE);
	/* 70 is still inside the window and was received. */
	CHECK_EQ(flowstats_seq(fs, 70), FLOWSTATS_DUPLICATE);
	/* 3 is below the window. */
	CHECK_EQ(flowstats_seq(fs, 3), FLOWSTATS_STALE);
	CHECK_EQ(fs->stale, 1);
	/* w, w+1, w+3, w+4 missing; the stale 3 is counted unique and masks one. */
	CHECK_EQ(flowstats_lost(fs), 3);
	free(fs);
}

TEST(flowstats_window_partial_words)
{
	struct flowstats *fs = fs_new();
	const uint64_t w = FLOWSTATS_WINDOW_BITS;

	if (!fs)
		return;
	/* Fill the window, then advance by 10 across the wrap point and a word edge. */
	for (uint64_t s = w - 6; s < 2 * w - 6; s++)
		flowstats_seq(fs, s);
	CHECK_EQ(fs->highest, 2 * w - 7);
	CHECK_EQ(flowstats_seq(fs, 2 * w + 3), FLOWSTATS_IN_ORDER);
	for (uint64_t s = 2 * w - 6; s < 2 * w + 3; s++)
		CHECK_EQ(flowstats_seq(fs, s), FLOWSTATS_REORDERED);
	/* Just inside the window: received before, duplicate. */
	CHECK_EQ(flowstats_seq(fs, w + 4), FLOWSTATS_DUPLICATE);
	CHECK_EQ(flowstats_seq(fs, w + 3), FLOWSTATS_STALE);
	/* A jump beyond the whole window clears everything. */
	CHECK_EQ(flowstats_seq(fs, 5 * w), FLOWSTATS_IN_ORDER);
	CHECK_EQ(flowstats_seq(fs, 5 * w - 1), FLOWSTATS_REORDERED);
	CHECK_EQ(flowstats_seq(fs, 4 * w + 1), FLOWSTATS_REORDERED);
	free(fs);
}

TEST(flowstats_hist_buckets)
{
	unsigned prev = 0;

	for (uint64_t v = 0; v < 200000; v++) {
		unsigned i = flowstats_hist_index(v);
		uint64_t lo = flowstats_hist_bucket_low(i);

		CHECK(i < FLOWSTATS_HIST_BUCKETS);
		CHECK(i >= prev);
		if (!(lo <= v && v < lo + flowstats_hist_bucket_width(i)))
			CHECK_EQ(v, lo);
		prev = i;
	}
	for (unsigned e = 6; e < FLOWSTATS_HIST_MAX_EXP; e++) {
		uint64_t v = UINT64_C(1) << e;
		unsigned i = flowstats_hist_index(v);

		CHECK_EQ(flowstats_hist_bucket_low(i), v);
		CHECK_EQ(flowstats_hist_index(v - 1), i - 1);
		/* Relative bucket width is bounded by 1 / SUB. */
		CHECK(flowstats_hist_bucket_width(i) * FLOWSTATS_HIST_SUB <= v);
	}
	CHECK_EQ(flowstats_hist_index(UINT64_MAX), FLOWSTATS_HIST_BUCKETS - 1);
}

TEST(flowstats_hist_exact_small)
{
	struct flowstats_hist h;

	flowstats_hist_reset(&h);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.5), 0);
	for (uint64_t v = 50; v >= 1; v--)
		flowstats_hist_add(&h, v);
	CHECK_EQ(h.count, 50);
	CHECK_EQ(h.min, 1);
	CHECK_EQ(h.max, 50);
	CHECK_EQ(h.sum, 1275);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.0), 1);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.5), 25);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.99), 50);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.01), 1);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.021), 2);
	CHECK_EQ(flowstats_hist_quantile(&h, 1.0), 50);
}

static int within(uint64_t got, uint64_t want, unsigned per_mille)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 1000 <= want * per_mille;
}

TEST(flowstats_hist_percentiles)
{
	struct flowstats_hist h;

	/* 1..100000 us in ns: the median is 50 ms, p99 99 ms, within 1/64. */
	flowstats_hist_reset(&h);
	for (uint64_t v = 1; v <= 100000; v++)
		flowstats_hist_add(&h, v * 1000);
	CHECK(within(flowstats_hist_quantile(&h, 0.5), 50000000, 16));
	CHECK(within(flowstats_hist_quantile(&h, 0.99), 99000000, 16));
	CHECK_EQ(flowstats_hist_quantile(&h, 1.0), 100000000);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.0), 1000);

	/* 990 fast packets and 10 slow ones: p99 is still fast, max is slow. */
	flowstats_hist_reset(&h);
	for (int i = 0; i < 990; i++)
		flowstats_hist_add(&h, 20000);
	for (int i = 0; i < 10; i++)
		flowstats_hist_add(&h, 5000000);
	CHECK(within(flowstats_hist_quantile(&h, 0.5), 20000, 16));
	CHECK(within(flowstats_hist_quantile(&h, 0.99), 20000, 16));
	CHECK(within(flowstats_hist_quantile(&h, 0.991), 5000000, 16));
	CHECK_EQ(flowstats_hist_quantile(&h, 1.0), 5000000);

	/* Out of range values are clamped into the last bucket but max stays exact. */
	flowstats_hist_reset(&h);
	flowstats_hist_add(&h, UINT64_C(1) << 50);
	CHECK_EQ(h.buckets[FLOWSTATS_HIST_BUCKETS - 1], 1);
	CHECK_EQ(flowstats_hist_quantile(&h, 0.5), UINT64_C(1) << 50);
}

TEST(flowstats_series_bounds)
{
	struct flowstats_series s;

	CHECK_EQ(flowstats_series_init(&s, 10, 4), 0);
	flowstats_series_add(&s, 9, true, 5);
	flowstats_series_add(&s, 10, false, 0);
	flowstats_series_add(&s, 12, true, 7);
	flowstats_series_add(&s, 12, true, 3);
	flowstats_series_add(&s, 14, true, 1);
	CHECK_EQ(s.len, 3);
	CHECK_EQ(s.dropped, 2);
	CHECK_EQ(s.pts[0].received, 1);
	CHECK_EQ(s.pts[0].lat_count, 0);
	CHECK_EQ(s.pts[1].received, 0);
	CHECK_EQ(s.pts[2].received, 2);
	CHECK_EQ(s.pts[2].lat_count, 2);
	CHECK_EQ(s.pts[2].lat_sum, 10);
	CHECK_EQ(s.pts[2].lat_max, 7);
	flowstats_series_fini(&s);
	CHECK(s.pts == NULL);

	CHECK_EQ(flowstats_series_init(&s, 0, 0), 0);
	flowstats_series_add(&s, 0, false, 0);
	CHECK_EQ(s.dropped, 1);
	flowstats_series_fini(&s);
}

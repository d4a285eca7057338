/* Per-flow accounting for a traffic sink: sequence numbers and latency.
 *
 * Sequence numbers start at 0 and count up by one per packet a sender hands to
 * the network. A bitmap window over the last FLOWSTATS_WINDOW_BITS sequence
 * numbers below the highest one seen tells a duplicate from a late packet:
 *
 *   received   every packet given to flowstats_seq()
 *   unique     distinct sequence numbers (received - duplicates)
 *   duplicates a sequence number seen before, within the window
 *   reordered  a new sequence number lower than the highest seen
 *   stale      lower than the window: cannot be checked for duplication, so
 *              counted as unique (and reordered)
 *   lost       expected - unique, where expected is highest + 1, or the total a
 *              sender announced with flowstats_fin() if that is larger (tail
 *              loss is only visible that way)
 *
 * Latency goes into a log-linear histogram: values below 2^SUB_BITS are exact,
 * above that each power of two is split into 2^SUB_BITS equal buckets, so a
 * quantile is within 1/2^(SUB_BITS+1) of a recorded value, in fixed memory.
 * Nothing here allocates except flowstats_series_init().
 */
#ifndef SRCHAIN_FLOWSTATS_H
#define SRCHAIN_FLOWSTATS_H

#include <stdbool.h>
#include <stdint.h>

#define FLOWSTATS_WINDOW_BITS 65536u /* power of two */

#define FLOWSTATS_HIST_SUB_BITS 5
#define FLOWSTATS_HIST_SUB	(1u << FLOWSTATS_HIST_SUB_BITS)
#define FLOWSTATS_HIST_MAX_EXP	40 /* values >= 2^40 (1100 s in ns) are clamped */
#define FLOWSTATS_HIST_BUCKETS                                                                     \
	((FLOWSTATS_HIST_MAX_EXP - FLOWSTATS_HIST_SUB_BITS + 1) * FLOWSTATS_HIST_SUB)

enum flowstats_verdict {
	FLOWSTATS_IN_ORDER,  /* highest so far (possibly after a gap) */
	FLOWSTATS_REORDERED, /* new, but below the highest */
	FLOWSTATS_DUPLICATE,
	FLOWSTATS_STALE, /* below the window */
	FLOWSTATS_VERDICT_MAX
};

struct flowstats_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t buckets[FLOWSTATS_HIST_BUCKETS];
};

struct flowstats {
	uint64_t received;
	uint64_t unique;
	uint64_t duplicates;
	uint64_t reordered;
	uint64_t stale;
	uint64_t reorder_max; /* largest distance below the highest of a reordered packet */
	uint64_t highest;     /* valid once unique > 0 */
	uint64_t fin_total;   /* valid if fin_seen */
	bool fin_seen;
	uint64_t window[FLOWSTATS_WINDOW_BITS / 64]; /* bit (seq % WINDOW_BITS) */
	struct flowstats_hist latency;
};

/* One time-series interval. */
struct flowstats_point {
	uint32_t received;
	uint32_t lat_count;
	uint64_t lat_sum;
	uint64_t lat_max;
};

/* Fixed-capacity series of intervals starting at interval index first. */
struct flowstats_series {
	uint64_t first;
	uint32_t cap;
	uint32_t len;	  /* points [0, len) are in use */
	uint64_t dropped; /* adds outside [first, first + cap) */
	struct flowstats_point *pts;
};

/* Clears a histogram. */
void flowstats_hist_reset(struct flowstats_hist *h);
/* Records one value. */
void flowstats_hist_add(struct flowstats_hist *h, uint64_t v);
/* Value at quantile q in [0, 1] (0 = min, 1 = max); 0 when empty. */
uint64_t flowstats_hist_quantile(const struct flowstats_hist *h, double q);
/* Bucket index of v (exposed with the two below for tests). */
unsigned flowstats_hist_index(uint64_t v);
/* Lowest value that falls into bucket i. */
uint64_t flowstats_hist_bucket_low(unsigned i);
/* Number of values that fall into bucket i. */
uint64_t flowstats_hist_bucket_width(unsigned i);

/* Starts a flow with nothing received. */
void flowstats_init(struct flowstats *fs);
/* Accounts one packet by its sequence number. */
enum flowstats_verdict flowstats_seq(struct flowstats *fs, uint64_t seq);
/* Notes the sender's announced total of packets sent. */
void flowstats_fin(struct flowstats *fs, uint64_t total);
/* Packets the sender is known to have sent. */
uint64_t flowstats_expected(const struct flowstats *fs);
/* Packets expected but not (yet) received. */
uint64_t flowstats_lost(const struct flowstats *fs);

/* Allocates room for cap intervals from index first; 0 or -ENOMEM. */
int flowstats_series_init(struct flowstats_series *s, uint64_t first, uint32_t cap);
/* Frees the points. */
void flowstats_series_fini(struct flowstats_series *s);
/* Counts one packet in interval idx, with its latency if has_lat. */
void flowstats_series_add(struct flowstats_series *s, uint64_t idx, bool has_lat, uint64_t lat);

#endif

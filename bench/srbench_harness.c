/* The srbench harness: the timed loop (rx copy, dp_process or the null
 * ceiling's header read, tx read), repeated runs with their CPU share, and
 * the validation of every flow's output before anything is timed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "srbench.h"
#include "dp/tables.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"
#include "pkt/eth.h"

volatile uint64_t harness_sink;

double harness_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long nivcsw(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nivcsw;
}

/* One timed run: returns packets done; *secs the wall time it took.
 * bad counts packets that did not go to tx (must stay 0). */
static uint64_t run(struct dp_worker *w, const struct ring *r, struct frames *fr, uint32_t burst,
		    int null_mode, double seconds, double *secs, uint64_t *bad)
{
	static struct dp_out out;
	struct pkt *v[DP_BURST_MAX];
	uint32_t ti = 0, fi = 0, chunk = burst >= 2048 ? 1 : 2048 / burst;
	uint64_t pkts = 0, acc = 0, nbad = 0;
	double t0 = harness_now_s(), t1, end = t0 + seconds;

	for (;;) {
		for (uint32_t k = 0; k < chunk; k++) {
			for (uint32_t j = 0; j < burst; j++) {
				struct pkt *p = &fr->d[fi];

				if (++fi == fr->n)
					fi = 0;
				p->off = PKT_HEADROOM;
				p->len = r->len;
				p->in_if = IF_IN;
				memcpy(p->frame + PKT_HEADROOM, r->tpl + (size_t)ti * r->stride,
				       r->len);
				if (++ti == r->n)
					ti = 0;
				v[j] = p;
			}
			if (null_mode) {
				for (uint32_t j = 0; j < burst; j++) {
					const uint8_t *d = pkt_data(v[j]);
					uint16_t type = rd_be16(d + 12);
					uint32_t x = type == ETH_P_IPV6 ? rd_be32(d + ETH_HLEN + 36)
						     : type == ETH_P_IPV4
							     ? rd_be32(d + ETH_HLEN + 16)
							     : rd_be32(d + ETH_HLEN);

					v[j]->out_if = (uint16_t)(IF_A + (x & 1));
				}
				for (uint32_t j = 0; j < burst; j++)
					acc += pkt_data(v[j])[0] + v[j]->len + v[j]->out_if;
			} else {
				dp_process(w, v, burst, &out);
				for (uint32_t j = 0; j < out.n[DP_OUT_TX]; j++)
					acc += pkt_data(out.v[DP_OUT_TX][j])[0] +
					       out.v[DP_OUT_TX][j]->len;
				nbad += out.n[DP_OUT_HOST] + out.n[DP_OUT_DROP];
			}
			pkts += burst;
		}
		t1 = harness_now_s();
		if (t1 >= end)
			break;
	}
	harness_sink += acc;
	*secs = t1 - t0;
	*bad += nbad;
	return pkts;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Warm-up, then bench_opt.repeats timed runs; median Mpps. A run during which
 * this thread had the CPU for less than bench_opt.min_cpu of the wall time (other
 * processes on the same core) is retried, up to RETRIES_MAX times; the
 * best of the tries is kept and the result is flagged noisy. */
int harness_measure(struct dp_worker *w, const struct ring *r, struct frames *fr, uint32_t burst,
		    int null_mode, struct result *res)
{
	double secs, sorted[REPEATS_MAX], sorted_cpu[REPEATS_MAX], wall = 0, cpu = 0;
	uint64_t bad = 0, total;
	long cs0;

	total = run(w, r, fr, burst, null_mode, bench_opt.warmup, &secs, &bad);
	cs0 = nivcsw();
	res->retries = 0;
	res->noisy = 0;
	for (int k = 0; k < bench_opt.repeats; k++) {
		double best_frac = -1;

		for (int a = 0; a <= RETRIES_MAX; a++) {
			double c0 = cpu_s(), frac, mpps;
			uint64_t n =
				run(w, r, fr, burst, null_mode, bench_opt.seconds, &secs, &bad);

			total += n;
			frac = (cpu_s() - c0) / secs;
			mpps = (double)n / secs / 1e6;
			wall += secs;
			cpu += frac * secs;
			if (frac > best_frac) {
				best_frac = frac;
				res->mpps[k] = mpps;
				res->mpps_cpu[k] = frac > 0 ? mpps / frac : 0;
				res->run_cpu[k] = frac;
			}
			if (frac >= bench_opt.min_cpu)
				break;
			if (a == RETRIES_MAX)
				res->noisy = 1;
			else
				res->retries++;
		}
		sorted[k] = res->mpps[k];
		sorted_cpu[k] = res->mpps_cpu[k];
	}
	res->nivcsw = nivcsw() - cs0;
	res->cpu_frac = cpu / wall;
	if (bench_opt.verbose)
		fprintf(stderr, "srbench: %s: %llu packets through run() (warm-up included)\n",
			null_mode ? "null" : "dp", (unsigned long long)total);
	if (bad) {
		snprintf(res->err, sizeof(res->err),
			 "%llu packets dropped or sent to host while timing",
			 (unsigned long long)bad);
		return -1;
	}
	qsort(sorted, (size_t)bench_opt.repeats, sizeof(sorted[0]), cmp_double);
	qsort(sorted_cpu, (size_t)bench_opt.repeats, sizeof(sorted_cpu[0]), cmp_double);
	res->med_mpps = sorted[bench_opt.repeats / 2];
	res->med_mpps_cpu = sorted_cpu[bench_opt.repeats / 2];
	res->ns = 1e3 / res->med_mpps;
	res->spread = (sorted[bench_opt.repeats - 1] - sorted[0]) / res->med_mpps;
	res->cpu_frac = 0;
	for (int k = 0; k < bench_opt.repeats; k++)
		res->cpu_frac += res->run_cpu[k] / bench_opt.repeats;
	return 0;
}

int harness_fail(struct result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	res->ok = 0;
	return -1;
}

static const char *hex(const uint8_t *p, uint32_t n, char *buf, size_t cap)
{
	size_t o = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%02x", p[i]);
	return buf;
}

/* Output p must be ex: Ethernet from the output interface to its
 * neighbour, then exactly ex->l3 (an IPv4 checksum the data plane updated
 * incrementally must be valid; either form of zero is accepted). */
static int check_out(const struct pkt *p, const struct expect *ex, uint32_t flow,
		     struct result *res)
{
	const uint8_t *d = pkt_data(p), *l3 = d + ETH_HLEN, *e = pb_data(&ex->l3);
	char h1[80], h2[80];

	if (p->out_if > IF_B || !(ex->ifmask & (1u << p->out_if)))
		return harness_fail(res, "flow %u: sent on interface %u, expected mask 0x%x", flow,
				    p->out_if, ex->ifmask);
	if (p->len != ETH_HLEN + ex->l3.len)
		return harness_fail(res, "flow %u: output is %u bytes, expected %u", flow, p->len,
				    ETH_HLEN + ex->l3.len);
	if (memcmp(d, node_nb_mac[p->out_if], 6) || memcmp(d + 6, node_if_mac[p->out_if], 6))
		return harness_fail(res, "flow %u: wrong MAC addresses %s", flow,
				    hex(d, 12, h1, sizeof(h1)));
	if (rd_be16(d + 12) != ex->ethertype)
		return harness_fail(res, "flow %u: ethertype 0x%04x, expected 0x%04x", flow,
				    rd_be16(d + 12), ex->ethertype);
	for (uint32_t k = 0; k < ex->l3.len; k++) {
		if (ex->l3.v4_at >= 0 &&
		    (k == (uint32_t)ex->l3.v4_at + 10 || k == (uint32_t)ex->l3.v4_at + 11))
			continue;
		if (l3[k] != e[k]) {
			uint32_t from = k & ~7u;

			return harness_fail(
				res,
				"flow %u: L3 byte %u is 0x%02x, expected 0x%02x "
				"(got %s, want %s at %u)",
				flow, k, l3[k], e[k],
				hex(l3 + from, 16 < ex->l3.len - from ? 16 : ex->l3.len - from, h1,
				    sizeof(h1)),
				hex(e + from, 16 < ex->l3.len - from ? 16 : ex->l3.len - from, h2,
				    sizeof(h2)),
				from);
		}
	}
	if (ex->l3.v4_at >= 0 && csum_fold(csum_partial(l3 + ex->l3.v4_at, 20, 0)) != 0)
		return harness_fail(res, "flow %u: IPv4 header checksum is wrong after forwarding",
				    flow);
	return 0;
}

static void fill(struct pkt *p, const uint8_t *bytes, uint32_t len)
{
	pkt_set(p, bytes, len);
	p->in_if = IF_IN;
}

static const char *drop_reason(const struct dp_out *out)
{
	if (out->n[DP_OUT_DROP])
		return dp_ctr_name((enum dp_ctr)out->v[DP_OUT_DROP][0]->ref);
	return out->n[DP_OUT_HOST] ? "sent to host" : "nothing came out";
}

/* Every flow alone, then the ring in bursts as timed. */
int harness_validate(const struct bcase *c, struct dp *dp, const struct ring *r, struct frames *fr,
		     uint32_t burst, struct dumper *dm, struct result *res)
{
	const struct dp_tables *t = atomic_load(&dp->tables);
	struct dp_worker *w = dp->workers[0];
	static struct dp_out out;
	static struct expect ex;
	static struct pb in;
	struct pkt *v[DP_BURST_MAX];
	uint64_t pk0, pk1, by;

	for (uint32_t i = 0; i < r->n; i++) {
		uint32_t slot;

		case_build(c, i, &in, &ex);
		if (in.len != r->len ||
		    memcmp(pb_data(&in), r->tpl + (size_t)i * r->stride, r->len))
			return harness_fail(res, "flow %u: template differs from its rebuild", i);
		slot = case_stat(c, t, i);
		if (slot != DP_NONE)
			dp_stat_sum(dp, slot, &pk0, &by);
		fill(&fr->d[0], r->tpl + (size_t)i * r->stride, r->len);
		v[0] = &fr->d[0];
		dp_process(w, v, 1, &out);
		if (dm && i < DUMP_PKTS) {
			pcap_write(&dm->in, i * 1000ull, r->tpl + (size_t)i * r->stride, r->len);
			for (uint32_t k = 0; k < out.n[DP_OUT_TX]; k++)
				pcap_write(&dm->out, i * 1000ull, pkt_data(out.v[DP_OUT_TX][k]),
					   out.v[DP_OUT_TX][k]->len);
		}
		if (out.n[DP_OUT_TX] != 1 || out.n[DP_OUT_DROP] || out.n[DP_OUT_HOST])
			return harness_fail(res, "flow %u: dropped (%s)", i, drop_reason(&out));
		if (check_out(out.v[DP_OUT_TX][0], &ex, i, res))
			return -1;
		if (slot != DP_NONE) {
			dp_stat_sum(dp, slot, &pk1, &by);
			if (pk1 != pk0 + 1)
				return harness_fail(res, "flow %u: not counted by '%s'", i,
						    t->stat_name[slot]);
		}
	}
	/* the timed path: whole bursts, frames taken in turn */
	memset(res->tx_if, 0, sizeof(res->tx_if));
	for (uint32_t i = 0, fi = 0; i < r->n;) {
		uint32_t n = r->n - i < burst ? r->n - i : burst;

		for (uint32_t j = 0; j < n; j++) {
			fill(&fr->d[fi], r->tpl + (size_t)(i + j) * r->stride, r->len);
			v[j] = &fr->d[fi];
			fi = (fi + 1) % fr->n;
		}
		dp_process(w, v, n, &out);
		if (out.n[DP_OUT_TX] != n)
			return harness_fail(res, "burst at flow %u: %u of %u sent (%s)", i,
					    out.n[DP_OUT_TX], n, drop_reason(&out));
		for (uint32_t j = 0; j < n; j++)
			res->tx_if[out.v[DP_OUT_TX][j]->out_if % 3]++;
		i += n;
	}
	return 0;
}

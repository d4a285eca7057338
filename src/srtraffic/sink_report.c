/* srtraffic recv: the JSON report and the summary on stderr. */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonw.h"
#include "srtraffic/sink.h"

static const char *const stop_names[SINK_STOP_MAX] = {
	[SINK_STOP_DURATION] = "duration",
	[SINK_STOP_IDLE] = "idle",
	[SINK_STOP_SIGNAL] = "signal",
};

static const char *proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : "udp";
}

static void flow_key(char *buf, size_t len, const struct sink_flow *f)
{
	snprintf(buf, len, "%u/%s/%u", f->flow_id, proto_name(f->proto), f->dport);
}

/* Report order: protocol, port, flow id. */
static int flow_cmp(const void *a, const void *b)
{
	const struct sink_flow *x = *(const struct sink_flow *const *)a;
	const struct sink_flow *y = *(const struct sink_flow *const *)b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->dport != y->dport)
		return x->dport < y->dport ? -1 : 1;
	if (x->flow_id != y->flow_id)
		return x->flow_id < y->flow_id ? -1 : 1;
	return 0;
}

static double us(uint64_t ns)
{
	return (double)ns / 1e3;
}

/* Microseconds from a (non-negative) fractional ns value, rounded to the ns. */
static double us_frac(double ns)
{
	return (double)(uint64_t)(ns + 0.5) / 1e3;
}

static void latency_obj(struct jsonw *w, const struct flowstats_hist *h)
{
	jsonw_key(w, "latency_us");
	if (!h->count) {
		jsonw_null(w);
		return;
	}
	jsonw_obj_open(w);
	jsonw_kv_double(w, "min", us(h->min));
	jsonw_kv_double(w, "median", us(flowstats_hist_quantile(h, 0.5)));
	jsonw_kv_double(w, "p99", us(flowstats_hist_quantile(h, 0.99)));
	jsonw_kv_double(w, "max", us(h->max));
	jsonw_kv_double(w, "mean", us_frac((double)h->sum / (double)h->count));
	jsonw_obj_close(w);
}

static void series_arr(struct jsonw *w, const struct sink *s, const struct flowstats_series *se)
{
	jsonw_key(w, "series");
	jsonw_arr_open(w);
	for (uint32_t i = 0; i < se->len; i++) {
		const struct flowstats_point *p = &se->pts[i];

		jsonw_obj_open(w);
		jsonw_kv_uint(w, "t_ms", (se->first + i) * (s->o.series_ns / 1000000));
		jsonw_kv_uint(w, "received", p->received);
		jsonw_key(w, "lat_mean_us");
		if (p->lat_count)
			jsonw_double(w, us_frac((double)p->lat_sum / p->lat_count));
		else
			jsonw_null(w);
		jsonw_key(w, "lat_max_us");
		if (p->lat_count)
			jsonw_double(w, us(p->lat_max));
		else
			jsonw_null(w);
		jsonw_obj_close(w);
	}
	jsonw_arr_close(w);
	jsonw_kv_uint(w, "series_dropped", se->dropped);
}

static void flow_obj(struct jsonw *w, const struct sink *s, const struct sink_flow *f)
{
	const struct flowstats *st = &f->st;
	char key[48], abuf[SRT_ADDR_STRLEN];

	flow_key(key, sizeof(key), f);
	jsonw_key(w, key);
	jsonw_obj_open(w);
	jsonw_kv_uint(w, "flow_id", f->flow_id);
	jsonw_kv_str(w, "proto", proto_name(f->proto));
	jsonw_kv_uint(w, "dport", f->dport);
	jsonw_kv_str(w, "src", srt_addr_str((const struct sockaddr *)&f->peer, abuf, sizeof(abuf)));
	jsonw_kv_uint(w, "sport", srt_addr_port((const struct sockaddr *)&f->peer));
	jsonw_kv_uint(w, "received", st->received);
	jsonw_kv_uint(w, "unique", st->unique);
	jsonw_kv_uint(w, "lost", flowstats_lost(st));
	jsonw_kv_uint(w, "duplicates", st->duplicates);
	jsonw_kv_uint(w, "reordered", st->reordered);
	jsonw_kv_uint(w, "stale", st->stale);
	jsonw_kv_uint(w, "reorder_max", st->reorder_max);
	jsonw_kv_uint(w, "expected", flowstats_expected(st));
	jsonw_kv_uint(w, "highest_seq", st->highest);
	jsonw_kv_bool(w, "fin", st->fin_seen);
	jsonw_key(w, "fin_total");
	if (st->fin_seen)
		jsonw_uint(w, st->fin_total);
	else
		jsonw_null(w);
	jsonw_kv_uint(w, "bytes", f->bytes);
	latency_obj(w, &st->latency);
	jsonw_kv_uint(w, "first_arrival_ns", f->first_ns);
	jsonw_kv_uint(w, "last_arrival_ns", f->last_ns);
	jsonw_kv_double(w, "first_s", (double)(f->first_ns - s->start_ns) / 1e9);
	jsonw_kv_double(w, "last_s", (double)(f->last_ns - s->start_ns) / 1e9);
	if (s->o.series_ns)
		series_arr(w, s, &f->series);
	jsonw_obj_close(w);
}

static void ports_arr(struct jsonw *w, const char *key, const uint16_t *ports, unsigned n)
{
	jsonw_key(w, key);
	jsonw_arr_open(w);
	for (unsigned i = 0; i < n; i++)
		jsonw_uint(w, ports[i]);
	jsonw_arr_close(w);
}

static uint64_t rxq_drops(const struct sink *s)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < s->o.n_udp; i++)
		n += s->udp[i].rxq_drops;
	return n;
}

int sink_report_json(FILE *out, struct sink *s)
{
	const struct sink_counters *c = &s->c;
	char abuf[SRT_ADDR_STRLEN];
	struct jsonw w;

	qsort(s->flows, s->n_flows, sizeof(s->flows[0]), flow_cmp);
	jsonw_init(&w, out, true);
	jsonw_obj_open(&w);
	jsonw_kv_str(&w, "tool", "srtraffic");
	jsonw_kv_str(&w, "report", "recv");
	jsonw_kv_uint(&w, "version", 1);
	jsonw_kv_str(&w, "listen",
		     srt_addr_str((const struct sockaddr *)&s->o.listen.ss, abuf, sizeof(abuf)));
	ports_arr(&w, "udp_ports", s->o.udp, s->o.n_udp);
	ports_arr(&w, "tcp_ports", s->o.tcp, s->o.n_tcp);
	jsonw_kv_uint(&w, "start_ns", s->start_ns);
	jsonw_kv_uint(&w, "end_ns", s->end_ns);
	jsonw_kv_double(&w, "elapsed_s", (double)(s->end_ns - s->start_ns) / 1e9);
	jsonw_kv_str(&w, "stopped_by", stop_names[s->stop]);
	jsonw_key(&w, "series_ms");
	if (s->o.series_ns)
		jsonw_uint(&w, s->o.series_ns / 1000000);
	else
		jsonw_null(&w);
	jsonw_key(&w, "counters");
	jsonw_obj_open(&w);
	jsonw_kv_uint(&w, "packets", c->packets);
	jsonw_kv_uint(&w, "bytes", c->bytes);
	jsonw_kv_uint(&w, "flows", s->n_flows);
	for (int st = SRT_HDR_OK + 1; st < SRT_HDR_STATUS_MAX; st++) {
		char key[32];

		snprintf(key, sizeof(key), "bad_%s", srt_hdr_status_name(st));
		jsonw_kv_uint(&w, key, c->bad[st]);
	}
	jsonw_kv_uint(&w, "bad_size", c->bad_size);
	jsonw_kv_uint(&w, "untracked", c->untracked);
	jsonw_kv_uint(&w, "clock_behind", c->clock_behind);
	jsonw_kv_uint(&w, "rx_queue_drops", rxq_drops(s));
	jsonw_kv_uint(&w, "tcp_accepted", c->tcp_accepted);
	jsonw_kv_uint(&w, "tcp_closed", c->tcp_closed);
	jsonw_kv_uint(&w, "tcp_rejected", c->tcp_rejected);
	jsonw_kv_uint(&w, "tcp_bad_stream", c->tcp_bad_stream);
	jsonw_kv_uint(&w, "tcp_errors", c->tcp_errors);
	jsonw_kv_uint(&w, "tcp_truncated", c->tcp_truncated);
	jsonw_obj_close(&w);
	latency_obj(&w, &s->all_latency);
	jsonw_key(&w, "flows");
	jsonw_obj_open(&w);
	for (uint32_t i = 0; i < s->n_flows; i++)
		flow_obj(&w, s, s->flows[i]);
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	return jsonw_finish(&w);
}

void sink_report_summary(struct sink *s)
{
	uint64_t unique = 0, lost = 0, dup = 0, reord = 0, bad = s->c.bad_size;
	const struct flowstats_hist *h = &s->all_latency;

	for (int st = SRT_HDR_OK + 1; st < SRT_HDR_STATUS_MAX; st++)
		bad += s->c.bad[st];
	for (uint32_t i = 0; i < s->n_flows; i++) {
		const struct sink_flow *f = s->flows[i];
		const struct flowstats *st = &f->st;
		char key[48];

		unique += st->unique;
		lost += flowstats_lost(st);
		dup += st->duplicates;
		reord += st->reordered;
		if (!s->o.verbose)
			continue;
		flow_key(key, sizeof(key), f);
		fprintf(stderr,
			"  flow %s: %llu received, %llu lost, %llu dup, %llu reordered, fin %s, "
			"latency us min %.1f median %.1f p99 %.1f max %.1f\n",
			key, (unsigned long long)st->received,
			(unsigned long long)flowstats_lost(st), (unsigned long long)st->duplicates,
			(unsigned long long)st->reordered, st->fin_seen ? "yes" : "no",
			us(st->latency.min), us(flowstats_hist_quantile(&st->latency, 0.5)),
			us(flowstats_hist_quantile(&st->latency, 0.99)), us(st->latency.max));
	}
	fprintf(stderr,
		"srtraffic recv: %u flows, %llu packets (%llu unique, %llu lost, %llu dup, "
		"%llu reordered, %llu bad), latency median %.1f us p99 %.1f us max %.1f us, "
		"%.2f s, stopped by %s\n",
		s->n_flows, (unsigned long long)s->c.packets, (unsigned long long)unique,
		(unsigned long long)lost, (unsigned long long)dup, (unsigned long long)reord,
		(unsigned long long)bad, us(flowstats_hist_quantile(h, 0.5)),
		us(flowstats_hist_quantile(h, 0.99)), us(h->max),
		(double)(s->end_ns - s->start_ns) / 1e9, stop_names[s->stop]);
}

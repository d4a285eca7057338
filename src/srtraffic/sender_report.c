/* srtraffic send: the JSON report, the summary on stderr, and what makes a
 * flow count as failed. */
#include <string.h>
#include <sys/socket.h>

#include "lib/jsonw.h"
#include "srtraffic/sender.h"

#define PROG "srtraffic send"

const char *sender_stop_name(enum sender_stop why)
{
	static const char *const names[SENDER_STOP_MAX] = {
		[SENDER_STOP_COUNT] = "count",
		[SENDER_STOP_DURATION] = "duration",
		[SENDER_STOP_SIGNAL] = "signal",
		[SENDER_STOP_NO_CONNECTION] = "no_connection",
	};

	return (unsigned)why < SENDER_STOP_MAX ? names[why] : "unknown";
}

static void flow_key(char *buf, size_t len, const struct sender_flow *f,
		     const struct sender_opts *o)
{
	snprintf(buf, len, "%u/%s/%u", f->id, o->tcp ? "tcp" : "udp", o->dport);
}

bool sender_flow_ok(const struct sender *s, const struct sender_flow *f)
{
	if (f->errors)
		return false;
	/* TCP: connected, never broken, and the sink confirmed it read everything. */
	if (s->o.tcp && (f->state != SENDER_TCP_UP || !f->drained))
		return false;
	return true;
}

static void json_errno(struct jsonw *w, const char *key, int err)
{
	char ebuf[16];

	jsonw_kv_str(w, key, err ? srt_errname(err, ebuf, sizeof(ebuf)) : NULL);
}

static void report_flow(struct jsonw *w, const struct sender *s, const struct sender_flow *f)
{
	const struct sender_opts *o = &s->o;
	char key[48];

	flow_key(key, sizeof(key), f, o);
	jsonw_key(w, key);
	jsonw_obj_open(w);
	jsonw_kv_uint(w, "flow_id", f->id);
	jsonw_kv_str(w, "proto", o->tcp ? "tcp" : "udp");
	jsonw_kv_uint(w, "dport", o->dport);
	jsonw_kv_uint(w, "sport", f->sport);
	jsonw_kv_uint(w, "sent", f->sent);
	jsonw_kv_uint(w, "bytes", f->bytes);
	jsonw_kv_uint(w, "errors", f->errors);
	json_errno(w, "last_error", f->last_errno);
	jsonw_kv_bool(w, "fin_sent", f->fin_sent);
	/* Packets and records complete in order: the last complete one is sent - 1. */
	jsonw_key(w, "last_seq");
	if (f->sent)
		jsonw_uint(w, f->sent - 1);
	else
		jsonw_null(w);
	jsonw_kv_bool(w, "ok", sender_flow_ok(s, f));
	if (o->tcp) {
		bool connected = f->state == SENDER_TCP_UP || f->state == SENDER_TCP_CLOSED;

		jsonw_kv_bool(w, "connected", connected);
		jsonw_kv_double(w, "connect_us", (double)f->connect_ns / 1e3);
		json_errno(w, "connect_error", connected ? 0 : f->connect_errno);
		jsonw_kv_str(w, "connect_error_text",
			     connected || !f->connect_errno ? NULL : strerror(f->connect_errno));
		jsonw_kv_uint(w, "skipped", f->skipped);
		json_errno(w, "stream_error", f->stream_errno);
		jsonw_kv_bool(w, "drained", f->drained);
	}
	jsonw_obj_close(w);
}

int sender_report_json(FILE *out, const struct sender *s, const struct sender_run *run)
{
	const struct sender_opts *o = &s->o;
	uint64_t sent = 0, bytes = 0, errors = 0, failed = 0;
	char abuf[SRT_ADDR_STRLEN];
	struct jsonw w;

	for (uint32_t i = 0; i < o->flows; i++) {
		sent += s->flows[i].sent;
		bytes += s->flows[i].bytes;
		errors += s->flows[i].errors;
		failed += !sender_flow_ok(s, &s->flows[i]);
	}
	jsonw_init(&w, out, true);
	jsonw_obj_open(&w);
	jsonw_kv_str(&w, "tool", "srtraffic");
	jsonw_kv_str(&w, "report", "send");
	jsonw_kv_uint(&w, "version", 1);
	jsonw_kv_str(&w, "proto", o->tcp ? "tcp" : "udp");
	jsonw_kv_str(&w, "dst",
		     srt_addr_str((const struct sockaddr *)&o->dst.ss, abuf, sizeof(abuf)));
	jsonw_kv_uint(&w, "dport", o->dport);
	jsonw_kv_str(&w, "src",
		     o->have_src
			     ? srt_addr_str((const struct sockaddr *)&o->src.ss, abuf, sizeof(abuf))
			     : NULL);
	jsonw_kv_double(&w, "rate_pps", o->rate);
	jsonw_kv_uint(&w, "size", o->size);
	jsonw_key(&w, "count");
	if (o->count)
		jsonw_uint(&w, o->count);
	else
		jsonw_null(&w);
	jsonw_key(&w, "duration_s");
	if (o->duration_ns)
		jsonw_double(&w, (double)o->duration_ns / 1e9);
	else
		jsonw_null(&w);
	jsonw_kv_uint(&w, "start_ns", run->start_ns);
	jsonw_kv_uint(&w, "end_ns", run->end_ns);
	jsonw_kv_double(&w, "elapsed_s", (double)(run->end_ns - run->start_ns) / 1e9);
	jsonw_kv_str(&w, "stopped_by", sender_stop_name(run->stop));
	jsonw_kv_double(&w, "schedule_lag_max_us", (double)run->lag_max_ns / 1e3);
	jsonw_key(&w, "totals");
	jsonw_obj_open(&w);
	jsonw_kv_uint(&w, "sent", sent);
	jsonw_kv_uint(&w, "bytes", bytes);
	jsonw_kv_uint(&w, "errors", errors);
	jsonw_kv_uint(&w, "flows", o->flows);
	jsonw_kv_uint(&w, "flows_failed", failed);
	jsonw_obj_close(&w);
	jsonw_key(&w, "flows");
	jsonw_obj_open(&w);
	for (uint32_t i = 0; i < o->flows; i++)
		report_flow(&w, s, &s->flows[i]);
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	return jsonw_finish(&w);
}

static void print_flow_line(const struct sender *s, const struct sender_flow *f)
{
	char key[48], ebuf[16];

	flow_key(key, sizeof(key), f, &s->o);
	fprintf(stderr, "  flow %s sport %u: %llu sent, %llu errors", key, f->sport,
		(unsigned long long)f->sent, (unsigned long long)f->errors);
	if (s->o.tcp) {
		if (f->state == SENDER_TCP_FAILED)
			fprintf(stderr, ", not connected: %s",
				srt_errname(f->connect_errno, ebuf, sizeof(ebuf)));
		else
			fprintf(stderr, ", connected in %.0f us%s%s", (double)f->connect_ns / 1e3,
				f->stream_errno ? ", broken: " : "",
				f->stream_errno ? srt_errname(f->stream_errno, ebuf, sizeof(ebuf))
						: "");
		if (f->skipped)
			fprintf(stderr, ", %llu slots skipped", (unsigned long long)f->skipped);
	}
	fputc('\n', stderr);
}

void sender_report_summary(const struct sender *s, const struct sender_run *run)
{
	const struct sender_opts *o = &s->o;
	uint64_t sent = 0, errors = 0, up = 0;
	double secs = (double)(run->end_ns - run->start_ns) / 1e9;
	char abuf[SRT_ADDR_STRLEN];

	for (uint32_t i = 0; i < o->flows; i++) {
		const struct sender_flow *f = &s->flows[i];

		sent += f->sent;
		errors += f->errors;
		up += f->state == SENDER_TCP_UP || f->state == SENDER_TCP_CLOSED;
	}
	if (o->verbose)
		for (uint32_t i = 0; i < o->flows; i++)
			print_flow_line(s, &s->flows[i]);
	fprintf(stderr, PROG ": %s %s port %u: %u flows", o->tcp ? "tcp" : "udp",
		srt_addr_str((const struct sockaddr *)&o->dst.ss, abuf, sizeof(abuf)), o->dport,
		o->flows);
	if (o->tcp)
		fprintf(stderr, " (%llu connected)", (unsigned long long)up);
	fprintf(stderr, ", %llu sent, %llu errors in %.2f s (%.0f pps), stopped by %s\n",
		(unsigned long long)sent, (unsigned long long)errors, secs,
		secs > 0 ? (double)sent / secs : 0.0, sender_stop_name(run->stop));
}

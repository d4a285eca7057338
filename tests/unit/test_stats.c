/* Statistics serialisation (srchaind/stats.c): the JSON document and the
 * text form carry the same numbers for every counter, object and port, and
 * the control socket's counters appear only when there is one. */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/dp.h"
#include "io/io.h"
#include "lib/jsonw.h"
#include "srchaind/stats.h"
#include "test.h"

static const char *const port_names[] = {"n1", "n2"};

static void ports(void *ctx, uint32_t port, struct io_stats *s)
{
	(void)ctx;
	memset(s, 0, sizeof(*s));
	s->rx_pkts = 100 + port;
	s->rx_bytes = 10000 + port;
	s->rx_kernel_drops = 3;
	s->tx_pkts = 200 + port;
	s->tx_bytes = 20000 + port;
}

/* The col-th number after "  name " on a line of the text, or -1. */
static long long text_value(const char *text, const char *name, int col)
{
	size_t n = strlen(name);

	for (const char *p = text; (p = strstr(p, name)); p += n) {
		if (p - text >= 2 && p[-1] == ' ' && p[-2] == ' ' && p[n] == ' ') {
			char *end;
			long long v = strtoll(p + n, &end, 10);

			for (int c = 0; c < col; c++)
				v = strtoll(end, &end, 10);
			return v;
		}
	}
	return -1;
}

static char *render(const struct stats_src *s, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (json) {
		struct jsonw j;

		jsonw_init(&j, f, false);
		stats_json(&j, s);
		CHECK_EQ(jsonw_finish(&j), 0);
	} else {
		stats_text(f, s, "statistics");
	}
	fclose(f);
	return buf;
}

TEST(stats_json_and_text_agree)
{
	static const char conf[] = "interface n1 mac 02:00:00:00:00:01\n"
				   "interface n2 mac 02:00:00:00:00:02\n"
				   "function fw firewall default allow\n"
				   "sid 2001:db8:f1::1 End function fw\n";
	struct stats_ctl ctl = {.clients = 2, .accepted = 9, .refused = 4};
	struct stats_src s = {
		.uptime_ms = 1500, .n_ports = 2, .port_name = port_names, .port_stats = ports};
	struct err err = {{0}};
	struct dp_tables *t;
	struct dp dp;
	char *js, *tx, want[256];

	CHECK_EQ(dp_init(&dp, 2), 0);
	t = dp_tables_new(2);
	CHECK(t != NULL);
	if (!t || conf_apply(t, conf, strlen(conf), "node.conf", &err) ||
	    dp_tables_finish(t, &err)) {
		CHECK(!"tables");
		return;
	}
	dp_publish(&dp, t);
	for (int k = 0; k < DP_CTR_MAX; k++) {
		dp.workers[0]->ctr[k] = 10 * (uint64_t)k + 1;
		dp.workers[1]->ctr[k] = 5;
	}
	for (uint32_t k = 0; k < t->n_stat; k++) {
		t->stats[2 * k] = k + 1; /* worker 0 */
		t->stats[2 * k + 1] = 100 * (k + 1);
		t->stats[2 * (t->n_stat + k)] = 1; /* worker 1 */
		t->stats[2 * (t->n_stat + k) + 1] = 10;
	}
	s.dp = &dp;
	js = render(&s, 1);
	tx = render(&s, 0);
	CHECK(js && tx);
	if (!js || !tx)
		goto out;
	CHECK(strncmp(js, "{\"uptime_ms\":1500,\"generation\":", 31) == 0);
	CHECK(strncmp(tx, "statistics (1.5 s, tables generation ", 37) == 0);
	for (int k = 0; k < DP_CTR_MAX; k++) {
		const char *name = dp_ctr_name((enum dp_ctr)k);
		uint64_t v = 10 * (uint64_t)k + 6;

		snprintf(want, sizeof(want), "\"%s\":%llu", name, (unsigned long long)v);
		CHECK(strstr(js, want) != NULL);
		CHECK_EQ(text_value(tx, name, 0), v);
	}
	CHECK(t->n_stat > 0);
	for (uint32_t k = 0; k < t->n_stat; k++) {
		snprintf(want, sizeof(want), "{\"name\":\"%s\",\"packets\":%u,\"bytes\":%u}",
			 t->stat_name[k], k + 2, 100 * (k + 1) + 10);
		CHECK(strstr(js, want) != NULL);
		CHECK_EQ(text_value(tx, t->stat_name[k], 0), k + 2);
		CHECK_EQ(text_value(tx, t->stat_name[k], 1), 100 * (k + 1) + 10);
	}
	/* ports: every field, in both forms, bytes included */
	CHECK(strstr(js,
		     "{\"name\":\"n2\",\"rx_packets\":101,\"rx_bytes\":10001,\"rx_not_ours\":0,"
		     "\"rx_truncated\":0,\"rx_gso\":0,\"rx_csum_fixed\":0,\"rx_kernel_drops\":3,"
		     "\"tx_packets\":201,\"tx_bytes\":20001,\"tx_errors\":0}") != NULL);
	CHECK(strstr(tx, "ports (rx_packets rx_bytes rx_not_ours rx_truncated rx_gso "
			 "rx_csum_fixed rx_kernel_drops tx_packets tx_bytes tx_errors):") != NULL);
	CHECK(strstr(tx, "  n2                      101      10001          0          0          "
			 "0          0          3        201      20001          0\n") != NULL);
	CHECK(strstr(js, "\"control\"") == NULL);
	CHECK(strstr(tx, "control socket") == NULL);
	free(js);
	free(tx);
	/* with a control socket */
	s.ctl = &ctl;
	js = render(&s, 1);
	tx = render(&s, 0);
	CHECK(js && strstr(js, ",\"control\":{\"clients\":2,\"accepted\":9,\"answered\":0,"
			       "\"refused\":4,\"timed_out\":0,\"dropped\":0}}") != NULL);
	CHECK(tx && strstr(tx, "control socket: clients 2 accepted 9 answered 0 refused 4 "
			       "timed_out 0 dropped 0\n") != NULL);
out:
	free(js);
	free(tx);
	dp_fini(&dp);
}

/* One serialisation of the statistics for every mode and the control
 * socket (srchaind/stats.h). The port and control fields are described
 * once, in tables that both the JSON and the text writer walk, so the two
 * forms cannot drift apart. */
#include <stddef.h>
#include <string.h>

#include "dp/dp.h"
#include "io/io.h"
#include "lib/jsonw.h"
#include "srchaind/stats.h"

struct field {
	const char *name;
	size_t off;
};

#define PORT_FIELD(name, member)                                                                   \
	{                                                                                          \
		name, offsetof(struct io_stats, member)                                            \
	}
static const struct field port_fields[] = {
	PORT_FIELD("rx_packets", rx_pkts),
	PORT_FIELD("rx_bytes", rx_bytes),
	PORT_FIELD("rx_not_ours", rx_not_ours),
	PORT_FIELD("rx_truncated", rx_truncated),
	PORT_FIELD("rx_gso", rx_gso),
	PORT_FIELD("rx_csum_fixed", rx_csum_fixed),
	PORT_FIELD("rx_kernel_drops", rx_kernel_drops),
	PORT_FIELD("tx_packets", tx_pkts),
	PORT_FIELD("tx_bytes", tx_bytes),
	PORT_FIELD("tx_errors", tx_errors),
};

#define CTL_FIELD(name, member)                                                                    \
	{                                                                                          \
		name, offsetof(struct stats_ctl, member)                                           \
	}
static const struct field ctl_fields[] = {
	CTL_FIELD("clients", clients),	   CTL_FIELD("accepted", accepted),
	CTL_FIELD("answered", answered),   CTL_FIELD("refused", refused),
	CTL_FIELD("timed_out", timed_out), CTL_FIELD("dropped", dropped),
};

#define N_FIELDS(a) (sizeof(a) / sizeof(a[0]))

static uint64_t field_get(const void *base, const struct field *f)
{
	uint64_t v;

	memcpy(&v, (const char *)base + f->off, sizeof(v));
	return v;
}

static void port_get(const struct stats_src *s, uint32_t i, struct io_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (s->port_stats)
		s->port_stats(s->ctx, i, st);
}

void stats_json(struct jsonw *j, const struct stats_src *s)
{
	const struct dp_tables *t = atomic_load(&s->dp->tables);
	uint64_t pk, by;

	jsonw_obj_open(j);
	jsonw_kv_uint(j, "uptime_ms", s->uptime_ms);
	jsonw_kv_uint(j, "generation", t ? t->gen : 0);
	jsonw_key(j, "counters");
	jsonw_obj_open(j);
	for (int c = 0; c < DP_CTR_MAX; c++)
		jsonw_kv_uint(j, dp_ctr_name((enum dp_ctr)c), dp_ctr_sum(s->dp, (enum dp_ctr)c));
	jsonw_obj_close(j);
	jsonw_key(j, "objects");
	jsonw_arr_open(j);
	for (uint32_t k = 0; t && k < t->n_stat; k++) {
		dp_stat_sum(s->dp, k, &pk, &by);
		jsonw_obj_open(j);
		jsonw_kv_str(j, "name", t->stat_name[k]);
		jsonw_kv_uint(j, "packets", pk);
		jsonw_kv_uint(j, "bytes", by);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	jsonw_key(j, "ports");
	jsonw_arr_open(j);
	for (uint32_t i = 0; i < s->n_ports; i++) {
		struct io_stats st;

		port_get(s, i, &st);
		jsonw_obj_open(j);
		jsonw_kv_str(j, "name", s->port_name[i]);
		for (size_t f = 0; f < N_FIELDS(port_fields); f++)
			jsonw_kv_uint(j, port_fields[f].name, field_get(&st, &port_fields[f]));
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	if (s->ctl) {
		jsonw_key(j, "control");
		jsonw_obj_open(j);
		for (size_t f = 0; f < N_FIELDS(ctl_fields); f++)
			jsonw_kv_uint(j, ctl_fields[f].name, field_get(s->ctl, &ctl_fields[f]));
		jsonw_obj_close(j);
	}
	jsonw_obj_close(j);
}

void stats_text(FILE *f, const struct stats_src *s, const char *title)
{
	const struct dp_tables *t = atomic_load(&s->dp->tables);
	uint64_t pk, by;

	fprintf(f, "%s (%.1f s, tables generation %u):\n", title, (double)s->uptime_ms / 1000,
		t ? t->gen : 0);
	fprintf(f, "counters:\n");
	for (int c = 0; c < DP_CTR_MAX; c++) {
		uint64_t v = dp_ctr_sum(s->dp, (enum dp_ctr)c);

		if (v)
			fprintf(f, "  %-24s %10llu\n", dp_ctr_name((enum dp_ctr)c),
				(unsigned long long)v);
	}
	fprintf(f, "objects (packets bytes):\n");
	for (uint32_t k = 0; t && k < t->n_stat; k++) {
		dp_stat_sum(s->dp, k, &pk, &by);
		if (pk)
			fprintf(f, "  %-56s %10llu %12llu\n", t->stat_name[k],
				(unsigned long long)pk, (unsigned long long)by);
	}
	fprintf(f, "ports (");
	for (size_t k = 0; k < N_FIELDS(port_fields); k++)
		fprintf(f, "%s%s", k ? " " : "", port_fields[k].name);
	fprintf(f, "):\n");
	for (uint32_t i = 0; i < s->n_ports; i++) {
		struct io_stats st;

		port_get(s, i, &st);
		fprintf(f, "  %-16s", s->port_name[i]);
		for (size_t k = 0; k < N_FIELDS(port_fields); k++)
			fprintf(f, " %10llu", (unsigned long long)field_get(&st, &port_fields[k]));
		fputc('\n', f);
	}
	if (s->ctl) {
		fprintf(f, "control socket:");
		for (size_t k = 0; k < N_FIELDS(ctl_fields); k++)
			fprintf(f, " %s %llu", ctl_fields[k].name,
				(unsigned long long)field_get(s->ctl, &ctl_fields[k]));
		fputc('\n', f);
	}
	fflush(f);
}

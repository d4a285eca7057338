#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/conf.h"
#include "dp/dp.h"
#include "io/io.h"
#include "io/pcap.h"
#include "lib/fdwait.h"
#include "lib/jsonw.h"
#include "srchaind/offline.h"
#include "srchaind/stats.h"

#define BURST	  32
#define POOL_SIZE (DP_OUT_MAX + BURST)

struct pool {
	uint32_t n_free;
	struct pkt *free[POOL_SIZE];
	struct pkt descs[POOL_SIZE];
	uint8_t *frames;
};

static struct pkt *pool_get(void *ctx)
{
	struct pool *p = ctx;

	return p->n_free ? p->free[--p->n_free] : NULL;
}

static void pool_reset(struct pool *p)
{
	p->n_free = 0;
	for (uint32_t i = 0; i < POOL_SIZE; i++) {
		p->descs[i].frame = p->frames + (size_t)i * PKT_FRAME_SIZE;
		p->descs[i].addr = i;
		p->free[p->n_free++] = &p->descs[i];
	}
}

struct outputs {
	const char *dir;
	struct pcap_writer w[DP_IF_MAX + 2]; /* interfaces, host, drop */
	struct io_stats port[DP_IF_MAX];     /* records read (rx) and written (tx) */
};

static int out_write(struct outputs *o, const struct dp_tables *t, uint32_t slot, uint64_t ts,
		     const struct pkt *p, struct err *err)
{
	struct pcap_writer *w = &o->w[slot];

	if (!w->f) {
		char path[4096];
		const char *name = slot < t->n_if      ? t->ifs[slot].name
				   : slot == DP_IF_MAX ? "host"
						       : "drop";
		int rc;

		snprintf(path, sizeof(path), "%s/%s.pcap", o->dir, name);
		rc = pcap_open_write(w, path, err);
		if (rc)
			return rc;
	}
	if (pcap_write(w, ts, pkt_data(p), p->len))
		return err_set(err, EIO, "%s: write error", o->dir);
	if (slot < DP_IF_MAX) {
		o->port[slot].tx_pkts++;
		o->port[slot].tx_bytes += p->len;
	}
	return 0;
}

/* Offline ports: the configuration's interfaces with the pcap records read
 * for them (rx) and written to them (tx). */
static void port_get(void *ctx, uint32_t port, struct io_stats *s)
{
	const struct outputs *o = ctx;

	*s = o->port[port];
}

static void print_stats(const struct dp *dp, const struct dp_tables *t, struct outputs *o,
			const struct offline_opts *opts, uint64_t uptime_ms)
{
	const char *names[DP_IF_MAX];
	struct stats_src s = {
		.dp = dp,
		.uptime_ms = uptime_ms,
		.n_ports = t->n_if < DP_IF_MAX ? t->n_if : DP_IF_MAX,
		.port_name = names,
		.port_stats = port_get,
		.ctx = o,
	};

	for (uint32_t i = 0; i < s.n_ports; i++)
		names[i] = t->ifs[i].name;
	if (opts->json) {
		struct jsonw j;

		jsonw_init(&j, stdout, true);
		stats_json(&j, &s);
		jsonw_finish(&j);
		return;
	}
	stats_text(stdout, &s, "statistics");
	printf("outputs:\n");
	for (uint32_t i = 0; i < DP_IF_MAX + 2; i++)
		if (o->w[i].records)
			printf("  %s/%s.pcap: %llu packets\n", o->dir,
			       i < t->n_if	? t->ifs[i].name
			       : i == DP_IF_MAX ? "host"
						: "drop",
			       (unsigned long long)o->w[i].records);
}

static int run_input(struct dp *dp, struct pool *pool, struct outputs *outs, int in_if,
		     const char *file, const struct offline_opts *o, struct err *err)
{
	const struct dp_tables *t = atomic_load(&dp->tables);
	struct dp_worker *w = dp->workers[0];
	struct pcap_reader r;
	static struct dp_out out;
	int rc, more = 1;

	rc = pcap_open_read(&r, file, err);
	if (rc)
		return rc;
	while (more) {
		struct pkt *burst[BURST];
		uint32_t n = 0;

		pool_reset(pool);
		while (n < BURST) {
			struct pkt *p = pool_get(pool);
			struct pcap_rec rec;

			rc = pcap_read(&r, &rec, p->frame + PKT_HEADROOM, PKT_MAX_LEN, err);
			if (rc <= 0) {
				more = 0;
				break;
			}
			p->off = PKT_HEADROOM;
			p->len = rec.len;
			p->in_if = (uint16_t)in_if;
			p->ts = rec.ts_ns;
			burst[n++] = p;
			outs->port[in_if].rx_pkts++;
			outs->port[in_if].rx_bytes += rec.len;
		}
		if (rc < 0)
			break;
		dp_process(w, burst, n, &out);
		rc = 0;
		for (uint32_t k = 0; k < 3 && !rc; k++) {
			for (uint32_t i = 0; i < out.n[k] && !rc; i++) {
				const struct pkt *p = out.v[k][i];
				uint32_t slot = k == DP_OUT_TX	   ? p->out_if
						: k == DP_OUT_HOST ? DP_IF_MAX
								   : DP_IF_MAX + 1;

				if (k == DP_OUT_DROP && !o->write_drops)
					continue;
				rc = out_write(outs, t, slot, p->ts, p, err);
			}
		}
	}
	pcap_close_read(&r);
	return rc < 0 ? rc : 0;
}

int offline_run(const struct offline_opts *o)
{
	struct dp_tables *t;
	struct outputs outs = {.dir = o->out_dir};
	struct pool *pool = NULL;
	struct dp dp;
	struct err err = {{0}};
	int rc = 1, in_if[OFFLINE_INPUTS_MAX];
	int64_t start_ms = mono_ms();

	t = conf_load(o->conf, 1, &err);
	if (!t) {
		fprintf(stderr, "srchaind: %s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < o->n_in; i++) {
		in_if[i] = dp_if_find(t, o->in_if[i]);
		if (in_if[i] < 0) {
			fprintf(stderr, "srchaind: --in %s=%s: no interface '%s' in %s\n",
				o->in_if[i], o->in_file[i], o->in_if[i], o->conf);
			dp_tables_free(t);
			return 1;
		}
	}
	if (mkdir(o->out_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "srchaind: %s: %s\n", o->out_dir, strerror(errno));
		dp_tables_free(t);
		return 1;
	}
	if (dp_init(&dp, 1)) {
		dp_tables_free(t);
		return 1;
	}
	dp_publish(&dp, t);
	pool = calloc(1, sizeof(*pool));
	if (!pool || !(pool->frames = aligned_alloc(4096, (size_t)POOL_SIZE * PKT_FRAME_SIZE))) {
		fprintf(stderr, "srchaind: out of memory\n");
		goto out;
	}
	dp.workers[0]->pool.get = pool_get;
	dp.workers[0]->pool.ctx = pool;
	for (int i = 0; i < o->n_in; i++) {
		if (run_input(&dp, pool, &outs, in_if[i], o->in_file[i], o, &err)) {
			fprintf(stderr, "srchaind: %s\n", err.msg);
			goto out;
		}
	}
	rc = 0;
	if (o->json || !o->quiet)
		print_stats(&dp, t, &outs, o, (uint64_t)(mono_ms() - start_ms));
out:
	for (int i = 0; i < DP_IF_MAX + 2; i++)
		if (pcap_close_write(&outs.w[i]))
			rc = 1;
	if (pool)
		free(pool->frames);
	free(pool);
	dp_fini(&dp);
	return rc;
}

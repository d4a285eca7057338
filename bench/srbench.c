/* srbench: data-plane throughput of one behaviour at a time, on one core.
 *
 * Each case builds a whole node configuration (conf_apply: interfaces,
 * neighbours, a FIB of ~1000 routes per family, SIDs, LFIB, policies, NSH
 * path entries, a firewall) plus the classifier lines of the case, and a
 * ring of received frames (4096 flows by default, varying ports and
 * destinations, so flow hashing, ECMP and the FIB see realistic traffic).
 *
 * Every case is validated before it is timed: each frame of the ring goes
 * through dp_process() alone and its output must be byte for byte the
 * packet the behaviour should produce (built here independently from the
 * same parameters), on an allowed interface, with the right MACs; then the
 * ring goes through in bursts and nothing may be dropped. A case that fails
 * is reported as an ERROR, never as a speed.
 *
 * Timed loop, per burst:
 *   rx:  copy the template bytes into the next frame at PKT_HEADROOM (as a
 *        NIC would DMA) and set off/len/in_if;
 *   dp:  dp_process() (from Ethernet, full path);
 *   tx:  read the first byte and length of every output packet.
 * The "null" ceiling does the same rx and tx with a minimal L2/L3 header
 * read instead of dp_process(), on the same templates; every case is
 * reported as a percentage of the null run of its own frame length.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srbench.h"
#include "conf/conf.h"
#include "dp/tables.h"
#include "lib/addr.h"
#include "lib/jsonw.h"

struct opts bench_opt = {
	.seconds = 1.0,
	.warmup = 0.2,
	.min_cpu = 0.9,
	.cpu = -1,
	.repeats = 3,
	.flows = 4096,
	.burst = 32,
	.frames = 1024,
	.routes = 1000,
	.rules = 1000,
	.sizes = 3,
};

/* -------------------------------------------------------------- output */

static const char *kind_segs(const struct bcase *c, char *buf)
{
	if (!c->segs)
		return "-";
	snprintf(buf, 8, "%u", c->segs);
	return buf;
}

static void print_header(void)
{
	printf("%-14s %-6s %4s %6s %5s %8s %8s %7s %7s %5s %8s\n", "case", "inner", "segs", "frame",
	       "burst", "Mpps", "ns/pkt", "%null", "spread", "cpu%", "Mpps/cpu");
}

static void print_row(const char *name, const char *inner, const char *segs, uint32_t frame,
		      uint32_t burst, const struct result *res, int is_null)
{
	if (!res->ok) {
		printf("%-14s %-6s %4s %6u %5u ERROR: %s\n", name, inner, segs, frame, burst,
		       res->err);
		return;
	}
	char pct[16] = "-";

	if (is_null)
		snprintf(pct, sizeof(pct), "100.0%%");
	else if (res->null_mpps > 0)
		snprintf(pct, sizeof(pct), "%.1f%%", 100.0 * res->med_mpps / res->null_mpps);
	printf("%-14s %-6s %4s %6u %5u %8.2f %8.1f %7s %6.1f%% %4.0f%% %8.2f%s\n", name, inner,
	       segs, frame, burst, res->med_mpps, res->ns, pct, 100.0 * res->spread,
	       100.0 * res->cpu_frac, res->med_mpps_cpu, res->noisy ? " noisy" : "");
	fflush(stdout);
}

static void json_result(struct jsonw *j, const char *name, const char *family, uint32_t inner,
			uint32_t segs, uint32_t frame, uint32_t burst, const struct result *res,
			int is_null)
{
	jsonw_obj_open(j);
	jsonw_kv_str(j, "case", name);
	if (family)
		jsonw_kv_str(j, "inner_family", family);
	if (inner)
		jsonw_kv_uint(j, "inner_bytes", inner);
	if (segs)
		jsonw_kv_uint(j, "segments", segs);
	jsonw_kv_uint(j, "frame_bytes", frame);
	jsonw_kv_uint(j, "burst", burst);
	jsonw_kv_str(j, "status", res->ok ? "ok" : "error");
	if (!res->ok) {
		jsonw_kv_str(j, "error", res->err);
	} else {
		jsonw_kv_double(j, "mpps", res->med_mpps);
		jsonw_kv_double(j, "ns_per_pkt", res->ns);
		if (is_null || res->null_mpps > 0) {
			jsonw_kv_double(j, "pct_of_null",
					is_null ? 100.0 : 100.0 * res->med_mpps / res->null_mpps);
			jsonw_kv_double(j, "null_mpps", is_null ? res->med_mpps : res->null_mpps);
		}
		jsonw_kv_double(j, "spread", res->spread);
		jsonw_kv_double(j, "cpu_fraction", res->cpu_frac);
		jsonw_kv_double(j, "mpps_per_cpu_time", res->med_mpps_cpu);
		jsonw_kv_int(j, "involuntary_switches", res->nivcsw);
		jsonw_kv_int(j, "retried_runs", res->retries);
		jsonw_kv_bool(j, "noisy", res->noisy);
		jsonw_key(j, "runs_mpps");
		jsonw_arr_open(j);
		for (int k = 0; k < bench_opt.repeats; k++)
			jsonw_double(j, res->mpps[k]);
		jsonw_arr_close(j);
		jsonw_key(j, "runs_cpu_fraction");
		jsonw_arr_open(j);
		for (int k = 0; k < bench_opt.repeats; k++)
			jsonw_double(j, res->run_cpu[k]);
		jsonw_arr_close(j);
		if (!is_null) {
			jsonw_key(j, "tx_per_interface");
			jsonw_arr_open(j);
			for (int k = 1; k < 3; k++)
				jsonw_uint(j, res->tx_if[k]);
			jsonw_arr_close(j);
		}
	}
	jsonw_obj_close(j);
}

struct null_entry {
	uint32_t frame_len, burst;
	struct result res;
};

static struct null_entry nulls[NULLS_MAX];
static uint32_t n_nulls;

static int build_ring(const struct bcase *c, struct ring *r, struct result *res)
{
	static struct pb in;
	static struct expect ex;
	uint32_t nf = case_flows(c);

	case_build(c, 0, &in, &ex);
	r->len = in.len;
	r->stride = (in.len + 63) & ~63u;
	r->n = bench_opt.flows;
	r->tpl = aligned_alloc(64, (size_t)r->n * r->stride);
	if (!r->tpl)
		return harness_fail(res, "out of memory");
	for (uint32_t i = 0; i < r->n; i++) {
		case_build(c, i % nf, &in, &ex);
		if (in.len != r->len)
			return harness_fail(res, "flow %u: frame length %u differs", i, in.len);
		memcpy(r->tpl + (size_t)i * r->stride, pb_data(&in), in.len);
	}
	/* templates beyond nf repeat flows: validate the distinct ones */
	r->n = nf;
	return 0;
}

static int dump_open(struct dumper *dm, const struct bcase *c, const char *fam)
{
	char path[4096];
	struct err err = {{0}};

	snprintf(path, sizeof(path), "%s/%s-%s%u-s%u.in.pcap", bench_opt.dump, c->s->name, fam,
		 c->inner, c->segs);
	if (pcap_open_write(&dm->in, path, &err))
		goto err;
	snprintf(path, sizeof(path), "%s/%s-%s%u-s%u.out.pcap", bench_opt.dump, c->s->name, fam,
		 c->inner, c->segs);
	if (pcap_open_write(&dm->out, path, &err)) {
		pcap_close_write(&dm->in);
		goto err;
	}
	return 0;
err:
	fprintf(stderr, "srbench: %s\n", err.msg);
	return -1;
}

static uint32_t count_lines(const struct sbuf *b)
{
	uint32_t n = 0;

	for (size_t k = 0; k < b->len; k++)
		n += b->s[k] == '\n';
	return n;
}

static void run_case(const struct bcase *c, struct frames *fr, struct jsonw *j)
{
	const char *fam = c->s->v4 ? "v4" : "v6";
	uint32_t burst = c->burst ? c->burst : bench_opt.burst;
	struct sbuf cfg = {0};
	struct result res = {.ok = 1};
	struct dp_tables *t = NULL;
	struct dumper dm, *dmp = NULL;
	struct ring r = {0};
	struct null_entry *ne = NULL;
	struct err err = {{0}};
	struct dp dp;
	char inner[16], segbuf[8];
	const char *segs = kind_segs(c, segbuf);
	int have_dp = 0;

	snprintf(inner, sizeof(inner), "%s/%u", fam, c->inner);
	if (build_ring(c, &r, &res))
		goto out;
	res.frame_len = r.len;
	case_conf(&cfg, c);
	t = dp_tables_new(1);
	if (!t) {
		harness_fail(&res, "out of memory");
		goto out;
	}
	if (conf_apply(t, cfg.s, cfg.len, "srbench.conf", &err) || dp_tables_finish(t, &err)) {
		harness_fail(&res, "configuration: %s", err.msg);
		dp_tables_free(t);
		goto out;
	}
	if (bench_opt.verbose)
		fprintf(stderr,
			"srbench: %s %s: %u config lines, FIB %u v6 / %u v4 prefixes "
			"(%u / %u lengths), %u classifier rules, %u flows\n",
			c->s->name, inner, count_lines(&cfg), t->fib6[0].h.count,
			t->fib4[0].h.count, t->fib6[0].n_lens, t->fib4[0].n_lens, t->n_rule, r.n);
	if (dp_init(&dp, 1)) {
		dp_tables_free(t);
		harness_fail(&res, "out of memory");
		goto out;
	}
	have_dp = 1;
	dp_publish(&dp, t);
	if (bench_opt.dump && dump_open(&dm, c, fam) == 0)
		dmp = &dm;
	if (harness_validate(c, &dp, &r, fr, burst, dmp, &res))
		goto out;
	r.n = bench_opt.flows; /* time the whole ring */

	/* the ceiling for this frame length and burst */
	for (uint32_t k = 0; k < n_nulls; k++)
		if (nulls[k].frame_len == r.len && nulls[k].burst == burst)
			ne = &nulls[k];
	if (!ne && n_nulls < NULLS_MAX && !bench_opt.no_null) {
		ne = &nulls[n_nulls++];
		ne->frame_len = r.len;
		ne->burst = burst;
		ne->res.ok = 1;
		ne->res.frame_len = r.len;
		harness_measure(dp.workers[0], &r, fr, burst, 1, &ne->res);
		if (j)
			json_result(j, "null", NULL, 0, 0, r.len, burst, &ne->res, 1);
		else
			print_row("null", "-", "-", r.len, burst, &ne->res, 1);
	}
	if (harness_measure(dp.workers[0], &r, fr, burst, 0, &res)) {
		res.ok = 0;
		goto out;
	}
	res.null_mpps = ne ? ne->res.med_mpps : 0;
out:
	if (j)
		json_result(j, c->s->name, fam, c->inner, c->segs, r.len, burst, &res, 0);
	else
		print_row(c->s->name, inner, segs, r.len, burst, &res, 0);
	if (!res.ok && bench_opt.verbose)
		fprintf(stderr, "srbench: %s %s: %s\n", c->s->name, inner, res.err);
	if (dmp) {
		pcap_close_write(&dm.in);
		pcap_close_write(&dm.out);
	}
	if (have_dp)
		dp_fini(&dp);
	free(r.tpl);
	free(cfg.s);
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: srbench [-t SECONDS] [-c CPU] [--filter NAMES] [--json] [options]\n"
		"  -t, --time S      seconds per timed run (default 1)\n"
		"  -r, --repeats N   timed runs per case, median reported (default 3)\n"
		"  -w, --warmup S    untimed warm-up per case (default 0.2)\n"
		"  -c, --cpu N       pin to CPU N (default: the last CPU)\n"
		"  -f, --filter P    comma-separated case names, substrings or globs\n"
		"  -s, --size N      inner packet size 64 or 512 only\n"
		"  -b, --burst N     packets per dp_process() call (default 32, max %u;\n"
		"                    also runs End at %u unless -b is given)\n"
		"      --segs N      only cases with N segments/labels (or none)\n"
		"      --family 4|6  only cases whose inner packet is IPv4 / IPv6\n"
		"      --flows N     distinct flows in the ring (default 4096)\n"
		"      --frames N    rx frames cycled through (default 1024)\n"
		"      --routes N    filler routes per family (default 1000, max %u;\n"
		"                    IPv4 at most %u)\n"
		"      --rules N     exact classifier rules (default 1000)\n"
		"      --dump DIR    write each case's first frames in/out as pcap\n"
		"      --json        machine-readable results\n"
		"      --no-null     skip the null ceiling (for profiling one case)\n"
		"      --min-cpu PCT retry a run that had the CPU less than PCT%% of the\n"
		"                    time, up to %d times (default 90; 0 = never)\n"
		"  -l, --list        list the cases\n"
		"  -v, --verbose     table sizes and errors on stderr\n",
		DP_BURST_MAX, DP_BURST_MAX, ROUTES_MAX, ROUTES4_MAX, RETRIES_MAX);
}

static int parse_u32_opt(const char *name, const char *s, uint32_t lo, uint32_t hi, uint32_t *v)
{
	uint64_t x;

	if (num_parse(s, lo, hi, &x)) {
		fprintf(stderr, "srbench: %s: '%s' is not a number %u-%u\n", name, s, lo, hi);
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{"time", required_argument, NULL, 't'},
		{"repeats", required_argument, NULL, 'r'},
		{"warmup", required_argument, NULL, 'w'},
		{"cpu", required_argument, NULL, 'c'},
		{"filter", required_argument, NULL, 'f'},
		{"size", required_argument, NULL, 's'},
		{"burst", required_argument, NULL, 'b'},
		{"flows", required_argument, NULL, 1},
		{"frames", required_argument, NULL, 2},
		{"routes", required_argument, NULL, 3},
		{"rules", required_argument, NULL, 4},
		{"dump", required_argument, NULL, 5},
		{"json", no_argument, NULL, 6},
		{"list", no_argument, NULL, 'l'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"no-null", no_argument, NULL, 7},
		{"min-cpu", required_argument, NULL, 8},
		{"segs", required_argument, NULL, 9},
		{"family", required_argument, NULL, 10},
		{NULL, 0, NULL, 0},
	};
	uint32_t v;
	int ch;
	char *end;

	while ((ch = getopt_long(argc, argv, "t:r:w:c:f:s:b:lvh", lo, NULL)) != -1) {
		switch (ch) {
		case 't':
		case 'w': {
			double d;

			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || d < 0.001 || d > 3600) {
				fprintf(stderr, "srbench: '%s' is not a duration in seconds\n",
					optarg);
				return -1;
			}
			*(ch == 't' ? &bench_opt.seconds : &bench_opt.warmup) = d;
			break;
		}
		case 'r':
			if (parse_u32_opt("repeats", optarg, 1, REPEATS_MAX, &v))
				return -1;
			bench_opt.repeats = (int)v;
			break;
		case 'c':
			if (parse_u32_opt("cpu", optarg, 0, CPU_SETSIZE - 1, &v))
				return -1;
			bench_opt.cpu = (int)v;
			break;
		case 'f':
			bench_opt.filter = optarg;
			break;
		case 's':
			if (!strcmp(optarg, "64"))
				bench_opt.sizes = 1;
			else if (!strcmp(optarg, "512"))
				bench_opt.sizes = 2;
			else {
				fprintf(stderr, "srbench: --size is 64 or 512\n");
				return -1;
			}
			break;
		case 'b':
			if (parse_u32_opt("burst", optarg, 1, DP_BURST_MAX, &bench_opt.burst))
				return -1;
			bench_opt.single_burst = 1;
			break;
		case 1:
			if (parse_u32_opt("flows", optarg, 1, FLOWS_MAX, &bench_opt.flows))
				return -1;
			break;
		case 2:
			if (parse_u32_opt("frames", optarg, 1, FRAMES_MAX, &bench_opt.frames))
				return -1;
			break;
		case 3:
			if (parse_u32_opt("routes", optarg, 1, ROUTES_MAX, &bench_opt.routes))
				return -1;
			break;
		case 4:
			if (parse_u32_opt("rules", optarg, 1, RULES_MAX, &bench_opt.rules))
				return -1;
			break;
		case 5:
			bench_opt.dump = optarg;
			break;
		case 6:
			bench_opt.json = 1;
			break;
		case 7:
			bench_opt.no_null = 1;
			break;
		case 8:
			if (parse_u32_opt("min-cpu", optarg, 0, 100, &v))
				return -1;
			bench_opt.min_cpu = v / 100.0;
			break;
		case 9:
			if (parse_u32_opt("segs", optarg, 1, DP_SEGS_MAX, &bench_opt.segs))
				return -1;
			break;
		case 10:
			if (strcmp(optarg, "4") && strcmp(optarg, "6")) {
				fprintf(stderr, "srbench: --family is 4 or 6\n");
				return -1;
			}
			bench_opt.family = optarg[0] - '0';
			break;
		case 'l':
			bench_opt.list = 1;
			break;
		case 'v':
			bench_opt.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "srbench: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int pin(void)
{
	cpu_set_t set;
	int cpu = bench_opt.cpu;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return -1;
		for (int k = 0; k < CPU_SETSIZE; k++)
			if (CPU_ISSET(k, &set))
				cpu = k;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "srbench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return -1;
	}
	bench_opt.cpu = cpu;
	return 0;
}

int main(int argc, char **argv)
{
	static struct bcase cases[CASES_MAX];
	struct frames fr = {0};
	struct jsonw jw, *j = NULL;
	double load0[3] = {0}, load1[3] = {0}, t0;
	uint32_t n;

	if (parse_args(argc, argv))
		return 2;
	n = cases_make(cases);
	if (bench_opt.list) {
		cases_list();
		return 0;
	}
	if (!n) {
		fprintf(stderr, "srbench: no case matches '%s' (see --list)\n", bench_opt.filter);
		return 2;
	}
	if (bench_opt.frames < bench_opt.burst || bench_opt.frames < DP_BURST_MAX)
		bench_opt.frames = DP_BURST_MAX > bench_opt.burst ? DP_BURST_MAX : bench_opt.burst;
	if (pin())
		return 1;
	if (bench_opt.dump && mkdir(bench_opt.dump, 0755) && errno != EEXIST) {
		fprintf(stderr, "srbench: %s: %s\n", bench_opt.dump, strerror(errno));
		return 1;
	}
	/* frames of PKT_FRAME_SIZE, as in the offline pool and an AF_XDP UMEM */
	fr.n = bench_opt.frames;
	fr.mem = aligned_alloc(4096, (size_t)fr.n * PKT_FRAME_SIZE);
	fr.d = calloc(fr.n, sizeof(*fr.d));
	if (!fr.mem || !fr.d) {
		fprintf(stderr, "srbench: out of memory\n");
		return 1;
	}
	memset(fr.mem, 0, (size_t)fr.n * PKT_FRAME_SIZE);
	for (uint32_t i = 0; i < fr.n; i++) {
		fr.d[i].frame = fr.mem + (size_t)i * PKT_FRAME_SIZE;
		fr.d[i].addr = i;
	}
	getloadavg(load0, 3);
	t0 = harness_now_s();
	if (bench_opt.json) {
		j = &jw;
		jsonw_init(j, stdout, true);
		jsonw_obj_open(j);
		jsonw_kv_int(j, "cpu", bench_opt.cpu);
		jsonw_kv_double(j, "seconds", bench_opt.seconds);
		jsonw_kv_int(j, "repeats", bench_opt.repeats);
		jsonw_kv_uint(j, "burst", bench_opt.burst);
		jsonw_kv_uint(j, "flows", bench_opt.flows);
		jsonw_kv_uint(j, "frames", bench_opt.frames);
		jsonw_kv_uint(j, "routes_per_family", bench_opt.routes);
		jsonw_kv_uint(j, "classifier_rules", bench_opt.rules);
		jsonw_kv_double(j, "min_cpu_fraction", bench_opt.min_cpu);
		jsonw_key(j, "loadavg_start");
		jsonw_arr_open(j);
		for (int k = 0; k < 3; k++)
			jsonw_double(j, load0[k]);
		jsonw_arr_close(j);
		jsonw_key(j, "results");
		jsonw_arr_open(j);
	} else {
		printf("srbench: CPU %d, %.2g s x %d runs (median), warm-up %.2g s, burst %u, "
		       "%u flows, %u frames, %u routes/family, %u classifier rules, load %.2f\n",
		       bench_opt.cpu, bench_opt.seconds, bench_opt.repeats, bench_opt.warmup,
		       bench_opt.burst, bench_opt.flows, bench_opt.frames, bench_opt.routes,
		       bench_opt.rules, load0[0]);
		print_header();
	}
	for (uint32_t i = 0; i < n; i++)
		run_case(&cases[i], &fr, j);
	getloadavg(load1, 3);
	if (j) {
		jsonw_arr_close(j);
		jsonw_key(j, "loadavg_end");
		jsonw_arr_open(j);
		for (int k = 0; k < 3; k++)
			jsonw_double(j, load1[k]);
		jsonw_arr_close(j);
		jsonw_kv_double(j, "elapsed_s", harness_now_s() - t0);
		jsonw_obj_close(j);
		if (jsonw_finish(j))
			return 1;
	} else {
		printf("load average %.2f at start, %.2f at end; %.0f s; sink %llu\n", load0[0],
		       load1[0], harness_now_s() - t0, (unsigned long long)(harness_sink & 1));
	}
	free(fr.mem);
	free(fr.d);
	return 0;
}

/* Live mode driver.
 *
 *   control thread (main): signals (SIGHUP reload, SIGINT/SIGTERM exit),
 *     netlink changes (debounced rebuild), periodic statistics, the
 *     control socket (srchaind/ctl.c: listings, config add/remove);
 *     builds table sets off to the side and publishes them (dp_publish).
 *   worker threads: each owns one port per served interface, receives
 *     bursts, runs the data plane, transmits; sleeps in poll() when idle.
 *     AF_XDP (io/afxdp.c): worker k has the AF_XDP socket of rx queue k,
 *     an XDP program redirects to it what the data plane would not hand to
 *     the host; AF_PACKET: a socket per interface and worker, a fanout
 *     group per interface spreads flows over workers.
 *
 * AF_PACKET: the kernel receives its own copy of every frame we receive, so
 * packets the data plane hands to the host are simply released; and the
 * kernel must not forward the packets we forward, so IP forwarding has to
 * be off for the served interfaces (checked at start, for either backend).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "dp/dp.h"
#include "io/io.h"
#include "io/xdp/loader.h"
#include "lib/fdwait.h"
#include "lib/file.h"
#include "lib/jsonw.h"
#include "srchaind/ctl.h"
#include "srchaind/live.h"
#include "srchaind/stats.h"
#include "srchaind/transit.h"
#include "srchaind/xdp_maps.h"

#define REBUILD_DELAY_MS 50 /* netlink changes come in bursts */
#define IDLE_POLL_MS	 1000

struct copy_pool {
	uint32_t n_free;
	struct pkt *free[DP_OUT_MAX];
	struct pkt descs[DP_OUT_MAX];
	uint8_t *frames;
};

struct live_worker {
	pthread_t thread;
	int started;
	struct live *lv;
	struct dp_worker *dw;
	struct io_port *port[NL_DEVS_MAX];
	struct copy_pool copies;
	struct dp_out out;
	struct pkt *txq[DP_OUT_MAX];
};

struct live {
	const struct live_opts *o;
	struct dp dp;
	uint32_t n_workers;
	struct live_worker *w;
	_Atomic int stop;
	int stop_fd;	 /* eventfd: readable once stop is set, wakes every worker */
	char *conf_text; /* the running configuration: the file plus config add/remove */
	size_t conf_len;
	int conf_modified; /* conf_text differs from the file (control socket) */
	struct ctl *ctl;
	int ctl_opened;		    /* there is or was a control socket */
	struct stats_ctl ctl_stats; /* its counters, read for statistics */
	const char *io;		    /* I/O backend in use */
	struct io_xdp *xdp;	    /* AF_XDP: the steering program, NULL otherwise */
	struct timespec start;
};

static struct pkt *copy_get(void *ctx)
{
	struct copy_pool *p = ctx;

	return p->n_free ? p->free[--p->n_free] : NULL;
}

static void copy_reset(struct copy_pool *p)
{
	p->n_free = 0;
	for (uint32_t i = 0; i < DP_OUT_MAX; i++)
		p->free[p->n_free++] = &p->descs[i];
}

/* Transmits out->v[TX] grouped by output interface. */
static void worker_tx(struct live_worker *w, uint32_t n_ports)
{
	struct dp_out *out = &w->out;

	for (uint32_t port = 0; port < n_ports; port++) {
		uint32_t k = 0;

		for (uint32_t i = 0; i < out->n[DP_OUT_TX]; i++)
			if (out->v[DP_OUT_TX][i]->out_if == port)
				w->txq[k++] = out->v[DP_OUT_TX][i];
		if (k)
			io_tx_burst(w->port[port], w->txq, k);
	}
	/* an interface of the config file with no kernel port: nowhere to go */
	for (uint32_t i = 0; i < out->n[DP_OUT_TX]; i++)
		if (out->v[DP_OUT_TX][i]->out_if >= n_ports)
			w->port[0]->stats.tx_errors++;
}

static void *worker_main(void *arg)
{
	struct live_worker *w = arg;
	struct live *lv = w->lv;
	uint32_t n_ports = lv->o->n_dev;
	struct pollfd pfd[NL_DEVS_MAX + 1];
	struct pkt *burst[IO_BURST_MAX];

	for (uint32_t i = 0; i < n_ports; i++)
		pfd[i] = (struct pollfd){.fd = io_fd(w->port[i]), .events = POLLIN};
	pfd[n_ports] = (struct pollfd){.fd = lv->stop_fd, .events = POLLIN};
	while (!atomic_load_explicit(&lv->stop, memory_order_relaxed)) {
		int busy = 0;

		for (uint32_t i = 0; i < n_ports; i++) {
			int n = io_rx_burst(w->port[i], burst, IO_BURST_MAX);

			if (n <= 0)
				continue;
			busy = 1;
			copy_reset(&w->copies);
			dp_process(w->dw, burst, (uint32_t)n, &w->out);
			worker_tx(w, n_ports);
			/* host: the kernel has its own copy (AF_PACKET) or got
			 * the packet from the XDP program instead of us (AF_XDP:
			 * what still ends here is lost, counted as host); drop:
			 * counted by the data plane. Both only release their
			 * buffers, which the next rx_burst / copy_reset does. */
		}
		if (!busy && poll(pfd, n_ports + 1, IDLE_POLL_MS) < 0 && errno != EINTR)
			break;
	}
	return NULL;
}

/* Carries object statistics (by name) from the published set into t, so
 * that counters survive reloads. Increments made by workers between this
 * copy and the swap (microseconds) are lost. */
static void stats_carry(struct live *lv, struct dp_tables *t)
{
	const struct dp_tables *old = atomic_load(&lv->dp.tables);
	uint32_t hint = 0;

	if (!old)
		return;
	for (uint32_t s = 0; s < t->n_stat; s++) {
		for (uint32_t k = 0; k < old->n_stat; k++) {
			uint32_t o = (hint + k) % old->n_stat;
			uint64_t pk, by;

			if (strcmp(t->stat_name[s], old->stat_name[o]))
				continue;
			dp_stat_sum(&lv->dp, o, &pk, &by);
			t->stats[2 * s] += pk;
			t->stats[2 * s + 1] += by;
			hint = o + 1;
			break;
		}
	}
}

/* Builds a table set from the kernel and text (fname in errors) and
 * publishes it; text (malloc'd) becomes the running configuration unless it
 * already is. On error nothing changes: the published set and the running
 * text stay, text remains the caller's, the error is logged and in err. */
static int apply_conf(struct live *lv, char *text, size_t len, const char *fname, const char *why,
		      struct err *err)
{
	struct nl_summary sum;
	struct dp_tables *t;

	t = nl_build_tables(lv->o->devs, lv->o->n_dev, text, len, fname, lv->n_workers, &sum, err);
	if (!t) {
		fprintf(stderr, "srchaind: %s: %s%s\n", why, err->msg,
			atomic_load(&lv->dp.tables) ? " (keeping the previous tables)" : "");
		return -EINVAL;
	}
	stats_carry(lv, t);
	dp_publish(&lv->dp, t);
	if (lv->xdp) {
		struct err xerr = {{0}};

		/* t stays valid: only this thread publishes (and frees) */
		if (xdp_maps_sync(lv->xdp, t, &xerr))
			fprintf(stderr, "srchaind: %s: %s\n", why, xerr.msg);
	}
	if (text != lv->conf_text) {
		free(lv->conf_text);
		lv->conf_text = text;
		lv->conf_len = len;
	}
	if (!lv->o->quiet)
		fprintf(stderr,
			"srchaind: %s: tables generation %u: %u interfaces, %u addresses, %u "
			"routes "
			"(%u skipped), %u neighbours, %u local SIDs, %u functions\n",
			why, t->gen, t->n_if, sum.addrs, sum.routes, sum.routes_skipped, sum.neighs,
			t->n_sid, t->n_vnf);
	return 0;
}

/* Rebuilds from the running text (the kernel's state changed). */
static int rebuild(struct live *lv, const char *why)
{
	struct err err = {{0}};

	return apply_conf(lv, lv->conf_text, lv->conf_len,
			  lv->conf_modified ? "running-config" : lv->o->conf, why, &err);
}

/* Rereads the file (SIGHUP, control socket): runtime changes are dropped. */
static int reload(struct live *lv, struct err *err)
{
	char *text;
	size_t len;

	if (file_read(lv->o->conf, FILE_READ_MAX, &text, &len, err)) {
		fprintf(stderr, "srchaind: reload: %s (keeping the previous tables)\n", err->msg);
		return -EINVAL;
	}
	if (apply_conf(lv, text, len, lv->o->conf, "reload", err)) {
		free(text);
		return -EINVAL;
	}
	lv->conf_modified = 0;
	return 0;
}

static int read_sysctl(const char *path)
{
	char buf[16] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

/* The kernel sees every frame we see; if it forwarded too, every packet
 * would leave twice. IPv4 forwarding is decided per input interface
 * (conf.X.forwarding); IPv6 by conf.all.forwarding (plus, on recent
 * kernels, conf.X.force_forwarding). */
static int check_forwarding(const struct live_opts *o)
{
	char path[128];
	int bad = 0;

	for (uint32_t i = 0; i < o->n_dev; i++) {
		const char *knobs[] = {"ipv4/conf/%s/forwarding", "ipv6/conf/%s/forwarding",
				       "ipv6/conf/%s/force_forwarding"};

		for (size_t k = 0; k < sizeof(knobs) / sizeof(knobs[0]); k++) {
			char rel[96];

			snprintf(rel, sizeof(rel), knobs[k], o->devs[i]);
			snprintf(path, sizeof(path), "/proc/sys/net/%s", rel);
			if (read_sysctl(path) > 0) {
				for (char *c = rel; *c; c++)
					*c = *c == '/' ? '.' : *c;
				fprintf(stderr,
					"srchaind: net.%s = 1: the kernel would forward "
					"what srchaind forwards\n",
					rel);
				bad = 1;
			}
		}
	}
	if (read_sysctl("/proc/sys/net/ipv6/conf/all/forwarding") > 0) {
		fprintf(stderr,
			"srchaind: net.ipv6.conf.all.forwarding = 1: the kernel would forward "
			"what srchaind forwards\n");
		bad = 1;
	}
	if (bad)
		fprintf(stderr, "srchaind: turn IP forwarding off in this namespace for the served "
				"interfaces (sysctl -w net.ipv4.conf.IF.forwarding=0 "
				"net.ipv6.conf.all.forwarding=0), or start with "
				"--allow-kernel-forwarding if you know why\n");
	return bad ? -1 : 0;
}

static double elapsed(const struct live *lv)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - lv->start.tv_sec) + (now.tv_nsec - lv->start.tv_nsec) / 1e9;
}

static void port_sum(const struct live *lv, uint32_t i, struct io_stats *s)
{
	memset(s, 0, sizeof(*s));
	for (uint32_t k = 0; k < lv->n_workers; k++) {
		struct io_port *p = lv->w[k].port[i];

		if (!p)
			continue;
		io_stats_update(p);
		s->rx_pkts += p->stats.rx_pkts;
		s->rx_bytes += p->stats.rx_bytes;
		s->rx_not_ours += p->stats.rx_not_ours;
		s->rx_truncated += p->stats.rx_truncated;
		s->rx_gso += p->stats.rx_gso;
		s->rx_csum_fixed += p->stats.rx_csum_fixed;
		s->rx_kernel_drops += p->stats.rx_kernel_drops;
		s->tx_pkts += p->stats.tx_pkts;
		s->tx_bytes += p->stats.tx_bytes;
		s->tx_errors += p->stats.tx_errors;
	}
}

static void port_sum_cb(void *ctx, uint32_t port, struct io_stats *s)
{
	port_sum(ctx, port, s);
}

/* The source of every statistics document of this daemon: the periodic and
 * exit ones on stdout and the control socket's show counters. */
static void stats_src_fill(void *ctx, struct stats_src *s)
{
	struct live *lv = ctx;

	*s = (struct stats_src){
		.dp = &lv->dp,
		.uptime_ms = (uint64_t)(elapsed(lv) * 1000),
		.n_ports = lv->o->n_dev,
		.port_name = lv->o->devs,
		.port_stats = port_sum_cb,
		.ctx = lv,
	};
	if (lv->ctl)
		ctl_counters(lv->ctl, &lv->ctl_stats);
	if (lv->ctl_opened)
		s->ctl = &lv->ctl_stats;
}

static void print_stats(struct live *lv, const char *title)
{
	struct stats_src s;

	stats_src_fill(lv, &s);
	if (lv->o->json) {
		struct jsonw j;

		jsonw_init(&j, stdout, false);
		stats_json(&j, &s);
		jsonw_finish(&j);
		fflush(stdout);
	} else {
		stats_text(stdout, &s, title);
	}
}

/* Chooses the I/O backend before the workers exist: --io, or AF_XDP when
 * its program loads and attaches, else AF_PACKET. AF_XDP serves rx queue k
 * with worker k: at most one worker per queue. */
static int setup_io(struct live *lv)
{
	const char *want = lv->o->io;
	enum io_xdp_mode mode = IO_XDP_AUTO;
	struct err err = {{0}};
	uint32_t q;

	lv->io = "afpacket";
	if (want && !strcmp(want, "afpacket"))
		return 0;
	if (want && !strcmp(want, "afxdp-native"))
		mode = IO_XDP_NATIVE;
	else if (want && !strcmp(want, "afxdp-generic"))
		mode = IO_XDP_GENERIC;
	if (io_xdp_open(&lv->xdp, lv->o->devs, lv->o->n_dev, mode, &err)) {
		lv->xdp = NULL;
		if (want) {
			fprintf(stderr, "srchaind: --io %s: %s\n", want, err.msg);
			return -1;
		}
		fprintf(stderr, "srchaind: AF_XDP not available (%s): using AF_PACKET\n", err.msg);
		return 0;
	}
	lv->io = "afxdp";
	q = io_xdp_queues(lv->xdp);
	if (lv->n_workers > q) {
		if (lv->o->workers)
			fprintf(stderr, "srchaind: AF_XDP: %u worker%s, one per rx queue\n", q,
				q == 1 ? "" : "s");
		lv->n_workers = q;
	}
	if (!lv->o->quiet)
		fprintf(stderr, "srchaind: AF_XDP: XDP program attached: %s\n",
			io_xdp_describe(lv->xdp));
	return 0;
}

static void close_ports(struct live *lv)
{
	for (uint32_t k = 0; lv->w && k < lv->n_workers; k++) {
		for (uint32_t i = 0; i < lv->o->n_dev; i++) {
			io_close(lv->w[k].port[i]);
			lv->w[k].port[i] = NULL;
		}
	}
}

static int open_ports_with(struct live *lv, struct err *err)
{
	for (uint32_t k = 0; k < lv->n_workers; k++) {
		struct live_worker *w = &lv->w[k];

		for (uint32_t i = 0; i < lv->o->n_dev; i++) {
			struct io_opts io = {
				.in_if = (uint16_t)i,
				/* one group per interface, distinct per daemon */
				.fanout_id = lv->n_workers > 1
						     ? (uint16_t)(1 + i +
								  64 * ((uint32_t)getpid() % 1000))
						     : 0,
				.queue = k,
				.xdp = lv->xdp,
			};
			int rc = io_open(lv->io, lv->o->devs[i], &io, &w->port[i], err);

			if (rc)
				return rc;
		}
	}
	return 0;
}

static int open_ports(struct live *lv, struct err *err)
{
	int rc = open_ports_with(lv, err);

	if (rc && lv->xdp && !lv->o->io) {
		fprintf(stderr, "srchaind: AF_XDP: %s: using AF_PACKET\n", err->msg);
		close_ports(lv);
		io_xdp_close(lv->xdp);
		lv->xdp = NULL;
		lv->io = "afpacket";
		rc = open_ports_with(lv, err);
	}
	return rc;
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
		fprintf(stderr, "srchaind: --pidfile %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The control loop: one poll over the signalfd, the netlink socket and the
 * control socket's epoll set (the listening socket and every client), with
 * the timeout of the earliest timer (netlink rebuild, statistics, client
 * deadlines). Nothing in it waits for a client. Returns when SIGINT/SIGTERM
 * arrives. */
static void control(struct live *lv, int sig_fd, int nl_fd)
{
	int64_t rebuild_at = -1, stats_at = -1;

	if (lv->o->stats_interval)
		stats_at = mono_ms() + (int64_t)lv->o->stats_interval * 1000;
	for (;;) {
		struct pollfd pfd[3] = {{.fd = sig_fd, .events = POLLIN},
					{.fd = nl_fd, .events = POLLIN},
					{.fd = lv->ctl ? ctl_fd(lv->ctl) : -1, .events = POLLIN}};
		int64_t now = mono_ms(), next = -1, ctl_at = lv->ctl ? ctl_deadline(lv->ctl) : -1;
		int timeout;

		if (rebuild_at >= 0)
			next = rebuild_at;
		if (stats_at >= 0 && (next < 0 || stats_at < next))
			next = stats_at;
		if (ctl_at >= 0 && (next < 0 || ctl_at < next))
			next = ctl_at;
		timeout = next < 0 ? -1 : next <= now ? 0 : (int)(next - now);
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR)
			return;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGHUP)
					reload(lv, &(struct err){{0}});
				else
					return;
			}
		}
		if (lv->ctl)
			ctl_serve(lv->ctl); /* events and deadlines: never waits */
		if (nl_fd >= 0 && (pfd[1].revents & POLLIN) && nl_watch_drain(nl_fd) &&
		    rebuild_at < 0)
			rebuild_at = mono_ms() + REBUILD_DELAY_MS;
		now = mono_ms();
		if (rebuild_at >= 0 && now >= rebuild_at) {
			rebuild_at = -1;
			rebuild(lv, "kernel state changed");
		}
		if (stats_at >= 0 && now >= stats_at) {
			print_stats(lv, "statistics");
			stats_at = now + (int64_t)lv->o->stats_interval * 1000;
		}
	}
}

static const char *ctl_conf_text(void *ctx, size_t *len, int *modified)
{
	struct live *lv = ctx;

	*len = lv->conf_len;
	*modified = lv->conf_modified;
	return lv->conf_text;
}

static int ctl_conf_apply(void *ctx, char *text, size_t len, const char *fname, struct err *err)
{
	struct live *lv = ctx;
	int rc = apply_conf(lv, text, len, fname, "config change", err);

	if (!rc)
		lv->conf_modified = 1;
	return rc;
}

static int ctl_reload(void *ctx, struct err *err)
{
	return reload(ctx, err);
}

/* Opens the control socket: o->ctl, or the default path if it is free
 * (several daemons on one host need a path each; the default is only a
 * convenience, so failing to get it is a warning); "none": no socket. */
static int open_ctl(struct live *lv)
{
	const struct ctl_env env = {
		.dp = &lv->dp,
		.conf_path = lv->o->conf,
		.n_ports = lv->o->n_dev,
		.ctx = lv,
		.conf_text = ctl_conf_text,
		.conf_apply = ctl_conf_apply,
		.reload = ctl_reload,
		.port_stats = port_sum_cb,
		.stats = stats_src_fill,
	};
	struct err err = {{0}};

	if (lv->o->ctl && !strcmp(lv->o->ctl, "none"))
		return 0;
	lv->ctl = ctl_open(lv->o->ctl ? lv->o->ctl : CTL_PATH_DEFAULT, &env, &err);
	lv->ctl_opened = lv->ctl != NULL;
	if (lv->ctl)
		return 0;
	fprintf(stderr, "srchaind: --ctl %s%s\n", err.msg,
		lv->o->ctl ? "" : " (running without a control socket)");
	return lv->o->ctl ? -1 : 0;
}

int live_parse_devs(struct live_opts *o, char *list)
{
	char *save = NULL;

	for (char *d = strtok_r(list, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
		if (o->n_dev == NL_DEVS_MAX)
			return -E2BIG;
		for (uint32_t i = 0; i < o->n_dev; i++)
			if (!strcmp(o->devs[i], d))
				return -EEXIST;
		o->devs[o->n_dev++] = d;
	}
	return o->n_dev ? 0 : -EINVAL;
}

int live_run(const struct live_opts *o)
{
	struct live *lv;
	struct err err = {{0}};
	sigset_t sigs;
	int sig_fd = -1, nl_fd = -1, rc = 1, pid_written = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (!o->allow_kernel_forwarding && check_forwarding(o))
		return 1;
	lv = calloc(1, sizeof(*lv));
	if (!lv) {
		fprintf(stderr, "srchaind: out of memory\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &lv->start);
	lv->o = o;
	lv->stop_fd = -1;
	lv->n_workers = o->workers ? o->workers : ncpu > 0 ? (uint32_t)ncpu : 1;
	if (lv->n_workers > LIVE_WORKERS_MAX)
		lv->n_workers = LIVE_WORKERS_MAX;
	/* signals go to the control thread's signalfd only: block them
	 * before any worker exists so that workers inherit the mask */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	lv->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (sig_fd < 0 || lv->stop_fd < 0) {
		fprintf(stderr, "srchaind: signalfd/eventfd: %s\n", strerror(errno));
		goto out;
	}
	if (file_read(o->conf, FILE_READ_MAX, &lv->conf_text, &lv->conf_len, &err)) {
		fprintf(stderr, "srchaind: %s\n", err.msg);
		goto out;
	}
	if (setup_io(lv))
		goto out;
	if (dp_init(&lv->dp, lv->n_workers)) {
		fprintf(stderr, "srchaind: out of memory\n");
		goto out;
	}
	/* subscribe before the first dump: no change falls between the two */
	nl_fd = nl_watch_open(&err);
	if (nl_fd < 0)
		fprintf(stderr, "srchaind: %s (tables follow the kernel on SIGHUP only)\n",
			err.msg);
	if (rebuild(lv, "start"))
		goto out;
	lv->w = calloc(lv->n_workers, sizeof(*lv->w));
	if (!lv->w) {
		fprintf(stderr, "srchaind: out of memory\n");
		goto out;
	}
	for (uint32_t k = 0; k < lv->n_workers; k++) {
		struct live_worker *w = &lv->w[k];

		w->lv = lv;
		w->dw = lv->dp.workers[k];
		w->copies.frames = aligned_alloc(4096, (size_t)DP_OUT_MAX * PKT_FRAME_SIZE);
		if (!w->copies.frames) {
			fprintf(stderr, "srchaind: out of memory\n");
			goto out;
		}
		for (uint32_t i = 0; i < DP_OUT_MAX; i++) {
			w->copies.descs[i].frame = w->copies.frames + (size_t)i * PKT_FRAME_SIZE;
			w->copies.descs[i].addr = i;
		}
		w->dw->pool.get = copy_get;
		w->dw->pool.ctx = &w->copies;
	}
	if (open_ports(lv, &err)) {
		fprintf(stderr, "srchaind: %s\n", err.msg);
		goto out;
	}
	if (!lv->xdp && transit_install(o->devs, o->n_dev, &err))
		fprintf(stderr, "srchaind: kernel transit drop not installed: %s\n", err.msg);
	for (uint32_t k = 0; k < lv->n_workers; k++) {
		if (pthread_create(&lv->w[k].thread, NULL, worker_main, &lv->w[k])) {
			fprintf(stderr, "srchaind: cannot start worker %u\n", k);
			goto out;
		}
		lv->w[k].started = 1;
	}
	if (open_ctl(lv))
		goto out;
	if (o->pidfile) {
		if (write_pidfile(o->pidfile))
			goto out;
		pid_written = 1;
	}
	if (!o->quiet)
		fprintf(stderr,
			"srchaind: serving %u interface%s with %u worker%s over %s (pid %ld)\n",
			o->n_dev, o->n_dev == 1 ? "" : "s", lv->n_workers,
			lv->n_workers == 1 ? "" : "s", lv->io, (long)getpid());
	control(lv, sig_fd, nl_fd);
	rc = 0;
out:
	transit_remove();
	if (lv->ctl) /* the exit statistics show its final counters */
		ctl_counters(lv->ctl, &lv->ctl_stats);
	ctl_close(lv->ctl);
	lv->ctl = NULL;
	atomic_store(&lv->stop, 1);
	if (lv->stop_fd >= 0 && write(lv->stop_fd, &(uint64_t){1}, 8) != 8)
		fprintf(stderr, "srchaind: cannot wake workers: %s\n", strerror(errno));
	for (uint32_t k = 0; lv->w && k < lv->n_workers; k++)
		if (lv->w[k].started)
			pthread_join(lv->w[k].thread, NULL);
	if (rc == 0 && !(o->quiet && !o->json))
		print_stats(lv, "exit statistics");
	close_ports(lv);
	io_xdp_close(lv->xdp);
	for (uint32_t k = 0; lv->w && k < lv->n_workers; k++)
		free(lv->w[k].copies.frames);
	if (pid_written)
		unlink(o->pidfile);
	if (lv->dp.workers)
		dp_fini(&lv->dp);
	if (nl_fd >= 0)
		close(nl_fd);
	if (sig_fd >= 0)
		close(sig_fd);
	if (lv->stop_fd >= 0)
		close(lv->stop_fd);
	free(lv->conf_text);
	free(lv->w);
	free(lv);
	return rc;
}

/* srlink: an emulated link between two interfaces of one namespace, in user
 * space (for kernels without netem or tbf): relays every Ethernet frame from
 * one interface to the other with delay, jitter, random loss and a rate
 * limit, per direction. srlab runs one in a hidden namespace per emulated
 * link (doc/srlab.md). */
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <math.h> /* isfinite(): a macro, no libm */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/jsonw.h"
#include "lib/version.h"
#include "srlink/emu.h"

#define RX_BURST      64
#define DELAY_MAX_DEF 10000
#define QUEUE_DEF     100

enum { DIR_AB, DIR_BA, DIR_MAX };

struct port {
	const char *name;
	unsigned ifindex;
	int fd;
};

struct opts {
	double delay_ms[DIR_MAX], jitter_ms[DIR_MAX], loss_pct[DIR_MAX], rate_mbit[DIR_MAX];
	double queue[DIR_MAX], limit[DIR_MAX], burst[DIR_MAX];
	uint64_t seed;
	bool seed_given;
	const char *json, *ready_file;
	bool quiet;
};

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"NAME\n"
		"    srlink - relay Ethernet frames between two interfaces, emulating a\n"
		"    link with delay, jitter, loss and a rate limit (user space netem)\n"
		"\n"
		"SYNOPSIS\n"
		"    srlink [--delay MS] [--jitter MS] [--loss PCT] [--rate MBIT]\n"
		"           [--queue N] [--burst BYTES] [--limit N] [--seed N]\n"
		"           [--json FILE] [--ready-file FILE] [-q] IF_A IF_B\n"
		"    srlink --version\n"
		"\n"
		"DESCRIPTION\n"
		"    Opens an AF_PACKET socket on each interface (promiscuous, its own\n"
		"    transmissions ignored) and sends every frame that arrives on IF_A\n"
		"    out of IF_B (direction a->b) and every frame from IF_B out of IF_A\n"
		"    (b->a): ARP, neighbour discovery, broadcast and multicast included,\n"
		"    so the two ends behave as if joined by one cable. The virtio-net\n"
		"    header of each frame is passed through, so frames whose checksum\n"
		"    the sender left to an offload keep working.\n"
		"\n"
		"    Each direction is a pipeline:\n"
		"      loss -> token bucket (FIFO of --queue frames) -> delay line -> out\n"
		"    loss drops a frame with probability PCT/100 (a seeded generator:\n"
		"    the same --seed gives the same drops for the same frames). The\n"
		"    bucket fills at --rate and holds --burst bytes; a frame leaves when\n"
		"    the bucket holds its length (Ethernet header included, no FCS,\n"
		"    preamble or gap), else waits in the FIFO; a frame that finds the\n"
		"    FIFO full is dropped (queue_drops). The delay line holds frames\n"
		"    until their release time, leaving time + --delay + a uniform jitter\n"
		"    in [-J, +J] (never below 0), ordered by release time: jitter can\n"
		"    reorder frames, as netem's does. A frame that finds --limit frames\n"
		"    in the delay line is dropped (delay_drops).\n"
		"\n"
		"    Every per-direction value is VALUE (both directions) or AB,BA\n"
		"    (a->b, then b->a): --delay 20,5.\n"
		"\n"
		"    The relay waits in ppoll() until a frame arrives or the next frame\n"
		"    is due (nanosecond timeouts); it never spins. All buffers are\n"
		"    allocated at start. It stops on SIGTERM or SIGINT, prints the\n"
		"    counters on stderr and writes the --json report.\n"
		"\n"
		"OPTIONS\n"
		"    --delay MS        fixed one-way delay, milliseconds (fractions\n"
		"                      allowed, 0 to 60000; default 0)\n"
		"    --jitter MS       uniform jitter around the delay, 0 to 60000\n"
		"                      (default 0)\n"
		"    --loss PCT        random loss, percent, 0 to 100 (default 0)\n"
		"    --rate MBIT       rate limit, Mbit/s, 0.001 to 100000; 0 (default)\n"
		"                      = unlimited\n"
		"    --queue N         frames waiting for the bucket, 1 to %d\n"
		"                      (default %d)\n"
		"    --burst BYTES     bucket depth (default: 1 ms at --rate, at least\n"
		"                      %d, the largest frame)\n"
		"    --limit N         frames in the delay line, 1 to %d (default\n"
		"                      %d)\n"
		"    --seed N          seed of the loss and jitter generator (default:\n"
		"                      from the clock, printed at the start); b->a uses\n"
		"                      N+1\n"
		"    --json FILE       at exit, write the counters as JSON (\"-\" = stdout)\n"
		"    --ready-file FILE once both sockets are bound, write the process id\n"
		"                      to FILE\n"
		"    -q, --quiet       no summary on stderr\n"
		"    -h, --help        this text\n"
		"    --version         the version (release and commit) and exit\n"
		"\n"
		"COUNTERS (per direction, a->b and b->a)\n"
		"    rx           frames read from the input interface\n"
		"    tx           frames sent on the output interface\n"
		"    lost         dropped by --loss\n"
		"    queue_drops  dropped because the bucket's FIFO was full (or no\n"
		"                 buffer was free)\n"
		"    delay_drops  dropped because the delay line was full\n"
		"    tx_errors    the output socket refused the frame (dropped)\n"
		"    oversize     larger than %d bytes (dropped)\n"
		"    rx_bytes, tx_bytes  frame bytes, Ethernet header included\n"
		"    JSON: {tool: \"srlink\", version: 1, a, b, seed, directions: {\"a->b\":\n"
		"    {delay_ms, jitter_ms, loss_pct, rate_mbit, queue, limit, rx, tx, ...},\n"
		"    \"b->a\": {...}}}\n"
		"\n"
		"EXAMPLE\n"
		"    ip netns exec L srlink --delay 20 --loss 1 --rate 10 to_a to_b\n"
		"\n"
		"NOTES\n"
		"    Needs CAP_NET_RAW. Both interfaces should be up, with no addresses\n"
		"    and IPv6 off, so that the namespace's own stack stays silent;\n"
		"    turn off GRO/TSO on them (frames above %d bytes are dropped).\n"
		"    Timing follows the scheduler: expect tens of microseconds of\n"
		"    extra delay per frame.\n"
		"\n"
		"EXIT STATUS\n"
		"    0 stopped by a signal, 1 runtime error, 2 usage error.\n",
		EMU_QUEUE_MAX, QUEUE_DEF, EMU_SLOT_SIZE, EMU_QUEUE_MAX, DELAY_MAX_DEF,
		(int)(EMU_SLOT_SIZE - sizeof(struct virtio_net_hdr)),
		(int)(EMU_SLOT_SIZE - sizeof(struct virtio_net_hdr)));
}

/* "V" or "AB,BA" within [min, max]. */
static int parse_pair(const char *opt, const char *s, double min, double max, double out[DIR_MAX])
{
	char *end;

	for (int i = 0; i < DIR_MAX; i++) {
		errno = 0;
		out[i] = strtod(s, &end);
		if (end == s || errno || !isfinite(out[i]) || out[i] < min || out[i] > max ||
		    (*end && *end != ',') || (*end == ',' && i == DIR_MAX - 1)) {
			fprintf(stderr,
				"srlink: --%s '%s': a number from %g to %g, or two separated by "
				"a comma (a->b,b->a)\n",
				opt, s, min, max);
			return -EINVAL;
		}
		if (!*end) {
			if (i == 0)
				out[1] = out[0];
			break;
		}
		s = end + 1;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int setopt(int fd, int level, int opt, const void *val, socklen_t len, const char *ifname,
		  const char *what)
{
	if (setsockopt(fd, level, opt, val, len)) {
		fprintf(stderr, "srlink: %s: %s: %s\n", ifname, what, strerror(errno));
		return -errno;
	}
	return 0;
}

static int port_open(struct port *p, const char *name)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	struct packet_mreq mr = {0};
	int one = 1, rcvbuf = 4 << 20;

	p->name = name;
	p->fd = -1;
	p->ifindex = strlen(name) < IFNAMSIZ ? if_nametoindex(name) : 0;
	if (!p->ifindex) {
		fprintf(stderr, "srlink: %s: no such interface\n", name);
		return -ENODEV;
	}
	/* protocol 0: nothing is queued before bind() names the interface */
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->fd < 0) {
		fprintf(stderr, "srlink: %s: AF_PACKET socket: %s%s\n", name, strerror(errno),
			errno == EPERM ? " (needs CAP_NET_RAW)" : "");
		return -errno;
	}
	mr.mr_ifindex = (int)p->ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	/* our own transmissions must not come back as input (a loop) */
	if (setopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one), name,
		   "PACKET_IGNORE_OUTGOING (Linux >= 4.20)") ||
	    setopt(p->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one), name, "PACKET_VNET_HDR"))
		return -EINVAL;
	/* a larger receive buffer absorbs bursts while we sleep; best effort */
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)p->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "srlink: %s: bind: %s\n", name, strerror(errno));
		return -errno;
	}
	/* frames for the far end's MAC address must reach us on any device */
	if (setopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr), name,
		   "PACKET_ADD_MEMBERSHIP promiscuous"))
		return -EINVAL;
	return 0;
}

static bool port_tx(void *ctx, const uint8_t *data, uint32_t len)
{
	const struct port *p = ctx;
	struct virtio_net_hdr *vh;
	uint8_t *d;
	ssize_t n;

	/* DATA_VALID is a receive-side flag: the send path does not take it */
	memcpy(&d, &data, sizeof(d));
	vh = (struct virtio_net_hdr *)d;
	vh->flags &= (uint8_t)~VIRTIO_NET_HDR_F_DATA_VALID;
	do
		n = send(p->fd, data, len, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len;
}

/* Reads up to RX_BURST frames from in into direction d. */
static void port_rx(struct port *in, struct port *out, struct emu_dir *d)
{
	static uint8_t scratch[EMU_SLOT_SIZE];

	for (int k = 0; k < RX_BURST; k++) {
		struct emu_slot *s = emu_slot_get(d);
		uint8_t *buf = s ? s->data : scratch;
		ssize_t n = recv(in->fd, buf, EMU_SLOT_SIZE, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0) {
			if (s)
				emu_slot_put(d, s);
			if (errno == EINTR)
				continue;
			return; /* EAGAIN, or an error poll reports again */
		}
		if (!s || n > EMU_SLOT_SIZE || (size_t)n <= sizeof(struct virtio_net_hdr)) {
			d->c.rx++;
			if (!s)
				d->c.queue_drops++;
			else {
				d->c.oversize++;
				emu_slot_put(d, s);
			}
			continue;
		}
		s->len = (uint32_t)n;
		emu_input(d, s, now_ns(), port_tx, out);
	}
}

static void print_dir(FILE *f, const char *name, const struct emu_counters *c)
{
	fprintf(f,
		"srlink: %s: rx %llu tx %llu lost %llu queue_drops %llu delay_drops %llu "
		"tx_errors %llu oversize %llu\n",
		name, (unsigned long long)c->rx, (unsigned long long)c->tx,
		(unsigned long long)c->lost, (unsigned long long)c->queue_drops,
		(unsigned long long)c->delay_drops, (unsigned long long)c->tx_errors,
		(unsigned long long)c->oversize);
}

static int write_json(const char *path, const struct port *ports, const struct emu_dir *dirs,
		      const struct opts *o, uint64_t seed)
{
	static const char *const names[DIR_MAX] = {"a->b", "b->a"};
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	struct jsonw w;
	int rc;

	if (!f) {
		fprintf(stderr, "srlink: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	jsonw_init(&w, f, true);
	jsonw_obj_open(&w);
	jsonw_key(&w, "tool");
	jsonw_str(&w, "srlink");
	jsonw_key(&w, "version");
	jsonw_int(&w, 1);
	jsonw_key(&w, "a");
	jsonw_str(&w, ports[0].name);
	jsonw_key(&w, "b");
	jsonw_str(&w, ports[1].name);
	jsonw_key(&w, "seed");
	jsonw_uint(&w, seed);
	jsonw_key(&w, "directions");
	jsonw_obj_open(&w);
	for (int i = 0; i < DIR_MAX; i++) {
		const struct emu_counters *c = &dirs[i].c;
		const struct {
			const char *k;
			uint64_t v;
		} cnt[] = {{"rx", c->rx},
			   {"rx_bytes", c->rx_bytes},
			   {"tx", c->tx},
			   {"tx_bytes", c->tx_bytes},
			   {"lost", c->lost},
			   {"queue_drops", c->queue_drops},
			   {"delay_drops", c->delay_drops},
			   {"tx_errors", c->tx_errors},
			   {"oversize", c->oversize}};

		jsonw_key(&w, names[i]);
		jsonw_obj_open(&w);
		jsonw_key(&w, "delay_ms");
		jsonw_double(&w, o->delay_ms[i]);
		jsonw_key(&w, "jitter_ms");
		jsonw_double(&w, o->jitter_ms[i]);
		jsonw_key(&w, "loss_pct");
		jsonw_double(&w, o->loss_pct[i]);
		jsonw_key(&w, "rate_mbit");
		jsonw_double(&w, o->rate_mbit[i]);
		jsonw_key(&w, "queue");
		jsonw_uint(&w, dirs[i].p.queue_max);
		jsonw_key(&w, "limit");
		jsonw_uint(&w, dirs[i].p.delay_max);
		for (size_t k = 0; k < sizeof(cnt) / sizeof(cnt[0]); k++) {
			jsonw_key(&w, cnt[k].k);
			jsonw_uint(&w, cnt[k].v);
		}
		jsonw_obj_close(&w);
	}
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	rc = jsonw_finish(&w);
	fputc('\n', f);
	if (f != stdout && fclose(f) && !rc)
		rc = -EIO;
	if (rc)
		fprintf(stderr, "srlink: %s: write error\n", path);
	return rc;
}

static int write_ready(const char *path)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "srlink: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static const struct option long_opts[] = {
	{"delay", required_argument, NULL, 'd'},
	{"jitter", required_argument, NULL, 'j'},
	{"loss", required_argument, NULL, 'l'},
	{"rate", required_argument, NULL, 'r'},
	{"queue", required_argument, NULL, 'Q'},
	{"burst", required_argument, NULL, 'B'},
	{"limit", required_argument, NULL, 'L'},
	{"seed", required_argument, NULL, 's'},
	{"json", required_argument, NULL, 'J'},
	{"ready-file", required_argument, NULL, 'R'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	for (int i = 0; i < DIR_MAX; i++) {
		o->queue[i] = QUEUE_DEF;
		o->limit[i] = DELAY_MAX_DEF;
	}
	while ((c = getopt_long(argc, argv, "qh", long_opts, NULL)) != -1) {
		int rc = 0;
		char *end;

		switch (c) {
		case 'd':
			rc = parse_pair("delay", optarg, 0, 60000, o->delay_ms);
			break;
		case 'j':
			rc = parse_pair("jitter", optarg, 0, 60000, o->jitter_ms);
			break;
		case 'l':
			rc = parse_pair("loss", optarg, 0, 100, o->loss_pct);
			break;
		case 'r':
			rc = parse_pair("rate", optarg, 0, 100000, o->rate_mbit);
			break;
		case 'Q':
			rc = parse_pair("queue", optarg, 1, EMU_QUEUE_MAX, o->queue);
			break;
		case 'B':
			rc = parse_pair("burst", optarg, EMU_SLOT_SIZE, 1e9, o->burst);
			break;
		case 'L':
			rc = parse_pair("limit", optarg, 1, EMU_QUEUE_MAX, o->limit);
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || optarg[0] == '-') {
				fprintf(stderr, "srlink: --seed '%s': an unsigned integer\n",
					optarg);
				rc = -EINVAL;
			}
			o->seed_given = true;
			break;
		case 'J':
			o->json = optarg;
			break;
		case 'R':
			o->ready_file = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "Try 'srlink --help'.\n");
			return -EINVAL;
		}
		if (rc)
			return rc;
	}
	for (int i = 0; i < DIR_MAX; i++)
		if (o->queue[i] != (double)(uint32_t)o->queue[i] ||
		    o->limit[i] != (double)(uint32_t)o->limit[i]) {
			fprintf(stderr, "srlink: --queue and --limit take whole numbers\n");
			return -EINVAL;
		}
	if (argc - optind != 2) {
		fprintf(stderr, "srlink: two interfaces needed: srlink [OPTIONS] IF_A IF_B\n");
		return -EINVAL;
	}
	if (!strcmp(argv[optind], argv[optind + 1])) {
		fprintf(stderr, "srlink: IF_A and IF_B must differ\n");
		return -EINVAL;
	}
	return 0;
}

static void params_of(const struct opts *o, int i, uint64_t seed, struct emu_params *p)
{
	memset(p, 0, sizeof(*p));
	p->delay_ns = (uint64_t)(o->delay_ms[i] * 1e6 + 0.5);
	p->jitter_ns = (uint64_t)(o->jitter_ms[i] * 1e6 + 0.5);
	p->loss = o->loss_pct[i] / 100.0;
	p->rate_bps = (uint64_t)(o->rate_mbit[i] * 1e6 + 0.5);
	p->burst_bytes = o->burst[i] > 0 ? (uint64_t)o->burst[i] : p->rate_bps / 8 / 1000;
	if (p->burst_bytes < EMU_SLOT_SIZE)
		p->burst_bytes = EMU_SLOT_SIZE;
	p->queue_max = (uint32_t)o->queue[i];
	p->delay_max = (uint32_t)o->limit[i];
	p->seed = seed + (uint64_t)i;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version"))
		return version_print(stdout, "srlink");
	static struct emu_dir dirs[DIR_MAX];
	struct port ports[DIR_MAX] = {{.fd = -1}, {.fd = -1}};
	struct opts o = {0};
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t block, orig;
	uint64_t seed;
	int rc = 1;

	if (parse_args(argc, argv, &o))
		return 2;
	seed = o.seed_given ? o.seed : now_ns() ^ ((uint64_t)getpid() << 32);
	/* signals only interrupt ppoll(): no frame is cut in half */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigdelset(&orig, SIGTERM);
	sigdelset(&orig, SIGINT);
	if (port_open(&ports[0], argv[optind]) || port_open(&ports[1], argv[optind + 1]))
		goto out;
	for (int i = 0; i < DIR_MAX; i++) {
		struct emu_params p;

		params_of(&o, i, seed, &p);
		if (emu_init(&dirs[i], &p, now_ns())) {
			fprintf(stderr, "srlink: out of memory\n");
			goto out;
		}
	}
	if (!o.quiet)
		fprintf(stderr,
			"srlink: %s <-> %s: a->b delay %gms jitter %gms loss %g%% rate %s; "
			"b->a delay %gms jitter %gms loss %g%% rate %s; seed %llu\n",
			ports[0].name, ports[1].name, o.delay_ms[0], o.jitter_ms[0], o.loss_pct[0],
			o.rate_mbit[0] > 0 ? "limited" : "unlimited", o.delay_ms[1], o.jitter_ms[1],
			o.loss_pct[1], o.rate_mbit[1] > 0 ? "limited" : "unlimited",
			(unsigned long long)seed);
	if (o.ready_file && write_ready(o.ready_file))
		goto out;
	while (!stop_sig) {
		struct pollfd pfd[DIR_MAX] = {{.fd = ports[0].fd, .events = POLLIN},
					      {.fd = ports[1].fd, .events = POLLIN}};
		uint64_t now = now_ns(), next = UINT64_MAX;
		struct timespec ts, *tsp = NULL;
		int n;

		for (int i = 0; i < DIR_MAX; i++) {
			uint64_t t = emu_service(&dirs[i], now, port_tx, &ports[1 - i]);

			if (t < next)
				next = t;
		}
		if (next != UINT64_MAX) {
			uint64_t wait = next > now ? next - now : 0;

			ts.tv_sec = (time_t)(wait / 1000000000ull);
			ts.tv_nsec = (long)(wait % 1000000000ull);
			tsp = &ts;
		}
		n = ppoll(pfd, DIR_MAX, tsp, &orig);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "srlink: poll: %s\n", strerror(errno));
			goto out;
		}
		for (int i = 0; i < DIR_MAX; i++) {
			if (pfd[i].revents & (POLLERR | POLLNVAL)) {
				fprintf(stderr, "srlink: %s: socket error (interface gone?)\n",
					ports[i].name);
				goto out;
			}
			if (pfd[i].revents & POLLIN)
				port_rx(&ports[i], &ports[1 - i], &dirs[i]);
		}
	}
	rc = 0;
out:
	if (!o.quiet) {
		print_dir(stderr, "a->b", &dirs[DIR_AB].c);
		print_dir(stderr, "b->a", &dirs[DIR_BA].c);
	}
	if (o.json && dirs[0].slots && write_json(o.json, ports, dirs, &o, seed))
		rc = 1;
	for (int i = 0; i < DIR_MAX; i++) {
		emu_free(&dirs[i]);
		if (ports[i].fd >= 0)
			close(ports[i].fd);
	}
	return rc;
}

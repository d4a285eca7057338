/* srtraffic send: options, the absolute-time schedule, UDP batches and the
 * sender report. TCP connections live in sender_tcp.c. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "srtraffic/sender.h"

#define PROG		 "srtraffic send"
#define SLEEP_MAX_NS	 100000000ull  /* wake at least every 100 ms to notice a signal */
#define LATE_GRACE_NS	 1000000000ull /* --duration: late slots may run this far over */
#define FIN_RETRIES	 3
#define UDP4_PAYLOAD_MAX 65507
#define UDP6_PAYLOAD_MAX 65527

volatile sig_atomic_t sender_stop;

static const char usage_text[] =
	"NAME\n"
	"    srtraffic send - generate numbered, timestamped UDP or TCP flows\n"
	"\n"
	"SYNOPSIS\n"
	"    srtraffic send --dst ADDR [--proto udp|tcp] [--dport N] [--sport N]\n"
	"                   [--flows K] [--rate PPS] [--count N] [--duration T]\n"
	"                   [--size BYTES] [--flow-id ID] [--src ADDR]\n"
	"                   [--connect-timeout T] [--json FILE] [-v]\n"
	"\n"
	"DESCRIPTION\n"
	"    Sends K flows to ADDR port N. Flow i (0 <= i < K) carries flow id ID+i in\n"
	"    every payload and uses source port --sport + i (an ephemeral port when\n"
	"    --sport is not given). Each UDP datagram or TCP record starts with a\n"
	"    40-byte header (see PAYLOAD) and is padded with zeros to --size bytes.\n"
	"\n"
	"    Sending follows an absolute schedule: slot n is due at start + n/PPS and\n"
	"    belongs to flow n mod K, so each flow gets PPS/K. The sender sleeps with\n"
	"    clock_nanosleep(TIMER_ABSTIME) until a slot is due; if it falls behind it\n"
	"    catches up in bursts of up to 64 slots instead of drifting. UDP slots due\n"
	"    together go out with one sendmmsg() per flow.\n"
	"\n"
	"    Sending stops when every flow has sent --count packets, when --duration\n"
	"    has passed, or on SIGINT or SIGTERM; with neither --count nor --duration\n"
	"    it runs until a signal. The last packet of every flow carries the FIN flag\n"
	"    and the number of packets the flow sent, so a sink can count loss at the\n"
	"    tail: with --count, or --duration and a rate, the last scheduled packet is\n"
	"    marked; otherwise (or if that one could not be sent) one extra FIN packet\n"
	"    follows at the stop. If the FIN packet itself is lost, the sink cannot see\n"
	"    the tail: compare its \"unique\" with this report's \"sent\".\n"
	"\n"
	"    TCP: one connection per flow, all opened in parallel before the schedule\n"
	"    starts (--duration counts from then). A connection that is refused, or not\n"
	"    established within --connect-timeout (e.g. a firewall drops the SYN), is\n"
	"    reported for its flow and the other flows go on. Records are written\n"
	"    without blocking; a record the socket cannot take completely is finished\n"
	"    at the flow's next slots, and slots that find it still queued count as\n"
	"    \"skipped\". At the end every connection is flushed, half-closed and held\n"
	"    until the sink closes it, for at most 2 s: \"drained\": true means the sink\n"
	"    read every byte.\n"
	"\n"
	"OPTIONS\n"
	"    --dst ADDR           destination IPv4 or IPv6 address (required)\n"
	"    --proto udp|tcp      transport (default udp)\n"
	"    --dport N            destination port (default 9000)\n"
	"    --sport N            first source port; flow i binds N+i (default:\n"
	"                         ephemeral ports)\n"
	"    --flows K            number of flows, 1 to 4096 (default 1)\n"
	"    --rate PPS           packets (TCP: records) per second, all flows\n"
	"                         together; fractions allowed; 0 = as fast as\n"
	"                         possible (default 100)\n"
	"    --count N            packets per flow\n"
	"    --duration T         stop after T; T is seconds or has a unit: us, ms,\n"
	"                         s, m (e.g. 2.5, 500ms)\n"
	"    --size BYTES         UDP payload or TCP record size, header included:\n"
	"                         40 to 65507 (UDP/IPv4), 65527 (UDP/IPv6) or 1048576\n"
	"                         (TCP); default 100\n"
	"    --flow-id ID         flow id of the first flow, 0 to 4294967295\n"
	"                         (default 1); lets a sink tell flows apart even\n"
	"                         behind NAT\n"
	"    --src ADDR           bind to this source address\n"
	"    --connect-timeout T  TCP connect timeout (default 2 s)\n"
	"    --json FILE          write the sender report as JSON (\"-\" = stdout)\n"
	"    -v, --verbose        one line per flow on stderr at the end\n"
	"    -h, --help           this text\n"
	"\n"
	"PAYLOAD (all fields big-endian)\n"
	"    offset size field\n"
	"    0      4    magic 0x53525446 (\"SRTF\")\n"
	"    4      1    version, 1\n"
	"    5      1    flags: 0x01 FIN, the flow's last packet\n"
	"    6      2    header length, 40\n"
	"    8      4    flow id\n"
	"    12     4    length of this datagram or record, header included\n"
	"    16     8    sequence number: 0 for the flow's first packet, +1 per packet\n"
	"    24     8    send time, CLOCK_MONOTONIC in ns (network namespaces share\n"
	"                this clock, so a sink on the same host measures one-way\n"
	"                latency)\n"
	"    32     8    FIN only: packets the flow sent, this one included\n"
	"    A packet the kernel refuses (a send error) does not use up a sequence\n"
	"    number: gaps a sink sees are loss after the sender.\n"
	"\n"
	"REPORT\n"
	"    --json writes one object: tool \"srtraffic\", report \"send\", version 1,\n"
	"    proto, dst, dport, src (or null), rate_pps, size, count and duration_s\n"
	"    (as requested, or null), start_ns and end_ns (CLOCK_MONOTONIC, schedule\n"
	"    start and end), elapsed_s, stopped_by (count, duration, signal or\n"
	"    no_connection), schedule_lag_max_us (how late the latest slot went out),\n"
	"    totals {sent, bytes, errors, flows, flows_failed}, and flows: an object\n"
	"    keyed \"ID/PROTO/DPORT\" (the key the sink report uses) whose members hold\n"
	"    flow_id, proto, dport, sport, sent, bytes, errors, last_error (errno name\n"
	"    or null), fin_sent, last_seq (or null), ok; and for TCP connected,\n"
	"    connect_us, connect_error and connect_error_text (why it never connected:\n"
	"    ETIMEDOUT, ECONNREFUSED, ...; null when connected), skipped,\n"
	"    stream_error (why an established connection broke, or null) and drained.\n"
	"\n"
	"EXIT STATUS\n"
	"    0  every flow sent without errors; TCP: connected, and the sink read\n"
	"       everything (drained)\n"
	"    1  fatal error: socket, bind or report file\n"
	"    2  usage error\n"
	"    3  the run completed but a flow failed: send errors, or (TCP) not\n"
	"       connected, connection broken or not drained; the report says which\n"
	"\n"
	"EXAMPLES\n"
	"    srtraffic send --dst 2001:db8:ff::2 --rate 1000 --count 5000 --flows 4 \\\n"
	"        --flow-id 100 --json send.json\n"
	"    srtraffic send --dst 198.51.100.2 --proto tcp --dport 80 --duration 10 \\\n"
	"        --connect-timeout 1\n";

enum {
	OPT_DST = 256,
	OPT_PROTO,
	OPT_DPORT,
	OPT_SPORT,
	OPT_FLOWS,
	OPT_RATE,
	OPT_COUNT,
	OPT_DURATION,
	OPT_SIZE,
	OPT_FLOW_ID,
	OPT_SRC,
	OPT_CONNECT_TIMEOUT,
	OPT_JSON,
};

static const struct option long_opts[] = {
	{"dst", required_argument, NULL, OPT_DST},
	{"proto", required_argument, NULL, OPT_PROTO},
	{"dport", required_argument, NULL, OPT_DPORT},
	{"sport", required_argument, NULL, OPT_SPORT},
	{"flows", required_argument, NULL, OPT_FLOWS},
	{"rate", required_argument, NULL, OPT_RATE},
	{"count", required_argument, NULL, OPT_COUNT},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"size", required_argument, NULL, OPT_SIZE},
	{"flow-id", required_argument, NULL, OPT_FLOW_ID},
	{"src", required_argument, NULL, OPT_SRC},
	{"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
	{"json", required_argument, NULL, OPT_JSON},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* UDP batch buffers: SENDER_BATCH datagrams of o.size bytes each. */
struct udp_batch {
	uint8_t *bufs;
	struct mmsghdr msgs[SENDER_BATCH];
	struct iovec iovs[SENDER_BATCH];
	bool fin[SENDER_BATCH];
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see 'srtraffic send --help')\n", stderr);
	return 2;
}

static int parse_opts(struct sender_opts *o, int argc, char **argv)
{
	bool have_dst = false;
	uint64_t v, size = 100;
	int c;

	*o = (struct sender_opts){.dport = 9000,
				  .flows = 1,
				  .rate = 100,
				  .flow_id = 1,
				  .connect_timeout_ns = 2000000000ull};
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hv", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_DST:
			if (srt_parse_addr(PROG, "--dst", optarg, &o->dst))
				return 2;
			have_dst = true;
			break;
		case OPT_PROTO:
			if (strcmp(optarg, "udp") == 0)
				o->tcp = false;
			else if (strcmp(optarg, "tcp") == 0)
				o->tcp = true;
			else
				return usage_error("--proto: '%s' is not udp or tcp", optarg);
			break;
		case OPT_DPORT:
			if (srt_parse_u64(PROG, "--dport", optarg, 1, 65535, &v))
				return 2;
			o->dport = (uint16_t)v;
			break;
		case OPT_SPORT:
			if (srt_parse_u64(PROG, "--sport", optarg, 1, 65535, &v))
				return 2;
			o->sport = (uint16_t)v;
			break;
		case OPT_FLOWS:
			if (srt_parse_u64(PROG, "--flows", optarg, 1, SENDER_MAX_FLOWS, &v))
				return 2;
			o->flows = (uint32_t)v;
			break;
		case OPT_RATE:
			if (srt_parse_double(PROG, "--rate", optarg, 0, 1e8, &o->rate))
				return 2;
			break;
		case OPT_COUNT:
			if (srt_parse_u64(PROG, "--count", optarg, 1, UINT64_C(1) << 48, &o->count))
				return 2;
			break;
		case OPT_DURATION:
			if (srt_parse_duration(PROG, "--duration", optarg, &o->duration_ns))
				return 2;
			break;
		case OPT_SIZE:
			if (srt_parse_u64(PROG, "--size", optarg, SRT_HDR_LEN, SRT_RECORD_MAX,
					  &size))
				return 2;
			break;
		case OPT_FLOW_ID:
			if (srt_parse_u64(PROG, "--flow-id", optarg, 0, UINT32_MAX, &v))
				return 2;
			o->flow_id = (uint32_t)v;
			break;
		case OPT_SRC:
			if (srt_parse_addr(PROG, "--src", optarg, &o->src))
				return 2;
			o->have_src = true;
			break;
		case OPT_CONNECT_TIMEOUT:
			if (srt_parse_duration(PROG, "--connect-timeout", optarg,
					       &o->connect_timeout_ns))
				return 2;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!have_dst)
		return usage_error("--dst is required");
	if (o->have_src && o->src.ss.ss_family != o->dst.ss.ss_family)
		return usage_error("--src and --dst must both be IPv4 or both IPv6");
	if (!o->tcp) {
		uint64_t max = o->dst.ss.ss_family == AF_INET ? UDP4_PAYLOAD_MAX : UDP6_PAYLOAD_MAX;

		if (size > max) {
			fprintf(stderr,
				PROG ": --size: %llu is more than a UDP datagram holds (%llu)\n",
				(unsigned long long)size, (unsigned long long)max);
			return 2;
		}
	}
	o->size = (uint32_t)size;
	if (o->sport && (uint32_t)o->sport + o->flows - 1 > 65535)
		return usage_error("--sport + --flows - 1 is above 65535");
	if ((uint64_t)o->flow_id + o->flows - 1 > UINT32_MAX)
		return usage_error("--flow-id + --flows - 1 is above 4294967295");
	srt_addr_set_port((struct sockaddr *)&o->dst.ss, o->dport);
	return -1;
}

static void on_signal(int sig)
{
	(void)sig;
	sender_stop = 1;
}

static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	/* No SA_RESTART: a blocked sendmmsg() or poll() returns EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int udp_open(struct sender *s)
{
	const struct sender_opts *o = &s->o;
	char ebuf[16];

	for (uint32_t i = 0; i < o->flows; i++) {
		struct sender_flow *f = &s->flows[i];
		struct srt_addr a;
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		uint16_t sport = o->sport ? (uint16_t)(o->sport + i) : 0;

		f->fd = socket(o->dst.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (f->fd < 0) {
			int err = errno;

			fprintf(stderr, PROG ": socket: %s\n", strerror(err));
			return -err;
		}
		if (o->have_src) {
			a = o->src;
		} else {
			memset(&a, 0, sizeof(a));
			a.ss.ss_family = o->dst.ss.ss_family;
			a.len = o->dst.len;
		}
		srt_addr_set_port((struct sockaddr *)&a.ss, sport);
		/* Unconnected on purpose: an ICMP port unreachable must not turn into
		 * ECONNREFUSED on the next send, the sink report shows the loss. */
		if (bind(f->fd, (struct sockaddr *)&a.ss, a.len) < 0) {
			int err = errno;

			fprintf(stderr, PROG ": bind to %s port %u (flow %u): %s (%s)\n",
				o->have_src ? "--src" : "any address", sport, f->id, strerror(err),
				srt_errname(err, ebuf, sizeof(ebuf)));
			return -err;
		}
		if (getsockname(f->fd, (struct sockaddr *)&ss, &len) == 0)
			f->sport = srt_addr_port((struct sockaddr *)&ss);
	}
	return 0;
}

/* Sequence number, FIN flag and total in a built datagram: rewritten when an
 * earlier datagram of the batch failed and the numbers move down. */
static void udp_stamp(uint8_t *buf, const struct sender_flow *f, uint32_t size, uint64_t seq,
		      bool fin, uint64_t now)
{
	struct srt_hdr h = {
		.flags = fin ? SRT_FLAG_FIN : 0,
		.flow_id = f->id,
		.length = size,
		.seq = seq,
		.tx_ns = now,
		.total = fin ? seq + 1 : 0,
	};

	srt_hdr_write(buf, &h);
}

/* Sends the n datagrams built in b for flow f. A datagram the kernel refuses
 * is counted as an error and skipped; the ones after it are renumbered so that
 * the flow's sequence stays contiguous. */
static void udp_send_built(struct sender *s, struct sender_flow *f, struct udp_batch *b, unsigned n,
			   uint64_t now, bool final)
{
	uint32_t size = s->o.size;
	unsigned done = 0;

	/* Every iteration sends at least one datagram or drops one: <= n rounds,
	 * plus retries after signals that did not ask to stop. */
	while (done < n) {
		int r = sendmmsg(f->fd, b->msgs + done, n - done, 0);

		if (r > 0) {
			for (unsigned k = done; k < done + (unsigned)r; k++)
				if (b->fin[k])
					f->fin_sent = true;
			f->seq += (unsigned)r;
			f->sent += (unsigned)r;
			f->bytes += (uint64_t)size * (unsigned)r;
			done += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR && (final || !sender_stop))
			continue;
		if (r < 0 && errno == EINTR)
			return;
		f->errors++;
		f->last_errno = r < 0 ? errno : EIO;
		done++;
		for (unsigned k = done; k < n; k++)
			udp_stamp(b->bufs + (size_t)k * size, f, size, f->seq + (k - done),
				  b->fin[k], now);
	}
}

static void udp_build(struct sender *s, struct udp_batch *b, unsigned k, struct sender_flow *f,
		      uint64_t seq, bool fin, uint64_t now)
{
	uint8_t *buf = b->bufs + (size_t)k * s->o.size;

	udp_stamp(buf, f, s->o.size, seq, fin, now);
	b->fin[k] = fin;
	b->iovs[k] = (struct iovec){buf, s->o.size};
	b->msgs[k].msg_hdr = (struct msghdr){
		.msg_name = &s->o.dst.ss,
		.msg_namelen = s->o.dst.len,
		.msg_iov = &b->iovs[k],
		.msg_iovlen = 1,
	};
}

/* Slots [first, first + n) go to flows round robin; n <= SENDER_BATCH * flows
 * so that no flow gets more than one batch. */
static void send_slots(struct sender *s, struct udp_batch *b, uint64_t first, uint64_t n,
		       uint64_t now)
{
	uint32_t k = s->o.flows;

	for (uint64_t j = 0; j < n && j < k; j++) {
		uint64_t slot = first + j;
		struct sender_flow *f = &s->flows[slot % k];
		unsigned cnt = (unsigned)((n - j + k - 1) / k);

		if (s->o.tcp) {
			for (unsigned i = 0; i < cnt; i++)
				sender_tcp_slot(s, f, slot + (uint64_t)i * k == f->last_slot, now);
			continue;
		}
		for (unsigned i = 0; i < cnt; i++)
			udp_build(s, b, i, f, f->seq + i, slot + (uint64_t)i * k == f->last_slot,
				  now);
		udp_send_built(s, f, b, cnt, now, false);
	}
}

/* Flows whose last packet did not carry FIN (open-ended run, or the marked
 * packet failed) get one more packet that does. */
static void udp_finish(struct sender *s, struct udp_batch *b)
{
	for (uint32_t i = 0; i < s->o.flows; i++) {
		struct sender_flow *f = &s->flows[i];

		for (int t = 0; t < FIN_RETRIES && !f->fin_sent && f->seq > 0; t++) {
			uint64_t errors = f->errors;

			udp_build(s, b, 0, f, f->seq, true, srt_now_ns());
			udp_send_built(s, f, b, 1, srt_now_ns(), true);
			if (f->errors == errors || f->last_errno != ENOBUFS)
				break;
			usleep(1000);
		}
	}
}

static uint64_t slot_time(const struct sender *s, uint64_t start, uint64_t slot)
{
	return start + (uint64_t)((double)slot * 1e9 / s->o.rate);
}

/* Total slots of the run, and which limit sets it. */
static uint64_t plan_slots(const struct sender *s, enum sender_stop *why)
{
	const struct sender_opts *o = &s->o;
	uint64_t total = UINT64_MAX;

	*why = SENDER_STOP_COUNT;
	if (o->count && __builtin_mul_overflow(o->count, (uint64_t)o->flows, &total))
		total = UINT64_MAX;
	if (o->duration_ns && o->rate > 0) {
		/* Slots due before the end: ceil(duration * rate), at least one. */
		double d = (double)o->duration_ns / 1e9 * o->rate;
		uint64_t n = d < 1.8e19 ? (uint64_t)d : UINT64_MAX;

		if (n < UINT64_MAX && (double)n < d)
			n++;
		if (n == 0)
			n = 1;
		if (n < total) {
			total = n;
			*why = SENDER_STOP_DURATION;
		}
	}
	return total;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = {.tv_sec = (time_t)(t / 1000000000u),
			      .tv_nsec = (long)(t % 1000000000u)};

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static void run_schedule(struct sender *s, struct udp_batch *b, struct sender_run *run)
{
	const struct sender_opts *o = &s->o;
	enum sender_stop slots_why;
	uint64_t total = plan_slots(s, &slots_why);
	uint64_t start = srt_now_ns(), deadline = UINT64_MAX, slot = 0;
	uint32_t k = o->flows;

	for (uint32_t i = 0; i < k; i++) {
		struct sender_flow *f = &s->flows[i];

		f->last_slot = UINT64_MAX;
		if (total != UINT64_MAX && total > i)
			f->last_slot = i + (total - 1 - i) / k * k;
	}
	if (o->duration_ns) {
		deadline = start + o->duration_ns;
		/* Slots due before the deadline still go out if the sender runs late. */
		if (o->rate > 0)
			deadline += LATE_GRACE_NS;
	}
	run->start_ns = start;
	for (;;) {
		uint64_t now = srt_now_ns(), n;

		if (sender_stop) {
			run->stop = SENDER_STOP_SIGNAL;
			break;
		}
		if (slot >= total) {
			run->stop = slots_why;
			break;
		}
		/* Every connection refused or broken: nothing left to pace. */
		if (o->tcp && s->tcp_up == 0) {
			run->stop = SENDER_STOP_NO_CONNECTION;
			break;
		}
		if (now >= deadline) {
			run->stop = SENDER_STOP_DURATION;
			break;
		}
		if (o->rate > 0) {
			uint64_t due = slot_time(s, start, slot), wake;

			if (due > now) {
				wake = due < now + SLEEP_MAX_NS ? due : now + SLEEP_MAX_NS;
				sleep_until(wake < deadline ? wake : deadline);
				continue;
			}
			if (now - due > run->lag_max_ns)
				run->lag_max_ns = now - due;
			n = 1;
			while (n < SENDER_BATCH && slot + n < total &&
			       slot_time(s, start, slot + n) <= now)
				n++;
		} else {
			n = (uint64_t)SENDER_BATCH * k;
			if (n > total - slot)
				n = total - slot;
		}
		send_slots(s, b, slot, n, now);
		slot += n;
	}
}

int sender_main(int argc, char **argv)
{
	struct sender s = {0};
	struct udp_batch *b = NULL;
	struct sender_run run = {0};
	FILE *report = NULL;
	int rc, status = 1;

	rc = parse_opts(&s.o, argc, argv);
	if (rc >= 0)
		return rc;
	if (s.o.json) {
		report = srt_report_open(PROG, s.o.json);
		if (!report)
			return 1;
	}
	s.flows = calloc(s.o.flows, sizeof(*s.flows));
	s.zeros = calloc(1, s.o.size);
	b = calloc(1, sizeof(*b));
	if (b)
		b->bufs = calloc(SENDER_BATCH, s.o.size);
	if (!s.flows || !s.zeros || !b || !b->bufs) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	for (uint32_t i = 0; i < s.o.flows; i++) {
		s.flows[i].fd = -1;
		s.flows[i].id = s.o.flow_id + i;
	}
	install_signals();
	if (s.o.tcp) {
		run.start_ns = srt_now_ns();
		if (sender_tcp_connect(&s) == 0 && !sender_stop) {
			run.stop = SENDER_STOP_NO_CONNECTION;
			run.end_ns = srt_now_ns();
		} else {
			run_schedule(&s, b, &run);
			run.end_ns = srt_now_ns();
			sender_tcp_finish(&s);
		}
	} else {
		if (udp_open(&s))
			goto out;
		run_schedule(&s, b, &run);
		udp_finish(&s, b);
		run.end_ns = srt_now_ns();
	}
	if (sender_stop && run.stop != SENDER_STOP_SIGNAL && run.stop != SENDER_STOP_NO_CONNECTION)
		run.stop = SENDER_STOP_SIGNAL;
	sender_report_summary(&s, &run);
	status = 0;
	for (uint32_t i = 0; i < s.o.flows; i++)
		if (!sender_flow_ok(&s, &s.flows[i]))
			status = 3;
	if (report) {
		rc = sender_report_json(report, &s, &run);
		if (rc == 0)
			rc = srt_report_close(report);
		else
			srt_report_close(report);
		report = NULL;
		if (rc) {
			fprintf(stderr, PROG ": --json: writing %s failed: %s\n", s.o.json,
				strerror(-rc));
			status = 1;
		}
	}
out:
	if (report)
		srt_report_close(report);
	for (uint32_t i = 0; s.flows && i < s.o.flows; i++)
		if (s.flows[i].fd >= 0)
			close(s.flows[i].fd);
	if (b)
		free(b->bufs);
	free(b);
	free(s.zeros);
	free(s.flows);
	return status;
}

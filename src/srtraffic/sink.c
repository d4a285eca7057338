/* srtraffic recv: options, sockets and the epoll receive loop. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "srtraffic/sink.h"

#define PROG	    "srtraffic recv"
#define EVENTS_MAX  64
#define UDP_ROUNDS  8  /* recvmmsg() calls per socket per wakeup: fairness */
#define TCP_ROUNDS  16 /* reads per connection per wakeup */
#define ACCEPTS_MAX 64 /* accepts per listener per wakeup */
#define UDP_RCVBUF  (8 << 20)
#define FD_RESERVE  32 /* descriptors kept free besides connections */

static const char usage_text[] =
	"NAME\n"
	"    srtraffic recv - receive srtraffic flows; report loss, duplicates,\n"
	"    reordering and one-way latency per flow\n"
	"\n"
	"SYNOPSIS\n"
	"    srtraffic recv [--udp PORT[,PORT...]] [--tcp PORT[,PORT...]]\n"
	"                   [--listen ADDR] [--duration T] [--idle T] [--json FILE]\n"
	"                   [--series-ms N] [--ready-file FILE] [-v]\n"
	"\n"
	"DESCRIPTION\n"
	"    Listens on the given UDP ports and TCP ports (at least one), waits on\n"
	"    all of them with epoll, reads UDP with recvmmsg() in batches of 64 and\n"
	"    TCP as a stream of records framed by their length field, and accounts\n"
	"    every packet or record carrying an srtraffic header (see srtraffic send\n"
	"    --help, PAYLOAD) to its flow. A flow is identified by the flow id in the\n"
	"    payload, the protocol and the local port, not by addresses, so flows\n"
	"    stay apart through NAT; its key in the report is \"ID/PROTO/DPORT\".\n"
	"    Packets that are not srtraffic payloads are dropped and counted.\n"
	"\n"
	"    The sink stops after --duration, after --idle without packets once at\n"
	"    least one has arrived, or on SIGINT or SIGTERM, whichever comes first;\n"
	"    then it writes the report and a summary line on stderr.\n"
	"\n"
	"OPTIONS\n"
	"    --udp PORT[,PORT...]  UDP ports to receive on (up to 64; repeatable)\n"
	"    --tcp PORT[,PORT...]  TCP ports to accept on (up to 64; repeatable)\n"
	"    --listen ADDR         local address (default ::, dual-stack: IPv6 and\n"
	"                          IPv4; 0.0.0.0 where IPv6 is not available)\n"
	"    --duration T          stop T after start (seconds, or with a unit:\n"
	"                          us, ms, s, m)\n"
	"    --idle T              stop after T without packets, once any arrived\n"
	"    --json FILE           write the report as JSON (\"-\" = stdout)\n"
	"    --series-ms N         also record, per flow and per N ms interval,\n"
	"                          packets received and mean/max latency\n"
	"                          (1 to 3600000)\n"
	"    --ready-file FILE     once every socket is bound, write the process id\n"
	"                          to FILE, so a script can wait for it\n"
	"    -v, --verbose         one line per flow on stderr at the end\n"
	"    -h, --help            this text\n"
	"\n"
	"ACCOUNTING\n"
	"    Sequence numbers start at 0 per flow. For each flow the sink keeps the\n"
	"    highest number seen and a bitmap of the 65536 numbers below it:\n"
	"      received    packets, duplicates included\n"
	"      unique      distinct sequence numbers\n"
	"      duplicates  a number already seen (within the bitmap window)\n"
	"      reordered   a new number below the highest seen\n"
	"      stale       further below than the window: cannot be checked for\n"
	"                  duplication, counted as unique and reordered\n"
	"      expected    highest + 1, or the sender's total from its FIN packet if\n"
	"                  larger (so loss at the tail counts too)\n"
	"      lost        expected - unique\n"
	"    The generator marks each flow's last packet with the FIN flag and the\n"
	"    number of packets it sent; \"fin\" says whether it arrived. Without it,\n"
	"    packets lost after the last one received are not visible here: compare\n"
	"    with the sender report. A sink started after its generator counts the\n"
	"    packets it missed as lost.\n"
	"\n"
	"    Latency is one-way: the CLOCK_MONOTONIC time right after the packet was\n"
	"    read minus the send time in the payload; network namespaces on one host\n"
	"    share that clock. Duplicates are not counted. Each flow keeps a\n"
	"    log-linear histogram (32 buckets per power of two: median and p99 are\n"
	"    within 1.6%; min, max and mean are exact) in fixed memory.\n"
	"\n"
	"    Limits: 4096 flows (packets of further flows count as \"untracked\"),\n"
	"    4096 TCP connections (further ones are closed, \"tcp_rejected\"), TCP\n"
	"    records up to 1 MiB, 65536 series points per flow and 4194304 overall\n"
	"    (points beyond are counted in \"series_dropped\"). Memory per flow is\n"
	"    allocated when its first packet arrives, never per packet.\n"
	"\n"
	"REPORT\n"
	"    --json writes one object: tool \"srtraffic\", report \"recv\", version 1,\n"
	"    listen, udp_ports, tcp_ports, start_ns and end_ns (CLOCK_MONOTONIC),\n"
	"    elapsed_s, stopped_by (duration, idle or signal), series_ms (or null),\n"
	"    counters {packets, bytes, flows, bad_short, bad_magic, bad_version,\n"
	"    bad_length, bad_size, untracked, clock_behind, rx_queue_drops,\n"
	"    tcp_accepted, tcp_closed, tcp_rejected, tcp_bad_stream, tcp_errors,\n"
	"    tcp_truncated}, latency_us over all flows {min, median, p99, max, mean},\n"
	"    and flows: an object keyed \"ID/PROTO/DPORT\" whose members hold\n"
	"    flow_id, proto, dport, src and sport (of the first packet), received,\n"
	"    unique, lost, duplicates, reordered, stale, reorder_max (largest\n"
	"    distance below the highest), expected, highest_seq, fin, fin_total (or\n"
	"    null), bytes, latency_us {min, median, p99, max, mean},\n"
	"    first_arrival_ns, last_arrival_ns, first_s and last_s (seconds after\n"
	"    start), and with --series-ms: series, a list of {t_ms, received,\n"
	"    lat_mean_us, lat_max_us} for every interval from the flow's first\n"
	"    packet to its last (intervals without packets included, latencies null\n"
	"    there; t_ms counts from the sink's start), and series_dropped.\n"
	"\n"
	"EXIT STATUS\n"
	"    0  stopped normally (duration, idle or signal) and the report was written\n"
	"    1  fatal error: socket, bind, epoll, ready file or report file\n"
	"    2  usage error\n"
	"\n"
	"EXAMPLES\n"
	"    srtraffic recv --udp 9000 --tcp 9001,80 --idle 2 --series-ms 100 \\\n"
	"        --ready-file /tmp/sink.ready --json sink.json\n"
	"    jq '.flows[\"100/udp/9000\"].lost' sink.json\n";

enum {
	OPT_LISTEN = 256,
	OPT_UDP,
	OPT_TCP,
	OPT_DURATION,
	OPT_IDLE,
	OPT_JSON,
	OPT_SERIES_MS,
	OPT_READY_FILE,
};

static const struct option long_opts[] = {
	{"listen", required_argument, NULL, OPT_LISTEN},
	{"udp", required_argument, NULL, OPT_UDP},
	{"tcp", required_argument, NULL, OPT_TCP},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"idle", required_argument, NULL, OPT_IDLE},
	{"json", required_argument, NULL, OPT_JSON},
	{"series-ms", required_argument, NULL, OPT_SERIES_MS},
	{"ready-file", required_argument, NULL, OPT_READY_FILE},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see 'srtraffic recv --help')\n", stderr);
	return 2;
}

/* Returns -1 to go on, or an exit status. */
static int parse_opts(struct sink_opts *o, int argc, char **argv)
{
	uint64_t v;
	int c;

	*o = (struct sink_opts){.listen_default = true};
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hv", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN:
			if (srt_parse_addr(PROG, "--listen", optarg, &o->listen))
				return 2;
			o->listen_default = false;
			break;
		case OPT_UDP:
			if (srt_parse_ports(PROG, "--udp", optarg, o->udp, SINK_MAX_PORTS,
					    &o->n_udp))
				return 2;
			break;
		case OPT_TCP:
			if (srt_parse_ports(PROG, "--tcp", optarg, o->tcp, SINK_MAX_PORTS,
					    &o->n_tcp))
				return 2;
			break;
		case OPT_DURATION:
			if (srt_parse_duration(PROG, "--duration", optarg, &o->duration_ns))
				return 2;
			break;
		case OPT_IDLE:
			if (srt_parse_duration(PROG, "--idle", optarg, &o->idle_ns))
				return 2;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_SERIES_MS:
			if (srt_parse_u64(PROG, "--series-ms", optarg, 1, 3600000, &v))
				return 2;
			o->series_ns = v * 1000000;
			break;
		case OPT_READY_FILE:
			o->ready_file = optarg;
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
	if (!o->n_udp && !o->n_tcp)
		return usage_error("nothing to listen on: give --udp and/or --tcp");
	if (o->listen_default) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&o->listen.ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_any;
		o->listen.len = sizeof(*s6);
	}
	return -1;
}

static int ep_add(struct sink *s, struct sink_ep *ep)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = ep};

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, ep->fd, &ev) ? -errno : 0;
}

static bool is_any(const struct srt_addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr);
	return ((const struct sockaddr_in *)&a->ss)->sin_addr.s_addr == htonl(INADDR_ANY);
}

static int open_socket(struct sink *s, bool tcp, uint16_t port, struct sink_ep *ep)
{
	struct srt_addr a = s->o.listen;
	int one = 1, zero = 0, rcvbuf = UDP_RCVBUF, fd, err;
	char abuf[SRT_ADDR_STRLEN];

	fd = socket(a.ss.ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		err = errno;
		/* The default address falls back to IPv4 quietly (open_sockets). */
		if (!(err == EAFNOSUPPORT && s->o.listen_default))
			fprintf(stderr, PROG ": socket: %s\n", strerror(err));
		return -err;
	}
	*ep = (struct sink_ep){
		.kind = tcp ? SINK_EP_TCP_LISTEN : SINK_EP_UDP, .fd = fd, .port = port};
	/* "::" means both families, whatever net.ipv6.bindv6only says. */
	if (a.ss.ss_family == AF_INET6 && is_any(&a))
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (tcp) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	} else {
		/* A deep queue keeps bursts from being lost in the sink itself; what
		 * is lost there anyway shows up in rx_queue_drops. */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	}
	srt_addr_set_port((struct sockaddr *)&a.ss, port);
	if (bind(fd, (struct sockaddr *)&a.ss, a.len) < 0 || (tcp && listen(fd, SOMAXCONN) < 0)) {
		err = errno;
		fprintf(stderr, PROG ": --%s: cannot listen on [%s]:%u: %s\n", tcp ? "tcp" : "udp",
			srt_addr_str((struct sockaddr *)&a.ss, abuf, sizeof(abuf)), port,
			strerror(err));
		return -err;
	}
	err = ep_add(s, ep);
	if (err)
		fprintf(stderr, PROG ": epoll_ctl: %s\n", strerror(-err));
	return err;
}

static int open_sockets(struct sink *s)
{
	int err;

	for (unsigned i = 0; i < s->o.n_udp; i++) {
		err = open_socket(s, false, s->o.udp[i], &s->udp[i]);
		if (err == -EAFNOSUPPORT && s->o.listen_default && i == 0) {
			/* No IPv6 in this namespace: the default falls back to IPv4. */
			struct sockaddr_in *s4 = (struct sockaddr_in *)&s->o.listen.ss;

			memset(&s->o.listen, 0, sizeof(s->o.listen));
			s4->sin_family = AF_INET;
			s->o.listen.len = sizeof(*s4);
			err = open_socket(s, false, s->o.udp[i], &s->udp[i]);
		}
		if (err)
			return err;
	}
	for (unsigned i = 0; i < s->o.n_tcp; i++) {
		err = open_socket(s, true, s->o.tcp[i], &s->tcp[i]);
		if (err)
			return err;
	}
	return 0;
}

/* Room for the connections: raise the descriptor limit towards the hard one. */
static unsigned conn_limit(void)
{
	struct rlimit rl;
	rlim_t want = SINK_MAX_CONNS + SINK_MAX_PORTS * 2 + FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 512;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur <= SINK_MAX_PORTS * 2 + FD_RESERVE)
		return 1;
	rl.rlim_cur -= SINK_MAX_PORTS * 2 + FD_RESERVE;
	return rl.rlim_cur < SINK_MAX_CONNS ? (unsigned)rl.rlim_cur : SINK_MAX_CONNS;
}

static void udp_rx(struct sink *s, struct sink_ep *ep)
{
	for (int round = 0; round < UDP_ROUNDS; round++) {
		uint64_t now;
		int n;

		for (unsigned i = 0; i < SINK_RX_BATCH; i++) {
			s->iovs[i] = (struct iovec){s->bufs[i], SINK_RX_BUF};
			s->msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &s->names[i],
				.msg_namelen = sizeof(s->names[i]),
				.msg_iov = &s->iovs[i],
				.msg_iovlen = 1,
				.msg_control = s->ctrl[i],
				.msg_controllen = sizeof(s->ctrl[i]),
			};
		}
		/* MSG_TRUNC: msg_len is the datagram's real size; only the header
		 * is copied. */
		n = recvmmsg(ep->fd, s->msgs, SINK_RX_BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (n <= 0)
			return;
		now = srt_now_ns();
		for (int i = 0; i < n; i++) {
			struct msghdr *mh = &s->msgs[i].msg_hdr;
			uint32_t len = s->msgs[i].msg_len;
			enum srt_hdr_status st;
			struct cmsghdr *cm;
			struct srt_hdr h;

			for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
				uint32_t drops;

				if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SO_RXQ_OVFL)
					continue;
				memcpy(&drops, CMSG_DATA(cm), sizeof(drops));
				if (drops > ep->rxq_drops)
					ep->rxq_drops = drops;
			}
			st = srt_hdr_read(s->bufs[i], len < SINK_RX_BUF ? len : SINK_RX_BUF, &h);
			if (st != SRT_HDR_OK) {
				s->c.bad[st]++;
				continue;
			}
			if (h.length != len) {
				s->c.bad_size++;
				continue;
			}
			sink_account(s, &h, IPPROTO_UDP, ep->port, (struct sockaddr *)&s->names[i],
				     now, len);
		}
		if (n < SINK_RX_BATCH)
			return;
	}
}

static void conn_close(struct sink *s, struct sink_conn *c)
{
	close(c->ep.fd);
	s->conns[c->slot] = NULL;
	free(c);
}

static void tcp_accept(struct sink *s, struct sink_ep *ep, unsigned limit)
{
	for (int i = 0; i < ACCEPTS_MAX; i++) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		struct sink_conn *c = NULL;
		unsigned slot;
		int fd;

		fd = accept4(ep->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		for (slot = 0; slot < limit; slot++)
			if (!s->conns[slot])
				break;
		if (slot < limit)
			c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			s->c.tcp_rejected++;
			continue;
		}
		c->ep = (struct sink_ep){.kind = SINK_EP_TCP_CONN, .fd = fd, .port = ep->port};
		c->slot = slot;
		memcpy(&c->peer, &peer, sizeof(peer));
		s->conns[slot] = c;
		if (ep_add(s, &c->ep)) {
			conn_close(s, c);
			s->c.tcp_rejected++;
			continue;
		}
		s->c.tcp_accepted++;
	}
}

/* Feeds n stream bytes through the record framing; -EBADMSG on a bad header.
 * Each iteration consumes bytes or completes a record, so it ends. */
static int tcp_parse(struct sink *s, struct sink_conn *c, const uint8_t *buf, size_t n,
		     uint64_t now)
{
	size_t off = 0, take;

	while (off < n) {
		if (c->hdr_have < SRT_HDR_LEN) {
			enum srt_hdr_status st;

			take = SRT_HDR_LEN - c->hdr_have;
			if (take > n - off)
				take = n - off;
			memcpy(c->hdr + c->hdr_have, buf + off, take);
			c->hdr_have += (uint32_t)take;
			off += take;
			if (c->hdr_have < SRT_HDR_LEN)
				break;
			st = srt_hdr_read(c->hdr, SRT_HDR_LEN, &c->cur);
			if (st != SRT_HDR_OK) {
				s->c.bad[st]++;
				return -EBADMSG;
			}
			c->skip = c->cur.length - SRT_HDR_LEN;
		}
		take = c->skip < n - off ? c->skip : n - off;
		c->skip -= (uint32_t)take;
		off += take;
		if (c->skip == 0) {
			/* A record counts when its last byte is read. */
			sink_account(s, &c->cur, IPPROTO_TCP, c->ep.port,
				     (struct sockaddr *)&c->peer, now, c->cur.length);
			c->hdr_have = 0;
		}
	}
	return 0;
}

static void tcp_rx(struct sink *s, struct sink_conn *c)
{
	for (int round = 0; round < TCP_ROUNDS; round++) {
		ssize_t n = read(c->ep.fd, s->tcp_buf, sizeof(s->tcp_buf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			s->c.tcp_errors++;
			conn_close(s, c);
			return;
		}
		if (n == 0) {
			if (c->hdr_have)
				s->c.tcp_truncated++;
			s->c.tcp_closed++;
			conn_close(s, c);
			return;
		}
		if (tcp_parse(s, c, s->tcp_buf, (size_t)n, srt_now_ns())) {
			s->c.tcp_bad_stream++;
			conn_close(s, c);
			return;
		}
		if ((size_t)n < sizeof(s->tcp_buf))
			return;
	}
}

static int write_ready_file(const char *path)
{
	char buf[32];
	int fd, len, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)len) != len)
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err)
		return 0;
	errno = err;
fail:
	fprintf(stderr, PROG ": --ready-file: cannot write %s: %s\n", path, strerror(errno));
	return -1;
}

/* Milliseconds until the next deadline (rounded up), -1 for none. */
static int next_timeout(const struct sink *s, uint64_t now)
{
	uint64_t until = UINT64_MAX;

	if (s->o.duration_ns)
		until = s->start_ns + s->o.duration_ns;
	if (s->o.idle_ns && s->last_rx_ns && s->last_rx_ns + s->o.idle_ns < until)
		until = s->last_rx_ns + s->o.idle_ns;
	if (until == UINT64_MAX)
		return -1;
	if (until <= now)
		return 0;
	if (until - now > 3600000000000ull)
		return 3600000;
	return (int)((until - now + 999999) / 1000000);
}

static int run_loop(struct sink *s)
{
	struct epoll_event evs[EVENTS_MAX];
	unsigned limit = conn_limit();
	bool signalled = false;

	for (;;) {
		uint64_t now = srt_now_ns();
		int n;

		if (signalled) {
			s->stop = SINK_STOP_SIGNAL;
			return 0;
		}
		if (s->o.duration_ns && now >= s->start_ns + s->o.duration_ns) {
			s->stop = SINK_STOP_DURATION;
			return 0;
		}
		if (s->o.idle_ns && s->last_rx_ns && now >= s->last_rx_ns + s->o.idle_ns) {
			s->stop = SINK_STOP_IDLE;
			return 0;
		}
		n = epoll_wait(s->epfd, evs, EVENTS_MAX, next_timeout(s, now));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": epoll_wait: %s\n", strerror(errno));
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			struct sink_ep *ep = evs[i].data.ptr;
			struct signalfd_siginfo si;

			switch (ep->kind) {
			case SINK_EP_UDP:
				udp_rx(s, ep);
				break;
			case SINK_EP_TCP_LISTEN:
				tcp_accept(s, ep, limit);
				break;
			case SINK_EP_TCP_CONN:
				tcp_rx(s, (struct sink_conn *)ep);
				break;
			case SINK_EP_SIGNAL:
				if (read(ep->fd, &si, sizeof(si)) > 0)
					signalled = true;
				break;
			case SINK_EP_MAX:
				break;
			}
		}
	}
}

static int open_signals(struct sink *s)
{
	sigset_t set;
	int fd;

	/* Signals arrive through the epoll set: no race with the wait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	s->sig = (struct sink_ep){.kind = SINK_EP_SIGNAL, .fd = fd};
	return ep_add(s, &s->sig);
}

static void close_all(struct sink *s)
{
	for (unsigned i = 0; i < SINK_MAX_CONNS; i++)
		if (s->conns[i])
			conn_close(s, s->conns[i]);
	for (unsigned i = 0; i < SINK_MAX_PORTS; i++) {
		if (s->udp[i].fd >= 0)
			close(s->udp[i].fd);
		if (s->tcp[i].fd >= 0)
			close(s->tcp[i].fd);
	}
	if (s->sig.fd >= 0)
		close(s->sig.fd);
	if (s->epfd >= 0)
		close(s->epfd);
}

int sink_main(int argc, char **argv)
{
	struct sink *s = calloc(1, sizeof(*s));
	FILE *report = NULL;
	int rc, status = 1;

	if (!s) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	s->epfd = -1;
	s->sig.fd = -1;
	for (unsigned i = 0; i < SINK_MAX_PORTS; i++)
		s->udp[i].fd = s->tcp[i].fd = -1;
	rc = parse_opts(&s->o, argc, argv);
	if (rc >= 0) {
		free(s);
		return rc;
	}
	if (s->o.json) {
		report = srt_report_open(PROG, s->o.json);
		if (!report)
			goto out;
	}
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		fprintf(stderr, PROG ": epoll_create1: %s\n", strerror(errno));
		goto out;
	}
	rc = open_signals(s);
	if (rc) {
		fprintf(stderr, PROG ": signalfd: %s\n", strerror(-rc));
		goto out;
	}
	if (open_sockets(s))
		goto out;
	s->start_ns = srt_now_ns();
	sink_flows_init(s);
	if (s->o.ready_file && write_ready_file(s->o.ready_file))
		goto out;
	if (run_loop(s))
		goto out;
	s->end_ns = srt_now_ns();
	sink_report_summary(s);
	status = 0;
	if (report) {
		rc = sink_report_json(report, s);
		if (rc == 0)
			rc = srt_report_close(report);
		else
			srt_report_close(report);
		report = NULL;
		if (rc) {
			fprintf(stderr, PROG ": --json: writing %s failed: %s\n", s->o.json,
				strerror(-rc));
			status = 1;
		}
	}
out:
	if (report)
		srt_report_close(report);
	close_all(s);
	sink_flows_fini(s);
	free(s);
	return status;
}

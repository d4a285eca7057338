/* srtraffic send, TCP side: one connection per flow, records framed by the
 * header's length field, non-blocking so that a stalled or firewalled path is
 * reported per flow and never hangs the generator. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "srtraffic/sender.h"

static void flow_close(struct sender *s, struct sender_flow *f, enum sender_tcp_state st, int err)
{
	if (f->state == SENDER_TCP_UP)
		s->tcp_up--;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->state = st;
	if (st == SENDER_TCP_FAILED)
		f->connect_errno = err;
	else
		f->stream_errno = err;
}

static int flow_socket(struct sender *s, struct sender_flow *f, uint16_t sport)
{
	const struct sender_opts *o = &s->o;
	int one = 1, fd;

	fd = socket(o->dst.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Records are paced by the scheduler; Nagle would hold them back and add
	 * its delay to the measured latency. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (o->have_src || sport) {
		struct srt_addr a;

		if (o->have_src) {
			a = o->src;
		} else {
			memset(&a, 0, sizeof(a));
			a.ss.ss_family = o->dst.ss.ss_family;
			a.len = o->dst.len;
		}
		srt_addr_set_port((struct sockaddr *)&a.ss, sport);
		/* A rerun with the same --sport must not fail on TIME_WAIT. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a.ss, a.len) < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
	}
	f->fd = fd;
	return 0;
}

static void note_sport(struct sender_flow *f)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(f->fd, (struct sockaddr *)&ss, &len) == 0)
		f->sport = srt_addr_port((struct sockaddr *)&ss);
}

unsigned sender_tcp_connect(struct sender *s)
{
	const struct sender_opts *o = &s->o;
	struct pollfd *pfd;
	struct sender_flow **who;
	uint64_t deadline;

	pfd = calloc(o->flows, sizeof(*pfd));
	who = calloc(o->flows, sizeof(*who));
	if (!pfd || !who) {
		for (uint32_t i = 0; i < o->flows; i++)
			flow_close(s, &s->flows[i], SENDER_TCP_FAILED, ENOMEM);
		goto out;
	}
	for (uint32_t i = 0; i < o->flows; i++) {
		struct sender_flow *f = &s->flows[i];
		int err = flow_socket(s, f, o->sport ? (uint16_t)(o->sport + i) : 0);

		f->connect_start = srt_now_ns();
		if (err) {
			flow_close(s, f, SENDER_TCP_FAILED, -err);
			continue;
		}
		if (connect(f->fd, (const struct sockaddr *)&o->dst.ss, o->dst.len) == 0) {
			f->state = SENDER_TCP_UP;
			f->connect_ns = srt_now_ns() - f->connect_start;
			note_sport(f);
			s->tcp_up++;
		} else if (errno == EINPROGRESS) {
			f->state = SENDER_TCP_CONNECTING;
			note_sport(f);
		} else {
			flow_close(s, f, SENDER_TCP_FAILED, errno);
		}
	}
	deadline = srt_now_ns() + o->connect_timeout_ns;
	/* Each round completes at least one connection or ends at the deadline. */
	for (;;) {
		uint64_t now = srt_now_ns();
		unsigned n = 0;
		int r, ms;

		for (uint32_t i = 0; i < o->flows; i++) {
			if (s->flows[i].state != SENDER_TCP_CONNECTING)
				continue;
			pfd[n] = (struct pollfd){.fd = s->flows[i].fd, .events = POLLOUT};
			who[n++] = &s->flows[i];
		}
		if (n == 0)
			break;
		if (now >= deadline || sender_stop) {
			for (unsigned i = 0; i < n; i++) {
				who[i]->connect_ns = now - who[i]->connect_start;
				flow_close(s, who[i], SENDER_TCP_FAILED,
					   sender_stop ? EINTR : ETIMEDOUT);
			}
			break;
		}
		ms = (int)((deadline - now + 999999) / 1000000);
		r = poll(pfd, n, ms);
		if (r < 0 && errno != EINTR) {
			for (unsigned i = 0; i < n; i++)
				flow_close(s, who[i], SENDER_TCP_FAILED, errno);
			break;
		}
		now = srt_now_ns();
		for (unsigned i = 0; r > 0 && i < n; i++) {
			struct sender_flow *f = who[i];
			int soerr = 0;
			socklen_t len = sizeof(soerr);

			if (!pfd[i].revents)
				continue;
			f->connect_ns = now - f->connect_start;
			if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
				soerr = errno;
			if (soerr) {
				flow_close(s, f, SENDER_TCP_FAILED, soerr);
				continue;
			}
			f->state = SENDER_TCP_UP;
			s->tcp_up++;
		}
	}
out:
	free(pfd);
	free(who);
	return s->tcp_up;
}

/* Writes what is left of the current record. 1 when the record is complete,
 * 0 when the socket is full, negative errno when the connection broke. */
static int record_write(struct sender *s, struct sender_flow *f)
{
	uint32_t size = s->o.size, off = f->rec_off;
	struct iovec iov[2];
	struct msghdr mh = {.msg_iov = iov};
	ssize_t r;

	if (off < SRT_HDR_LEN) {
		iov[mh.msg_iovlen++] = (struct iovec){f->rec_hdr + off, SRT_HDR_LEN - off};
		if (size > SRT_HDR_LEN)
			iov[mh.msg_iovlen++] = (struct iovec){s->zeros, size - SRT_HDR_LEN};
	} else {
		iov[mh.msg_iovlen++] = (struct iovec){s->zeros, size - off};
	}
	r = sendmsg(f->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return -errno;
	}
	f->rec_off += (uint32_t)r;
	if (f->rec_off < size)
		return 0;
	f->rec_pending = false;
	f->sent++;
	f->bytes += size;
	if (f->rec_fin)
		f->fin_sent = true;
	return 1;
}

static void record_start(struct sender *s, struct sender_flow *f, bool fin, uint64_t now)
{
	struct srt_hdr h = {
		.flags = fin ? SRT_FLAG_FIN : 0,
		.flow_id = f->id,
		.length = s->o.size,
		.seq = f->seq,
		.tx_ns = now,
		.total = fin ? f->seq + 1 : 0,
	};

	srt_hdr_write(f->rec_hdr, &h);
	f->rec_off = 0;
	f->rec_pending = true;
	f->rec_fin = fin;
	f->seq++;
}

static void record_progress(struct sender *s, struct sender_flow *f)
{
	int r = record_write(s, f);

	if (r < 0) {
		f->errors++;
		f->last_errno = -r;
		flow_close(s, f, SENDER_TCP_CLOSED, -r);
	}
}

void sender_tcp_slot(struct sender *s, struct sender_flow *f, bool fin, uint64_t now)
{
	if (f->state != SENDER_TCP_UP)
		return;
	if (f->rec_pending) {
		record_progress(s, f);
		if (f->rec_pending && f->state == SENDER_TCP_UP)
			f->skipped++;
		return;
	}
	record_start(s, f, fin, now);
	record_progress(s, f);
}

/* What a flow still has to do before it is finished; 0 when done. */
static short finish_events(struct sender_flow *f)
{
	if (f->state != SENDER_TCP_UP || f->drained)
		return 0;
	if (f->rec_pending || (!f->fin_sent && f->seq > 0))
		return POLLOUT;
	return POLLIN;
}

static void finish_step(struct sender *s, struct sender_flow *f, short revents)
{
	char buf[4096];
	ssize_t r;

	if (f->rec_pending) {
		record_progress(s, f);
		return;
	}
	if (!f->fin_sent && f->seq > 0) {
		record_start(s, f, true, srt_now_ns());
		record_progress(s, f);
		return;
	}
	if (!f->shut) {
		shutdown(f->fd, SHUT_WR);
		f->shut = true;
		return;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	/* The sink sends nothing: data here is unexpected but harmless. */
	r = recv(f->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (r == 0)
		f->drained = true;
	else if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		flow_close(s, f, SENDER_TCP_CLOSED, errno);
}

void sender_tcp_finish(struct sender *s)
{
	const struct sender_opts *o = &s->o;
	uint64_t deadline = srt_now_ns() + SENDER_DRAIN_NS;
	struct pollfd *pfd = calloc(o->flows, sizeof(*pfd));
	struct sender_flow **who = calloc(o->flows, sizeof(*who));

	if (!pfd || !who)
		goto out;
	/* Steps are cheap and bounded per flow; the loop ends at the deadline. */
	for (;;) {
		uint64_t now = srt_now_ns();
		unsigned n = 0;
		int r;

		for (uint32_t i = 0; i < o->flows; i++) {
			struct sender_flow *f = &s->flows[i];
			short ev = finish_events(f);

			if (!ev)
				continue;
			/* Progress that needs no waiting is made right away. */
			if (ev == POLLIN && !f->shut)
				finish_step(s, f, 0);
			pfd[n] = (struct pollfd){.fd = f->fd, .events = ev};
			who[n++] = f;
		}
		if (n == 0 || now >= deadline)
			break;
		r = poll(pfd, n, (int)((deadline - now + 999999) / 1000000));
		if (r < 0 && errno != EINTR)
			break;
		for (unsigned i = 0; r > 0 && i < n; i++)
			if (pfd[i].revents)
				finish_step(s, who[i], pfd[i].revents);
	}
out:
	for (uint32_t i = 0; i < o->flows; i++) {
		struct sender_flow *f = &s->flows[i];

		if (f->fd >= 0)
			close(f->fd);
		f->fd = -1;
	}
	free(pfd);
	free(who);
}

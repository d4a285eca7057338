/* Control socket server: an epoll set of the listening socket and every
 * client, served on the control thread without ever waiting for a client.
 * Each client moves through two states:
 *
 *   read   collect the request line in its own buffer (until '\n', EOF, or
 *          the buffer is full: too long) before its read deadline
 *   write  send the answer, built whole into its own buffer, as fast as the
 *          client takes it, before its write deadline; what the client sends
 *          meanwhile is read and dropped (so that closing does not reset the
 *          connection before the client has read the answer)
 *
 * then the connection closes. The answers themselves: ctl_answer.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf/ctl_req.h"
#include "lib/fdwait.h"
#include "srchaind/ctl.h"
#include "srchaind/ctl_answer.h"
#include "srchaind/stats.h"
#define CTL_EVENTS     32	 /* readiness events handled per ctl_serve */
#define CTL_ACCEPT_MAX 64	 /* connections accepted per ctl_serve */
#define CTL_DRAIN_MAX  (1 << 20) /* bytes read and dropped beyond the request */
#define CTL_LOG_MS     1000	 /* at most one line per second about clients */
#define CTL_PAUSE_MS   100	 /* accepting paused when out of descriptors */
#define CTL_BACKLOG    128	 /* connections the kernel queues before accept */

enum ctl_state { CTL_CL_READ, CTL_CL_WRITE };

/* What a log line is about: each kind is limited to a line per CTL_LOG_MS
 * on its own, so that many timeouts do not hide a refusal. */
enum ctl_log_kind {
	CTL_LOG_REFUSED,
	CTL_LOG_TIMED_OUT,
	CTL_LOG_DROPPED,
	CTL_LOG_ERROR,
	CTL_LOG_MAX
};

struct ctl_client {
	int fd;
	uint32_t slot; /* index in ctl.cl */
	enum ctl_state state;
	bool denied; /* peer is neither root nor our user */
	bool eof;    /* the client has shut its side: stop polling for input */
	int64_t deadline;
	size_t in_len;
	size_t drained; /* bytes read and dropped after the request */
	char *out;	/* the answer */
	size_t out_len, out_off;
	char in[CTL_REQ_LINE_MAX + 2]; /* the line, '\r' and '\n' */
};

struct ctl {
	int fd; /* listening */
	int ep; /* epoll: fd (data NULL) and every client (data: the client) */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	struct ctl_env env;
	struct ctl_client **cl;
	uint32_t n_cl;
	size_t pending;	   /* answer bytes held for all clients */
	int64_t accept_at; /* -1: accepting; else when to take fd back into ep */
	struct {
		int64_t at; /* next time a line of this kind may be logged */
		uint64_t skipped;
	} log[CTL_LOG_MAX];
	struct stats_ctl st;
};

/* ---- clients ----------------------------------------------------------- */

static void ctl_log(struct ctl *c, enum ctl_log_kind kind, int64_t now, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void ctl_log(struct ctl *c, enum ctl_log_kind kind, int64_t now, const char *fmt, ...)
{
	va_list ap;

	if (now < c->log[kind].at) {
		c->log[kind].skipped++;
		return;
	}
	fprintf(stderr, "srchaind: control socket: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (c->log[kind].skipped)
		fprintf(stderr, " (%llu similar lines left out before this one)",
			(unsigned long long)c->log[kind].skipped);
	fputc('\n', stderr);
	c->log[kind].at = now + CTL_LOG_MS;
	c->log[kind].skipped = 0;
}

/* {"ok":false,"error":msg} into a malloc'd buffer. */
static int error_doc(const char *msg, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);

	if (!f)
		return -ENOMEM;
	ctl_answer_error(f, msg);
	if (fclose(f)) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Reads and drops what is pending (at most budget bytes) without waiting. */
static size_t drain_now(int fd, size_t budget)
{
	char buf[4096];
	size_t n = 0;

	while (n < budget) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	return n;
}

static void client_close(struct ctl *c, struct ctl_client *cl)
{
	struct ctl_client *last = c->cl[--c->n_cl];

	last->slot = cl->slot;
	c->cl[cl->slot] = last;
	epoll_ctl(c->ep, EPOLL_CTL_DEL, cl->fd, NULL);
	close(cl->fd);
	c->pending -= cl->out_len;
	free(cl->out);
	free(cl);
}

/* The client goes without its (whole) answer; returns 1: cl is gone. */
static int client_drop(struct ctl *c, struct ctl_client *cl, int64_t now, const char *why)
{
	if (cl->state == CTL_CL_WRITE) {
		c->st.dropped++;
		ctl_log(c, CTL_LOG_DROPPED, now,
			"dropped a client after %zu of %zu answer bytes: %s", cl->out_off,
			cl->out_len, why);
	}
	client_close(c, cl);
	return 1;
}

static void client_watch(struct ctl *c, struct ctl_client *cl)
{
	struct epoll_event ev = {.data.ptr = cl};

	if (!cl->eof)
		ev.events |= EPOLLIN;
	if (cl->state == CTL_CL_WRITE)
		ev.events |= EPOLLOUT;
	epoll_ctl(c->ep, EPOLL_CTL_MOD, cl->fd, &ev);
}

/* Sends what the client takes now; 1 when cl is gone (answered or dropped). */
static int client_write(struct ctl *c, struct ctl_client *cl, int64_t now)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			cl->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return client_drop(c, cl, now, n < 0 ? strerror(errno) : "send returned 0");
	}
	c->st.answered++;
	shutdown(cl->fd, SHUT_WR);
	if (!cl->eof)
		drain_now(cl->fd, CTL_DRAIN_MAX - (cl->drained < CTL_DRAIN_MAX ? cl->drained : 0));
	client_close(c, cl);
	return 1;
}

/* Builds the answer to the request in cl->in[0..len), or the error msg
 * when msg is set, and starts sending it; 1 when cl is gone. */
static int client_answer(struct ctl *c, struct ctl_client *cl, int64_t now, size_t len,
			 const char *msg)
{
	size_t max = c->env.answer_max ? c->env.answer_max : CTL_ANSWER_MAX_DEF;
	size_t pending_max = c->env.pending_max ? c->env.pending_max : CTL_PENDING_MAX_DEF;
	char *out = NULL;
	size_t out_len = 0;
	int rc;

	if (cl->denied) {
		rc = error_doc("permission denied", &out, &out_len);
	} else if (msg) {
		rc = error_doc(msg, &out, &out_len);
	} else {
		FILE *f = open_memstream(&out, &out_len);

		rc = -ENOMEM;
		if (f) {
			if (len > 0 && cl->in[len - 1] == '\r')
				len--;
			ctl_answer(&c->env, cl->in, len, f);
			rc = fclose(f) ? -ENOMEM : 0;
		}
	}
	if (!rc && (out_len > max || c->pending + out_len > pending_max)) {
		char m[160];

		if (out_len > max)
			snprintf(m, sizeof(m),
				 "the answer (%zu bytes) is longer than the limit of %zu", out_len,
				 max);
		else
			snprintf(m, sizeof(m),
				 "answers to other clients hold %zu bytes (the limit is %zu): try "
				 "again later",
				 c->pending, pending_max);
		free(out);
		out = NULL;
		rc = error_doc(m, &out, &out_len);
	}
	if (rc) {
		free(out);
		ctl_log(c, CTL_LOG_ERROR, now, "out of memory for an answer");
		client_close(c, cl);
		return 1;
	}
	cl->out = out;
	cl->out_len = out_len;
	cl->out_off = 0;
	c->pending += out_len;
	cl->state = CTL_CL_WRITE;
	cl->deadline = now + (c->env.write_ms ? c->env.write_ms : CTL_WRITE_MS_DEF);
	if (client_write(c, cl, now))
		return 1;
	client_watch(c, cl);
	return 0;
}

/* Reads what the client sent: the request line, then anything beyond it
 * (dropped); 1 when cl is gone. */
static int client_read(struct ctl *c, struct ctl_client *cl, int64_t now)
{
	char scratch[4096];

	while (!cl->eof) {
		bool req = cl->state == CTL_CL_READ;
		char *dst = req ? cl->in + cl->in_len : scratch;
		size_t cap = req ? sizeof(cl->in) - cl->in_len : sizeof(scratch);
		ssize_t r;

		if (!cap) {
			char m[64];

			snprintf(m, sizeof(m), "request line longer than %d bytes",
				 CTL_REQ_LINE_MAX);
			if (client_answer(c, cl, now, 0, m))
				return 1;
			continue;
		}
		r = read(cl->fd, dst, cap);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r < 0)
			return client_drop(c, cl, now, strerror(errno));
		if (r == 0) {
			cl->eof = true;
			if (!req) {
				client_watch(c, cl);
				return 0;
			}
			if (!cl->in_len) { /* connected and left: nothing asked */
				client_close(c, cl);
				return 1;
			}
			/* no newline: the request ends at EOF */
			return client_answer(c, cl, now, cl->in_len, NULL);
		}
		if (req) {
			char *nl = memchr(dst, '\n', (size_t)r);

			cl->in_len += (size_t)r;
			if (nl && client_answer(c, cl, now, (size_t)(nl - cl->in), NULL))
				return 1;
			continue;
		}
		cl->drained += (size_t)r;
		if (cl->drained > CTL_DRAIN_MAX)
			return client_drop(c, cl, now, "sent more than 1 MiB after its request");
	}
	return 0;
}

/* Over the limit: an error answer if the socket takes it at once, then
 * close. */
static void client_refuse(struct ctl *c, int fd, uint32_t max, int64_t now)
{
	char msg[128], *out = NULL;
	size_t len = 0;

	c->st.refused++;
	snprintf(msg, sizeof(msg),
		 "too many control clients: %u connected, the limit; try again later", max);
	if (!error_doc(msg, &out, &len) &&
	    send(fd, out, len, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)len) {
		shutdown(fd, SHUT_WR);
		drain_now(fd, CTL_DRAIN_MAX);
	}
	free(out);
	close(fd);
	ctl_log(c, CTL_LOG_REFUSED, now,
		"refused a client: %u connected, the limit (%llu refused so far)", max,
		(unsigned long long)c->st.refused);
}

static void client_new(struct ctl *c, int fd, int64_t now)
{
	struct ctl_client *cl = calloc(1, sizeof(*cl));
	struct epoll_event ev = {.events = EPOLLIN};
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (!cl) {
		ctl_log(c, CTL_LOG_ERROR, now, "out of memory for a client");
		close(fd);
		return;
	}
	cl->fd = fd;
	cl->state = CTL_CL_READ;
	cl->deadline = now + (c->env.read_ms ? c->env.read_ms : CTL_READ_MS_DEF);
	cl->denied = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
		     (cred.uid != 0 && cred.uid != geteuid());
	ev.data.ptr = cl;
	if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev)) {
		ctl_log(c, CTL_LOG_ERROR, now, "epoll: %s", strerror(errno));
		close(fd);
		free(cl);
		return;
	}
	cl->slot = c->n_cl;
	c->cl[c->n_cl++] = cl;
	c->st.accepted++;
	/* the request is often there already */
	client_read(c, cl, now);
}

static void accept_clients(struct ctl *c, int64_t now)
{
	uint32_t max = c->env.max_clients ? c->env.max_clients : CTL_CLIENTS_MAX_DEF;

	for (int k = 0; k < CTL_ACCEPT_MAX; k++) {
		int fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 &&
		    (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
			/* the connection stays queued: stop polling for it a while */
			ctl_log(c, CTL_LOG_ERROR, now, "accept: %s (pausing %d ms)",
				strerror(errno), CTL_PAUSE_MS);
			epoll_ctl(c->ep, EPOLL_CTL_DEL, c->fd, NULL);
			c->accept_at = now + CTL_PAUSE_MS;
			return;
		}
		if (fd < 0)
			return;
		if (c->n_cl >= max)
			client_refuse(c, fd, max, now);
		else
			client_new(c, fd, now);
	}
}

/* Clients past their deadline: a late request gets an error answer, a late
 * answer is dropped. */
static void expire(struct ctl *c, int64_t now)
{
	for (uint32_t k = c->n_cl; k-- > 0;) {
		struct ctl_client *cl = c->cl[k];
		char m[64];

		if (k >= c->n_cl || now < cl->deadline)
			continue;
		if (cl->state == CTL_CL_WRITE) {
			client_drop(c, cl, now, "it did not take the answer in time");
			continue;
		}
		c->st.timed_out++;
		ctl_log(c, CTL_LOG_TIMED_OUT, now,
			"a client sent no request line within %u ms (%llu so far)",
			c->env.read_ms ? c->env.read_ms : CTL_READ_MS_DEF,
			(unsigned long long)c->st.timed_out);
		snprintf(m, sizeof(m), "no request line within %u ms",
			 c->env.read_ms ? c->env.read_ms : CTL_READ_MS_DEF);
		client_answer(c, cl, now, 0, m);
	}
	if (c->accept_at >= 0 && now >= c->accept_at) {
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

		if (!epoll_ctl(c->ep, EPOLL_CTL_ADD, c->fd, &ev))
			c->accept_at = -1;
		else
			c->accept_at = now + CTL_PAUSE_MS;
	}
}

void ctl_serve(struct ctl *c)
{
	struct epoll_event ev[CTL_EVENTS];
	int64_t now = mono_ms();
	int n = epoll_wait(c->ep, ev, CTL_EVENTS, 0);

	/* each event concerns its own client, and only that one may go away */
	for (int i = 0; i < n; i++) {
		struct ctl_client *cl = ev[i].data.ptr;

		if (!cl) {
			accept_clients(c, now);
			continue;
		}
		if (cl->state == CTL_CL_WRITE && client_write(c, cl, now))
			continue;
		if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			client_read(c, cl, now);
	}
	expire(c, now);
}

int64_t ctl_deadline(const struct ctl *c)
{
	int64_t d = c->accept_at;

	for (uint32_t k = 0; k < c->n_cl; k++)
		if (d < 0 || c->cl[k]->deadline < d)
			d = c->cl[k]->deadline;
	return d;
}

void ctl_counters(const struct ctl *c, struct stats_ctl *s)
{
	*s = c->st;
	s->clients = c->n_cl;
}

int ctl_fd(const struct ctl *c)
{
	return c->ep;
}

/* ---- socket ------------------------------------------------------------ */

/* A socket file at path: stale (nobody accepts: remove it) or in use. */
static int clear_stale(const char *path, const struct sockaddr_un *sa, struct err *err)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : err_set(err, errno, "%s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return err_set(err, EEXIST, "%s exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(err, errno, "socket: %s", strerror(errno));
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0)
		return err_set(err, EADDRINUSE,
			       "%s: another srchaind is listening there; give each daemon "
			       "its own --ctl PATH",
			       path);
	if (unlink(path) && errno != ENOENT)
		return err_set(err, errno, "%s: cannot remove the stale socket: %s", path,
			       strerror(errno));
	return 0;
}

struct ctl *ctl_open(const char *path, const struct ctl_env *env, struct err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ctl *c;
	struct stat st;
	mode_t old;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		err_set(err, ENAMETOOLONG, "%s: longer than %zu characters", path,
			sizeof(sa.sun_path) - 1);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (clear_stale(path, &sa, err))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	c->env = *env;
	c->accept_at = -1;
	memcpy(c->path, sa.sun_path, sizeof(c->path));
	c->cl = calloc(env->max_clients ? env->max_clients : CTL_CLIENTS_MAX_DEF, sizeof(*c->cl));
	c->ep = epoll_create1(EPOLL_CLOEXEC);
	if (!c->cl || c->ep < 0) {
		err_set(err, c->cl ? errno : ENOMEM, "control socket: %s",
			c->cl ? strerror(errno) : "out of memory");
		goto err_free;
	}
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		err_set(err, errno, "socket: %s", strerror(errno));
		goto err_free;
	}
	/* the socket file is born 0600: no window where others may connect */
	old = umask(077);
	rc = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc) {
		err_set(err, errno, "%s: bind: %s", path, strerror(errno));
		goto err_close;
	}
	if (chmod(path, 0600) || stat(path, &st) || listen(c->fd, CTL_BACKLOG) ||
	    epoll_ctl(c->ep, EPOLL_CTL_ADD, c->fd,
		      &(struct epoll_event){.events = EPOLLIN, .data.ptr = NULL})) {
		err_set(err, errno, "%s: %s", path, strerror(errno));
		unlink(path);
		goto err_close;
	}
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	return c;
err_close:
	close(c->fd);
err_free:
	if (c->ep >= 0)
		close(c->ep);
	free(c->cl);
	free(c);
	return NULL;
}

void ctl_close(struct ctl *c)
{
	struct stat st;

	if (!c)
		return;
	while (c->n_cl)
		client_close(c, c->cl[c->n_cl - 1]);
	close(c->ep);
	close(c->fd);
	/* only our own socket: another daemon may have taken the path over */
	if (!stat(c->path, &st) && st.st_dev == c->dev && st.st_ino == c->ino)
		unlink(c->path);
	free(c->cl);
	free(c);
}

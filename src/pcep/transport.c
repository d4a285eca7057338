/* PCEP TCP transport: sockets only, no PCEP state. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "pcep/transport.h"

static int nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static void nodelay(int fd)
{
	int one = 1;

	/* PCEP messages are small and latency matters more than batching;
	 * failure only costs latency. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int pcep_tr_listen(const struct sockaddr *sa, socklen_t salen, int backlog)
{
	int one = 1, rc;
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, sa, salen) < 0 || listen(fd, backlog) < 0) {
		rc = -errno;
		goto err_close;
	}
	return fd;
err_close:
	close(fd);
	return rc;
}

int pcep_tr_accept(int lfd, struct sockaddr_storage *peer)
{
	socklen_t len = sizeof(*peer);
	int fd = accept4(lfd, (struct sockaddr *)peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	nodelay(fd);
	return fd;
}

int pcep_tr_connect(const struct sockaddr *sa, socklen_t salen, int *fd)
{
	int s = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	*fd = -1;
	if (s < 0)
		return -errno;
	rc = nonblock(s);
	if (rc)
		goto err_close;
	nodelay(s);
	*fd = s;
	if (connect(s, sa, salen) == 0)
		return 0;
	if (errno == EINPROGRESS)
		return -EINPROGRESS;
	rc = -errno;
err_close:
	close(s);
	*fd = -1;
	return rc;
}

int pcep_tr_connect_done(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

ssize_t pcep_tr_read(int fd, void *buf, size_t cap)
{
	ssize_t n = read(fd, buf, cap);

	if (n > 0)
		return n;
	if (n == 0)
		return -ECONNRESET;
	return (errno == EWOULDBLOCK || errno == EINTR) ? -EAGAIN : -errno;
}

ssize_t pcep_tr_write(int fd, const void *buf, size_t len)
{
	ssize_t n;

	if (len == 0)
		return 0;
	n = send(fd, buf, len, MSG_NOSIGNAL);
	if (n >= 0)
		return n;
	return (errno == EWOULDBLOCK || errno == EINTR) ? 0 : -errno;
}

/* splitmix64: a well-mixed 64-bit value from (seed, attempt). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint32_t pcep_backoff_ms(unsigned attempt, uint32_t base_ms, uint32_t cap_ms, uint64_t seed)
{
	uint64_t d = base_ms ? base_ms : 1;

	for (unsigned i = 0; i < attempt && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	/* jitter: d/2 + [0, d/2] */
	return (uint32_t)(d / 2 + mix(seed ^ ((uint64_t)attempt << 32)) % (d / 2 + 1));
}

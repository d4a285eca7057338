/* PCEP over TCP (RFC 5440 5: port 4189): non-blocking listen, accept,
 * connect, read and write, and the reconnect back-off. The caller owns the
 * loop (poll/epoll) and glues these to a pcep_session: read bytes go to
 * pcep_session_feed(), pcep_session_out() goes to pcep_tr_write(). */
#ifndef SRCHAIN_PCEP_TRANSPORT_H
#define SRCHAIN_PCEP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define PCEP_TCP_PORT 4189

/* Listening socket (non-blocking, SO_REUSEADDR): fd or -errno. */
int pcep_tr_listen(const struct sockaddr *sa, socklen_t salen, int backlog);
/* Accepts one connection, non-blocking with TCP_NODELAY: fd, -EAGAIN, -errno. */
int pcep_tr_accept(int lfd, struct sockaddr_storage *peer);
/* Starts a non-blocking connect: *fd set; 0 = connected, -EINPROGRESS =
 * wait for POLLOUT then pcep_tr_connect_done(), other -errno = failed. */
int pcep_tr_connect(const struct sockaddr *sa, socklen_t salen, int *fd);
/* After POLLOUT: 0 = connected, -errno = the connect failed. */
int pcep_tr_connect_done(int fd);
/* Reads what is there: bytes > 0, -EAGAIN, -ECONNRESET on EOF, -errno. */
ssize_t pcep_tr_read(int fd, void *buf, size_t cap);
/* Writes what the socket takes: bytes >= 0 (maybe fewer than len), -errno. */
ssize_t pcep_tr_write(int fd, const void *buf, size_t len);

/* Reconnect delay before attempt n (0-based): base * 2^n capped at cap,
 * then scaled into [d/2, d] by a jitter derived from seed and n. Pure: the
 * same arguments give the same delay. */
uint32_t pcep_backoff_ms(unsigned attempt, uint32_t base_ms, uint32_t cap_ms, uint64_t seed);

#endif

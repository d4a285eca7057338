/* Control socket: a UNIX stream socket served by the live mode's control
 * thread. A client sends one request line (conf/ctl_req.h), gets one JSON
 * document back and the connection closes:
 *
 *	{"ok":true,"data":...}	or	{"ok":false,"error":"message"}
 *
 * The server never blocks on a client: every connection is non-blocking,
 * with its own request buffer (bounded by the longest request line) and
 * answer buffer, and is served by readiness events (ctl_fd) and deadlines
 * (ctl_deadline). A client must send its request line within read_ms of
 * connecting and take the whole answer within write_ms of its being ready,
 * or it is dropped; at most max_clients are connected at once, the next
 * ones are refused with an error. Answers are held up to answer_max bytes
 * each and pending_max for all clients together; a request whose answer
 * would pass either gets an error instead. A stuck client therefore costs a slot
 * and a little memory, never time on the control thread or the workers. */
#ifndef SRCHAIND_CTL_H
#define SRCHAIND_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define CTL_PATH_DEFAULT    "/run/srchaind.sock"
#define CTL_CLIENTS_MAX_DEF 64		 /* clients connected at once */
#define CTL_READ_MS_DEF	    1000	 /* to receive the request line */
#define CTL_WRITE_MS_DEF    3000	 /* to take the whole answer */
#define CTL_ANSWER_MAX_DEF  (64u << 20)	 /* longer answers become an error */
#define CTL_PENDING_MAX_DEF (256u << 20) /* answer bytes held for all clients */

struct dp;
struct io_stats;
struct ctl;
struct stats_ctl;
struct stats_src;

/* What the control socket needs from the daemon that serves it. */
struct ctl_env {
	struct dp *dp; /* published tables and counters (read on the control thread) */
	const char *conf_path;
	uint32_t n_ports; /* served interfaces: data-plane interfaces 0..n_ports-1 */
	void *ctx;	  /* passed to the callbacks */
	/* The running configuration text; *modified when it differs from the
	 * file because of config add/remove. */
	const char *(*conf_text)(void *ctx, size_t *len, int *modified);
	/* Builds tables from the kernel and text (fname in errors), publishes
	 * them and makes text (malloc'd) the running configuration, taking it.
	 * On error nothing changes, text stays the caller's and err says why. */
	int (*conf_apply)(void *ctx, char *text, size_t len, const char *fname, struct err *err);
	/* Rereads the configuration file, as SIGHUP does. */
	int (*reload)(void *ctx, struct err *err);
	/* Socket counters of served interface port, summed over workers. */
	void (*port_stats)(void *ctx, uint32_t port, struct io_stats *s);
	/* The daemon's statistics source (show counters), as for its own
	 * statistics output. */
	void (*stats)(void *ctx, struct stats_src *s);
	/* Limits; 0 takes the CTL_*_DEF value. */
	uint32_t max_clients;
	uint32_t read_ms;
	uint32_t write_ms;
	size_t answer_max;
	size_t pending_max;
};

/* Creates the socket at path (mode 0600); a stale socket left there by a
 * daemon that died is replaced, a live one is an error. NULL with err set. */
struct ctl *ctl_open(const char *path, const struct ctl_env *env, struct err *err);

/* A descriptor that is readable while a connection or a client needs
 * serving (an epoll set of the listening socket and every client). */
int ctl_fd(const struct ctl *c);

/* The earliest client deadline (CLOCK_MONOTONIC ms, lib/fdwait.h mono_ms),
 * or -1 if none: call ctl_serve by then even if ctl_fd stays quiet. */
int64_t ctl_deadline(const struct ctl *c);

/* Does whatever can be done now without waiting: accepts, reads, answers,
 * writes, and expires clients past their deadline. */
void ctl_serve(struct ctl *c);

/* The socket's own counters. */
void ctl_counters(const struct ctl *c, struct stats_ctl *s);

/* Closes the socket and every client connection, and removes its path. */
void ctl_close(struct ctl *c);

#endif

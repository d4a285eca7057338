/* Control socket: a UNIX stream socket served by the live mode's control
 * thread. A client sends one request line (conf/ctl_req.h), gets one JSON
 * document back and the connection closes:
 *
 *	{"ok":true,"data":...}	or	{"ok":false,"error":"message"}
 *
 * Clients are served one at a time, each within a short deadline, so a
 * stuck client delays the control thread by at most that long and never
 * the workers. */
#ifndef SRCHAIND_CTL_H
#define SRCHAIND_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/err.h"

#define CTL_PATH_DEFAULT "/run/srchaind.sock"
#define CTL_READ_MS	 1000 /* to receive the request line */
#define CTL_WRITE_MS	 3000 /* to send the answer */

struct dp;
struct io_stats;
struct ctl;

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
};

/* Creates the socket at path (mode 0600); a stale socket left there by a
 * daemon that died is replaced, a live one is an error. NULL with err set. */
struct ctl *ctl_open(const char *path, const struct ctl_env *env, struct err *err);

/* The listening descriptor, to poll for POLLIN. */
int ctl_fd(const struct ctl *c);

/* Serves the clients waiting on the socket (a few at most per call). */
void ctl_serve(struct ctl *c);

/* Answers one request line into f as a JSON document (no I/O on sockets:
 * used by ctl_serve for each client). */
void ctl_answer(struct ctl *c, const char *line, size_t len, FILE *f);

/* Closes the socket and removes its path. */
void ctl_close(struct ctl *c);

#endif

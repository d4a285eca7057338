/* The srchaind of a srchain node: its configuration file, start (ready once
 * its pidfile names it), stop, and configuration changes at run time
 * through the control socket or a rewrite + SIGHUP. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/file.h"
#include "srlab/lab.h"
#include "srlab/lab_int.h"
#include "srlab/proc.h"
#include "srlab/util.h"

#define RELOAD_TIMEOUT_MS 3000

/* Does srchaind have a control socket (and is there a client)? Each daemon
 * gets its own socket in the state directory either way, never the default
 * one a user's daemon may want. */
void lab_find_ctl(struct lab *lab)
{
	char out[16384];

	proc_run((const char *[]){lab->srchaind, "--help", NULL}, out, sizeof(out), NULL, 0);
	lab->has_ctl_opt = strstr(out, "--ctl") != NULL;
	lab->use_ctl = lab->has_ctl_opt && access(lab->srchainctl, X_OK) == 0;
}

static int write_conf(const struct lab *lab, int i)
{
	const struct lab_daemon *d = &lab->d[i];
	struct sbuf b;
	int rc;

	sbuf_init(&b);
	sbuf_printf(&b, "# srchaind configuration of node %s, written by srlab\n",
		    lab->t->node[i].name);
	for (int k = 0; k < d->n_lines; k++)
		sbuf_printf(&b, "%s\n", d->lines[k]);
	if (b.oom) {
		sbuf_free(&b);
		return -ENOMEM;
	}
	rc = util_write_file(d->conf, b.s ? b.s : "");
	sbuf_free(&b);
	return rc;
}

/* Last lines of a log, for an error message. */
void lab_log_tail(const char *path, char *out, size_t cap)
{
	char *text = NULL, *p;
	size_t len;
	int lines = 0;

	out[0] = 0;
	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return;
	while (len && text[len - 1] == '\n')
		text[--len] = 0;
	for (p = text + len; p > text; p--)
		if (p[-1] == '\n' && ++lines == 3)
			break;
	snprintf(out, cap, "%s", p);
	free(text);
}

int lab_daemon_start(struct lab *lab, int i, char *msg, size_t cap)
{
	const struct topo_node *n = &lab->t->node[i];
	struct lab_daemon *d = &lab->d[i];
	char devs[TOPO_IFS_MAX * 16 + 1] = "", workers[16], interval[16], what[80];
	const char *argv[24];
	int argc = 0;

	for (int k = 0; k < n->n_if; k++)
		snprintf(devs + strlen(devs), sizeof(devs) - strlen(devs), "%s%s", k ? "," : "",
			 n->ifs[k].name);
	snprintf(workers, sizeof(workers), "%d", n->workers);
	snprintf(interval, sizeof(interval), "%d", lab->stats_interval);
	if (write_conf(lab, i)) {
		snprintf(msg, cap, "%s: cannot write %s", n->name, d->conf);
		return -1;
	}
	unlink(d->pidfile);
	argv[argc++] = lab->srchaind;
	argv[argc++] = "-c";
	argv[argc++] = d->conf;
	argv[argc++] = "--live";
	argv[argc++] = "--dev";
	argv[argc++] = devs;
	argv[argc++] = "--workers";
	argv[argc++] = workers;
	argv[argc++] = "--pidfile";
	argv[argc++] = d->pidfile;
	argv[argc++] = "--stats-interval";
	argv[argc++] = interval;
	argv[argc++] = "--json";
	if (lab->has_ctl_opt) {
		argv[argc++] = "--ctl";
		argv[argc++] = d->ctl;
	}
	argv[argc] = NULL;
	d->pid = proc_spawn(n->ns, argv, d->out, d->err);
	if (d->pid < 0) {
		d->pid = 0;
		snprintf(msg, cap, "%s: cannot start srchaind: %s", n->name, strerror(errno));
		return -1;
	}
	snprintf(what, sizeof(what), "srchaind %s", n->name);
	lab_record_pid(lab, d->pid, what);
	/* ready once the pidfile names it: ports are open, workers run */
	for (int waited = 0; waited < READY_TIMEOUT_MS; waited += 20) {
		char *text = NULL, tail[600];
		size_t len;

		if (!file_read(d->pidfile, FILE_READ_MAX, &text, &len, NULL) &&
		    atol(text) == (long)d->pid) {
			free(text);
			return 0;
		}
		free(text);
		if (!proc_alive(d->pid)) {
			d->pid = 0;
			lab_log_tail(d->err, tail, sizeof(tail));
			snprintf(msg, cap, "%s: srchaind exited at start: %s", n->name,
				 tail[0] ? tail : "(no message)");
			return -1;
		}
		proc_sleep_ms(20);
	}
	snprintf(msg, cap, "%s: srchaind not ready after %d s (see %s)", n->name,
		 READY_TIMEOUT_MS / 1000, d->err);
	return -1;
}

void lab_daemon_stop(struct lab *lab, int i)
{
	struct lab_daemon *d = &lab->d[i];

	if (!d->pid)
		return;
	proc_stop(d->pid, SIGTERM, 5000);
	d->pid = 0;
}

/* Counts the lines of path that contain needle. */
static int count_lines(const char *path, const char *needle)
{
	char *text = NULL;
	size_t len;
	int n = 0;

	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return 0;
	for (char *p = text; (p = strstr(p, needle)); p++)
		n++;
	free(text);
	return n;
}

/* The newest line of path that contains needle. */
static void last_line_with(const char *path, const char *needle, char *out, size_t cap)
{
	char *text = NULL, *p, *hit = NULL;
	size_t len;

	out[0] = 0;
	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return;
	for (p = text; (p = strstr(p, needle)); p++)
		hit = p;
	if (hit) {
		size_t n = strcspn(hit, "\n");

		snprintf(out, cap, "%.*s", (int)n, hit);
	}
	free(text);
}

/* Inserts line at position at (0..n_lines). */
int lab_lines_insert(struct lab_daemon *d, int at, const char *line)
{
	char **l = realloc(d->lines, (size_t)(d->n_lines + 1) * sizeof(*l));
	char *copy = strdup(line);

	if (l)
		d->lines = l;
	if (!l || !copy) {
		free(copy);
		return -ENOMEM;
	}
	memmove(&d->lines[at + 1], &d->lines[at], (size_t)(d->n_lines - at) * sizeof(*l));
	d->lines[at] = copy;
	d->n_lines++;
	return 0;
}

/* Removes the first line that reads the same (as srchainctl does); returns
 * its position or -ENOENT. */
static int lines_remove(struct lab_daemon *d, const char *line)
{
	for (int k = 0; k < d->n_lines; k++) {
		if (strcmp(d->lines[k], line))
			continue;
		free(d->lines[k]);
		memmove(&d->lines[k], &d->lines[k + 1],
			(size_t)(d->n_lines - k - 1) * sizeof(d->lines[0]));
		d->n_lines--;
		return k;
	}
	return -ENOENT;
}

int lab_config_change(struct lab *lab, int i, const char *line, bool add, char *msg, size_t cap)
{
	const struct topo_node *n = &lab->t->node[i];
	struct lab_daemon *d = &lab->d[i];
	char last[600];
	int before, rc, pos;

	pos = add ? d->n_lines : lines_remove(d, line);
	rc = add ? lab_lines_insert(d, pos, line) : pos < 0 ? pos : 0;
	if (rc == -ENOENT) {
		snprintf(msg, cap, "%s: no configuration line '%s' to remove", n->name, line);
		return -1;
	}
	if (rc || write_conf(lab, i)) {
		snprintf(msg, cap, "%s: cannot write %s", n->name, d->conf);
		return -1;
	}
	if (!d->pid)
		return 0; /* a stopped node starts with it */
	if (lab->use_ctl) {
		char err[1024];

		rc = proc_run((const char *[]){lab->srchainctl, "-s", d->ctl, "config",
					       add ? "add" : "remove", line, NULL},
			      NULL, 0, err, sizeof(err));
		if (rc == 0)
			return 0;
		snprintf(msg, cap, "%s: srchainctl config %s: %s", n->name, add ? "add" : "remove",
			 err);
		goto err_undo;
	}
	/* no control socket: rewrite the file, SIGHUP, and read the verdict
	 * ("reload: tables generation N" or "... keeping the previous tables")
	 * from the daemon's log */
	before = count_lines(d->err, "srchaind: reload:");
	kill(d->pid, SIGHUP);
	for (int waited = 0; count_lines(d->err, "srchaind: reload:") <= before; waited += 20) {
		if (waited >= RELOAD_TIMEOUT_MS || !proc_alive(d->pid)) {
			snprintf(msg, cap, "%s: srchaind did not report the reload", n->name);
			goto err_undo;
		}
		proc_sleep_ms(20);
	}
	last_line_with(d->err, "srchaind: reload:", last, sizeof(last));
	if (!strstr(last, "keeping the previous tables"))
		return 0;
	snprintf(msg, cap, "%s: %s", n->name, last + strlen("srchaind: "));
err_undo:
	/* the running tables did not change: neither does our copy */
	if (add)
		lines_remove(d, line);
	else
		lab_lines_insert(d, pos, line);
	write_conf(lab, i);
	return -1;
}

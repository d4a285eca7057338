/* Bringing a lab up and down. Every object is written to the state file
 * before it is created (after checking that it did not exist), so a crash at
 * any point leaves a record that covers at least what exists. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/addr.h"
#include "srlab/frr.h"
#include "srlab/lab.h"
#include "srlab/proc.h"
#include "srlab/util.h"

#define READY_TIMEOUT_MS  10000
#define RELOAD_TIMEOUT_MS 3000
#define OSPF_TIMEOUT_MS	  60000

const char *lab_state_base(void)
{
	const char *e = getenv("SRLAB_STATE");

	return e && *e ? e : "/run/srlab";
}

/* A program next to our own executable, else the bare name (PATH). */
static void find_prog(char *out, size_t cap, const char *name, const char *env)
{
	const char *e = getenv(env);
	char self[LAB_DIR_MAX];
	ssize_t n;

	if (e && *e) {
		snprintf(out, cap, "%s", e);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(out, cap, "%s/%s", self, name);
			if (access(out, X_OK) == 0)
				return;
		}
	}
	snprintf(out, cap, "%s", name);
}

void lab_init(struct lab *lab, struct topo *t)
{
	memset(lab, 0, sizeof(*lab));
	lab->t = t;
	lab->stats_interval = 1;
	snprintf(lab->dir, sizeof(lab->dir), "%s/%s-%s", lab_state_base(), t->prefix, t->lab);
	find_prog(lab->srchaind, sizeof(lab->srchaind), "srchaind", "SRLAB_SRCHAIND");
	find_prog(lab->srtraffic, sizeof(lab->srtraffic), "srtraffic", "SRLAB_SRTRAFFIC");
	find_prog(lab->srchainctl, sizeof(lab->srchainctl), "srchainctl", "SRLAB_SRCHAINCTL");
	find_prog(lab->srlink, sizeof(lab->srlink), "srlink", "SRLAB_SRLINK");
	for (int i = 0; i < t->n_node; i++) {
		struct lab_daemon *d = &lab->d[i];
		const char *nm = t->node[i].name;

		snprintf(d->conf, sizeof(d->conf), "%s/%s.conf", lab->dir, nm);
		snprintf(d->out, sizeof(d->out), "%s/%s.out", lab->dir, nm);
		snprintf(d->err, sizeof(d->err), "%s/%s.err", lab->dir, nm);
		snprintf(d->pidfile, sizeof(d->pidfile), "%s/%s.pid", lab->dir, nm);
		snprintf(d->ctl, sizeof(d->ctl), "%s/%s.ctl", lab->dir, nm);
	}
}

/* Appends one record to the state file and syncs it: the record must be on
 * disk before the object it names exists. */
static int record(const struct lab *lab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int record(const struct lab *lab, const char *fmt, ...)
{
	char path[LAB_PATH_MAX + 16], line[600];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line) - 1)
		return -EINVAL;
	line[n++] = '\n';
	snprintf(path, sizeof(path), "%s/state", lab->dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, line, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	fdatasync(fd);
	close(fd);
	return 0;
}

void lab_record_pid(struct lab *lab, pid_t pid, const char *what)
{
	if (pid > 0)
		record(lab, "pid %ld %llu %s", (long)pid, (unsigned long long)proc_start_time(pid),
		       what);
}

/* Runs `ip ARGS...` given as one string of words; errors into msg. */
static int ip_words(const char *ns, const char *family, const char *words, const char *what,
		    char *msg, size_t cap)
{
	char buf[4096], *save = NULL, err[1024];
	const char *argv[PROC_ARGS_MAX];
	int argc = 0, rc;

	snprintf(buf, sizeof(buf), "%s", words);
	argv[argc++] = "ip";
	if (ns) {
		argv[argc++] = "-n";
		argv[argc++] = ns;
	}
	if (family)
		argv[argc++] = family;
	for (char *w = strtok_r(buf, " \t", &save); w && argc < PROC_ARGS_MAX - 1;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	rc = proc_run(argv, NULL, 0, err, sizeof(err));
	if (rc != 0) {
		snprintf(msg, cap, "%s: `ip%s%s %s` failed: %s", what, family ? " " : "",
			 family ? family : "", words, err[0] ? err : "exit status");
		return -1;
	}
	return 0;
}

static int set_sysctl(const char *ns, const char *key, const char *val, char *msg, size_t cap)
{
	int rc = ns_sysctl(ns, key, val);

	if (rc)
		snprintf(msg, cap, "%s: sysctl %s=%s: %s", ns, key, val, strerror(-rc));
	return rc;
}

/* The family of a route: its prefix, or its gateway for 'default'. */
static const char *route_family(const char *line)
{
	char buf[512], *save = NULL;
	int family = 0;
	uint8_t a[16];

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		int plen;

		if (!addr_parse_prefix(w, &family, a, &plen))
			break;
	}
	return family == 4 ? "-4" : "-6";
}

static int make_namespaces(struct lab *lab, char *msg, size_t cap)
{
	const struct topo *t = lab->t;

	for (int i = 0; i < t->n_node; i++) {
		const struct topo_node *n = &t->node[i];
		const bool fwd = n->role == TOPO_KERNEL;
		char err[512];
		int rc;

		if (record(lab, "netns %s", n->ns)) {
			snprintf(msg, cap, "%s: cannot write the state file", lab->dir);
			return -1;
		}
		rc = proc_run((const char *[]){"ip", "netns", "add", n->ns, NULL}, NULL, 0, err,
			      sizeof(err));
		if (rc) {
			snprintf(msg, cap, "ip netns add %s: %s", n->ns, err);
			return -1;
		}
		if (ip_words(n->ns, NULL, "link set lo up", n->name, msg, cap) ||
		    /* no DAD: veth peers are known, and tentative addresses delay
		     * the first neighbour discoveries by seconds */
		    set_sysctl(n->ns, "net.ipv6.conf.all.accept_dad", "0", msg, cap) ||
		    set_sysctl(n->ns, "net.ipv6.conf.default.accept_dad", "0", msg, cap) ||
		    set_sysctl(n->ns, "net.ipv4.ip_forward", fwd ? "1" : "0", msg, cap) ||
		    set_sysctl(n->ns, "net.ipv6.conf.all.forwarding", fwd ? "1" : "0", msg, cap))
			return -1;
		if (n->seg6local &&
		    (set_sysctl(n->ns, "net.ipv6.conf.all.seg6_enabled", "1", msg, cap) ||
		     set_sysctl(n->ns, "net.ipv6.conf.default.seg6_enabled", "1", msg, cap)))
			return -1;
	}
	for (int l = 0; l < t->n_link; l++) {
		const struct topo_link *tl = &t->link[l];
		char err[512];

		if (!tl->emu.on)
			continue;
		if (record(lab, "netns %s", tl->ns)) {
			snprintf(msg, cap, "%s: cannot write the state file", lab->dir);
			return -1;
		}
		if (proc_run((const char *[]){"ip", "netns", "add", tl->ns, NULL}, NULL, 0, err,
			     sizeof(err))) {
			snprintf(msg, cap, "ip netns add %s: %s", tl->ns, err);
			return -1;
		}
		/* the relay's namespace has no stack of its own on the wire: no
		 * IPv6 (router solicitations, MLD), no forwarding */
		if (set_sysctl(tl->ns, "net.ipv6.conf.all.disable_ipv6", "1", msg, cap) ||
		    set_sysctl(tl->ns, "net.ipv6.conf.default.disable_ipv6", "1", msg, cap) ||
		    set_sysctl(tl->ns, "net.ipv4.ip_forward", "0", msg, cap))
			return -1;
	}
	return 0;
}

static void log_tail(const char *path, char *out, size_t cap);

/* The interfaces of a link namespace: to_a (peer of a's interface) and to_b. */
static const char *const emu_if[2] = {"to_a", "to_b"};

/* An emulated link: a -- to_a [srlink] to_b -- b. */
static int make_emu_link(struct lab *lab, const struct topo_link *tl, char *msg, size_t cap)
{
	const struct topo *t = lab->t;
	const int nodes[2] = {tl->a_node, tl->b_node}, ifs[2] = {tl->a_if, tl->b_if};

	for (int e = 0; e < 2; e++) {
		const struct topo_node *n = &t->node[nodes[e]];
		const char *ifname = n->ifs[ifs[e]].name;
		char err[512];

		record(lab, "link %s %s %s %s", n->ns, ifname, tl->ns, emu_if[e]);
		if (proc_run((const char *[]){"ip", "link", "add", ifname, "netns", n->ns, "type",
					      "veth", "peer", "name", emu_if[e], "netns", tl->ns,
					      NULL},
			     NULL, 0, err, sizeof(err))) {
			snprintf(msg, cap, "veth %s:%s -- %s:%s: %s", n->name, ifname, tl->ns,
				 emu_if[e], err);
			return -1;
		}
	}
	return 0;
}

/* Brings the link namespace's veths up (offloads off: srlink relays
 * frames of at most the MTU) and starts srlink between them, waiting until
 * its sockets are bound. */
static int start_emu_link(struct lab *lab, int l, char *msg, size_t cap)
{
	const struct topo_link *tl = &lab->t->link[l];
	char path[4][LAB_PATH_MAX + 32], what[64], num[6][32], words[64];
	const char *argv[32];
	int argc = 0;
	pid_t pid;

	for (int e = 0; e < 2; e++) {
		int rc = ns_offloads_off(tl->ns, emu_if[e]);

		if (rc) {
			snprintf(msg, cap, "%s:%s: cannot turn offloads off: %s", tl->ns, emu_if[e],
				 strerror(-rc));
			return -1;
		}
		snprintf(words, sizeof(words), "link set %s up", emu_if[e]);
		if (ip_words(tl->ns, NULL, words, tl->ns, msg, cap))
			return -1;
	}
	snprintf(path[0], sizeof(path[0]), "%s/link-l%d.json", lab->dir, l);
	snprintf(path[1], sizeof(path[1]), "%s/link-l%d.err", lab->dir, l);
	snprintf(path[2], sizeof(path[2]), "%s/link-l%d.ready", lab->dir, l);
	snprintf(num[0], sizeof(num[0]), "%.17g", tl->emu.delay_ms);
	snprintf(num[1], sizeof(num[1]), "%.17g", tl->emu.jitter_ms);
	snprintf(num[2], sizeof(num[2]), "%.17g", tl->emu.loss_pct);
	snprintf(num[3], sizeof(num[3]), "%.17g", tl->emu.rate_mbit);
	snprintf(num[4], sizeof(num[4]), "%d", tl->emu.queue_pkts);
	/* reproducible: the same topology drops the same frames */
	snprintf(num[5], sizeof(num[5]), "%d", 2 * l + 1);
	argv[argc++] = lab->srlink;
	argv[argc++] = "--delay";
	argv[argc++] = num[0];
	argv[argc++] = "--jitter";
	argv[argc++] = num[1];
	argv[argc++] = "--loss";
	argv[argc++] = num[2];
	if (tl->emu.rate_mbit > 0) {
		argv[argc++] = "--rate";
		argv[argc++] = num[3];
	}
	if (tl->emu.queue_pkts) {
		argv[argc++] = "--queue";
		argv[argc++] = num[4];
	}
	argv[argc++] = "--seed";
	argv[argc++] = num[5];
	argv[argc++] = "--json";
	argv[argc++] = path[0];
	argv[argc++] = "--ready-file";
	argv[argc++] = path[2];
	argv[argc++] = emu_if[0];
	argv[argc++] = emu_if[1];
	argv[argc] = NULL;
	unlink(path[2]);
	pid = proc_spawn(tl->ns, argv, path[1], path[1]);
	if (pid < 0) {
		snprintf(msg, cap, "%s: cannot start srlink: %s", tl->ns, strerror(errno));
		return -1;
	}
	snprintf(what, sizeof(what), "srlink l%d", l);
	lab_record_pid(lab, pid, what);
	for (int waited = 0; waited < READY_TIMEOUT_MS; waited += 10) {
		char tail[600];

		if (access(path[2], F_OK) == 0)
			return 0;
		if (!proc_alive(pid)) {
			log_tail(path[1], tail, sizeof(tail));
			snprintf(msg, cap, "%s: srlink exited at start: %s", tl->ns,
				 tail[0] ? tail : "(no message)");
			return -1;
		}
		proc_sleep_ms(10);
	}
	snprintf(msg, cap, "%s: srlink not ready after %d s (see %s)", tl->ns,
		 READY_TIMEOUT_MS / 1000, path[1]);
	return -1;
}

static int make_links(struct lab *lab, char *msg, size_t cap)
{
	const struct topo *t = lab->t;

	for (int i = 0; i < t->n_node; i++) {
		const struct topo_node *n = &t->node[i];

		for (int k = 0; k < n->n_if; k++) {
			const struct topo_if *f = &n->ifs[k];
			const struct topo_node *pn = &t->node[f->peer_node];
			const struct topo_if *pf = &pn->ifs[f->peer_if];
			char err[512];

			/* each veth once: from the end with the lower (node, if) */
			if (f->peer_node < i || (f->peer_node == i && f->peer_if < k))
				continue;
			if (t->link[f->link].emu.on) {
				if (make_emu_link(lab, &t->link[f->link], msg, cap))
					return -1;
				continue;
			}
			record(lab, "link %s %s %s %s", n->ns, f->name, pn->ns, pf->name);
			if (proc_run((const char *[]){"ip", "link", "add", f->name, "netns", n->ns,
						      "type", "veth", "peer", "name", pf->name,
						      "netns", pn->ns, NULL},
				     NULL, 0, err, sizeof(err))) {
				snprintf(msg, cap, "veth %s:%s -- %s:%s: %s", n->name, f->name,
					 pn->name, pf->name, err);
				return -1;
			}
		}
	}
	return 0;
}

static int configure_node(struct lab *lab, int i, char *msg, size_t cap)
{
	const struct topo_node *n = &lab->t->node[i];
	char what[64], words[512];

	for (int k = 0; k < n->n_if; k++) {
		const struct topo_if *f = &n->ifs[k];

		snprintf(what, sizeof(what), "%s:%s", n->name, f->name);
		for (int a = 0; a < f->n_addr; a++) {
			snprintf(words, sizeof(words), "addr add %s dev %s%s", f->addr[a].text,
				 f->name, f->addr[a].family == 6 ? " nodad" : "");
			if (ip_words(n->ns, NULL, words, what, msg, cap))
				return -1;
		}
		if (n->seg6local) {
			char key[96];

			snprintf(key, sizeof(key), "net.ipv6.conf.%s.seg6_enabled", f->name);
			if (set_sysctl(n->ns, key, "1", msg, cap))
				return -1;
		}
		/* TCP senders on a veth build GSO super-frames, which an AF_PACKET
		 * data plane cannot forward, and leave checksums to an offload that
		 * a frame taken by AF_XDP never gets: keep frames at the MTU and
		 * complete */
		if (!n->offloads) {
			int rc = ns_offloads_off(n->ns, f->name);

			if (rc) {
				snprintf(msg, cap, "%s: cannot turn offloads off: %s", what,
					 strerror(-rc));
				return -1;
			}
		}
		snprintf(words, sizeof(words), "link set %s up", f->name);
		if (ip_words(n->ns, NULL, words, what, msg, cap))
			return -1;
	}
	for (int k = 0; k < n->sysctl.n; k++) {
		char kv[300], *eq;

		snprintf(kv, sizeof(kv), "%s", n->sysctl.line[k]);
		eq = strchr(kv, '=');
		*eq = 0;
		if (set_sysctl(n->ns, kv, eq + 1, msg, cap))
			return -1;
	}
	return 0;
}

static int add_routes(struct lab *lab, int i, char *msg, size_t cap)
{
	const struct topo_node *n = &lab->t->node[i];
	char words[4200], what[80];

	for (int k = 0; k < n->routes.n; k++) {
		snprintf(words, sizeof(words), "route add %s", n->routes.line[k]);
		snprintf(what, sizeof(what), "%s: routes[%d]", n->name, k);
		if (ip_words(n->ns, route_family(n->routes.line[k]), words, what, msg, cap))
			return -1;
	}
	for (int k = 0; k < n->ip.n; k++) {
		snprintf(what, sizeof(what), "%s: ip[%d]", n->name, k);
		if (ip_words(n->ns, NULL, n->ip.line[k], what, msg, cap))
			return -1;
	}
	return 0;
}

/* Resolves the neighbours of every link before traffic starts: the first
 * packets of a flow must not wait in a neighbour queue (a lost first
 * solicitation costs a full retransmit second). Before the daemons start
 * (after_daemons false) each node pings every peer address; the kernel of a
 * srchain node then also holds the next hops srchaind reads. Once the
 * daemons serve (true), the peers of srchain nodes ping them again: taking
 * over an interface can lose the entries learnt before. */
static void prime_neighbours(struct lab *lab, bool after_daemons)
{
	const struct topo *t = lab->t;
	pid_t pids[512];
	int np = 0;

	for (int i = 0; i < t->n_node; i++) {
		const struct topo_node *n = &t->node[i];

		for (int k = 0; k < n->n_if; k++) {
			const struct topo_if *f = &n->ifs[k];
			const struct topo_node *pn = &t->node[f->peer_node];
			const struct topo_if *pf = &pn->ifs[f->peer_if];

			if (after_daemons && pn->role != TOPO_SRCHAIN)
				continue;
			for (int a = 0; a < pf->n_addr && np < 512; a++) {
				bool same = false;

				for (int b = 0; b < f->n_addr; b++)
					same |= f->addr[b].family == pf->addr[a].family;
				if (!same)
					continue;
				pids[np] = proc_spawn(n->ns,
						      (const char *[]){"ping", "-c", "1", "-W", "2",
								       "-I", f->name,
								       pf->addr[a].host, NULL},
						      NULL, NULL);
				if (pids[np] > 0)
					np++;
			}
		}
	}
	for (int k = 0; k < np; k++)
		waitpid(pids[k], NULL, 0);
}

/* Does srchaind have a control socket (and is there a client)? Each daemon
 * gets its own socket in the state directory either way, never the default
 * one a user's daemon may want. */
static void find_ctl(struct lab *lab)
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
static void log_tail(const char *path, char *out, size_t cap)
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
			log_tail(d->err, tail, sizeof(tail));
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
static int lines_insert(struct lab_daemon *d, int at, const char *line)
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
	rc = add ? lines_insert(d, pos, line) : pos < 0 ? pos : 0;
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
		lines_insert(d, pos, line);
	write_conf(lab, i);
	return -1;
}

int lab_up(struct lab *lab, char *msg, size_t cap)
{
	const struct topo *t = lab->t;
	char path[LAB_PATH_MAX + 16];
	struct stat sb;
	int rc;

	if (geteuid() != 0) {
		snprintf(msg, cap, "srlab needs root (network namespaces)");
		return -EPERM;
	}
	snprintf(path, sizeof(path), "%s/state", lab->dir);
	if (stat(path, &sb) == 0) {
		snprintf(msg, cap, "lab %s is up already (state in %s): srlab down first", t->lab,
			 lab->dir);
		return -EEXIST;
	}
	for (int i = 0; i < t->n_node; i++)
		if (ns_exists(t->node[i].ns)) {
			snprintf(msg, cap,
				 "namespace %s exists and is not this lab's: choose another "
				 "--prefix",
				 t->node[i].ns);
			return -EEXIST;
		}
	for (int l = 0; l < t->n_link; l++)
		if (t->link[l].emu.on && ns_exists(t->link[l].ns)) {
			snprintf(msg, cap,
				 "namespace %s exists and is not this lab's: choose another "
				 "--prefix",
				 t->link[l].ns);
			return -EEXIST;
		}
	rc = util_mkdirs(lab->dir);
	if (rc) {
		snprintf(msg, cap, "%s: %s", lab->dir, strerror(-rc));
		return rc;
	}
	if (record(lab, "lab %s", t->lab) || record(lab, "prefix %s", t->prefix) ||
	    record(lab, "topo %s", t->path)) {
		snprintf(msg, cap, "%s: cannot write the state file", lab->dir);
		goto err;
	}
	find_ctl(lab);
	if (make_namespaces(lab, msg, cap) || make_links(lab, msg, cap))
		goto err;
	for (int i = 0; i < t->n_node; i++)
		if (configure_node(lab, i, msg, cap))
			goto err;
	for (int l = 0; l < t->n_link; l++)
		if (t->link[l].emu.on && start_emu_link(lab, l, msg, cap))
			goto err;
	for (int i = 0; i < t->n_node; i++)
		if (add_routes(lab, i, msg, cap))
			goto err;
	prime_neighbours(lab, false);
	/* FRR before srchaind, converged: srchaind checks its node SIDs against
	 * the kernel's routes at start, and mirrors later changes */
	for (int i = 0; i < t->n_node; i++)
		if (t->node[i].frr.on && frr_start(lab, i, msg, cap))
			goto err;
	if (frr_in_topo(t) && frr_wait_converged(lab, OSPF_TIMEOUT_MS, msg, cap))
		goto err;
	for (int i = 0; i < t->n_node; i++) {
		struct lab_daemon *d = &lab->d[i];

		if (t->node[i].role != TOPO_SRCHAIN)
			continue;
		for (int k = 0; k < t->node[i].config.n; k++)
			if (lines_insert(d, d->n_lines, t->node[i].config.line[k])) {
				snprintf(msg, cap, "out of memory");
				goto err;
			}
		if (lab_daemon_start(lab, i, msg, cap))
			goto err;
	}
	prime_neighbours(lab, true);
	/* the adjacencies survive srchaind taking the interfaces over */
	if (frr_in_topo(t) && frr_wait_converged(lab, OSPF_TIMEOUT_MS, msg, cap))
		goto err;
	record(lab, "ready");
	return 0;
err:
	lab_down_dir(lab->dir, false);
	return -1;
}

/* --- down, find, status --- */

struct state {
	char lab[TOPO_NAME_MAX + 1], prefix[TOPO_PREFIX_MAX + 1], topo[LAB_PATH_MAX];
	int n_ns, n_pid;
	bool ready;
	char ns[TOPO_NODES_MAX + TOPO_LINKS_MAX][TOPO_NS_MAX + 1]; /* nodes, links */
	struct {
		pid_t pid;
		unsigned long long start;
		char what[96];
	} pid[1024];
};

static int state_read(const char *dir, struct state *s)
{
	char path[LAB_PATH_MAX + 16], *text = NULL, *save = NULL;
	size_t len;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/state", dir);
	if (file_read(path, FILE_READ_MAX, &text, &len, NULL))
		return -ENOENT;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		long pid;
		unsigned long long st;
		int off = 0;

		if (!strncmp(l, "lab ", 4))
			snprintf(s->lab, sizeof(s->lab), "%s", l + 4);
		else if (!strncmp(l, "prefix ", 7))
			snprintf(s->prefix, sizeof(s->prefix), "%s", l + 7);
		else if (!strncmp(l, "topo ", 5))
			snprintf(s->topo, sizeof(s->topo), "%s", l + 5);
		else if (!strncmp(l, "netns ", 6) && s->n_ns < TOPO_NODES_MAX + TOPO_LINKS_MAX)
			snprintf(s->ns[s->n_ns++], sizeof(s->ns[0]), "%s", l + 6);
		else if (!strcmp(l, "ready"))
			s->ready = true;
		else if (sscanf(l, "pid %ld %llu %n", &pid, &st, &off) == 2 && off &&
			 s->n_pid < 1024) {
			s->pid[s->n_pid].pid = (pid_t)pid;
			s->pid[s->n_pid].start = st;
			snprintf(s->pid[s->n_pid].what, sizeof(s->pid[0].what), "%s", l + off);
			s->n_pid++;
		}
	}
	free(text);
	return s->lab[0] ? 0 : -ENOENT;
}

/* The processes whose network namespace is ns (like `ip netns pids`). */
static int ns_pids(const char *ns, pid_t *out, int max)
{
	char path[300];
	struct stat nsb;
	struct dirent *de;
	DIR *proc;
	int n = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	if (stat(path, &nsb))
		return 0;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while ((de = readdir(proc)) && n < max) {
		struct stat sb;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &sb) == 0 && sb.st_ino == nsb.st_ino && sb.st_dev == nsb.st_dev)
			out[n++] = (pid_t)pid;
	}
	closedir(proc);
	return n;
}

/* Removes dir, its files and (depth > 0) its subdirectories (NODE.frr/). */
static void rm_dir_depth(const char *dir, int depth)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX + 300];
		struct stat sb;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (depth > 0 && lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_dir_depth(path, depth - 1);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void rm_dir(const char *dir)
{
	rm_dir_depth(dir, 1);
}

int lab_down_dir(const char *dir, bool verbose)
{
	static struct state s;
	int killed = 0, removed = 0;

	if (state_read(dir, &s)) {
		/* a directory from a start that failed before the first record */
		rm_dir(dir);
		return -ENOENT;
	}
	/* processes first: a namespace lives on while a process is inside */
	for (int i = 0; i < s.n_pid; i++) {
		uint64_t st = proc_start_time(s.pid[i].pid);

		if (!st || st != s.pid[i].start)
			continue; /* gone, or the PID now belongs to someone else */
		proc_stop(s.pid[i].pid, SIGTERM, 3000);
		killed++;
		if (verbose)
			printf("srlab: stopped %s (pid %ld)\n", s.pid[i].what, (long)s.pid[i].pid);
	}
	for (int i = 0; i < s.n_ns; i++) {
		pid_t pids[256];
		int np = ns_pids(s.ns[i], pids, 256);
		char err[512];

		/* anything still inside one of our namespaces was started there by
		 * this lab (srlab exec, a crashed run's tools) */
		for (int k = 0; k < np; k++) {
			if (verbose)
				printf("srlab: stopping pid %ld in %s\n", (long)pids[k], s.ns[i]);
			proc_stop(pids[k], SIGTERM, 2000);
			killed++;
		}
		if (!ns_exists(s.ns[i]))
			continue;
		if (proc_run((const char *[]){"ip", "netns", "del", s.ns[i], NULL}, NULL, 0, err,
			     sizeof(err)))
			fprintf(stderr, "srlab: ip netns del %s: %s\n", s.ns[i], err);
		else
			removed++;
		if (verbose)
			printf("srlab: removed namespace %s\n", s.ns[i]);
	}
	rm_dir(dir);
	if (verbose)
		printf("srlab: lab %s down (%d namespaces, %d processes)\n", s.lab, removed,
		       killed);
	return 0;
}

int lab_find(const char *name, const char *prefix, char *dir, size_t cap)
{
	const char *base = lab_state_base();
	static struct state s;
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(base);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		if (state_read(path, &s) || strcmp(s.lab, name) ||
		    (prefix && strcmp(s.prefix, prefix)))
			continue;
		if (found++ == 0)
			snprintf(dir, cap, "%s", path);
	}
	closedir(d);
	return found == 0 ? -ENOENT : found > 1 ? -EEXIST : 0;
}

int lab_status(const char *name)
{
	const char *base = lab_state_base();
	static struct state s;
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(base);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[LAB_PATH_MAX];
		int ns_up = 0, alive = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		if (state_read(path, &s) || (name && strcmp(s.lab, name)))
			continue;
		for (int i = 0; i < s.n_ns; i++)
			ns_up += ns_exists(s.ns[i]);
		printf("lab %s (prefix %s, %s): %s, %d/%d namespaces, state %s\n", s.lab, s.prefix,
		       s.topo, s.ready ? "up" : "incomplete", ns_up, s.n_ns, path);
		for (int i = 0; i < s.n_ns; i++)
			printf("  netns %-40s %s\n", s.ns[i], ns_exists(s.ns[i]) ? "" : "(gone)");
		for (int i = 0; i < s.n_pid; i++) {
			bool up = proc_start_time(s.pid[i].pid) == s.pid[i].start;

			alive += up;
			if (up || !strncmp(s.pid[i].what, "srchaind", 8))
				printf("  %-46s pid %ld %s\n", s.pid[i].what, (long)s.pid[i].pid,
				       up ? "running" : "(exited)");
		}
		n++;
	}
	closedir(d);
	return n;
}

int lab_exec(const char *ns, char *const argv[])
{
	char nsbuf[TOPO_NS_MAX + 1], ip[] = "ip", netns[] = "netns", ex[] = "exec";
	char *args[PROC_ARGS_MAX + 4];
	int argc = 0;

	snprintf(nsbuf, sizeof(nsbuf), "%s", ns);
	args[argc++] = ip;
	args[argc++] = netns;
	args[argc++] = ex;
	args[argc++] = nsbuf;
	for (int i = 0; argv[i] && argc < PROC_ARGS_MAX + 3; i++)
		args[argc++] = argv[i];
	args[argc] = NULL;
	execvp("ip", args);
	fprintf(stderr, "srlab: cannot run ip: %s\n", strerror(errno));
	return -1;
}

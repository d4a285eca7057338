/* The network of a lab: namespaces and their sysctls, veth links (and the
 * srlink relay of an emulated link), addresses, routes and `ip` commands of
 * each node, and the neighbour priming before traffic starts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/addr.h"
#include "srlab/lab.h"
#include "srlab/lab_int.h"
#include "srlab/proc.h"

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

int lab_make_namespaces(struct lab *lab, char *msg, size_t cap)
{
	const struct topo *t = lab->t;

	for (int i = 0; i < t->n_node; i++) {
		const struct topo_node *n = &t->node[i];
		const bool fwd = n->role == TOPO_KERNEL;
		char err[512];
		int rc;

		if (lab_record(lab, "netns %s", n->ns)) {
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
		if (lab_record(lab, "netns %s", tl->ns)) {
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

		lab_record(lab, "link %s %s %s %s", n->ns, ifname, tl->ns, emu_if[e]);
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
int lab_start_emu_link(struct lab *lab, int l, char *msg, size_t cap)
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
			lab_log_tail(path[1], tail, sizeof(tail));
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

int lab_make_links(struct lab *lab, char *msg, size_t cap)
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
			lab_record(lab, "link %s %s %s %s", n->ns, f->name, pn->ns, pf->name);
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

int lab_configure_node(struct lab *lab, int i, char *msg, size_t cap)
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

int lab_add_routes(struct lab *lab, int i, char *msg, size_t cap)
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
void lab_prime_neighbours(struct lab *lab, bool after_daemons)
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

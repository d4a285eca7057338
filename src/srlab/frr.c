/* FRR on srlab nodes: configuration, daemons, convergence. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "srlab/frr.h"
#include "srlab/lab.h"
#include "srlab/proc.h"
#include "srlab/util.h"

#define FRR_READY_TIMEOUT_MS 10000
#define FRR_DAEMONS_MAX	     3

bool frr_in_topo(const struct topo *t)
{
	for (int i = 0; i < t->n_node; i++)
		if (t->node[i].frr.on)
			return true;
	return false;
}

/* Where FRR's daemons live: $SRLAB_FRR_DIR, else Debian's /usr/lib/frr. */
static const char *frr_dir(void)
{
	const char *e = getenv("SRLAB_FRR_DIR");

	return e && *e ? e : "/usr/lib/frr";
}

const char *frr_vtysh_prog(void)
{
	const char *e = getenv("SRLAB_VTYSH");

	return e && *e ? e : "vtysh";
}

static bool if_has_family(const struct topo_if *f, int family)
{
	for (int a = 0; a < f->n_addr; a++)
		if (f->addr[a].family == family)
			return true;
	return false;
}

/* The node's runtime directory: <state>/NODE.frr */
static void node_dir(const struct lab *lab, int i, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s.frr", lab->dir, lab->t->node[i].name);
}

/* One frr.conf for all the node's daemons: each applies what it knows and
 * logs the rest as "No such command". Fast timers: a lab converges in
 * seconds, not in a minute. */
static int write_conf(const struct lab *lab, int i, const char *path)
{
	const struct topo_node *n = &lab->t->node[i];
	const struct topo_frr *fr = &n->frr;
	struct sbuf b;
	int rc;

	sbuf_init(&b);
	sbuf_printf(&b, "! FRR configuration of node %s, written by srlab\n", n->name);
	sbuf_printf(&b, "frr defaults traditional\nhostname %s\n", n->name);
	/* routes through kernel nexthop objects (RTA_NH_ID) are ones srchaind
	 * does not mirror: keep the next hops in the routes */
	sbuf_printf(&b, "no zebra nexthop kernel enable\n!\n");
	for (int k = 0; k < n->n_if; k++) {
		const struct topo_if *f = &n->ifs[k];
		bool v4 = fr->ospf && if_has_family(f, 4), v6 = fr->ospf6;

		if (!v4 && !v6)
			continue;
		sbuf_printf(&b, "interface %s\n", f->name);
		if (v4)
			sbuf_printf(&b, " ip ospf network point-to-point\n ip ospf area 0\n"
					" ip ospf hello-interval 1\n ip ospf dead-interval 4\n"
					" ip ospf retransmit-interval 1\n");
		if (v6)
			sbuf_printf(&b,
				    " ipv6 ospf6 network point-to-point\n ipv6 ospf6 area 0\n"
				    " ipv6 ospf6 hello-interval 1\n ipv6 ospf6 dead-interval 4\n"
				    " ipv6 ospf6 retransmit-interval 1\n");
		sbuf_printf(&b, "exit\n!\n");
	}
	if (fr->ospf) {
		sbuf_printf(&b, "router ospf\n");
		if (fr->router_id[0])
			sbuf_printf(&b, " ospf router-id %s\n", fr->router_id);
		sbuf_printf(&b, " redistribute connected\n timers throttle spf 0 50 500\n"
				" timers lsa min-arrival 0\nexit\n!\n");
	}
	if (fr->ospf6) {
		sbuf_printf(&b, "router ospf6\n");
		if (fr->router_id[0])
			sbuf_printf(&b, " ospf6 router-id %s\n", fr->router_id);
		sbuf_printf(&b, " redistribute connected\n timers throttle spf 0 50 500\n"
				" timers lsa min-arrival 0\nexit\n!\n");
	}
	for (int k = 0; k < fr->conf.n; k++)
		sbuf_printf(&b, "%s\n", fr->conf.line[k]);
	if (b.oom) {
		sbuf_free(&b);
		return -ENOMEM;
	}
	rc = util_write_file(path, b.s);
	sbuf_free(&b);
	return rc;
}

/* Starts one daemon in the node's namespace and waits for its vty socket. */
static int start_daemon(struct lab *lab, int i, const char *daemon, const char *conf,
			const char *dir, bool as_root, char *msg, size_t cap)
{
	const struct topo_node *n = &lab->t->node[i];
	char prog[LAB_PATH_MAX], pidf[LAB_PATH_MAX + 32], zs[LAB_PATH_MAX + 32],
		vty[LAB_PATH_MAX + 32];
	char log[LAB_PATH_MAX + 40], err[LAB_PATH_MAX + 32], what[96];
	const char *argv[32];
	int argc = 0;
	pid_t pid;

	snprintf(prog, sizeof(prog), "%s/%s", frr_dir(), daemon);
	snprintf(pidf, sizeof(pidf), "%s/%s.pid", dir, daemon);
	snprintf(zs, sizeof(zs), "%s/zserv.api", dir);
	snprintf(vty, sizeof(vty), "%s/%s.vty", dir, daemon);
	snprintf(log, sizeof(log), "file:%s/%s.log", dir, daemon);
	snprintf(err, sizeof(err), "%s/%s.err", dir, daemon);
	if (access(prog, X_OK)) {
		snprintf(msg, cap, "%s: %s not found (install FRR: apt-get install frr)", n->name,
			 prog);
		return -1;
	}
	argv[argc++] = prog;
	argv[argc++] = "-f";
	argv[argc++] = conf;
	argv[argc++] = "-i";
	argv[argc++] = pidf;
	argv[argc++] = "-z";
	argv[argc++] = zs;
	argv[argc++] = "--vty_socket";
	argv[argc++] = dir;
	argv[argc++] = "-P"; /* no TCP vty */
	argv[argc++] = "0";
	argv[argc++] = "--log";
	argv[argc++] = log;
	if (as_root) {
		argv[argc++] = "-u";
		argv[argc++] = "root";
		argv[argc++] = "-g";
		argv[argc++] = "root";
	}
	argv[argc] = NULL;
	unlink(vty);
	pid = proc_spawn(n->ns, argv, err, err);
	if (pid < 0) {
		snprintf(msg, cap, "%s: cannot start %s: %s", n->name, daemon, strerror(errno));
		return -1;
	}
	snprintf(what, sizeof(what), "frr %s %s", daemon, n->name);
	lab_record_pid(lab, pid, what);
	for (int waited = 0; waited < FRR_READY_TIMEOUT_MS; waited += 20) {
		char *text = NULL;
		size_t len;

		if (access(vty, F_OK) == 0)
			return 0;
		if (!proc_alive(pid)) {
			if (file_read(err, FILE_READ_MAX, &text, &len, NULL) == 0 && len)
				while (len && text[len - 1] == '\n')
					text[--len] = 0;
			snprintf(msg, cap, "%s: %s exited at start: %s", n->name, daemon,
				 text && *text ? text : "(no message)");
			free(text);
			return -1;
		}
		proc_sleep_ms(20);
	}
	snprintf(msg, cap, "%s: %s has no vty after %d s (see %s)", n->name, daemon,
		 FRR_READY_TIMEOUT_MS / 1000, err);
	return -1;
}

int frr_start(struct lab *lab, int i, char *msg, size_t cap)
{
	const struct topo_node *n = &lab->t->node[i];
	const char *daemons[FRR_DAEMONS_MAX];
	char dir[LAB_PATH_MAX], conf[LAB_PATH_MAX];
	struct passwd *pw = getpwnam("frr");
	int nd = 0;

	node_dir(lab, i, dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/%s.frr.conf", lab->dir, n->name);
	if (write_conf(lab, i, conf)) {
		snprintf(msg, cap, "%s: cannot write %s", n->name, conf);
		return -1;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(msg, cap, "%s: %s: %s", n->name, dir, strerror(errno));
		return -1;
	}
	/* Debian's FRR refuses -u root (root is not in its vty group frrvty):
	 * the daemons drop to the frr user, which must own their directory */
	if (pw && chown(dir, pw->pw_uid, pw->pw_gid)) {
		snprintf(msg, cap, "%s: chown %s: %s", n->name, dir, strerror(errno));
		return -1;
	}
	daemons[nd++] = "zebra";
	if (n->frr.ospf)
		daemons[nd++] = "ospfd";
	if (n->frr.ospf6)
		daemons[nd++] = "ospf6d";
	for (int k = 0; k < nd; k++)
		if (start_daemon(lab, i, daemons[k], conf, dir, !pw, msg, cap))
			return -1;
	return 0;
}

/* Full adjacencies in `show ip ospf neighbor json`:
 * {"neighbors": {"RID": [{"nbrState": "Full/-", ...}], ...}} */
static int count_full(const char *text)
{
	struct json_doc *doc = NULL;
	struct json_err jerr;
	const struct json_val *nb;
	int full = 0;

	if (json_parse(text, strlen(text), NULL, &doc, &jerr))
		return -1;
	nb = json_obj_get(json_root(doc), "neighbors");
	for (size_t k = 0; k < json_obj_len(nb); k++) {
		const struct json_val *arr = json_obj_val(nb, k);

		for (size_t j = 0; j < json_arr_len(arr); j++) {
			const char *st = json_str(json_obj_get(json_arr_at(arr, j), "nbrState"));

			full += st && !strncmp(st, "Full", 4);
		}
	}
	json_free(doc);
	return full;
}

/* Links from node i to other OSPFv2 nodes (with IPv4 on both ends). */
static int expected_neighbours(const struct topo *t, int i)
{
	const struct topo_node *n = &t->node[i];
	int want = 0;

	for (int k = 0; k < n->n_if; k++) {
		const struct topo_if *f = &n->ifs[k];
		const struct topo_node *pn = &t->node[f->peer_node];

		want += pn->frr.ospf && if_has_family(f, 4) &&
			if_has_family(&pn->ifs[f->peer_if], 4);
	}
	return want;
}

/* True if node j's router ID is an address it configures ("addr add RID/"). */
static bool rid_is_address(const struct topo_node *n)
{
	char needle[40];

	if (!n->frr.router_id[0])
		return false;
	snprintf(needle, sizeof(needle), "addr add %s/", n->frr.router_id);
	for (int k = 0; k < n->ip.n; k++)
		if (strstr(n->ip.line[k], needle))
			return true;
	return false;
}

/* Checks node i once; on "not yet" fills why and returns 1. */
static int node_converged(struct lab *lab, int i, char *why, size_t cap)
{
	const struct topo *t = lab->t;
	const struct topo_node *n = &t->node[i];
	static char out[65536];
	char dir[LAB_PATH_MAX], err[512];
	int want = expected_neighbours(t, i), full;

	node_dir(lab, i, dir, sizeof(dir));
	if (proc_run((const char *[]){frr_vtysh_prog(), "--vty_socket", dir, "-c",
				      "show ip ospf neighbor json", NULL},
		     out, sizeof(out), err, sizeof(err))) {
		snprintf(why, cap, "%s: vtysh: %s", n->name, err);
		return 1;
	}
	full = count_full(out);
	if (full < want) {
		snprintf(why, cap, "%s: %d of %d OSPF neighbours Full", n->name,
			 full < 0 ? 0 : full, want);
		return 1;
	}
	if (proc_run((const char *[]){"ip", "-n", n->ns, "-4", "route", "show", "proto", "ospf",
				      NULL},
		     out, sizeof(out), err, sizeof(err))) {
		snprintf(why, cap, "%s: ip route: %s", n->name, err);
		return 1;
	}
	for (int j = 0; j < t->n_node; j++) {
		const struct topo_node *o = &t->node[j];
		char line[40];

		if (j == i || !o->frr.ospf || !rid_is_address(o))
			continue;
		/* `ip route` prints a host route as "192.0.2.203 via ..." */
		snprintf(line, sizeof(line), "\n%s ", o->frr.router_id);
		if (strncmp(out, line + 1, strlen(line + 1)) && !strstr(out, line)) {
			snprintf(why, cap, "%s: no OSPF route to %s (%s) yet", n->name,
				 o->frr.router_id, o->name);
			return 1;
		}
	}
	return 0;
}

int frr_wait_converged(struct lab *lab, int timeout_ms, char *msg, size_t cap)
{
	const struct topo *t = lab->t;
	double t0 = proc_now();
	char why[600] = "";

	for (;;) {
		int behind = 0;

		for (int i = 0; i < t->n_node && !behind; i++)
			if (t->node[i].frr.ospf)
				behind = node_converged(lab, i, why, sizeof(why));
		if (!behind) {
			if (lab->verbose)
				printf("srlab: OSPF converged after %.1f s\n", proc_now() - t0);
			return 0;
		}
		if ((proc_now() - t0) * 1000 >= timeout_ms)
			break;
		proc_sleep_ms(250);
	}
	snprintf(msg, cap, "OSPF not converged after %d s: %s", timeout_ms / 1000, why);
	return -1;
}

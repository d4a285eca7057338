/* srlab: the srchain namespace lab. Builds a topology of network namespaces
 * (hosts, Linux kernel routers, srchaind nodes), runs timed scenarios of
 * traffic and configuration changes against it, and reports per-flow loss,
 * reordering and latency with the nodes' counters. doc/srlab.md. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/version.h"
#include "srlab/frr.h"
#include "srlab/lab.h"
#include "srlab/proc.h"
#include "srlab/run.h"
#include "srlab/scenario.h"
#include "srlab/topo.h"

static void usage(FILE *f)
{
	fprintf(f,
		"NAME\n"
		"    srlab - the srchain namespace lab: topologies, scenarios, reports\n"
		"\n"
		"SYNOPSIS\n"
		"    srlab check TOPO [SCENARIO]\n"
		"    srlab up [-v] [--prefix P] TOPO\n"
		"    srlab down [-v] [--prefix P] TOPO | --lab NAME\n"
		"    srlab status [LAB]\n"
		"    srlab exec [--prefix P] LAB NODE CMD [ARG...]\n"
		"    srlab ctl [--prefix P] LAB NODE REQUEST...\n"
		"    srlab vtysh [--prefix P] LAB NODE [COMMAND...]\n"
		"    srlab run [-v] [--prefix P] [--json REPORT] [--keep | --reuse] TOPO SCENARIO\n"
		"    srlab --version\n"
		"\n"
		"DESCRIPTION\n"
		"    srlab builds a lab of network namespaces from a topology file (JSON):\n"
		"    hosts, Linux kernel routers (seg6, seg6local) and srchain nodes running\n"
		"    srchaind --live, joined by veth links with documentation addresses, and\n"
		"    runs timed scenarios against it: srtraffic flows, configuration changes,\n"
		"    commands, node stops, then assertions on flows and node counters.\n"
		"\n"
		"COMMANDS\n"
		"    check   check a topology (and a scenario) and print a summary; touches\n"
		"            nothing\n"
		"    up      create the namespaces <prefix>-<lab>-<node>, links, addresses,\n"
		"            sysctls and routes, start srchaind on srchain nodes, and wait\n"
		"            until each serves. Everything is recorded in the state\n"
		"            directory %s/<prefix>-<lab>/ first\n"
		"    down    remove exactly what the state directory records (processes,\n"
		"            namespaces), also after srlab or a daemon crashed\n"
		"    status  list the labs that are up, their namespaces and daemons\n"
		"    exec    run a command in a node's namespace\n"
		"    ctl     srchainctl REQUEST on a srchain node's control socket\n"
		"            (srlab ctl demo node show sids; options such as -j go\n"
		"            before the request)\n"
		"    vtysh   FRR's vtysh on a node that runs FRR: COMMAND's words as one\n"
		"            command (-c), none: interactive\n"
		"    run     up, the scenario's steps, assertions, a summary and a JSON\n"
		"            report, down. With --reuse, on the lab that srlab up left\n"
		"            up, which stays up\n"
		"\n"
		"    LAB is a lab's name or its topology file. A name means the lab of\n"
		"    that name with prefix P (--prefix), else with the default prefix\n"
		"    " TOPO_PREFIX_DEFAULT ": srlab never picks a lab of another prefix. A\n"
		"    topology file gives its lab's name and prefix (--prefix overrides).\n"
		"\n"
		"OPTIONS\n"
		"    --prefix P    namespace name prefix (default: the topology's \"prefix\",\n"
		"                  else " TOPO_PREFIX_DEFAULT "), so that labs never collide\n"
		"    --lab NAME    (down) the lab by name instead of by topology file\n"
		"    --json FILE   (run) write the report as JSON\n"
		"    --keep        (run) leave the lab up after the run (srlab down later)\n"
		"    --reuse       (run) run on the lab that is up from TOPO; its daemons keep\n"
		"                  running and node counters count from the run's start\n"
		"    -v, --verbose (up, run, down) print each stage and every command run\n"
		"    -h, --help    this text\n"
		"    --version     the version (release and commit) and exit\n"
		"\n"
		"ENVIRONMENT\n"
		"    SRLAB_STATE (state base, default /run/srlab), SRLAB_SRCHAIND,\n"
		"    SRLAB_SRTRAFFIC, SRLAB_SRCHAINCTL, SRLAB_SRLINK (programs; default:\n"
		"    next to srlab, else PATH), SRLAB_VTYSH, SRLAB_FRR_DIR.\n"
		"\n"
		"EXIT STATUS\n"
		"    0 success, 1 error or failed assertion, 2 usage error; exec, ctl and\n"
		"    vtysh: the command's own.\n"
		"\n"
		"SEE ALSO\n"
		"    srlab(1), srchaind(8), srchainctl(8), srtraffic(1), srlink(1)\n",
		lab_state_base());
}

static const struct option long_opts[] = {
	{"prefix", required_argument, NULL, 'p'}, {"lab", required_argument, NULL, 'l'},
	{"json", required_argument, NULL, 'j'},	  {"keep", no_argument, NULL, 'k'},
	{"reuse", no_argument, NULL, 'r'},	  {"help", no_argument, NULL, 'h'},
	{"verbose", no_argument, NULL, 'v'},	  {NULL, 0, NULL, 0},
};

struct opts {
	const char *prefix, *lab, *json;
	bool keep, reuse, verbose;
};

static int load(const char *path, const char *prefix, struct topo **t)
{
	char msg[1024];

	if (topo_load(path, prefix, t, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		return 1;
	}
	return 0;
}

static int cmd_check(int argc, char **argv, const struct opts *o)
{
	struct scenario *sc = NULL;
	struct topo *t;
	char msg[1024];
	int links = 0;

	if (argc < 1 || argc > 2) {
		usage(stderr);
		return 2;
	}
	if (load(argv[0], o->prefix, &t))
		return 1;
	if (argc == 2 && sc_load(argv[1], t, &sc, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		topo_free(t);
		return 1;
	}
	for (int i = 0; i < t->n_node; i++)
		links += t->node[i].n_if;
	printf("%s: lab %s: %d nodes, %d links, namespaces %s-%s-*\n", argv[0], t->lab, t->n_node,
	       links / 2, t->prefix, t->lab);
	for (int l = 0; l < t->n_link; l++) {
		const struct topo_emu *e = &t->link[l].emu;

		if (e->on)
			printf("%s: link %d emulated in %s: delay %g ms, jitter %g ms, loss %g %%, "
			       "rate %g Mbit/s\n",
			       argv[0], l, t->link[l].ns, e->delay_ms, e->jitter_ms, e->loss_pct,
			       e->rate_mbit);
	}
	if (sc)
		printf("%s: %d steps, %d flows\n", argv[1], sc->n_step, sc->n_flow);
	sc_free(sc);
	topo_free(t);
	return 0;
}

static int cmd_up(int argc, char **argv, const struct opts *o)
{
	static struct lab lab;
	struct topo *t;
	char msg[1024];
	int rc;

	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (load(argv[0], o->prefix, &t))
		return 1;
	lab_init(&lab, t);
	lab.verbose = o->verbose;
	rc = lab_up(&lab, msg, sizeof(msg));
	if (rc)
		fprintf(stderr, "srlab: %s\n", msg);
	else
		printf("srlab: lab %s up: %d nodes (namespaces %s-%s-*), state in %s\n", t->lab,
		       t->n_node, t->prefix, t->lab, lab.dir);
	topo_free(t);
	return rc ? 1 : 0;
}

/* The state directory of the lab that arg names: a lab's name with
 * --prefix, else with the default prefix (never a lab of another prefix,
 * which may be someone else's), or a topology file (its lab and prefix,
 * --prefix overriding). 0, or 1 after an error message. */
static int resolve_lab(const char *arg, const struct opts *o, char *dir, size_t cap)
{
	char name[TOPO_NAME_MAX + 1], prefix[TOPO_PREFIX_MAX + 1], others[512];
	int rc;

	if (strchr(arg, '/') || strchr(arg, '.')) {
		struct topo *t;

		if (load(arg, o->prefix, &t))
			return 1;
		snprintf(name, sizeof(name), "%s", t->lab);
		snprintf(prefix, sizeof(prefix), "%s", t->prefix);
		topo_free(t);
	} else if (topo_name_ok(arg, TOPO_NAME_MAX)) {
		snprintf(name, sizeof(name), "%s", arg);
		snprintf(prefix, sizeof(prefix), "%s", o->prefix ? o->prefix : TOPO_PREFIX_DEFAULT);
	} else {
		fprintf(stderr,
			"srlab: '%s' is neither a lab name (1-%d characters of [A-Za-z0-9_-]) nor "
			"a topology file\n",
			arg, TOPO_NAME_MAX);
		return 1;
	}
	rc = lab_find(name, prefix, dir, cap);
	if (rc == 0)
		return 0;
	if (lab_prefixes_of(name, others, sizeof(others)))
		fprintf(stderr,
			"srlab: no lab %s with prefix %s is up (a lab %s is up with prefix %s: "
			"give --prefix)\n",
			name, prefix, name, others);
	else
		fprintf(stderr, "srlab: no lab %s is up (state base %s)\n", name, lab_state_base());
	return 1;
}

/* The namespace of NODE in the lab at dir: 0, or 1 after an error message. */
static int node_ns(const char *dir, const char *node, char *ns, size_t cap)
{
	char nodes[2048];

	if (lab_node_ns(dir, node, ns, cap, nodes, sizeof(nodes)) == 0)
		return 0;
	fprintf(stderr, "srlab: lab in %s has no node '%s' (nodes: %s)\n", dir, node,
		nodes[0] ? nodes : "none");
	return 1;
}

static int cmd_down(int argc, char **argv, const struct opts *o)
{
	char dir[LAB_PATH_MAX];

	if (o->lab && argc == 0) {
		if (resolve_lab(o->lab, o, dir, sizeof(dir)))
			return 1;
	} else if (argc == 1 && !o->lab) {
		struct topo *t;

		if (load(argv[0], o->prefix, &t))
			return 1;
		snprintf(dir, sizeof(dir), "%s/%s-%s", lab_state_base(), t->prefix, t->lab);
		topo_free(t);
	} else {
		usage(stderr);
		return 2;
	}
	if (lab_down_dir(dir, o->verbose)) {
		fprintf(stderr, "srlab: no lab recorded in %s\n", dir);
		return 1;
	}
	return 0;
}

static int cmd_exec(int argc, char **argv, const struct opts *o)
{
	char dir[LAB_PATH_MAX], ns[LAB_PATH_MAX];
	int rc;

	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	if (resolve_lab(argv[0], o, dir, sizeof(dir)) || node_ns(dir, argv[1], ns, sizeof(ns)))
		return 1;
	rc = lab_exec(ns, argv + 2);
	return rc < 0 ? 1 : rc;
}

/* Replaces srlab by argv (PATH lookup); returns only on failure. */
static int exec_prog(char **args)
{
	execvp(args[0], args);
	fprintf(stderr, "srlab: cannot run %s: %s\n", args[0], strerror(errno));
	return 1;
}

static int cmd_ctl(int argc, char **argv, const struct opts *o)
{
	char dir[LAB_PATH_MAX], ns[LAB_PATH_MAX], sock[LAB_PATH_MAX + 64], prog[LAB_PATH_MAX];
	char opt_s[] = "-s", *args[PROC_ARGS_MAX + 4];
	struct stat sb;
	int n = 0;

	if (argc < 3 || argc > PROC_ARGS_MAX) {
		usage(stderr);
		return 2;
	}
	if (resolve_lab(argv[0], o, dir, sizeof(dir)) || node_ns(dir, argv[1], ns, sizeof(ns)))
		return 1;
	snprintf(sock, sizeof(sock), "%s/%s.ctl", dir, argv[1]);
	if (stat(sock, &sb) || !S_ISSOCK(sb.st_mode)) {
		fprintf(stderr, "srlab: node %s has no srchaind control socket (%s)\n", argv[1],
			sock);
		return 1;
	}
	lab_find_prog(prog, sizeof(prog), "srchainctl", "SRLAB_SRCHAINCTL");
	args[n++] = prog;
	args[n++] = opt_s;
	args[n++] = sock;
	for (int i = 2; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return exec_prog(args);
}

static int cmd_vtysh(int argc, char **argv, const struct opts *o)
{
	char dir[LAB_PATH_MAX], ns[LAB_PATH_MAX], vty[LAB_PATH_MAX + 64], cmd[8192] = "";
	char prog[LAB_PATH_MAX], opt_v[] = "--vty_socket", opt_c[] = "-c", *args[8];
	struct stat sb;
	int n = 0;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (resolve_lab(argv[0], o, dir, sizeof(dir)) || node_ns(dir, argv[1], ns, sizeof(ns)))
		return 1;
	snprintf(vty, sizeof(vty), "%s/%s.frr", dir, argv[1]);
	if (stat(vty, &sb) || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "srlab: node %s runs no FRR (no %s)\n", argv[1], vty);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		size_t l = strlen(cmd);

		if (snprintf(cmd + l, sizeof(cmd) - l, "%s%s", i > 2 ? " " : "", argv[i]) >=
		    (int)(sizeof(cmd) - l)) {
			fprintf(stderr, "srlab: vtysh command longer than %zu bytes\n",
				sizeof(cmd) - 1);
			return 2;
		}
	}
	snprintf(prog, sizeof(prog), "%s", frr_vtysh_prog());
	args[n++] = prog;
	args[n++] = opt_v;
	args[n++] = vty;
	if (cmd[0]) {
		args[n++] = opt_c;
		args[n++] = cmd;
	}
	args[n] = NULL;
	return exec_prog(args);
}

static int cmd_run(int argc, char **argv, const struct opts *o)
{
	static struct lab lab;
	struct scenario *sc = NULL;
	struct topo *t;
	char msg[1024];
	int rc;

	if (argc != 2 || (o->keep && o->reuse)) {
		usage(stderr);
		return 2;
	}
	if (load(argv[0], o->prefix, &t))
		return 1;
	if (sc_load(argv[1], t, &sc, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		topo_free(t);
		return 1;
	}
	lab_init(&lab, t);
	lab.verbose = o->verbose;
	rc = srlab_run_scenario(&lab, sc, o->json, o->keep, o->reuse);
	sc_free(sc);
	topo_free(t);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version"))
		return version_print(stdout, "srlab");
	struct opts o = {0};
	const char *cmd;
	bool pass;
	int c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	argv++;
	argc--;
	/* exec, ctl, vtysh: options only before LAB, the command keeps its own */
	pass = !strcmp(cmd, "exec") || !strcmp(cmd, "ctl") || !strcmp(cmd, "vtysh");
	while ((c = getopt_long(argc, argv, pass ? "+hv" : "hv", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o.prefix = optarg;
			break;
		case 'l':
			o.lab = optarg;
			break;
		case 'j':
			o.json = optarg;
			break;
		case 'k':
			o.keep = true;
			break;
		case 'r':
			o.reuse = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (o.prefix && !topo_name_ok(o.prefix, TOPO_PREFIX_MAX)) {
		fprintf(stderr, "srlab: --prefix '%s': 1-%d characters of [A-Za-z0-9_-]\n",
			o.prefix, TOPO_PREFIX_MAX);
		return 2;
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc, argv, &o);
	if (!strcmp(cmd, "up"))
		return cmd_up(argc, argv, &o);
	if (!strcmp(cmd, "down"))
		return cmd_down(argc, argv, &o);
	if (!strcmp(cmd, "status")) {
		if (!lab_status(argc ? argv[0] : NULL))
			printf("srlab: no lab %s%sis up\n", argc ? argv[0] : "", argc ? " " : "");
		return 0;
	}
	if (!strcmp(cmd, "exec"))
		return cmd_exec(argc, argv, &o);
	if (!strcmp(cmd, "ctl"))
		return cmd_ctl(argc, argv, &o);
	if (!strcmp(cmd, "vtysh"))
		return cmd_vtysh(argc, argv, &o);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv, &o);
	fprintf(stderr, "srlab: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}

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
#include <unistd.h>

#include "lib/version.h"
#include "srlab/lab.h"
#include "srlab/run.h"
#include "srlab/scenario.h"
#include "srlab/topo.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: srlab check TOPO [SCENARIO]\n"
		"       srlab up TOPO [--prefix P]\n"
		"       srlab down TOPO | --lab NAME [--prefix P]\n"
		"       srlab status [LAB]\n"
		"       srlab exec LAB NODE CMD [ARG...]   (--prefix P before LAB if needed)\n"
		"       srlab run TOPO SCENARIO [--json REPORT] [--prefix P] [--keep]\n"
		"\n"
		"srlab builds a lab of network namespaces from a topology file (JSON):\n"
		"hosts, Linux kernel routers (seg6, seg6local) and srchain nodes running\n"
		"srchaind --live, joined by veth links with documentation addresses, and\n"
		"runs timed scenarios against it: srtraffic flows, configuration changes,\n"
		"commands, node stops, then assertions on flows and node counters.\n"
		"\n"
		"Commands:\n"
		"  check   check a topology (and a scenario) and print a summary; touches\n"
		"          nothing\n"
		"  up      create the namespaces <prefix>-<lab>-<node>, links, addresses,\n"
		"          sysctls and routes, start srchaind on srchain nodes, and wait\n"
		"          until each serves. Everything is recorded in the state\n"
		"          directory %s/<prefix>-<lab>/ first\n"
		"  down    remove exactly what the state directory records (processes,\n"
		"          namespaces), also after srlab or a daemon crashed\n"
		"  status  list the labs that are up, their namespaces and daemons\n"
		"  exec    run a command in a node's namespace\n"
		"  run     up, the scenario's steps, assertions, a summary and a JSON\n"
		"          report, down. Exit status 1 if an assertion or step failed\n"
		"\n"
		"Options:\n"
		"  --prefix P    namespace name prefix (default: the topology's \"prefix\",\n"
		"                else srlab), so that labs never collide\n"
		"  --lab NAME    (down) the lab by name instead of by topology file\n"
		"  --json FILE   (run) write the report as JSON\n"
		"  --keep        (run) leave the lab up after the run (srlab down later)\n"
		"  -v            (up, run) print each stage\n"
		"\n"
		"Environment: SRLAB_STATE (state base, default /run/srlab), SRLAB_SRCHAIND,\n"
		"SRLAB_SRTRAFFIC, SRLAB_SRCHAINCTL, SRLAB_SRLINK (programs; default: next to\n"
		"srlab, else PATH).\n"
		"\n"
		"Exit status: 0 success, 1 error or failed assertion, 2 usage error.\n",
		lab_state_base());
}

static const struct option long_opts[] = {
	{"prefix", required_argument, NULL, 'p'},
	{"lab", required_argument, NULL, 'l'},
	{"json", required_argument, NULL, 'j'},
	{"keep", no_argument, NULL, 'k'},
	{"help", no_argument, NULL, 'h'},
	{"verbose", no_argument, NULL, 'v'},
	{NULL, 0, NULL, 0},
};

struct opts {
	const char *prefix, *lab, *json;
	bool keep, verbose;
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

static int cmd_down(int argc, char **argv, const struct opts *o)
{
	char dir[LAB_PATH_MAX];
	int rc;

	if (o->lab && argc == 0) {
		rc = lab_find(o->lab, o->prefix, dir, sizeof(dir));
		if (rc == -EEXIST) {
			fprintf(stderr, "srlab: several labs are called %s: give --prefix\n",
				o->lab);
			return 1;
		}
		if (rc) {
			fprintf(stderr, "srlab: no lab %s is up (state base %s)\n", o->lab,
				lab_state_base());
			return 1;
		}
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
	if (lab_down_dir(dir, true)) {
		fprintf(stderr, "srlab: no lab recorded in %s\n", dir);
		return 1;
	}
	return 0;
}

static int cmd_exec(int argc, char **argv, const struct opts *o)
{
	char dir[LAB_PATH_MAX], ns[TOPO_NS_MAX + 1];
	const char *prefix = o->prefix;
	int rc;

	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	rc = lab_find(argv[0], o->prefix, dir, sizeof(dir));
	if (rc == -EEXIST) {
		fprintf(stderr, "srlab: several labs are called %s: give --prefix\n", argv[0]);
		return 1;
	}
	if (rc == 0 && !prefix) {
		/* the directory is <prefix>-<lab> */
		const char *base = strrchr(dir, '/') + 1;
		static char p[TOPO_PREFIX_MAX + 1];

		snprintf(p, sizeof(p), "%.*s", (int)(strlen(base) - strlen(argv[0]) - 1), base);
		prefix = p;
	}
	if (!prefix)
		prefix = "srlab";
	snprintf(ns, sizeof(ns), "%s-%s-%s", prefix, argv[0], argv[1]);
	rc = lab_exec(ns, argv + 2);
	return rc < 0 ? 1 : rc;
}

static int cmd_run(int argc, char **argv, const struct opts *o)
{
	static struct lab lab;
	struct scenario *sc = NULL;
	struct topo *t;
	char msg[1024];
	int rc;

	if (argc != 2) {
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
	rc = srlab_run_scenario(&lab, sc, o->json, o->keep);
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
	/* exec: options only before LAB, the command keeps its own */
	while ((c = getopt_long(argc, argv, !strcmp(cmd, "exec") ? "+hv" : "hv", long_opts,
				NULL)) != -1) {
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
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv, &o);
	fprintf(stderr, "srlab: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}

/* Bringing a lab up: the state directory and program paths, then every
 * object in order (lab_net.c, frr.c, lab_daemon.c). Every object is written
 * to the state file before it is created (after checking that it did not
 * exist), so a crash at any point leaves a record that covers at least what
 * exists; lab_state.c takes it down from that record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srlab/frr.h"
#include "srlab/lab.h"
#include "srlab/lab_int.h"
#include "srlab/proc.h"
#include "srlab/util.h"

#define OSPF_TIMEOUT_MS 60000

const char *lab_state_base(void)
{
	const char *e = getenv("SRLAB_STATE");

	return e && *e ? e : "/run/srlab";
}

void lab_find_prog(char *out, size_t cap, const char *name, const char *env)
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
	lab_find_prog(lab->srchaind, sizeof(lab->srchaind), "srchaind", "SRLAB_SRCHAIND");
	lab_find_prog(lab->srtraffic, sizeof(lab->srtraffic), "srtraffic", "SRLAB_SRTRAFFIC");
	lab_find_prog(lab->srchainctl, sizeof(lab->srchainctl), "srchainctl", "SRLAB_SRCHAINCTL");
	lab_find_prog(lab->srlink, sizeof(lab->srlink), "srlink", "SRLAB_SRLINK");
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

/* `srlab up -v`: a heading per stage; the commands themselves are traced by
 * proc.c. */
static void stage(const struct lab *lab, const char *what)
{
	if (lab->verbose)
		fprintf(stderr, "srlab: -- %s\n", what);
}

/* FRR convergence polls vtysh every 250 ms: not traced, only its result. */
static int wait_converged(struct lab *lab, char *msg, size_t cap)
{
	int rc;

	stage(lab, "waiting for OSPF to converge");
	proc_set_trace(NULL);
	rc = frr_wait_converged(lab, OSPF_TIMEOUT_MS, msg, cap);
	proc_set_trace(lab->verbose ? stderr : NULL);
	return rc;
}

static int up(struct lab *lab, char *msg, size_t cap);

int lab_up(struct lab *lab, char *msg, size_t cap)
{
	int rc;

	proc_set_trace(lab->verbose ? stderr : NULL);
	rc = up(lab, msg, cap);
	proc_set_trace(NULL);
	return rc;
}

static int up(struct lab *lab, char *msg, size_t cap)
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
	stage(lab, "state directory");
	if (lab->verbose)
		fprintf(stderr, "srlab: state in %s (every object is recorded there first)\n",
			lab->dir);
	rc = util_mkdirs(lab->dir);
	if (rc) {
		snprintf(msg, cap, "%s: %s", lab->dir, strerror(-rc));
		return rc;
	}
	if (lab_record(lab, "lab %s", t->lab) || lab_record(lab, "prefix %s", t->prefix) ||
	    lab_record(lab, "topo %s", t->path)) {
		snprintf(msg, cap, "%s: cannot write the state file", lab->dir);
		goto err;
	}
	lab_find_ctl(lab);
	stage(lab, "namespaces and links");
	if (lab_make_namespaces(lab, msg, cap) || lab_make_links(lab, msg, cap))
		goto err;
	stage(lab, "addresses, sysctls, offloads");
	for (int i = 0; i < t->n_node; i++)
		if (lab_configure_node(lab, i, msg, cap))
			goto err;
	for (int l = 0; l < t->n_link; l++)
		if (t->link[l].emu.on && lab_start_emu_link(lab, l, msg, cap))
			goto err;
	stage(lab, "routes");
	for (int i = 0; i < t->n_node; i++)
		if (lab_add_routes(lab, i, msg, cap))
			goto err;
	stage(lab, "neighbours");
	lab_prime_neighbours(lab, false);
	/* FRR before srchaind, converged: srchaind checks its node SIDs against
	 * the kernel's routes at start, and mirrors later changes */
	if (frr_in_topo(t))
		stage(lab, "FRR");
	for (int i = 0; i < t->n_node; i++)
		if (t->node[i].frr.on && frr_start(lab, i, msg, cap))
			goto err;
	if (frr_in_topo(t) && wait_converged(lab, msg, cap))
		goto err;
	stage(lab, "srchaind on the srchain nodes");
	for (int i = 0; i < t->n_node; i++) {
		struct lab_daemon *d = &lab->d[i];

		if (t->node[i].role != TOPO_SRCHAIN)
			continue;
		for (int k = 0; k < t->node[i].config.n; k++)
			if (lab_lines_insert(d, d->n_lines, t->node[i].config.line[k])) {
				snprintf(msg, cap, "out of memory");
				goto err;
			}
		if (lab_daemon_start(lab, i, msg, cap))
			goto err;
	}
	lab_prime_neighbours(lab, true);
	/* the adjacencies survive srchaind taking the interfaces over */
	if (frr_in_topo(t) && wait_converged(lab, msg, cap))
		goto err;
	lab_record(lab, "ready");
	return 0;
err:
	lab_down_dir(lab->dir, false);
	return -1;
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

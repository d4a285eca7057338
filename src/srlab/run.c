/* Scenario runner: steps in file order, each not before its "at" (seconds
 * after the start); sinks on every flow's destination node, started before
 * the first step; results from srtraffic's JSON reports and srchaind's last
 * statistics line. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lib/json.h"
#include "srlab/proc.h"
#include "srlab/run.h"
#include "srlab/run_int.h"

#define SENDER_GRACE_S 30.0

static volatile sig_atomic_t stop_req;

static void on_signal(int sig)
{
	(void)sig;
	stop_req = 1;
}

/* Sleeps until t (monotonic seconds) unless a stop is requested. */
static void sleep_until(double t)
{
	while (!stop_req) {
		double left = t - proc_now();

		if (left <= 0)
			return;
		proc_sleep_ms(left > 0.1 ? 100 : (int)(left * 1000) + 1);
	}
}

/* Waits for every running sender; one that overstays is stopped. */
static void wait_senders(struct run *r)
{
	for (int i = 0; i < r->sc->n_flow; i++) {
		struct sc_flow *f = &r->sc->flow[i];
		double deadline = f->started_at + srlab_run_flow_length(f) + SENDER_GRACE_S;
		int st;

		while (f->pid > 0) {
			pid_t w = waitpid(f->pid, &st, WNOHANG);

			if (w == f->pid) {
				f->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
				f->pid = 0;
				break;
			}
			if (stop_req || proc_now() > deadline) {
				proc_stop(f->pid, SIGTERM, 2000);
				f->exit_status = -1;
				f->pid = 0;
				break;
			}
			proc_sleep_ms(20);
		}
	}
}

static void run_exec(struct run *r, struct sc_step *st)
{
	const struct topo_node *n = &r->lab->t->node[st->node];
	char out[400];
	int rc =
		proc_run((const char *[]){"ip", "netns", "exec", n->ns, "sh", "-c", st->text, NULL},
			 out, sizeof(out), NULL, 0);
	size_t l = strlen(out);

	while (l && (out[l - 1] == '\n' || out[l - 1] == ' '))
		out[--l] = 0;
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = ' ';
	st->ok = st->expect_any || rc == st->expect;
	snprintf(st->detail, sizeof(st->detail), "%s: exit %d%s%s%s", n->name, rc,
		 st->ok ? "" : " (expected ", st->ok ? "" : "0", st->ok ? "" : ")");
	if (!st->ok && st->expect)
		snprintf(st->detail, sizeof(st->detail), "%s: exit %d (expected %d)", n->name, rc,
			 st->expect);
	if (out[0])
		snprintf(st->detail + strlen(st->detail), sizeof(st->detail) - strlen(st->detail),
			 ": %s", out);
}

static void run_step(struct run *r, struct sc_step *st)
{
	struct lab *lab = r->lab;

	st->ok = true;
	switch (st->op) {
	case SC_START_FLOW:
		st->ok = !srlab_run_start_flow(r, &r->sc->flow[st->flow], st->detail,
					       sizeof(st->detail));
		break;
	case SC_CONFIG_ADD:
	case SC_CONFIG_REMOVE:
		st->ok = !lab_config_change(lab, st->node, st->text, st->op == SC_CONFIG_ADD,
					    st->detail, sizeof(st->detail));
		if (st->ok)
			snprintf(st->detail, sizeof(st->detail), "%s: %s",
				 lab->t->node[st->node].name, st->text);
		break;
	case SC_EXEC:
		run_exec(r, st);
		break;
	case SC_STOP_NODE:
		lab_daemon_stop(lab, st->node);
		/* a daemon started again counts from zero */
		json_free(r->base[st->node]);
		r->base[st->node] = NULL;
		snprintf(st->detail, sizeof(st->detail), "%s: srchaind stopped",
			 lab->t->node[st->node].name);
		break;
	case SC_START_NODE:
		if (lab->d[st->node].pid) {
			snprintf(st->detail, sizeof(st->detail), "%s: srchaind is running",
				 lab->t->node[st->node].name);
			st->ok = false;
			break;
		}
		st->ok = !lab_daemon_start(lab, st->node, st->detail, sizeof(st->detail));
		if (st->ok)
			snprintf(st->detail, sizeof(st->detail), "%s: srchaind started",
				 lab->t->node[st->node].name);
		break;
	case SC_WAIT:
		wait_senders(r);
		snprintf(st->detail, sizeof(st->detail), "every flow started so far has ended");
		break;
	default:
		break;
	}
	st->done = true;
	st->t = proc_now() - r->t0;
	if (!st->ok)
		r->failed_steps++;
	if (lab->verbose || !st->ok)
		fprintf(stderr, "srlab: %7.3f s  %-13s %s%s\n", st->t, sc_op_name(st->op),
			st->ok ? "" : "FAILED: ", st->detail);
}

/* The statistics of node n's daemon at this moment: on a lab that stays up
 * the daemon keeps running, so its next line (every stats_interval) is
 * awaited; else the daemon is stopped and its last line read. */
static struct json_doc *final_stats(struct run *r, int n)
{
	struct lab_daemon *d = &r->lab->d[n];
	struct stat sb;
	off_t size;

	if (!r->reuse || !d->pid || !proc_alive(d->pid)) {
		lab_daemon_stop(r->lab, n);
		return srlab_run_load_last_stats(d->out);
	}
	size = stat(d->out, &sb) ? 0 : sb.st_size;
	for (int waited = 0; waited < 2000 * r->lab->stats_interval + 1000; waited += 50) {
		if (stat(d->out, &sb) == 0 && sb.st_size > size) {
			proc_sleep_ms(50); /* the rest of the line */
			break;
		}
		proc_sleep_ms(50);
	}
	return srlab_run_load_last_stats(d->out);
}

int srlab_run_scenario(struct lab *lab, struct scenario *sc, const char *json_path, bool keep,
		       bool reuse)
{
	static struct run r;
	struct sigaction sa = {.sa_handler = on_signal};
	char msg[1024];
	int rc = 1;

	memset(&r, 0, sizeof(r));
	r.lab = lab;
	r.sc = sc;
	r.reuse = reuse;
	/* no SA_RESTART: a signal ends the sleeps, then the run tears down */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (reuse ? lab_attach(lab, msg, sizeof(msg)) : lab_up(lab, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		return 1;
	}
	if (lab->verbose)
		fprintf(stderr, "srlab: lab %s %s, state in %s\n", lab->t->lab,
			reuse ? "is up: running on it" : "up", lab->dir);
	for (int n = 0; reuse && n < lab->t->n_node; n++)
		if (lab->t->node[n].role == TOPO_SRCHAIN && lab->d[n].pid)
			r.base[n] = srlab_run_load_last_stats(lab->d[n].out);
	if (srlab_run_start_sinks(&r, msg, sizeof(msg))) {
		fprintf(stderr, "srlab: %s\n", msg);
		goto out;
	}
	r.t0 = proc_now();
	for (int i = 0; i < sc->n_step && !stop_req; i++) {
		struct sc_step *st = &sc->step[i];

		if (st->op == SC_ASSERT)
			continue;
		sleep_until(r.t0 + st->at);
		if (stop_req)
			break;
		run_step(&r, st);
	}
	wait_senders(&r);
	if (!stop_req)
		sleep_until(proc_now() + sc->settle);
	for (int k = 0; k < r.n_sink; k++) {
		proc_stop(r.sink[k].pid, SIGTERM, 3000);
		r.sink[k].doc = srlab_run_load_json(r.sink[k].report);
	}
	for (int n = 0; n < lab->t->n_node; n++) {
		if (lab->t->node[n].role != TOPO_SRCHAIN)
			continue;
		r.stats[n] = final_stats(&r, n);
	}
	if (stop_req) {
		fprintf(stderr, "srlab: interrupted, taking the lab down\n");
		goto out;
	}
	for (int i = 0; i < sc->n_flow; i++)
		srlab_run_collect_flow(&r, &sc->flow[i]);
	srlab_run_evaluate(&r);
	srlab_run_print_summary(&r);
	if (json_path && srlab_run_write_report(&r, json_path))
		goto out;
	rc = r.failed_checks || r.failed_steps ? 1 : 0;
out:
	if (reuse) {
		if (lab->verbose)
			fprintf(stderr, "srlab: lab %s stays up\n", lab->t->lab);
	} else if (keep && !stop_req) {
		fprintf(stderr, "srlab: lab %s left up (daemons stopped): srlab down --lab %s\n",
			lab->t->lab, lab->t->lab);
	} else {
		lab_down_dir(lab->dir, lab->verbose);
	}
	for (int k = 0; k < r.n_sink; k++)
		json_free(r.sink[k].doc);
	for (int n = 0; n < TOPO_NODES_MAX; n++) {
		json_free(r.stats[n]);
		json_free(r.base[n]);
	}
	for (int n = 0; n < lab->t->n_node; n++) {
		for (int k = 0; k < lab->d[n].n_lines; k++)
			free(lab->d[n].lines[k]);
		free(lab->d[n].lines);
	}
	return rc;
}

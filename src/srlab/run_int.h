/* Between the files of the scenario runner (run.c: steps; run_flow.c:
 * sinks, senders and flow results; run_check.c: assertions; run_report.c:
 * summary and JSON report): not for the rest of srlab, which uses
 * srlab/run.h. */
#ifndef SRCHAIN_SRLAB_RUN_INT_H
#define SRCHAIN_SRLAB_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "srlab/lab.h"
#include "srlab/scenario.h"

struct json_doc;
struct json_val;

struct sink {
	int node;
	pid_t pid;
	char report[4200];
	struct json_doc *doc;
};

struct run {
	struct lab *lab;
	struct scenario *sc;
	double t0;
	int n_sink;
	struct sink sink[TOPO_NODES_MAX];
	struct json_doc *stats[TOPO_NODES_MAX]; /* last srchaind statistics per node */
	/* on a reused lab: each daemon's statistics at the run's start, so that
	 * node counters count the run only (NULL once the daemon restarted) */
	struct json_doc *base[TOPO_NODES_MAX];
	bool reuse;
	int failed_steps, failed_checks, n_checks;
};

/* Seconds a flow sends for (its duration, or count at its rate). */
double srlab_run_flow_length(const struct sc_flow *f);
/* Starts a sink on every flow's destination node and waits until each is
 * ready: 0 or -1 (msg). */
int srlab_run_start_sinks(struct run *r, char *msg, size_t cap);
/* Starts flow f's sender: 0 or -1; detail says what started or why not. */
int srlab_run_start_flow(struct run *r, struct sc_flow *f, char *detail, size_t cap);
/* A JSON file parsed, or NULL if it cannot be read or parsed. */
struct json_doc *srlab_run_load_json(const char *path);
/* Fills flow f's results from its sender's report and its sink's. */
void srlab_run_collect_flow(struct run *r, struct sc_flow *f);

/* The last complete JSON line of a daemon's statistics output, or NULL. */
struct json_doc *srlab_run_load_last_stats(const char *path);
/* An unsigned JSON number, 0 if absent or not one. */
uint64_t srlab_run_u64_of(const struct json_val *v);
/* Checks every assertion step against the collected results. */
void srlab_run_evaluate(struct run *r);

/* Prints the run's summary on stdout. */
void srlab_run_print_summary(const struct run *r);
/* Writes the JSON report to path ("-": stdout): 0 or a negative errno. */
int srlab_run_write_report(const struct run *r, const char *path);

#endif

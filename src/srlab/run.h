/* `srlab run`: brings a lab up, runs a scenario's steps against it, collects
 * the srtraffic reports and node counters, checks the assertions, prints a
 * summary, writes a JSON report and takes the lab down. */
#ifndef SRCHAIN_SRLAB_RUN_H
#define SRCHAIN_SRLAB_RUN_H

#include <stdbool.h>

#include "srlab/lab.h"
#include "srlab/scenario.h"

/* Runs sc on lab: brought up for the run and taken down after it (unless
 * keep), or with reuse the lab that `srlab up` left up, whose daemons keep
 * running and stay up. Returns the exit status: 0 all steps and assertions
 * passed, 1 otherwise. */
int srlab_run_scenario(struct lab *lab, struct scenario *sc, const char *json_path, bool keep,
		       bool reuse);

#endif

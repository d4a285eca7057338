/* Scenario file of srlab (doc/srlab.md): timed steps (flows, configuration
 * changes, commands, node stops and starts, waits) and assertions on flows
 * and node counters. Checked against the topology before the lab is built. */
#ifndef SRCHAIN_SRLAB_SCENARIO_H
#define SRCHAIN_SRLAB_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/json.h"
#include "srlab/topo.h"

#define SC_STEPS_MAX  1024
#define SC_FLOWS_MAX  256
#define SC_CHECKS_MAX 16
#define SC_NAME_MAX   32

enum sc_op {
	SC_START_FLOW,
	SC_CONFIG_ADD,
	SC_CONFIG_REMOVE,
	SC_EXEC,
	SC_STOP_NODE,
	SC_START_NODE,
	SC_WAIT,
	SC_ASSERT,
	SC_OP_MAX,
};

enum sc_cmp { SC_EQ, SC_NE, SC_LT, SC_LE, SC_GT, SC_GE, SC_CMP_MAX };

/* One comparison of an assertion: "lost": 0, "received": ">= 100". */
struct sc_check {
	char field[32];
	enum sc_cmp cmp;
	double value;
	char text[48]; /* as written, for the summary */
};

struct sc_flow {
	char name[SC_NAME_MAX + 1];
	int from, to; /* node indices */
	char dst[48];
	bool tcp;
	int dport, size, flows;
	double rate, duration; /* duration 0: by count */
	int64_t count;
	uint32_t flow_id; /* of its first srtraffic flow */
	/* while running */
	pid_t pid;
	double started_at;
	char report[4200];
	/* results */
	bool have_send, have_recv;
	int exit_status;
	uint64_t sent, errors, received, unique, lost, duplicates, reordered;
	double lat_median, lat_p99, lat_max; /* us, -1 if none */
	bool connected;
};

struct sc_step {
	enum sc_op op;
	double at;
	int line, col;
	int node, flow;	 /* -1 if none */
	char *text;	 /* config line, exec command (sh -c), counter name */
	bool expect_any; /* exec: any exit status */
	int expect;	 /* exec: expected exit status */
	int n_check;
	struct sc_check check[SC_CHECKS_MAX];
	/* results */
	bool done, ok;
	double t; /* seconds after the scenario start */
	char detail[600];
};

struct scenario {
	char path[4096];
	double settle; /* seconds between the last sender and stopping the sinks */
	int n_step, n_flow;
	struct sc_step step[SC_STEPS_MAX];
	struct sc_flow flow[SC_FLOWS_MAX];
};

/* Reads and checks path against topology t: 0, or a negative errno with
 * "FILE:LINE:COL: field '...': ..." in msg. */
int sc_load(const char *path, const struct topo *t, struct scenario **out, char *msg, size_t cap);
/* Releases a scenario. */
void sc_free(struct scenario *sc);

/* Name of an operation as the file writes it ("start_flow"). */
const char *sc_op_name(enum sc_op op);
/* "==", "!=", "<", "<=", ">", ">=". */
const char *sc_cmp_name(enum sc_cmp c);
/* True if v compares as c says with the check's value. */
bool sc_cmp_holds(const struct sc_check *c, double v);

#endif

/* A running lab: namespaces, veths, addresses, routes and srchaind daemons
 * made from a topology, and the state directory that records each of them
 * before it is created, so that `srlab down` removes exactly what `srlab up`
 * made, also after srlab or a daemon crashed.
 *
 * State directory: <base>/<prefix>-<lab>/ (base /run/srlab, or $SRLAB_STATE)
 *	state		"lab L", "prefix P", "topo PATH", "netns NS",
 *			"pid PID STARTTIME WHAT", "ready": one record a line
 *	NODE.conf	srchaind configuration of a srchain node
 *	NODE.out/.err	its statistics (JSON, one object a line) and log
 *	NODE.pid	its pidfile
 *	link-lN.json/.err/.ready  srlink of emulated link N: its counters (at
 *			exit), log and ready file
 */
#ifndef SRCHAIN_SRLAB_LAB_H
#define SRCHAIN_SRLAB_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "srlab/topo.h"

#define LAB_PATH_MAX 4096
#define LAB_DIR_MAX  1024

/* The srchaind of one srchain node. */
struct lab_daemon {
	pid_t pid;   /* 0 when not running */
	int n_lines; /* current configuration lines */
	char **lines;
	char conf[LAB_PATH_MAX], out[LAB_PATH_MAX], err[LAB_PATH_MAX];
	char pidfile[LAB_PATH_MAX], ctl[LAB_PATH_MAX];
};

struct lab {
	struct topo *t;
	char dir[LAB_DIR_MAX]; /* state directory */
	char srchaind[LAB_PATH_MAX], srtraffic[LAB_PATH_MAX], srchainctl[LAB_PATH_MAX];
	char srlink[LAB_PATH_MAX];
	bool has_ctl_opt; /* srchaind has --ctl */
	bool use_ctl;	  /* ... and srchainctl exists: config changes go through it */
	int stats_interval;
	bool verbose;
	struct lab_daemon d[TOPO_NODES_MAX];
};

/* Base directory of all labs' state: $SRLAB_STATE or /run/srlab. */
const char *lab_state_base(void);

/* Prepares lab for topology t: state directory name and program paths
 * (next to srlab's own executable, else $PATH; $SRLAB_SRCHAIND,
 * $SRLAB_SRTRAFFIC, $SRLAB_SRCHAINCTL override). Creates nothing. */
void lab_init(struct lab *lab, struct topo *t);

/* Creates the lab and starts its daemons; on error removes what it made and
 * fills msg. 0 or a negative errno. */
int lab_up(struct lab *lab, char *msg, size_t cap);

/* Removes everything recorded in state directory dir (processes, then
 * namespaces, then the directory). Prints what it does if verbose.
 * 0, or -ENOENT if dir holds no lab. */
int lab_down_dir(const char *dir, bool verbose);

/* Finds the state directory of lab name (prefix NULL: any, if only one
 * matches) into dir: 0, -ENOENT or -EEXIST (several: give the prefix). */
int lab_find(const char *name, const char *prefix, char *dir, size_t cap);

/* The prefixes under which a lab called name is up, ", "-separated into
 * out: how many. */
int lab_prefixes_of(const char *name, char *out, size_t cap);

/* The namespace of node in the lab recorded in dir: 0, or -ENOENT with the
 * lab's nodes (and emulated links, l<N>) listed in nodes. */
int lab_node_ns(const char *dir, const char *node, char *ns, size_t cap, char *nodes, size_t ncap);

/* Takes over lab (from lab_init) as `srlab up` left it, for a scenario run:
 * checks that it is up from the same topology, finds its daemons and their
 * configuration lines. 0, or a negative errno (msg). */
int lab_attach(struct lab *lab, char *msg, size_t cap);

/* A program next to srlab's own executable, else the bare name (PATH);
 * a non-empty environment variable env overrides. */
void lab_find_prog(char *out, size_t cap, const char *name, const char *env);

/* Records a background process in the state file. */
void lab_record_pid(struct lab *lab, pid_t pid, const char *what);

/* Prints the labs under the state base (name NULL: all). Returns how many. */
int lab_status(const char *name);

/* Starts srchaind on node i and waits until it serves: 0 or -1 (msg). */
int lab_daemon_start(struct lab *lab, int i, char *msg, size_t cap);
/* Stops srchaind on node i (SIGTERM; its exit statistics go to NODE.out). */
void lab_daemon_stop(struct lab *lab, int i);
/* Adds (add) or removes a configuration line of a running srchain node and
 * applies it (control socket, else rewrite + SIGHUP): 0 or -1 (msg). */
int lab_config_change(struct lab *lab, int i, const char *line, bool add, char *msg, size_t cap);

/* Replaces srlab by `ip netns exec NS argv...`; returns only on failure. */
int lab_exec(const char *ns, char *const argv[]);

#endif

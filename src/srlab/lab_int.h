/* Between the files of the lab module (lab.c, lab_net.c, lab_daemon.c,
 * lab_state.c): not for the rest of srlab, which uses srlab/lab.h. */
#ifndef SRCHAIN_SRLAB_LAB_INT_H
#define SRCHAIN_SRLAB_LAB_INT_H

#include <stdbool.h>
#include <stddef.h>

struct lab;
struct lab_daemon;

/* How long srchaind and srlink get to serve after their start. */
#define READY_TIMEOUT_MS 10000

/* Appends one record to the state file and syncs it: 0 or a negative errno. */
int lab_record(const struct lab *lab, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Creates the namespace of every node and emulated link, with its sysctls. */
int lab_make_namespaces(struct lab *lab, char *msg, size_t cap);
/* Creates the veth pairs of every link (two per emulated link). */
int lab_make_links(struct lab *lab, char *msg, size_t cap);
/* Addresses, sysctls, offloads and link state of node i's interfaces. */
int lab_configure_node(struct lab *lab, int i, char *msg, size_t cap);
/* Brings emulated link l's veths up and starts its srlink: 0 or -1 (msg). */
int lab_start_emu_link(struct lab *lab, int l, char *msg, size_t cap);
/* Node i's routes and `ip` commands of the topology. */
int lab_add_routes(struct lab *lab, int i, char *msg, size_t cap);
/* Resolves the neighbours of every link (see lab_net.c). */
void lab_prime_neighbours(struct lab *lab, bool after_daemons);

/* Sets lab->has_ctl_opt and lab->use_ctl from srchaind --help. */
void lab_find_ctl(struct lab *lab);
/* Inserts a configuration line of a node at position at: 0 or -ENOMEM. */
int lab_lines_insert(struct lab_daemon *d, int at, const char *line);
/* The last lines of a log into out, for an error message. */
void lab_log_tail(const char *path, char *out, size_t cap);

#endif

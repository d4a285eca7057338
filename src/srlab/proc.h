/* Processes and namespaces for srlab: running `ip` and other tools, starting
 * background programs inside a namespace, writing sysctls and turning off
 * offloads from inside a namespace, and recognising a process again by its
 * start time (so that a recycled PID is never signalled). */
#ifndef SRCHAIN_SRLAB_PROC_H
#define SRCHAIN_SRLAB_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define PROC_ARGS_MAX 128

/* Where proc_run, proc_spawn, ns_sysctl and ns_offloads_off print what they
 * are about to do, shell-like ("+ ip netns add ..."), or NULL (default):
 * `srlab up -v`. */
void proc_set_trace(FILE *f);

/* Runs argv (PATH lookup) and waits; its stderr (and stdout unless out is
 * given) is captured into errbuf. With out, stdout is captured there. Returns
 * the exit status (0-255), or -1 if it could not run or died by a signal. */
int proc_run(const char *const argv[], char *out, size_t out_cap, char *errbuf, size_t err_cap);

/* Starts argv in the background inside namespace ns (NULL: here), in its own
 * session, stdin from /dev/null, stdout and stderr appended to the files
 * given (NULL: /dev/null). Returns the PID or -1 (errno set). */
pid_t proc_spawn(const char *ns, const char *const argv[], const char *out, const char *err);

/* Start time of pid in clock ticks since boot (/proc/PID/stat field 22), or
 * 0 if there is no such process. */
uint64_t proc_start_time(pid_t pid);

/* True while pid is alive (a zombie child is reaped and counts as gone). */
bool proc_alive(pid_t pid);

/* Sends sig, then waits up to wait_ms for the process to go, then SIGKILL.
 * Reaps it if it is our child. Returns its wait status if reaped, else -1. */
int proc_stop(pid_t pid, int sig, int wait_ms);

/* Writes value to /proc/sys/<key with dots as slashes> inside namespace ns:
 * 0 or a negative errno. */
int ns_sysctl(const char *ns, const char *key, const char *value);

/* Turns off TSO, GSO, GRO and transmit checksum offload on interface ifname
 * inside ns (the SIOCETHTOOL legacy feature commands, no ethtool binary
 * needed): 0 or a negative errno. */
int ns_offloads_off(const char *ns, const char *ifname);

/* True if the named network namespace exists (/run/netns/NAME). */
bool ns_exists(const char *ns);

/* Monotonic time in seconds. */
double proc_now(void);

/* Sleeps ms milliseconds (returns early on a signal). */
void proc_sleep_ms(int ms);

#endif

/* Deadline-bounded waits for the control socket's server and clients. */
#ifndef SRCHAIN_LIB_FDWAIT_H
#define SRCHAIN_LIB_FDWAIT_H

#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds. */
int64_t mono_ms(void);
/* Waits until fd is ready for events (POLLIN/POLLOUT) or the monotonic
 * deadline (ms) passes: 0, -ETIMEDOUT or a negative errno. */
int fd_wait(int fd, short events, int64_t deadline_ms);

#endif

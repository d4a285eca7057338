/* Error text carried back to the place that reports it (once). */
#ifndef SRCHAIN_LIB_ERR_H
#define SRCHAIN_LIB_ERR_H

#include <stddef.h>

struct err {
	char msg[512];
};

/* Formats msg into err (if err is non-NULL) and returns -code (a negative
 * errno), so callers can write `return err_set(err, EINVAL, "...")`. */
int err_set(struct err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefixes the current message with more context ("file:12: " + msg). */
void err_prefix(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

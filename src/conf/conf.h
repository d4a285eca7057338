/* Node configuration: a line-oriented text file (see doc/srchaind.conf.md)
 * applied to a table set under construction. Errors name the file, the
 * line and the field; the caller discards the set, so a bad file applies
 * nothing. */
#ifndef SRCHAIN_CONF_CONF_H
#define SRCHAIN_CONF_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct dp_tables;

#define CONF_LINE_MAX 4096
#define CONF_ARGS_MAX 96

/* Applies every statement of text (len bytes, need not be NUL-terminated)
 * to t, then resolves what needs the whole file (node SIDs follow routes). */
int conf_apply(struct dp_tables *t, const char *text, size_t len, const char *fname,
	       struct err *err);

/* Reads path and returns a finished table set for n_workers, or NULL with
 * err set. */
struct dp_tables *conf_load(const char *path, uint32_t n_workers, struct err *err);

#endif

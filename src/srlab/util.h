/* Small helpers of srlab: a growing string buffer, whole-file writes (reads:
 * lib/file.h), and the FILE:LINE:COL form of a JSON error. */
#ifndef SRCHAIN_SRLAB_UTIL_H
#define SRCHAIN_SRLAB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/file.h"

struct json_err;

/* A NUL-terminated string that grows (an open_memstream()); oom is sticky. */
struct sbuf {
	FILE *f;
	char *s;
	size_t len;
	bool oom;
};

/* Starts an empty buffer. */
void sbuf_init(struct sbuf *b);
/* Appends n bytes of s. */
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void sbuf_add(struct sbuf *b, const char *s);
/* Appends printf-formatted text. */
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (malloc'd; never NULL unless oom). */
char *sbuf_take(struct sbuf *b);
/* Releases the buffer. */
void sbuf_free(struct sbuf *b);

/* Writes text to path through a temporary file and rename(), so that a
 * reader never sees half a file: 0 or a negative errno. */
int util_write_file(const char *path, const char *text);
/* "FILE:LINE:COL: MESSAGE" (or "FILE: MESSAGE" without a position). */
void util_fmt_json_err(char *msg, size_t cap, const char *path, const struct json_err *err);
/* Creates a directory and its parents (mode 0755): 0 or a negative errno. */
int util_mkdirs(const char *path);

#endif

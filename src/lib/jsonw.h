/* Streaming JSON writer (RFC 8259) to a FILE*.
 *
 * The writer tracks nesting so that commas, colons and (optionally) indentation
 * come out right; the caller only says what comes next. Misuse (a value in an
 * object without a key, a key in an array, unbalanced close, nesting deeper than
 * JSONW_MAX_DEPTH) and stream errors are sticky: later calls do nothing and
 * jsonw_finish() returns the first error. Strings are escaped and invalid UTF-8
 * is replaced by U+FFFD, so the output is always valid JSON; NaN and infinities
 * have no JSON form and are written as null.
 */
#ifndef SRCHAIN_JSONW_H
#define SRCHAIN_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 32

struct jsonw {
	FILE *f;
	int err;       /* first error: 0, -EINVAL (misuse) or -EIO (stream) */
	bool pretty;   /* newline and two-space indentation per level */
	bool have_key; /* inside an object, a key waits for its value */
	bool done;     /* the top-level value is complete */
	unsigned depth;
	char kind[JSONW_MAX_DEPTH];	   /* '{' or '[' per open level */
	bool has_members[JSONW_MAX_DEPTH]; /* a comma is due before the next member */
};

/* Starts a document on f; pretty adds newlines and indentation. */
void jsonw_init(struct jsonw *w, FILE *f, bool pretty);

/* Opens an object ('{'). */
void jsonw_obj_open(struct jsonw *w);
/* Closes the innermost object. */
void jsonw_obj_close(struct jsonw *w);
/* Opens an array ('['). */
void jsonw_arr_open(struct jsonw *w);
/* Closes the innermost array. */
void jsonw_arr_close(struct jsonw *w);

/* Writes an object member name; the next call writes its value. */
void jsonw_key(struct jsonw *w, const char *key);

/* Writes a NUL-terminated string value (NULL writes null). */
void jsonw_str(struct jsonw *w, const char *s);
/* Writes a string value of n bytes (may contain NUL, written as \u0000). */
void jsonw_strn(struct jsonw *w, const char *s, size_t n);
/* Writes a signed integer value. */
void jsonw_int(struct jsonw *w, int64_t v);
/* Writes an unsigned integer value. */
void jsonw_uint(struct jsonw *w, uint64_t v);
/* Writes a number with up to 15 significant digits; NaN/Inf become null. */
void jsonw_double(struct jsonw *w, double v);
/* Writes true or false. */
void jsonw_bool(struct jsonw *w, bool v);
/* Writes null. */
void jsonw_null(struct jsonw *w);

/* Key and value in one call, for the common object member. */
void jsonw_kv_str(struct jsonw *w, const char *key, const char *s);
/* Key and signed integer value. */
void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v);
/* Key and unsigned integer value. */
void jsonw_kv_uint(struct jsonw *w, const char *key, uint64_t v);
/* Key and number value. */
void jsonw_kv_double(struct jsonw *w, const char *key, double v);
/* Key and boolean value. */
void jsonw_kv_bool(struct jsonw *w, const char *key, bool v);

/* Ends the document with a newline and flushes; 0, -EINVAL if the document is
 * incomplete or was misused, -EIO if writing failed. */
int jsonw_finish(struct jsonw *w);

#endif

/* JSON reader (RFC 8259) for topology, scenario and API input.
 *
 * json_parse() (lib/json_parse.h) reads through jansson, strictly (no
 * comments, trailing commas, duplicate keys, NaN, invalid UTF-8 or NUL in
 * strings) and bounded (struct json_limits). The result is a read-only tree
 * released by json_free(). Every value knows its line and column, and the
 * schema helpers below turn a mismatch into an error an operator can act on:
 *
 *	topo.json:12:5: field 'nodes[2].links': expected array, got object
 *
 * Integers are numbers written without fraction or exponent, within int64_t
 * (jansson refuses larger ones); other numbers are doubles.
 */
#ifndef SRCHAIN_LIB_JSON_H
#define SRCHAIN_LIB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
	JSON_TYPE_MAX,
};

#include "lib/json_parse.h"

struct json_val;
struct jsonw;

/* One step of the path from the root to a value, linked on the caller's
 * stack as it descends; a NULL path is the root:
 *
 *	struct json_path p_nodes = JSON_PATH_KEY(NULL, "nodes");
 *	struct json_path p_node = JSON_PATH_IDX(&p_nodes, i);	// "nodes[2]"
 */
struct json_path {
	const struct json_path *up;
	const char *key; /* member name, or NULL for an array index */
	size_t idx;
};

#define JSON_PATH_KEY(parent, k) ((struct json_path){.up = (parent), .key = (k)})
#define JSON_PATH_IDX(parent, i) ((struct json_path){.up = (parent), .idx = (i)})

/* The top-level value of a document. */
const struct json_val *json_root(const struct json_doc *doc);

/* Type of v; a NULL v (absent member, index out of range) reads as JSON_NULL. */
enum json_type json_type(const struct json_val *v);
/* "null", "boolean", "number", "string", "array" or "object". */
const char *json_type_name(enum json_type t);
/* Source line of v's first character (0 for NULL). */
int json_line(const struct json_val *v);
/* Source column of v's first character (0 for NULL). */
int json_col(const struct json_val *v);

/* Reads a boolean: 0 or -EINVAL (not a boolean). */
int json_bool(const struct json_val *v, bool *out);
/* Reads any number as a double: 0 or -EINVAL (not a number). */
int json_num(const struct json_val *v, double *out);
/* Reads an integer: 0 or -EINVAL (not a number, or has a fraction or
 * exponent). */
int json_int(const struct json_val *v, int64_t *out);
/* Reads a non-negative integer (counters): 0, -EINVAL (not a number, or has
 * a fraction or exponent), -ERANGE (negative). */
int json_uint(const struct json_val *v, uint64_t *out);
/* True when v is a number that json_int() reads exactly. */
bool json_num_is_int(const struct json_val *v);
/* String bytes, NUL-terminated, valid UTF-8 without NUL; NULL if not a string. */
const char *json_str(const struct json_val *v);
/* Length in bytes of a string value (0 if not a string). */
size_t json_str_len(const struct json_val *v);

/* Number of elements of an array (0 if not an array). */
size_t json_arr_len(const struct json_val *arr);
/* Element i of an array, or NULL. */
const struct json_val *json_arr_at(const struct json_val *arr, size_t i);

/* Number of members of an object (0 if not an object). */
size_t json_obj_len(const struct json_val *obj);
/* Name of member i (document order), or NULL. */
const char *json_obj_key(const struct json_val *obj, size_t i);
/* Value of member i (document order), or NULL. */
const struct json_val *json_obj_val(const struct json_val *obj, size_t i);
/* Value of the member named key, or NULL (also when obj is not an object). */
const struct json_val *json_obj_get(const struct json_val *obj, const char *key);

/* Writes v through w (lib/jsonw.h): strings and integers exactly, other
 * numbers as jsonw_double() does. Errors are w's, seen by jsonw_finish(). */
void json_emit(struct jsonw *w, const struct json_val *v);

/* Schema helpers. Each reports through err with the value's position and a
 * message led by its path ("field 'nodes[2].mtu': ..."), and returns 0 or a
 * negative errno. json_get_*() read member key of obj (path at); an absent
 * optional member leaves *out untouched (preset the default) and returns 0. */
enum { JSON_OPTIONAL = 0, JSON_REQUIRED = 1 };

/* Writes the path as "nodes[2].links" ("" for the root); returns its length. */
size_t json_path_fmt(const struct json_path *at, char *buf, size_t cap);
/* Fills err at v's position with "field '<at>': " (if at) and the message. */
void json_err_at(struct json_err *err, const struct json_val *v, const struct json_path *at,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* json_err_at() that returns -EINVAL, so schema checks can end with
 * `return json_fail(...)`. */
int json_fail(struct json_err *err, const struct json_val *v, const struct json_path *at,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Checks that v has type t ("expected array, got object"): 0 or -EINVAL. */
int json_expect(const struct json_val *v, const struct json_path *at, enum json_type t,
		struct json_err *err);
/* Checks that obj is an object whose keys are all in the NULL-terminated list
 * allowed (up to 256 names); else reports the first other key at its position (unknown field
 * "lnks" in 'nodes[2]' (did you mean "links"?)): 0 or -EINVAL. */
int json_check_keys(const struct json_val *obj, const struct json_path *at,
		    const char *const *allowed, struct json_err *err);
/* Reads v as a string: 0 or -EINVAL. */
int json_as_str(const struct json_val *v, const struct json_path *at, const char **out,
		struct json_err *err);
/* Reads v as an integer in [min, max]: 0, -EINVAL or -ERANGE. */
int json_as_int(const struct json_val *v, const struct json_path *at, int64_t min, int64_t max,
		int64_t *out, struct json_err *err);
/* Reads string member key: 0, -ENOENT (missing and required) or -EINVAL. */
int json_get_str(const struct json_val *obj, const struct json_path *at, const char *key,
		 const char **out, int required, struct json_err *err);
/* Reads integer member key in [min, max]: 0, -ENOENT, -EINVAL or -ERANGE. */
int json_get_int(const struct json_val *obj, const struct json_path *at, const char *key,
		 int64_t *out, int64_t min, int64_t max, int required, struct json_err *err);
/* Reads number member key in [min, max]: 0, -ENOENT, -EINVAL or -ERANGE. */
int json_get_num(const struct json_val *obj, const struct json_path *at, const char *key,
		 double *out, double min, double max, int required, struct json_err *err);
/* Reads boolean member key: 0, -ENOENT or -EINVAL. */
int json_get_bool(const struct json_val *obj, const struct json_path *at, const char *key,
		  bool *out, int required, struct json_err *err);
/* Finds array member key: 0, -ENOENT or -EINVAL. */
int json_get_arr(const struct json_val *obj, const struct json_path *at, const char *key,
		 const struct json_val **out, int required, struct json_err *err);
/* Finds object member key: 0, -ENOENT or -EINVAL. */
int json_get_obj(const struct json_val *obj, const struct json_path *at, const char *key,
		 const struct json_val **out, int required, struct json_err *err);

#endif

/* Inside lib/json: the read-only tree json_parse() hands out. Shared by
 * json_load.c (which builds it from jansson's tree and the source text) and
 * json.c (accessors, schema helpers); no other module includes this.
 *
 * jansson parses and validates; it keeps no positions, so each value here
 * carries the line and column of its first character, and scalars are copied
 * out of jansson's values so that reading them needs no jansson call. Strings
 * point into jansson's tree, which lives as long as the document.
 *
 * The JV_* codes are enum json_type's values: jansson.h claims the JSON_*
 * names, so the file that includes it cannot see lib/json.h.
 */
#ifndef SRCHAIN_LIB_JSON_VAL_H
#define SRCHAIN_LIB_JSON_VAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct json_val {
	uint8_t type;  /* JV_* */
	bool is_int;   /* number written without fraction or exponent: u.i */
	int line, col; /* of the first character (a key's opening quote) */
	size_t n;      /* string: bytes; array: elements; object: members */
	union {
		bool b;
		int64_t i;
		double d;
		const char *s;		     /* string, or an object's key */
		const struct json_val *kids; /* array: n values; object: n key, value pairs */
	} u;
};

struct json_t;

struct json_doc {
	struct json_t *tree;   /* jansson's, owns the strings */
	struct json_val *vals; /* vals[0] is the root */
};

#endif

/* JSON input: limits, errors and json_parse() (see lib/json.h for the
 * accessors and schema helpers). Apart from lib/json.h so that json_load.c,
 * which includes jansson.h and so cannot include lib/json.h (both claim
 * JSON_OBJECT and friends), shares these definitions. */
#ifndef SRCHAIN_LIB_JSON_PARSE_H
#define SRCHAIN_LIB_JSON_PARSE_H

#include <stddef.h>

/* Defaults for the struct json_limits fields left at zero. */
#define JSON_MAX_DEPTH_DEFAULT 64
#define JSON_MAX_DOC_DEFAULT   ((size_t)16 << 20)
#define JSON_MAX_STR_DEFAULT   ((size_t)1 << 20)
#define JSON_MAX_ELEMS_DEFAULT ((size_t)1000000)
#define JSON_MAX_MEM_DEFAULT   ((size_t)256 << 20)

/* Hard caps: json_parse() refuses limits above these. */
#define JSON_DEPTH_CAP 1024
#define JSON_DOC_CAP   ((size_t)1 << 30)

/* Bounds on one parse; a zero field takes its default. Exceeding one fails
 * with -E2BIG (-ENOMEM for max_mem). */
struct json_limits {
	unsigned max_depth; /* nested arrays/objects */
	size_t max_doc;	    /* input bytes */
	size_t max_str;	    /* decoded bytes of one string or key */
	size_t max_elems;   /* elements of one array, members of one object */
	size_t max_mem;	    /* bytes allocated while parsing (jansson's tree and ours) */
};

/* Where and why parsing or a schema check failed. line and col count from 1
 * (col in characters, a tab is one); both are 0 when there is no position. */
struct json_err {
	int line, col;
	char msg[160];
};

struct json_doc;

/* Parses len bytes of text (lim NULL: defaults) into *out; 0, or -EINVAL
 * (malformed: jansson's message and position), -ERANGE (number beyond int64_t
 * or double), -E2BIG (limit), -ENOMEM, with err filled in. */
int json_parse(const char *text, size_t len, const struct json_limits *lim, struct json_doc **out,
	       struct json_err *err);
/* Releases a document and every value in it (NULL is fine). */
void json_free(struct json_doc *doc);

#endif

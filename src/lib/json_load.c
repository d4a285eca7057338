/* json_parse(): jansson reads and checks the text (RFC 8259, duplicate keys,
 * UTF-8, number range); this file adds what jansson does not keep or bound:
 * the position of every value and key, and the limits of struct json_limits.
 *
 * Positions come from walking jansson's tree and the source text side by
 * side: jansson accepted the text and keeps object members in document order,
 * so each value's first character is found by skipping whitespace and
 * separators, and the walk never needs to decide what is valid.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/json_parse.h"
#include "lib/json_val.h"

/* ---- Memory: jansson's allocations during one parse count against max_mem ----
 *
 * jansson is not safe against a failing allocation in its lexer (2.14 asserts
 * in lex_unget_unsave), so the allocator only counts, and the input, fed in
 * jansson's 1 KiB reads, stops with a read error once the count passes the
 * limit: at most one read's worth of values beyond it is ever allocated. */

static __thread bool mem_counting, mem_over;
static __thread size_t mem_left;
static pthread_once_t mem_once = PTHREAD_ONCE_INIT;

/* jansson allocates through this only (it has no realloc); counting every
 * allocation, freed or not, bounds the peak from above. */
static void *mem_alloc(size_t n)
{
	if (mem_counting) {
		if (n > mem_left)
			mem_over = true;
		mem_left = n > mem_left ? 0 : mem_left - n;
	}
	return malloc(n);
}

static void mem_init(void)
{
	json_set_alloc_funcs(mem_alloc, free);
}

struct feed {
	const char *s;
	size_t len, pos;
};

static size_t feed_read(void *buf, size_t cap, void *arg)
{
	struct feed *f = arg;
	size_t n = f->len - f->pos < cap ? f->len - f->pos : cap;

	if (mem_over)
		return (size_t)-1;
	memcpy(buf, f->s + f->pos, n);
	f->pos += n;
	return n;
}

/* ---- Errors ---- */

static int fail_at(struct json_err *err, int line, int col, int rc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail_at(struct json_err *err, int line, int col, int rc, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* jansson's message quotes the input near the error: control and non-ASCII
 * bytes are escaped so that a message is always printable text. */
static int fail_jansson(struct json_err *err, const json_error_t *je, unsigned max_depth)
{
	size_t o = 0;

	err->line = je->line > 0 ? je->line : 1;
	err->col = je->column > 0 ? je->column : 1;	      /* 0 at the very start */
	if (json_error_code(je) == json_error_stack_overflow) /* jansson's own cap, 2048 */
		return fail_at(err, err->line, err->col, -E2BIG, "nesting deeper than %u",
			       max_depth);
	for (size_t i = 0; i < sizeof(je->text) - 1 && je->text[i] && o + 5 < sizeof(err->msg);
	     i++) {
		unsigned char c = (unsigned char)je->text[i];

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(err->msg + o, sizeof(err->msg) - o, "\\x%02x", c);
		else
			err->msg[o++] = (char)c;
	}
	err->msg[o] = '\0';
	return json_error_code(je) == json_error_numeric_overflow ? -ERANGE : -EINVAL;
}

static int set_limits(struct json_limits *l, const struct json_limits *in, struct json_err *err)
{
	*l = in ? *in : (struct json_limits){0};
	if (!l->max_depth)
		l->max_depth = JSON_MAX_DEPTH_DEFAULT;
	if (!l->max_doc)
		l->max_doc = JSON_MAX_DOC_DEFAULT;
	if (!l->max_str)
		l->max_str = JSON_MAX_STR_DEFAULT;
	if (!l->max_elems)
		l->max_elems = JSON_MAX_ELEMS_DEFAULT;
	if (!l->max_mem)
		l->max_mem = JSON_MAX_MEM_DEFAULT;
	if (l->max_depth > JSON_DEPTH_CAP)
		return fail_at(err, 0, 0, -EINVAL, "limit max_depth %u above %d", l->max_depth,
			       JSON_DEPTH_CAP);
	if (l->max_doc > JSON_DOC_CAP || l->max_str > JSON_DOC_CAP || l->max_elems > JSON_DOC_CAP)
		return fail_at(err, 0, 0, -EINVAL, "limit max_doc/max_str/max_elems above %zu",
			       JSON_DOC_CAP);
	return 0;
}

/* ---- Positions: the text walked beside the tree ---- */

struct walk {
	const unsigned char *s;
	size_t len, pos;
	int line, col; /* of s[pos]; columns count characters, a tab is one */
	const struct json_limits *lim;
	struct json_val *vals;
	size_t used, cap;
	struct json_err *err;
};

static void adv(struct walk *w)
{
	if (w->s[w->pos++] == '\n') {
		w->line++;
		w->col = 1;
	} else if (w->pos < w->len && (w->s[w->pos] & 0xc0) != 0x80) {
		w->col++;
	}
}

static void skip_ws(struct walk *w)
{
	while (w->pos < w->len && strchr(" \t\r\n", w->s[w->pos]) && w->s[w->pos])
		adv(w);
}

/* Steps over c (after whitespace); anything else means the walk and jansson
 * disagree about the text, which would be a bug here. */
static int expect(struct walk *w, char c)
{
	skip_ws(w);
	if (w->pos >= w->len || w->s[w->pos] != (unsigned char)c)
		return fail_at(w->err, w->line, w->col, -EPROTO,
			       "internal error: expected '%c' while locating values", c);
	adv(w);
	return 0;
}

static void skip_string(struct walk *w)
{
	adv(w); /* the opening quote, checked by the caller */
	while (w->pos < w->len && w->s[w->pos] != '"') {
		if (w->s[w->pos] == '\\')
			adv(w);
		if (w->pos < w->len)
			adv(w);
	}
	if (w->pos < w->len)
		adv(w);
}

static void skip_scalar(struct walk *w)
{
	while (w->pos < w->len && !strchr(" \t\r\n,]}", w->s[w->pos]) && w->s[w->pos])
		adv(w);
}

/* Values in the tree, keys included, for the one allocation. */
static size_t count(const json_t *j)
{
	size_t n = 1;
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v) n += count(v);
	} else if (json_is_object(j)) {
		/* json_object_foreach wants a mutable object; it only reads. */
		json_t *o = (json_t *)(uintptr_t)j;

		json_object_foreach(o, key, v) n += 1 + count(v);
	}
	return n;
}

static struct json_val *take(struct walk *w, size_t n)
{
	struct json_val *v = w->vals + w->used;

	w->used += n;
	return v;
}

static int fill(struct walk *w, json_t *j, struct json_val *out, unsigned depth);

/* The error at the first element (or key) past max_elems. */
static int too_many(struct walk *w, const char *what, const char *unit)
{
	skip_ws(w);
	return fail_at(w->err, w->line, w->col, -E2BIG, "%s more than %zu %s", what,
		       w->lim->max_elems, unit);
}

static int string_at(struct walk *w, struct json_val *out, const char *s, size_t n)
{
	skip_ws(w);
	out->line = w->line;
	out->col = w->col;
	if (w->pos >= w->len || w->s[w->pos] != '"')
		return expect(w, '"');
	if (n > w->lim->max_str)
		return fail_at(w->err, out->line, out->col, -E2BIG, "string longer than %zu bytes",
			       w->lim->max_str);
	out->type = JV_STRING;
	out->u.s = s;
	out->n = n;
	skip_string(w);
	return 0;
}

static int fill_array(struct walk *w, json_t *j, struct json_val *out, unsigned depth)
{
	size_t n = json_array_size(j);
	struct json_val *kids = take(w, n);
	int rc;

	out->u.kids = kids;
	out->n = n;
	adv(w);
	for (size_t i = 0; i < n; i++) {
		if (i && (rc = expect(w, ',')))
			return rc;
		if (i == w->lim->max_elems)
			return too_many(w, "array has", "elements");
		if ((rc = fill(w, json_array_get(j, i), &kids[i], depth + 1)))
			return rc;
	}
	return expect(w, ']');
}

static int fill_object(struct walk *w, json_t *j, struct json_val *out, unsigned depth)
{
	size_t n = json_object_size(j), i = 0;
	struct json_val *kids = take(w, 2 * n);
	const char *key;
	json_t *v;
	int rc;

	out->u.kids = kids;
	out->n = n;
	adv(w);
	json_object_foreach(j, key, v)
	{
		if (i && (rc = expect(w, ',')))
			return rc;
		if (i == w->lim->max_elems)
			return too_many(w, "object has", "members");
		if ((rc = string_at(w, &kids[2 * i], key, strlen(key))) || (rc = expect(w, ':')) ||
		    (rc = fill(w, v, &kids[2 * i + 1], depth + 1)))
			return rc;
		i++;
	}
	return expect(w, '}');
}

/* Recursion is bounded by max_depth (at most JSON_DEPTH_CAP). */
static int fill(struct walk *w, json_t *j, struct json_val *out, unsigned depth)
{
	*out = (struct json_val){0};
	if (json_is_string(j))
		return string_at(w, out, json_string_value(j), json_string_length(j));
	skip_ws(w);
	out->line = w->line;
	out->col = w->col;
	if (json_is_array(j) || json_is_object(j)) {
		if (depth > w->lim->max_depth)
			return fail_at(w->err, out->line, out->col, -E2BIG,
				       "nesting deeper than %u", w->lim->max_depth);
		if (w->pos >= w->len || w->s[w->pos] != (json_is_array(j) ? '[' : '{'))
			return expect(w, json_is_array(j) ? '[' : '{');
		if (json_is_array(j)) {
			out->type = JV_ARRAY;
			return fill_array(w, j, out, depth);
		}
		out->type = JV_OBJECT;
		return fill_object(w, j, out, depth);
	}
	if (json_is_integer(j)) {
		out->type = JV_NUMBER;
		out->is_int = true;
		out->u.i = json_integer_value(j);
	} else if (json_is_real(j)) {
		out->type = JV_NUMBER;
		out->u.d = json_real_value(j);
	} else if (json_is_boolean(j)) {
		out->type = JV_BOOL;
		out->u.b = json_is_true(j);
	} else {
		out->type = JV_NULL;
	}
	skip_scalar(w);
	return 0;
}

int json_parse(const char *text, size_t len, const struct json_limits *lim, struct json_doc **out,
	       struct json_err *err)
{
	struct json_limits l;
	struct walk w = {
		.s = (const unsigned char *)text, .len = len, .line = 1, .col = 1, .lim = &l};
	struct json_doc *doc;
	const char *nul;
	json_error_t je;
	json_t *tree;
	bool over;
	int rc;

	*out = NULL;
	w.err = err;
	rc = set_limits(&l, lim, err);
	if (rc)
		return rc;
	if (len > l.max_doc)
		return fail_at(err, 0, 0, -E2BIG, "document of %zu bytes, limit is %zu", len,
			       l.max_doc);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		return fail_at(err, 1, 1, -EINVAL, "byte order mark (U+FEFF) not allowed");

	/* A NUL byte is never valid JSON (not whitespace, not a token, not
	 * allowed raw in a string), but jansson 2.14 skips one that follows a
	 * number or literal ("[1\0]" reads as [1]). */
	nul = memchr(text, '\0', len);
	if (nul) {
		while (w.pos < (size_t)(nul - text))
			adv(&w);
		return fail_at(err, w.line, w.col, -EINVAL, "NUL byte (0x00) not allowed");
	}

	pthread_once(&mem_once, mem_init);
	mem_left = l.max_mem;
	mem_over = false;
	mem_counting = true;
	tree = json_load_callback(feed_read, &(struct feed){text, len, 0},
				  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	mem_counting = false;
	over = mem_over;
	if (!tree || over) {
		json_decref(tree);
		if (over)
			return fail_at(err, 0, 0, -ENOMEM,
				       "document needs more than %zu bytes of memory", l.max_mem);
		return fail_jansson(err, &je, l.max_depth);
	}

	w.cap = count(tree);
	if (mem_left < sizeof(*doc) || w.cap > (mem_left - sizeof(*doc)) / sizeof(*w.vals)) {
		json_decref(tree);
		return fail_at(err, 0, 0, -ENOMEM, "document needs more than %zu bytes of memory",
			       l.max_mem);
	}
	doc = malloc(sizeof(*doc));
	w.vals = calloc(w.cap, sizeof(*w.vals));
	if (!doc || !w.vals) {
		rc = fail_at(err, 0, 0, -ENOMEM, "out of memory");
		goto err_free;
	}
	rc = fill(&w, tree, take(&w, 1), 1);
	if (rc)
		goto err_free;
	doc->tree = tree;
	doc->vals = w.vals;
	*out = doc;
	return 0;

err_free:
	free(w.vals);
	free(doc);
	json_decref(tree);
	return rc;
}

void json_free(struct json_doc *doc)
{
	if (!doc)
		return;
	json_decref(doc->tree);
	free(doc->vals);
	free(doc);
}

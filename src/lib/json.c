/* JSON (RFC 8259): accessors and schema helpers over the tree that
 * json_load.c builds, and json_emit() to write a value through lib/jsonw. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/json_val.h"
#include "lib/jsonw.h"

/* Longest allowed-keys list json_check_keys() reads. */
#define JSON_KEYS_MAX 256
/* Longest key compared for a "did you mean" suggestion. */
#define JSON_SUGGEST_MAX 32

_Static_assert((int)JV_NULL == JSON_NULL && (int)JV_BOOL == JSON_BOOL &&
		       (int)JV_NUMBER == JSON_NUMBER && (int)JV_STRING == JSON_STRING &&
		       (int)JV_ARRAY == JSON_ARRAY && (int)JV_OBJECT == JSON_OBJECT,
	       "json_val.h codes are enum json_type's");

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

const struct json_val *json_root(const struct json_doc *doc)
{
	return doc ? &doc->vals[0] : NULL;
}

/* ---- Accessors ---- */

enum json_type json_type(const struct json_val *v)
{
	return v ? (enum json_type)v->type : JSON_NULL;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[JSON_TYPE_MAX] = {
		[JSON_NULL] = "null",	  [JSON_BOOL] = "boolean", [JSON_NUMBER] = "number",
		[JSON_STRING] = "string", [JSON_ARRAY] = "array",  [JSON_OBJECT] = "object",
	};

	return (unsigned)t < JSON_TYPE_MAX ? names[t] : "?";
}

int json_line(const struct json_val *v)
{
	return v ? v->line : 0;
}

int json_col(const struct json_val *v)
{
	return v ? v->col : 0;
}

int json_bool(const struct json_val *v, bool *out)
{
	if (json_type(v) != JSON_BOOL)
		return -EINVAL;
	*out = v->u.b;
	return 0;
}

int json_num(const struct json_val *v, double *out)
{
	if (json_type(v) != JSON_NUMBER)
		return -EINVAL;
	*out = v->is_int ? (double)v->u.i : v->u.d;
	return 0;
}

int json_int(const struct json_val *v, int64_t *out)
{
	if (!json_num_is_int(v))
		return -EINVAL;
	*out = v->u.i;
	return 0;
}

int json_uint(const struct json_val *v, uint64_t *out)
{
	if (!json_num_is_int(v))
		return -EINVAL;
	if (v->u.i < 0)
		return -ERANGE;
	*out = (uint64_t)v->u.i;
	return 0;
}

bool json_num_is_int(const struct json_val *v)
{
	return json_type(v) == JSON_NUMBER && v->is_int;
}

const char *json_str(const struct json_val *v)
{
	return json_type(v) == JSON_STRING ? v->u.s : NULL;
}

size_t json_str_len(const struct json_val *v)
{
	return json_type(v) == JSON_STRING ? v->n : 0;
}

size_t json_arr_len(const struct json_val *arr)
{
	return json_type(arr) == JSON_ARRAY ? arr->n : 0;
}

const struct json_val *json_arr_at(const struct json_val *arr, size_t i)
{
	return i < json_arr_len(arr) ? &arr->u.kids[i] : NULL;
}

size_t json_obj_len(const struct json_val *obj)
{
	return json_type(obj) == JSON_OBJECT ? obj->n : 0;
}

const char *json_obj_key(const struct json_val *obj, size_t i)
{
	return i < json_obj_len(obj) ? obj->u.kids[2 * i].u.s : NULL;
}

const struct json_val *json_obj_val(const struct json_val *obj, size_t i)
{
	return i < json_obj_len(obj) ? &obj->u.kids[2 * i + 1] : NULL;
}

const struct json_val *json_obj_get(const struct json_val *obj, const char *key)
{
	size_t n = json_obj_len(obj), klen = strlen(key);

	for (size_t i = 0; i < n; i++) {
		const struct json_val *k = &obj->u.kids[2 * i];

		if (k->n == klen && !memcmp(k->u.s, key, klen))
			return &obj->u.kids[2 * i + 1];
	}
	return NULL;
}

/* ---- Writing through jsonw ---- */

/* Recursion is bounded by the depth the parser accepted; jsonw refuses
 * (stickily) what nests deeper than it can track. */
void json_emit(struct jsonw *w, const struct json_val *v)
{
	switch (json_type(v)) {
	case JSON_BOOL:
		jsonw_bool(w, v->u.b);
		break;
	case JSON_NUMBER:
		if (v->is_int)
			jsonw_int(w, v->u.i);
		else
			jsonw_double(w, v->u.d);
		break;
	case JSON_STRING:
		jsonw_strn(w, v->u.s, v->n);
		break;
	case JSON_ARRAY:
		jsonw_arr_open(w);
		for (size_t i = 0; i < v->n; i++)
			json_emit(w, &v->u.kids[i]);
		jsonw_arr_close(w);
		break;
	case JSON_OBJECT:
		jsonw_obj_open(w);
		for (size_t i = 0; i < v->n; i++) {
			jsonw_key(w, v->u.kids[2 * i].u.s);
			json_emit(w, &v->u.kids[2 * i + 1]);
		}
		jsonw_obj_close(w);
		break;
	default:
		jsonw_null(w);
		break;
	}
}

/* ---- Schema helpers ---- */

/* Bounded message text: appends truncate, the result stays NUL-terminated. */
struct sbuf {
	char *p;
	size_t cap, len;
};

static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	int n;

	if (b->len + 1 >= b->cap)
		return;
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Text from the input (keys): at most 48 bytes, quotes, backslashes and
 * control characters escaped. */
static void sb_text(struct sbuf *b, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < 48; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\' || c == '\'')
			sb_printf(b, "\\x%02x", c);
		else
			sb_printf(b, "%c", c);
	}
	if (s[i])
		sb_printf(b, "...");
}

static bool plain_key(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!is_alpha(*k) && !is_digit(*k) && *k != '_' && *k != '-')
			return false;
	return true;
}

/* Renders root-first; depth bounds the walk up a caller-built chain. */
static void sb_path(struct sbuf *b, const struct json_path *at, unsigned depth)
{
	if (!at)
		return;
	if (depth >= JSON_DEPTH_CAP) {
		sb_printf(b, "...");
		return;
	}
	sb_path(b, at->up, depth + 1);
	if (!at->key) {
		sb_printf(b, "[%zu]", at->idx);
	} else if (plain_key(at->key)) {
		sb_printf(b, "%s%s", at->up ? "." : "", at->key);
	} else {
		sb_printf(b, "[\"");
		sb_text(b, at->key);
		sb_printf(b, "\"]");
	}
}

size_t json_path_fmt(const struct json_path *at, char *buf, size_t cap)
{
	struct sbuf b = {buf, cap, 0};

	if (cap)
		buf[0] = '\0';
	sb_path(&b, at, 0);
	return b.len;
}

static void err_start(struct json_err *err, const struct json_val *v, struct sbuf *b)
{
	err->line = json_line(v);
	err->col = json_col(v);
	err->msg[0] = '\0';
	*b = (struct sbuf){err->msg, sizeof(err->msg), 0};
}

static void json_err_atv(struct json_err *err, const struct json_val *v, const struct json_path *at,
			 const char *fmt, va_list ap)
{
	struct sbuf b;

	err_start(err, v, &b);
	if (at) {
		sb_printf(&b, "field '");
		sb_path(&b, at, 0);
		sb_printf(&b, "': ");
	}
	sb_vprintf(&b, fmt, ap);
}

void json_err_at(struct json_err *err, const struct json_val *v, const struct json_path *at,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_err_atv(err, v, at, fmt, ap);
	va_end(ap);
}

int json_fail(struct json_err *err, const struct json_val *v, const struct json_path *at,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_err_atv(err, v, at, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int json_expect(const struct json_val *v, const struct json_path *at, enum json_type t,
		struct json_err *err)
{
	if (json_type(v) == t && v)
		return 0;
	json_err_at(err, v, at, "expected %s, got %s", json_type_name(t),
		    v ? json_type_name(json_type(v)) : "nothing");
	return -EINVAL;
}

/* Optimal string alignment distance of two short keys (insert, delete,
 * substitute, swap neighbours), or SIZE_MAX for long ones. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][JSON_SUGGEST_MAX + 1];

	if (la > JSON_SUGGEST_MAX || lb > JSON_SUGGEST_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		rows[1][j] = j;
	for (size_t i = 1; i <= la; i++) {
		/* Row i lives in rows[(i + 1) % 3]. */
		size_t *prev2 = rows[(i + 2) % 3], *prev = rows[i % 3], *cur = rows[(i + 1) % 3];

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return rows[(la + 1) % 3][lb];
}

int json_check_keys(const struct json_val *obj, const struct json_path *at,
		    const char *const *allowed, struct json_err *err)
{
	size_t n = json_obj_len(obj);

	if (json_expect(obj, at, JSON_OBJECT, err))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		const struct json_val *k = &obj->u.kids[2 * i];
		const char *hint = NULL;
		size_t j, best = SIZE_MAX, klen = k->n;
		struct sbuf b;

		for (j = 0; j < JSON_KEYS_MAX && allowed[j]; j++) {
			size_t d = strlen(allowed[j]), max = d > klen ? d : klen;

			if (d == k->n && !memcmp(allowed[j], k->u.s, d))
				break;
			d = edit_distance(k->u.s, allowed[j]);
			/* Suggest only close, not merely short, names. */
			if (d <= 2 && 2 * d < max && d < best) {
				best = d;
				hint = allowed[j];
			}
		}
		if (j < JSON_KEYS_MAX && allowed[j])
			continue;
		err_start(err, k, &b);
		sb_printf(&b, "unknown field \"");
		sb_text(&b, k->u.s);
		sb_printf(&b, "\"");
		if (at) {
			sb_printf(&b, " in '");
			sb_path(&b, at, 0);
			sb_printf(&b, "'");
		}
		if (hint)
			sb_printf(&b, " (did you mean \"%s\"?)", hint);
		return -EINVAL;
	}
	return 0;
}

int json_as_str(const struct json_val *v, const struct json_path *at, const char **out,
		struct json_err *err)
{
	if (json_expect(v, at, JSON_STRING, err))
		return -EINVAL;
	*out = v->u.s;
	return 0;
}

int json_as_int(const struct json_val *v, const struct json_path *at, int64_t min, int64_t max,
		int64_t *out, struct json_err *err)
{
	int64_t x = 0;
	int rc;

	if (json_expect(v, at, JSON_NUMBER, err))
		return -EINVAL;
	rc = json_int(v, &x);
	if (rc == -EINVAL) {
		json_err_at(err, v, at,
			    "expected an integer, got a number with a fraction or "
			    "exponent");
		return rc;
	}
	if (x < min || x > max) {
		json_err_at(err, v, at, "%lld out of range [%lld, %lld]", (long long)x,
			    (long long)min, (long long)max);
		return -ERANGE;
	}
	*out = x;
	return 0;
}

/* Finds member key of obj and checks its type; 1 when it is absent and
 * optional. */
static int get_field(const struct json_val *obj, const struct json_path *at, const char *key,
		     enum json_type t, int required, const struct json_val **out,
		     struct json_err *err)
{
	struct json_path here = JSON_PATH_KEY(at, key);
	const struct json_val *v;

	if (json_expect(obj, at, JSON_OBJECT, err))
		return -EINVAL;
	v = json_obj_get(obj, key);
	if (!v) {
		struct sbuf b;

		if (!required)
			return 1;
		err_start(err, obj, &b);
		sb_printf(&b, "missing required field '");
		sb_path(&b, &here, 0);
		sb_printf(&b, "'");
		return -ENOENT;
	}
	*out = v;
	return json_expect(v, &here, t, err);
}

int json_get_str(const struct json_val *obj, const struct json_path *at, const char *key,
		 const char **out, int required, struct json_err *err)
{
	const struct json_val *v;
	int rc = get_field(obj, at, key, JSON_STRING, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	*out = v->u.s;
	return 0;
}

int json_get_int(const struct json_val *obj, const struct json_path *at, const char *key,
		 int64_t *out, int64_t min, int64_t max, int required, struct json_err *err)
{
	struct json_path here = JSON_PATH_KEY(at, key);
	const struct json_val *v;
	int rc = get_field(obj, at, key, JSON_NUMBER, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	return json_as_int(v, &here, min, max, out, err);
}

int json_get_num(const struct json_val *obj, const struct json_path *at, const char *key,
		 double *out, double min, double max, int required, struct json_err *err)
{
	struct json_path here = JSON_PATH_KEY(at, key);
	const struct json_val *v;
	double d = 0;
	int rc = get_field(obj, at, key, JSON_NUMBER, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	json_num(v, &d);
	if (d < min || d > max) {
		json_err_at(err, v, &here, "%g out of range [%g, %g]", d, min, max);
		return -ERANGE;
	}
	*out = d;
	return 0;
}

int json_get_bool(const struct json_val *obj, const struct json_path *at, const char *key,
		  bool *out, int required, struct json_err *err)
{
	const struct json_val *v;
	int rc = get_field(obj, at, key, JSON_BOOL, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	*out = v->u.b;
	return 0;
}

int json_get_arr(const struct json_val *obj, const struct json_path *at, const char *key,
		 const struct json_val **out, int required, struct json_err *err)
{
	const struct json_val *v;
	int rc = get_field(obj, at, key, JSON_ARRAY, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	*out = v;
	return 0;
}

int json_get_obj(const struct json_val *obj, const struct json_path *at, const char *key,
		 const struct json_val **out, int required, struct json_err *err)
{
	const struct json_val *v;
	int rc = get_field(obj, at, key, JSON_OBJECT, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	*out = v;
	return 0;
}

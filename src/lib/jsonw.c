/* Streaming JSON writer: separators, indentation and string escaping. */
#include "lib/jsonw.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void jsonw_fail(struct jsonw *w, int err)
{
	if (!w->err)
		w->err = err;
}

static void put(struct jsonw *w, const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, w->f) != n)
		jsonw_fail(w, -EIO);
}

static void puts_raw(struct jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void newline_indent(struct jsonw *w)
{
	static const char spaces[] = "                                ";

	if (!w->pretty)
		return;
	put(w, "\n", 1);
	for (unsigned i = 0; i < w->depth; i++)
		put(w, spaces, 2);
}

/* Everything a value needs before it: a comma and indentation inside an array,
 * nothing after a key. Returns false when the value must not be written. */
static bool begin_value(struct jsonw *w)
{
	unsigned top;

	if (w->err)
		return false;
	if (w->done) {
		jsonw_fail(w, -EINVAL);
		return false;
	}
	if (w->depth == 0)
		return true;
	top = w->depth - 1;
	if (w->kind[top] == '{') {
		if (!w->have_key) {
			jsonw_fail(w, -EINVAL);
			return false;
		}
		w->have_key = false;
		return true;
	}
	if (w->has_members[top])
		put(w, ",", 1);
	newline_indent(w);
	w->has_members[top] = true;
	return true;
}

static void end_value(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = true;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629 section 4), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	/* The second byte's range excludes overlongs, surrogates and > U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void put_escaped(struct jsonw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0; /* bytes at s[i - run .. i) that need no escaping */
	size_t i = 0;

	put(w, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];
		const char *esc = NULL;
		char buf[8];
		size_t len;

		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (c < 0x20) {
				snprintf(buf, sizeof(buf), "\\u%04x", c);
				esc = buf;
			}
			break;
		}
		if (esc) {
			put(w, (const char *)s + i - run, run);
			run = 0;
			puts_raw(w, esc);
			i++;
			continue;
		}
		len = utf8_len(s + i, n - i);
		if (len == 0) {
			put(w, (const char *)s + i - run, run);
			run = 0;
			puts_raw(w, "\\ufffd");
			i++;
			continue;
		}
		i += len;
		run += len;
	}
	put(w, (const char *)s + i - run, run);
	put(w, "\"", 1);
}

void jsonw_init(struct jsonw *w, FILE *f, bool pretty)
{
	*w = (struct jsonw){.f = f, .pretty = pretty};
}

static void open_level(struct jsonw *w, char kind)
{
	if (!begin_value(w))
		return;
	if (w->depth == JSONW_MAX_DEPTH) {
		jsonw_fail(w, -EINVAL);
		return;
	}
	put(w, &kind, 1);
	w->kind[w->depth] = kind;
	w->has_members[w->depth] = false;
	w->depth++;
}

static void close_level(struct jsonw *w, char kind)
{
	unsigned top;
	char close = kind == '{' ? '}' : ']';

	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] != kind || w->have_key) {
		jsonw_fail(w, -EINVAL);
		return;
	}
	top = --w->depth;
	if (w->has_members[top])
		newline_indent(w);
	put(w, &close, 1);
	end_value(w);
}

void jsonw_obj_open(struct jsonw *w)
{
	open_level(w, '{');
}

void jsonw_obj_close(struct jsonw *w)
{
	close_level(w, '{');
}

void jsonw_arr_open(struct jsonw *w)
{
	open_level(w, '[');
}

void jsonw_arr_close(struct jsonw *w)
{
	close_level(w, '[');
}

void jsonw_key(struct jsonw *w, const char *key)
{
	unsigned top;

	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] != '{' || w->have_key || !key) {
		jsonw_fail(w, -EINVAL);
		return;
	}
	top = w->depth - 1;
	if (w->has_members[top])
		put(w, ",", 1);
	newline_indent(w);
	put_escaped(w, key, strlen(key));
	puts_raw(w, w->pretty ? ": " : ":");
	w->has_members[top] = true;
	w->have_key = true;
}

void jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	if (!begin_value(w))
		return;
	put_escaped(w, s, n);
	end_value(w);
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_strn(w, s, strlen(s));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	char buf[32];

	if (!begin_value(w))
		return;
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	puts_raw(w, buf);
	end_value(w);
}

void jsonw_uint(struct jsonw *w, uint64_t v)
{
	char buf[32];

	if (!begin_value(w))
		return;
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	puts_raw(w, buf);
	end_value(w);
}

void jsonw_double(struct jsonw *w, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		jsonw_null(w);
		return;
	}
	if (!begin_value(w))
		return;
	/* %g never yields a form JSON rejects for finite values in the C locale
	 * (no leading '+', no bare '.', exponent written as e+NN). Near DBL_MAX,
	 * 15 digits round up past it and would read back as out of range. */
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (isinf(strtod(buf, NULL)))
		snprintf(buf, sizeof(buf), "%.17g", v);
	puts_raw(w, buf);
	end_value(w);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	if (!begin_value(w))
		return;
	puts_raw(w, v ? "true" : "false");
	end_value(w);
}

void jsonw_null(struct jsonw *w)
{
	if (!begin_value(w))
		return;
	puts_raw(w, "null");
	end_value(w);
}

void jsonw_kv_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_kv_uint(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_uint(w, v);
}

void jsonw_kv_double(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	jsonw_double(w, v);
}

void jsonw_kv_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

int jsonw_finish(struct jsonw *w)
{
	if (!w->err && !w->done)
		jsonw_fail(w, -EINVAL);
	if (!w->err)
		put(w, "\n", 1);
	if (fflush(w->f) != 0 || ferror(w->f))
		jsonw_fail(w, -EIO);
	return w->err;
}

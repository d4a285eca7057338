/* JSON (RFC 8259): strict parser, read-only tree, schema helpers, writer.
 *
 * Memory: one malloc'd block per document, doubled when full. While parsing,
 * its bottom holds finished data (decoded strings, child arrays) and grows up;
 * its top holds a stack of values whose container is still open and grows
 * down. An open container is itself a stack entry (a placeholder followed by
 * its children); when it closes, the children move into one contiguous array
 * at the bottom and the placeholder becomes the finished value.
 *
 *	+----------------------+ ..... gap ..... +-------------------------+
 *	| doc | strings, arrays |                 | ... child1 child0 open0 |
 *	+----------------------+-----------------+-------------------------+
 *	0                    used               cap - nstack*32          cap
 *
 * While the block may move, values refer to data by offset; on success the
 * block is trimmed and the offsets become pointers, once.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

/* Longest number token accepted (RFC 8259 section 9 lets a parser limit the
 * range and precision of numbers); more digits than a double holds anyway. */
#define JSON_NUM_MAX 512
/* Longest bare word reported in an "invalid literal" error. */
#define JSON_WORD_MAX 24
/* Longest allowed-keys list json_check_keys() reads. */
#define JSON_KEYS_MAX 256
/* Longest key compared for a "did you mean" suggestion. */
#define JSON_SUGGEST_MAX 32
/* First arena size; later sizes double. */
#define JSON_ARENA_MIN 512

enum {
	NUM_INTEGRAL = 1 << 0, /* written without fraction or exponent */
	NUM_INT64 = 1 << 1,    /* ... and within int64_t: u.num.i is exact */
	NUM_UINT64 = 1 << 2,   /* ... and within uint64_t: u.num.u is exact */
};

struct json_val {
	uint8_t type;  /* enum json_type */
	uint8_t flags; /* NUM_* */
	int line, col;
	uint32_t n; /* string: bytes; array: elements; object: 2 x members */
	union {
		struct {
			union {
				int64_t i;
				uint64_t u;
			};
			double d;
		} num;
		bool b;
		size_t off; /* parsing: arena offset (open container: parent link) */
		const char *s;
		const struct json_val *kids; /* object: key, value, key, value... */
	} u;
};

struct json_doc {
	struct json_val root;
};

struct parser {
	const unsigned char *s;
	size_t len, pos;
	struct json_limits lim;
	struct json_err *err;
	/* Positions: line of pos, and a column cache on that line. */
	int line;
	size_t line_start;
	size_t col_off;
	int col;
	/* Arena (see the top of the file). */
	char *base;
	size_t cap, used, nstack;
	size_t open; /* 1 + stack index of the innermost open container, or 0 */
	unsigned depth;
};

#define VAL_SZ sizeof(struct json_val)

/* ---- Locale-independent number conversion ---- */

static locale_t c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void c_loc_init(void)
{
	c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* strtod() reads the locale's decimal point; JSON's is always '.'. */
static double num_strtod(const char *s)
{
	pthread_once(&c_loc_once, c_loc_init);
	return c_loc ? strtod_l(s, NULL, c_loc) : strtod(s, NULL);
}

/* ---- Error reporting ---- */

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Line and column of byte off; columns count characters, not bytes. */
static void locate(struct parser *p, size_t off, int *line, int *col)
{
	if (off < p->line_start) { /* not on the current line: rare, errors only */
		int l = 1, c = 1;

		for (size_t i = 0; i < off; i++) {
			if (p->s[i] == '\n') {
				l++;
				c = 1;
			} else if ((p->s[i] & 0xc0) != 0x80) {
				c++;
			}
		}
		*line = l;
		*col = c;
		return;
	}
	if (p->col_off < p->line_start || off < p->col_off) {
		p->col_off = p->line_start;
		p->col = 1;
	}
	for (; p->col_off < off; p->col_off++)
		if ((p->s[p->col_off] & 0xc0) != 0x80)
			p->col++;
	*line = p->line;
	*col = p->col;
}

static int err_pos(struct json_err *err, int line, int col, int rc, const char *fmt, va_list ap)
{
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return rc;
}

static int fail(struct parser *p, size_t off, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct parser *p, size_t off, int rc, const char *fmt, ...)
{
	va_list ap;
	int line, col;

	locate(p, off, &line, &col);
	va_start(ap, fmt);
	rc = err_pos(p->err, line, col, rc, fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_at(struct json_err *err, int line, int col, int rc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail_at(struct json_err *err, int line, int col, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = err_pos(err, line, col, rc, fmt, ap);
	va_end(ap);
	return rc;
}

/* "'x'" for printable ASCII, else "byte 0xNN" ("end of input" for -1). */
static const char *describe(int c, char buf[16])
{
	if (c < 0)
		return "end of input";
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, 16, "'%c'", c);
	else
		snprintf(buf, 16, "byte 0x%02x", (unsigned)c);
	return buf;
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? p->s[p->pos] : -1;
}

static struct json_val *stack_at(const struct parser *p, size_t i)
{
	return (struct json_val *)(void *)(p->base + p->cap - (i + 1) * VAL_SZ);
}

/* Input ended early: says what was expected and which bracket is open. */
static int fail_eof(struct parser *p, const char *expected)
{
	const struct json_val *c;

	if (!p->open)
		return fail(p, p->len, -EINVAL, "unexpected end of input, expected %s", expected);
	c = stack_at(p, p->open - 1);
	return fail(p, p->len, -EINVAL,
		    "unexpected end of input, expected %s; '%c' at %d:%d is not closed", expected,
		    c->type == JSON_OBJECT ? '{' : '[', c->line, c->col);
}

/* ---- Arena ---- */

/* Makes room for need more bytes between the bottom and the stack. */
static int reserve(struct parser *p, size_t need)
{
	size_t stack = p->nstack * VAL_SZ, want, ncap;
	char *nb;

	if (p->cap - p->used - stack >= need)
		return 0;
	if (need > p->lim.max_mem || p->used + stack > p->lim.max_mem - need)
		return fail(p, p->pos, -ENOMEM, "document needs more than %zu bytes of memory",
			    p->lim.max_mem);
	want = p->used + stack + need;
	ncap = p->cap > SIZE_MAX / 2 ? SIZE_MAX : p->cap * 2;
	if (ncap < want)
		ncap = want;
	if (ncap > p->lim.max_mem)
		ncap = p->lim.max_mem;
	ncap &= ~(size_t)7; /* keeps stack entries aligned */
	if (ncap < want)
		return fail(p, p->pos, -ENOMEM, "document needs more than %zu bytes of memory",
			    p->lim.max_mem);
	nb = realloc(p->base, ncap);
	if (!nb)
		return fail(p, p->pos, -ENOMEM, "out of memory");
	memmove(nb + ncap - stack, nb + p->cap - stack, stack);
	p->base = nb;
	p->cap = ncap;
	return 0;
}

/* Takes size bytes at the bottom, aligned; *off is their offset. */
static int alloc_bottom(struct parser *p, size_t size, size_t align, size_t *off)
{
	size_t o = (p->used + align - 1) & ~(align - 1);
	int rc = reserve(p, o - p->used + size);

	if (rc)
		return rc;
	*off = o;
	p->used = o + size;
	return 0;
}

static int push(struct parser *p, const struct json_val *v)
{
	int rc = reserve(p, VAL_SZ);

	if (rc)
		return rc;
	p->nstack++;
	*stack_at(p, p->nstack - 1) = *v;
	return 0;
}

/* ---- Tokens ---- */

static void skip_ws(struct parser *p)
{
	for (; p->pos < p->len; p->pos++) {
		unsigned char c = p->s[p->pos];

		if (c == '\n') {
			p->line++;
			p->line_start = p->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
	}
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0
 * (RFC 3629 section 4: no overlongs, surrogates or code points > U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else {
		return 0;
	}
	if (n < k || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t j = 2; j < k; j++)
		if ((s[j] & 0xc0) != 0x80)
			return 0;
	return k;
}

static size_t utf8_put(char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Four hex digits at s, or -1. */
static int hex4(const unsigned char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = s[i], d;

		if (is_digit(c))
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* Decodes the \u escape (and a low surrogate after it) at s[i], end the
 * closing quote; returns the code point and advances *i, or fails. */
static int unicode_escape(struct parser *p, size_t *i, size_t end, uint32_t *cp)
{
	const unsigned char *s = p->s;
	size_t at = *i;
	int hi, lo;

	if (end - at < 6 || (hi = hex4(s + at + 2)) < 0)
		return fail(p, at, -EINVAL, "invalid \\u escape: expected 4 hex digits");
	*i = at + 6;
	if (hi == 0)
		return fail(p, at, -EINVAL,
			    "invalid \\u escape: \\u0000 (NUL) not allowed in strings");
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(p, at, -EINVAL, "invalid \\u escape: unpaired low surrogate \\u%04x",
			    hi);
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = (uint32_t)hi;
		return 0;
	}
	/* RFC 8259 section 7: a code point beyond the BMP is a surrogate pair. */
	if (end - *i < 6 || s[*i] != '\\' || s[*i + 1] != 'u' || (lo = hex4(s + *i + 2)) < 0 ||
	    lo < 0xdc00 || lo > 0xdfff)
		return fail(p, at, -EINVAL, "invalid \\u escape: unpaired high surrogate \\u%04x",
			    hi);
	*i += 6;
	*cp = 0x10000 + ((uint32_t)(hi - 0xd800) << 10) + (uint32_t)(lo - 0xdc00);
	return 0;
}

/* Decodes the string whose opening quote is at p->pos into the arena:
 * v->u.off, v->n (NUL-terminated there). */
static int parse_string(struct parser *p, struct json_val *v)
{
	const unsigned char *s = p->s;
	size_t start = p->pos, end, i, n = 0, room, off;
	char *d;
	int rc;

	/* The closing quote bounds the bytes to decode and to reserve. */
	for (end = start + 1; end < p->len; end++) {
		if (s[end] == '"' || s[end] < 0x20)
			break;
		if (s[end] == '\\')
			end++;
	}
	if (end >= p->len)
		return fail(p, start, -EINVAL, "unterminated string");
	if (s[end] == '\n' || s[end] == '\r')
		return fail(p, start, -EINVAL,
			    "unterminated string (line ends before the closing '\"')");
	if (s[end] != '"')
		return fail(p, end, -EINVAL, "unescaped control character U+%04X in string",
			    s[end]);

	room = end - start - 1; /* decoding never grows a string */
	if (room > p->lim.max_str)
		room = p->lim.max_str;
	rc = reserve(p, room + 1);
	if (rc)
		return rc;
	off = p->used;
	d = p->base + off;
	for (i = start + 1; i < end;) {
		char tmp[4];
		const char *src = tmp;
		size_t k;

		if (s[i] == '\\') {
			uint32_t cp = 0;
			char c = 0;

			switch (s[i + 1]) {
			case '"':
				c = '"';
				break;
			case '\\':
				c = '\\';
				break;
			case '/':
				c = '/';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				rc = unicode_escape(p, &i, end, &cp);
				if (rc)
					return rc;
				break;
			default: {
				char b[16];

				return fail(p, i, -EINVAL, "invalid escape '\\' followed by %s",
					    describe(s[i + 1], b));
			}
			}
			if (c) {
				tmp[0] = c;
				k = 1;
				i += 2;
			} else {
				k = utf8_put(tmp, cp);
			}
		} else {
			k = utf8_seq(s + i, end - i);
			if (!k)
				return fail(p, i, -EINVAL, "invalid UTF-8 in string");
			src = (const char *)s + i;
			i += k;
		}
		if (n + k > p->lim.max_str)
			return fail(p, start, -E2BIG, "string longer than %zu bytes",
				    p->lim.max_str);
		memcpy(d + n, src, k);
		n += k;
	}
	d[n] = '\0';
	p->used = off + n + 1;
	v->n = (uint32_t)n;
	v->u.off = off;
	p->pos = end + 1;
	return 0;
}

/* RFC 8259 section 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int parse_number(struct parser *p, struct json_val *v)
{
	const unsigned char *s = p->s;
	size_t start = p->pos, i = start;
	uint64_t mag = 0;
	bool neg = false, integral = true, ovf = false;
	char buf[JSON_NUM_MAX + 1], b[16];
	double d;

	if (s[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= p->len || !is_digit(s[i]))
		return fail(p, i, -EINVAL, "invalid number: expected a digit after '-'");
	if (s[i] == '0' && i + 1 < p->len && is_digit(s[i + 1]))
		return fail(p, start, -EINVAL, "invalid number: leading zero");
	for (; i < p->len && is_digit(s[i]); i++) {
		unsigned dig = s[i] - '0';

		if (!ovf && mag <= (UINT64_MAX - dig) / 10)
			mag = mag * 10 + dig;
		else
			ovf = true;
	}
	if (i < p->len && s[i] == '.') {
		integral = false;
		if (++i >= p->len || !is_digit(s[i]))
			return fail(p, i, -EINVAL, "invalid number: expected a digit after '.'");
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		integral = false;
		if (++i < p->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= p->len || !is_digit(s[i]))
			return fail(p, i, -EINVAL,
				    "invalid number: expected a digit in the exponent");
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len &&
	    (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '.' || s[i] == '+' || s[i] == '-'))
		return fail(p, i, -EINVAL, "invalid number: unexpected %s", describe(s[i], b));
	if (i - start > JSON_NUM_MAX)
		return fail(p, start, -E2BIG, "number longer than %d characters", JSON_NUM_MAX);
	memcpy(buf, s + start, i - start);
	buf[i - start] = '\0';
	d = num_strtod(buf);
	if (isinf(d))
		return fail(p, start, -ERANGE, "number out of range");

	v->type = JSON_NUMBER;
	v->u.num.d = d;
	v->u.num.i = 0;
	v->flags = integral ? NUM_INTEGRAL : 0;
	if (integral && !ovf && mag <= (uint64_t)INT64_MAX + neg) {
		v->flags |= NUM_INT64;
		if (!neg)
			v->u.num.i = (int64_t)mag;
		else
			v->u.num.i = mag > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)mag;
	}
	if (integral && !ovf && (!neg || mag == 0)) {
		v->flags |= NUM_UINT64;
		if (!(v->flags & NUM_INT64))
			v->u.num.u = mag;
	}
	p->pos = i;
	return 0;
}

static int parse_word(struct parser *p, struct json_val *v)
{
	const unsigned char *s = p->s;
	size_t i = p->pos, n;

	while (i < p->len && i - p->pos < JSON_WORD_MAX &&
	       (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_'))
		i++;
	n = i - p->pos;
	if (n == 4 && !memcmp(s + p->pos, "null", 4)) {
		v->type = JSON_NULL;
	} else if (n == 4 && !memcmp(s + p->pos, "true", 4)) {
		v->type = JSON_BOOL;
		v->u.b = true;
	} else if (n == 5 && !memcmp(s + p->pos, "false", 5)) {
		v->type = JSON_BOOL;
		v->u.b = false;
	} else {
		return fail(p, p->pos, -EINVAL,
			    "invalid literal '%.*s' (JSON has true, false, null; strings need "
			    "double quotes)",
			    (int)n, (const char *)s + p->pos);
	}
	p->pos = i;
	return 0;
}

/* ---- Structure ---- */

/* Parses the value at p->pos: pushes a scalar (returns 0), or opens a
 * container by pushing its placeholder (returns 1). */
static int parse_value(struct parser *p)
{
	struct json_val v = {0};
	int c = peek(p), rc;
	char b[16];

	locate(p, p->pos, &v.line, &v.col);
	switch (c) {
	case '{':
	case '[':
		if (p->depth >= p->lim.max_depth)
			return fail(p, p->pos, -E2BIG, "nesting deeper than %u", p->lim.max_depth);
		v.type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
		v.u.off = p->open;
		rc = push(p, &v);
		if (rc)
			return rc;
		p->open = p->nstack;
		p->depth++;
		p->pos++;
		return 1;
	case '"':
		v.type = JSON_STRING;
		rc = parse_string(p, &v);
		break;
	case '-':
	case '0' ... '9':
		rc = parse_number(p, &v);
		break;
	case 'a' ... 'z':
	case 'A' ... 'Z':
		rc = parse_word(p, &v);
		break;
	case -1:
		if (!p->open && !p->nstack)
			return fail(p, p->pos, -EINVAL, "empty document");
		return fail_eof(p, "a value");
	case '\'':
		return fail(p, p->pos, -EINVAL, "strings need double quotes, not single quotes");
	case '/':
		return fail(p, p->pos, -EINVAL, "comments are not allowed in JSON");
	default:
		return fail(p, p->pos, -EINVAL, "expected a value, got %s", describe(c, b));
	}
	return rc ? rc : push(p, &v);
}

static int parse_key(struct parser *p)
{
	struct json_val k = {.type = JSON_STRING};
	int c, rc;
	char b[16];

	skip_ws(p);
	c = peek(p);
	if (c < 0)
		return fail_eof(p, "an object key");
	if (c != '"')
		return fail(p, p->pos, -EINVAL, "expected an object key in double quotes, got %s",
			    describe(c, b));
	locate(p, p->pos, &k.line, &k.col);
	rc = parse_string(p, &k);
	if (!rc)
		rc = push(p, &k);
	if (rc)
		return rc;
	skip_ws(p);
	c = peek(p);
	if (c < 0)
		return fail_eof(p, "':'");
	if (c != ':')
		return fail(p, p->pos, -EINVAL, "expected ':' after object key, got %s",
			    describe(c, b));
	p->pos++;
	return 0;
}

static const char *key_at(const struct parser *p, size_t first, uint32_t m, uint32_t *len)
{
	const struct json_val *k = stack_at(p, first + 2 * (size_t)m);

	*len = k->n;
	return p->base + k->u.off;
}

/* Orders members by key, then by position. */
static int key_cmp(const struct parser *p, size_t first, uint32_t a, uint32_t b)
{
	uint32_t la, lb;
	const char *ka = key_at(p, first, a, &la), *kb = key_at(p, first, b, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);

	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static bool key_eq(const struct parser *p, size_t first, uint32_t a, uint32_t b)
{
	uint32_t la, lb;
	const char *ka = key_at(p, first, a, &la), *kb = key_at(p, first, b, &lb);

	return la == lb && !memcmp(ka, kb, la);
}

static void sift_down(const struct parser *p, size_t first, uint32_t *a, size_t root, size_t n)
{
	while (2 * root + 1 < n) { /* root at least doubles each pass */
		size_t c = 2 * root + 1;
		uint32_t t;

		if (c + 1 < n && key_cmp(p, first, a[c], a[c + 1]) < 0)
			c++;
		if (key_cmp(p, first, a[root], a[c]) >= 0)
			return;
		t = a[root];
		a[root] = a[c];
		a[c] = t;
		root = c;
	}
}

/* Reports the first member (in document order) whose key appeared before.
 * Large objects are checked by heap-sorting member indexes in the arena gap:
 * O(m log m) whatever keys a hostile sender picks. */
static int check_dups(struct parser *p, size_t first, uint32_t m)
{
	uint32_t dup = UINT32_MAX, *a;
	const struct json_val *k;
	char q[80];
	int rc;

	if (m <= 8) {
		for (uint32_t j = 1; j < m && dup == UINT32_MAX; j++)
			for (uint32_t i = 0; i < j; i++)
				if (key_eq(p, first, i, j)) {
					dup = j;
					break;
				}
	} else {
		size_t off = (p->used + 3) & ~(size_t)3;

		rc = reserve(p, off - p->used + (size_t)m * sizeof(*a));
		if (rc)
			return rc;
		a = (uint32_t *)(void *)(p->base + off); /* scratch: not committed */
		for (uint32_t i = 0; i < m; i++)
			a[i] = i;
		for (size_t i = m / 2; i > 0; i--)
			sift_down(p, first, a, i - 1, m);
		for (size_t n = m; n > 1; n--) {
			uint32_t t = a[0];

			a[0] = a[n - 1];
			a[n - 1] = t;
			sift_down(p, first, a, 0, n - 1);
		}
		for (uint32_t i = 0; i + 1 < m; i++)
			if (a[i + 1] < dup && key_eq(p, first, a[i], a[i + 1]))
				dup = a[i + 1];
	}
	if (dup == UINT32_MAX)
		return 0;
	k = stack_at(p, first + 2 * (size_t)dup);
	{
		/* Keys may hold anything: show at most 60 bytes, control characters escaped. */
		size_t o = 0;
		const unsigned char *ks = (const unsigned char *)p->base + k->u.off;

		for (uint32_t i = 0; i < k->n && o < 60; i++) {
			if (ks[i] < 0x20 || ks[i] == '"' || ks[i] == '\\')
				o += (size_t)snprintf(q + o, sizeof(q) - o, "\\x%02x", ks[i]);
			else
				q[o++] = (char)ks[i];
		}
		if (o >= 60)
			o += (size_t)snprintf(q + o, sizeof(q) - o, "...");
		q[o] = '\0';
	}
	return fail_at(p->err, k->line, k->col, -EINVAL, "duplicate key \"%s\"", q);
}

/* Closes the innermost open container: its children move from the stack
 * into one array at the bottom, and its placeholder becomes the value. */
static int close_container(struct parser *p)
{
	size_t ph = p->open - 1, first = ph + 1, n = p->nstack - first, off = 0;
	struct json_val *c;
	int rc;

	if (stack_at(p, ph)->type == JSON_OBJECT && n >= 4) {
		rc = check_dups(p, first, (uint32_t)(n / 2));
		if (rc)
			return rc;
	}
	if (n) {
		struct json_val *dst;

		rc = alloc_bottom(p, n * VAL_SZ, 8, &off);
		if (rc)
			return rc;
		dst = (struct json_val *)(void *)(p->base + off);
		for (size_t k = 0; k < n; k++)
			dst[k] = *stack_at(p, first + k);
	}
	c = stack_at(p, ph);
	p->open = c->u.off;
	c->u.off = off;
	c->n = (uint32_t)n;
	p->nstack = first;
	p->depth--;
	return 0;
}

/* After a complete value: closes every container that ends here. Returns 1
 * when another value is due (after ',' and, in an object, its key), 0 when
 * the top-level value is complete. */
static int next_element(struct parser *p)
{
	for (unsigned d = 0; d <= JSON_DEPTH_CAP; d++) {
		const struct json_val *c;
		bool obj;
		size_t comma, count;
		int ch, rc;

		if (!p->open)
			return 0;
		c = stack_at(p, p->open - 1);
		obj = c->type == JSON_OBJECT;
		skip_ws(p);
		ch = peek(p);
		if (ch == (obj ? '}' : ']')) {
			p->pos++;
			rc = close_container(p);
			if (rc)
				return rc;
			continue;
		}
		if (ch < 0)
			return fail_eof(p, obj ? "',' or '}'" : "',' or ']'");
		if (ch != ',')
			return fail(p, p->pos, -EINVAL,
				    obj ? "expected ',' or '}' after object member"
					: "expected ',' or ']' after array element");
		comma = p->pos++;
		count = (p->nstack - p->open) / (obj ? 2 : 1);
		skip_ws(p);
		if (peek(p) == (obj ? '}' : ']'))
			return fail(p, comma, -EINVAL, "trailing comma before '%c'",
				    obj ? '}' : ']');
		if (count >= p->lim.max_elems)
			return fail(p, p->pos, -E2BIG, "%s has more than %zu %s",
				    obj ? "object" : "array", p->lim.max_elems,
				    obj ? "members" : "elements");
		if (obj && (rc = parse_key(p)) < 0)
			return rc;
		return 1;
	}
	return fail(p, p->pos, -EINVAL, "nesting deeper than %d", JSON_DEPTH_CAP);
}

static int parse_text(struct parser *p)
{
	char b[16];
	int rc;

	/* Each pass consumes at least one byte. */
	for (size_t pass = 0; pass <= p->len; pass++) {
		skip_ws(p);
		rc = parse_value(p);
		if (rc < 0)
			return rc;
		if (rc == 1) { /* opened: empty, or first key/element */
			bool obj = stack_at(p, p->open - 1)->type == JSON_OBJECT;

			skip_ws(p);
			if (peek(p) != (obj ? '}' : ']')) {
				rc = obj ? parse_key(p) : 0;
				if (rc)
					return rc;
				continue;
			}
			p->pos++;
			rc = close_container(p);
			if (rc)
				return rc;
		}
		rc = next_element(p);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
	}
	if (p->open || p->nstack != 1) /* cannot happen: every pass consumes input */
		return fail(p, p->pos, -EINVAL, "parser made no progress");
	skip_ws(p);
	if (p->pos < p->len)
		return fail(p, p->pos, -EINVAL, "unexpected %s after the top-level value",
			    describe(p->s[p->pos], b));
	return 0;
}

/* Offsets become pointers once the block no longer moves. */
static void fixup(char *base, struct json_val *v)
{
	struct json_val *kids;

	switch (v->type) {
	case JSON_STRING:
		v->u.s = base + v->u.off;
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		kids = v->n ? (struct json_val *)(void *)(base + v->u.off) : NULL;
		for (uint32_t i = 0; i < v->n; i++)
			fixup(base, &kids[i]);
		v->u.kids = kids;
		break;
	default:
		break;
	}
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

int json_parse(const char *text, size_t len, const struct json_limits *lim, struct json_doc **out,
	       struct json_err *err)
{
	struct parser p = {
		.s = (const unsigned char *)text, .len = len, .err = err, .line = 1, .col = 1};
	struct json_doc *doc;
	size_t off;
	char *nb;
	int rc;

	*out = NULL;
	rc = set_limits(&p.lim, lim, err);
	if (rc)
		return rc;
	if (len > p.lim.max_doc)
		return fail_at(err, 0, 0, -E2BIG, "document of %zu bytes, limit is %zu", len,
			       p.lim.max_doc);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		return fail_at(err, 1, 1, -EINVAL, "byte order mark (U+FEFF) not allowed");

	/* Typical documents need about twice their size; doubling does the rest. */
	p.cap = len < (SIZE_MAX - JSON_ARENA_MIN) / 2 ? len * 2 + JSON_ARENA_MIN : SIZE_MAX;
	if (p.cap > p.lim.max_mem)
		p.cap = p.lim.max_mem;
	p.cap &= ~(size_t)7;
	if (p.cap < sizeof(*doc))
		return fail_at(err, 0, 0, -ENOMEM, "document needs more than %zu bytes of memory",
			       p.lim.max_mem);
	p.base = malloc(p.cap);
	if (!p.base)
		return fail_at(err, 0, 0, -ENOMEM, "out of memory");
	rc = alloc_bottom(&p, sizeof(*doc), 8, &off); /* at offset 0 */
	if (!rc)
		rc = parse_text(&p);
	if (rc) {
		free(p.base);
		return rc;
	}
	doc = (struct json_doc *)(void *)p.base;
	doc->root = *stack_at(&p, 0);
	nb = realloc(p.base, p.used); /* before fixup: the block may move */
	if (nb)
		p.base = nb;
	doc = (struct json_doc *)(void *)p.base;
	fixup(p.base, &doc->root);
	*out = doc;
	return 0;
}

void json_free(struct json_doc *doc)
{
	free(doc);
}

const struct json_val *json_root(const struct json_doc *doc)
{
	return doc ? &doc->root : NULL;
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
	*out = v->u.num.d;
	return 0;
}

int json_int(const struct json_val *v, int64_t *out)
{
	if (json_type(v) != JSON_NUMBER || !(v->flags & NUM_INTEGRAL))
		return -EINVAL;
	if (!(v->flags & NUM_INT64))
		return -ERANGE;
	*out = v->u.num.i;
	return 0;
}

int json_uint(const struct json_val *v, uint64_t *out)
{
	if (json_type(v) != JSON_NUMBER || !(v->flags & NUM_INTEGRAL))
		return -EINVAL;
	if (!(v->flags & NUM_UINT64))
		return -ERANGE;
	*out = v->flags & NUM_INT64 ? (uint64_t)v->u.num.i : v->u.num.u;
	return 0;
}

bool json_num_is_int(const struct json_val *v)
{
	return json_type(v) == JSON_NUMBER && (v->flags & NUM_INT64);
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
	return json_type(obj) == JSON_OBJECT ? obj->n / 2 : 0;
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

/* ---- Writer ---- */

struct wbuf {
	char *p;
	size_t room; /* bytes usable before the NUL */
	size_t len;  /* bytes the full output needs */
};

static void w_put(struct wbuf *w, const char *s, size_t n)
{
	if (w->len < w->room)
		memcpy(w->p + w->len, s, n < w->room - w->len ? n : w->room - w->len);
	w->len += n;
}

static void w_str(struct wbuf *w, const char *s, size_t n)
{
	size_t run = 0;

	w_put(w, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		w_put(w, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			w_put(w, "\\\"", 2);
			break;
		case '\\':
			w_put(w, "\\\\", 2);
			break;
		case '\b':
			w_put(w, "\\b", 2);
			break;
		case '\f':
			w_put(w, "\\f", 2);
			break;
		case '\n':
			w_put(w, "\\n", 2);
			break;
		case '\r':
			w_put(w, "\\r", 2);
			break;
		case '\t':
			w_put(w, "\\t", 2);
			break;
		default:
			snprintf(e, sizeof(e), "\\u%04x", c);
			w_put(w, e, 6);
		}
	}
	w_put(w, s + run, n - run);
	w_put(w, "\"", 1);
}

/* Formats a number so that parsing it gives the same value and the same
 * integer flags back: the shortest of %.15g..%.17g that reads back equal. */
static void w_num(struct wbuf *w, const struct json_val *v)
{
	char buf[JSON_NUM_MAX];
	locale_t old = (locale_t)0;
	int n;

	if (v->flags & NUM_INT64) {
		if (v->u.num.i == 0 && signbit(v->u.num.d))
			n = snprintf(buf, sizeof(buf), "-0");
		else
			n = snprintf(buf, sizeof(buf), "%lld", (long long)v->u.num.i);
		w_put(w, buf, (size_t)n);
		return;
	}
	if (v->flags & NUM_UINT64) {
		n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v->u.num.u);
		w_put(w, buf, (size_t)n);
		return;
	}
	pthread_once(&c_loc_once, c_loc_init);
	if (c_loc)
		old = uselocale(c_loc);
	if (v->flags & NUM_INTEGRAL) {
		/* Beyond 64 bits: the double's integer digits, except that -2^63
		 * would read back as an int64; any integer that rounds to it will do. */
		if (v->u.num.d == -0x1p63)
			n = snprintf(buf, sizeof(buf), "-9223372036854775809");
		else
			n = snprintf(buf, sizeof(buf), "%.0f", v->u.num.d);
	} else {
		for (int prec = 15;; prec++) {
			n = snprintf(buf, sizeof(buf), "%.*g", prec, v->u.num.d);
			if (prec == 17 || num_strtod(buf) == v->u.num.d)
				break;
		}
		if (!strpbrk(buf, ".e"))
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, ".0");
	}
	if (c_loc)
		uselocale(old);
	w_put(w, buf, (size_t)n);
}

/* Recursion is bounded by the depth the parser accepted. */
static void w_val(struct wbuf *w, const struct json_val *v)
{
	switch (v->type) {
	case JSON_NULL:
		w_put(w, "null", 4);
		break;
	case JSON_BOOL:
		if (v->u.b)
			w_put(w, "true", 4);
		else
			w_put(w, "false", 5);
		break;
	case JSON_NUMBER:
		w_num(w, v);
		break;
	case JSON_STRING:
		w_str(w, v->u.s, v->n);
		break;
	case JSON_ARRAY:
		w_put(w, "[", 1);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				w_put(w, ",", 1);
			w_val(w, &v->u.kids[i]);
		}
		w_put(w, "]", 1);
		break;
	case JSON_OBJECT:
		w_put(w, "{", 1);
		for (uint32_t i = 0; i < v->n; i += 2) {
			if (i)
				w_put(w, ",", 1);
			w_str(w, v->u.kids[i].u.s, v->u.kids[i].n);
			w_put(w, ":", 1);
			w_val(w, &v->u.kids[i + 1]);
		}
		w_put(w, "}", 1);
		break;
	default:
		break;
	}
}

int json_write(const struct json_val *v, char *buf, size_t cap, size_t *len)
{
	struct wbuf w = {.p = buf, .room = cap ? cap - 1 : 0};

	if (v)
		w_val(&w, v);
	if (cap)
		buf[w.len < w.room ? w.len : w.room] = '\0';
	*len = w.len;
	return w.len > w.room ? -ENOSPC : 0;
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
	if (rc == -ERANGE) {
		json_err_at(err, v, at, "integer out of range [%lld, %lld]", (long long)min,
			    (long long)max);
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
	int rc = get_field(obj, at, key, JSON_NUMBER, required, &v, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	if (v->u.num.d < min || v->u.num.d > max) {
		json_err_at(err, v, &here, "%g out of range [%g, %g]", v->u.num.d, min, max);
		return -ERANGE;
	}
	*out = v->u.num.d;
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

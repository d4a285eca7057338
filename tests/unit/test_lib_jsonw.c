/* jsonw: separators, nesting, escaping, numbers and misuse detection. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "lib/jsonw.h"
#include "test.h"

struct membuf {
	char *buf;
	size_t len;
	FILE *f;
};

static void mem_open(struct membuf *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
}

/* Closes the stream and returns the text (owned by m). */
static const char *mem_text(struct membuf *m)
{
	fclose(m->f);
	m->f = NULL;
	return m->buf;
}

TEST(jsonw_compact_nesting)
{
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_obj_open(&w);
	jsonw_kv_str(&w, "a", "x");
	jsonw_key(&w, "list");
	jsonw_arr_open(&w);
	jsonw_int(&w, -1);
	jsonw_uint(&w, UINT64_MAX);
	jsonw_obj_open(&w);
	jsonw_obj_close(&w);
	jsonw_arr_open(&w);
	jsonw_arr_close(&w);
	jsonw_bool(&w, true);
	jsonw_null(&w);
	jsonw_arr_close(&w);
	jsonw_kv_bool(&w, "f", false);
	jsonw_key(&w, "o");
	jsonw_obj_open(&w);
	jsonw_kv_int(&w, "n", INT64_MIN);
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	CHECK_EQ(jsonw_finish(&w), 0);
	CHECK_STR(mem_text(&m), "{\"a\":\"x\",\"list\":[-1,18446744073709551615,{},[],true,null],"
				"\"f\":false,\"o\":{\"n\":-9223372036854775808}}\n");
	free(m.buf);
}

TEST(jsonw_pretty)
{
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, true);
	jsonw_obj_open(&w);
	jsonw_kv_uint(&w, "a", 1);
	jsonw_key(&w, "b");
	jsonw_arr_open(&w);
	jsonw_uint(&w, 2);
	jsonw_uint(&w, 3);
	jsonw_arr_close(&w);
	jsonw_key(&w, "c");
	jsonw_obj_open(&w);
	jsonw_obj_close(&w);
	jsonw_obj_close(&w);
	CHECK_EQ(jsonw_finish(&w), 0);
	CHECK_STR(mem_text(&m),
		  "{\n  \"a\": 1,\n  \"b\": [\n    2,\n    3\n  ],\n  \"c\": {}\n}\n");
	free(m.buf);
}

TEST(jsonw_escaping)
{
	static const char in[] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f";
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_arr_open(&w);
	jsonw_str(&w, in);
	jsonw_strn(&w, "a\0b", 3);
	jsonw_str(&w, NULL);
	jsonw_arr_close(&w);
	CHECK_EQ(jsonw_finish(&w), 0);
	CHECK_STR(mem_text(&m),
		  "[\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\",\"a\\u0000b\",null]\n");
	free(m.buf);
}

TEST(jsonw_utf8)
{
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_arr_open(&w);
	/* Valid 2, 3 and 4 byte sequences pass through unchanged. */
	jsonw_str(&w, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* Lone continuation, overlong '/', surrogate, truncated sequence, > U+10FFFF. */
	jsonw_str(&w, "\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80");
	/* A key is escaped like a string. */
	jsonw_obj_open(&w);
	jsonw_kv_int(&w, "k\"\xff", 1);
	jsonw_obj_close(&w);
	jsonw_arr_close(&w);
	CHECK_EQ(jsonw_finish(&w), 0);
	CHECK_STR(mem_text(&m), "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
				"\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|"
				"\\ufffd\\ufffd\\ufffd\\ufffd\",{\"k\\\"\\ufffd\":1}]\n");
	free(m.buf);
}

TEST(jsonw_doubles)
{
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_arr_open(&w);
	jsonw_double(&w, 12.345);
	jsonw_double(&w, 0.0);
	jsonw_double(&w, -2.5);
	jsonw_double(&w, 1e300);
	jsonw_double(&w, NAN);
	jsonw_double(&w, INFINITY);
	jsonw_arr_close(&w);
	CHECK_EQ(jsonw_finish(&w), 0);
	CHECK_STR(mem_text(&m), "[12.345,0,-2.5,1e+300,null,null]\n");
	free(m.buf);
}

TEST(jsonw_scalar_document)
{
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, true);
	jsonw_str(&w, "only");
	CHECK_EQ(jsonw_finish(&w), 0);
	CHECK_STR(mem_text(&m), "\"only\"\n");
	free(m.buf);
}

/* Each misuse leaves -EINVAL and stops output at the point of misuse. */
TEST(jsonw_misuse)
{
	struct membuf m;
	struct jsonw w;

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_obj_open(&w);
	jsonw_int(&w, 1); /* value without key */
	jsonw_kv_int(&w, "a", 2);
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	CHECK_STR(mem_text(&m), "{");
	free(m.buf);

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_arr_open(&w);
	jsonw_key(&w, "k"); /* key in an array */
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	mem_text(&m);
	free(m.buf);

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_arr_open(&w);
	jsonw_obj_close(&w); /* wrong closer */
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	mem_text(&m);
	free(m.buf);

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_obj_open(&w);
	jsonw_key(&w, "k");
	jsonw_obj_close(&w); /* key without value */
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	mem_text(&m);
	free(m.buf);

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_obj_open(&w); /* never closed */
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	mem_text(&m);
	free(m.buf);

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	jsonw_int(&w, 1);
	jsonw_int(&w, 2); /* second top-level value */
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	mem_text(&m);
	free(m.buf);

	mem_open(&m);
	jsonw_init(&w, m.f, false);
	for (int i = 0; i < JSONW_MAX_DEPTH + 1; i++)
		jsonw_arr_open(&w);
	CHECK_EQ(w.depth, JSONW_MAX_DEPTH);
	CHECK_EQ(jsonw_finish(&w), -EINVAL);
	mem_text(&m);
	free(m.buf);
}

TEST(jsonw_stream_error)
{
	char buf[8];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct jsonw w;

	CHECK(f != NULL);
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	jsonw_init(&w, f, false);
	jsonw_str(&w, "this string does not fit in eight bytes");
	CHECK_EQ(jsonw_finish(&w), -EIO);
	fclose(f);
}

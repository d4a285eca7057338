/* json: RFC 8259 acceptance and rejection corpora (after the JSONTestSuite
 * y_/n_ categories) through jansson, error positions and messages, limits,
 * numbers, unicode, value positions, round trips through json_emit() and
 * lib/jsonw, and the schema helpers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/json.h"
#include "lib/jsonw.h"
#include "test.h"

struct jcase {
	const char *name;
	const char *text;
	size_t len;
};

/* A literal and its length, for the calls that take both. */
#define S(lit) lit, sizeof(lit) - 1

/* Parses text that must be valid; NULL (and a failed check) otherwise. */
static struct json_doc *parse_ok(const char *text, size_t len)
{
	struct json_doc *doc = NULL;
	struct json_err err = {0};
	int rc = json_parse(text, len, NULL, &doc, &err);

	if (rc)
		test_fail(__FILE__, __LINE__, "parse \"%.*s\": %d:%d: %s",
			  (int)(len > 60 ? 60 : len), text, err.line, err.col, err.msg);
	return doc;
}

static struct json_doc *parse_str(const char *text)
{
	return parse_ok(text, strlen(text));
}

/* Parses text that must be invalid; returns the error code. */
static int parse_bad(const char *text, size_t len, const struct json_limits *lim,
		     struct json_err *err)
{
	struct json_doc *doc = (struct json_doc *)1;
	int rc = json_parse(text, len, lim, &doc, err);

	CHECK(doc == NULL);
	if (!rc)
		json_free(doc);
	return rc;
}

/* Error for text, which must fail with msg (substring) at line:col. */
static void expect_err(int srcline, const char *text, int line, int col, const char *msg)
{
	struct json_err err = {0};
	int rc = parse_bad(text, strlen(text), NULL, &err);

	if (!rc || err.line != line || err.col != col || !strstr(err.msg, msg))
		test_fail(__FILE__, srcline, "\"%s\": rc %d at %d:%d \"%s\", want %d:%d \"%s\"",
			  text, rc, err.line, err.col, err.msg, line, col, msg);
}

#define EXPECT_ERR(text, line, col, msg) expect_err(__LINE__, text, line, col, msg)

/* Writes v compactly through jsonw into out (cap bytes, NUL-terminated, no
 * trailing newline); jsonw_finish()'s result. */
static int emit(const struct json_val *v, char *out, size_t cap, size_t *n)
{
	FILE *f = fmemopen(out, cap, "w");
	struct jsonw w;
	int rc;

	if (!f)
		return -errno;
	setbuf(f, NULL);
	jsonw_init(&w, f, false);
	json_emit(&w, v);
	rc = jsonw_finish(&w);
	*n = (size_t)ftell(f);
	fclose(f);
	if (!rc && *n && out[*n - 1] == '\n')
		out[--*n] = '\0';
	return rc;
}

/* Compact form of text (which must parse), in a static buffer. */
static const char *compact(const char *text, size_t len)
{
	static char out[4096];
	struct json_doc *doc = parse_ok(text, len);
	size_t n = 0;

	out[0] = '\0';
	if (doc) {
		CHECK_EQ(emit(json_root(doc), out, sizeof(out), &n), 0);
		CHECK_EQ(strlen(out), n);
		json_free(doc);
	}
	return out;
}

static const struct jcase valid[] = {
	{"y_array_empty", S("[]")},
	{"y_array_empty_string", S("[\"\"]")},
	{"y_array_arrays_with_spaces", S("[[]   ]")},
	{"y_array_false", S("[false]")},
	{"y_array_heterogeneous", S("[null, 1, \"1\", {}]")},
	{"y_array_null", S("[null]")},
	{"y_array_with_1_and_newline", S("[1\n]")},
	{"y_array_with_leading_space", S(" [1]")},
	{"y_array_with_several_null", S("[1,null,null,null,2]")},
	{"y_array_with_trailing_space", S("[2] ")},
	{"y_number", S("[123e65]")},
	{"y_number_0e+1", S("[0e+1]")},
	{"y_number_0e1", S("[0e1]")},
	{"y_number_after_space", S("[ 4]")},
	{"y_number_double_close_to_zero", S("[-0.0000000000000000000000000000000000000000000001]")},
	{"y_number_int_with_exp", S("[20e1]")},
	{"y_number_minus_zero", S("[-0]")},
	{"y_number_negative_int", S("[-123]")},
	{"y_number_negative_one", S("[-1]")},
	{"y_number_negative_zero", S("[-0]")},
	{"y_number_real_capital_e", S("[1E22]")},
	{"y_number_real_capital_e_neg_exp", S("[1E-2]")},
	{"y_number_real_capital_e_pos_exp", S("[1E+2]")},
	{"y_number_real_exponent", S("[123e45]")},
	{"y_number_real_fraction_exponent", S("[123.456e78]")},
	{"y_number_real_neg_exp", S("[1e-2]")},
	{"y_number_real_pos_exponent", S("[1e+2]")},
	{"y_number_simple_int", S("[123]")},
	{"y_number_simple_real", S("[123.456789]")},
	{"y_number_int64_edges", S("[-9223372036854775808, 9223372036854775807]")},
	{"y_number_1e308", S("[1e308]")},
	{"y_number_underflow_to_zero", S("[1e-400]")},
	{"y_number_subnormal", S("[4.9e-324]")},
	{"y_object", S("{\"asd\":\"sdf\", \"dfg\":\"fgh\"}")},
	{"y_object_basic", S("{\"asd\":\"sdf\"}")},
	{"y_object_empty", S("{}")},
	{"y_object_empty_key", S("{\"\":0}")},
	{"y_object_extreme_numbers", S("{ \"min\": -1.0e+28, \"max\": 1.0e+28 }")},
	{"y_object_long_strings",
	 S("{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxx\"}")},
	{"y_object_simple", S("{\"a\":[]}")},
	{"y_object_string_unicode",
	 S("{\"title\":\"\\u041f\\u043e\\u043b\\u0442\\u043e\\u0440\\u0430 \\u0417\\u0435\" }")},
	{"y_object_with_newlines", S("{\n\"a\": \"b\"\n}")},
	{"y_object_same_key_different_case", S("{\"a\":1,\"A\":2}")},
	{"y_object_keys_differ_by_escape", S("{\"a\\u0062\":1,\"ab \":2, \"a\\/b\":3}")},
	{"y_string_1_2_3_bytes_utf8", S("[\"\\u0060\\u012a\\u12AB\"]")},
	{"y_string_accepted_surrogate_pair", S("[\"\\uD801\\udc37\"]")},
	{"y_string_accepted_surrogate_pairs", S("[\"\\ud83d\\ude39\\ud83d\\udc8d\"]")},
	{"y_string_allowed_escapes", S("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]")},
	{"y_string_backslash_and_u_escaped_zero", S("[\"\\\\u0000\"]")},
	{"y_string_backslash_doublequotes", S("[\"\\\"\"]")},
	{"y_string_comments", S("[\"a/*b*/c/*d//e\"]")},
	{"y_string_double_escape_a", S("[\"\\\\a\"]")},
	{"y_string_double_escape_n", S("[\"\\\\n\"]")},
	{"y_string_escaped_control_character", S("[\"\\u0012\"]")},
	{"y_string_escaped_noncharacter", S("[\"\\uFFFF\"]")},
	{"y_string_in_array", S("[\"asd\"]")},
	{"y_string_last_surrogates_1_and_2", S("[\"\\uDBFF\\uDFFF\"]")},
	{"y_string_in_array_with_leading_space", S("[ \"asd\"]")},
	{"y_string_nbsp_uescaped", S("[\"new\\u00A0line\"]")},
	{"y_string_noncharacter_raw", S("[\"\xef\xbf\xbf\"]")},
	{"y_string_max_code_point_raw", S("[\"\xf4\x8f\xbf\xbf\"]")},
	{"y_string_u+2028_line_sep", S("[\"\xe2\x80\xa8\"]")},
	{"y_string_utf8", S("[\"\xe2\x82\xac\xf0\x9d\x84\x9e\"]")},
	{"y_string_unicode_escaped_double_quote", S("[\"\\u0022\"]")},
	{"y_string_with_del_character", S("[\"a\177a\"]")},
	{"y_string_space", S("\" \"")},
	{"y_structure_lonely_false", S("false")},
	{"y_structure_lonely_int", S("42")},
	{"y_structure_lonely_negative_real", S("-0.1")},
	{"y_structure_lonely_null", S("null")},
	{"y_structure_lonely_string", S("\"asd\"")},
	{"y_structure_lonely_true", S("true")},
	{"y_structure_string_empty", S("\"\"")},
	{"y_structure_trailing_newline", S("[\"a\"]\n")},
	{"y_structure_true_in_array", S("[true]")},
	{"y_structure_whitespace_array", S(" [] ")},
	{"y_structure_all_whitespace_kinds", S("\t\r\n [1] \t\r\n")},
	{"y_structure_nested", S("{\"a\":{\"b\":{\"c\":[[[{}]]]}}}")},
	{"y_structure_crlf", S("{\r\n\"a\": [1,\r\n2]\r\n}\r\n")},
};

static const struct jcase invalid[] = {
	/* jansson keeps integers in int64_t and refuses larger ones (RFC 8259
	 * section 9 lets a parser limit the range of numbers). */
	{"n_number_uint64_max", S("[18446744073709551615]")},
	{"n_number_big_int", S("[100000000000000000000000000000]")},
	{"n_array_1_true_without_comma", S("[1 true]")},
	{"n_array_colon_instead_of_comma", S("[\"\": 1]")},
	{"n_array_comma_after_close", S("[\"\"],")},
	{"n_array_comma_and_number", S("[,1]")},
	{"n_array_double_comma", S("[1,,2]")},
	{"n_array_double_extra_comma", S("[\"x\",,]")},
	{"n_array_extra_close", S("[\"x\"]]")},
	{"n_array_extra_comma", S("[\"\",]")},
	{"n_array_incomplete", S("[\"x\"")},
	{"n_array_incomplete_invalid_value", S("[x")},
	{"n_array_inner_array_no_comma", S("[3[4]]")},
	{"n_array_items_separated_by_semicolon", S("[1:2]")},
	{"n_array_just_comma", S("[,]")},
	{"n_array_just_minus", S("[-]")},
	{"n_array_missing_value", S("[   , \"\"]")},
	{"n_array_newlines_unclosed", S("[\"a\",\n4\n,1,")},
	{"n_array_number_and_comma", S("[1,]")},
	{"n_array_number_and_several_commas", S("[1,,]")},
	{"n_array_star_inside", S("[*]")},
	{"n_array_unclosed", S("[\"\"")},
	{"n_array_unclosed_trailing_comma", S("[1,")},
	{"n_array_unclosed_with_object_inside", S("[{}")},
	{"n_array_a_invalid_utf8", S("[a\xe5]")},
	{"n_array_spaces_vertical_tab_formfeed", S("[\"\013a\"\\f]")},
	{"n_incomplete_false", S("[fals]")},
	{"n_incomplete_null", S("[nul]")},
	{"n_incomplete_true", S("[tru]")},
	{"n_number_++", S("[++1234]")},
	{"n_number_+1", S("[+1]")},
	{"n_number_+Inf", S("[+Inf]")},
	{"n_number_-01", S("[-01]")},
	{"n_number_-1.0.", S("[-1.0.]")},
	{"n_number_-2.", S("[-2.]")},
	{"n_number_-NaN", S("[-NaN]")},
	{"n_number_.-1", S("[.-1]")},
	{"n_number_.2e-3", S("[.2e-3]")},
	{"n_number_0.1.2", S("[0.1.2]")},
	{"n_number_0.3e+", S("[0.3e+]")},
	{"n_number_0.3e", S("[0.3e]")},
	{"n_number_0.e1", S("[0.e1]")},
	{"n_number_0_capital_E+", S("[0E+]")},
	{"n_number_0e", S("[0e]")},
	{"n_number_1.0e-", S("[1.0e-]")},
	{"n_number_1_000", S("[1 000.0]")},
	{"n_number_1eE2", S("[1eE2]")},
	{"n_number_2.e+3", S("[2.e+3]")},
	{"n_number_9.e+", S("[9.e+]")},
	{"n_number_Inf", S("[Inf]")},
	{"n_number_Infinity", S("[Infinity]")},
	{"n_number_NaN", S("[NaN]")},
	{"n_number_-Infinity", S("[-Infinity]")},
	{"n_number_with_leading_zero", S("[012]")},
	{"n_number_neg_with_leading_zero", S("[-012]")},
	{"n_number_hex_1_digit", S("[0x1]")},
	{"n_number_hex_2_digits", S("[0x42]")},
	{"n_number_invalid+-", S("[0e+-1]")},
	{"n_number_real_garbage_after_e", S("[1ea]")},
	{"n_number_minus_space_1", S("[- 1]")},
	{"n_number_minus_sign_with_trailing_garbage", S("[-foo]")},
	{"n_number_U+FF11_fullwidth_digit_one", S("[\xef\xbc\x91]")},
	{"n_number_with_alpha", S("[1.2a-3]")},
	{"n_number_infinity_overflow", S("[1e309]")},
	{"n_number_neg_infinity_overflow", S("[-1e309]")},
	{"n_number_huge_exp", S("[0.4e00669999999999999999999999999999999999999999999999]")},
	{"n_object_bad_value", S("[\"x\", truth]")},
	{"n_object_comma_instead_of_colon", S("{\"x\", null}")},
	{"n_object_double_colon", S("{\"x\"::\"b\"}")},
	{"n_object_emoji", S("{\xf0\x9f\x87\xa8\xf0\x9f\x87\xad}")},
	{"n_object_garbage_at_end", S("{\"a\":\"a\" 123}")},
	{"n_object_key_with_single_quotes", S("{key: 'value'}")},
	{"n_object_missing_colon", S("{\"a\" b}")},
	{"n_object_missing_key", S("{:\"b\"}")},
	{"n_object_missing_semicolon", S("{\"a\" \"b\"}")},
	{"n_object_missing_value", S("{\"a\":")},
	{"n_object_no_colon", S("{\"a\"")},
	{"n_object_non_string_key", S("{1:1}")},
	{"n_object_non_string_key_but_huge_number", S("{9999E9999:1}")},
	{"n_object_repeated_null_null", S("{null:null,null:null}")},
	{"n_object_several_trailing_commas", S("{\"id\":0,,,,,}")},
	{"n_object_single_quote", S("{'a':0}")},
	{"n_object_trailing_comma", S("{\"id\":0,}")},
	{"n_object_trailing_comment", S("{\"a\":\"b\"}/**/")},
	{"n_object_trailing_comment_slash_open", S("{\"a\":\"b\"}//")},
	{"n_object_two_commas_in_a_row", S("{\"a\":\"b\",,\"c\":\"d\"}")},
	{"n_object_unquoted_key", S("{a: \"b\"}")},
	{"n_object_unterminated_value", S("{\"a\":\"a")},
	{"n_object_with_single_string", S("{ \"foo\" : \"bar\", \"a\" }")},
	{"n_object_with_trailing_garbage", S("{\"a\":\"b\"}#")},
	{"n_object_duplicated_key", S("{\"a\":\"b\",\"a\":\"c\"}")},
	{"n_object_duplicated_key_and_value", S("{\"a\":\"b\",\"a\":\"b\"}")},
	{"n_object_duplicated_key_escaped", S("{\"ab\":1,\"a\\u0062\":2}")},
	{"n_object_escaped_null_in_key", S("{\"foo\\u0000bar\": 42}")},
	{"n_single_space", S(" ")},
	{"n_string_1_surrogate_then_escape", S("[\"\\uD800\\\"]")},
	{"n_string_1_surrogate_then_escape_u", S("[\"\\uD800\\u\"]")},
	{"n_string_1_surrogate_then_escape_u1", S("[\"\\uD800\\u1\"]")},
	{"n_string_accentuated_char_no_quotes", S("[\xc3\xa9]")},
	{"n_string_backslash_00", S("[\"\\\x00\"]")},
	{"n_string_escape_x", S("[\"\\x00\"]")},
	{"n_string_escaped_backslash_bad", S("[\"\\\\\\\"]")},
	{"n_string_escaped_ctrl_char_tab", S("[\"\\\t\"]")},
	{"n_string_escaped_emoji", S("[\"\\\xf0\x9f\x8c\x80\"]")},
	{"n_string_incomplete_escape", S("[\"\\\"]")},
	{"n_string_incomplete_escaped_character", S("[\"\\u00A\"]")},
	{"n_string_incomplete_surrogate", S("[\"\\uD834\\uDd\"]")},
	{"n_string_invalid_backslash_esc", S("[\"\\a\"]")},
	{"n_string_invalid_unicode_escape", S("[\"\\uqqqq\"]")},
	{"n_string_invalid_utf8_after_escape", S("[\"\\\xe5\"]")},
	{"n_string_leading_uescaped_thinspace", S("[\\u0020\"asd\"]")},
	{"n_string_no_quotes_with_bad_escape", S("[\\n]")},
	{"n_string_single_doublequote", S("\"")},
	{"n_string_single_quote", S("['single quote']")},
	{"n_string_single_string_no_double_quotes", S("abc")},
	{"n_string_start_escape_unclosed", S("[\"\\")},
	{"n_string_unescaped_ctrl_char", S("[\"a\000a\"]")},
	{"n_string_unescaped_newline", S("[\"new\nline\"]")},
	{"n_string_unescaped_tab", S("[\"\t\"]")},
	{"n_string_unicode_CapitalU", S("\"\\UA66D\"")},
	{"n_string_with_trailing_garbage", S("\"\"x")},
	{"n_string_lone_high_surrogate", S("[\"\\uD800\"]")},
	{"n_string_lone_low_surrogate", S("[\"\\uDC00\"]")},
	{"n_string_high_surrogate_then_bmp", S("[\"\\uD800\\u0041\"]")},
	{"n_string_two_high_surrogates", S("[\"\\uD800\\uD800\"]")},
	{"n_string_escaped_nul", S("[\"\\u0000\"]")},
	{"n_string_invalid_utf8_ff", S("[\"\xff\"]")},
	{"n_string_overlong_2", S("[\"\xc0\xaf\"]")},
	{"n_string_overlong_3", S("[\"\xe0\x80\xaf\"]")},
	{"n_string_overlong_4", S("[\"\xf0\x80\x80\xaf\"]")},
	{"n_string_utf8_surrogate", S("[\"\xed\xa0\x80\"]")},
	{"n_string_beyond_10ffff", S("[\"\xf4\x90\x80\x80\"]")},
	{"n_string_5_byte_sequence", S("[\"\xf8\x88\x80\x80\x80\"]")},
	{"n_string_lone_continuation", S("[\"\x80\"]")},
	{"n_string_truncated_utf8", S("[\"\xe2\x82\"]")},
	{"n_string_truncated_utf8_2", S("[\"\xc2\"]")},
	{"n_structure_angle_bracket_.", S("<.>")},
	{"n_structure_angle_bracket_null", S("[<null>]")},
	{"n_structure_array_trailing_garbage", S("[1]x")},
	{"n_structure_array_with_extra_array_close", S("[1]]")},
	{"n_structure_array_with_unclosed_string", S("[\"asd]")},
	{"n_structure_ascii_unicode_identifier", S("a\xc3\xa5")},
	{"n_structure_capitalized_True", S("[True]")},
	{"n_structure_close_unopened_array", S("1]")},
	{"n_structure_comma_instead_of_closing_brace", S("{\"x\": true,")},
	{"n_structure_double_array", S("[][]")},
	{"n_structure_end_array", S("]")},
	{"n_structure_end_object", S("}")},
	{"n_structure_lone_colon", S(":")},
	{"n_structure_lone_comma", S(",")},
	{"n_structure_empty", S("")},
	{"n_structure_incomplete_UTF8_BOM", S("\xef\xbb{}")},
	{"n_structure_UTF8_BOM_empty_object", S("\xef\xbb\xbf{}")},
	{"n_structure_UTF8_BOM_no_data", S("\xef\xbb\xbf")},
	{"n_structure_lone_invalid_utf8", S("\xe5")},
	{"n_structure_lone_open_bracket", S("[")},
	{"n_structure_no_data", S("")},
	{"n_structure_null_byte_outside_string", S("[\x00]")},
	{"n_structure_number_with_trailing_garbage", S("2@")},
	{"n_structure_nul_after_value", S("[1]\x00")},
	/* jansson alone reads these as [1], {"a":true}, 7: found by fuzz_json. */
	{"n_structure_nul_after_number", S("[1\x00]")},
	{"n_structure_nul_after_literal", S("{\"a\":true\x00}")},
	{"n_structure_nul_after_top_level_number", S("7\x00")},
	{"n_structure_object_followed_by_closing_object", S("{}}")},
	{"n_structure_object_unclosed_no_value", S("{\"\":")},
	{"n_structure_object_with_comment", S("{\"a\":/*comment*/\"b\"}")},
	{"n_structure_object_with_trailing_garbage", S("{\"a\": true} \"x\"")},
	{"n_structure_open_array_apostrophe", S("['")},
	{"n_structure_open_array_comma", S("[,")},
	{"n_structure_open_array_open_object", S("[{")},
	{"n_structure_open_array_open_string", S("[\"a")},
	{"n_structure_open_array_string", S("[\"a\"")},
	{"n_structure_open_object", S("{")},
	{"n_structure_open_object_close_array", S("{]")},
	{"n_structure_open_object_comma", S("{,")},
	{"n_structure_open_object_open_array", S("{[")},
	{"n_structure_open_object_open_string", S("{\"a")},
	{"n_structure_open_object_string_with_apostrophes", S("{'a'")},
	{"n_structure_single_star", S("*")},
	{"n_structure_trailing_#", S("{\"a\":\"b\"}#{}")},
	{"n_structure_U+2060_word_joined", S("[\xe2\x81\xa0]")},
	{"n_structure_uescaped_LF_before_string", S("[\\u000A\"\"]")},
	{"n_structure_unclosed_array_partial_null", S("[ false, nul")},
	{"n_structure_unclosed_array_unfinished_false", S("[ true, fals")},
	{"n_structure_unclosed_object", S("{\"asd\":\"asd\"")},
	{"n_structure_unicode_identifier", S("\xc3\xa5")},
	{"n_structure_whitespace_formfeed", S("[\x0c]")},
	{"n_structure_whitespace_U+2060", S("[\xe2\x81\xa0]")},
	{"n_structure_whitespace_nbsp", S("[\xc2\xa0]")},
	{"n_structure_two_values", S("1 2")},
	{"n_structure_two_objects", S("{}{}")},
	{"n_structure_python_none", S("None")},
};

TEST(json_valid_corpus)
{
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		struct json_doc *doc = NULL;
		struct json_err err = {0};

		if (json_parse(valid[i].text, valid[i].len, NULL, &doc, &err)) {
			test_fail(__FILE__, __LINE__, "%s: rejected at %d:%d: %s", valid[i].name,
				  err.line, err.col, err.msg);
			continue;
		}
		CHECK(json_root(doc) != NULL);
		json_free(doc);
	}
}

TEST(json_invalid_corpus)
{
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		struct json_doc *doc = NULL;
		struct json_err err = {0};
		int rc = json_parse(invalid[i].text, invalid[i].len, NULL, &doc, &err);

		if (!rc) {
			test_fail(__FILE__, __LINE__, "%s: accepted", invalid[i].name);
			json_free(doc);
			continue;
		}
		CHECK(doc == NULL);
		if (err.line < 1 || err.col < 1 || !err.msg[0] ||
		    strlen(err.msg) >= sizeof(err.msg))
			test_fail(__FILE__, __LINE__,
				  "%s: error without position or text (%d:%d %s)", invalid[i].name,
				  err.line, err.col, err.msg);
	}
}

/* Every valid case writes back to text that parses to the same output. */
TEST(json_valid_corpus_round_trip)
{
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		char first[1024], second[1024];
		struct json_doc *doc = parse_ok(valid[i].text, valid[i].len), *again;
		size_t n1 = 0, n2 = 0;

		if (!doc)
			continue;
		CHECK_EQ(emit(json_root(doc), first, sizeof(first), &n1), 0);
		again = parse_ok(first, n1);
		if (again) {
			CHECK_EQ(emit(json_root(again), second, sizeof(second), &n2), 0);
			if (n1 != n2 || memcmp(first, second, n1))
				test_fail(__FILE__, __LINE__, "%s: %s != %s", valid[i].name, first,
					  second);
			json_free(again);
		}
		json_free(doc);
	}
}

TEST(json_error_messages_and_positions)
{
	EXPECT_ERR("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 5, "'}' expected");
	EXPECT_ERR("[1 2]", 1, 4, "']' expected");
	EXPECT_ERR("[1,]", 1, 4, "unexpected token");
	EXPECT_ERR("{\"a\":1,\n}", 2, 1, "string or '}' expected");
	EXPECT_ERR("{\"name\":1,\"name\":2}", 1, 16, "duplicate object key");
	EXPECT_ERR("[\"ab\\uZZZZ\"]", 1, 7, "invalid escape");
	EXPECT_ERR("[\"\\ud800x\"]", 1, 10, "invalid Unicode '\\uD800'");
	EXPECT_ERR("[\"\\udc00\"]", 1, 9, "invalid Unicode '\\uDC00'");
	EXPECT_ERR("[\"a\\u0000\"]", 1, 10, "\\u0000 is not allowed");
	EXPECT_ERR("[\"a\\q\"]", 1, 5, "invalid escape");
	EXPECT_ERR("[1e309]", 1, 6, "real number overflow");
	EXPECT_ERR("[-1e309]", 1, 7, "real number overflow");
	EXPECT_ERR("[01]", 1, 2, "invalid token");
	EXPECT_ERR("[1.]", 1, 3, "invalid token");
	EXPECT_ERR("[1e+]", 1, 4, "invalid token");
	EXPECT_ERR("[-x]", 1, 2, "invalid token");
	EXPECT_ERR("[0x10]", 1, 3, "']' expected");
	EXPECT_ERR("{\"a\": True}", 1, 10, "invalid token");
	EXPECT_ERR("{\"a\": yes}", 1, 9, "invalid token");
	EXPECT_ERR("{\"a\": 'x'}", 1, 7, "invalid token");
	EXPECT_ERR("{name: 1}", 1, 5, "string or '}' expected");
	EXPECT_ERR("{\"a\" 1}", 1, 6, "':' expected");
	EXPECT_ERR("[1] // note", 1, 5, "end of file expected");
	EXPECT_ERR("// note\n[1]", 1, 1, "invalid token");
	EXPECT_ERR("[1,\n 2,\n", 3, 1, "']' expected near end of file");
	EXPECT_ERR("{\"a\": {\"b\": 1}", 1, 14, "'}' expected");
	EXPECT_ERR("{\"a\": [1, 2}", 1, 12, "']' expected");
	EXPECT_ERR("[\"abc]", 1, 6, "premature end of input");
	EXPECT_ERR("{\"a\": \"abc\n\"}", 1, 10, "unexpected newline");
	EXPECT_ERR("[\"a\tb\"]", 1, 3, "control character 0x9");
	EXPECT_ERR("[\"a\xc3(\"]", 1, 3, "unable to decode byte 0xc3");
	EXPECT_ERR("", 1, 1, "unexpected token");
	EXPECT_ERR("  \n ", 2, 1, "unexpected token near end of file");
	EXPECT_ERR("\xef\xbb\xbf[]", 1, 1, "byte order mark");
	{
		struct json_err err = {0};

		CHECK_EQ(parse_bad(S("{\"\xc3\xa9\":\n 12\x00}"), NULL, &err), -EINVAL);
		CHECK_STR(err.msg, "NUL byte (0x00) not allowed");
		CHECK_EQ(err.line, 2);
		CHECK_EQ(err.col, 4);
	}
	EXPECT_ERR("[\x01]", 1, 2, "invalid token");
	EXPECT_ERR("[]]", 1, 3, "end of file expected");
	EXPECT_ERR("{\"a\":1}\n{\"b\":2}", 2, 1, "end of file expected");
	/* Columns count characters: "é" and "😀" are one column each. */
	EXPECT_ERR("{\"\xc3\xa9\": 1, \"\xf0\x9f\x98\x80\": x}", 1, 15, "invalid token");
	EXPECT_ERR("{\"a\":\n\t[1,\n\t 2 3]}", 3, 5, "']' expected");
}

TEST(json_value_positions)
{
	const char *text =
		"{\n  \"nodes\": [\n    {\"name\": \"r1\"},\n    {\"name\": \"\xc3\xa9t\xc3\xa9\", "
		"\"mtu\": 1500}\n  ]\n}";
	struct json_doc *doc = parse_str(text);
	const struct json_val *root, *nodes, *n1;

	if (!doc)
		return;
	root = json_root(doc);
	CHECK_EQ(json_line(root), 1);
	CHECK_EQ(json_col(root), 1);
	nodes = json_obj_get(root, "nodes");
	CHECK_EQ(json_line(nodes), 2);
	CHECK_EQ(json_col(nodes), 12);
	CHECK_EQ(json_line(json_arr_at(nodes, 0)), 3);
	CHECK_EQ(json_col(json_arr_at(nodes, 0)), 5);
	n1 = json_arr_at(nodes, 1);
	CHECK_EQ(json_col(json_obj_get(n1, "name")), 14);
	CHECK_EQ(json_line(json_obj_get(n1, "mtu")), 4);
	CHECK_EQ(json_col(json_obj_get(n1, "mtu")), 28); /* "été" is 3 columns, 5 bytes */
	CHECK_EQ(json_line(NULL), 0);
	json_free(doc);
}

TEST(json_depth_limit)
{
	char buf[2 * 1100 + 1];
	struct json_limits lim = {.max_depth = 3};
	struct json_err err;
	struct json_doc *doc;

	/* Default 64: 64 levels parse, 65 do not, and the error names the bracket. */
	memset(buf, '[', 64);
	memset(buf + 64, ']', 64);
	doc = parse_ok(buf, 128);
	json_free(doc);
	memset(buf, '[', 65);
	memset(buf + 65, ']', 65);
	CHECK_EQ(parse_bad(buf, 130, NULL, &err), -E2BIG);
	CHECK_STR(err.msg, "nesting deeper than 64");
	CHECK_EQ(err.col, 65);

	CHECK_EQ(parse_bad(S("[{\"a\":[[1]]}]"), &lim, &err), -E2BIG);
	CHECK_STR(err.msg, "nesting deeper than 3");
	CHECK_EQ(err.col, 8);
	CHECK_EQ(json_parse(S("[{\"a\":[1]}]"), &lim, &doc, &err), 0);
	json_free(doc);

	/* Up to the hard cap when asked, never above. */
	lim.max_depth = JSON_DEPTH_CAP;
	memset(buf, '[', 1024);
	memset(buf + 1024, ']', 1024);
	CHECK_EQ(json_parse(buf, 2048, &lim, &doc, &err), 0);
	json_free(doc);
	lim.max_depth = JSON_DEPTH_CAP + 1;
	CHECK_EQ(parse_bad(S("[]"), &lim, &err), -EINVAL);
	CHECK(strstr(err.msg, "max_depth") != NULL);
}

TEST(json_size_limits)
{
	struct json_limits lim = {.max_doc = 8};
	struct json_err err;
	struct json_doc *doc;

	CHECK_EQ(parse_bad(S("[1,2,3,4]"), &lim, &err), -E2BIG);
	CHECK_STR(err.msg, "document of 9 bytes, limit is 8");
	CHECK_EQ(json_parse(S("[1,2,34]"), &lim, &doc, &err), 0);
	json_free(doc);

	/* Strings count decoded bytes, keys too. */
	lim = (struct json_limits){.max_str = 4};
	CHECK_EQ(json_parse(S("[\"abcd\",\"\\u00e9\\u00e9\"]"), &lim, &doc, &err), 0);
	json_free(doc);
	CHECK_EQ(parse_bad(S("[\"ab\", \"abcde\"]"), &lim, &err), -E2BIG);
	CHECK_STR(err.msg, "string longer than 4 bytes");
	CHECK_EQ(err.col, 8);
	CHECK_EQ(parse_bad(S("{\"abcde\":1}"), &lim, &err), -E2BIG);
	CHECK_EQ(parse_bad(S("[\"\\u00e9\\u00e9\\u00e9\"]"), &lim, &err), -E2BIG);

	/* Elements per container. */
	lim = (struct json_limits){.max_elems = 3};
	CHECK_EQ(json_parse(S("[1,2,[3,4,5]]"), &lim, &doc, &err), 0);
	json_free(doc);
	CHECK_EQ(parse_bad(S("[1,2,3,4]"), &lim, &err), -E2BIG);
	CHECK_STR(err.msg, "array has more than 3 elements");
	CHECK_EQ(err.col, 8);
	CHECK_EQ(parse_bad(S("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}"), &lim, &err), -E2BIG);
	CHECK_STR(err.msg, "object has more than 3 members");

	/* Memory for the tree. */
	lim = (struct json_limits){.max_mem = 4096};
	CHECK_EQ(json_parse(S("[[1,2],{\"a\":\"b\"}]"), &lim, &doc, &err), 0);
	json_free(doc);
	CHECK_EQ(
		parse_bad(
			S("[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
			  "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"),
			&lim, &err),
		-ENOMEM);
	CHECK(strstr(err.msg, "more than 4096 bytes of memory") != NULL);
	lim = (struct json_limits){.max_doc = JSON_DOC_CAP + 1};
	CHECK_EQ(parse_bad(S("1"), &lim, &err), -EINVAL);
}

/* The default element limit, exactly: 1,000,000 elements parse, one more
 * does not. Also moves the arena many times while the tree is built. */
TEST(json_million_elements)
{
	size_t n = JSON_MAX_ELEMS_DEFAULT, len = 2 * n + 1;
	char *buf = malloc(len + 2);
	struct json_doc *doc = NULL;
	struct json_err err;
	int64_t x = -1;

	if (!buf)
		return;
	buf[0] = '[';
	for (size_t i = 0; i < n; i++) {
		buf[1 + 2 * i] = (char)('0' + i % 10);
		buf[2 + 2 * i] = ',';
	}
	buf[len - 1] = ']';
	CHECK_EQ(json_parse(buf, len, NULL, &doc, &err), 0);
	CHECK_EQ(json_arr_len(json_root(doc)), n);
	CHECK_EQ(json_int(json_arr_at(json_root(doc), n - 1), &x), 0);
	CHECK_EQ(x, (n - 1) % 10);
	CHECK_EQ(json_col(json_arr_at(json_root(doc), n - 1)), (int)len - 1);
	json_free(doc);
	memcpy(buf + len - 1, ",0]", 3);
	CHECK_EQ(parse_bad(buf, len + 2, NULL, &err), -E2BIG);
	CHECK_STR(err.msg, "array has more than 1000000 elements");
	free(buf);
}

TEST(json_duplicate_keys)
{
	struct json_err err;
	char big[4096];
	size_t n = 0;

	/* jansson places the error at the repeated key's last character. */
	EXPECT_ERR("{\"a\":1,\"b\":2,\"a\":3}", 1, 16, "duplicate object key near '\"a\"'");
	EXPECT_ERR("{\"x\":{\"k\":1,\"k\":1}}", 1, 15, "duplicate object key near '\"k\"'");
	/* Keys compare after decoding; the message quotes the key as written. */
	EXPECT_ERR("{\"\xc3\xa9\":1,\"\\u00e9\":2}", 1, 15,
		   "duplicate object key near '\"\\u00e9\"'");
	/* Control characters in the quoted text are escaped. */
	EXPECT_ERR("{\"\xc3\xa9\":1,\"\xc3\xa9\":2}", 1, 10,
		   "duplicate object key near '\"\\xc3\\xa9\"'");

	/* A large object (sorted check): the first repeat in document order. */
	n += (size_t)snprintf(big + n, sizeof(big) - n, "{");
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "\"k%d\":%d,", i, i);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "\"k150\":0,\"k7\":0}");
	CHECK_EQ(parse_bad(big, n, NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "duplicate object key near '\"k150\"'");
	CHECK_EQ(err.col, (int)n - 10);
	big[n - 15] = 'x'; /* "x150" is new: now "k7" is the repeat */
	CHECK_EQ(parse_bad(big, n, NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "duplicate object key near '\"k7\"'");
	big[n - 6] = 'x';
	{
		struct json_doc *doc = parse_ok(big, n);

		CHECK_EQ(json_obj_len(json_root(doc)), 202);
		CHECK_STR(json_obj_key(json_root(doc), 199), "k199");
		CHECK_STR(json_obj_key(json_root(doc), 200), "x150");
		json_free(doc);
	}
}

TEST(json_unicode)
{
	struct json_doc *doc = parse_str("[\"\\u00e9\", \"\\u20AC\", \"\\ud83d\\ude00\", "
					 "\"\\uDBFF\\uDFFF\", \"\xf0\x9f\x98\x80\", "
					 "\"a\\/b\\\\c\\\"d\\b\\f\\n\\r\\t\", \"\\u001f\\u007f\"]");
	const struct json_val *a;

	if (!doc)
		return;
	a = json_root(doc);
	CHECK_STR(json_str(json_arr_at(a, 0)), "\xc3\xa9");
	CHECK_STR(json_str(json_arr_at(a, 1)), "\xe2\x82\xac");
	CHECK_STR(json_str(json_arr_at(a, 2)), "\xf0\x9f\x98\x80");
	CHECK_EQ(json_str_len(json_arr_at(a, 2)), 4);
	CHECK_STR(json_str(json_arr_at(a, 3)), "\xf4\x8f\xbf\xbf");
	CHECK_STR(json_str(json_arr_at(a, 4)), "\xf0\x9f\x98\x80");
	CHECK_STR(json_str(json_arr_at(a, 5)), "a/b\\c\"d\b\f\n\r\t");
	CHECK_STR(json_str(json_arr_at(a, 6)), "\x1f\x7f");
	json_free(doc);
}

TEST(json_numbers)
{
	struct json_doc *doc =
		parse_str("[-0, 0, 1e308, 9223372036854775807, -9223372036854775808, "
			  "1.5, 1e2, 1e-400, -0.0, 0.1, 1.0]");
	const struct json_val *a;
	int64_t i = 7;
	uint64_t u = 7;
	double d = 7;

	if (!doc)
		return;
	a = json_root(doc);
	/* "-0" is the integer 0 (jansson keeps no sign on integers); -0.0 keeps it. */
	CHECK_EQ(json_int(json_arr_at(a, 0), &i), 0);
	CHECK_EQ(i, 0);
	CHECK(json_num(json_arr_at(a, 8), &d) == 0 && d == 0 && signbit(d));
	CHECK_EQ(json_num(json_arr_at(a, 2), &d), 0);
	CHECK(d == 1e308);
	CHECK_EQ(json_int(json_arr_at(a, 2), &i), -EINVAL);
	CHECK_EQ(json_int(json_arr_at(a, 3), &i), 0);
	CHECK(i == INT64_MAX);
	CHECK_EQ(json_uint(json_arr_at(a, 3), &u), 0);
	CHECK(u == (uint64_t)INT64_MAX);
	CHECK_EQ(json_int(json_arr_at(a, 4), &i), 0);
	CHECK(i == INT64_MIN);
	CHECK_EQ(json_uint(json_arr_at(a, 4), &u), -ERANGE);
	CHECK(json_num(json_arr_at(a, 4), &d) == 0 && d == -0x1p63);
	CHECK_EQ(json_int(json_arr_at(a, 5), &i), -EINVAL);
	CHECK_EQ(json_uint(json_arr_at(a, 5), &u), -EINVAL);
	CHECK(json_num(json_arr_at(a, 5), &d) == 0 && d == 1.5);
	CHECK(!json_num_is_int(json_arr_at(a, 6))); /* 1e2: an exponent is not an integer */
	CHECK(json_num(json_arr_at(a, 6), &d) == 0 && d == 100);
	CHECK(json_num(json_arr_at(a, 7), &d) == 0 && d == 0);
	CHECK(json_num(json_arr_at(a, 9), &d) == 0 && d == 0.1);
	CHECK(!json_num_is_int(json_arr_at(a, 10))); /* 1.0: a fraction */
	CHECK(json_num_is_int(json_arr_at(a, 3)));
	CHECK_EQ(json_int(json_arr_at(a, 99), &i), -EINVAL);
	CHECK_EQ(json_num(a, &d), -EINVAL);
	json_free(doc);

	/* Beyond int64_t or a double: refused, not rounded. */
	{
		char buf[600] = "[";
		struct json_err err;

		CHECK_EQ(parse_bad(S("[9223372036854775808]"), NULL, &err), -ERANGE);
		CHECK(strstr(err.msg, "too big integer") != NULL);
		CHECK_EQ(parse_bad(S("[-9223372036854775809]"), NULL, &err), -ERANGE);
		memset(buf + 1, '1', 550);
		buf[551] = ']';
		CHECK_EQ(parse_bad(buf, 552, NULL, &err), -ERANGE);
		memcpy(buf + 1, "1e999", 5);
		buf[6] = ']';
		CHECK_EQ(parse_bad(buf, 7, NULL, &err), -ERANGE);
		CHECK(strstr(err.msg, "real number overflow") != NULL);
	}
}

TEST(json_accessors)
{
	struct json_doc *doc = parse_str("{\"z\":1,\"a\":[true,false,null],\"m\":{},\"s\":\"x\"}");
	const struct json_val *r, *a;
	bool b = false;

	if (!doc)
		return;
	r = json_root(doc);
	CHECK_EQ(json_type(r), JSON_OBJECT);
	CHECK_EQ(json_obj_len(r), 4);
	/* Document order, not sorted. */
	CHECK_STR(json_obj_key(r, 0), "z");
	CHECK_STR(json_obj_key(r, 1), "a");
	CHECK_STR(json_obj_key(r, 3), "s");
	CHECK(json_obj_key(r, 4) == NULL);
	CHECK(json_obj_val(r, 4) == NULL);
	CHECK(json_obj_val(r, 2) == json_obj_get(r, "m"));
	CHECK(json_obj_get(r, "nope") == NULL);
	CHECK(json_obj_get(r, "") == NULL);
	a = json_obj_get(r, "a");
	CHECK_EQ(json_type(a), JSON_ARRAY);
	CHECK_EQ(json_arr_len(a), 3);
	CHECK_EQ(json_bool(json_arr_at(a, 0), &b), 0);
	CHECK(b);
	CHECK_EQ(json_bool(json_arr_at(a, 1), &b), 0);
	CHECK(!b);
	CHECK_EQ(json_type(json_arr_at(a, 2)), JSON_NULL);
	CHECK_EQ(json_bool(json_arr_at(a, 2), &b), -EINVAL);
	CHECK(json_arr_at(a, 3) == NULL);
	CHECK(json_arr_at(r, 0) == NULL);
	CHECK_EQ(json_arr_len(r), 0);
	CHECK_EQ(json_obj_len(a), 0);
	CHECK(json_obj_get(a, "a") == NULL);
	CHECK(json_str(a) == NULL);
	CHECK_STR(json_str(json_obj_get(r, "s")), "x");
	CHECK_EQ(json_obj_len(json_obj_get(r, "m")), 0);
	CHECK_STR(json_type_name(JSON_OBJECT), "object");
	CHECK_STR(json_type_name(JSON_TYPE_MAX), "?");
	CHECK(json_root(NULL) == NULL);
	json_free(doc);
	json_free(NULL);
}

TEST(json_emit_compact)
{
	CHECK_STR(compact(S("{ \"a\" : [1, 2.5, -0, true, null, \"x\\u00e9\\n\"] , \"b\":{ } }")),
		  "{\"a\":[1,2.5,0,true,null,\"x\xc3\xa9\\n\"],\"b\":{}}");
	CHECK_STR(compact(S("1e2")), "100");
	CHECK_STR(compact(S("0.1")), "0.1");
	CHECK_STR(compact(S("-0.0")), "-0");
	CHECK_STR(compact(S("1.5e300")), "1.5e+300");
	CHECK_STR(compact(S("5e-324")), "4.94065645841247e-324");
	CHECK_STR(compact(S("-9223372036854775808")), "-9223372036854775808");
	/* 15 digits would round past DBL_MAX and read back out of range. */
	CHECK_STR(compact(S("1.7976931348623157e308")), "1.7976931348623157e+308");
	CHECK_STR(compact(S("\"\\u0001\\/\\\"\\\\\x7f\"")), "\"\\u0001/\\\"\\\\\x7f\"");
	CHECK_STR(compact(S("[\"\\b\\f\\n\\r\\t\\u001f\"]")), "[\"\\b\\f\\n\\r\\t\\u001f\"]");
	CHECK_STR(compact(S("{\"k\\n\":[[],{}]}")), "{\"k\\n\":[[],{}]}");
}

/* A document nested deeper than jsonw tracks fails to write, cleanly. */
TEST(json_emit_too_deep)
{
	char text[2 * (JSONW_MAX_DEPTH + 1)], out[256];
	struct json_doc *doc;
	size_t n = 0;

	memset(text, '[', JSONW_MAX_DEPTH + 1);
	memset(text + JSONW_MAX_DEPTH + 1, ']', JSONW_MAX_DEPTH + 1);
	doc = parse_ok(text, sizeof(text));
	if (!doc)
		return;
	CHECK_EQ(emit(json_root(doc), out, sizeof(out), &n), -EINVAL);
	json_free(doc);
	doc = parse_ok(text + 1, sizeof(text) - 2);
	if (!doc)
		return;
	CHECK_EQ(emit(json_root(doc), out, sizeof(out), &n), 0);
	CHECK_EQ(n, sizeof(text) - 2);
	json_free(doc);
}

static const char topo[] = "{\n"
			   "  \"name\": \"lab\",\n"
			   "  \"nodes\": [\n"
			   "    {\"name\": \"r1\", \"mtu\": 1500, \"kernel\": true},\n"
			   "    {\"name\": \"r2\", \"mtu\": 70000, \"lnks\": [], \"links\": {}},\n"
			   "    {\"name\": 7, \"weight\": 0.5, \"a b\": {\"x\": 1}}\n"
			   "  ]\n"
			   "}\n";

TEST(json_schema_getters)
{
	struct json_doc *doc = parse_ok(topo, sizeof(topo) - 1);
	struct json_path p_nodes = JSON_PATH_KEY(NULL, "nodes"), p_node;
	const struct json_val *root, *nodes = NULL, *links = NULL;
	struct json_err err;
	const char *name = "dflt";
	int64_t mtu = 9000;
	bool kernel = false;
	double w = 1;

	if (!doc)
		return;
	root = json_root(doc);
	CHECK_EQ(json_get_str(root, NULL, "name", &name, JSON_REQUIRED, &err), 0);
	CHECK_STR(name, "lab");
	CHECK_EQ(json_get_arr(root, NULL, "nodes", &nodes, JSON_REQUIRED, &err), 0);
	CHECK_EQ(json_arr_len(nodes), 3);

	p_node = JSON_PATH_IDX(&p_nodes, 0);
	CHECK_EQ(json_get_int(json_arr_at(nodes, 0), &p_node, "mtu", &mtu, 1280, 9216, 1, &err), 0);
	CHECK_EQ(mtu, 1500);
	CHECK_EQ(json_get_bool(json_arr_at(nodes, 0), &p_node, "kernel", &kernel, 0, &err), 0);
	CHECK(kernel);
	/* Optional and absent: 0, default kept. */
	name = "dflt";
	CHECK_EQ(json_get_str(json_arr_at(nodes, 0), &p_node, "role", &name, 0, &err), 0);
	CHECK_STR(name, "dflt");
	CHECK_EQ(json_get_obj(json_arr_at(nodes, 0), &p_node, "links", &links, 0, &err), 0);
	CHECK(links == NULL);
	CHECK_EQ(json_get_num(json_arr_at(nodes, 0), &p_node, "weight", &w, 0, 1, 0, &err), 0);
	CHECK(w == 1);

	/* Missing required: reported at the object, with the full path. */
	CHECK_EQ(json_get_str(json_arr_at(nodes, 0), &p_node, "role", &name, 1, &err), -ENOENT);
	CHECK_STR(err.msg, "missing required field 'nodes[0].role'");
	CHECK_EQ(err.line, 4);
	CHECK_EQ(err.col, 5);

	p_node = JSON_PATH_IDX(&p_nodes, 1);
	CHECK_EQ(json_get_int(json_arr_at(nodes, 1), &p_node, "mtu", &mtu, 1280, 9216, 1, &err),
		 -ERANGE);
	CHECK_STR(err.msg, "field 'nodes[1].mtu': 70000 out of range [1280, 9216]");
	CHECK_EQ(err.line, 5);
	CHECK_EQ(err.col, 27);
	CHECK_EQ(mtu, 1500);
	CHECK_EQ(json_get_arr(json_arr_at(nodes, 1), &p_node, "links", &links, 1, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'nodes[1].links': expected array, got object");
	CHECK_EQ(err.line, 5);
	CHECK_EQ(err.col, 55);

	p_node = JSON_PATH_IDX(&p_nodes, 2);
	CHECK_EQ(json_get_str(json_arr_at(nodes, 2), &p_node, "name", &name, 1, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'nodes[2].name': expected string, got number");
	CHECK_EQ(json_get_int(json_arr_at(nodes, 2), &p_node, "weight", &mtu, 0, 10, 1, &err),
		 -EINVAL);
	CHECK_STR(err.msg,
		  "field 'nodes[2].weight': expected an integer, got a number with a fraction or "
		  "exponent");
	CHECK_EQ(json_get_num(json_arr_at(nodes, 2), &p_node, "weight", &w, 0, 1, 1, &err), 0);
	CHECK(w == 0.5);
	CHECK_EQ(json_get_num(json_arr_at(nodes, 2), &p_node, "weight", &w, 0.75, 1, 1, &err),
		 -ERANGE);
	CHECK_STR(err.msg, "field 'nodes[2].weight': 0.5 out of range [0.75, 1]");
	CHECK_EQ(json_get_bool(json_arr_at(nodes, 2), &p_node, "weight", &kernel, 1, &err),
		 -EINVAL);
	CHECK_STR(err.msg, "field 'nodes[2].weight': expected boolean, got number");
	{
		/* Keys that are not identifiers are quoted in paths. */
		struct json_path p_ab = JSON_PATH_KEY(&p_node, "a b");
		const struct json_val *ab = json_obj_get(json_arr_at(nodes, 2), "a b");

		CHECK_EQ(json_get_str(ab, &p_ab, "x", &name, 1, &err), -EINVAL);
		CHECK_STR(err.msg, "field 'nodes[2][\"a b\"].x': expected string, got number");
	}
	/* Getters on a non-object say so. */
	CHECK_EQ(json_get_str(nodes, &p_nodes, "name", &name, 1, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'nodes': expected object, got array");
	CHECK_EQ(json_get_str(NULL, NULL, "name", &name, 1, &err), -EINVAL);
	CHECK_STR(err.msg, "expected object, got nothing");
	CHECK_EQ(err.line, 0);
	json_free(doc);
}

TEST(json_schema_check_keys)
{
	static const char *const node_keys[] = {"name", "mtu", "kernel", "links", NULL};
	static const char *const root_keys[] = {"name", "nodes", NULL};
	struct json_doc *doc = parse_ok(topo, sizeof(topo) - 1);
	struct json_path p_nodes = JSON_PATH_KEY(NULL, "nodes"), p_node;
	const struct json_val *nodes;
	struct json_err err;

	if (!doc)
		return;
	nodes = json_obj_get(json_root(doc), "nodes");
	p_node = JSON_PATH_IDX(&p_nodes, 0);
	CHECK_EQ(json_check_keys(json_arr_at(nodes, 0), &p_node, node_keys, &err), 0);
	p_node = JSON_PATH_IDX(&p_nodes, 1);
	CHECK_EQ(json_check_keys(json_arr_at(nodes, 1), &p_node, node_keys, &err), -EINVAL);
	CHECK_STR(err.msg, "unknown field \"lnks\" in 'nodes[1]' (did you mean \"links\"?)");
	CHECK_EQ(err.line, 5);
	CHECK_EQ(err.col, 34);
	p_node = JSON_PATH_IDX(&p_nodes, 2);
	CHECK_EQ(json_check_keys(json_arr_at(nodes, 2), &p_node, node_keys, &err), -EINVAL);
	CHECK_STR(err.msg, "unknown field \"weight\" in 'nodes[2]'");
	CHECK_EQ(json_check_keys(json_root(doc), NULL, root_keys, &err), 0);
	CHECK_EQ(json_check_keys(nodes, &p_nodes, node_keys, &err), -EINVAL);
	CHECK_STR(err.msg, "field 'nodes': expected object, got array");
	json_free(doc);

	/* Transpositions and case are near misses; unrelated short names are not. */
	doc = parse_str("{\"nmae\": 1, \"MTU\": 2, \"ttl\": 3}");
	if (!doc)
		return;
	CHECK_EQ(json_check_keys(json_root(doc), NULL, node_keys, &err), -EINVAL);
	CHECK_STR(err.msg, "unknown field \"nmae\" (did you mean \"name\"?)");
	{
		static const char *const k2[] = {"name", "mtu", "kernel", "ttl", NULL};
		static const char *const k3[] = {"name", "MTU", "kernel", "foo", NULL};

		CHECK_EQ(json_check_keys(json_root(doc), NULL, k2 + 0, &err), -EINVAL);
		CHECK_STR(err.msg, "unknown field \"nmae\" (did you mean \"name\"?)");
		CHECK_EQ(json_check_keys(json_root(doc), NULL, k3, &err), -EINVAL);
		CHECK_STR(err.msg, "unknown field \"nmae\" (did you mean \"name\"?)");
	}
	json_free(doc);
	doc = parse_str("{\"ttl\": 3, \"\\u0001\\\"'\": 0}");
	if (!doc)
		return;
	CHECK_EQ(json_check_keys(json_root(doc), NULL, node_keys, &err), -EINVAL);
	CHECK_STR(err.msg, "unknown field \"ttl\"");
	{
		static const char *const k4[] = {"ttl", NULL};

		/* Hostile key text is escaped in the message. */
		CHECK_EQ(json_check_keys(json_root(doc), NULL, k4, &err), -EINVAL);
		CHECK_STR(err.msg, "unknown field \"\\x01\\x22\\x27\"");
	}
	json_free(doc);
}

TEST(json_schema_paths_and_custom_errors)
{
	struct json_path a = JSON_PATH_KEY(NULL, "chains"), b = JSON_PATH_IDX(&a, 3),
			 c = JSON_PATH_KEY(&b, "hops"), d = JSON_PATH_IDX(&c, 0),
			 e = JSON_PATH_KEY(&d, "fw.1");
	struct json_doc *doc = parse_str("{\"x\": [5, \"s\", 300]}");
	const struct json_val *x;
	struct json_err err;
	char buf[64];
	const char *s = NULL;
	int64_t v = 0;

	CHECK_EQ(json_path_fmt(&d, buf, sizeof(buf)), strlen("chains[3].hops[0]"));
	CHECK_STR(buf, "chains[3].hops[0]");
	json_path_fmt(&e, buf, sizeof(buf));
	CHECK_STR(buf, "chains[3].hops[0][\"fw.1\"]");
	CHECK_EQ(json_path_fmt(NULL, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	json_path_fmt(&d, buf, 8);
	CHECK_STR(buf, "chains[");

	if (!doc)
		return;
	x = json_obj_get(json_root(doc), "x");
	{
		struct json_path px = JSON_PATH_KEY(NULL, "x"), p0 = JSON_PATH_IDX(&px, 0),
				 p1 = JSON_PATH_IDX(&px, 1), p2 = JSON_PATH_IDX(&px, 2);

		CHECK_EQ(json_as_int(json_arr_at(x, 0), &p0, 0, 255, &v, &err), 0);
		CHECK_EQ(v, 5);
		CHECK_EQ(json_as_int(json_arr_at(x, 2), &p2, 0, 255, &v, &err), -ERANGE);
		CHECK_STR(err.msg, "field 'x[2]': 300 out of range [0, 255]");
		CHECK_EQ(err.col, 16);
		CHECK_EQ(json_as_int(json_arr_at(x, 1), &p1, 0, 255, &v, &err), -EINVAL);
		CHECK_STR(err.msg, "field 'x[1]': expected number, got string");
		CHECK_EQ(json_as_str(json_arr_at(x, 1), &p1, &s, &err), 0);
		CHECK_STR(s, "s");
		CHECK_EQ(json_expect(json_arr_at(x, 0), &p0, JSON_STRING, &err), -EINVAL);
		CHECK_STR(err.msg, "field 'x[0]': expected string, got number");
		CHECK_EQ(json_expect(json_arr_at(x, 9), &p0, JSON_NULL, &err), -EINVAL);
		json_err_at(&err, json_arr_at(x, 1), &p1, "unknown node \"%s\"", "s");
		CHECK_STR(err.msg, "field 'x[1]': unknown node \"s\"");
		CHECK_EQ(err.line, 1);
		CHECK_EQ(err.col, 11);
		json_err_at(&err, x, NULL, "plain %d", 1);
		CHECK_STR(err.msg, "plain 1");
	}
	/* Long paths are cut, never overflow. */
	{
		struct json_path chain[200];

		for (int i = 0; i < 200; i++)
			chain[i] = i % 2 ? JSON_PATH_IDX(&chain[i - 1], (size_t)i)
					 : JSON_PATH_KEY(i ? &chain[i - 1] : NULL, "segment");
		json_err_at(&err, x, &chain[199], "boom");
		CHECK_EQ(strlen(err.msg), sizeof(err.msg) - 1);
		CHECK_EQ(strncmp(err.msg, "field 'segment[1].segment[3]", 28), 0);
	}
	json_free(doc);
}

/* A realistic topology, walked the way srlab will walk it. */
TEST(json_schema_topology_walk)
{
	static const char text[] =
		"{\n"
		"  \"nodes\": [\n"
		"    {\"name\": \"r1\", \"role\": \"ingress\", \"sid\": \"2001:db8:1::\"},\n"
		"    {\"name\": \"fw\", \"role\": \"nfv\", \"functions\": [\"firewall\"]},\n"
		"    {\"name\": \"r2\", \"role\": \"egress\", \"links\": [{\"peer\": \"r1\", "
		"\"metric\": "
		"10}, {\"peer\": \"fw\", \"metric\": -1}]}\n"
		"  ]\n"
		"}\n";
	static const char *const node_keys[] = {"name", "role", "sid", "functions", "links", NULL};
	static const char *const link_keys[] = {"peer", "metric", NULL};
	struct json_doc *doc = parse_ok(text, sizeof(text) - 1);
	struct json_path p_nodes = JSON_PATH_KEY(NULL, "nodes");
	const struct json_val *nodes = NULL;
	struct json_err err = {0};
	int rc = 0;

	if (!doc)
		return;
	CHECK_EQ(json_get_arr(json_root(doc), NULL, "nodes", &nodes, 1, &err), 0);
	for (size_t i = 0; i < json_arr_len(nodes) && !rc; i++) {
		struct json_path p_node = JSON_PATH_IDX(&p_nodes, i), p_links;
		const struct json_val *node = json_arr_at(nodes, i), *links = NULL;
		const char *name;

		if ((rc = json_expect(node, &p_node, JSON_OBJECT, &err)) ||
		    (rc = json_check_keys(node, &p_node, node_keys, &err)) ||
		    (rc = json_get_str(node, &p_node, "name", &name, 1, &err)) ||
		    (rc = json_get_arr(node, &p_node, "links", &links, 0, &err)))
			break;
		p_links = JSON_PATH_KEY(&p_node, "links");
		for (size_t j = 0; j < json_arr_len(links) && !rc; j++) {
			struct json_path p_link = JSON_PATH_IDX(&p_links, j);
			const struct json_val *l = json_arr_at(links, j);
			int64_t metric;

			if ((rc = json_check_keys(l, &p_link, link_keys, &err)) ||
			    (rc = json_get_int(l, &p_link, "metric", &metric, 1, 65535, 1, &err)))
				break;
		}
	}
	CHECK_EQ(rc, -ERANGE);
	CHECK_STR(err.msg, "field 'nodes[2].links[1].metric': -1 out of range [1, 65535]");
	CHECK_EQ(err.line, 5);
	CHECK_EQ(err.col, 103);
	json_free(doc);
}

/* The default string and document limits, at their edges. */
TEST(json_default_limits)
{
	size_t smax = JSON_MAX_STR_DEFAULT, dmax = JSON_MAX_DOC_DEFAULT;
	char *buf = malloc(dmax + 1);
	struct json_doc *doc = NULL;
	struct json_err err;

	if (!buf)
		return;
	/* A string of exactly 1 MiB, then one byte more. */
	buf[0] = '"';
	memset(buf + 1, 'a', smax + 1);
	buf[smax + 1] = '"';
	CHECK_EQ(json_parse(buf, smax + 2, NULL, &doc, &err), 0);
	CHECK_EQ(json_str_len(json_root(doc)), smax);
	json_free(doc);
	buf[smax + 1] = 'a';
	buf[smax + 2] = '"';
	CHECK_EQ(parse_bad(buf, smax + 3, NULL, &err), -E2BIG);
	CHECK_STR(err.msg, "string longer than 1048576 bytes");
	CHECK_EQ(err.col, 1);

	/* 16 MiB of whitespace around a value parse; one byte more does not. */
	memset(buf, ' ', dmax + 1);
	buf[dmax / 2] = '0';
	CHECK_EQ(json_parse(buf, dmax, NULL, &doc, &err), 0);
	json_free(doc);
	CHECK_EQ(parse_bad(buf, dmax + 1, NULL, &err), -E2BIG);
	CHECK_STR(err.msg, "document of 16777217 bytes, limit is 16777216");
	free(buf);
}

/* Edges of the error text: long keys and paths are cut, positions on
 * earlier lines are found, and a tiny memory limit fails cleanly. */
TEST(json_error_edges)
{
	char key[200], text[512];
	struct json_limits lim = {.max_mem = 16};
	struct json_err err;
	struct json_doc *doc;

	EXPECT_ERR("[1,\n2,\n]", 3, 1, "unexpected token near ']'");
	EXPECT_ERR("{\"a\":\n\n1,\n  }", 4, 3, "string or '}' expected near '}'");

	memset(key, 'k', 100);
	key[100] = '\0';
	snprintf(text, sizeof(text), "{\"%s\":1,\"%s\":2}", key, key);
	CHECK_EQ(parse_bad(text, strlen(text), NULL, &err), -EINVAL);
	CHECK_STR(err.msg, "duplicate object key"); /* jansson leaves out a long token */
	CHECK_EQ(err.col, (int)strlen(text) - 3);

	snprintf(text, sizeof(text), "{\"%s\":1}", key);
	doc = parse_str(text);
	if (doc) {
		static const char *const keys[] = {"name", NULL};
		struct json_path p_empty = JSON_PATH_KEY(NULL, "");
		int64_t v;

		CHECK_EQ(json_check_keys(json_root(doc), NULL, keys, &err), -EINVAL);
		CHECK(strstr(err.msg, "kkk...\"") != NULL);
		CHECK(strstr(err.msg, "did you mean") == NULL);
		CHECK_EQ(json_get_int(json_root(doc), &p_empty, "x", &v, 0, 1, 1, &err), -ENOENT);
		CHECK_STR(err.msg, "missing required field '[\"\"].x'");
		json_free(doc);
	}
	{
		struct json_path deep[JSON_DEPTH_CAP + 10];
		char buf[64];

		deep[0] = JSON_PATH_IDX(NULL, 0);
		for (int i = 1; i < JSON_DEPTH_CAP + 10; i++)
			deep[i] = JSON_PATH_IDX(&deep[i - 1], 1);
		json_path_fmt(&deep[JSON_DEPTH_CAP + 9], buf, sizeof(buf));
		CHECK_EQ(strncmp(buf, "...[1][1]", 9), 0);
	}
	CHECK_EQ(parse_bad(S("[]"), &lim, &err), -ENOMEM);
	CHECK(strstr(err.msg, "more than 16 bytes of memory") != NULL);
}

TEST(json_as_int_range)
{
	struct json_doc *doc = parse_str("[-9223372036854775808]");
	struct json_path p = JSON_PATH_IDX(NULL, 0);
	struct json_err err;
	int64_t v;

	if (!doc)
		return;
	CHECK_EQ(json_as_int(json_arr_at(json_root(doc), 0), &p, 0, 10, &v, &err), -ERANGE);
	CHECK_STR(err.msg, "field '[0]': -9223372036854775808 out of range [0, 10]");
	json_free(doc);
}

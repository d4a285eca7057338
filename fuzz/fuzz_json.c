/* libFuzzer target for lib/json (jansson, positions, limits, schema helpers).
 * Any input either fails with a positioned message or parses; a parsed
 * document written through json_emit()/jsonw parses back to the same tree
 * (doubles to 15 significant digits) and writes back to the same bytes. Tight
 * limits never accept what the defaults reject, and the schema helpers run
 * over every object. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/jsonw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* exact: numbers compare bit for bit; otherwise doubles within the 15
 * significant digits jsonw writes (an integral double may come back as an
 * integer). */
static bool same(const struct json_val *a, const struct json_val *b, bool exact)
{
	enum json_type t = json_type(a);

	if (t != json_type(b))
		return false;
	switch (t) {
	case JSON_NULL:
		return true;
	case JSON_BOOL: {
		bool x = false, y = false;

		json_bool(a, &x);
		json_bool(b, &y);
		return x == y;
	}
	case JSON_NUMBER: {
		double x = 0, y = 0;
		int64_t i = 0, j = 0;
		uint64_t u = 0, v = 0;

		json_num(a, &x);
		json_num(b, &y);
		if (!exact && !json_num_is_int(a))
			return x == y || fabs(x - y) <= 1e-14 * fmax(fabs(x), fabs(y));
		return !memcmp(&x, &y, sizeof(x)) && json_int(a, &i) == json_int(b, &j) && i == j &&
		       json_uint(a, &u) == json_uint(b, &v) && u == v &&
		       json_num_is_int(a) == json_num_is_int(b);
	}
	case JSON_STRING:
		return json_str_len(a) == json_str_len(b) &&
		       !memcmp(json_str(a), json_str(b), json_str_len(a));
	case JSON_ARRAY:
		if (json_arr_len(a) != json_arr_len(b))
			return false;
		for (size_t i = 0; i < json_arr_len(a); i++)
			if (!same(json_arr_at(a, i), json_arr_at(b, i), exact))
				return false;
		return true;
	case JSON_OBJECT:
		if (json_obj_len(a) != json_obj_len(b))
			return false;
		for (size_t i = 0; i < json_obj_len(a); i++)
			if (strcmp(json_obj_key(a, i), json_obj_key(b, i)) ||
			    !same(json_obj_val(a, i), json_obj_val(b, i), exact))
				return false;
		return true;
	default:
		return false;
	}
}

static void check_msg(const struct json_err *err)
{
	FUZZ_CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
	FUZZ_CHECK(err->msg[0] != '\0');
}

/* Runs the accessors and schema helpers over v, as a topology reader would. */
static void walk(const struct json_val *v, const struct json_path *at)
{
	static const char *const keys[] = {"name", "nodes", "links", "mtu", "peer", NULL};
	struct json_err err;
	const struct json_val *sub;
	const char *s;
	int64_t i;
	double d;
	bool b;
	char path[256];

	json_path_fmt(at, path, sizeof(path));
	FUZZ_CHECK(memchr(path, '\0', sizeof(path)) != NULL);
	switch (json_type(v)) {
	case JSON_STRING:
		FUZZ_CHECK(strlen(json_str(v)) == json_str_len(v));
		if (json_as_int(v, at, 0, 1, &i, &err))
			check_msg(&err);
		break;
	case JSON_NUMBER:
		if (json_as_int(v, at, -1000, 1000, &i, &err))
			check_msg(&err);
		break;
	case JSON_ARRAY:
		for (size_t k = 0; k < json_arr_len(v); k++) {
			struct json_path p = JSON_PATH_IDX(at, k);

			walk(json_arr_at(v, k), &p);
		}
		break;
	case JSON_OBJECT:
		if (json_check_keys(v, at, keys, &err))
			check_msg(&err);
		if (json_get_str(v, at, "name", &s, JSON_REQUIRED, &err))
			check_msg(&err);
		if (json_get_int(v, at, "mtu", &i, 1280, 9216, JSON_OPTIONAL, &err))
			check_msg(&err);
		if (json_get_num(v, at, "weight", &d, 0, 1, JSON_OPTIONAL, &err))
			check_msg(&err);
		if (json_get_bool(v, at, "kernel", &b, JSON_OPTIONAL, &err))
			check_msg(&err);
		if (json_get_arr(v, at, "nodes", &sub, JSON_OPTIONAL, &err))
			check_msg(&err);
		if (json_get_obj(v, at, "links", &sub, JSON_OPTIONAL, &err))
			check_msg(&err);
		for (size_t k = 0; k < json_obj_len(v); k++) {
			struct json_path p = JSON_PATH_KEY(at, json_obj_key(v, k));

			/* Keys are unique, so lookup by name finds member k. */
			FUZZ_CHECK(json_obj_get(v, json_obj_key(v, k)) == json_obj_val(v, k));
			walk(json_obj_val(v, k), &p);
		}
		break;
	default:
		break;
	}
}

/* Writes v through jsonw into a malloc'd buffer; NULL when jsonw refuses it
 * (nesting deeper than JSONW_MAX_DEPTH). */
static char *write_all(const struct json_val *v, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	struct jsonw w;
	int rc;

	FUZZ_CHECK(f != NULL);
	jsonw_init(&w, f, false);
	json_emit(&w, v);
	rc = jsonw_finish(&w);
	FUZZ_CHECK(fclose(f) == 0);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc) {
		free(out);
		return NULL;
	}
	FUZZ_CHECK(strlen(out) == *len);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct json_limits tight = {
		.max_depth = 8, .max_str = 32, .max_elems = 16, .max_mem = 1 << 16};
	struct json_doc *doc = NULL, *again = NULL, *small = NULL;
	struct json_err err, err_small;
	char *out1, *out2;
	size_t n1, n2;
	int rc, rc_small;

	rc = json_parse((const char *)data, size, NULL, &doc, &err);
	rc_small = json_parse((const char *)data, size, &tight, &small, &err_small);
	if (rc_small) {
		check_msg(&err_small);
		FUZZ_CHECK(rc_small == -EINVAL || rc_small == -ERANGE || rc_small == -E2BIG ||
			   rc_small == -ENOMEM);
	}
	if (rc) {
		FUZZ_CHECK(rc_small != 0); /* tighter limits never accept more */
		check_msg(&err);
		FUZZ_CHECK(rc == -EINVAL || rc == -ERANGE || rc == -E2BIG || rc == -ENOMEM);
		FUZZ_CHECK(rc == -ENOMEM || (err.line >= 1 && err.col >= 1));
		return 0;
	}
	if (small)
		FUZZ_CHECK(same(json_root(doc), json_root(small), true));
	json_free(small);

	walk(json_root(doc), NULL);

	out1 = write_all(json_root(doc), &n1);
	if (!out1) {
		json_free(doc);
		return 0;
	}
	rc = json_parse(out1, n1, NULL, &again, &err);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(same(json_root(doc), json_root(again), false));
	out2 = write_all(json_root(again), &n2);
	FUZZ_CHECK(out2 && n1 == n2 && !memcmp(out1, out2, n1));

	free(out2);
	free(out1);
	json_free(again);
	json_free(doc);
	return 0;
}

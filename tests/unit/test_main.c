/* Runs every registered unit test (or those whose name contains argv[1]). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

#define TEST_MAX 2048

struct test_case {
	const char *name;
	const char *file;
	void (*fn)(void);
};

static struct test_case cases[TEST_MAX];
static int n_cases;
static int cur_failures;

void test_register(const char *name, void (*fn)(void), const char *file)
{
	if (n_cases == TEST_MAX)
		abort();
	cases[n_cases++] = (struct test_case){name, file, fn};
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cur_failures++;
}

size_t test_hex(uint8_t *buf, size_t cap, const char *hex)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (isspace((unsigned char)*hex) || *hex == ':')
			continue;
		if (!isxdigit((unsigned char)*hex))
			abort();
		v = isdigit((unsigned char)*hex) ? *hex - '0' : (tolower(*hex) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			abort();
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < n_cases; i++) {
		if (argc > 1 && !strstr(cases[i].name, argv[1]))
			continue;
		cur_failures = 0;
		cases[i].fn();
		if (cur_failures) {
			failed++;
			fprintf(stderr, "FAIL %s (%s)\n", cases[i].name, cases[i].file);
		} else {
			passed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

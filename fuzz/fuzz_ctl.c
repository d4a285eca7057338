/* libFuzzer target for control requests (conf/ctl_req.c). The input's
 * first line is a request; what follows it, a running config text. Any
 * request either parses into a known type (config statements non-empty,
 * within CONF_LINE_MAX) or fails with a message; its words, quoted again,
 * split back to the same words; a statement added to the text can be
 * removed from the result again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/ctl_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static char words_buf[CTL_REQ_LINE_MAX + 1], again_buf[4 * CTL_REQ_LINE_MAX + 8];
static char requoted[4 * CTL_REQ_LINE_MAX + 8];

/* Quoting each word and splitting the result gives the words back. */
static void check_round_trip(const char *line, size_t len)
{
	char *w[CTL_REQ_WORDS_MAX], *w2[CTL_REQ_WORDS_MAX];
	struct err err = {{0}};
	size_t o = 0;
	int n, n2;

	n = ctl_req_split(line, len, words_buf, sizeof(words_buf), w, CTL_REQ_WORDS_MAX, &err);
	if (n < 0) {
		FUZZ_CHECK(err.msg[0] && memchr(err.msg, 0, sizeof(err.msg)));
		return;
	}
	for (int i = 0; i < n; i++) {
		int q;

		if (i)
			requoted[o++] = ' ';
		q = ctl_req_quote(w[i], requoted + o, sizeof(requoted) - o);
		FUZZ_CHECK(q > 0);
		o += (size_t)q;
	}
	if (o > CTL_REQ_LINE_MAX)
		return; /* quoting made it longer than a request may be */
	n2 = ctl_req_split(requoted, o, again_buf, sizeof(again_buf), w2, CTL_REQ_WORDS_MAX, &err);
	FUZZ_CHECK(n2 == n);
	for (int i = 0; i < n; i++)
		FUZZ_CHECK(!strcmp(w[i], w2[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - text) : size;
	const char *conf = nl ? nl + 1 : "";
	size_t conf_len = nl ? size - len - 1 : 0;
	struct ctl_req *r = malloc(sizeof(*r));
	struct err err = {{0}};
	char *added = NULL, *removed = NULL;
	size_t added_len = 0, removed_len = 0;
	int line = 0, line2 = 0;

	FUZZ_CHECK(r != NULL);
	check_round_trip(text, len);
	if (ctl_req_parse(text, len, r, &err)) {
		FUZZ_CHECK(err.msg[0] && memchr(err.msg, 0, sizeof(err.msg)));
		free(r);
		return 0;
	}
	FUZZ_CHECK(r->type < CTL_REQ_MAX);
	if (r->type != CTL_REQ_CONFIG_ADD && r->type != CTL_REQ_CONFIG_REMOVE) {
		free(r);
		return 0;
	}
	FUZZ_CHECK(r->stmt[0] && r->stmt[0] != '#' && strlen(r->stmt) <= CONF_LINE_MAX);
	FUZZ_CHECK(ctl_conf_add(conf, conf_len, r->stmt, &added, &added_len, &line) == 0);
	FUZZ_CHECK(added_len > conf_len && line >= 1);
	/* the added line, or an earlier one with the same words, goes again */
	FUZZ_CHECK(ctl_conf_remove(added, added_len, r->stmt, &removed, &removed_len, &line2) == 0);
	FUZZ_CHECK(line2 >= 1 && line2 <= line && removed_len < added_len);
	free(added);
	free(removed);
	free(r);
	return 0;
}

/* Control requests (conf/ctl_req.c): word splitting with quotes, request
 * parsing with keyword prefixes and its errors, quoting that splits back to
 * the same word, and the running-config edits of config add/remove. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/ctl_req.h"
#include "test.h"

static int split(const char *s, char *buf, size_t cap, char **w, int max, struct err *err)
{
	memset(err, 0, sizeof(*err));
	return ctl_req_split(s, strlen(s), buf, cap, w, max, err);
}

static int parse(const char *s, struct ctl_req *r, struct err *err)
{
	memset(err, 0, sizeof(*err));
	return ctl_req_parse(s, strlen(s), r, err);
}

TEST(ctl_split_words_and_quotes)
{
	char buf[256], *w[16];
	struct err err;

	CHECK_EQ(split("  show\tcounters  ", buf, sizeof(buf), w, 16, &err), 2);
	CHECK_STR(w[0], "show");
	CHECK_STR(w[1], "counters");
	CHECK_EQ(split("config add \"function fw rule deny\"", buf, sizeof(buf), w, 16, &err), 3);
	CHECK_STR(w[2], "function fw rule deny");
	CHECK_EQ(split("a 'b \"c' \"d \\\" \\\\ e\" f'g h'i", buf, sizeof(buf), w, 16, &err), 4);
	CHECK_STR(w[1], "b \"c");
	CHECK_STR(w[2], "d \" \\ e");
	CHECK_STR(w[3], "fg hi");
	/* inside single quotes a backslash is a backslash */
	CHECK_EQ(split("'a\\b' \"\"", buf, sizeof(buf), w, 16, &err), 2);
	CHECK_STR(w[0], "a\\b");
	CHECK_STR(w[1], "");
	CHECK_EQ(split("", buf, sizeof(buf), w, 16, &err), 0);
	CHECK_EQ(split(" \t ", buf, sizeof(buf), w, 16, &err), 0);
}

TEST(ctl_split_errors)
{
	char buf[256], *w[4];
	struct err err;

	CHECK_EQ(split("config add \"function fw", buf, sizeof(buf), w, 4, &err), -EINVAL);
	CHECK(strstr(err.msg, "unterminated double quote") != NULL);
	CHECK_EQ(split("a 'b", buf, sizeof(buf), w, 4, &err), -EINVAL);
	CHECK(strstr(err.msg, "single quote") != NULL);
	CHECK_EQ(split("show\x01 counters", buf, sizeof(buf), w, 4, &err), -EINVAL);
	CHECK(strstr(err.msg, "control character 0x01") != NULL);
	CHECK_EQ(split("a b c d e", buf, sizeof(buf), w, 4, &err), -E2BIG);
	CHECK_EQ(split("abc", buf, 3, w, 4, &err), -ENOSPC);
	/* a NUL inside the line (len covers it) is a control character */
	memset(&err, 0, sizeof(err));
	CHECK_EQ(ctl_req_split("show\0x", 6, buf, sizeof(buf), w, 4, &err), -EINVAL);
}

TEST(ctl_parse_requests)
{
	static const struct {
		const char *line;
		enum ctl_req_type type;
	} ok[] = {
		{"show interfaces", CTL_REQ_SHOW_INTERFACES},
		{"show sids", CTL_REQ_SHOW_SIDS},
		{"show labels", CTL_REQ_SHOW_LABELS},
		{"show policies", CTL_REQ_SHOW_POLICIES},
		{"show classifier", CTL_REQ_SHOW_CLASSIFIER},
		{"show functions", CTL_REQ_SHOW_FUNCTIONS},
		{"show routes", CTL_REQ_SHOW_ROUTES},
		{"show counters", CTL_REQ_SHOW_COUNTERS},
		{"show config", CTL_REQ_SHOW_CONFIG},
		{"sh cou", CTL_REQ_SHOW_COUNTERS},
		{"s i", CTL_REQ_SHOW_INTERFACES},
		{"  reload ", CTL_REQ_RELOAD},
		{"help", CTL_REQ_HELP},
	};
	struct ctl_req r;
	struct err err;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ(parse(ok[i].line, &r, &err), 0);
		CHECK_EQ(r.type, ok[i].type);
	}
	CHECK_STR(ctl_req_name(CTL_REQ_SHOW_COUNTERS), "show counters");
	CHECK_STR(ctl_req_name(CTL_REQ_MAX), "?");
}

TEST(ctl_parse_config_statement)
{
	struct ctl_req r;
	struct err err;

	CHECK_EQ(parse("config add 'function fw rule deny proto tcp dport 80'", &r, &err), 0);
	CHECK_EQ(r.type, CTL_REQ_CONFIG_ADD);
	CHECK_STR(r.stmt, "function fw rule deny proto tcp dport 80");
	/* several words, extra spaces inside quotes: one space between words */
	CHECK_EQ(parse("config remove function \"fw  rule\" deny\t proto tcp", &r, &err), 0);
	CHECK_EQ(r.type, CTL_REQ_CONFIG_REMOVE);
	CHECK_STR(r.stmt, "function fw rule deny proto tcp");
	CHECK_EQ(parse("c a \"sid 2001:db8::1 End\"", &r, &err), 0);
	CHECK_EQ(r.type, CTL_REQ_CONFIG_ADD);
	CHECK_STR(r.stmt, "sid 2001:db8::1 End");
}

TEST(ctl_parse_errors)
{
	struct ctl_req r;
	struct err err;
	char *long_line;

	CHECK_EQ(parse("", &r, &err), -EINVAL);
	CHECK(strstr(err.msg, "empty request") != NULL);
	CHECK_EQ(parse("frobnicate", &r, &err), -EINVAL);
	CHECK(strstr(err.msg, "request 'frobnicate' is unknown") != NULL);
	CHECK_EQ(parse("show", &r, &err), -EINVAL);
	CHECK_EQ(parse("show counters now", &r, &err), -EINVAL);
	CHECK_EQ(parse("show c", &r, &err), -EINVAL);
	CHECK(strstr(err.msg, "ambiguous") != NULL);
	CHECK_EQ(parse("show nonsense", &r, &err), -EINVAL);
	CHECK(strstr(err.msg, "interfaces, sids") != NULL);
	CHECK_EQ(parse("config", &r, &err), -EINVAL);
	CHECK_EQ(parse("config replace x", &r, &err), -EINVAL);
	CHECK_EQ(parse("config add", &r, &err), -EINVAL);
	CHECK(strstr(err.msg, "no statement") != NULL);
	CHECK_EQ(parse("config add '  '", &r, &err), -EINVAL);
	CHECK_EQ(parse("config add '# only a comment'", &r, &err), -EINVAL);
	CHECK_EQ(parse("reload now", &r, &err), -EINVAL);
	CHECK(strstr(err.msg, "field 'now'") != NULL);
	CHECK_EQ(r.type, CTL_REQ_RELOAD);

	/* more words than a config line may hold */
	long_line = malloc(CTL_REQ_LINE_MAX + 2);
	CHECK(long_line != NULL);
	if (!long_line)
		return;
	strcpy(long_line, "config add");
	for (int i = 0; i < CONF_ARGS_MAX + 1; i++)
		strcat(long_line, " w");
	CHECK_EQ(parse(long_line, &r, &err), -E2BIG);
	CHECK(strstr(err.msg, "more than 96 words") != NULL);
	long_line[strlen(long_line) - 2] = 0;
	CHECK_EQ(parse(long_line, &r, &err), 0);
	free(long_line);

	long_line = malloc(CTL_REQ_LINE_MAX + 2);
	CHECK(long_line != NULL);
	if (!long_line)
		return;
	/* a statement over CONF_LINE_MAX in a line under CTL_REQ_LINE_MAX */
	memset(long_line, 'x', CTL_REQ_LINE_MAX + 1);
	memcpy(long_line, "config add ", 11);
	long_line[11 + CONF_LINE_MAX + 1] = 0;
	CHECK_EQ(parse(long_line, &r, &err), -E2BIG);
	CHECK(strstr(err.msg, "statement longer") != NULL);
	/* a line over CTL_REQ_LINE_MAX */
	memset(long_line, 'x', CTL_REQ_LINE_MAX + 1);
	long_line[CTL_REQ_LINE_MAX + 1] = 0;
	CHECK_EQ(parse(long_line, &r, &err), -E2BIG);
	free(long_line);
}

TEST(ctl_quote_round_trip)
{
	static const char *const words[] = {
		"plain", "two words", "", "say \"hi\"", "back\\slash", "it's", "\t", "a'b\"c\\d",
	};
	char line[512], buf[512], *w[16];
	size_t o = 0;
	struct err err;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		int n;

		if (i)
			line[o++] = ' ';
		n = ctl_req_quote(words[i], line + o, sizeof(line) - o);
		CHECK(n > 0);
		if (n <= 0)
			return;
		o += (size_t)n;
	}
	line[o] = 0;
	CHECK_EQ(split(line, buf, sizeof(buf), w, 16, &err), 8);
	for (size_t i = 0; i < 8; i++)
		CHECK_STR(w[i], words[i]);
	CHECK_EQ(ctl_req_quote("plain", line, 5), -ENOSPC);
	CHECK_EQ(ctl_req_quote("two words", line, 11), -ENOSPC);
	CHECK_EQ(ctl_req_quote("two words", line, 12), 11);
	CHECK_STR(line, "\"two words\"");
}

TEST(ctl_conf_add_appends_a_line)
{
	char *out = NULL;
	size_t len = 0;
	int line = 0;

	CHECK_EQ(ctl_conf_add("a b\nc d\n", 8, "e f", &out, &len, &line), 0);
	CHECK_EQ(len, 12);
	CHECK_MEM(out, "a b\nc d\ne f\n", 12);
	CHECK_EQ(line, 3);
	free(out);
	/* no newline at the end of the text: one is added before */
	CHECK_EQ(ctl_conf_add("a b", 3, "c", &out, &len, &line), 0);
	CHECK_EQ(len, 6);
	CHECK_MEM(out, "a b\nc\n", 6);
	CHECK_EQ(line, 2);
	free(out);
	CHECK_EQ(ctl_conf_add("", 0, "c", &out, &len, &line), 0);
	CHECK_EQ(len, 2);
	CHECK_EQ(line, 1);
	free(out);
}

TEST(ctl_conf_remove_first_identical_statement)
{
	const char *text = "# fw\nfunction fw firewall\nfunction  fw\trule deny proto udp # x\r\n"
			   "function fw rule deny proto udp\nfunction fw rule deny\n";
	char *out = NULL;
	size_t len = 0;
	int line = 0;

	/* same words whatever the spacing, comment or CR; the first one goes */
	CHECK_EQ(ctl_conf_remove(text, strlen(text), "function fw rule deny proto udp", &out, &len,
				 &line),
		 0);
	CHECK_EQ(line, 3);
	CHECK_EQ(len, strlen(text) - 38);
	CHECK_MEM(out,
		  "# fw\nfunction fw firewall\nfunction fw rule deny proto udp\nfunction fw "
		  "rule deny\n",
		  len);
	free(out);
	/* a prefix of a line is not that line */
	CHECK_EQ(ctl_conf_remove(text, strlen(text), "function fw rule deny", &out, &len, &line),
		 0);
	CHECK_EQ(line, 5);
	free(out);
	CHECK_EQ(ctl_conf_remove(text, strlen(text), "function fw rule", &out, &len, &line),
		 -ENOENT);
	CHECK_EQ(ctl_conf_remove(text, strlen(text), "  # nothing", &out, &len, &line), -EINVAL);
	/* the last line without a newline */
	CHECK_EQ(ctl_conf_remove("a\nb c", 5, "b c", &out, &len, &line), 0);
	CHECK_EQ(len, 2);
	CHECK_MEM(out, "a\n", 2);
	CHECK_EQ(line, 2);
	free(out);
}

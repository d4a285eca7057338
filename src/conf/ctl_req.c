#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/ctl_req.h"

static const char *const show_kw[] = {
	"interfaces", "sids",	"labels",   "policies", "classifier",
	"functions",  "routes", "counters", "config",
};
static const char *const config_kw[] = {"add", "remove"};
static const char *const top_kw[] = {"show", "config", "reload", "help"};

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *ctl_req_name(enum ctl_req_type type)
{
	static const char *const names[CTL_REQ_MAX] = {
		[CTL_REQ_SHOW_INTERFACES] = "show interfaces",
		[CTL_REQ_SHOW_SIDS] = "show sids",
		[CTL_REQ_SHOW_LABELS] = "show labels",
		[CTL_REQ_SHOW_POLICIES] = "show policies",
		[CTL_REQ_SHOW_CLASSIFIER] = "show classifier",
		[CTL_REQ_SHOW_FUNCTIONS] = "show functions",
		[CTL_REQ_SHOW_ROUTES] = "show routes",
		[CTL_REQ_SHOW_COUNTERS] = "show counters",
		[CTL_REQ_SHOW_CONFIG] = "show config",
		[CTL_REQ_CONFIG_ADD] = "config add",
		[CTL_REQ_CONFIG_REMOVE] = "config remove",
		[CTL_REQ_RELOAD] = "reload",
		[CTL_REQ_HELP] = "help",
	};

	return (unsigned)type < CTL_REQ_MAX ? names[type] : "?";
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

int ctl_req_split(const char *line, size_t len, char *buf, size_t cap, char **words, int max,
		  struct err *err)
{
	size_t i = 0, o = 0;
	int n = 0;

	if (len > CTL_REQ_LINE_MAX)
		return err_set(err, E2BIG, "request longer than %d bytes", CTL_REQ_LINE_MAX);
	if (cap < len + 1)
		return err_set(err, ENOSPC, "request buffer too small");
	for (size_t k = 0; k < len; k++)
		if ((unsigned char)line[k] < 0x20 && line[k] != '\t')
			return err_set(err, EINVAL, "control character 0x%02x in the request",
				       (unsigned char)line[k]);
	/* every word is at most as long as its source, plus one NUL that
	 * takes the place of the separator (or of the closing quote) */
	while (i < len) {
		char quote = 0;

		while (i < len && is_space(line[i]))
			i++;
		if (i == len)
			break;
		if (n == max)
			return err_set(err, E2BIG, "more than %d words in the request", max);
		words[n++] = buf + o;
		while (i < len && (quote || !is_space(line[i]))) {
			char c = line[i++];

			if (quote == '"' && c == '\\' && i < len &&
			    (line[i] == '"' || line[i] == '\\')) {
				buf[o++] = line[i++];
			} else if (quote && c == quote) {
				quote = 0;
			} else if (!quote && (c == '"' || c == '\'')) {
				quote = c;
			} else {
				buf[o++] = c;
			}
		}
		if (quote)
			return err_set(err, EINVAL, "unterminated %s quote",
				       quote == '"' ? "double" : "single");
		buf[o++] = 0;
	}
	return n;
}

/* Index of word in kw[] (exact, or an unambiguous prefix); -ENOENT or
 * -EEXIST (ambiguous). */
static int kw_match(const char *word, const char *const *kw, int n)
{
	size_t len = strlen(word);
	int found = -ENOENT;

	for (int i = 0; i < n; i++) {
		if (!strcmp(word, kw[i]))
			return i;
		if (len && !strncmp(word, kw[i], len))
			found = found == -ENOENT ? i : -EEXIST;
	}
	return found;
}

static int kw_err(struct err *err, int rc, const char *what, const char *word,
		  const char *const *kw, int n)
{
	char list[160] = "";
	size_t o = 0;

	for (int i = 0; i < n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", kw[i]);
	return err_set(err, EINVAL, "%s '%s' %s (%s)", what, word,
		       rc == -EEXIST ? "is ambiguous" : "is unknown", list);
}

static int parse_config(char **w, int n, struct ctl_req *req, struct err *err)
{
	size_t o = 0;
	int k, words = 0;

	if (n < 2)
		return err_set(err, EINVAL, "expected 'config add|remove STATEMENT'");
	k = kw_match(w[1], config_kw, N_OF(config_kw));
	if (k < 0)
		return kw_err(err, k, "config request", w[1], config_kw, N_OF(config_kw));
	req->type = k == 0 ? CTL_REQ_CONFIG_ADD : CTL_REQ_CONFIG_REMOVE;
	/* the statement's words, as the config file would split them */
	for (int i = 2; i < n; i++) {
		char *p = w[i];

		while (*p) {
			size_t wl;

			while (*p == ' ' || *p == '\t')
				p++;
			wl = strcspn(p, " \t");
			if (!wl)
				break;
			if (o + (o ? 1 : 0) + wl > CONF_LINE_MAX)
				return err_set(err, E2BIG, "statement longer than %d characters",
					       CONF_LINE_MAX);
			if (++words > CONF_ARGS_MAX)
				return err_set(err, E2BIG, "statement has more than %d words",
					       CONF_ARGS_MAX);
			if (o)
				req->stmt[o++] = ' ';
			memcpy(req->stmt + o, p, wl);
			o += wl;
			p += wl;
		}
	}
	req->stmt[o] = 0;
	if (!o || req->stmt[0] == '#')
		return err_set(err, EINVAL, "%s: no statement given", ctl_req_name(req->type));
	return 0;
}

int ctl_req_parse(const char *line, size_t len, struct ctl_req *req, struct err *err)
{
	char buf[CTL_REQ_LINE_MAX + 1], *w[CTL_REQ_WORDS_MAX];
	int n, k;

	memset(req, 0, sizeof(*req));
	req->type = CTL_REQ_MAX;
	n = ctl_req_split(line, len, buf, sizeof(buf), w, CTL_REQ_WORDS_MAX, err);
	if (n < 0)
		return n;
	if (n == 0)
		return err_set(err, EINVAL, "empty request (show, config, reload, help)");
	k = kw_match(w[0], top_kw, N_OF(top_kw));
	if (k < 0)
		return kw_err(err, k, "request", w[0], top_kw, N_OF(top_kw));
	switch (k) {
	case 0:
		if (n != 2)
			return err_set(err, EINVAL, "expected 'show WHAT' (%s)",
				       "interfaces, sids, labels, policies, classifier, "
				       "functions, routes, counters, config");
		k = kw_match(w[1], show_kw, N_OF(show_kw));
		if (k < 0)
			return kw_err(err, k, "show", w[1], show_kw, N_OF(show_kw));
		req->type = (enum ctl_req_type)(CTL_REQ_SHOW_INTERFACES + k);
		return 0;
	case 1:
		return parse_config(w, n, req, err);
	default:
		req->type = k == 2 ? CTL_REQ_RELOAD : CTL_REQ_HELP;
		if (n != 1)
			return err_set(err, EINVAL, "field '%s': unexpected after '%s'", w[1],
				       ctl_req_name(req->type));
		return 0;
	}
}

int ctl_req_quote(const char *word, char *out, size_t cap)
{
	size_t o = 0;
	int plain = *word != 0;

	for (const char *p = word; *p; p++)
		if (is_space(*p) || *p == '"' || *p == '\'' || *p == '\\')
			plain = 0;
	if (!plain && cap)
		out[o++] = '"';
	for (const char *p = word; *p; p++) {
		if (!plain && (*p == '"' || *p == '\\')) {
			if (o + 1 >= cap)
				return -ENOSPC;
			out[o++] = '\\';
		}
		if (o + 1 >= cap)
			return -ENOSPC;
		out[o++] = *p;
	}
	if (!plain) {
		if (o + 1 >= cap)
			return -ENOSPC;
		out[o++] = '"';
	}
	if (o >= cap)
		return -ENOSPC;
	out[o] = 0;
	return (int)o;
}

/* Words of a config line end at its end or at a word starting with '#'
 * (the config file's comment rule); '\r' separates like a space. */
static int conf_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int next_word(const char *s, size_t len, size_t *pos, size_t *wlen)
{
	size_t i = *pos, e;

	while (i < len && conf_sep(s[i]))
		i++;
	if (i == len || s[i] == '#')
		return 0;
	for (e = i; e < len && !conf_sep(s[e]); e++)
		;
	*pos = i;
	*wlen = e - i;
	return 1;
}

/* Whether two lines hold the same words (CONF_ARGS_MAX words at most). */
static int same_words(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t pa = 0, pb = 0;

	for (int k = 0; k <= CONF_ARGS_MAX; k++) {
		size_t la = 0, lb = 0;
		int ha = next_word(a, alen, &pa, &la), hb = next_word(b, blen, &pb, &lb);

		if (!ha || !hb)
			return ha == hb;
		if (la != lb || memcmp(a + pa, b + pb, la))
			return 0;
		pa += la;
		pb += lb;
	}
	return 0;
}

static int count_lines(const char *text, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	return n + (len && text[len - 1] != '\n');
}

int ctl_conf_add(const char *text, size_t len, const char *stmt, char **out, size_t *out_len,
		 int *line)
{
	size_t sl = strlen(stmt), nl = len && text[len - 1] != '\n';
	char *t = malloc(len + nl + sl + 2);

	if (!t)
		return -ENOMEM;
	if (len)
		memcpy(t, text, len);
	if (nl)
		t[len] = '\n';
	memcpy(t + len + nl, stmt, sl);
	t[len + nl + sl] = '\n';
	t[len + nl + sl + 1] = 0;
	*out = t;
	*out_len = len + nl + sl + 1;
	*line = count_lines(t, *out_len);
	return 0;
}

int ctl_conf_remove(const char *text, size_t len, const char *stmt, char **out, size_t *out_len,
		    int *line)
{
	size_t sl = strlen(stmt), pos = 0, wl;
	int lineno = 0;

	if (!next_word(stmt, sl, &pos, &wl))
		return -EINVAL;
	pos = 0;
	while (pos < len) {
		size_t end = pos, next;

		while (end < len && text[end] != '\n')
			end++;
		next = end < len ? end + 1 : end;
		lineno++;
		if (same_words(text + pos, end - pos, stmt, sl)) {
			char *t = malloc(len - (next - pos) + 1);

			if (!t)
				return -ENOMEM;
			memcpy(t, text, pos);
			memcpy(t + pos, text + next, len - next);
			*out_len = len - (next - pos);
			t[*out_len] = 0;
			*out = t;
			*line = lineno;
			return 0;
		}
		pos = next;
	}
	return -ENOENT;
}

/* Control requests (conf/ctl_req.c): word splitting with quotes, request
 * parsing with keyword prefixes and its errors, quoting that splits back to
 * the same word, and the running-config edits of config add/remove. The
 * server (srchaind/ctl.c) in process: silent and half-sent clients do not
 * hold up others and time out, the client limit refuses with an error, a
 * client that does not read its answer is dropped while others are served,
 * requests in pieces, at EOF, too long, and answers over the limit. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf/conf.h"
#include "conf/ctl_req.h"
#include "dp/dp.h"
#include "io/io.h"
#include "srchaind/ctl.h"
#include "srchaind/stats.h"
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

/* ---- the control socket server (srchaind/ctl.c) ------------------------- */

struct fake_daemon {
	struct dp dp;
	char *conf;
	size_t conf_len;
	struct ctl *ctl;
	struct stats_ctl ctl_stats;
};

static const char *const fake_ports[] = {"n1", "n2"};

static const char *fake_conf_text(void *ctx, size_t *len, int *modified)
{
	struct fake_daemon *d = ctx;

	*len = d->conf_len;
	*modified = 0;
	return d->conf;
}

static int fake_conf_apply(void *ctx, char *text, size_t len, const char *fname, struct err *err)
{
	struct fake_daemon *d = ctx;

	(void)fname;
	(void)err;
	free(d->conf);
	d->conf = text;
	d->conf_len = len;
	return 0;
}

static int fake_reload(void *ctx, struct err *err)
{
	(void)ctx;
	return err_set(err, ENOENT, "no file in this test");
}

static void fake_port_stats(void *ctx, uint32_t port, struct io_stats *s)
{
	(void)ctx;
	memset(s, 0, sizeof(*s));
	s->rx_pkts = 10 + port;
	s->rx_bytes = 1000 + port;
	s->tx_pkts = 20 + port;
	s->tx_bytes = 2000 + port;
}

static void fake_stats(void *ctx, struct stats_src *s)
{
	struct fake_daemon *d = ctx;

	*s = (struct stats_src){.dp = &d->dp,
				.uptime_ms = 1234,
				.n_ports = 2,
				.port_name = fake_ports,
				.port_stats = fake_port_stats,
				.ctx = d};
	if (d->ctl) {
		ctl_counters(d->ctl, &d->ctl_stats);
		s->ctl = &d->ctl_stats;
	}
}

/* A daemon with two interfaces and conf_size bytes of running config, its
 * control socket in a fresh directory (path: cap bytes). */
static int fake_start(struct fake_daemon *d, struct ctl_env *env, size_t conf_size, char *path,
		      size_t cap)
{
	static const char ifs[] = "interface n1 mac 02:00:00:00:00:01\n"
				  "interface n2 mac 02:00:00:00:00:02\n";
	char dir[] = "/tmp/srchain-ut-ctl-XXXXXX";
	struct dp_tables *t;
	struct err err = {{0}};

	memset(d, 0, sizeof(*d));
	if (!mkdtemp(dir) || dp_init(&d->dp, 1))
		return -1;
	t = dp_tables_new(1);
	if (!t || conf_apply(t, ifs, strlen(ifs), "node.conf", &err) || dp_tables_finish(t, &err))
		return -1;
	dp_publish(&d->dp, t);
	d->conf_len = conf_size > sizeof(ifs) ? conf_size : sizeof(ifs) - 1;
	d->conf = malloc(d->conf_len);
	if (!d->conf)
		return -1;
	memset(d->conf, '#', d->conf_len);
	memcpy(d->conf, ifs, sizeof(ifs) - 1);
	for (size_t i = sizeof(ifs) - 1; i + 80 < d->conf_len; i += 80)
		d->conf[i + 79] = '\n';
	env->dp = &d->dp;
	env->conf_path = "node.conf";
	env->n_ports = 2;
	env->ctx = d;
	env->conf_text = fake_conf_text;
	env->conf_apply = fake_conf_apply;
	env->reload = fake_reload;
	env->port_stats = fake_port_stats;
	env->stats = fake_stats;
	snprintf(path, cap, "%s/ctl.sock", dir);
	d->ctl = ctl_open(path, env, &err);
	return d->ctl ? 0 : -1;
}

static void fake_stop(struct fake_daemon *d, const char *path)
{
	char dir[128];

	ctl_close(d->ctl);
	d->ctl = NULL;
	dp_fini(&d->dp);
	free(d->conf);
	snprintf(dir, sizeof(dir), "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	rmdir(dir);
}

/* A non-blocking client connected to path. */
static int cl_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void cl_send(int fd, const char *s)
{
	CHECK_EQ(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* Serves and reads fd until the daemon closes it (at most ~3 s); the bytes
 * read (up to cap - 1, NUL-terminated, the rest counted), or -1. */
static ssize_t cl_answer(struct ctl *c, int fd, char *buf, size_t cap)
{
	size_t n = 0, total = 0;

	for (int k = 0; k < 3000; k++) {
		char tmp[65536];
		ssize_t r;

		ctl_serve(c);
		r = read(fd, tmp, sizeof(tmp));
		if (r == 0) {
			buf[n] = 0;
			return (ssize_t)total;
		}
		if (r > 0) {
			size_t take = (size_t)r < cap - 1 - n ? (size_t)r : cap - 1 - n;

			memcpy(buf + n, tmp, take);
			n += take;
			total += (size_t)r;
			continue;
		}
		if (errno != EAGAIN)
			return -1;
		poll(&(struct pollfd){.fd = ctl_fd(c), .events = POLLIN}, 1, 1);
	}
	return -1;
}

static struct stats_ctl counters_of(const struct ctl *c)
{
	struct stats_ctl s;

	ctl_counters(c, &s);
	return s;
}

TEST(ctl_server_idle_clients_do_not_block)
{
	struct ctl_env env = {.max_clients = 8, .read_ms = 300, .write_ms = 1000};
	struct fake_daemon d;
	char path[108], buf[4096];
	int idle[8], x, y;

	if (fake_start(&d, &env, 0, path, sizeof(path))) {
		CHECK(!"fake daemon");
		return;
	}
	/* five clients that say nothing and one that stops halfway */
	for (int i = 0; i < 5; i++)
		idle[i] = cl_connect(path);
	idle[5] = cl_connect(path);
	cl_send(idle[5], "show cou");
	ctl_serve(d.ctl);
	/* another client, its request in two pieces, is answered at once */
	x = cl_connect(path);
	cl_send(x, "he");
	ctl_serve(d.ctl);
	cl_send(x, "lp\n");
	CHECK(cl_answer(d.ctl, x, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "{\"ok\":true,\"data\":[\"", 20) == 0);
	CHECK(strstr(buf, "\"show counters\"") != NULL);
	CHECK_EQ(counters_of(d.ctl).timed_out, 0);
	CHECK_EQ(counters_of(d.ctl).answered, 1);
	CHECK_EQ(counters_of(d.ctl).clients, 6);
	close(x);

	/* at the limit, the next client is refused with an error */
	idle[6] = cl_connect(path);
	idle[7] = cl_connect(path);
	ctl_serve(d.ctl);
	CHECK_EQ(counters_of(d.ctl).clients, 8);
	y = cl_connect(path);
	cl_send(y, "help\n");
	CHECK(cl_answer(d.ctl, y, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"ok\":false") && strstr(buf, "too many control clients: 8 connected"));
	CHECK_EQ(counters_of(d.ctl).refused, 1);
	close(y);

	/* past the read deadline every silent client gets an error and goes */
	CHECK(ctl_deadline(d.ctl) >= 0);
	usleep(350 * 1000);
	for (int i = 0; i < 8; i++) {
		CHECK(cl_answer(d.ctl, idle[i], buf, sizeof(buf)) > 0);
		CHECK(strstr(buf, "no request line within 300 ms") != NULL);
		close(idle[i]);
	}
	CHECK_EQ(counters_of(d.ctl).timed_out, 8);
	CHECK_EQ(counters_of(d.ctl).clients, 0);
	CHECK_EQ(counters_of(d.ctl).accepted, 9);
	CHECK_EQ(ctl_deadline(d.ctl), -1);
	fake_stop(&d, path);
}

TEST(ctl_server_slow_reader_dropped_others_served)
{
	struct ctl_env env = {.write_ms = 2000};
	struct fake_daemon d;
	char path[108], *buf = malloc(1 << 16);
	ssize_t full, n;
	int s, z, r;

	if (!buf || fake_start(&d, &env, 4u << 20, path, sizeof(path))) {
		CHECK(!"fake daemon");
		free(buf);
		return;
	}
	/* s asks for 4 MiB and reads none of it: the answer waits in its
	 * buffer, the control thread goes on */
	s = cl_connect(path);
	cl_send(s, "show config\n");
	ctl_serve(d.ctl);
	CHECK_EQ(counters_of(d.ctl).clients, 1);
	z = cl_connect(path);
	cl_send(z, "help\n");
	CHECK(cl_answer(d.ctl, z, buf, 1 << 16) > 0);
	CHECK(strstr(buf, "\"ok\":true") != NULL);
	close(z);
	/* r reads as it comes: the whole answer, through partial writes */
	r = cl_connect(path);
	cl_send(r, "show config\n");
	full = cl_answer(d.ctl, r, buf, 1 << 16);
	CHECK(full > (ssize_t)(4u << 20));
	CHECK(strncmp(buf, "{\"ok\":true,\"data\":{\"source\":\"node.conf\"", 39) == 0);
	close(r);
	CHECK_EQ(counters_of(d.ctl).dropped, 0);
	/* past the write deadline s is dropped with what it did not take */
	usleep(2050 * 1000);
	ctl_serve(d.ctl);
	CHECK_EQ(counters_of(d.ctl).dropped, 1);
	CHECK_EQ(counters_of(d.ctl).clients, 0);
	n = cl_answer(d.ctl, s, buf, 1 << 16);
	CHECK(n >= 0 && n < full);
	close(s);
	free(buf);
	fake_stop(&d, path);
}

TEST(ctl_server_request_forms_and_limits)
{
	struct ctl_env env = {.answer_max = 4096};
	struct fake_daemon d;
	char path[108], buf[8192], *big;
	int fd;

	if (fake_start(&d, &env, 100000, path, sizeof(path))) {
		CHECK(!"fake daemon");
		return;
	}
	/* an answer over the limit becomes an error */
	fd = cl_connect(path);
	cl_send(fd, "show config\r\n");
	CHECK(cl_answer(d.ctl, fd, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "is longer than the limit of 4096") != NULL);
	close(fd);
	/* a line over 8192 bytes */
	big = malloc(9000 + 1);
	CHECK(big != NULL);
	if (big) {
		memset(big, 'a', 9000);
		big[9000] = 0;
		fd = cl_connect(path);
		cl_send(fd, big);
		CHECK(cl_answer(d.ctl, fd, buf, sizeof(buf)) > 0);
		CHECK(strstr(buf, "request line longer than 8192 bytes") != NULL);
		close(fd);
		free(big);
	}
	/* no newline: the request ends at EOF */
	fd = cl_connect(path);
	cl_send(fd, "show counters");
	shutdown(fd, SHUT_WR);
	CHECK(cl_answer(d.ctl, fd, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"ports\":[{\"name\":\"n1\",\"rx_packets\":10,\"rx_bytes\":1000") !=
	      NULL);
	CHECK(strstr(buf, "\"control\":{\"clients\":1,") != NULL);
	close(fd);
	/* connect and leave: nothing asked, nothing counted but the accept */
	fd = cl_connect(path);
	close(fd);
	for (int k = 0; k < 5; k++)
		ctl_serve(d.ctl);
	CHECK_EQ(counters_of(d.ctl).clients, 0);
	CHECK_EQ(counters_of(d.ctl).accepted, 4);
	CHECK_EQ(counters_of(d.ctl).answered, 3);
	CHECK_EQ(counters_of(d.ctl).dropped, 0);
	fake_stop(&d, path);
}

TEST(ctl_server_pending_answers_bounded)
{
	struct ctl_env env = {.write_ms = 2000, .pending_max = 1u << 20};
	struct fake_daemon d;
	char path[108], buf[4096];
	int s, t;

	if (fake_start(&d, &env, 600000, path, sizeof(path))) {
		CHECK(!"fake daemon");
		return;
	}
	/* s holds some 600 kB of answer it does not read */
	s = cl_connect(path);
	cl_send(s, "show config\n");
	ctl_serve(d.ctl);
	CHECK_EQ(counters_of(d.ctl).clients, 1);
	/* another 600 kB would pass the 1 MiB held for all clients */
	t = cl_connect(path);
	cl_send(t, "show config\n");
	CHECK(cl_answer(d.ctl, t, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "answers to other clients hold") != NULL);
	CHECK(strstr(buf, "try again later") != NULL);
	close(t);
	/* small answers still go */
	t = cl_connect(path);
	cl_send(t, "help\n");
	CHECK(cl_answer(d.ctl, t, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"ok\":true") != NULL);
	close(t);
	close(s);
	fake_stop(&d, path);
}

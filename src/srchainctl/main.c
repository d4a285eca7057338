/* srchainctl: the command line of srchaind's control socket. It sends one
 * request line, reads the JSON answer and prints it as aligned tables (or,
 * with -j, prints the answer's data as JSON). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "conf/ctl_req.h"
#include "lib/addr.h"
#include "lib/fdwait.h"
#include "lib/json.h"
#include "lib/jsonw.h"
#include "lib/version.h"

#define SOCK_DEFAULT  "/run/srchaind.sock"
#define ANSWER_MAX    ((size_t)256 << 20)
#define TIMEOUT_DEF_S 10
#define TBL_COLS      8

static void usage(FILE *f)
{
	fprintf(f,
		"NAME\n"
		"    srchainctl - query and change a running srchaind\n"
		"\n"
		"SYNOPSIS\n"
		"    srchainctl [-s SOCK] [-j] [-a] [-t SEC] REQUEST\n"
		"    srchainctl --version\n"
		"\n"
		"DESCRIPTION\n"
		"srchainctl talks to a running srchaind (started with --live) over its\n"
		"control socket: it shows the data plane's tables and counters, and adds\n"
		"or removes configuration statements while the daemon runs.\n"
		"\n"
		"REQUESTS\n"
		"  show interfaces   served interfaces: MAC, MTU, flags, rx/tx packets and\n"
		"                    bytes (with -j also the socket counters)\n"
		"  show sids         SRv6 local SIDs: behaviour, function, next hops, table,\n"
		"                    policy, hits\n"
		"  show labels       the LFIB (SR-MPLS): SRGB/SRLB, label, operation,\n"
		"                    outgoing label, next hops, function, hits\n"
		"  show policies     steering policies: segment list, label stack or NSH\n"
		"                    path, hits\n"
		"  show classifier   ingress classifier rules in order, default action, hits\n"
		"  show functions    built-in functions with their per-rule counters\n"
		"  show routes       FIB summary: routes per table, next hops, neighbours\n"
		"  show counters     the named data-plane counters (drop reasons, events),\n"
		"                    the packets/bytes of every object, the served\n"
		"                    interfaces' socket counters and the control socket's\n"
		"                    own (with -j: the document srchaind --json prints)\n"
		"  show config       the running configuration text\n"
		"  config add STATEMENT\n"
		"                    append STATEMENT (one line of srchaind.conf(5)) to the\n"
		"                    running configuration and rebuild the tables exactly as\n"
		"                    a reload does. A statement that does not apply is refused\n"
		"                    with the error (naming the field) and changes nothing.\n"
		"  config remove STATEMENT\n"
		"                    remove the first line with the same words and rebuild\n"
		"  reload            reread the configuration file, as SIGHUP does; this\n"
		"                    drops every config add/remove made since\n"
		"  help              the requests the daemon knows\n"
		"\n"
		"Give STATEMENT as one quoted argument or as several words:\n"
		"  srchainctl config add 'function fw rule deny proto udp dport 7000'\n"
		"  srchainctl config add function fw rule deny proto udp dport 7000\n"
		"Keywords may be shortened while they stay unambiguous (sh cou).\n"
		"\n"
		"Changes made with config add/remove live in the daemon's memory only: the\n"
		"file is not rewritten, and a reload (or a restart) goes back to it. Save\n"
		"them with 'srchainctl show config > FILE'. Counters are kept across\n"
		"rebuilds by object name: renumbered objects (classifier rules after a\n"
		"removed line, firewall rules after a removed rule) start again from 0.\n"
		"\n"
		"OPTIONS\n"
		"  -s, --socket SOCK  the daemon's control socket (srchaind --ctl), default\n"
		"                     " SOCK_DEFAULT "\n"
		"  -j, --json         print the answer's data as JSON (one line) for scripts;\n"
		"                     every counter, zero or not\n"
		"  -a, --all          show counters: also the counters that are zero\n"
		"  -t, --timeout SEC  give up after SEC seconds (default %d, 1-3600)\n"
		"  -h, --help         this text\n"
		"      --version      the version (release and commit) and exit\n"
		"\n"
		"PROTOCOL\n"
		"One request line (words, \"quoted\" where they hold spaces, at\n"
		"most 8192 bytes) over a UNIX stream socket; the daemon answers with one\n"
		"JSON document, {\"ok\":true,\"data\":...} or {\"ok\":false,\"error\":\"...\"},\n"
		"and closes the connection. The daemon serves up to 64 clients at once (more\n"
		"are refused with an error); each must send its request within 1 s and\n"
		"take the answer within 3 s.\n"
		"\n"
		"EXAMPLES\n"
		"  srchainctl -s /run/node1.sock show counters\n"
		"  srchainctl -j show functions | jq '.[].counters[]'\n"
		"  srchainctl config add 'function fw rule deny proto tcp dport 23'\n"
		"  srchainctl config remove 'function fw rule deny proto tcp dport 23'\n"
		"\n"
		"EXIT STATUS\n"
		"0 success, 1 the daemon refused the request or cannot be\n"
		"reached (message on stderr), 2 usage error.\n"
		"\n"
		"SEE ALSO\n"
		"srchainctl(8), srchaind(8) (--ctl), srchaind.conf(5)\n",
		TIMEOUT_DEF_S);
}

/* ---- aligned tables ----------------------------------------------------- */

struct table {
	int ncol;
	const char *hdr[TBL_COLS];
	unsigned right; /* bit per column: right-aligned (numbers) */
	char **cell;
	size_t n, cap; /* cells */
};

static void tbl_init(struct table *t, unsigned right, int ncol, ...)
{
	va_list ap;

	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
	t->right = right;
	va_start(ap, ncol);
	for (int i = 0; i < ncol; i++)
		t->hdr[i] = va_arg(ap, const char *);
	va_end(ap);
}

static void tbl_cell(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tbl_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **c = realloc(t->cell, cap * sizeof(*c));

		if (!c) {
			fprintf(stderr, "srchainctl: out of memory\n");
			exit(1);
		}
		t->cell = c;
		t->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	t->cell[t->n++] = s;
}

static void tbl_print(struct table *t)
{
	size_t w[TBL_COLS] = {0}, rows = t->n / (size_t)t->ncol;

	for (int c = 0; c < t->ncol; c++)
		w[c] = strlen(t->hdr[c]);
	for (size_t i = 0; i < rows * (size_t)t->ncol; i++) {
		size_t l = t->cell[i] ? strlen(t->cell[i]) : 0;
		int c = (int)(i % (size_t)t->ncol);

		if (l > w[c])
			w[c] = l;
	}
	for (size_t r = 0; r <= rows; r++) {
		for (int c = 0; c < t->ncol; c++) {
			const char *s =
				r ? t->cell[(r - 1) * (size_t)t->ncol + (size_t)c] : t->hdr[c];
			int last = c == t->ncol - 1;

			if (!s)
				s = "";
			if (t->right & (1u << c))
				printf("%*s%s", (int)w[c], s, last ? "" : "  ");
			else if (last)
				printf("%s", s);
			else
				printf("%-*s  ", (int)w[c], s);
		}
		putchar('\n');
	}
	for (size_t i = 0; i < t->n; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->n = t->cap = 0;
}

/* ---- reading the answer -------------------------------------------------- */

static const char *str_of(const struct json_val *o, const char *key)
{
	const char *s = json_str(json_obj_get(o, key));

	return s ? s : "";
}

static unsigned long long num_of(const struct json_val *o, const char *key)
{
	uint64_t v = 0;

	return json_uint(json_obj_get(o, key), &v) ? 0 : (unsigned long long)v;
}

static int bool_of(const struct json_val *o, const char *key)
{
	bool b = false;

	return !json_bool(json_obj_get(o, key), &b) && b;
}

/* "via A dev D weight W, ..." */
static void fmt_nexthops(const struct json_val *o, char *buf, size_t cap)
{
	const struct json_val *nh = json_obj_get(o, "nexthops");
	size_t n = json_arr_len(nh), off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && off < cap; i++) {
		const struct json_val *h = json_arr_at(nh, i);
		const char *via = json_str(json_obj_get(h, "via"));

		off += (size_t)snprintf(buf + off, cap - off, "%s%s%s%sdev %s", i ? ", " : "",
					via ? "via " : "", via ? via : "", via ? " " : "",
					str_of(h, "dev"));
		if (n > 1 && off < cap)
			off += (size_t)snprintf(buf + off, cap - off, " weight %llu",
						num_of(h, "weight"));
	}
}

static void print_interfaces(const struct json_val *d)
{
	struct table t;

	tbl_init(&t, 0xf0 | 0x2 | 0x8, 8, "NAME", "IFINDEX", "MAC", "MTU", "RX-PACKETS", "RX-BYTES",
		 "TX-PACKETS", "TX-BYTES");
	for (size_t i = 0; i < json_arr_len(d); i++) {
		const struct json_val *f = json_arr_at(d, i);

		tbl_cell(&t, "%s%s%s", str_of(f, "name"),
			 bool_of(f, "classify") ? " (classify)" : "",
			 bool_of(f, "up") ? "" : " (down)");
		tbl_cell(&t, "%llu", num_of(f, "ifindex"));
		tbl_cell(&t, "%s", str_of(f, "mac"));
		tbl_cell(&t, "%llu", num_of(f, "mtu"));
		tbl_cell(&t, "%llu", num_of(f, "rx_packets"));
		tbl_cell(&t, "%llu", num_of(f, "rx_bytes"));
		tbl_cell(&t, "%llu", num_of(f, "tx_packets"));
		tbl_cell(&t, "%llu", num_of(f, "tx_bytes"));
	}
	tbl_print(&t);
}

static void print_sids(const struct json_val *d)
{
	struct table t;

	tbl_init(&t, 0x30, 6, "SID", "BEHAVIOUR", "FUNCTION", "PARAMETERS", "PACKETS", "BYTES");
	for (size_t i = 0; i < json_arr_len(d); i++) {
		const struct json_val *s = json_arr_at(d, i);
		char nh[512], par[640];
		size_t o = 0;

		fmt_nexthops(s, nh, sizeof(nh));
		par[0] = 0;
		if (nh[0])
			o += (size_t)snprintf(par + o, sizeof(par) - o, "%s ", nh);
		if (json_obj_get(s, "table") && o < sizeof(par))
			o += (size_t)snprintf(par + o, sizeof(par) - o, "table %llu ",
					      num_of(s, "table"));
		if (json_obj_get(s, "policy") && o < sizeof(par))
			o += (size_t)snprintf(par + o, sizeof(par) - o, "policy %s ",
					      str_of(s, "policy"));
		if (bool_of(s, "hmac") && o < sizeof(par))
			o += (size_t)snprintf(par + o, sizeof(par) - o, "hmac ");
		if (o && o <= sizeof(par))
			par[o - 1] = 0;
		tbl_cell(&t, "%s", str_of(s, "sid"));
		tbl_cell(&t, "%s", str_of(s, "behaviour"));
		tbl_cell(&t, "%s", json_obj_get(s, "function") ? str_of(s, "function") : "-");
		tbl_cell(&t, "%s", par[0] ? par : "-");
		tbl_cell(&t, "%llu", num_of(s, "packets"));
		tbl_cell(&t, "%llu", num_of(s, "bytes"));
	}
	tbl_print(&t);
}

static void print_range(const struct json_val *d, const char *key)
{
	const struct json_val *r = json_obj_get(d, key);

	if (json_type(r) == JSON_OBJECT)
		printf("%s %llu-%llu\n", key, num_of(r, "low"), num_of(r, "high"));
}

static void print_labels(const struct json_val *d)
{
	const struct json_val *l = json_obj_get(d, "labels");
	struct table t;

	print_range(d, "srgb");
	print_range(d, "srlb");
	tbl_init(&t, 0x1 | 0x4 | 0x20 | 0x40, 7, "LABEL", "OP", "OUT", "NEXTHOPS", "FUNCTION",
		 "PACKETS", "BYTES");
	for (size_t i = 0; i < json_arr_len(l); i++) {
		const struct json_val *e = json_arr_at(l, i);
		char nh[512];

		fmt_nexthops(e, nh, sizeof(nh));
		tbl_cell(&t, "%llu", num_of(e, "label"));
		tbl_cell(&t, "%s", str_of(e, "op"));
		if (json_obj_get(e, "out_label"))
			tbl_cell(&t, "%llu", num_of(e, "out_label"));
		else
			tbl_cell(&t, "-");
		tbl_cell(&t, "%s", nh[0] ? nh : "-");
		tbl_cell(&t, "%s", json_obj_get(e, "function") ? str_of(e, "function") : "-");
		tbl_cell(&t, "%llu", num_of(e, "packets"));
		tbl_cell(&t, "%llu", num_of(e, "bytes"));
	}
	tbl_print(&t);
}

/* The values of array key joined by commas (strings or numbers). */
static void fmt_list(const struct json_val *o, const char *key, char *buf, size_t cap)
{
	const struct json_val *a = json_obj_get(o, key);
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < json_arr_len(a) && off < cap; i++) {
		const struct json_val *v = json_arr_at(a, i);
		uint64_t u = 0;

		if (json_str(v))
			off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? "," : "",
						json_str(v));
		else if (!json_uint(v, &u))
			off += (size_t)snprintf(buf + off, cap - off, "%s%llu", i ? "," : "",
						(unsigned long long)u);
	}
}

static void print_policies(const struct json_val *d)
{
	struct table t;

	tbl_init(&t, 0x8 | 0x10, 5, "NAME", "TYPE", "PATH", "PACKETS", "BYTES");
	for (size_t i = 0; i < json_arr_len(d); i++) {
		const struct json_val *p = json_arr_at(d, i);
		char path[1200], list[1100];

		if (json_obj_get(p, "segs")) {
			fmt_list(p, "segs", list, sizeof(list));
			snprintf(path, sizeof(path), "segs %s src %s%s", list, str_of(p, "src"),
				 bool_of(p, "hmac") ? " hmac" : "");
		} else if (json_obj_get(p, "labels")) {
			fmt_list(p, "labels", list, sizeof(list));
			snprintf(path, sizeof(path), "labels %s ttl %s", list, str_of(p, "ttl"));
		} else {
			snprintf(path, sizeof(path), "spi %llu si %llu md %llu", num_of(p, "spi"),
				 num_of(p, "si"), num_of(p, "md"));
		}
		tbl_cell(&t, "%s", str_of(p, "name"));
		tbl_cell(&t, "%s", str_of(p, "type"));
		tbl_cell(&t, "%s", path);
		tbl_cell(&t, "%llu", num_of(p, "packets"));
		tbl_cell(&t, "%llu", num_of(p, "bytes"));
	}
	tbl_print(&t);
}

static void print_classifier(const struct json_val *d)
{
	const struct json_val *r = json_obj_get(d, "rules");
	struct table t;

	tbl_init(&t, 0x1 | 0x8 | 0x10, 5, "LINE", "MATCH", "ACTION", "PACKETS", "BYTES");
	for (size_t i = 0; i < json_arr_len(r); i++) {
		const struct json_val *e = json_arr_at(r, i);

		tbl_cell(&t, "%llu", num_of(e, "line"));
		tbl_cell(&t, "%s", str_of(e, "match"));
		if (json_obj_get(e, "policy"))
			tbl_cell(&t, "policy %s", str_of(e, "policy"));
		else
			tbl_cell(&t, "%s", str_of(e, "action"));
		tbl_cell(&t, "%llu", num_of(e, "packets"));
		tbl_cell(&t, "%llu", num_of(e, "bytes"));
	}
	tbl_print(&t);
	printf("default %s\n", str_of(d, "default"));
}

static void print_functions(const struct json_val *d)
{
	struct table t;

	tbl_init(&t, 0x8 | 0x10, 5, "FUNCTION", "TYPE", "COUNTER", "PACKETS", "BYTES");
	for (size_t i = 0; i < json_arr_len(d); i++) {
		const struct json_val *f = json_arr_at(d, i);
		const struct json_val *cs = json_obj_get(f, "counters");

		tbl_cell(&t, "%s", str_of(f, "name"));
		tbl_cell(&t, "%s", str_of(f, "type"));
		tbl_cell(&t, "(all packets)");
		tbl_cell(&t, "%llu", num_of(f, "packets"));
		tbl_cell(&t, "%llu", num_of(f, "bytes"));
		for (size_t k = 0; k < json_arr_len(cs); k++) {
			const struct json_val *c = json_arr_at(cs, k);

			tbl_cell(&t, "%s", "");
			tbl_cell(&t, "%s", "");
			tbl_cell(&t, "%s", str_of(c, "name"));
			tbl_cell(&t, "%llu", num_of(c, "packets"));
			tbl_cell(&t, "%llu", num_of(c, "bytes"));
		}
	}
	tbl_print(&t);
}

static void print_routes(const struct json_val *d)
{
	static const char *const keys[] = {"next_hops",	      "groups",		 "buckets",
					   "neighbours_ipv4", "neighbours_ipv6", "local_ipv4",
					   "local_ipv6",      "srv6_sids",	 "labels"};
	const struct json_val *tb = json_obj_get(d, "tables");
	struct table t;

	tbl_init(&t, 0x7, 3, "TABLE", "IPV4-ROUTES", "IPV6-ROUTES");
	for (size_t i = 0; i < json_arr_len(tb); i++) {
		const struct json_val *e = json_arr_at(tb, i);

		tbl_cell(&t, "%llu%s", num_of(e, "table"),
			 num_of(e, "table") == 254 ? " (main)" : "");
		tbl_cell(&t, "%llu", num_of(e, "ipv4_routes"));
		tbl_cell(&t, "%llu", num_of(e, "ipv6_routes"));
	}
	tbl_print(&t);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		printf("%-16s %llu\n", keys[k], num_of(d, keys[k]));
}

static void print_counters(const struct json_val *d, int all)
{
	const struct json_val *c = json_obj_get(d, "counters");
	const struct json_val *o = json_obj_get(d, "objects");
	const struct json_val *p = json_obj_get(d, "ports");
	const struct json_val *ctl = json_obj_get(d, "control");
	struct table t;

	printf("tables generation %llu, up %.1f s\n", num_of(d, "generation"),
	       (double)num_of(d, "uptime_ms") / 1000);
	tbl_init(&t, 0x2, 2, "COUNTER", "VALUE");
	for (size_t i = 0; i < json_obj_len(c); i++) {
		uint64_t v = 0;

		json_uint(json_obj_val(c, i), &v);
		if (!v && !all)
			continue;
		tbl_cell(&t, "%s", json_obj_key(c, i));
		tbl_cell(&t, "%llu", (unsigned long long)v);
	}
	tbl_print(&t);
	putchar('\n');
	tbl_init(&t, 0x6, 3, "OBJECT", "PACKETS", "BYTES");
	for (size_t i = 0; i < json_arr_len(o); i++) {
		const struct json_val *e = json_arr_at(o, i);

		if (!num_of(e, "packets") && !all)
			continue;
		tbl_cell(&t, "%s", str_of(e, "name"));
		tbl_cell(&t, "%llu", num_of(e, "packets"));
		tbl_cell(&t, "%llu", num_of(e, "bytes"));
	}
	tbl_print(&t);
	putchar('\n');
	tbl_init(&t, 0xfe, 8, "PORT", "RX-PACKETS", "RX-BYTES", "TX-PACKETS", "TX-BYTES",
		 "TX-ERRORS", "NOT-OURS", "KERNEL-DROPS");
	for (size_t i = 0; i < json_arr_len(p); i++) {
		const struct json_val *e = json_arr_at(p, i);

		tbl_cell(&t, "%s", str_of(e, "name"));
		tbl_cell(&t, "%llu", num_of(e, "rx_packets"));
		tbl_cell(&t, "%llu", num_of(e, "rx_bytes"));
		tbl_cell(&t, "%llu", num_of(e, "tx_packets"));
		tbl_cell(&t, "%llu", num_of(e, "tx_bytes"));
		tbl_cell(&t, "%llu", num_of(e, "tx_errors"));
		tbl_cell(&t, "%llu", num_of(e, "rx_not_ours"));
		tbl_cell(&t, "%llu", num_of(e, "rx_kernel_drops"));
	}
	tbl_print(&t);
	if (json_type(ctl) == JSON_OBJECT)
		printf("\ncontrol socket: %llu clients, %llu accepted, %llu answered, %llu "
		       "refused, "
		       "%llu timed out, %llu dropped\n",
		       num_of(ctl, "clients"), num_of(ctl, "accepted"), num_of(ctl, "answered"),
		       num_of(ctl, "refused"), num_of(ctl, "timed_out"), num_of(ctl, "dropped"));
}

static void print_text(enum ctl_req_type type, const struct json_val *d, int all)
{
	switch (type) {
	case CTL_REQ_SHOW_INTERFACES:
		print_interfaces(d);
		break;
	case CTL_REQ_SHOW_SIDS:
		print_sids(d);
		break;
	case CTL_REQ_SHOW_LABELS:
		print_labels(d);
		break;
	case CTL_REQ_SHOW_POLICIES:
		print_policies(d);
		break;
	case CTL_REQ_SHOW_CLASSIFIER:
		print_classifier(d);
		break;
	case CTL_REQ_SHOW_FUNCTIONS:
		print_functions(d);
		break;
	case CTL_REQ_SHOW_ROUTES:
		print_routes(d);
		break;
	case CTL_REQ_SHOW_COUNTERS:
		print_counters(d, all);
		break;
	case CTL_REQ_SHOW_CONFIG:
		fwrite(str_of(d, "text"), 1, json_str_len(json_obj_get(d, "text")), stdout);
		break;
	case CTL_REQ_CONFIG_ADD:
	case CTL_REQ_CONFIG_REMOVE:
		printf("%s line %llu: %s (tables generation %llu)\n",
		       type == CTL_REQ_CONFIG_ADD ? "added" : "removed", num_of(d, "line"),
		       str_of(d, "statement"), num_of(d, "generation"));
		break;
	case CTL_REQ_RELOAD:
		printf("reloaded (tables generation %llu)\n", num_of(d, "generation"));
		break;
	default:
		for (size_t i = 0; i < json_arr_len(d); i++)
			printf("%s\n",
			       json_str(json_arr_at(d, i)) ? json_str(json_arr_at(d, i)) : "");
		break;
	}
}

/* ---- talking to the daemon ---------------------------------------------- */

/* Sends line and reads the whole answer into *out; 0 or 1 (error printed). */
static int exchange(const char *sock, const char *line, size_t len, int timeout_s, char **out,
		    size_t *out_len)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int64_t deadline = mono_ms() + (int64_t)timeout_s * 1000;
	size_t off = 0, n = 0;
	FILE *mem = NULL;
	char *buf = NULL;
	int fd, send_err = 0;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "srchainctl: %s: socket path too long\n", sock);
		return 1;
	}
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr,
			"srchainctl: cannot connect to %s: %s (is srchaind --live running with "
			"--ctl %s?)\n",
			sock, strerror(errno), sock);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	while (off < len) {
		ssize_t w = send(fd, line + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w > 0) {
			off += (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (fd_wait(fd, POLLOUT, deadline))
				goto err_timeout;
		} else if (errno == EPIPE || errno == ECONNRESET) {
			/* the daemon may have answered and closed (it refuses
			 * clients over its limit at once): read what it said */
			send_err = errno;
			break;
		} else {
			fprintf(stderr, "srchainctl: %s: send: %s\n", sock, strerror(errno));
			goto err_close;
		}
	}
	shutdown(fd, SHUT_WR);
	mem = open_memstream(&buf, &n);
	if (!mem) {
		fprintf(stderr, "srchainctl: out of memory\n");
		goto err_close;
	}
	for (;;) {
		char chunk[65536];
		ssize_t r;

		if (fd_wait(fd, POLLIN, deadline))
			goto err_timeout;
		r = read(fd, chunk, sizeof(chunk));
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			/* a reset after an answer: the answer stands */
			if (ftell(mem) > 0 && e == ECONNRESET)
				break;
			fprintf(stderr, "srchainctl: %s: %s: %s\n", sock,
				send_err ? "send" : "read", strerror(send_err ? send_err : e));
			goto err_close;
		}
		if ((size_t)ftell(mem) + (size_t)r > ANSWER_MAX) {
			fprintf(stderr, "srchainctl: answer larger than %zu MiB\n",
				ANSWER_MAX >> 20);
			goto err_close;
		}
		if (fwrite(chunk, 1, (size_t)r, mem) != (size_t)r) {
			fprintf(stderr, "srchainctl: out of memory\n");
			goto err_close;
		}
	}
	if (!ftell(mem) && send_err) {
		fprintf(stderr, "srchainctl: %s: send: %s\n", sock, strerror(send_err));
		goto err_close;
	}
	close(fd);
	if (fclose(mem)) {
		fprintf(stderr, "srchainctl: out of memory\n");
		free(buf);
		return 1;
	}
	*out = buf;
	*out_len = n;
	return 0;
err_timeout:
	fprintf(stderr, "srchainctl: %s: no answer within %d s\n", sock, timeout_s);
err_close:
	close(fd);
	if (mem)
		fclose(mem);
	free(buf);
	return 1;
}

/* Joins the words into one request line, quoting what needs it. */
static int build_line(char **words, int n, char *line, size_t cap, size_t *len)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		int w;

		if (off + 2 >= cap)
			return -E2BIG;
		if (i)
			line[off++] = ' ';
		w = ctl_req_quote(words[i], line + off, cap - off - 1);
		if (w < 0)
			return -E2BIG;
		off += (size_t)w;
	}
	*len = off;
	return 0;
}

static int print_json_val(const struct json_val *v)
{
	struct jsonw w;

	jsonw_init(&w, stdout, false);
	json_emit(&w, v);
	if (jsonw_finish(&w)) {
		fprintf(stderr, "srchainctl: cannot write the answer as JSON\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version"))
		return version_print(stdout, "srchainctl");
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
		{"all", no_argument, NULL, 'a'},	  {"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},	  {NULL, 0, NULL, 0},
	};
	const char *sock = SOCK_DEFAULT;
	int json = 0, all = 0, timeout_s = TIMEOUT_DEF_S, c, rc;
	char line[CTL_REQ_LINE_MAX + 2], *answer = NULL;
	size_t len = 0, answer_len = 0;
	struct json_limits lim = {0};
	struct json_doc *doc = NULL;
	struct json_err jerr;
	struct ctl_req *req;
	struct err err = {{0}};
	const struct json_val *root;
	uint64_t v;

	while ((c = getopt_long(argc, argv, "+s:jat:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 't':
			if (num_parse(optarg, 1, 3600, &v)) {
				fprintf(stderr,
					"srchainctl: --timeout wants 1-3600 seconds, not '%s'\n",
					optarg);
				return 2;
			}
			timeout_s = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr,
			"srchainctl: no request (show, config, reload, help); see --help\n");
		return 2;
	}
	if (build_line(argv + optind, argc - optind, line, sizeof(line) - 1, &len)) {
		fprintf(stderr, "srchainctl: request longer than %d bytes\n", CTL_REQ_LINE_MAX);
		return 2;
	}
	/* the daemon checks again; checking here tells usage from refusal */
	req = calloc(1, sizeof(*req));
	if (!req) {
		fprintf(stderr, "srchainctl: out of memory\n");
		return 1;
	}
	if (ctl_req_parse(line, len, req, &err)) {
		fprintf(stderr, "srchainctl: %s; see --help\n", err.msg);
		free(req);
		return 2;
	}
	line[len++] = '\n';
	rc = exchange(sock, line, len, timeout_s, &answer, &answer_len);
	if (rc)
		goto out;
	lim.max_doc = answer_len ? answer_len : 1;
	lim.max_mem = (size_t)1 << 30;
	if (json_parse(answer, answer_len, &lim, &doc, &jerr)) {
		fprintf(stderr, "srchainctl: bad answer from %s: %d:%d: %s\n", sock, jerr.line,
			jerr.col, jerr.msg);
		rc = 1;
		goto out;
	}
	root = json_root(doc);
	if (!bool_of(root, "ok")) {
		const char *msg = json_str(json_obj_get(root, "error"));

		fprintf(stderr, "srchainctl: %s\n", msg ? msg : "request failed (no message)");
		rc = 1;
		goto out;
	}
	if (json)
		rc = print_json_val(json_obj_get(root, "data"));
	else
		print_text(req->type, json_obj_get(root, "data"), all);
out:
	json_free(doc);
	free(answer);
	free(req);
	if (fflush(stdout) && !rc)
		rc = 1;
	return rc;
}

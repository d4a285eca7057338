/* PCE inventory: CRUD, validation errors that name the field, transactions
 * that leave nothing behind, persistence, schema versioning, and durability
 * of acknowledged commits across a SIGKILL. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/err.h"
#include "pce/encode.h"
#include "pce/inv.h"
#include "pce/path.h"
#include "test.h"

static char db_dir[64];
static char db_path[96];

/* A fresh database file in a fresh directory under /tmp. */
static struct inv *fresh(void)
{
	struct inv *inv = NULL;
	struct err e = {{0}};

	snprintf(db_dir, sizeof(db_dir), "/tmp/srchain-pce-XXXXXX");
	if (!mkdtemp(db_dir))
		return NULL;
	snprintf(db_path, sizeof(db_path), "%s/inv.db", db_dir);
	if (inv_open(db_path, &inv, &e))
		fprintf(stderr, "  %s\n", e.msg);
	return inv;
}

static void cleanup(struct inv *inv)
{
	char p[128];

	inv_close(inv);
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
	rmdir(db_dir);
}

static struct inv_node node(const char *name, uint32_t idx)
{
	struct inv_node n = {.srgb_base = 16000,
			     .srgb_size = 8000,
			     .srlb_base = 24000,
			     .srlb_size = 1000,
			     .sid_index = idx,
			     .msd = 10};

	snprintf(n.name, sizeof(n.name), "%s", name);
	snprintf(n.router_id, sizeof(n.router_id), "192.0.2.%u", idx);
	snprintf(n.srv6_locator, sizeof(n.srv6_locator), "2001:db8:%x::/48", idx);
	snprintf(n.srv6_node_sid, sizeof(n.srv6_node_sid), "2001:db8:%x::1", idx);
	snprintf(n.pcep_addr, sizeof(n.pcep_addr), "192.0.2.%u", idx);
	return n;
}

static struct inv_link link_(const char *name, const char *a, const char *b)
{
	struct inv_link l = {
		.igp_metric = 10, .te_metric = 10, .delay_us = 100, .adj_label = 24001, .up = true};

	snprintf(l.name, sizeof(l.name), "%s", name);
	snprintf(l.a, sizeof(l.a), "%s", a);
	snprintf(l.b, sizeof(l.b), "%s", b);
	snprintf(l.local_addr, sizeof(l.local_addr), "198.51.100.1");
	snprintf(l.remote_addr, sizeof(l.remote_addr), "198.51.100.2");
	return l;
}

static struct inv_func func(const char *name, const char *type, const char *nd)
{
	struct inv_func f = {.label = 24100, .capacity = 10, .state = INV_FN_ACTIVE};

	snprintf(f.name, sizeof(f.name), "%s", name);
	snprintf(f.type, sizeof(f.type), "%s", type);
	snprintf(f.node, sizeof(f.node), "%s", nd);
	return f;
}

static struct inv_chain chain(const char *name, const char *in, const char *out, const char *fns)
{
	struct inv_chain c = {.dataplane = INV_DP_SRMPLS};

	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.classifier, sizeof(c.classifier), "udp dst 5000");
	snprintf(c.ingress, sizeof(c.ingress), "%s", in);
	snprintf(c.egress, sizeof(c.egress), "%s", out);
	snprintf(c.functions, sizeof(c.functions), "%s", fns);
	return c;
}

static int count_cb(const struct inv_node *n, void *ctx)
{
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

static int n_nodes(struct inv *inv)
{
	int n = 0;

	return inv_node_list(inv, count_cb, &n, NULL) ? -1 : n;
}

TEST(pce_inv_crud)
{
	struct inv *inv = fresh();
	struct err e = {{0}};
	struct inv_node n = node("r1", 1), got;
	struct inv_link l;
	struct inv_func f;
	struct inv_chain c, cg;
	struct inv_path p = {.version = 3, .plsp_id = 7, .state = INV_PATH_INSTALLED}, pg;

	CHECK(inv);
	if (!inv)
		return;
	CHECK_EQ(inv_schema_version(inv), INV_SCHEMA_VERSION);
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	CHECK_EQ(inv_node_add(inv, &n, &e), -EEXIST);
	CHECK(strstr(e.msg, "node 'r1' already exists"));
	n = node("r2", 2);
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	CHECK_EQ(inv_node_get(inv, "r2", &got, &e), 0);
	CHECK_STR(got.srv6_node_sid, "2001:db8:2::1");
	CHECK_EQ(got.sid_index, 2);
	n.msd = 4;
	CHECK_EQ(inv_node_update(inv, &n, &e), 0);
	CHECK_EQ(inv_node_get(inv, "r2", &got, &e), 0);
	CHECK_EQ(got.msd, 4);
	n = node("r9", 9);
	CHECK_EQ(inv_node_update(inv, &n, &e), -ENOENT);
	CHECK_EQ(inv_node_get(inv, "r9", &got, &e), -ENOENT);
	CHECK_EQ(n_nodes(inv), 2);

	l = link_("r1-r2", "r1", "r2");
	snprintf(l.adj_srv6_sid, sizeof(l.adj_srv6_sid), "2001:db8:1::e1");
	CHECK_EQ(inv_link_add(inv, &l, &e), 0);
	l.up = false;
	CHECK_EQ(inv_link_update(inv, &l, &e), 0);
	CHECK_EQ(inv_link_get(inv, "r1-r2", &l, &e), 0);
	CHECK(!l.up);
	CHECK_STR(l.adj_srv6_sid, "2001:db8:1::e1");

	f = func("fw1", "fw", "r2");
	f.kind = INV_FN_PROXY_DYNAMIC;
	CHECK_EQ(inv_func_add(inv, &f, &e), 0);
	f.state = INV_FN_DRAINING;
	CHECK_EQ(inv_func_update(inv, &f, &e), 0);
	CHECK_EQ(inv_func_get(inv, "fw1", &f, &e), 0);
	CHECK_EQ(f.state, INV_FN_DRAINING);
	CHECK_EQ(f.kind, INV_FN_PROXY_DYNAMIC);

	c = chain("c1", "r1", "r2", "fw");
	c.metric = INV_METRIC_DELAY;
	c.select = INV_SELECT_LEAST_LOADED;
	snprintf(c.pinned, sizeof(c.pinned), "fw=fw1");
	snprintf(c.exclude_links, sizeof(c.exclude_links), "r1-r2");
	CHECK_EQ(inv_chain_add(inv, &c, &e), 0);
	CHECK_EQ(inv_chain_get(inv, "c1", &cg, &e), 0);
	CHECK_STR(cg.functions, "fw");
	CHECK_EQ(cg.metric, INV_METRIC_DELAY);
	CHECK_EQ(cg.select, INV_SELECT_LEAST_LOADED);
	CHECK_STR(cg.pinned, "fw=fw1");

	/* '_' in a name is no wildcard: fw_1 is not fwa1, which c3 pins */
	f = func("fw_1", "fw", "r2");
	CHECK_EQ(inv_func_add(inv, &f, &e), 0);
	f = func("fwa1", "fw", "r2");
	CHECK_EQ(inv_func_add(inv, &f, &e), 0);
	c = chain("c3", "r1", "r2", "fw");
	snprintf(c.pinned, sizeof(c.pinned), "fw=fwa1");
	CHECK_EQ(inv_chain_add(inv, &c, &e), 0);
	CHECK_EQ(inv_func_del(inv, "fw_1", &e), 0);
	CHECK_EQ(inv_func_del(inv, "fwa1", &e), -EBUSY);
	CHECK_EQ(inv_chain_del(inv, "c3", &e), 0);
	CHECK_EQ(inv_func_del(inv, "fwa1", &e), 0);
	c = chain("c2", "r1", "r2", "fw, fw");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'functions': 'fw, fw': write the list without spaces"));

	/* a node's new SRLB must still hold its links' local labels */
	n = node("r1", 1);
	n.srlb_base = 25000;
	CHECK_EQ(inv_node_update(inv, &n, &e), -EINVAL);
	CHECK(strstr(e.msg, "link 'r1-r2': field 'adj_label': 24001 is outside node 'r1''s SRLB"));
	CHECK_EQ(inv_node_get(inv, "r1", &got, &e), 0);
	CHECK_EQ(got.srlb_base, 24000);

	/* references hold: in-use rows cannot go */
	CHECK_EQ(inv_node_del(inv, "r1", &e), -EBUSY);
	CHECK(strstr(e.msg, "node 'r1' is used by link 'r1-r2'"));
	CHECK_EQ(inv_func_del(inv, "fw1", &e), -EBUSY);
	CHECK(strstr(e.msg, "used by chain 'c1'"));
	CHECK_EQ(inv_link_del(inv, "r1-r2", &e), -EBUSY);

	snprintf(p.chain, sizeof(p.chain), "c1");
	snprintf(p.segments, sizeof(p.segments), "16002 24100");
	snprintf(p.instances, sizeof(p.instances), "fw1");
	CHECK_EQ(inv_path_put(inv, &p, &e), 0);
	p.version = 4;
	CHECK_EQ(inv_path_put(inv, &p, &e), 0); /* replaces */
	CHECK_EQ(inv_path_get(inv, "c1", &pg, &e), 0);
	CHECK_EQ(pg.version, 4);
	CHECK_EQ(pg.plsp_id, 7);
	CHECK_EQ(pg.state, INV_PATH_INSTALLED);
	snprintf(p.chain, sizeof(p.chain), "nochain");
	CHECK_EQ(inv_path_put(inv, &p, &e), -ENOENT);
	CHECK(strstr(e.msg, "chain 'nochain' does not exist"));

	/* deleting the chain deletes its path, then everything can go */
	CHECK_EQ(inv_chain_del(inv, "c1", &e), 0);
	CHECK_EQ(inv_path_get(inv, "c1", &pg, &e), -ENOENT);
	CHECK_EQ(inv_chain_del(inv, "c1", &e), -ENOENT);
	CHECK_EQ(inv_func_del(inv, "fw1", &e), 0);
	CHECK_EQ(inv_link_del(inv, "r1-r2", &e), 0);
	CHECK_EQ(inv_node_del(inv, "r1", &e), 0);
	CHECK_EQ(n_nodes(inv), 1);
	cleanup(inv);
}

/* Each bad row is refused with -EINVAL/-ENOENT and a message naming the
 * field; nothing is stored. */
TEST(pce_inv_validation)
{
	struct inv *inv = fresh();
	struct err e = {{0}};
	struct inv_node n;
	struct inv_link l;
	struct inv_func f;
	struct inv_chain c;

	CHECK(inv);
	if (!inv)
		return;
	n = node("r1", 1);
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	n = node("r2", 2);
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);

#define BAD_NODE(mut, code, text)                                                                  \
	do {                                                                                       \
		n = node("rx", 5);                                                                 \
		mut;                                                                               \
		CHECK_EQ(inv_node_add(inv, &n, &e), code);                                         \
		if (!strstr(e.msg, text))                                                          \
			test_fail(__FILE__, __LINE__, "message '%s' lacks '%s'", e.msg, text);     \
	} while (0)
	BAD_NODE(snprintf(n.name, sizeof(n.name), "bad name"), -EINVAL, "is not a name");
	BAD_NODE(snprintf(n.router_id, sizeof(n.router_id), "192.0.2"), -EINVAL,
		 "field 'router_id': '192.0.2' is not an IPv4 address");
	BAD_NODE(n.srgb_base = 1048000, -EINVAL, "field 'srgb_size'");
	BAD_NODE(n.srgb_base = 3, -EINVAL, "field 'srgb_base': 3 is not in 16-1048575");
	BAD_NODE(n.sid_index = 9000, -EINVAL, "field 'sid_index': 9000 is outside the SRGB");
	BAD_NODE(n.srlb_base = 20000, -EINVAL, "field 'srlb_base': SRLB 20000+1000 overlaps");
	BAD_NODE(n.msd = 300, -EINVAL, "field 'msd': 300 is not in 0-255");
	BAD_NODE(snprintf(n.srv6_node_sid, sizeof(n.srv6_node_sid), "2001:db8:99::1"), -EINVAL,
		 "field 'srv6_node_sid': 2001:db8:99::1 is not inside the locator");
	BAD_NODE(snprintf(n.srv6_locator, sizeof(n.srv6_locator), "2001:db8::/129"), -EINVAL,
		 "field 'srv6_locator'");
	BAD_NODE(snprintf(n.pcep_addr, sizeof(n.pcep_addr), "pce.example"), -EINVAL,
		 "field 'pcep_addr'");
	CHECK_EQ(n_nodes(inv), 2);

#define BAD_LINK(mut, code, text)                                                                  \
	do {                                                                                       \
		l = link_("l1", "r1", "r2");                                                       \
		mut;                                                                               \
		CHECK_EQ(inv_link_add(inv, &l, &e), code);                                         \
		if (!strstr(e.msg, text))                                                          \
			test_fail(__FILE__, __LINE__, "message '%s' lacks '%s'", e.msg, text);     \
	} while (0)
	BAD_LINK(snprintf(l.b, sizeof(l.b), "r7"), -ENOENT,
		 "link 'l1': field 'b': node 'r7' does not exist");
	BAD_LINK(snprintf(l.b, sizeof(l.b), "r1"), -EINVAL,
		 "field 'b': a link from 'r1' to itself");
	BAD_LINK(l.igp_metric = 0, -EINVAL, "field 'igp_metric': 0 is not in 1-16777215");
	BAD_LINK(l.delay_us = 16777216, -EINVAL, "field 'delay_us'");
	BAD_LINK(l.adj_label = 16005, -EINVAL,
		 "field 'adj_label': 16005 is inside node 'r1''s SRGB");
	BAD_LINK(l.adj_label = 30000, -EINVAL,
		 "field 'adj_label': 30000 is outside node 'r1''s SRLB");
	BAD_LINK(snprintf(l.adj_srv6_sid, sizeof(l.adj_srv6_sid), "2001:db8:2::e"), -EINVAL,
		 "field 'adj_srv6_sid': 2001:db8:2::e is not inside node 'r1''s locator");
	BAD_LINK(snprintf(l.local_addr, sizeof(l.local_addr), "198.51.100.300"), -EINVAL,
		 "field 'local_addr'");

	f = func("fw1", "fw", "r3");
	CHECK_EQ(inv_func_add(inv, &f, &e), -ENOENT);
	CHECK(strstr(e.msg, "function 'fw1': field 'node': node 'r3' does not exist"));
	f = func("fw1", "fw", "r2");
	f.label = 0;
	CHECK_EQ(inv_func_add(inv, &f, &e), -EINVAL);
	CHECK(strstr(e.msg, "needs an SR-MPLS label or an SRv6 SID"));
	f = func("fw1", "fw", "r2");
	f.capacity = 0;
	CHECK_EQ(inv_func_add(inv, &f, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'capacity'"));
	f = func("fw1", "fw", "r2");
	f.state = INV_FN_STATE_MAX;
	CHECK_EQ(inv_func_add(inv, &f, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'state'"));
	f = func("fw1", "fw", "r2");
	CHECK_EQ(inv_func_add(inv, &f, &e), 0);

	c = chain("c1", "r1", "r9", "fw");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -ENOENT);
	CHECK(strstr(e.msg, "field 'egress': node 'r9' does not exist"));
	c = chain("c1", "r1", "r2", "fw,,nat");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'functions'"));
	c = chain("c1", "r1", "r2", "fw,nat");
	snprintf(c.pinned, sizeof(c.pinned), "nat=fw1");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'pinned': instance 'fw1' is a 'fw', not a 'nat'"));
	c = chain("c1", "r1", "r2", "fw");
	snprintf(c.pinned, sizeof(c.pinned), "ids=fw1");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "'ids' is not in the chain's functions"));
	c = chain("c1", "r1", "r2", "fw");
	snprintf(c.exclude_nodes, sizeof(c.exclude_nodes), "r1");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'exclude_nodes': 'r1' is the chain's ingress or egress"));
	c = chain("c1", "r1", "r2", "fw");
	snprintf(c.exclude_links, sizeof(c.exclude_links), "nolink");
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'exclude_links': link 'nolink' does not exist"));
	c = chain("c1", "r1", "r2", "fw");
	c.dataplane = INV_DP_MAX;
	CHECK_EQ(inv_chain_add(inv, &c, &e), -EINVAL);
	CHECK(strstr(e.msg, "field 'dataplane'"));
	c = chain("c1", "r1", "r2", "fw");
	CHECK_EQ(inv_chain_add(inv, &c, &e), 0);
	cleanup(inv);
}

/* A multi-row change that fails part-way leaves nothing; one that commits
 * leaves everything; a failed single change inside a transaction undoes
 * only itself. */
TEST(pce_inv_transactions)
{
	struct inv *inv = fresh();
	struct err e = {{0}};
	struct inv_node n;
	struct inv_link l;

	CHECK(inv);
	if (!inv)
		return;
	CHECK_EQ(inv_begin(inv, &e), 0);
	CHECK_EQ(inv_begin(inv, &e), -EBUSY);
	for (int i = 1; i <= 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "r%d", i);
		n = node(name, (uint32_t)i);
		CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	}
	l = link_("l1", "r1", "r4");
	CHECK_EQ(inv_link_add(inv, &l, &e), -ENOENT); /* the batch fails here */
	CHECK_EQ(n_nodes(inv), 3);		      /* visible inside, ... */
	inv_rollback(inv);
	CHECK_EQ(n_nodes(inv), 0); /* ... gone after */

	CHECK_EQ(inv_begin(inv, &e), 0);
	n = node("r1", 1);
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	n = node("r2", 2);
	n.sid_index = 99999;
	CHECK_EQ(inv_node_add(inv, &n, &e), -EINVAL);
	n = node("r2", 2);
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	l = link_("l1", "r1", "r2");
	CHECK_EQ(inv_link_add(inv, &l, &e), 0);
	CHECK_EQ(inv_commit(inv, &e), 0);
	CHECK_EQ(inv_commit(inv, &e), -EINVAL);
	CHECK_EQ(n_nodes(inv), 2);
	CHECK_EQ(inv_link_get(inv, "l1", &l, &e), 0);
	cleanup(inv);
}

TEST(pce_inv_persistence)
{
	struct inv *inv = fresh();
	struct err e = {{0}};
	struct inv_node n = node("r1", 1);
	sqlite3 *db;

	CHECK(inv);
	if (!inv)
		return;
	CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	inv_close(inv);
	inv = NULL;
	CHECK_EQ(inv_open(db_path, &inv, &e), 0);
	CHECK_EQ(inv_node_get(inv, "r1", &n, &e), 0);
	CHECK_STR(n.router_id, "192.0.2.1");
	CHECK_EQ(inv_schema_version(inv), INV_SCHEMA_VERSION);
	inv_close(inv);

	/* a database from a newer program is refused, not downgraded */
	CHECK_EQ(sqlite3_open(db_path, &db), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	/* a row this program cannot represent is an error, not a default */
	CHECK_EQ(sqlite3_exec(db, "UPDATE nodes SET msd=-1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	inv = NULL;
	CHECK_EQ(inv_open(db_path, &inv, &e), -EPROTO);
	CHECK(strstr(e.msg, "schema version 99 is newer"));
	CHECK_EQ(sqlite3_open(db_path, &db), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, "PRAGMA user_version=1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ(inv_open(db_path, &inv, &e), 0);
	CHECK_EQ(inv_node_get(inv, "r1", &n, &e), -EPROTO);
	CHECK_EQ(n_nodes(inv), -1);
	cleanup(inv);
}

/* A child commits rows (single changes and 3-row transactions) and reports
 * each acknowledged commit through a pipe; the parent kills it with SIGKILL
 * mid-stream. Every acknowledged row must be there on reopen. */
TEST(pce_inv_kill9_durability)
{
	struct inv *inv = fresh();
	struct err e = {{0}};
	int fds[2], acked = -1, v;
	pid_t pid;

	CHECK(inv);
	if (!inv)
		return;
	inv_close(inv);
	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid < 0)
		return;
	if (pid == 0) {
		struct inv *ci = NULL;

		close(fds[0]);
		if (inv_open(db_path, &ci, &e))
			_exit(2);
		for (int i = 0; i < 100000; i += 3) {
			char name[16];
			struct inv_node n;
			int rc = 0;

			if ((i / 3) % 2)
				rc = inv_begin(ci, &e);
			for (int k = 0; k < 3 && !rc; k++) {
				snprintf(name, sizeof(name), "n%d", i + k);
				n = node(name, (uint32_t)(i + k) % 7000);
				rc = inv_node_add(ci, &n, &e);
			}
			if (!rc && (i / 3) % 2)
				rc = inv_commit(ci, &e);
			if (rc)
				_exit(3);
			v = i + 2; /* rows 0..i+2 are committed */
			if (write(fds[1], &v, sizeof(v)) != sizeof(v))
				_exit(4);
		}
		_exit(0);
	}
	close(fds[1]);
	while (acked < 60 && read(fds[0], &v, sizeof(v)) == sizeof(v))
		acked = v;
	kill(pid, SIGKILL); /* our own child, by its PID */
	int st;

	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	while (read(fds[0], &v, sizeof(v)) == sizeof(v))
		acked = v; /* acks written before the kill landed */
	close(fds[0]);
	CHECK(acked >= 60);
	inv = NULL;
	CHECK_EQ(inv_open(db_path, &inv, &e), 0);
	if (!inv)
		return;
	int present = n_nodes(inv);

	CHECK(present >= acked + 1);
	/* the 3-row transactions (odd groups) are all there or not at all */
	for (int i = 3; i < present + 6; i += 6) {
		char name[16];
		struct inv_node n;
		int have = 0;

		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "n%d", i + k);
			have += inv_node_get(inv, name, &n, NULL) == 0;
		}
		if (have != 0 && have != 3)
			test_fail(__FILE__, __LINE__, "transaction n%d..n%d torn: %d of 3", i,
				  i + 2, have);
	}
	for (int i = 0; i <= acked; i++) {
		char name[16];
		struct inv_node n;

		snprintf(name, sizeof(name), "n%d", i);
		if (inv_node_get(inv, name, &n, &e)) {
			test_fail(__FILE__, __LINE__, "acknowledged row %s lost", name);
			break;
		}
	}
	cleanup(inv);
}

static int count_path(const struct inv_path *p, void *ctx)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

static int link2(struct inv *inv, const char *a, const char *b, bool up, struct err *e)
{
	char name[INV_NAME_LEN];
	int rc = 0;

	for (int d = 0; d < 2 && !rc; d++) {
		snprintf(name, sizeof(name), "%.8s-%.8s", d ? b : a, d ? a : b);
		struct inv_link l = link_(name, d ? b : a, d ? a : b);

		l.up = up;
		rc = inv_link_add(inv, &l, e);
	}
	return rc;
}

/* From the inventory to a stored path: the graph holds what is up, the
 * chain's names resolve, the list is stored, and the next graph counts the
 * instance's load. */
TEST(pce_inv_to_path)
{
	struct inv *inv = fresh();
	struct err e = {{0}};
	struct pce_graph *g = NULL;
	struct inv_func f = func("fw1", "fw", "r2");
	struct inv_chain c = chain("web", "r1", "r3", "fw");
	struct inv_path ip = {.version = 1, .state = INV_PATH_PENDING};
	struct pce_chain_req r;
	struct pce_path p;
	struct pce_seglist l;
	int np = 0;

	CHECK(inv);
	if (!inv)
		return;
	CHECK_EQ(inv_begin(inv, &e), 0);
	for (uint32_t i = 1; i <= 4; i++) {
		char name[8];

		snprintf(name, sizeof(name), "r%u", i);
		struct inv_node n = node(name, i);

		CHECK_EQ(inv_node_add(inv, &n, &e), 0);
	}
	CHECK_EQ(link2(inv, "r1", "r2", true, &e), 0);
	CHECK_EQ(link2(inv, "r2", "r3", true, &e), 0);
	CHECK_EQ(link2(inv, "r1", "r4", true, &e), 0);
	CHECK_EQ(link2(inv, "r4", "r3", true, &e), 0);
	CHECK_EQ(link2(inv, "r1", "r3", false, &e), 0); /* down: not in the graph */
	f.label = 24500;
	CHECK_EQ(inv_func_add(inv, &f, &e), 0);
	snprintf(c.exclude_links, sizeof(c.exclude_links), "r4-r3");
	CHECK_EQ(inv_chain_add(inv, &c, &e), 0);
	CHECK_EQ(inv_commit(inv, &e), 0);

	CHECK_EQ(pce_graph_from_inv(inv, &g, &e), 0);
	if (!g)
		goto out;
	CHECK_EQ(g->n_nodes, 4);
	CHECK_EQ(g->n_edges, 8);
	CHECK_EQ(g->insts[0].load, 0);
	CHECK_EQ(pce_chain_req_from_inv(g, &c, &r, &e), 0);
	CHECK_EQ(r.n_excl_edges, 1);
	CHECK_EQ(pce_path_compute(g, &r, &p, &e), 0);
	CHECK_EQ(p.cost, 20);
	CHECK_EQ(pce_encode(g, &p, INV_DP_SRMPLS, &l, &e), 0);
	CHECK_EQ(pce_seglist_format(&l, ip.segments, sizeof(ip.segments)), 0);
	/* r1 -> r2 is the IGP's unique way to r2 (r1 -> r3 is ECMP); fw1; r3 */
	CHECK_STR(ip.segments, "16002 24500 16003");
	snprintf(ip.chain, sizeof(ip.chain), "web");
	snprintf(ip.instances, sizeof(ip.instances), "fw1");
	CHECK_EQ(inv_path_put(inv, &ip, &e), 0);
	pce_graph_free(g);
	g = NULL;
	CHECK_EQ(pce_graph_from_inv(inv, &g, &e), 0);
	if (g)
		CHECK_EQ(g->insts[0].load, 1);
	CHECK_EQ(inv_path_list(inv, count_path, &np, &e), 0);
	CHECK_EQ(np, 1);
out:
	pce_graph_free(g);
	cleanup(inv);
}

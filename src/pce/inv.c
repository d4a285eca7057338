/* Inventory in SQLite. One descriptor per table lists its columns (name,
 * kind, offset in the C struct); the generic code binds, reads, inserts,
 * updates and lists through it, and a per-table check validates the fields
 * that need more than their kind (addresses, ranges, references).
 *
 * Durability: journal_mode=WAL lets readers run beside the writer;
 * synchronous=FULL fsyncs the WAL at every commit. A commit is written to the
 * WAL with write() before sqlite3_step() returns, so a kill -9 of the process
 * alone loses nothing even under NORMAL; FULL is what keeps an acknowledged
 * change across a crash of the machine or a power cut (NORMAL may roll back
 * the last commits then), and an acknowledgement srpced has already sent
 * must not be undone by either. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/err.h"
#include "pce/inv_int.h"

struct inv {
	sqlite3 *db;
	bool in_txn; /* inside inv_begin .. inv_commit/inv_rollback */
};

static const char *const fn_kind_names[] = {"aware", "static-proxy", "dynamic-proxy",
					    "masquerading-proxy", NULL};
static const char *const fn_state_names[] = {"active", "starting", "draining", "stopped", NULL};
static const char *const dataplane_names[] = {"srmpls", "srv6", NULL};
static const char *const metric_names[] = {"igp", "te", "delay", NULL};
static const char *const select_names[] = {"nearest", "least-loaded", NULL};
static const char *const path_state_names[] = {"pending", "installed", "failed", NULL};

const char *inv_fn_kind_name(enum inv_fn_kind k)
{
	return k < INV_FN_KIND_MAX ? fn_kind_names[k] : "?";
}

const char *inv_fn_state_name(enum inv_fn_state s)
{
	return s < INV_FN_STATE_MAX ? fn_state_names[s] : "?";
}

const char *inv_dataplane_name(enum inv_dataplane d)
{
	return d < INV_DP_MAX ? dataplane_names[d] : "?";
}

const char *inv_metric_name(enum inv_metric m)
{
	return m < INV_METRIC_MAX ? metric_names[m] : "?";
}

const char *inv_select_name(enum inv_select s)
{
	return s < INV_SELECT_MAX ? select_names[s] : "?";
}

const char *inv_path_state_name(enum inv_path_state s)
{
	return s < INV_PATH_STATE_MAX ? path_state_names[s] : "?";
}

/* ---- schema ---- */

/* Migration k takes the schema from version k to k+1; each runs in the same
 * transaction as the user_version bump, so a crash leaves the old version. */
static const char *const migrations[INV_SCHEMA_VERSION] = {
	"CREATE TABLE nodes(name TEXT PRIMARY KEY, router_id TEXT NOT NULL,"
	" srgb_base INTEGER NOT NULL, srgb_size INTEGER NOT NULL,"
	" srlb_base INTEGER NOT NULL, srlb_size INTEGER NOT NULL,"
	" sid_index INTEGER NOT NULL, srv6_locator TEXT NOT NULL,"
	" srv6_node_sid TEXT NOT NULL, msd INTEGER NOT NULL, pcep_addr TEXT NOT NULL);"
	"CREATE TABLE links(name TEXT PRIMARY KEY,"
	" a TEXT NOT NULL REFERENCES nodes(name), b TEXT NOT NULL REFERENCES nodes(name),"
	" local_addr TEXT NOT NULL, remote_addr TEXT NOT NULL,"
	" igp_metric INTEGER NOT NULL, te_metric INTEGER NOT NULL, delay_us INTEGER NOT NULL,"
	" adj_label INTEGER NOT NULL, adj_srv6_sid TEXT NOT NULL, up INTEGER NOT NULL);"
	"CREATE TABLE functions(name TEXT PRIMARY KEY, type TEXT NOT NULL,"
	" node TEXT NOT NULL REFERENCES nodes(name), label INTEGER NOT NULL,"
	" srv6_sid TEXT NOT NULL, kind TEXT NOT NULL, capacity INTEGER NOT NULL,"
	" state TEXT NOT NULL);"
	"CREATE TABLE chains(name TEXT PRIMARY KEY, classifier TEXT NOT NULL,"
	" ingress TEXT NOT NULL REFERENCES nodes(name),"
	" egress TEXT NOT NULL REFERENCES nodes(name), functions TEXT NOT NULL,"
	" dataplane TEXT NOT NULL, metric TEXT NOT NULL, sel TEXT NOT NULL,"
	" exclude_nodes TEXT NOT NULL, exclude_links TEXT NOT NULL, pinned TEXT NOT NULL);"
	"CREATE TABLE paths(chain TEXT PRIMARY KEY REFERENCES chains(name) ON DELETE CASCADE,"
	" segments TEXT NOT NULL, instances TEXT NOT NULL, version INTEGER NOT NULL,"
	" plsp_id INTEGER NOT NULL, state TEXT NOT NULL);",
};

int inv_db_fail(struct inv *inv, struct err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(inv->db);

	return err_set(err, (rc & 0xff) == SQLITE_FULL ? ENOSPC : EIO, "inventory: %s: %s", what,
		       sqlite3_errmsg(inv->db));
}

static int exec(struct inv *inv, const char *sql, struct err *err)
{
	if (sqlite3_exec(inv->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return inv_db_fail(inv, err, sql);
	return 0;
}

static int pragma_int(struct inv *inv, const char *sql, int *out, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL) != SQLITE_OK)
		return inv_db_fail(inv, err, sql);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : inv_db_fail(inv, err, sql);
}

static int migrate(struct inv *inv, struct err *err)
{
	char sql[64];
	int v, rc;

	rc = pragma_int(inv, "PRAGMA user_version", &v, err);
	if (rc)
		return rc;
	if (v > INV_SCHEMA_VERSION)
		return err_set(err, EPROTO,
			       "inventory: schema version %d is newer than this program's (%d)", v,
			       INV_SCHEMA_VERSION);
	for (; v < INV_SCHEMA_VERSION; v++) {
		rc = exec(inv, "BEGIN IMMEDIATE", err);
		if (rc)
			return rc;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
		rc = exec(inv, migrations[v], err);
		if (!rc)
			rc = exec(inv, sql, err);
		if (!rc)
			rc = exec(inv, "COMMIT", err);
		if (rc) {
			sqlite3_exec(inv->db, "ROLLBACK", NULL, NULL, NULL);
			err_prefix(err, "migration to schema %d: ", v + 1);
			return rc;
		}
	}
	return 0;
}

/* WAL can be refused (a read-only directory, a VFS without shared memory):
 * then say so rather than run with a rollback journal nobody asked for. */
static int set_wal(struct inv *inv, struct err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(inv->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK)
		return inv_db_fail(inv, err, "journal_mode");
	rc = sqlite3_step(st) == SQLITE_ROW &&
			     !strcmp((const char *)sqlite3_column_text(st, 0), "wal")
		     ? 0
		     : err_set(err, EIO, "inventory: the database refused journal_mode=WAL");
	sqlite3_finalize(st);
	return rc;
}

int inv_open(const char *path, struct inv **out, struct err *err)
{
	struct inv *inv = calloc(1, sizeof(*inv));
	int rc;

	if (!inv)
		return err_set(err, ENOMEM, "inventory: out of memory");
	if (sqlite3_open_v2(path, &inv->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = err_set(err, EIO, "inventory %s: %s", path,
			     inv->db ? sqlite3_errmsg(inv->db) : "cannot open");
		goto err_close;
	}
	sqlite3_busy_timeout(inv->db, 5000);
	rc = set_wal(inv, err);
	if (!rc)
		rc = exec(inv, "PRAGMA synchronous=FULL", err);
	if (!rc)
		rc = exec(inv, "PRAGMA foreign_keys=ON", err);
	if (!rc)
		rc = migrate(inv, err);
	if (rc) {
		err_prefix(err, "%s: ", path);
		goto err_close;
	}
	*out = inv;
	return 0;
err_close:
	sqlite3_close(inv->db);
	free(inv);
	return rc;
}

void inv_close(struct inv *inv)
{
	if (!inv)
		return;
	if (inv->in_txn)
		inv_rollback(inv);
	sqlite3_close(inv->db);
	free(inv);
}

int inv_schema_version(struct inv *inv)
{
	int v;

	return pragma_int(inv, "PRAGMA user_version", &v, NULL) ? -EIO : v;
}

int inv_begin(struct inv *inv, struct err *err)
{
	int rc;

	if (inv->in_txn)
		return err_set(err, EBUSY, "inventory: a transaction is already open");
	rc = exec(inv, "BEGIN IMMEDIATE", err);
	if (!rc)
		inv->in_txn = true;
	return rc;
}

int inv_commit(struct inv *inv, struct err *err)
{
	int rc;

	if (!inv->in_txn)
		return err_set(err, EINVAL, "inventory: no transaction is open");
	rc = exec(inv, "COMMIT", err);
	if (rc) {
		inv_rollback(inv);
		return rc;
	}
	inv->in_txn = false;
	return 0;
}

void inv_rollback(struct inv *inv)
{
	if (!inv->in_txn)
		return;
	sqlite3_exec(inv->db, "ROLLBACK", NULL, NULL, NULL);
	inv->in_txn = false;
}

/* ---- tables ---- */

#define C_NAME(s, f)                                                                               \
	{                                                                                          \
#f, COL_NAME, offsetof(s, f), sizeof(((s *)0)->f), NULL, 0, 0                      \
	}
#define C_TEXT(s, f)                                                                               \
	{                                                                                          \
#f, COL_TEXT, offsetof(s, f), sizeof(((s *)0)->f), NULL, 0, 0                      \
	}
#define C_U32(s, f, a, b)                                                                          \
	{                                                                                          \
#f, COL_U32, offsetof(s, f), 4, NULL, a, b                                         \
	}
#define C_BOOL(s, f)                                                                               \
	{                                                                                          \
#f, COL_BOOL, offsetof(s, f), sizeof(bool), NULL, 0, 0                             \
	}
#define C_ENUM(s, f, n)                                                                            \
	{                                                                                          \
#f, COL_ENUM, offsetof(s, f), sizeof(int), n, 0, 0                                 \
	}
#define C_ENUM_AS(s, f, col, n)                                                                    \
	{                                                                                          \
		col, COL_ENUM, offsetof(s, f), sizeof(int), n, 0, 0                                \
	}

static const struct col node_cols[] = {
	C_NAME(struct inv_node, name),
	C_TEXT(struct inv_node, router_id),
	C_U32(struct inv_node, srgb_base, 16, 1048575),
	C_U32(struct inv_node, srgb_size, 1, 1048560),
	C_U32(struct inv_node, srlb_base, 0, 1048575),
	C_U32(struct inv_node, srlb_size, 0, 1048560),
	C_U32(struct inv_node, sid_index, 0, 1048559),
	C_TEXT(struct inv_node, srv6_locator),
	C_TEXT(struct inv_node, srv6_node_sid),
	C_U32(struct inv_node, msd, 0, 255),
	C_TEXT(struct inv_node, pcep_addr),
};

static const struct col link_cols[] = {
	C_NAME(struct inv_link, name),
	C_NAME(struct inv_link, a),
	C_NAME(struct inv_link, b),
	C_TEXT(struct inv_link, local_addr),
	C_TEXT(struct inv_link, remote_addr),
	C_U32(struct inv_link, igp_metric, 1, 16777215),
	C_U32(struct inv_link, te_metric, 1, 16777215),
	C_U32(struct inv_link, delay_us, 1, 16777215),
	C_U32(struct inv_link, adj_label, 0, 1048575),
	C_TEXT(struct inv_link, adj_srv6_sid),
	C_BOOL(struct inv_link, up),
};

static const struct col func_cols[] = {
	C_NAME(struct inv_func, name),
	C_NAME(struct inv_func, type),
	C_NAME(struct inv_func, node),
	C_U32(struct inv_func, label, 0, 1048575),
	C_TEXT(struct inv_func, srv6_sid),
	C_ENUM(struct inv_func, kind, fn_kind_names),
	C_U32(struct inv_func, capacity, 1, 1000000000),
	C_ENUM(struct inv_func, state, fn_state_names),
};

static const struct col chain_cols[] = {
	C_NAME(struct inv_chain, name),
	C_TEXT(struct inv_chain, classifier),
	C_NAME(struct inv_chain, ingress),
	C_NAME(struct inv_chain, egress),
	C_TEXT(struct inv_chain, functions),
	C_ENUM(struct inv_chain, dataplane, dataplane_names),
	C_ENUM(struct inv_chain, metric, metric_names),
	C_ENUM_AS(struct inv_chain, select, "sel", select_names),
	C_TEXT(struct inv_chain, exclude_nodes),
	C_TEXT(struct inv_chain, exclude_links),
	C_TEXT(struct inv_chain, pinned),
};

static const struct col path_cols[] = {
	C_NAME(struct inv_path, chain),
	C_TEXT(struct inv_path, segments),
	C_TEXT(struct inv_path, instances),
	C_U32(struct inv_path, version, 0, UINT32_MAX),
	C_U32(struct inv_path, plsp_id, 0, 0xfffff),
	C_ENUM(struct inv_path, state, path_state_names),
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct table t_nodes = {"nodes", "node", node_cols, NCOLS(node_cols), inv_check_node};
static const struct table t_links = {"links", "link", link_cols, NCOLS(link_cols), inv_check_link};
static const struct table t_funcs = {"functions", "function", func_cols, NCOLS(func_cols),
				     inv_check_func};
static const struct table t_chains = {"chains", "chain", chain_cols, NCOLS(chain_cols),
				      inv_check_chain};
static const struct table t_paths = {"paths", "path", path_cols, NCOLS(path_cols), inv_check_path};

/* ---- generic row access ---- */

int inv_db_exists(struct inv *inv, const char *sql, const char *name)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(inv->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -EIO;
}

static void bind_row(sqlite3_stmt *st, const struct table *t, const void *row)
{
	for (int i = 0; i < t->ncols; i++) {
		const struct col *c = &t->cols[i];
		const char *p = (const char *)row + c->off;
		uint32_t u;
		int e;

		switch (c->kind) {
		case COL_NAME:
		case COL_OPTNAME:
		case COL_TEXT:
			sqlite3_bind_text(st, i + 1, p, -1, SQLITE_STATIC);
			break;
		case COL_U32:
			memcpy(&u, p, 4);
			sqlite3_bind_int64(st, i + 1, u);
			break;
		case COL_BOOL:
			sqlite3_bind_int(st, i + 1, *(const bool *)p);
			break;
		case COL_ENUM:
			memcpy(&e, p, sizeof(e));
			sqlite3_bind_text(st, i + 1, c->enums[e], -1, SQLITE_STATIC);
			break;
		}
	}
}

/* Reads a row; a stored value this program cannot represent (edited by
 * hand, or a newer writer) is -EPROTO, not a silent default. */
static int read_row(sqlite3_stmt *st, const struct table *t, void *row)
{
	for (int i = 0; i < t->ncols; i++) {
		const struct col *c = &t->cols[i];
		char *p = (char *)row + c->off;
		const char *s;
		sqlite3_int64 v;
		int e;

		switch (c->kind) {
		case COL_NAME:
		case COL_OPTNAME:
		case COL_TEXT:
			s = (const char *)sqlite3_column_text(st, i);
			if (!s || strlen(s) >= c->size)
				return -EPROTO;
			memcpy(p, s, strlen(s) + 1);
			break;
		case COL_U32:
			v = sqlite3_column_int64(st, i);
			if (v < 0 || v > UINT32_MAX)
				return -EPROTO;
			*(uint32_t *)(void *)p = (uint32_t)v;
			break;
		case COL_BOOL:
			*(bool *)p = sqlite3_column_int(st, i) != 0;
			break;
		case COL_ENUM:
			s = (const char *)sqlite3_column_text(st, i);
			for (e = 0; s && c->enums[e] && strcmp(c->enums[e], s); e++)
				;
			if (!s || !c->enums[e])
				return -EPROTO;
			memcpy(p, &e, sizeof(e));
			break;
		}
	}
	return 0;
}

static int sql_cols(char *buf, size_t len, const struct table *t, const char *fmt_first,
		    const char *fmt_rest)
{
	size_t o = 0;

	for (int i = 0; i < t->ncols && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, i ? fmt_rest : fmt_first, t->cols[i].name,
				      i + 1);
	return o < len ? 0 : -ENAMETOOLONG;
}

static int prepare(struct inv *inv, const char *sql, sqlite3_stmt **st, struct err *err)
{
	if (sqlite3_prepare_v2(inv->db, sql, -1, st, NULL) != SQLITE_OK)
		return inv_db_fail(inv, err, "prepare");
	return 0;
}

enum put_mode { PUT_ADD, PUT_UPDATE, PUT_REPLACE };

static int row_exists(struct inv *inv, const struct table *t, const char *key)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s=?1", t->sql_name, t->cols[0].name);
	return inv_db_exists(inv, sql, key);
}

/* One change = one savepoint: released into the open inv_begin transaction,
 * or committed on its own when there is none. */
static int change_begin(struct inv *inv, struct err *err)
{
	return exec(inv, "SAVEPOINT inv_change", err);
}

static int change_end(struct inv *inv, int rc, struct err *err)
{
	if (rc) {
		sqlite3_exec(inv->db, "ROLLBACK TO inv_change; RELEASE inv_change", NULL, NULL,
			     NULL);
		return rc;
	}
	rc = exec(inv, "RELEASE inv_change", err);
	if (rc)
		sqlite3_exec(inv->db, "ROLLBACK TO inv_change; RELEASE inv_change", NULL, NULL,
			     NULL);
	return rc;
}

/* A node's new SRGB, SRLB or locator must still hold the local labels and
 * SIDs of its links and functions: each is checked again against the
 * updated row, inside the same savepoint. */
static int recheck_node_users(struct inv *inv, const char *name, struct err *err)
{
	static const char *const sql[] = {"SELECT name FROM links WHERE a=?1",
					  "SELECT name FROM functions WHERE node=?1"};
	sqlite3_stmt *st;
	int rc = 0;

	for (int k = 0; k < 2 && !rc; k++) {
		rc = prepare(inv, sql[k], &st, err);
		if (rc)
			return rc;
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		while (!rc && sqlite3_step(st) == SQLITE_ROW) {
			const char *user = (const char *)sqlite3_column_text(st, 0);
			struct inv_link l;
			struct inv_func f;

			if (k == 0)
				rc = inv_link_get(inv, user, &l, err)
					     ?: inv_check_link(inv, &t_links, &l, err);
			else
				rc = inv_func_get(inv, user, &f, err)
					     ?: inv_check_func(inv, &t_funcs, &f, err);
		}
		sqlite3_finalize(st);
	}
	return rc;
}

static int put(struct inv *inv, const struct table *t, const void *row, enum put_mode mode,
	       struct err *err)
{
	char cols[512], vals[256], sql[1024];
	sqlite3_stmt *st;
	int rc, e;

	rc = inv_check_cols(t, row, err);
	if (rc)
		return rc;
	rc = change_begin(inv, err);
	if (rc)
		return rc;
	rc = t->check(inv, t, row, err);
	if (rc)
		goto out;
	e = row_exists(inv, t, inv_row_key(t, row));
	if (e < 0) {
		rc = inv_db_fail(inv, err, "lookup");
		goto out;
	}
	if (mode == PUT_ADD && e) {
		rc = err_set(err, EEXIST, "%s '%s' already exists", t->what, inv_row_key(t, row));
		goto out;
	}
	if (mode == PUT_UPDATE && !e) {
		rc = err_set(err, ENOENT, "%s '%s' does not exist", t->what, inv_row_key(t, row));
		goto out;
	}
	if (mode == PUT_UPDATE) {
		if (sql_cols(cols, sizeof(cols), t, "%s=?%d", ",%s=?%d"))
			abort();
		snprintf(sql, sizeof(sql), "UPDATE %s SET %s WHERE %s=?1", t->sql_name, cols,
			 t->cols[0].name);
	} else {
		if (sql_cols(cols, sizeof(cols), t, "%s", ",%s") ||
		    sql_cols(vals, sizeof(vals), t, "?%.0s%d", ",?%.0s%d"))
			abort();
		snprintf(sql, sizeof(sql), "INSERT%s INTO %s(%s) VALUES(%s)",
			 mode == PUT_REPLACE ? " OR REPLACE" : "", t->sql_name, cols, vals);
	}
	rc = prepare(inv, sql, &st, err);
	if (rc)
		goto out;
	bind_row(st, t, row);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = inv_db_fail(inv, err, t->sql_name);
	sqlite3_finalize(st);
	if (!rc && mode == PUT_UPDATE && t == &t_nodes)
		rc = recheck_node_users(inv, inv_row_key(t, row), err);
out:
	rc = change_end(inv, rc, err);
	if (rc)
		err_prefix(err, "%s: ", mode == PUT_ADD ? "add" : "update");
	return rc;
}

static int get(struct inv *inv, const struct table *t, const char *key, void *row, struct err *err)
{
	char cols[512], sql[768];
	sqlite3_stmt *st;
	int rc;

	if (sql_cols(cols, sizeof(cols), t, "%s", ",%s"))
		abort();
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s=?1", cols, t->sql_name,
		 t->cols[0].name);
	rc = prepare(inv, sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = read_row(st, t, row)
			     ? err_set(err, EPROTO, "%s '%s': a stored field is invalid", t->what,
				       key)
			     : 0;
	else if (rc == SQLITE_DONE)
		rc = err_set(err, ENOENT, "%s '%s' does not exist", t->what, key);
	else
		rc = inv_db_fail(inv, err, t->sql_name);
	sqlite3_finalize(st);
	return rc;
}

static int list(struct inv *inv, const struct table *t, int (*cb)(const void *, void *), void *ctx,
		void *row, struct err *err)
{
	char cols[512], sql[768];
	sqlite3_stmt *st;
	int rc;

	if (sql_cols(cols, sizeof(cols), t, "%s", ",%s"))
		abort();
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY %s", cols, t->sql_name,
		 t->cols[0].name);
	rc = prepare(inv, sql, &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_row(st, t, row)) {
			rc = err_set(err, EPROTO, "%s '%s': a stored field is invalid", t->what,
				     (const char *)sqlite3_column_text(st, 0));
			goto out;
		}
		rc = cb(row, ctx);
		if (rc)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : inv_db_fail(inv, err, t->sql_name);
out:
	sqlite3_finalize(st);
	return rc;
}

/* Rows of other tables that name key in a column (or a list column). */
struct user {
	const char *sql; /* ?1: the key; returns names */
	const char *what;
};

static int del(struct inv *inv, const struct table *t, const char *key, const struct user *users,
	       struct err *err)
{
	char sql[128];
	sqlite3_stmt *st;
	int rc;

	rc = change_begin(inv, err);
	if (rc)
		return rc;
	for (const struct user *u = users; u && u->sql; u++) {
		rc = prepare(inv, u->sql, &st, err);
		if (rc)
			goto out;
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = err_set(err, EBUSY, "%s '%s' is used by %s '%s'", t->what, key,
				     u->what, (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		if (rc)
			goto out;
	}
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s=?1", t->sql_name, t->cols[0].name);
	rc = prepare(inv, sql, &st, err);
	if (rc)
		goto out;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = inv_db_fail(inv, err, t->sql_name);
	else if (!sqlite3_changes(inv->db))
		rc = err_set(err, ENOENT, "%s '%s' does not exist", t->what, key);
	sqlite3_finalize(st);
out:
	return change_end(inv, rc, err);
}

/* ---- typed API ---- */

/* instr, not LIKE: names may hold '_', a LIKE wildcard */
#define LIST_IN(col) "instr(','||" col "||',', ','||?1||',') > 0"

static const struct user node_users[] = {
	{"SELECT name FROM links WHERE a=?1 OR b=?1", "link"},
	{"SELECT name FROM functions WHERE node=?1", "function"},
	{"SELECT name FROM chains WHERE ingress=?1 OR egress=?1 OR " LIST_IN("exclude_nodes"),
	 "chain"},
	{NULL, NULL},
};
static const struct user link_users[] = {
	{"SELECT name FROM chains WHERE " LIST_IN("exclude_links"), "chain"},
	{NULL, NULL},
};
static const struct user func_users[] = {
	{"SELECT name FROM chains WHERE instr(','||pinned||',', '='||?1||',') > 0", "chain"},
	{NULL, NULL},
};

#define INV_CRUD(T, S, tbl, users)                                                                 \
	int inv_##T##_add(struct inv *inv, const struct S *r, struct err *err)                     \
	{                                                                                          \
		return put(inv, &tbl, r, PUT_ADD, err);                                            \
	}                                                                                          \
	int inv_##T##_update(struct inv *inv, const struct S *r, struct err *err)                  \
	{                                                                                          \
		return put(inv, &tbl, r, PUT_UPDATE, err);                                         \
	}                                                                                          \
	int inv_##T##_get(struct inv *inv, const char *name, struct S *r, struct err *err)         \
	{                                                                                          \
		return get(inv, &tbl, name, r, err);                                               \
	}                                                                                          \
	int inv_##T##_del(struct inv *inv, const char *name, struct err *err)                      \
	{                                                                                          \
		return del(inv, &tbl, name, users, err);                                           \
	}                                                                                          \
	struct T##_walk {                                                                          \
		int (*cb)(const struct S *, void *);                                               \
		void *ctx;                                                                         \
	};                                                                                         \
	static int T##_walk_row(const void *row, void *arg)                                        \
	{                                                                                          \
		const struct T##_walk *w = arg;                                                    \
		return w->cb(row, w->ctx);                                                         \
	}                                                                                          \
	int inv_##T##_list(struct inv *inv, int (*cb)(const struct S *, void *), void *ctx,        \
			   struct err *err)                                                        \
	{                                                                                          \
		struct T##_walk w = {cb, ctx};                                                     \
		struct S row;                                                                      \
		return list(inv, &tbl, T##_walk_row, &w, &row, err);                               \
	}

INV_CRUD(node, inv_node, t_nodes, node_users)
INV_CRUD(link, inv_link, t_links, link_users)
INV_CRUD(func, inv_func, t_funcs, func_users)
INV_CRUD(chain, inv_chain, t_chains, NULL)
INV_CRUD(path, inv_path, t_paths, NULL)

int inv_path_put(struct inv *inv, const struct inv_path *p, struct err *err)
{
	return put(inv, &t_paths, p, PUT_REPLACE, err);
}

/* Inside the inventory: the table descriptors shared by storage (inv.c)
 * and validation (inv_check.c). Not for other modules. */
#ifndef SRCHAIN_PCE_INV_INT_H
#define SRCHAIN_PCE_INV_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pce/inv.h"

struct err;

enum col_kind { COL_NAME, COL_OPTNAME, COL_TEXT, COL_U32, COL_BOOL, COL_ENUM };

struct col {
	const char *name;
	enum col_kind kind;
	size_t off, size;	  /* size: buffer size of text columns */
	const char *const *enums; /* COL_ENUM: names, NULL-terminated */
	uint32_t min, max;	  /* COL_U32 range */
};

struct table;
typedef int (*check_fn)(struct inv *, const struct table *, const void *row, struct err *);

struct table {
	const char *sql_name; /* "nodes" */
	const char *what;     /* "node", in messages */
	const struct col *cols;
	int ncols; /* cols[0] is the key */
	check_fn check;
};

/* The row's key (its first column) for messages. */
const char *inv_row_key(const struct table *t, const void *row);
/* -EINVAL with "<what> '<key>': field '<col>': <message>". */
int inv_field_err(struct err *err, const struct table *t, const void *row, const char *col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* -EIO (-ENOSPC when the disk is full) with SQLite's message. */
int inv_db_fail(struct inv *inv, struct err *err, const char *what);
/* Whether sql (?1 = name) returns a row: 1, 0 or -EIO. */
int inv_db_exists(struct inv *inv, const char *sql, const char *name);

/* Column-level checks (names, lengths, ranges, enums), then each table's
 * own (addresses, SID ranges, references). */
int inv_check_cols(const struct table *t, const void *row, struct err *err);
int inv_check_node(struct inv *inv, const struct table *t, const void *row, struct err *err);
int inv_check_link(struct inv *inv, const struct table *t, const void *row, struct err *err);
int inv_check_func(struct inv *inv, const struct table *t, const void *row, struct err *err);
int inv_check_chain(struct inv *inv, const struct table *t, const void *row, struct err *err);
int inv_check_path(struct inv *inv, const struct table *t, const void *row, struct err *err);

#endif

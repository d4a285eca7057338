/* The function hook: how SR-aware functions (firewall, mirror, ... in vnf/)
 * plug into the data plane. A function registers an instance with an ops
 * descriptor; the data plane counts the packets it hands over, calls the
 * burst hook, and frees the instance with the table set. It knows nothing
 * else about functions: vnf/ depends on dp/, never the reverse.
 *
 * SIDs, labels and service path entries name a function by its index in
 * dp_tables.vnf[] (DP_NONE: none). */
#ifndef SRCHAIN_DP_FN_H
#define SRCHAIN_DP_FN_H

#include <stdint.h>

#include "lib/err.h"

#define DP_FN_MAX      1024
#define DP_FN_NAME_MAX 32

struct dp_ctx;
struct dp_fn;
struct dp_tables;
struct pkt;

struct dp_fn_ops {
	const char *type; /* what kind of function: "firewall", "mirror", ... */
	/* Runs over a burst of packets of one SID, label or path entry.
	 * Returns how many go on, compacted at the front of p[]; it has
	 * dropped the others (dp_drop) or kept them. */
	uint32_t (*run)(struct dp_ctx *c, struct dp_fn *f, struct pkt **p, uint32_t n);
	/* Frees f->priv (NULL when the function was never set up). */
	void (*free)(struct dp_fn *f);
};

struct dp_fn {
	const struct dp_fn_ops *ops;
	char name[DP_FN_NAME_MAX];
	uint32_t stat; /* stat slot: packets handed to the function */
	void *priv;    /* the function's own state */
};

/* Index of function `name` in t, or -1. */
int dp_fn_find(const struct dp_tables *t, const char *name);

/* Allocates function `name` (not yet in t) with its stat slot into *out;
 * the caller sets priv up, then dp_fn_add()s it, or dp_fn_free()s it on
 * error. 0 or a negative errno. */
int dp_fn_new(struct dp_tables *t, const char *name, const struct dp_fn_ops *ops,
	      struct dp_fn **out, struct err *err);
/* Appends f to t (t owns it from then on); its index or a negative errno. */
int dp_fn_add(struct dp_tables *t, struct dp_fn *f, struct err *err);
/* Frees one function (ops->free, then the instance). */
void dp_fn_free(struct dp_fn *f);
/* Frees every function of t (with the table set). */
void dp_fn_free_all(struct dp_tables *t);

/* Runs function fn over p[0..n): counts them on its stat slot, returns the
 * survivors compacted in p[]. */
uint32_t dp_fn_run(struct dp_ctx *c, uint32_t fn, struct pkt **p, uint32_t n);

#endif

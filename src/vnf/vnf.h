/* Built-in SR-aware functions (VNFs) that run inside the data plane when a
 * packet reaches the SID, label or service path bound to them. A function
 * sees the whole packet (encapsulation included) and returns the packets
 * that go on; the behaviour bound with it then continues the chain.
 *
 * Each function type fills the data plane's hook (dp/fn.h: run, free) and
 * adds what only configuration needs: its syntax, create and configure. */
#ifndef SRCHAIN_VNF_VNF_H
#define SRCHAIN_VNF_VNF_H

#include "dp/fn.h"
#include "lib/err.h"

struct dp_tables;

struct vnf_ops {
	struct dp_fn_ops fn; /* what the data plane calls; fn.type names the type */
	const char *usage;   /* config syntax, one line per form */
	/* `function NAME TYPE ARGS...`: sets f->priv up, or leaves it NULL
	 * and returns an error */
	int (*create)(struct dp_fn *f, struct dp_tables *t, char **argv, int argc, struct err *err);
	/* `function NAME ARGS...` on a function that exists (e.g. rules) */
	int (*config)(struct dp_fn *f, struct dp_tables *t, char **argv, int argc, struct err *err);
};

extern const struct vnf_ops vnf_firewall_ops;
extern const struct vnf_ops vnf_mirror_ops;
extern const struct vnf_ops vnf_counter_ops;

const struct vnf_ops *vnf_ops_find(const char *type);
/* Creates function `name` in t; returns its index or a negative errno. */
int vnf_add(struct dp_tables *t, const char *name, const char *type, char **argv, int argc,
	    struct err *err);
/* Further settings of the existing function at index fn. */
int vnf_config(struct dp_tables *t, int fn, char **argv, int argc, struct err *err);
/* Index of function `name`, or -1. */
int vnf_find(const struct dp_tables *t, const char *name);

#endif

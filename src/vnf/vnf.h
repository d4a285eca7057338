/* Built-in SR-aware functions (VNFs) that run inside the data plane when a
 * packet reaches the SID, label or service path bound to them. A function
 * sees the whole packet (encapsulation included) and returns the packets
 * that go on; the behaviour bound with it then continues the chain. */
#ifndef SRCHAIN_VNF_VNF_H
#define SRCHAIN_VNF_VNF_H

#include <stdint.h>

#include "lib/err.h"

struct dp_ctx;
struct dp_tables;
struct pkt;
struct vnf;

struct vnf_ops {
	const char *type;
	const char *usage; /* config syntax, one line per form */
	/* `function NAME TYPE ARGS...` */
	int (*create)(struct vnf *v, struct dp_tables *t, char **argv, int argc, struct err *err);
	/* `function NAME ARGS...` on a function that exists (e.g. rules) */
	int (*config)(struct vnf *v, struct dp_tables *t, char **argv, int argc, struct err *err);
	void (*destroy)(struct vnf *v);
	/* Returns how many packets go on, compacted at the front of p[];
	 * the others were dropped (with dp_drop) by the function. */
	uint32_t (*process)(struct dp_ctx *c, struct vnf *v, struct pkt **p, uint32_t n);
};

struct vnf {
	const struct vnf_ops *ops;
	char name[32];
	uint32_t stat;
	void *priv;
};

extern const struct vnf_ops vnf_firewall_ops;
extern const struct vnf_ops vnf_mirror_ops;
extern const struct vnf_ops vnf_counter_ops;

const struct vnf_ops *vnf_ops_find(const char *type);
/* Creates function `name` in t; returns its index or a negative errno. */
int vnf_add(struct dp_tables *t, const char *name, const char *type, char **argv, int argc,
	    struct err *err);
int vnf_find(const struct dp_tables *t, const char *name);
void vnf_free_all(struct dp_tables *t);

#endif

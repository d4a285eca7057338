/* srpced's inventory: nodes, links, function instances, chains and the paths
 * installed for them, kept in SQLite (WAL, synchronous=FULL, schema versioned
 * through PRAGMA user_version). Every change runs in a transaction (a
 * savepoint inside inv_begin/inv_commit), every field is validated first and
 * an error names the table, the row and the field. See doc/pce.md "Schema". */
#ifndef SRCHAIN_PCE_INV_H
#define SRCHAIN_PCE_INV_H

#include <stdbool.h>
#include <stdint.h>

struct err;
struct inv;

#define INV_NAME_LEN	   64  /* names: [A-Za-z0-9_.-], 1..63 characters */
#define INV_ADDR_LEN	   48  /* an IPv4/IPv6 address or prefix in text */
#define INV_LIST_LEN	   512 /* comma-separated lists (function types, exclusions) */
#define INV_TEXT_LEN	   512 /* classifier text, segment lists */
#define INV_LIST_MAX	   16  /* elements of one list */
#define INV_SCHEMA_VERSION 1

/* A router: SR-MPLS (SRGB/SRLB, node SID index), SRv6 (locator, End SID), the
 * Maximum SID Depth it accepts at the head end (0: not advertised, no limit),
 * and the address its PCEP session comes from. */
struct inv_node {
	char name[INV_NAME_LEN];
	char router_id[INV_ADDR_LEN]; /* IPv4 dotted quad */
	uint32_t srgb_base, srgb_size;
	uint32_t srlb_base, srlb_size;	  /* size 0: no SRLB */
	uint32_t sid_index;		  /* node SID index into the SRGB */
	char srv6_locator[INV_ADDR_LEN];  /* "2001:db8:1::/48" or "" */
	char srv6_node_sid[INV_ADDR_LEN]; /* End SID inside the locator, or "" */
	uint32_t msd;			  /* 0..255 */
	char pcep_addr[INV_ADDR_LEN];	  /* "" when the node is no PCC */
};

/* One direction of an adjacency, a -> b, as an IGP advertises it (a topology
 * normally holds both directions as two rows). */
struct inv_link {
	char name[INV_NAME_LEN];
	char a[INV_NAME_LEN], b[INV_NAME_LEN];
	char local_addr[INV_ADDR_LEN], remote_addr[INV_ADDR_LEN];
	uint32_t igp_metric, te_metric, delay_us; /* 1..16777215 each */
	uint32_t adj_label;			  /* SR-MPLS adjacency SID, 0: none */
	char adj_srv6_sid[INV_ADDR_LEN];	  /* SRv6 End.X SID or "" */
	bool up;
};

enum inv_fn_kind {
	INV_FN_AWARE,
	INV_FN_PROXY_STATIC,
	INV_FN_PROXY_DYNAMIC,
	INV_FN_PROXY_MASQ,
	INV_FN_KIND_MAX
};
enum inv_fn_state {
	INV_FN_ACTIVE,
	INV_FN_STARTING,
	INV_FN_DRAINING,
	INV_FN_STOPPED,
	INV_FN_STATE_MAX
};

/* A running instance of a service function (type "fw", "nat", ...) on a node,
 * reached by its SR-MPLS label (local to the node) or its SRv6 SID. */
struct inv_func {
	char name[INV_NAME_LEN];
	char type[INV_NAME_LEN];
	char node[INV_NAME_LEN];
	uint32_t label; /* 0: no SR-MPLS SID */
	char srv6_sid[INV_ADDR_LEN];
	enum inv_fn_kind kind;
	uint32_t capacity; /* chains it may serve, >= 1 */
	enum inv_fn_state state;
};

enum inv_dataplane { INV_DP_SRMPLS, INV_DP_SRV6, INV_DP_MAX };
enum inv_metric { INV_METRIC_IGP, INV_METRIC_TE, INV_METRIC_DELAY, INV_METRIC_MAX };
enum inv_select { INV_SELECT_NEAREST, INV_SELECT_LEAST_LOADED, INV_SELECT_MAX };

/* A service chain: traffic the classifier matches at the ingress visits one
 * instance of each function type in order and leaves at the egress. */
struct inv_chain {
	char name[INV_NAME_LEN];
	char classifier[INV_TEXT_LEN];
	char ingress[INV_NAME_LEN], egress[INV_NAME_LEN];
	char functions[INV_LIST_LEN]; /* "fw,nat": ordered function types */
	enum inv_dataplane dataplane;
	enum inv_metric metric;
	enum inv_select select;
	char exclude_nodes[INV_LIST_LEN]; /* "r3,r4" */
	char exclude_links[INV_LIST_LEN]; /* link names, "r1-r2,r2-r1" */
	char pinned[INV_LIST_LEN];	  /* "fw=fw2": instance for a type */
};

enum inv_path_state { INV_PATH_PENDING, INV_PATH_INSTALLED, INV_PATH_FAILED, INV_PATH_STATE_MAX };

/* The segment list currently pushed for a chain (one per chain). */
struct inv_path {
	char chain[INV_NAME_LEN];
	char segments[INV_TEXT_LEN];  /* pce_seglist_format() text */
	char instances[INV_LIST_LEN]; /* the instances it visits, in order */
	uint32_t version;
	uint32_t plsp_id; /* 0: not yet reported; RFC 8231 20-bit */
	enum inv_path_state state;
};

/* Opens (creating if needed) and migrates the database at path. */
int inv_open(const char *path, struct inv **out, struct err *err);
void inv_close(struct inv *inv);
/* The schema version of the open database (after migration). */
int inv_schema_version(struct inv *inv);

/* Groups the following changes into one transaction: nothing is visible or
 * durable before inv_commit; inv_rollback undoes all of them. Without
 * inv_begin, each change is its own durable transaction. */
int inv_begin(struct inv *inv, struct err *err);
int inv_commit(struct inv *inv, struct err *err);
void inv_rollback(struct inv *inv);

/* add: -EEXIST if the name is taken; update: -ENOENT if it is not; both
 * validate every field (-EINVAL naming it) and references (-ENOENT). del
 * refuses (-EBUSY) to delete a node that links, functions or chains use. */
int inv_node_add(struct inv *inv, const struct inv_node *n, struct err *err);
int inv_node_update(struct inv *inv, const struct inv_node *n, struct err *err);
int inv_node_get(struct inv *inv, const char *name, struct inv_node *n, struct err *err);
int inv_node_del(struct inv *inv, const char *name, struct err *err);
int inv_link_add(struct inv *inv, const struct inv_link *l, struct err *err);
int inv_link_update(struct inv *inv, const struct inv_link *l, struct err *err);
int inv_link_get(struct inv *inv, const char *name, struct inv_link *l, struct err *err);
int inv_link_del(struct inv *inv, const char *name, struct err *err);
int inv_func_add(struct inv *inv, const struct inv_func *f, struct err *err);
int inv_func_update(struct inv *inv, const struct inv_func *f, struct err *err);
int inv_func_get(struct inv *inv, const char *name, struct inv_func *f, struct err *err);
int inv_func_del(struct inv *inv, const char *name, struct err *err);
int inv_chain_add(struct inv *inv, const struct inv_chain *c, struct err *err);
int inv_chain_update(struct inv *inv, const struct inv_chain *c, struct err *err);
int inv_chain_get(struct inv *inv, const char *name, struct inv_chain *c, struct err *err);
int inv_chain_del(struct inv *inv, const char *name, struct err *err);
/* Paths: put inserts or replaces the chain's row (the chain must exist);
 * deleting a chain deletes its path. */
int inv_path_put(struct inv *inv, const struct inv_path *p, struct err *err);
int inv_path_add(struct inv *inv, const struct inv_path *p, struct err *err);
int inv_path_update(struct inv *inv, const struct inv_path *p, struct err *err);
int inv_path_get(struct inv *inv, const char *chain, struct inv_path *p, struct err *err);
int inv_path_del(struct inv *inv, const char *chain, struct err *err);

/* Calls cb for every row in name order; a non-zero return stops the walk
 * and is returned. */
int inv_node_list(struct inv *inv, int (*cb)(const struct inv_node *, void *), void *ctx,
		  struct err *err);
int inv_link_list(struct inv *inv, int (*cb)(const struct inv_link *, void *), void *ctx,
		  struct err *err);
int inv_func_list(struct inv *inv, int (*cb)(const struct inv_func *, void *), void *ctx,
		  struct err *err);
int inv_chain_list(struct inv *inv, int (*cb)(const struct inv_chain *, void *), void *ctx,
		   struct err *err);
int inv_path_list(struct inv *inv, int (*cb)(const struct inv_path *, void *), void *ctx,
		  struct err *err);

/* Enum names as stored and shown ("srmpls", "least-loaded", "draining"...);
 * _parse returns the value or -EINVAL. */
const char *inv_fn_kind_name(enum inv_fn_kind k);
const char *inv_fn_state_name(enum inv_fn_state s);
const char *inv_dataplane_name(enum inv_dataplane d);
const char *inv_metric_name(enum inv_metric m);
const char *inv_select_name(enum inv_select s);
const char *inv_path_state_name(enum inv_path_state s);

/* Splits a comma-separated list into at most max elements (trimmed, in
 * place in buf); returns the count or -EINVAL (empty element, too many). */
int inv_list_split(char *buf, char **elems, int max);

#endif

/* Topology file of srlab (doc/srlab.md): the lab's nodes, their roles, the
 * veth links between them with their addresses, static routes, `ip` commands
 * for kernel routers and srchaind configuration for srchain nodes.
 *
 * topo_load() checks the whole file before anything touches the system:
 * every error names FILE:LINE:COL and the field, as json.h formats it. */
#ifndef SRCHAIN_SRLAB_TOPO_H
#define SRCHAIN_SRLAB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/json.h"

#define TOPO_NAME_MAX	    32 /* lab and node names */
#define TOPO_PREFIX_MAX	    16
#define TOPO_PREFIX_DEFAULT "srlab" /* when neither --prefix nor the file gives one */
#define TOPO_NODES_MAX	    64
#define TOPO_LINKS_MAX	    256
#define TOPO_IFS_MAX	    32	/* interfaces of one node */
#define TOPO_ADDRS_MAX	    8	/* addresses of one interface */
#define TOPO_LINES_MAX	    512 /* routes, ip commands, config lines of one node */
#define TOPO_VARS_MAX	    128
#define TOPO_WORKERS_MAX    64
#define TOPO_NS_MAX	    (TOPO_PREFIX_MAX + 2 * TOPO_NAME_MAX + 3)

enum topo_role {
	TOPO_HOST,
	TOPO_SRCHAIN,
	TOPO_KERNEL,
	TOPO_ROLE_MAX,
};

struct topo_addr {
	int family; /* 4 or 6 */
	uint8_t bytes[16];
	int plen;
	char text[64]; /* as written: "2001:db8:1::a/64" */
	char host[48]; /* the address alone: "2001:db8:1::a" */
};

struct topo_if {
	char name[16];
	int peer_node, peer_if; /* the other end of the veth */
	int link;		/* index in topo.link */
	int n_addr;
	struct topo_addr addr[TOPO_ADDRS_MAX];
};

/* A list of text lines (routes, ip commands, config), after ${...} substitution. */
struct topo_lines {
	int n;
	char *line[TOPO_LINES_MAX];
};

/* Link emulation (srlink in a namespace of its own between the two ends):
 * the same in both directions. */
struct topo_emu {
	bool on; /* any of the fields below given */
	double delay_ms, jitter_ms, loss_pct, rate_mbit;
	int queue_pkts; /* 0: srlink's default */
};

/* A link of the file: a_if of node a -- b_if of node b. */
struct topo_link {
	int a_node, a_if, b_node, b_if;
	struct topo_emu emu;
	char ns[TOPO_NS_MAX + 1]; /* with emu.on: <prefix>-<lab>-l<N> */
};

/* FRR on a kernel or srchain node (doc/srlab.md "FRR"): zebra and ospfd
 * (ospf6d) in the node's namespace install routes into its kernel table. */
struct topo_frr {
	bool on;		/* "frr" given */
	bool ospf, ospf6;	/* OSPFv2 / OSPFv3 on every link interface */
	char router_id[16];	/* dotted quad, "" to let FRR choose */
	struct topo_lines conf; /* extra frr.conf lines */
};

struct topo_var {
	const char *name, *value;
};

struct topo_node {
	char name[TOPO_NAME_MAX + 1];
	char ns[TOPO_NS_MAX + 1]; /* <prefix>-<lab>-<name> */
	enum topo_role role;
	int workers;	/* srchain: srchaind --workers */
	bool seg6local; /* kernel: an ip command uses seg6local */
	bool offloads;	/* keep TSO/GSO/GRO on (default: off) */
	int n_if;
	struct topo_if ifs[TOPO_IFS_MAX];
	struct topo_lines routes; /* `ip route add` arguments */
	struct topo_lines ip;	  /* `ip` commands (arguments after "ip") */
	struct topo_lines config; /* srchaind configuration lines */
	struct topo_lines sysctl; /* "key=value" */
	struct topo_frr frr;
};

struct topo {
	char path[4096];
	char lab[TOPO_NAME_MAX + 1];
	char prefix[TOPO_PREFIX_MAX + 1];
	int n_node;
	struct topo_node node[TOPO_NODES_MAX];
	int n_link;
	struct topo_link link[TOPO_LINKS_MAX];
	int n_var;
	struct topo_var var[TOPO_VARS_MAX];
	struct json_doc *doc;
};

/* Reads and checks path; prefix (NULL: the file's "prefix", else "srlab")
 * names the namespaces. On error, msg holds "FILE:LINE:COL: ..." and *out is
 * NULL. Returns 0 or a negative errno. */
int topo_load(const char *path, const char *prefix, struct topo **out, char *msg, size_t cap);
/* Releases a topology. */
void topo_free(struct topo *t);

/* Index of the node called name, or -1. */
int topo_node_find(const struct topo *t, const char *name);
/* "host", "srchain" or "kernel". */
const char *topo_role_name(enum topo_role r);

/* Replaces each ${NAME} in in by the value of variable NAME, and ${NODE.IF},
 * ${NODE.IF.ipv4}, ${NODE.IF.ipv6} by the address (without length) of that
 * interface; ${NODE} and ${NODE.ipv4|ipv6} by the node's first address. On
 * success *out is a malloc'd string; on error why says what is wrong. */
int topo_subst(const struct topo *t, const char *in, char **out, char *why, size_t cap);

/* The first address of a node of family (0: IPv6 if it has one, else IPv4),
 * or NULL. */
const struct topo_addr *topo_node_addr(const struct topo_node *n, int family);

/* True if a name is usable in a namespace name: 1 to max characters from
 * [A-Za-z0-9_-], starting with a letter or digit. */
bool topo_name_ok(const char *s, size_t max);

/* Checks that every word of line (split at spaces, tabs and commas) that
 * reads as an IP address or prefix is a documentation address (2001:db8::/32,
 * 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), link-local, or a default
 * route; else names the word in why. */
int topo_doc_words(const char *line, char *why, size_t cap);

#endif

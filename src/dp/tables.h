/* The data plane's tables: one immutable set, built off to the side by the
 * control path (dp_tables_new, dp_*_add, dp_tables_finish in build.c),
 * published by pointer swap (dp_publish), read by workers without locks,
 * freed after a grace period.
 *
 * Indices, not pointers, link the tables together so that a table set is a
 * handful of flat arrays; the one pointer in an entry is to its behaviour's
 * static descriptor (dp/behaviour.h). */
#ifndef SRCHAIN_DP_TABLES_H
#define SRCHAIN_DP_TABLES_H

#include <netinet/in.h>
#include <stdint.h>

#include "dp/lpm.h"
#include "lib/err.h"
#include "lib/hmac.h"
#include "lib/xhash.h"

#define DP_IF_MAX      64
#define DP_SEGS_MAX    16 /* SRv6 segments a policy may push (maximum SID depth) */
#define DP_LABELS_MAX  12 /* MPLS labels a policy may push */
#define DP_PASS_MAX    8  /* local lookups per packet before loop_limit */
#define DP_FIB_MAX     16 /* routing tables (End.DT4/DT6 select one) */
#define DP_NHG_BUCKETS 64 /* hash buckets of a weighted multipath group */
#define DP_NONE	       UINT32_MAX
#define DP_TABLE_MAIN  254u

struct dp_if {
	char name[16];
	uint8_t mac[6];
	uint8_t classify; /* run the ingress classifier on packets from here */
	uint8_t up;
	uint32_t mtu;
	uint32_t ifindex; /* kernel ifindex in live mode, 0 offline */
	uint32_t stat;	  /* stat slot: rx on this interface */
	uint32_t stat_tx;
	uint8_t hmac; /* enum dp_hmac_mode for SIDs that inherit; 0 = node's */
};

/* A resolved next hop: output interface and destination MAC. A connected
 * next hop (family 0) resolves the packet's own destination in the
 * neighbour table at transmit time. */
struct dp_nh {
	uint16_t oif;
	uint8_t family; /* 4, 6, or 0 = connected */
	uint8_t has_mac;
	uint8_t mac[6];
	uint8_t addr[16];
};

/* Multipath group: buckets[first .. first + n) hold next-hop indices, each
 * repeated in proportion to its weight; a packet takes bucket hash % n.
 * ECMP is the special case of equal weights. */
struct dp_nhg {
	uint32_t first;
	uint32_t n;
};

enum dp_lfib_op {
	DP_LFIB_POP,	 /* local SID: pop and process what is below */
	DP_LFIB_SWAP,	 /* swap to out_label and forward via nhg */
	DP_LFIB_POP_FWD, /* pop and forward via nhg (PHP, adjacency SID) */
	DP_LFIB_OP_MAX
};

struct dp_behaviour_desc;

struct dp_lfib {
	const struct dp_behaviour_desc *desc; /* of op; set by dp_lfib_add */
	uint8_t op;
	uint32_t in_label;
	uint32_t out_label;
	uint32_t nhg;
	uint32_t vnf; /* function applied before op, or DP_NONE */
	uint32_t stat;
};

/* What a SID does with the SRH HMAC TLV (RFC 8754 2.1.2.1), like Linux's
 * seg6_require_hmac: 1 require, 0 verify if present (its default), -1
 * ignore. INHERIT takes the input interface's mode, then the node's. */
enum dp_hmac_mode {
	DP_HMAC_INHERIT,
	DP_HMAC_REQUIRE,
	DP_HMAC_VERIFY,
	DP_HMAC_IGNORE,
	DP_HMAC_MODE_MAX
};

#define DP_HMAC_KEYS_MAX 8

/* SRv6 local SID behaviours (RFC 8986); descriptors in dp/behaviour.h. */
enum dp_behaviour {
	DP_B_END,
	DP_B_END_X,
	DP_B_END_DX4,
	DP_B_END_DX6,
	DP_B_END_DT4,
	DP_B_END_DT6,
	DP_B_END_B6_ENCAPS,
	DP_B_END_DT46,
	DP_B_MAX
};

struct dp_sid {
	const struct dp_behaviour_desc *desc; /* of behaviour; set by dp_sid_add */
	uint8_t behaviour;		      /* enum dp_behaviour */
	uint8_t hmac;			      /* enum dp_hmac_mode */
	uint32_t vnf;			      /* SR-aware function applied first, or DP_NONE */
	uint32_t nhg;			      /* End.X, End.DX4, End.DX6 */
	uint32_t fib;			      /* End.DT4/DT6: index into fib4/fib6 */
	uint32_t policy;		      /* End.B6.Encaps */
	uint32_t stat;
	struct in6_addr sid;
	uint8_t sid_len;
};

enum dp_policy_type {
	DP_POL_SRV6_ENCAPS,
	DP_POL_SRV6_ENCAPS_RED,
	DP_POL_MPLS,
	DP_POL_NSH,
	DP_POL_MAX
};

enum dp_flowlabel {
	DP_FLOWLABEL_COPY, /* inner IPv6 flow label, 0 for IPv4 (Linux seg6 default) */
	DP_FLOWLABEL_HASH, /* inner flow hash (RFC 6437 entropy) */
	DP_FLOWLABEL_ZERO,
};

struct dp_policy {
	const struct dp_behaviour_desc *desc; /* of type; set by dp_policy_add */
	char name[32];
	uint8_t type;
	uint8_t n; /* segments or labels */
	uint8_t flowlabel;
	uint8_t ttl_pipe; /* MPLS: labels get TTL 255 instead of the IP TTL */
	uint8_t nsh_md_type;
	uint8_t nsh_si;
	uint16_t srh_len; /* prebuilt SRH bytes (0: no SRH, reduced with one SID) */
	uint32_t nsh_spi;
	uint32_t stat;
	struct in6_addr src;
	struct in6_addr first;		/* destination address of the pushed header */
	uint32_t labels[DP_LABELS_MAX]; /* in push order: labels[0] is the top */
	uint8_t srh[8 + 16 * DP_SEGS_MAX];
};

enum dp_rule_action {
	DP_ACT_STEER,
	DP_ACT_FORWARD,
	DP_ACT_DROP,
};

/* What a classifier or firewall rule matches on (the innermost packet's
 * 5-tuple and the ingress interface); zero length / zero value = any. */
struct dp_match {
	uint32_t in_if; /* DP_NONE = any */
	uint8_t family; /* 0 any, 4, 6 */
	uint8_t proto;	/* 0 any */
	uint8_t src_len, dst_len;
	uint8_t src[16], dst[16];
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi; /* hi 0 = any */
	uint8_t inner; /* 1: the innermost packet; 0: the packet as received */
};

struct dp_rule {
	struct dp_match m;
	uint8_t action;
	uint32_t policy;
	uint32_t stat;
	uint32_t line; /* config line, for listings */
};

enum dp_sff_action {
	DP_SFF_FUNCTION,  /* local function, then SI - 1 and look up again */
	DP_SFF_FWD_ETH,	  /* NSH over Ethernet to a neighbour */
	DP_SFF_FWD_VXLAN, /* NSH over VXLAN-GPE to a remote SFF */
	DP_SFF_END,	  /* end of path: remove NSH and route the inner packet */
	DP_SFF_MAX
};

struct dp_sff {
	const struct dp_behaviour_desc *desc; /* of action; set by dp_sff_add */
	uint8_t action;
	uint32_t vnf;
	uint32_t nhg;
	uint32_t vni;
	uint8_t remote_family;
	uint8_t remote[16], local[16];
	uint32_t stat;
};

struct dp_fn;

struct dp_tables {
	uint32_t gen;
	uint32_t n_workers;

	uint32_t n_if;
	struct dp_if ifs[DP_IF_MAX];

	uint32_t n_nh, n_nhg, n_buckets;
	struct dp_nh *nh;
	struct dp_nhg *nhg;
	uint32_t *buckets;

	uint32_t n_fib;
	uint32_t fib_id[DP_FIB_MAX];
	struct lpm fib4[DP_FIB_MAX], fib6[DP_FIB_MAX]; /* value: nhg */
	struct xhash local4, local6;		       /* addresses of this host -> 0 */
	struct xhash neigh4, neigh6;		       /* (oif, addr) -> nh index with MAC */

	struct lpm sids; /* SRv6 local SIDs -> index into sid[] */
	uint32_t n_sid;
	struct dp_sid *sid;
	struct in6_addr srv6_src;	  /* default source of pushed IPv6 headers */
	struct hmac_sha256_key srv6_hmac; /* RFC 8754 2.1.2 shared key */
	uint32_t srv6_hmac_key_id;
	uint8_t srv6_hmac_set;

	uint32_t srgb_lo, srgb_hi, srlb_lo, srlb_hi;
	uint32_t *lfib_idx; /* label -> index + 1 into lfib[] (0: none); 2^20 */
	uint32_t n_lfib;
	struct dp_lfib *lfib;

	uint32_t n_policy;
	struct dp_policy *policy;

	/* Classifier: tuple-space search. Rules whose ports are exact or
	 * wildcard land in one hash per mask shape; rules with port ranges in
	 * a list. First rule (lowest index) that matches wins. */
	uint32_t n_rule;
	struct dp_rule *rule;
	uint32_t n_shape;
	struct dp_shape *shape;
	uint32_t n_range;
	uint32_t *range;	/* rule indices with port ranges, ascending */
	uint8_t default_action; /* for classified packets that match no rule */
	uint8_t any_classify;

	struct xhash sff_map; /* (SPI << 8 | SI) -> index into sff[] */
	uint32_t n_sff;
	struct dp_sff *sff;

	/* SR-aware functions (dp/fn.h), filled by vnf/; entries name them by
	 * index. */
	uint32_t n_vnf;
	struct dp_fn **vnf;

	/* Stat slots: packets and bytes for every interface, SID, label,
	 * policy, rule, path entry and function rule, per worker. */
	uint32_t n_stat;
	char (*stat_name)[128];
	uint64_t *stats; /* [worker][slot][2] */

	/* SRH HMAC keys by key ID (srv6_hmac above is the first, used to
	 * sign); the node's default mode (enum dp_hmac_mode, 0 = verify). */
	uint32_t n_hmac_key;
	struct {
		uint32_t id;
		struct hmac_sha256_key key;
	} hmac_key[DP_HMAC_KEYS_MAX];
	uint8_t srv6_hmac_mode;
	uint8_t cls_any_inner; /* some classifier rule matches the innermost packet */
};

struct dp_shape {
	uint8_t in_if, proto, sport, dport; /* 1 = field is matched exactly */
	uint8_t family;
	uint8_t src_len, dst_len;
	struct xhash h; /* masked key -> lowest rule index */
	uint8_t inner;	/* its rules match the innermost packet */
};

/* Classifier key: what a rule can match on, masked per shape. */
struct dp_cls_key {
	uint32_t in_if;
	uint8_t family, proto;
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
};

/* Building. A builder owns a table set under construction; on any error
 * the caller frees it, so a bad configuration applies nothing. */
struct dp_tables *dp_tables_new(uint32_t n_workers);
void dp_tables_free(struct dp_tables *t);

int dp_if_add(struct dp_tables *t, const char *name, const uint8_t mac[6], uint32_t mtu,
	      uint32_t ifindex, struct err *err);
int dp_if_find(const struct dp_tables *t, const char *name);
int dp_local_addr_add(struct dp_tables *t, int family, const void *addr, struct err *err);
int dp_neigh_add(struct dp_tables *t, uint32_t oif, int family, const void *addr,
		 const uint8_t mac[6], struct err *err);

/* Next hop via gateway addr on oif (MAC from the neighbour table, now). */
int dp_nh_resolve(struct dp_tables *t, uint32_t oif, int family, const void *gw, uint32_t *nh,
		  struct err *err);
uint32_t dp_nh_connected(struct dp_tables *t, uint32_t oif);
/* Next hop with a fixed MAC (mirror targets). DP_NONE when out of memory. */
uint32_t dp_nh_with_mac(struct dp_tables *t, uint32_t oif, const uint8_t mac[6]);
/* Group from next hops with weights (weights >= 1). */
int dp_nhg_add(struct dp_tables *t, const uint32_t *nh, const uint32_t *weight, uint32_t n,
	       uint32_t *nhg, struct err *err);

int dp_fib_index(struct dp_tables *t, uint32_t table_id, int create);
int dp_route_add(struct dp_tables *t, uint32_t table_id, int family, const void *prefix, int len,
		 uint32_t nhg, struct err *err);
uint32_t dp_route_lookup(const struct dp_tables *t, uint32_t fib, int family, const void *addr);

uint32_t dp_stat_add(struct dp_tables *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int dp_stats_alloc(struct dp_tables *t);

int dp_sid_add(struct dp_tables *t, const struct dp_sid *s, struct err *err);
int dp_lfib_add(struct dp_tables *t, const struct dp_lfib *e, struct err *err);
/* Returns the policy's index. */
int dp_policy_add(struct dp_tables *t, const struct dp_policy *p, struct err *err);
int dp_policy_find(const struct dp_tables *t, const char *name);
int dp_rule_add(struct dp_tables *t, const struct dp_rule *r, struct err *err);
int dp_sff_add(struct dp_tables *t, uint32_t spi, uint32_t si, const struct dp_sff *f,
	       struct err *err);

/* Classifier shapes and range list from rule[] (called by finish). */
int dp_classifier_build(struct dp_tables *t, struct err *err);
void dp_classifier_free(struct dp_tables *t);

/* Finishes the set: allocates per-worker stats, prepares the classifier. */
int dp_tables_finish(struct dp_tables *t, struct err *err);

#endif

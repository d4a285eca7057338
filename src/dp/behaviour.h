/* The behaviour registry: one descriptor per behaviour, for SRv6 local SIDs
 * (RFC 8986), SR-MPLS labels (RFC 8660), NSH service path entries (RFC 8300)
 * and the headend encapsulations of steering policies, in the spirit of the
 * kernel's seg6_local action table.
 *
 * A descriptor says what the behaviour is called, which parameters it
 * takes, how an entry is checked when it is configured (never per packet),
 * which handler the stage calls, and which drop counters that handler may
 * bump. A table entry (dp_sid, dp_lfib, dp_sff, dp_policy) points at its
 * descriptor once added; stages call through that pointer.
 *
 * Each family's file (srv6_end.c, srv6_decap.c, srv6_encap.c, mpls_fwd.c,
 * nsh_fwd.c) defines its descriptors; behaviour.c lists the files' arrays.
 * A new family (proxies, flavours) is a new file with its array, one line
 * in that list and its ids in the entry's enum (dp/tables.h). */
#ifndef SRCHAIN_DP_BEHAVIOUR_H
#define SRCHAIN_DP_BEHAVIOUR_H

#include <stddef.h>
#include <stdint.h>

#include "dp/counters.h"
#include "lib/err.h"

struct dp_ctx;
struct dp_lfib;
struct dp_policy;
struct dp_sff;
struct dp_sid;
struct dp_tables;
struct nsh_info;
struct pkt;
struct srv6_chain;

/* Where a behaviour is bound, which entry it reads and which enum of
 * dp/tables.h numbers it. */
enum dp_bpoint {
	DP_AT_SID,    /* SRv6 local SID: struct dp_sid, enum dp_behaviour */
	DP_AT_LABEL,  /* SR-MPLS incoming label: struct dp_lfib, enum dp_lfib_op */
	DP_AT_PATH,   /* NSH (SPI, SI): struct dp_sff, enum dp_sff_action */
	DP_AT_POLICY, /* headend: struct dp_policy, enum dp_policy_type */
	DP_AT_MAX
};

/* Parameters, as written in the configuration. */
enum dp_bparam {
	DP_BP_NH6 = 1u << 0,	  /* nh6 ADDR: IPv6 next hop (End.X, End.DX6) */
	DP_BP_NH4 = 1u << 1,	  /* nh4 ADDR: IPv4 next hop (End.DX4) */
	DP_BP_DEV = 1u << 2,	  /* dev IFACE: output interface of that next hop */
	DP_BP_TABLE = 1u << 3,	  /* table N: lookup table (End.DT4/DT6) */
	DP_BP_POLICY = 1u << 4,	  /* policy NAME: the pushed list (End.B6.Encaps) */
	DP_BP_FUNCTION = 1u << 5, /* function NAME: SR-aware function run first */
	DP_BP_HMAC = 1u << 6,	  /* hmac: verify the SRH HMAC TLV */
	DP_BP_LABEL = 1u << 7,	  /* outgoing label (swap OUT) */
	DP_BP_NEXTHOPS = 1u << 8, /* via ADDR dev IFACE [weight N]... */
	DP_BP_REMOTE = 1u << 9,	  /* remote ADDR: far end of a VXLAN-GPE tunnel */
	DP_BP_LOCAL = 1u << 10,	  /* local ADDR: near end of that tunnel */
	DP_BP_VNI = 1u << 11,	  /* vni N: VXLAN network identifier */
	DP_BP_ALL = (1u << 12) - 1
};

struct dp_behaviour_desc {
	const char *name;	     /* as the standard writes it; the configuration's word */
	const char *alias;	     /* another spelling the configuration accepts, or NULL */
	uint8_t at;		     /* enum dp_bpoint */
	uint8_t id;		     /* its value in that point's enum */
	uint32_t required, optional; /* enum dp_bparam bits */
	const char *help;	     /* one line, with the RFC section */
	/* Configuration time: checks an entry of this behaviour (its
	 * parameters already resolved to table indices) before it is added;
	 * 0 or a negative errno with a "field '...': ..." message. NULL: the
	 * parameters need no check beyond their own parsing. */
	int (*check)(const struct dp_behaviour_desc *d, const struct dp_tables *t,
		     const void *entry, struct err *err);
	/* Packet time: handles one packet; the handler sorts it onward or
	 * drops it with one of `drops`. */
	union {
		void (*sid)(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			    struct srv6_chain *h);
		void (*label)(struct dp_ctx *c, const struct dp_lfib *e, struct pkt *p);
		void (*path)(struct dp_ctx *c, const struct dp_sff *f, struct pkt *p,
			     const struct nsh_info *ni);
		void (*policy)(struct dp_ctx *c, const struct dp_policy *pol, struct pkt *p);
	} run;
	const enum dp_ctr *drops; /* ends with DP_CTR_MAX */
	/* SID behaviours, packet time, before the SID's function: the checks
	 * the handler would drop the packet for (SRH, SL, hop limit), so that
	 * no function counts or copies it first. DP_CTR_MAX to admit, else
	 * the drop counter. NULL: nothing to check. */
	enum dp_ctr (*validate)(const struct dp_tables *t, const struct dp_sid *s,
				const struct srv6_chain *h);
};

/* Descriptor of behaviour `name` (or its alias) at `at`, or NULL. */
const struct dp_behaviour_desc *dp_behaviour_lookup(enum dp_bpoint at, const char *name);
/* Descriptor with id `id` at `at`, or NULL. */
const struct dp_behaviour_desc *dp_behaviour_at(enum dp_bpoint at, unsigned id);
/* The names at `at` in id order, for messages: "A, B or C" with sep ", "
 * and last " or "; "A|B|C" with "|" and "|". Returns buf. */
const char *dp_behaviour_names(enum dp_bpoint at, const char *sep, const char *last, char *buf,
			       size_t len);
/* Finds the descriptor of behaviour id at `at` and runs its check hook on
 * the entry; 0 with the descriptor in *d, or a negative errno. */
int dp_behaviour_check(enum dp_bpoint at, unsigned id, const struct dp_tables *t, const void *entry,
		       const struct dp_behaviour_desc **d, struct err *err);

/* SRv6 local SID behaviours (DP_AT_SID), by name and by enum dp_behaviour. */
const struct dp_behaviour_desc *dp_behaviour_find(const char *name);
const struct dp_behaviour_desc *dp_behaviour_get(unsigned id);
/* Name of a parameter bit, as written in the configuration. */
const char *dp_bparam_name(uint32_t bit);

/* The families' descriptor arrays (each ends with a NULL name). */
extern const struct dp_behaviour_desc dp_srv6_end_behaviours[];
extern const struct dp_behaviour_desc dp_srv6_decap_behaviours[];
extern const struct dp_behaviour_desc dp_srv6_encap_behaviours[];
extern const struct dp_behaviour_desc dp_mpls_behaviours[];
extern const struct dp_behaviour_desc dp_nsh_behaviours[];

#endif

/* PCEP objects (RFC 5440 7.2): the common object header, and the objects a
 * stateful SR PCE and its PCCs exchange, decoded into plain structs.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  | Object-Class  |   OT  |Res|P|I|   Object Length (bytes)       |
 *  //                        (Object body)                        //
 *
 * Object Length includes the header and is a multiple of 4.
 */
#ifndef SRCHAIN_PCEP_OBJ_H
#define SRCHAIN_PCEP_OBJ_H

#include <stdbool.h>
#include <stdint.h>

#include "pcep/err.h"
#include "pcep/ero.h"
#include "pcep/tlv.h"

#define PCEP_OBJ_HDR_LEN 4
#define PCEP_OBJ_FLAG_P	 0x02
#define PCEP_OBJ_FLAG_I	 0x01

enum pcep_obj_class {
	PCEP_OBJ_OPEN = 1,
	PCEP_OBJ_RP = 2,
	PCEP_OBJ_NOPATH = 3,
	PCEP_OBJ_ENDPOINTS = 4,
	PCEP_OBJ_BANDWIDTH = 5,
	PCEP_OBJ_METRIC = 6,
	PCEP_OBJ_ERO = 7,
	PCEP_OBJ_RRO = 8,
	PCEP_OBJ_LSPA = 9,
	PCEP_OBJ_IRO = 10,
	PCEP_OBJ_ERROR = 13,
	PCEP_OBJ_CLOSE = 15,
	PCEP_OBJ_LSP = 32,	   /* RFC 8231 7.3 */
	PCEP_OBJ_SRP = 33,	   /* RFC 8231 7.2 */
	PCEP_OBJ_VENDOR_INFO = 34, /* RFC 7470 */
	PCEP_OBJ_ASSOCIATION = 40, /* RFC 8697 */
};

/* One object as it sits in a message: header fields and the body. */
struct pcep_obj_raw {
	uint8_t cls;
	uint8_t ot;
	uint8_t flags; /* PCEP_OBJ_FLAG_P | PCEP_OBJ_FLAG_I */
	uint16_t body_len;
	const uint8_t *body;
};

/* STATEFUL-PCE-CAPABILITY flags (RFC 8231 7.1.1, RFC 8281 4.1). */
#define PCEP_STATEFUL_U 0x00000001u /* LSP-UPDATE-CAPABILITY */
#define PCEP_STATEFUL_I 0x00000004u /* LSP-INSTANTIATION-CAPABILITY */

/* PATH-SETUP-TYPE values (RFC 8408, 8664 4.1, 9603 4.1). */
enum pcep_pst {
	PCEP_PST_RSVP_TE = 0,
	PCEP_PST_SR = 1,
	PCEP_PST_SRV6 = 3,
};

/* SR-PCE-CAPABILITY flags (RFC 8664 4.1.2). */
#define PCEP_SR_CAP_X 0x01 /* unlimited MSD */
#define PCEP_SR_CAP_N 0x02 /* PCC resolves NAIs to SIDs */
/* SRv6-PCE-CAPABILITY flags (RFC 9603 4.1.1, bit 14). */
#define PCEP_SRV6_CAP_N 0x0002

#define PCEP_PST_MAX	  8 /* PSTs we keep from a PATH-SETUP-TYPE-CAPABILITY */
#define PCEP_SRV6_MSD_MAX 8 /* (MSD-Type, MSD-Value) pairs we keep */

struct pcep_msd {
	uint8_t type; /* IGP MSD-Type (RFC 8491, 9352) */
	uint8_t value;
};

/* OPEN object (RFC 5440 7.3) with the capability TLVs we understand. */
struct pcep_open {
	uint8_t keepalive; /* seconds, 0 = none */
	uint8_t deadtimer; /* seconds */
	uint8_t sid;	   /* PCEP session id */
	bool has_stateful;
	uint32_t stateful_flags; /* PCEP_STATEFUL_* */
	bool has_pst_cap;
	uint8_t n_pst;
	uint8_t pst[PCEP_PST_MAX];
	bool has_sr_cap;       /* SR-PCE-CAPABILITY sub-TLV */
	bool sr_cap_top_level; /* sent as a top-level OPEN TLV (pre-RFC drafts, FRR) */
	uint8_t sr_flags;
	uint8_t sr_msd;
	bool has_srv6_cap;
	uint16_t srv6_flags;
	uint8_t n_srv6_msd;
	struct pcep_msd srv6_msd[PCEP_SRV6_MSD_MAX];
};

/* LSP object flags (RFC 8231 7.3, RFC 8281 5.3.1). */
#define PCEP_LSP_D	 0x001 /* delegate */
#define PCEP_LSP_S	 0x002 /* sync */
#define PCEP_LSP_R	 0x004 /* remove */
#define PCEP_LSP_A	 0x008 /* administrative */
#define PCEP_LSP_O_SHIFT 4     /* 3-bit operational status */
#define PCEP_LSP_O_MASK	 0x070
#define PCEP_LSP_C	 0x080 /* created by a PCE (RFC 8281) */
#define PCEP_LSP_FLAGS	 0xfff
#define PCEP_PLSP_ID_MAX 0xfffff

#define PCEP_SYMNAME_MAX 255 /* our cap on SYMBOLIC-PATH-NAME */

enum pcep_lsp_oper {
	PCEP_LSP_DOWN = 0,
	PCEP_LSP_UP = 1,
	PCEP_LSP_ACTIVE = 2,
	PCEP_LSP_GOING_DOWN = 3,
	PCEP_LSP_GOING_UP = 4,
};

/* IPV4/IPV6-LSP-IDENTIFIERS TLV (RFC 8231 7.3.1). */
struct pcep_lsp_ids {
	uint8_t af; /* 0 = absent, 4, 6 */
	uint8_t sender[16];
	uint16_t lsp_id;
	uint16_t tunnel_id;
	uint8_t ext_tunnel_id[16];
	uint8_t endpoint[16];
};

struct pcep_lsp {
	uint32_t plsp_id; /* 20 bits */
	uint16_t flags;	  /* PCEP_LSP_*, 12 bits */
	bool has_symname;
	uint16_t symname_len;
	char symname[PCEP_SYMNAME_MAX + 1]; /* NUL-terminated copy */
	struct pcep_lsp_ids ids;
};

/* SRP object (RFC 8231 7.2; R flag RFC 8281 5.2). */
#define PCEP_SRP_R 0x00000001u
struct pcep_srp {
	uint32_t flags;
	uint32_t id;
	bool has_pst;
	uint8_t pst;
};

/* BANDWIDTH (RFC 5440 7.7): IEEE 754 single precision, bytes per second;
 * kept as the wire's bit pattern so that encode(decode(x)) == x. */
struct pcep_bandwidth {
	uint8_t ot; /* 1 requested, 2 existing LSP */
	uint32_t bw_bits;
};

/* METRIC (RFC 5440 7.8). */
#define PCEP_METRIC_B 0x01
#define PCEP_METRIC_C 0x02
enum pcep_metric_type {
	PCEP_METRIC_IGP = 1,
	PCEP_METRIC_TE = 2,
	PCEP_METRIC_HOPS = 3,
};
struct pcep_metric {
	uint8_t flags;
	uint8_t type;
	uint32_t value_bits;
};

/* END-POINTS (RFC 5440 7.6): OT 1 IPv4, OT 2 IPv6. */
struct pcep_endpoints {
	uint8_t af; /* 4 or 6 */
	uint8_t src[16];
	uint8_t dst[16];
};

/* PCEP-ERROR (RFC 5440 7.15). */
struct pcep_error {
	uint8_t type;
	uint8_t value;
};

/* Header of the object at the front of c: 1 = got one, 0 = c empty, or
 * -EBADMSG when the length is short, unaligned or runs past the message. */
int pcep_obj_next(struct cursor *c, struct pcep_obj_raw *o);

/* Decoders: 0, or -EBADMSG with e naming the PCErr the message deserves. */
int pcep_open_decode(const struct pcep_obj_raw *o, struct pcep_open *v, struct pcep_perr *e);
int pcep_lsp_decode(const struct pcep_obj_raw *o, struct pcep_lsp *v, struct pcep_perr *e);
int pcep_srp_decode(const struct pcep_obj_raw *o, struct pcep_srp *v, struct pcep_perr *e);
int pcep_bandwidth_decode(const struct pcep_obj_raw *o, struct pcep_bandwidth *v,
			  struct pcep_perr *e);
int pcep_metric_decode(const struct pcep_obj_raw *o, struct pcep_metric *v, struct pcep_perr *e);
int pcep_endpoints_decode(const struct pcep_obj_raw *o, struct pcep_endpoints *v,
			  struct pcep_perr *e);
int pcep_error_decode(const struct pcep_obj_raw *o, struct pcep_error *v, struct pcep_perr *e);
int pcep_close_decode(const struct pcep_obj_raw *o, uint8_t *reason, struct pcep_perr *e);

/* Encoders append one whole object to w (errors land in w->err). */
size_t pcep_obj_begin(struct pcep_wbuf *w, uint8_t cls, uint8_t ot, uint8_t flags);
void pcep_obj_end(struct pcep_wbuf *w, size_t start);
void pcep_open_encode(struct pcep_wbuf *w, const struct pcep_open *v);
void pcep_lsp_encode(struct pcep_wbuf *w, const struct pcep_lsp *v);
void pcep_srp_encode(struct pcep_wbuf *w, const struct pcep_srp *v);
void pcep_bandwidth_encode(struct pcep_wbuf *w, const struct pcep_bandwidth *v);
void pcep_metric_encode(struct pcep_wbuf *w, const struct pcep_metric *v);
void pcep_endpoints_encode(struct pcep_wbuf *w, const struct pcep_endpoints *v);
void pcep_error_encode(struct pcep_wbuf *w, const struct pcep_error *v);
void pcep_close_encode(struct pcep_wbuf *w, uint8_t reason);

/* Sets the symbolic name (len bytes, 1..PCEP_SYMNAME_MAX): 0 or -EINVAL. */
int pcep_lsp_set_symname(struct pcep_lsp *l, const char *name, size_t len);

#endif

/* ERO object (RFC 5440 7.9) and its subobjects: IPv4/IPv6 prefix
 * (RFC 3209 4.3.3), SR-ERO (RFC 8664 4.3.1) and SRv6-ERO (RFC 9603 4.3.1).
 *
 * SR-ERO, type 36:
 *  |L|   Type=36   |     Length    |  NT   |     Flags     |F|S|C|M|
 *  |                         SID (optional)                        |
 *  //                        NAI (variable, optional)             //
 *
 * SRv6-ERO, type 40:
 *  |L|   Type=40   |     Length    |  NT   |     Flags     |V|T|F|S|
 *  |              Reserved         |  Endpoint Behavior            |
 *  |                   SRv6 SID (optional, 128 bits)               |
 *  //                  NAI (variable, optional)                   //
 *  |  LB Length  |  LN Length  | Fun. Length |  Arg. Length       |  (optional,
 *  |                 Reserved                      |   Flags       |   T flag)
 */
#ifndef SRCHAIN_PCEP_ERO_H
#define SRCHAIN_PCEP_ERO_H

#include <stdbool.h>
#include <stdint.h>

#include "pcep/err.h"
#include "pcep/tlv.h"

/* Cap on subobjects in one ERO (and the compile-time cap on the walk);
 * more is refused with 10/3 "unsupported number of SR-ERO subobjects". */
#define PCEP_ERO_MAX 32

enum pcep_ero_type {
	PCEP_ERO_IPV4 = 1,
	PCEP_ERO_IPV6 = 2,
	PCEP_ERO_SR = 36,
	PCEP_ERO_SRV6 = 40,
};

/* NAI types (RFC 8664 4.3.1, IANA "PCEP SR-ERO NAI Types"). */
enum pcep_nai_type {
	PCEP_NAI_ABSENT = 0,
	PCEP_NAI_IPV4_NODE = 1,
	PCEP_NAI_IPV6_NODE = 2,
	PCEP_NAI_IPV4_ADJ = 3,
	PCEP_NAI_IPV6_ADJ = 4,
	PCEP_NAI_UNNUMBERED = 5,
	PCEP_NAI_IPV6_LINKLOCAL = 6,
	PCEP_NAI_MAX
};

/* SR-ERO flags. */
#define PCEP_SR_M 0x001 /* SID is an MPLS label */
#define PCEP_SR_C 0x002 /* TC/S/TTL set by the PCE */
#define PCEP_SR_S 0x004 /* SID absent */
#define PCEP_SR_F 0x008 /* NAI absent */
/* SRv6-ERO flags. */
#define PCEP_SRV6_S 0x001 /* SID absent */
#define PCEP_SRV6_F 0x002 /* NAI absent */
#define PCEP_SRV6_T 0x004 /* SID structure present */
#define PCEP_SRV6_V 0x008 /* SID verification */

/* Node or Adjacency Identifier. Fields used per type:
 *   IPv4 node: local[0..3]          IPv6 node: local
 *   IPv4 adj: local[0..3], remote[0..3]   IPv6 adj: local, remote
 *   unnumbered: local[0..3]/remote[0..3] = node IDs, local_ifid, remote_ifid
 *   IPv6 link-local adj: local, local_ifid, remote, remote_ifid */
struct pcep_nai {
	uint8_t local[16];
	uint8_t remote[16];
	uint32_t local_ifid;
	uint32_t remote_ifid;
};

struct pcep_srv6_sid_struct {
	uint8_t lb_len;
	uint8_t ln_len;
	uint8_t fun_len;
	uint8_t arg_len;
	uint8_t flags;
};

struct pcep_ero_sub {
	uint8_t type; /* enum pcep_ero_type */
	bool loose;
	uint8_t nt;	    /* SR/SRv6: enum pcep_nai_type */
	uint16_t flags;	    /* SR/SRv6: 12-bit flags */
	uint8_t prefix_len; /* IPv4/IPv6 prefix */
	uint32_t sid;	    /* SR: 32-bit SID (label << 12 | TC | S | TTL when M) */
	uint16_t behavior;  /* SRv6: endpoint behavior (RFC 8986 9.2) */
	uint8_t addr[16];   /* IPv4/IPv6 prefix; SRv6 SID */
	struct pcep_nai nai;
	struct pcep_srv6_sid_struct ss; /* SRv6 with T */
};

struct pcep_ero {
	uint8_t n;
	struct pcep_ero_sub sub[PCEP_ERO_MAX];
};

/* Bytes of NAI for a type (SR-ERO layout), or -1 for an unknown type. */
int pcep_nai_len(uint8_t nt);

/* Decodes an ERO body: 0, or -EBADMSG with e naming the PCErr. */
int pcep_ero_decode(const uint8_t *body, size_t len, struct pcep_ero *ero, struct pcep_perr *e);
/* Appends a whole ERO object; an inconsistent subobject sets w->err = -EINVAL. */
void pcep_ero_encode(struct pcep_wbuf *w, const struct pcep_ero *ero);

/* Helpers for building segment lists. */
void pcep_ero_sr_label(struct pcep_ero_sub *s, uint32_t label, uint8_t nt,
		       const struct pcep_nai *nai);
void pcep_ero_srv6_sid(struct pcep_ero_sub *s, const uint8_t sid[16], uint16_t behavior, uint8_t nt,
		       const struct pcep_nai *nai);

#endif

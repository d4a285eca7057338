/* PCEP messages (RFC 5440 6, RFC 8231 6, RFC 8281 5): the common header and
 * the message grammars, decoded into one fixed-size struct (no allocation).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  | Ver |  Flags  |  Message-Type |       Message-Length          |
 *
 * Message-Length counts the whole message, header included.
 */
#ifndef SRCHAIN_PCEP_MSG_H
#define SRCHAIN_PCEP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcep/ero.h"
#include "pcep/err.h"
#include "pcep/obj.h"

#define PCEP_HDR_LEN	 4
#define PCEP_VERSION_1	 1
#define PCEP_MSG_MAX_LEN 65535u
#define PCEP_MSG_OBJ_MAX 256 /* compile-time cap on the object walk */
#define PCEP_MSG_LSP_MAX 16  /* state reports / updates / initiates per message */
#define PCEP_MSG_ERR_MAX 8   /* PCEP-ERROR objects kept from a PCErr */
#define PCEP_METRIC_MAX	 4   /* METRIC objects kept per LSP */

enum pcep_msg_type {
	PCEP_MSG_OPEN = 1,
	PCEP_MSG_KEEPALIVE = 2,
	PCEP_MSG_PCREQ = 3,
	PCEP_MSG_PCREP = 4,
	PCEP_MSG_PCNTF = 5,
	PCEP_MSG_PCERR = 6,
	PCEP_MSG_CLOSE = 7,
	PCEP_MSG_PCRPT = 10,	  /* RFC 8231 6.1 */
	PCEP_MSG_PCUPD = 11,	  /* RFC 8231 6.2 */
	PCEP_MSG_PCINITIATE = 12, /* RFC 8281 5.1 */
	PCEP_MSG_TYPE_MAX
};

/* One <state-report> (PCRpt), <update-request> (PCUpd) or
 * <PCE-initiated-lsp-request> (PCInitiate). */
struct pcep_lsp_state {
	bool has_srp;
	struct pcep_srp srp;
	bool has_lsp;
	struct pcep_lsp lsp;
	bool has_endpoints;
	struct pcep_endpoints ep;
	bool has_ero;
	struct pcep_ero ero;
	bool has_bw;
	struct pcep_bandwidth bw;
	uint8_t n_metric;
	struct pcep_metric metric[PCEP_METRIC_MAX];
};

struct pcep_msg {
	uint8_t type; /* enum pcep_msg_type */
	/* Open; or the Open a PCErr 1/4 proposes (RFC 5440 6.2) */
	bool has_open;
	struct pcep_open open;
	/* Close */
	uint8_t close_reason;
	/* PCErr: [SRP] <error-obj-list> [Open] */
	bool err_has_srp;
	uint32_t err_srp_id;
	uint8_t n_err;
	struct pcep_error err[PCEP_MSG_ERR_MAX];
	/* PCRpt, PCUpd, PCInitiate */
	uint8_t n_lsp;
	struct pcep_lsp_state lsp[PCEP_MSG_LSP_MAX];
	/* objects ignored: unknown with P clear, or known ones we do not use */
	uint16_t n_skipped;
};

/* Message-Length of a header at p (4 bytes), or -EBADMSG when the version
 * is not 1 or the length is below the header's. */
int pcep_hdr_len(const uint8_t *p);

/* Decodes one whole message (len == its Message-Length). 0, or -EBADMSG
 * with e telling which PCErr to send and whether to close. */
int pcep_msg_decode(const uint8_t *buf, size_t len, struct pcep_msg *m, struct pcep_perr *e);

/* Encodes m into buf: its length, or -ENOSPC / -EINVAL (m breaks a rule
 * the decoder enforces) / -EMSGSIZE (over 65535 bytes). */
int pcep_msg_encode(const struct pcep_msg *m, uint8_t *buf, size_t cap);

/* Checks the RFC grammar rules of a PCRpt/PCUpd/PCInitiate, as the decoder
 * does: 0 or -EBADMSG with e. */
int pcep_msg_check_lsps(const struct pcep_msg *m, struct pcep_perr *e);

/* True for the end-of-synchronization marker (RFC 8231 5.6): PLSP-ID 0,
 * SYNC flag clear. */
bool pcep_is_end_of_sync(const struct pcep_lsp_state *s);

void pcep_msg_init(struct pcep_msg *m, uint8_t type);
const char *pcep_msg_type_name(uint8_t type);

#endif

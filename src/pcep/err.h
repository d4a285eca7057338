/* The PCErr catalogue: every Error-Type/Error-value this library sends, with
 * the RFC's name and section, and whether the session must close after it
 * (IANA "PCEP-ERROR Object Error Types and Values"). */
#ifndef SRCHAIN_PCEP_ERR_H
#define SRCHAIN_PCEP_ERR_H

#include <stdbool.h>
#include <stdint.h>

enum pcep_err_type {
	PCEP_ERRT_SESSION_FAILURE = 1,	  /* RFC 5440 */
	PCEP_ERRT_CAPABILITY = 2,	  /* RFC 5440 */
	PCEP_ERRT_UNKNOWN_OBJECT = 3,	  /* RFC 5440 */
	PCEP_ERRT_MANDATORY_MISSING = 6,  /* RFC 5440, 8231 */
	PCEP_ERRT_INVALID_OBJECT = 10,	  /* RFC 5440, 8281, 8408, 8664, 9603 */
	PCEP_ERRT_INVALID_OPERATION = 19, /* RFC 8231, 8281 */
	PCEP_ERRT_LSP_SYNC = 20,	  /* RFC 8231 */
	PCEP_ERRT_INVALID_PST = 21,	  /* RFC 8408 */
	PCEP_ERRT_BAD_PARAMETER = 23,	  /* RFC 8281 */
	PCEP_ERRT_LSP_INSTANTIATION = 24, /* RFC 8281 */
};

/* Error-values, named "<type>_<value meaning>". */
enum {
	PCEP_ERRV_INVALID_OPEN = 1,	    /* 1/1 */
	PCEP_ERRV_OPENWAIT_EXPIRED = 2,	    /* 1/2 */
	PCEP_ERRV_UNACCEPTABLE_NONNEG = 3,  /* 1/3 */
	PCEP_ERRV_UNACCEPTABLE_NEG = 4,	    /* 1/4 */
	PCEP_ERRV_SECOND_OPEN_UNACCEPT = 5, /* 1/5 */
	PCEP_ERRV_PCERR_UNACCEPTABLE = 6,   /* 1/6 */
	PCEP_ERRV_KEEPWAIT_EXPIRED = 7,	    /* 1/7 */
	PCEP_ERRV_VERSION = 8,		    /* 1/8 */
	PCEP_ERRV_UNREC_CLASS = 1,	    /* 3/1 */
	PCEP_ERRV_UNREC_TYPE = 2,	    /* 3/2 */
	PCEP_ERRV_LSP_MISSING = 8,	    /* 6/8 */
	PCEP_ERRV_ERO_MISSING = 9,	    /* 6/9 */
	PCEP_ERRV_SRP_MISSING = 10,	    /* 6/10 */
	PCEP_ERRV_BAD_LABEL = 2,	    /* 10/2 */
	PCEP_ERRV_ERO_TOO_MANY = 3,	    /* 10/3 */
	PCEP_ERRV_ERO_MIXED = 5,	    /* 10/5 */
	PCEP_ERRV_SID_NAI_ABSENT = 6,	    /* 10/6 */
	PCEP_ERRV_SYMNAME_MISSING = 8,	    /* 10/8 */
	PCEP_ERRV_MALFORMED_OBJECT = 11,    /* 10/11 */
	PCEP_ERRV_SR_CAP_MISSING = 12,	    /* 10/12 */
	PCEP_ERRV_NAI_UNSUPPORTED = 13,	    /* 10/13 */
	PCEP_ERRV_MSD_ZERO = 21,	    /* 10/21 */
	PCEP_ERRV_SRV6_CAP_MISSING = 34,    /* 10/34 */
	PCEP_ERRV_SRV6_SID_STRUCT = 37,	    /* 10/37 */
	PCEP_ERRV_UPD_NOT_DELEGATED = 1,    /* 19/1 */
	PCEP_ERRV_UPD_NO_STATEFUL = 2,	    /* 19/2 */
	PCEP_ERRV_UPD_UNKNOWN_PLSP = 3,	    /* 19/3 */
	PCEP_ERRV_RPT_NO_STATEFUL = 5,	    /* 19/5 */
	PCEP_ERRV_INIT_NONZERO_PLSP = 8,    /* 19/8 */
	PCEP_ERRV_NOT_PCE_INITIATED = 9,    /* 19/9 */
	PCEP_ERRV_SYNC_CANNOT_PROCESS = 1,  /* 20/1 */
	PCEP_ERRV_SYNC_PCC_CANNOT = 5,	    /* 20/5 */
	PCEP_ERRV_PST_UNSUPPORTED = 1,	    /* 21/1 */
	PCEP_ERRV_PST_MISMATCH = 2,	    /* 21/2 */
	PCEP_ERRV_SYMNAME_IN_USE = 1,	    /* 23/1 */
	PCEP_ERRV_INIT_UNACCEPTABLE = 1,    /* 24/1 */
	PCEP_ERRV_INIT_INTERNAL = 2,	    /* 24/2 */
	PCEP_ERRV_INIT_SIGNALING = 3,	    /* 24/3 */
};

/* CLOSE object reasons (RFC 5440 7.17). */
enum pcep_close_reason {
	PCEP_CLOSE_NONE = 0,
	PCEP_CLOSE_NO_EXPLANATION = 1,
	PCEP_CLOSE_DEADTIMER = 2,
	PCEP_CLOSE_MALFORMED = 3,
	PCEP_CLOSE_TOO_MANY_UNKNOWN_REQ = 4,
	PCEP_CLOSE_TOO_MANY_UNKNOWN_MSG = 5,
	PCEP_CLOSE_REASON_MAX
};

struct pcep_err_desc {
	uint8_t type;
	uint8_t value;
	bool close; /* the RFC says the sender terminates the session after it */
	const char *name;
	const char *ref; /* "RFC 8231 6.1" */
};

/* The catalogue entry for type/value, or NULL if we never send it. */
const struct pcep_err_desc *pcep_err_lookup(uint8_t type, uint8_t value);
/* All entries (for docs and tests); *n gets the count. */
const struct pcep_err_desc *pcep_err_table(unsigned *n);
/* "Mandatory Object missing: LSP object missing" or "unknown error N/M". */
const char *pcep_err_name(uint8_t type, uint8_t value);
const char *pcep_close_reason_name(uint8_t reason);

/* What a receiver should do about a message the decoder refused: send a
 * PCErr with type/value (type 0: no PCErr, e.g. framing is broken), and
 * close the session with close_reason unless it is PCEP_CLOSE_NONE. */
struct pcep_perr {
	uint8_t type;
	uint8_t value;
	uint8_t close_reason;
	bool has_srp; /* the offending request's SRP-ID (RFC 8231 6.3) */
	uint32_t srp_id;
	const char *why; /* static text for logs: which field was wrong */
};

/* Fills e for the catalogued type/value (the close rule comes from the
 * table) and returns -EBADMSG, so decoders can `return pcep_perr_set(...)`. */
int pcep_perr_set(struct pcep_perr *e, uint8_t type, uint8_t value, const char *why);
/* A message whose framing is broken: no PCErr, Close with reason 3. */
int pcep_perr_malformed(struct pcep_perr *e, const char *why);

#endif

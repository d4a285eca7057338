/* PCErr catalogue. One row per Error-Type/Error-value we send; the close
 * column is the RFC's "and MUST close the session" (all of type 1 but 1/4,
 * RFC 5440 6.2; 19/2 and 19/5, RFC 8231; 10/12 and 10/21, RFC 8664; 10/34,
 * RFC 9603). References name the section that defines the value. */
#include <errno.h>
#include <stddef.h>

#include "pcep/err.h"

static const struct pcep_err_desc pcep_errs[] = {
	{1, 1, true,
	 "Session establishment failure: reception of an invalid Open message or a non Open "
	 "message",
	 "RFC 5440 6.2, 7.15"},
	{1, 2, true,
	 "Session establishment failure: no Open message received before the expiration of the "
	 "OpenWait timer",
	 "RFC 5440 6.2, 7.15"},
	{1, 3, true,
	 "Session establishment failure: unacceptable and non-negotiable session characteristics",
	 "RFC 5440 6.2, 7.15"},
	{1, 4, false,
	 "Session establishment failure: unacceptable but negotiable session characteristics",
	 "RFC 5440 6.2, 7.15"},
	{1, 5, true,
	 "Session establishment failure: reception of a second Open message with still "
	 "unacceptable session characteristics",
	 "RFC 5440 6.2, 7.15"},
	{1, 6, true,
	 "Session establishment failure: reception of a PCErr message proposing unacceptable "
	 "session characteristics",
	 "RFC 5440 6.2, 7.15"},
	{1, 7, true,
	 "Session establishment failure: no Keepalive or PCErr message received before the "
	 "expiration of the KeepWait timer",
	 "RFC 5440 6.2, 7.15"},
	{1, 8, true, "Session establishment failure: PCEP version not supported", "RFC 5440 7.15"},
	{2, 0, false, "Capability not supported", "RFC 5440 7.15"},
	{3, 1, false, "Unknown Object: unrecognized object class", "RFC 5440 7.2, 7.15"},
	{3, 2, false, "Unknown Object: unrecognized object Type", "RFC 5440 7.2, 7.15"},
	{6, 8, false, "Mandatory Object missing: LSP object missing", "RFC 8231 8.5"},
	{6, 9, false, "Mandatory Object missing: ERO object missing", "RFC 8231 8.5"},
	{6, 10, false, "Mandatory Object missing: SRP object missing", "RFC 8231 8.5"},
	{10, 2, false, "Reception of an invalid object: bad label value", "RFC 8664 5.2.1"},
	{10, 3, false, "Reception of an invalid object: unsupported number of SR-ERO subobjects",
	 "RFC 8664 5.2.1"},
	{10, 5, false,
	 "Reception of an invalid object: ERO mixes SR-ERO subobjects with other subobject types",
	 "RFC 8664 5.2.1, RFC 9603 5"},
	{10, 6, false,
	 "Reception of an invalid object: both SID and NAI are absent in the SR-ERO subobject",
	 "RFC 8664 5.2.1, RFC 9603 5"},
	{10, 8, false, "Reception of an invalid object: SYMBOLIC-PATH-NAME TLV missing",
	 "RFC 8281 5"},
	{10, 11, false, "Reception of an invalid object: malformed object", "RFC 8408 4"},
	{10, 12, true, "Reception of an invalid object: missing PCE-SR-CAPABILITY sub-TLV",
	 "RFC 8664 5.1"},
	{10, 13, false,
	 "Reception of an invalid object: unsupported NAI Type in the SR-ERO/SR-RRO subobject",
	 "RFC 8664 5.2.1, RFC 9603 5"},
	{10, 21, true, "Reception of an invalid object: MSD must be nonzero", "RFC 8664 5.1"},
	{10, 34, true, "Reception of an invalid object: missing PCE-SRv6-CAPABILITY sub-TLV",
	 "RFC 9603 5"},
	{10, 37, false, "Reception of an invalid object: invalid SRv6 SID Structure", "RFC 9603 5"},
	{19, 1, false, "Invalid Operation: attempted LSP Update Request for a non-delegated LSP",
	 "RFC 8231 6.2, 8.5"},
	{19, 2, true,
	 "Invalid Operation: attempted LSP Update Request if the stateful PCE capability was not "
	 "advertised",
	 "RFC 8231 6.2, 8.5"},
	{19, 3, false,
	 "Invalid Operation: attempted LSP Update Request for an LSP identified by an unknown "
	 "PLSP-ID",
	 "RFC 8231 6.2, 8.5"},
	{19, 5, true,
	 "Invalid Operation: attempted LSP State Report if stateful PCE capability was not "
	 "advertised",
	 "RFC 8231 6.1, 8.5"},
	{19, 8, false, "Invalid Operation: non-zero PLSP-ID in LSP Initiate Request", "RFC 8281 5"},
	{19, 9, false, "Invalid Operation: LSP is not PCE initiated", "RFC 8281 5"},
	{20, 1, false,
	 "LSP State Synchronization Error: a PCE indicates to a PCC that it cannot process (an "
	 "otherwise valid) LSP State Report",
	 "RFC 8231 5.6, 8.5"},
	{20, 5, false,
	 "LSP State Synchronization Error: a PCC indicates to a PCE that it cannot complete the "
	 "State Synchronization",
	 "RFC 8231 5.6, 8.5"},
	{21, 1, false, "Invalid traffic engineering path setup type: unsupported path setup type",
	 "RFC 8408 4"},
	{21, 2, false, "Invalid traffic engineering path setup type: mismatched path setup type",
	 "RFC 8408 4"},
	{23, 1, false, "Bad parameter value: SYMBOLIC-PATH-NAME in use", "RFC 8281 5"},
	{24, 1, false, "LSP instantiation error: unacceptable instantiation parameters",
	 "RFC 8281 5"},
	{24, 2, false, "LSP instantiation error: internal error", "RFC 8281 5"},
	{24, 3, false, "LSP instantiation error: signaling error", "RFC 8281 5"},
};

#define PCEP_ERR_N (sizeof(pcep_errs) / sizeof(pcep_errs[0]))

const struct pcep_err_desc *pcep_err_lookup(uint8_t type, uint8_t value)
{
	for (size_t i = 0; i < PCEP_ERR_N; i++)
		if (pcep_errs[i].type == type && pcep_errs[i].value == value)
			return &pcep_errs[i];
	return NULL;
}

const struct pcep_err_desc *pcep_err_table(unsigned *n)
{
	*n = (unsigned)PCEP_ERR_N;
	return pcep_errs;
}

const char *pcep_err_name(uint8_t type, uint8_t value)
{
	const struct pcep_err_desc *d = pcep_err_lookup(type, value);

	return d ? d->name : "unknown error";
}

const char *pcep_close_reason_name(uint8_t reason)
{
	static const char *const names[PCEP_CLOSE_REASON_MAX] = {
		[PCEP_CLOSE_NONE] = "none",
		[PCEP_CLOSE_NO_EXPLANATION] = "no explanation provided",
		[PCEP_CLOSE_DEADTIMER] = "DeadTimer expired",
		[PCEP_CLOSE_MALFORMED] = "reception of a malformed PCEP message",
		[PCEP_CLOSE_TOO_MANY_UNKNOWN_REQ] = "too many unknown requests/replies",
		[PCEP_CLOSE_TOO_MANY_UNKNOWN_MSG] = "too many unrecognized PCEP messages",
	};

	return reason < PCEP_CLOSE_REASON_MAX ? names[reason] : "unknown reason";
}

int pcep_perr_set(struct pcep_perr *e, uint8_t type, uint8_t value, const char *why)
{
	const struct pcep_err_desc *d = pcep_err_lookup(type, value);

	e->type = type;
	e->value = value;
	e->close_reason = (d && d->close) ? PCEP_CLOSE_NO_EXPLANATION : PCEP_CLOSE_NONE;
	e->why = why;
	return -EBADMSG;
}

int pcep_perr_malformed(struct pcep_perr *e, const char *why)
{
	e->type = 0;
	e->value = 0;
	e->close_reason = PCEP_CLOSE_MALFORMED;
	e->why = why;
	return -EBADMSG;
}

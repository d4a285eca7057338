/* MPLS label stack walk (RFC 3032). */
#include <errno.h>

#include "pkt/cursor.h"
#include "pkt/mpls.h"

/* The stack does not say what it carries; like LSRs that hash on the
 * payload, look at the first nibble. A pseudowire without control word can
 * fool this (RFC 4928; RFC 9790 deprecates the heuristic for new designs). */
static uint8_t mpls_guess_payload(const uint8_t *p)
{
	if (!p)
		return MPLS_PAYLOAD_OTHER;
	switch (p[0] >> 4) {
	case 4:
		return MPLS_PAYLOAD_IPV4;
	case 6:
		return MPLS_PAYLOAD_IPV6;
	default:
		return MPLS_PAYLOAD_OTHER;
	}
}

int mpls_walk(const uint8_t *p, size_t len, struct mpls_info *out)
{
	struct cursor c;

	cursor_init(&c, p, len);
	for (int i = 0; i < MPLS_STACK_MAX; i++) {
		const uint8_t *e = cursor_pull(&c, MPLS_HLEN);

		if (!e)
			return -EBADMSG;
		if (mpls_s(mpls_load(e))) {
			out->depth = (uint8_t)(i + 1);
			out->payload_off = (uint16_t)cursor_off(&c);
			out->payload = mpls_guess_payload(cursor_peek(&c, 1));
			return 0;
		}
	}
	return -E2BIG;
}

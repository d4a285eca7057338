/* Steering: a classified packet gets its policy's encapsulation (SRv6
 * segment list, SR-MPLS label stack or NSH path); and the hand-off to the
 * functions that SIDs, labels and service paths point at. */
#include "dp/dp.h"

void dp_policy_apply(struct dp_ctx *c, struct pkt *p, uint32_t policy)
{
	const struct dp_policy *pol = &c->t->policy[policy];

	dp_stat(c, pol->stat, p->len);
	switch (pol->type) {
	case DP_POL_SRV6_ENCAPS:
	case DP_POL_SRV6_ENCAPS_RED:
		if (dp_srv6_encap(c, p, pol) == 0)
			dp_next(c, p, DPN_IP6);
		break;
	case DP_POL_MPLS:
		dp_mpls_push(c, p, pol);
		break;
	case DP_POL_NSH:
		if (dp_nsh_push(c, p, pol) == 0)
			dp_next(c, p, DPN_NSH);
		break;
	}
}

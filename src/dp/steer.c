/* Steering: a classified packet gets its policy's encapsulation (SRv6
 * segment list, SR-MPLS label stack or NSH path), the headend behaviour
 * that the policy's descriptor names. */
#include "dp/behaviour.h"
#include "dp/dp.h"

void dp_policy_apply(struct dp_ctx *c, struct pkt *p, uint32_t policy)
{
	const struct dp_policy *pol = &c->t->policy[policy];

	dp_stat(c, pol->stat, p->len);
	pol->desc->run.policy(c, pol, p);
}

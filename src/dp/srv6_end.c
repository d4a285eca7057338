/* SRv6 endpoint behaviours that advance the segment list (RFC 8986 4.1
 * End, 4.2 End.X, 4.13 End.B6.Encaps), with the SRH checks of RFC 8754
 * 4.3.1.1. */
#include <errno.h>

#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/srv6.h"

/* RFC 8986 4.1 S02-S16, shared by all three: Segments Left must be above 0
 * and at most Last Entry + 1; decrement it and copy the next segment into
 * the destination address. */
static int srv6_advance(struct dp_ctx *c, struct pkt *p, struct srv6_chain *h)
{
	struct srh_hdr *srh = h->srh;

	if (!srh) {
		dp_drop(c, p, DP_CTR_SRV6_NO_SRH);
		return -1;
	}
	if (srh->segments_left == 0) {
		dp_drop(c, p, DP_CTR_SRV6_SL_ZERO);
		return -1;
	}
	if (h->si.sl_overflow) {
		dp_drop(c, p, DP_CTR_SRV6_SL_INVALID);
		return -1;
	}
	srh->segments_left--;
	h->si.segments_left = srh->segments_left;
	h->ip6->dst = srh->segments[srh->segments_left];
	return 0;
}

int srv6_check_nexthop(const struct dp_behaviour_desc *d, const struct dp_tables *t,
		       const void *entry, struct err *err)
{
	const struct dp_sid *s = entry;

	if (s->nhg >= t->n_nhg)
		return err_set(err, EINVAL, "field '%s': %s needs a next hop",
			       dp_bparam_name(d->required & (DP_BP_NH4 | DP_BP_NH6)), d->name);
	return 0;
}

static void srv6_end(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p, struct srv6_chain *h)
{
	(void)s;
	if (srv6_advance(c, p, h) == 0)
		dp_next(c, p, DPN_IP6);
}

static void srv6_end_x(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
		       struct srv6_chain *h)
{
	if (srv6_advance(c, p, h))
		return;
	if (ipv6_dec_hop_limit(h->ip6)) {
		dp_drop(c, p, DP_CTR_IP6_HLIM_EXPIRED);
		return;
	}
	dp_forward_nhg(c, p, s->nhg);
}

static void srv6_end_b6_encaps(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			       struct srv6_chain *h)
{
	if (srv6_advance(c, p, h))
		return;
	if (srv6_encap_push(c, p, &c->t->policy[s->policy]))
		return;
	dp_next(c, p, DPN_IP6);
}

static int srv6_check_b6_policy(const struct dp_behaviour_desc *d, const struct dp_tables *t,
				const void *entry, struct err *err)
{
	(void)d;
	const struct dp_sid *s = entry;

	if (s->policy >= t->n_policy)
		return err_set(err, EINVAL, "field 'policy': End.B6.Encaps needs a policy");
	if (t->policy[s->policy].type != DP_POL_SRV6_ENCAPS &&
	    t->policy[s->policy].type != DP_POL_SRV6_ENCAPS_RED)
		return err_set(err, EINVAL, "field 'policy': '%s' is not an SRv6 policy",
			       t->policy[s->policy].name);
	return 0;
}

#define COMMON (DP_BP_FUNCTION | DP_BP_HMAC)
#define SRH_DROPS                                                                                  \
	DP_CTR_SRV6_SRH_MALFORMED, DP_CTR_SRV6_HMAC_FAIL, DP_CTR_SRV6_NO_SRH,                      \
		DP_CTR_SRV6_HMAC_MISSING, DP_CTR_SRV6_HMAC_KEY_UNKNOWN,                            \
		DP_CTR_SRV6_HMAC_DST_MISMATCH
#define SL_DROPS DP_CTR_SRV6_SL_ZERO, DP_CTR_SRV6_SL_INVALID
#define FN_DROPS DP_CTR_VNF_DROP

const struct dp_behaviour_desc dp_srv6_end_behaviours[] = {
	{
		.name = "End",
		.at = DP_AT_SID,
		.id = DP_B_END,
		.optional = COMMON,
		.help = "advance to the next segment, route by the FIB (RFC 8986 4.1)",
		.run.sid = srv6_end,
		.validate = srv6_validate_end,
		.drops = (const enum dp_ctr[]){SRH_DROPS, SL_DROPS, FN_DROPS,
					       DP_CTR_IP6_HLIM_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "End.X",
		.at = DP_AT_SID,
		.id = DP_B_END_X,
		.required = DP_BP_NH6,
		.optional = DP_BP_DEV | COMMON,
		.help = "advance, forward to an adjacency (4.2)",
		.check = srv6_check_nexthop,
		.run.sid = srv6_end_x,
		.validate = srv6_validate_end_x,
		.drops = (const enum dp_ctr[]){SRH_DROPS, SL_DROPS, FN_DROPS,
					       DP_CTR_IP6_HLIM_EXPIRED, DP_CTR_MAX},
	},
	{
		.name = "End.B6.Encaps",
		.at = DP_AT_SID,
		.id = DP_B_END_B6_ENCAPS,
		.required = DP_BP_POLICY,
		.optional = COMMON,
		.help = "advance, then push a new IPv6 header and SRH from a policy (4.13)",
		.check = srv6_check_b6_policy,
		.run.sid = srv6_end_b6_encaps,
		.validate = srv6_validate_advance,
		.drops = (const enum dp_ctr[]){SRH_DROPS, SL_DROPS, FN_DROPS, DP_CTR_MTU_EXCEEDED,
					       DP_CTR_NO_HEADROOM, DP_CTR_MAX},
	},
	{.name = NULL},
};

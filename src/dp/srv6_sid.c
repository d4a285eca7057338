/* The SID stage: packets whose destination matched a local SID. It parses
 * each packet's header chain once, checks the SRH HMAC where the SID asks
 * for it (RFC 8754 2.1.2.1), runs the SID's function, and calls the SID's
 * behaviour (dp/behaviour.h) with what it parsed. */
#include <stddef.h>
#include <string.h>

#include <nettle/memops.h>

#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/fn.h"
#include "dp/srv6.h"
#include "lib/hmac.h"

int srv6_chain_parse(struct pkt *p, struct srv6_chain *h)
{
	uint8_t *d = pkt_data(p);
	uint32_t off;

	h->ip6 = ipv6_hdr_at(d);
	h->walked = false;
	if (h->ip6->nexthdr == IPPROTO_ROUTING && p->len >= IPV6_HDR_LEN + SRH_FIXED_LEN &&
	    srh_hdr_at(d + IPV6_HDR_LEN)->routing_type == SRH_ROUTING_TYPE) {
		off = IPV6_HDR_LEN;
	} else {
		if (ipv6_walk(d, p->len, &h->ii) < 0)
			return -1;
		h->walked = true;
		if (!h->ii.srh_off) {
			h->srh = NULL;
			return 0;
		}
		off = h->ii.srh_off;
	}
	if (srh_parse(d + off, p->len - off, &h->si) < 0)
		return -1;
	h->srh = srh_hdr_at(d + off);
	return 0;
}

int srv6_chain_walk(const struct pkt *p, struct srv6_chain *h)
{
	if (!h->walked && ipv6_walk(pkt_data(p), p->len, &h->ii) < 0)
		return -1;
	h->walked = true;
	return 0;
}

/* RFC 8754 2.1.2.1: a SID that requires an HMAC accepts a packet only when
 * its SRH has an HMAC TLV with our key ID, the destination is the active
 * segment unless the D flag says otherwise, and the HMAC is right. */
static bool srv6_hmac_ok(const struct dp_tables *t, const struct srv6_chain *h)
{
	const struct srh_info *si = &h->si;
	const struct in6_addr *active, *src;
	const uint8_t *field;
	uint8_t mac[SRH_HMAC_LEN];
	uint32_t key_id;

	if (!h->srh || !t->srv6_hmac_set || !si->hmac_off)
		return false;
	key_id = srh_hmac_key_id(si);
	if (key_id != t->srv6_hmac_key_id)
		return false;
	if (!srh_hmac_d_flag(si) &&
	    (!(active = srh_active_segment(si)) || memcmp(&h->ip6->dst, active, sizeof(*active))))
		return false;
	field = srh_hmac_field(si);
	/* byte arithmetic: the packed header promises no alignment */
	src = (const void *)((const uint8_t *)h->ip6 + offsetof(struct ipv6_hdr, src));
	if (!field || srh_hmac_compute_k(&t->srv6_hmac, src, (const uint8_t *)h->srh, si->hdr_len,
					 key_id, mac))
		return false;
	return memeql_sec(mac, field, SRH_HMAC_LEN); /* constant time */
}

/* Parses p, checks its HMAC if asked: 0, or -1 after dropping it. */
static int srv6_sid_admit(struct dp_ctx *c, struct pkt *p, bool hmac, struct srv6_chain *h)
{
	if (srv6_chain_parse(p, h)) {
		dp_drop(c, p, DP_CTR_SRV6_SRH_MALFORMED);
		return -1;
	}
	if (hmac && !srv6_hmac_ok(c->t, h)) {
		dp_drop(c, p, DP_CTR_SRV6_HMAC_FAIL);
		return -1;
	}
	return 0;
}

/* Consecutive packets for the same SID are handled as one group. Without
 * a function each packet is parsed once, for the HMAC check and the
 * behaviour both. A function runs over the group between the HMAC check
 * and the behaviour and may rewrite the packets, so the behaviour then
 * parses them afresh. */
void dp_stage_sid(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;
	uint32_t i = 0;

	while (i < n) {
		uint32_t ref = pkts[i]->ref, j = i + 1, m;
		const struct dp_sid *s = &t->sid[ref];
		struct srv6_chain h;

		while (j < n && pkts[j]->ref == ref)
			j++;
		dp_stat_n(c, s->stat, pkts + i, j - i);
		if (s->vnf == DP_NONE) {
			for (uint32_t k = i; k < j; k++)
				if (srv6_sid_admit(c, pkts[k], s->hmac, &h) == 0)
					s->desc->run.sid(c, s, pkts[k], &h);
			i = j;
			continue;
		}
		m = 0;
		for (uint32_t k = i; k < j; k++)
			if (!s->hmac || srv6_sid_admit(c, pkts[k], true, &h) == 0)
				pkts[i + m++] = pkts[k];
		m = dp_fn_run(c, s->vnf, pkts + i, m);
		for (uint32_t k = i; k < i + m; k++)
			if (srv6_sid_admit(c, pkts[k], false, &h) == 0)
				s->desc->run.sid(c, s, pkts[k], &h);
		i = j;
	}
}

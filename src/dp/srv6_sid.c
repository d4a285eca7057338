/* The SID stage: packets whose destination matched a local SID. It parses
 * each packet's header chain once, checks the SRH HMAC under the SID's
 * mode (RFC 8754 2.1.2.1) and the behaviour's own preconditions, then runs
 * the SID's function, and calls the SID's behaviour (dp/behaviour.h) with
 * what it parsed. */
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

static const struct hmac_sha256_key *srv6_hmac_key(const struct dp_tables *t, uint32_t id)
{
	for (uint32_t i = 0; i < t->n_hmac_key; i++)
		if (t->hmac_key[i].id == id)
			return &t->hmac_key[i].key;
	if (t->srv6_hmac_set && t->srv6_hmac_key_id == id)
		return &t->srv6_hmac;
	return NULL;
}

enum dp_hmac_mode srv6_hmac_mode(const struct dp_tables *t, const struct dp_sid *s,
				 const struct pkt *p)
{
	if (s->hmac != DP_HMAC_INHERIT)
		return s->hmac;
	if (p->in_if < t->n_if && t->ifs[p->in_if].hmac != DP_HMAC_INHERIT)
		return t->ifs[p->in_if].hmac;
	return t->srv6_hmac_mode != DP_HMAC_INHERIT ? t->srv6_hmac_mode : DP_HMAC_VERIFY;
}

/* RFC 8754 2.1.2.1 under the SID's mode: `require` accepts a packet only
 * with an HMAC TLV; `verify` (Linux's default) checks one when present;
 * `ignore` never looks. A present TLV must carry a known key ID, the
 * destination must be the active segment unless the D flag is set, and the
 * digest (over source address, Last Entry, Flags as received, key ID and
 * segments) must be right. The H flag (0x08) is neither needed nor
 * refused: it is in the digest like any flag. DP_CTR_MAX when admitted. */
enum dp_ctr srv6_hmac_check(const struct dp_tables *t, enum dp_hmac_mode mode,
			    const struct srv6_chain *h)
{
	const struct srh_info *si = &h->si;
	const struct hmac_sha256_key *key;
	const struct in6_addr *active, *src;
	const uint8_t *field;
	uint8_t mac[SRH_HMAC_LEN];
	uint32_t key_id;

	if (mode == DP_HMAC_IGNORE)
		return DP_CTR_MAX;
	if (!h->srh || !si->hmac_off)
		return mode == DP_HMAC_REQUIRE ? DP_CTR_SRV6_HMAC_MISSING : DP_CTR_MAX;
	key_id = srh_hmac_key_id(si);
	if (!(key = srv6_hmac_key(t, key_id)))
		return DP_CTR_SRV6_HMAC_KEY_UNKNOWN;
	if (!srh_hmac_d_flag(si) &&
	    (!(active = srh_active_segment(si)) || memcmp(&h->ip6->dst, active, sizeof(*active))))
		return DP_CTR_SRV6_HMAC_DST_MISMATCH;
	field = srh_hmac_field(si);
	/* byte arithmetic: the packed header promises no alignment */
	src = (const void *)((const uint8_t *)h->ip6 + offsetof(struct ipv6_hdr, src));
	if (!field ||
	    srh_hmac_compute_k(key, src, (const uint8_t *)h->srh, si->hdr_len, key_id, mac) ||
	    !memeql_sec(mac, field, SRH_HMAC_LEN)) /* constant time */
		return DP_CTR_SRV6_HMAC_FAIL;
	return DP_CTR_MAX;
}

/* The checks every SID behaviour that advances the segment list makes
 * (RFC 8986 4.1 S02-S04, RFC 8754 4.3.1.1), before anything acts. */
enum dp_ctr srv6_validate_advance(const struct dp_tables *t, const struct dp_sid *s,
				  const struct srv6_chain *h)
{
	(void)t;
	(void)s;
	if (!h->srh)
		return DP_CTR_SRV6_NO_SRH;
	if (h->srh->segments_left == 0)
		return DP_CTR_SRV6_SL_ZERO;
	if (h->si.sl_overflow)
		return DP_CTR_SRV6_SL_INVALID;
	return DP_CTR_MAX;
}

/* End: also the hop limit of a packet the next segment sends off the node
 * (one for a local SID or address stays here and is not decremented). */
enum dp_ctr srv6_validate_end(const struct dp_tables *t, const struct dp_sid *s,
			      const struct srv6_chain *h)
{
	enum dp_ctr why = srv6_validate_advance(t, s, h);
	struct in6_addr next;
	uint32_t v;

	if (why != DP_CTR_MAX || h->ip6->hop_limit > 1)
		return why;
	next = h->srh->segments[h->srh->segments_left - 1];
	if ((t->n_sid && lpm_lookup(&t->sids, &next) != LPM_MISS) ||
	    (t->local6.count && !xhash_get(&t->local6, &next, &v)))
		return DP_CTR_MAX;
	return DP_CTR_IP6_HLIM_EXPIRED;
}

/* End.X: forwards to its adjacency whatever the next segment is. */
enum dp_ctr srv6_validate_end_x(const struct dp_tables *t, const struct dp_sid *s,
				const struct srv6_chain *h)
{
	enum dp_ctr why = srv6_validate_advance(t, s, h);

	if (why == DP_CTR_MAX && h->ip6->hop_limit <= 1)
		return DP_CTR_IP6_HLIM_EXPIRED;
	return why;
}

/* Decapsulating SIDs: an SRH, if any, must be at its last segment. */
enum dp_ctr srv6_validate_decap(const struct dp_tables *t, const struct dp_sid *s,
				const struct srv6_chain *h)
{
	(void)t;
	(void)s;
	if (h->srh && h->srh->segments_left != 0)
		return DP_CTR_SRV6_SL_NONZERO;
	return DP_CTR_MAX;
}

/* Parses p and runs the checks that come before any function or
 * behaviour sees it: SRH well-formed, HMAC under the SID's mode, then the
 * behaviour's own validation (SL, hop limit). 0, or -1 after dropping it,
 * so that firewalls, mirrors and counters never see a packet the
 * behaviour would refuse. */
static int srv6_sid_admit(struct dp_ctx *c, const struct dp_sid *s, struct pkt *p,
			  struct srv6_chain *h)
{
	enum dp_ctr why;

	if (srv6_chain_parse(p, h)) {
		dp_drop(c, p, DP_CTR_SRV6_SRH_MALFORMED);
		return -1;
	}
	why = srv6_hmac_check(c->t, srv6_hmac_mode(c->t, s, p), h);
	if (why == DP_CTR_MAX && s->desc->validate)
		why = s->desc->validate(c->t, s, h);
	if (why != DP_CTR_MAX) {
		dp_drop(c, p, why);
		return -1;
	}
	return 0;
}

/* Consecutive packets for the same SID are handled as one group. Without
 * a function each packet is parsed once, for the checks and the behaviour
 * both. A function runs over the group between the checks and the
 * behaviour and may rewrite the packets, so the behaviour then parses
 * them afresh (and a rewritten SRH is checked again, HMAC aside). */
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
				if (srv6_sid_admit(c, s, pkts[k], &h) == 0)
					s->desc->run.sid(c, s, pkts[k], &h);
			i = j;
			continue;
		}
		m = 0;
		for (uint32_t k = i; k < j; k++)
			if (srv6_sid_admit(c, s, pkts[k], &h) == 0)
				pkts[i + m++] = pkts[k];
		m = dp_fn_run(c, s->vnf, pkts + i, m);
		for (uint32_t k = i; k < i + m; k++) {
			if (srv6_chain_parse(pkts[k], &h)) {
				dp_drop(c, pkts[k], DP_CTR_SRV6_SRH_MALFORMED);
				continue;
			}
			s->desc->run.sid(c, s, pkts[k], &h);
		}
		i = j;
	}
}

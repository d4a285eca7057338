/* Ingress classifier: packets arriving on a classifying interface are
 * matched against ordered rules (first match wins) and steered into a
 * policy, forwarded untouched, or dropped.
 *
 * Tuple-space search: rules are grouped by the shape of what they match
 * (which fields, which prefix lengths); each shape is one exact-match hash
 * of masked keys, so a full 5-tuple rule is one probe and a handful of
 * shapes cover most rule sets. Rules with port ranges cannot be hashed and
 * are scanned, only up to the best hit so far. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dp/dp.h"
#include "dp/match.h"

static int rule_has_range(const struct dp_match *m)
{
	return m->sport_lo != m->sport_hi || m->dport_lo != m->dport_hi;
}

static void mask_prefix(uint8_t *a, int len)
{
	int full = len / 8, rem = len % 8;

	if (rem) {
		a[full] &= (uint8_t)(0xff << (8 - rem));
		full++;
	}
	memset(a + full, 0, (size_t)(16 - full));
}

static void shape_mask(const struct dp_shape *s, const struct dp_cls_key *k, struct dp_cls_key *o)
{
	memset(o, 0, sizeof(*o));
	o->in_if = s->in_if ? k->in_if : 0;
	o->family = s->family ? k->family : 0;
	o->proto = s->proto ? k->proto : 0;
	o->sport = s->sport ? k->sport : 0;
	o->dport = s->dport ? k->dport : 0;
	if (s->src_len) {
		memcpy(o->src, k->src, 16);
		mask_prefix(o->src, s->src_len);
	}
	if (s->dst_len) {
		memcpy(o->dst, k->dst, 16);
		mask_prefix(o->dst, s->dst_len);
	}
}

static void shape_of(const struct dp_match *m, struct dp_shape *s)
{
	memset(s, 0, sizeof(*s));
	s->in_if = m->in_if != DP_NONE;
	s->family = m->family != 0;
	s->proto = m->proto != 0;
	s->sport = m->sport_hi != 0;
	s->dport = m->dport_hi != 0;
	s->src_len = m->src_len;
	s->dst_len = m->dst_len;
}

static int shape_eq(const struct dp_shape *a, const struct dp_shape *b)
{
	return a->in_if == b->in_if && a->family == b->family && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport && a->src_len == b->src_len &&
	       a->dst_len == b->dst_len && a->inner == b->inner;
}

int dp_classifier_build(struct dp_tables *t, struct err *err)
{
	dp_classifier_free(t);
	t->cls_any_inner = 0;
	for (uint32_t r = 0; r < t->n_rule; r++)
		t->cls_any_inner |= t->rule[r].m.inner;
	t->shape = calloc(t->n_rule ? t->n_rule : 1, sizeof(*t->shape));
	t->range = calloc(t->n_rule ? t->n_rule : 1, sizeof(*t->range));
	if (!t->shape || !t->range)
		return err_set(err, ENOMEM, "out of memory building the classifier");
	for (uint32_t r = 0; r < t->n_rule; r++) {
		const struct dp_match *m = &t->rule[r].m;
		struct dp_cls_key k, mk;
		struct dp_shape s;
		uint32_t si, old;

		if (rule_has_range(m)) {
			t->range[t->n_range++] = r;
			continue;
		}
		shape_of(m, &s);
		s.inner = m->inner;
		for (si = 0; si < t->n_shape && !shape_eq(&t->shape[si], &s); si++)
			;
		if (si == t->n_shape) {
			t->shape[si] = s;
			if (xhash_init(&t->shape[si].h, sizeof(struct dp_cls_key), 16))
				return err_set(err, ENOMEM,
					       "out of memory building the classifier");
			t->n_shape++;
		}
		memset(&k, 0, sizeof(k));
		k.in_if = m->in_if;
		k.family = m->family;
		k.proto = m->proto;
		k.sport = m->sport_lo;
		k.dport = m->dport_lo;
		memcpy(k.src, m->src, 16);
		memcpy(k.dst, m->dst, 16);
		shape_mask(&t->shape[si], &k, &mk);
		/* an earlier identical rule shadows a later one */
		if (xhash_get(&t->shape[si].h, &mk, &old) == 0)
			continue;
		if (xhash_put(&t->shape[si].h, &mk, r))
			return err_set(err, ENOMEM, "out of memory building the classifier");
	}
	return 0;
}

void dp_classifier_free(struct dp_tables *t)
{
	for (uint32_t i = 0; t->shape && i < t->n_shape; i++)
		xhash_free(&t->shape[i].h);
	free(t->shape);
	free(t->range);
	t->shape = NULL;
	t->range = NULL;
	t->n_shape = t->n_range = 0;
}

/* Index of the first rule matching, or DP_NONE: k[0] is the packet as
 * received, k[1] its innermost packet (for rules with 'inner'). */
static uint32_t classify_key(const struct dp_tables *t, const struct dp_cls_key k2[2],
			     bool inner_ok)
{
	uint32_t best = DP_NONE;

	for (uint32_t s = 0; s < t->n_shape; s++) {
		struct dp_cls_key mk;
		uint32_t r;

		if (t->shape[s].inner && !inner_ok)
			continue;
		shape_mask(&t->shape[s], &k2[t->shape[s].inner], &mk);
		if (xhash_get(&t->shape[s].h, &mk, &r) == 0 && r < best)
			best = r;
	}
	for (uint32_t i = 0; i < t->n_range && t->range[i] < best; i++) {
		const struct dp_match *m = &t->rule[t->range[i]].m;

		if ((!m->inner || inner_ok) && dp_match_test(m, &k2[m->inner])) {
			best = t->range[i];
			break;
		}
	}
	return best;
}

static void classify_action(struct dp_ctx *c, struct pkt *p, uint8_t action, uint32_t policy,
			    enum dp_ctr why)
{
	switch (action) {
	case DP_ACT_STEER:
		dp_policy_apply(c, p, policy);
		break;
	case DP_ACT_FORWARD:
		/* the IP stage has done the local checks already */
		dp_route_ip(c, p);
		break;
	default:
		dp_drop(c, p, why);
		break;
	}
}

void dp_stage_classify(struct dp_ctx *c, struct pkt **pkts, uint32_t n)
{
	const struct dp_tables *t = c->t;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		struct dp_cls_key k[2];
		uint32_t r = DP_NONE;

		p->flags |= PKT_F_CLASSIFIED;
		/* the IP stage counted a pass for the lookup it deferred */
		p->passes--;
		/* an unparsable inner packet matches no 'inner' rule */
		bool inner_ok = t->cls_any_inner && dp_cls_key_from_pkt(p, &k[1]) == 0;

		if (dp_cls_key_outer(p, &k[0]) == 0)
			r = classify_key(t, k, inner_ok);
		if (r == DP_NONE) {
			classify_action(c, p, t->default_action, DP_NONE,
					DP_CTR_CLASSIFY_DEFAULT_DROP);
			continue;
		}
		dp_stat(c, t->rule[r].stat, p->len);
		classify_action(c, p, t->rule[r].action, t->rule[r].policy, DP_CTR_CLASSIFY_DROP);
	}
}

/* libFuzzer target for the node configuration (conf/conf.c). Any text either
 * fails with a message that names the file and line, or applies; either way
 * the table set finishes, every cross-reference in it points inside the
 * table it names, and it is freed without leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/behaviour.h"
#include "dp/tables.h"
#include "vnf/vnf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define FNAME "fuzz.conf"

static void check_nhg(const struct dp_tables *t, uint32_t g, int may_be_none)
{
	if (g == DP_NONE) {
		FUZZ_CHECK(may_be_none);
		return;
	}
	FUZZ_CHECK(g < t->n_nhg);
	FUZZ_CHECK(t->nhg[g].n >= 1);
	FUZZ_CHECK(t->nhg[g].first + t->nhg[g].n <= t->n_buckets);
}

/* Every index a table holds points inside the table it names. */
static void check_tables(const struct dp_tables *t)
{
	FUZZ_CHECK(t->n_if <= DP_IF_MAX);
	FUZZ_CHECK(t->n_fib >= 1 && t->n_fib <= DP_FIB_MAX);
	FUZZ_CHECK(t->stats != NULL && t->n_stat >= 1);
	for (uint32_t i = 0; i < t->n_if; i++) {
		FUZZ_CHECK(t->ifs[i].name[0] && memchr(t->ifs[i].name, 0, sizeof(t->ifs[i].name)));
		FUZZ_CHECK(t->ifs[i].mtu >= 68 && t->ifs[i].mtu <= 65535);
		FUZZ_CHECK(t->ifs[i].stat < t->n_stat && t->ifs[i].stat_tx < t->n_stat);
	}
	for (uint32_t i = 0; i < t->n_nh; i++)
		FUZZ_CHECK(t->nh[i].oif < t->n_if);
	for (uint32_t i = 0; i < t->n_nhg; i++)
		check_nhg(t, i, 0);
	for (uint32_t i = 0; i < t->n_buckets; i++)
		FUZZ_CHECK(t->buckets[i] < t->n_nh);
	for (uint32_t i = 0; i < t->n_sid; i++) {
		const struct dp_sid *s = &t->sid[i];

		FUZZ_CHECK(s->behaviour < DP_B_MAX);
		FUZZ_CHECK(s->sid_len <= 128);
		FUZZ_CHECK(s->vnf == DP_NONE || s->vnf < t->n_vnf);
		FUZZ_CHECK(s->stat < t->n_stat);
		FUZZ_CHECK(s->fib < t->n_fib);
		FUZZ_CHECK(!s->hmac || t->srv6_hmac_set);
		check_nhg(t, s->nhg, 1);
		if (s->behaviour == DP_B_END_X || s->behaviour == DP_B_END_DX4 ||
		    s->behaviour == DP_B_END_DX6)
			FUZZ_CHECK(s->nhg != DP_NONE);
		if (s->behaviour == DP_B_END_B6_ENCAPS) {
			FUZZ_CHECK(s->policy < t->n_policy);
			FUZZ_CHECK(t->policy[s->policy].type == DP_POL_SRV6_ENCAPS ||
				   t->policy[s->policy].type == DP_POL_SRV6_ENCAPS_RED);
		} else {
			FUZZ_CHECK(s->policy == DP_NONE);
		}
		/* the SID table finds the entry again by its own prefix */
		FUZZ_CHECK(lpm_get(&t->sids, &s->sid, s->sid_len) == i);
	}
	for (uint32_t i = 0; i < t->n_lfib; i++) {
		const struct dp_lfib *e = &t->lfib[i];

		FUZZ_CHECK(e->op < DP_LFIB_OP_MAX);
		FUZZ_CHECK(e->in_label >= 16 && e->in_label < (1u << 20));
		FUZZ_CHECK(t->lfib_idx[e->in_label] == i + 1);
		FUZZ_CHECK(e->vnf == DP_NONE || e->vnf < t->n_vnf);
		FUZZ_CHECK(e->stat < t->n_stat);
		check_nhg(t, e->nhg, e->op == DP_LFIB_POP);
		if (e->op == DP_LFIB_SWAP)
			FUZZ_CHECK(e->out_label < (1u << 20));
	}
	for (uint32_t i = 0; i < t->n_policy; i++) {
		const struct dp_policy *p = &t->policy[i];

		FUZZ_CHECK(p->type < DP_POL_MAX);
		FUZZ_CHECK(memchr(p->name, 0, sizeof(p->name)) && p->name[0]);
		FUZZ_CHECK(p->stat < t->n_stat);
		if (p->type == DP_POL_SRV6_ENCAPS || p->type == DP_POL_SRV6_ENCAPS_RED) {
			FUZZ_CHECK(p->n >= 1 && p->n <= DP_SEGS_MAX);
			FUZZ_CHECK(p->srh_len <= sizeof(p->srh));
			FUZZ_CHECK(p->srh_len || (p->type == DP_POL_SRV6_ENCAPS_RED && p->n == 1));
		} else if (p->type == DP_POL_MPLS) {
			FUZZ_CHECK(p->n >= 1 && p->n <= DP_LABELS_MAX);
			for (uint32_t k = 0; k < p->n; k++)
				FUZZ_CHECK(p->labels[k] >= 16 && p->labels[k] < (1u << 20));
		} else {
			FUZZ_CHECK(p->nsh_spi <= 0xffffff && p->nsh_si >= 1);
			FUZZ_CHECK(p->nsh_md_type == 1 || p->nsh_md_type == 2);
		}
	}
	for (uint32_t i = 0; i < t->n_rule; i++) {
		const struct dp_rule *r = &t->rule[i];

		FUZZ_CHECK(r->action == DP_ACT_STEER || r->action == DP_ACT_FORWARD ||
			   r->action == DP_ACT_DROP);
		FUZZ_CHECK(r->action != DP_ACT_STEER || r->policy < t->n_policy);
		FUZZ_CHECK(r->stat < t->n_stat);
		FUZZ_CHECK(r->m.in_if == DP_NONE || r->m.in_if < t->n_if);
		FUZZ_CHECK(r->m.src_len <= (r->m.family == 4 ? 32 : 128));
		FUZZ_CHECK(r->m.dst_len <= (r->m.family == 4 ? 32 : 128));
		FUZZ_CHECK(r->m.sport_lo <= r->m.sport_hi && r->m.dport_lo <= r->m.dport_hi);
		FUZZ_CHECK(r->line >= 1);
	}
	FUZZ_CHECK(t->n_shape + t->n_range <= (t->n_rule ? t->n_rule : 1));
	for (uint32_t i = 1; i < t->n_range; i++)
		FUZZ_CHECK(t->range[i - 1] < t->range[i]);
	for (uint32_t i = 0; i < t->n_sff; i++) {
		const struct dp_sff *f = &t->sff[i];

		FUZZ_CHECK(f->action < DP_SFF_MAX);
		FUZZ_CHECK(f->stat < t->n_stat);
		FUZZ_CHECK(f->vnf == DP_NONE || f->vnf < t->n_vnf);
		FUZZ_CHECK(f->action != DP_SFF_FUNCTION || f->vnf != DP_NONE);
		check_nhg(t, f->nhg, f->action != DP_SFF_FWD_ETH);
		if (f->action == DP_SFF_FWD_VXLAN)
			FUZZ_CHECK(f->remote_family == 4 || f->remote_family == 6);
	}
	for (uint32_t i = 0; i < t->n_vnf; i++) {
		FUZZ_CHECK(t->vnf[i] && t->vnf[i]->ops && t->vnf[i]->name[0]);
		FUZZ_CHECK(vnf_find(t, t->vnf[i]->name) == (int)i);
		FUZZ_CHECK(t->vnf[i]->stat < t->n_stat);
	}
	for (uint32_t i = 0; i < t->n_stat; i++)
		FUZZ_CHECK(memchr(t->stat_name[i], 0, sizeof(t->stat_name[0])));
}

/* "fuzz.conf:LINE: ..." with LINE >= 1. */
static void check_err(const struct err *err)
{
	const char *p = err->msg;
	long line;
	char *end;

	FUZZ_CHECK(memchr(p, 0, sizeof(err->msg)));
	FUZZ_CHECK(!strncmp(p, FNAME ":", sizeof(FNAME)));
	line = strtol(p + sizeof(FNAME), &end, 10);
	FUZZ_CHECK(line >= 1 && end[0] == ':' && end[1] == ' ' && end[2]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_tables *t = dp_tables_new(1);
	struct err err;
	int rc;

	FUZZ_CHECK(t != NULL);
	memset(&err, 0, sizeof(err));
	/* "#live" (a comment) first: two interfaces come from the kernel, as
	 * in live mode, and the text can only mark or resize them */
	if (size >= 5 && !memcmp(data, "#live", 5)) {
		static const uint8_t mac[6] = {2, 0, 0, 0, 0, 0x42};

		FUZZ_CHECK(dp_if_add(t, "k0", mac, 1500, 2, NULL) == 0);
		FUZZ_CHECK(dp_if_add(t, "k1", mac, 9000, 3, NULL) == 1);
	}
	rc = conf_apply(t, (const char *)data, size, FNAME, &err);
	if (rc) {
		FUZZ_CHECK(rc < 0);
		check_err(&err);
	}
	/* conf_load stops at a failed apply; a set left by one is still
	 * whole (every builder adds all of an entry or none of it), so it
	 * finishes and passes the same checks. */
	FUZZ_CHECK(dp_tables_finish(t, &err) == 0);
	check_tables(t);
	dp_tables_free(t);
	return 0;
}

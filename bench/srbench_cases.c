/* The srbench cases: the families' tables in running order, selection by
 * the options, and what every case shares (the node's configuration, the
 * flow it starts from). */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "srbench.h"
#include "dp/tables.h"

static const struct family *const families[] = {&cases_ip, &cases_srv6, &cases_mpls, &cases_nsh};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

/* Flows in the ring: the exact-match classifier has one flow per rule. */
uint32_t case_flows(const struct bcase *c)
{
	return c->s->kind == K_CLS_EXACT && bench_opt.rules < bench_opt.flows ? bench_opt.rules
									      : bench_opt.flows;
}

void case_conf(struct sbuf *b, const struct bcase *c)
{
	node_conf(b, c->s->classify);
	if (!c->s->classify)
		return;
	c->fam->conf(b, c);
	sb_printf(b, "classify default drop\n");
}

void case_build(const struct bcase *c, uint32_t i, struct pb *in, struct expect *ex)
{
	struct flow f;

	node_flow(i, &f);
	ex->ifmask = IFM_ECMP;
	c->fam->build(c, &f, in, ex);
}

uint32_t case_stat(const struct bcase *c, const struct dp_tables *t, uint32_t i)
{
	return c->fam->stat ? c->fam->stat(c, t, i) : DP_NONE;
}

void cases_list(void)
{
	const char *last = "";

	for (size_t f = 0; f < N_FAMILIES; f++)
		for (size_t i = 0; i < families[f]->n_specs; i++) {
			const struct spec *s = &families[f]->specs[i];

			if (strcmp(s->name, last))
				printf("%-14s %s\n", s->name, s->what);
			last = s->name;
		}
}

static int pattern_match(const char *pat, const char *name)
{
	if (strpbrk(pat, "*?["))
		return fnmatch(pat, name, 0) == 0;
	return strstr(name, pat) != NULL;
}

/* Comma-separated patterns. A plain word selects the case of that exact
 * name if there is one (so "end" is End alone), else every name holding
 * it; a glob (end*) matches names. */
static int selected(const char *name)
{
	char buf[256], *save = NULL;

	if (!bench_opt.filter)
		return 1;
	snprintf(buf, sizeof(buf), "%s", bench_opt.filter);
	for (char *pat = strtok_r(buf, ",", &save); pat; pat = strtok_r(NULL, ",", &save)) {
		int exact_exists = 0;

		if (!strpbrk(pat, "*?["))
			for (size_t f = 0; f < N_FAMILIES; f++)
				for (size_t i = 0; i < families[f]->n_specs; i++)
					if (!strcmp(families[f]->specs[i].name, pat))
						exact_exists = 1;
		if (exact_exists ? !strcmp(pat, name) : pattern_match(pat, name))
			return 1;
	}
	return 0;
}

/* The cases of spec s (of family fam) the options select, appended to cs. */
static uint32_t spec_cases(const struct family *fam, const struct spec *s, struct bcase *cs,
			   uint32_t n)
{
	static const uint16_t sizes[2] = {64, 512};

	for (int k = 0; k < 3 && (k == 0 || s->segs[k]); k++) {
		if ((bench_opt.segs && s->segs[k] && s->segs[k] != bench_opt.segs) ||
		    (bench_opt.family && bench_opt.family != (s->v4 ? 4 : 6)))
			continue;
		for (int z = 0; z < 2; z++) {
			if (!(bench_opt.sizes & (1 << z)) || n == CASES_MAX)
				continue;
			cs[n++] = (struct bcase){s, fam, s->segs[k], sizes[z], 0};
		}
		/* one behaviour also at the largest burst */
		if (s->kind == K_END && s->segs[k] == 3 && (bench_opt.sizes & 1) &&
		    !bench_opt.single_burst && bench_opt.burst != DP_BURST_MAX && n < CASES_MAX)
			cs[n++] = (struct bcase){s, fam, 3, 64, DP_BURST_MAX};
	}
	return n;
}

uint32_t cases_make(struct bcase *cs)
{
	uint32_t n = 0;

	for (size_t f = 0; f < N_FAMILIES; f++)
		for (size_t i = 0; i < families[f]->n_specs; i++)
			if (selected(families[f]->specs[i].name))
				n = spec_cases(families[f], &families[f]->specs[i], cs, n);
	return n;
}

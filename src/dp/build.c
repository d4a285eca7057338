/* Building a table set. Runs on the control path only; every function
 * either adds what it was asked to or leaves an error, and the caller
 * throws the whole set away on error, so nothing is half-applied. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp/behaviour.h"
#include "dp/fn.h"
#include "dp/tables.h"
#include "lib/addr.h"

#define NHG_BUCKETS_MAX 1024u
#define LABEL_SPACE	(1u << 20)

/* Makes room for element n of a growable array (doubling). */
static int grow(void *arrp, uint32_t n, size_t elem)
{
	void **arr = arrp;
	void *nv;

	if (n & (n - 1) && n > 8)
		return 0;
	nv = realloc(*arr, (n < 8 ? 8 : (size_t)n * 2) * elem);
	if (!nv)
		return -ENOMEM;
	*arr = nv;
	return 0;
}

struct dp_tables *dp_tables_new(uint32_t n_workers)
{
	struct dp_tables *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->n_workers = n_workers ? n_workers : 1;
	t->default_action = DP_ACT_FORWARD;
	t->lfib_idx = calloc(LABEL_SPACE, sizeof(*t->lfib_idx));
	if (!t->lfib_idx || lpm_init(&t->sids, 16) || xhash_init(&t->local4, 4, 8) ||
	    xhash_init(&t->local6, 16, 8) || xhash_init(&t->neigh4, 20, 16) ||
	    xhash_init(&t->neigh6, 20, 16) || xhash_init(&t->sff_map, 4, 16) ||
	    dp_fib_index(t, DP_TABLE_MAIN, 1) != 0) {
		dp_tables_free(t);
		return NULL;
	}
	return t;
}

void dp_tables_free(struct dp_tables *t)
{
	if (!t)
		return;
	dp_fn_free_all(t);
	dp_classifier_free(t);
	for (uint32_t i = 0; i < t->n_fib; i++) {
		lpm_free(&t->fib4[i]);
		lpm_free(&t->fib6[i]);
	}
	lpm_free(&t->sids);
	xhash_free(&t->local4);
	xhash_free(&t->local6);
	xhash_free(&t->neigh4);
	xhash_free(&t->neigh6);
	xhash_free(&t->sff_map);
	free(t->lfib_idx);
	free(t->nh);
	free(t->nhg);
	free(t->buckets);
	free(t->sid);
	free(t->lfib);
	free(t->policy);
	free(t->rule);
	free(t->sff);
	free(t->stat_name);
	free(t->stats);
	free(t);
}

uint32_t dp_stat_add(struct dp_tables *t, const char *fmt, ...)
{
	va_list ap;

	if (grow(&t->stat_name, t->n_stat, sizeof(*t->stat_name)))
		return 0; /* slot 0 is shared: counts go somewhere, never out of bounds */
	va_start(ap, fmt);
	vsnprintf(t->stat_name[t->n_stat], sizeof(t->stat_name[0]), fmt, ap);
	va_end(ap);
	return t->n_stat++;
}

int dp_stats_alloc(struct dp_tables *t)
{
	if (!t->n_stat)
		dp_stat_add(t, "unused");
	free(t->stats);
	t->stats = calloc((size_t)t->n_workers * t->n_stat * 2, sizeof(*t->stats));
	return t->stats ? 0 : -ENOMEM;
}

int dp_if_add(struct dp_tables *t, const char *name, const uint8_t mac[6], uint32_t mtu,
	      uint32_t ifindex, struct err *err)
{
	struct dp_if *i;

	if (strlen(name) >= sizeof(i->name))
		return err_set(err, EINVAL, "field 'name': interface name '%s' too long", name);
	if (dp_if_find(t, name) >= 0)
		return err_set(err, EEXIST, "field 'name': interface '%s' defined twice", name);
	if (t->n_if == DP_IF_MAX)
		return err_set(err, ENOSPC, "more than %d interfaces", DP_IF_MAX);
	i = &t->ifs[t->n_if];
	memset(i, 0, sizeof(*i));
	snprintf(i->name, sizeof(i->name), "%s", name);
	memcpy(i->mac, mac, 6);
	i->mtu = mtu ? mtu : 1500;
	i->ifindex = ifindex;
	i->up = 1;
	i->stat = dp_stat_add(t, "interface %s rx", name);
	i->stat_tx = dp_stat_add(t, "interface %s tx", name);
	return (int)t->n_if++;
}

int dp_if_find(const struct dp_tables *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_if; i++)
		if (!strcmp(t->ifs[i].name, name))
			return (int)i;
	return -1;
}

int dp_local_addr_add(struct dp_tables *t, int family, const void *addr, struct err *err)
{
	if (xhash_put(family == 4 ? &t->local4 : &t->local6, addr, 0))
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

static int nh_new(struct dp_tables *t, const struct dp_nh *nh, uint32_t *idx)
{
	if (grow(&t->nh, t->n_nh, sizeof(*t->nh)))
		return -ENOMEM;
	t->nh[t->n_nh] = *nh;
	*idx = t->n_nh++;
	return 0;
}

static void neigh_key(uint8_t key[20], uint32_t oif, int family, const void *addr)
{
	uint16_t o = (uint16_t)oif;

	memset(key, 0, 20);
	memcpy(key, &o, 2);
	memcpy(key + 4, addr, family == 4 ? 4 : 16);
}

int dp_neigh_add(struct dp_tables *t, uint32_t oif, int family, const void *addr,
		 const uint8_t mac[6], struct err *err)
{
	struct dp_nh nh = {.oif = (uint16_t)oif, .family = (uint8_t)family, .has_mac = 1};
	uint8_t key[20];
	uint32_t idx;

	memcpy(nh.mac, mac, 6);
	memcpy(nh.addr, addr, family == 4 ? 4 : 16);
	neigh_key(key, oif, family, addr);
	if (nh_new(t, &nh, &idx) || xhash_put(family == 4 ? &t->neigh4 : &t->neigh6, key, idx))
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

int dp_nh_resolve(struct dp_tables *t, uint32_t oif, int family, const void *gw, uint32_t *nh,
		  struct err *err)
{
	struct dp_nh n = {.oif = (uint16_t)oif, .family = (uint8_t)family};
	uint8_t key[20];

	neigh_key(key, oif, family, gw);
	if (!xhash_get(family == 4 ? &t->neigh4 : &t->neigh6, key, nh))
		return 0;
	/* not resolved yet: transmit looks the gateway up when it is */
	memcpy(n.addr, gw, family == 4 ? 4 : 16);
	if (nh_new(t, &n, nh))
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

uint32_t dp_nh_connected(struct dp_tables *t, uint32_t oif)
{
	struct dp_nh n = {.oif = (uint16_t)oif, .family = 0};
	uint32_t idx;

	return nh_new(t, &n, &idx) ? DP_NONE : idx;
}

uint32_t dp_nh_with_mac(struct dp_tables *t, uint32_t oif, const uint8_t mac[6])
{
	struct dp_nh n = {.oif = (uint16_t)oif, .family = 0, .has_mac = 1};
	uint32_t idx;

	memcpy(n.mac, mac, 6);
	return nh_new(t, &n, &idx) ? DP_NONE : idx;
}

int dp_nhg_add(struct dp_tables *t, const uint32_t *nh, const uint32_t *weight, uint32_t n,
	       uint32_t *nhg, struct err *err)
{
	uint64_t total = 0;
	uint32_t nb, used = 0;

	if (!n)
		return err_set(err, EINVAL, "a next-hop group needs at least one next hop");
	for (uint32_t i = 0; i < n; i++) {
		if (!weight[i])
			return err_set(err, EINVAL, "field 'weight': must be at least 1");
		total += weight[i];
	}
	/* exact proportions when the weights are small, else scaled */
	nb = n == 1 ? 1 : total <= NHG_BUCKETS_MAX ? (uint32_t)total : NHG_BUCKETS_MAX;
	if (n > nb)
		return err_set(err, E2BIG, "more than %u next hops in one group", NHG_BUCKETS_MAX);
	if (grow(&t->nhg, t->n_nhg, sizeof(*t->nhg)))
		return err_set(err, ENOMEM, "out of memory");
	for (uint32_t k = 0; k < nb; k++)
		if (grow(&t->buckets, t->n_buckets + k, sizeof(*t->buckets)))
			return err_set(err, ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t share =
			i + 1 == n ? nb - used : (uint32_t)((weight[i] * (uint64_t)nb) / total);

		if (!share)
			share = 1;
		if (used + share > nb - (n - 1 - i))
			share = nb - (n - 1 - i) - used;
		for (uint32_t k = 0; k < share; k++)
			t->buckets[t->n_buckets + used + k] = nh[i];
		used += share;
	}
	t->nhg[t->n_nhg].first = t->n_buckets;
	t->nhg[t->n_nhg].n = nb;
	t->n_buckets += nb;
	*nhg = t->n_nhg++;
	return 0;
}

int dp_fib_index(struct dp_tables *t, uint32_t table_id, int create)
{
	for (uint32_t i = 0; i < t->n_fib; i++)
		if (t->fib_id[i] == table_id)
			return (int)i;
	if (!create)
		return -ENOENT;
	if (t->n_fib == DP_FIB_MAX)
		return -ENOSPC;
	if (lpm_init(&t->fib4[t->n_fib], 4) || lpm_init(&t->fib6[t->n_fib], 16))
		return -ENOMEM;
	t->fib_id[t->n_fib] = table_id;
	return (int)t->n_fib++;
}

int dp_route_add(struct dp_tables *t, uint32_t table_id, int family, const void *prefix, int len,
		 uint32_t nhg, struct err *err)
{
	int fib = dp_fib_index(t, table_id, 1);

	if (fib < 0)
		return err_set(err, -fib, "field 'table': cannot use table %u (at most %d tables)",
			       table_id, DP_FIB_MAX);
	if (lpm_add(family == 4 ? &t->fib4[fib] : &t->fib6[fib], prefix, len, nhg))
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

uint32_t dp_route_lookup(const struct dp_tables *t, uint32_t fib, int family, const void *addr)
{
	uint32_t v;

	if (fib >= t->n_fib)
		return DP_NONE;
	v = lpm_lookup(family == 4 ? &t->fib4[fib] : &t->fib6[fib], addr);
	return v == LPM_MISS ? DP_NONE : v;
}

int dp_sid_add(struct dp_tables *t, const struct dp_sid *s, struct err *err)
{
	const struct dp_behaviour_desc *d;
	char a[64];
	int rc;

	if (lpm_get(&t->sids, &s->sid, s->sid_len) != LPM_MISS)
		return err_set(err, EEXIST, "field 'sid': %s/%u is already a local SID",
			       addr_fmt(6, &s->sid, a, sizeof(a)), s->sid_len);
	if ((rc = dp_behaviour_check(DP_AT_SID, s->behaviour, t, s, &d, err)))
		return rc;
	if (s->hmac == DP_HMAC_REQUIRE && !t->srv6_hmac_set && !t->n_hmac_key)
		return err_set(err, EINVAL, "field 'hmac': no SRv6 HMAC key is set");
	if (s->vnf != DP_NONE && s->vnf >= t->n_vnf)
		return err_set(err, EINVAL, "field 'function': no function %u", s->vnf);
	if (grow(&t->sid, t->n_sid, sizeof(*t->sid)) ||
	    lpm_add(&t->sids, &s->sid, s->sid_len, t->n_sid))
		return err_set(err, ENOMEM, "out of memory");
	t->sid[t->n_sid] = *s;
	t->sid[t->n_sid++].desc = d;
	return 0;
}

int dp_lfib_add(struct dp_tables *t, const struct dp_lfib *e, struct err *err)
{
	const struct dp_behaviour_desc *d;
	int rc;

	if (e->in_label < 16 || e->in_label >= LABEL_SPACE)
		return err_set(err, EINVAL, "field 'label': %u is not a label 16-1048575",
			       e->in_label);
	if (t->lfib_idx[e->in_label])
		return err_set(err, EEXIST, "field 'label': label %u is already in the LFIB",
			       e->in_label);
	if ((rc = dp_behaviour_check(DP_AT_LABEL, e->op, t, e, &d, err)))
		return rc;
	if (e->vnf != DP_NONE && e->vnf >= t->n_vnf)
		return err_set(err, EINVAL, "field 'function': no function %u", e->vnf);
	if (grow(&t->lfib, t->n_lfib, sizeof(*t->lfib)))
		return err_set(err, ENOMEM, "out of memory");
	t->lfib[t->n_lfib] = *e;
	t->lfib[t->n_lfib++].desc = d;
	t->lfib_idx[e->in_label] = t->n_lfib;
	return 0;
}

int dp_policy_find(const struct dp_tables *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_policy; i++)
		if (!strcmp(t->policy[i].name, name))
			return (int)i;
	return -1;
}

int dp_policy_add(struct dp_tables *t, const struct dp_policy *p, struct err *err)
{
	const struct dp_behaviour_desc *d;
	int rc;

	if (dp_policy_find(t, p->name) >= 0)
		return err_set(err, EEXIST, "field 'name': policy '%s' defined twice", p->name);
	if ((rc = dp_behaviour_check(DP_AT_POLICY, p->type, t, p, &d, err)))
		return rc;
	if (grow(&t->policy, t->n_policy, sizeof(*t->policy)))
		return err_set(err, ENOMEM, "out of memory");
	t->policy[t->n_policy] = *p;
	t->policy[t->n_policy].desc = d;
	return (int)t->n_policy++;
}

int dp_rule_add(struct dp_tables *t, const struct dp_rule *r, struct err *err)
{
	if (grow(&t->rule, t->n_rule, sizeof(*t->rule)))
		return err_set(err, ENOMEM, "out of memory");
	t->rule[t->n_rule++] = *r;
	return 0;
}

int dp_sff_add(struct dp_tables *t, uint32_t spi, uint32_t si, const struct dp_sff *f,
	       struct err *err)
{
	const struct dp_behaviour_desc *d;
	uint32_t key = spi << 8 | si, old;
	int rc;

	if (!xhash_get(&t->sff_map, &key, &old))
		return err_set(err, EEXIST, "field 'si': path entry spi %u si %u defined twice",
			       spi, si);
	if ((rc = dp_behaviour_check(DP_AT_PATH, f->action, t, f, &d, err)))
		return rc;
	if (grow(&t->sff, t->n_sff, sizeof(*t->sff)) || xhash_put(&t->sff_map, &key, t->n_sff))
		return err_set(err, ENOMEM, "out of memory");
	t->sff[t->n_sff] = *f;
	t->sff[t->n_sff++].desc = d;
	return 0;
}

int dp_tables_finish(struct dp_tables *t, struct err *err)
{
	int rc = dp_classifier_build(t, err);

	if (rc)
		return rc;
	for (uint32_t i = 0; i < t->n_if; i++)
		if (t->ifs[i].classify)
			t->any_classify = 1;
	for (uint32_t i = 0; i < t->n_fib; i++)
		if (lpm_compile(&t->fib4[i]) || lpm_compile(&t->fib6[i]))
			return err_set(err, ENOMEM, "out of memory compiling the FIBs");
	if (lpm_compile(&t->sids))
		return err_set(err, ENOMEM, "out of memory compiling the SID table");
	if (dp_stats_alloc(t))
		return err_set(err, ENOMEM, "out of memory for counters");
	return 0;
}

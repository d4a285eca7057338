/* Answers to control requests (srchaind/ctl.h for the protocol; ctl.c
 * serves the socket). Table listings read the set that is published; config
 * changes go through the daemon's rebuild path (ctl_env.conf_apply), so they
 * are checked exactly like a reload and a bad statement changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/ctl_req.h"
#include "dp/behaviour.h"
#include "dp/dp.h"
#include "dp/match.h"
#include "io/io.h"
#include "lib/addr.h"
#include "lib/jsonw.h"
#include "pkt/srh.h"
#include "srchaind/ctl.h"
#include "srchaind/ctl_answer.h"
#include "srchaind/stats.h"
#include "vnf/vnf.h"

#define CTL_NH_MAX 64 /* distinct next hops listed per group */
#define CTL_FNAME  "running-config"

/* ---- listings ---------------------------------------------------------- */

static void kv_stat(struct jsonw *j, const struct dp *dp, uint32_t slot)
{
	uint64_t pk, by;

	dp_stat_sum(dp, slot, &pk, &by);
	jsonw_kv_uint(j, "packets", pk);
	jsonw_kv_uint(j, "bytes", by);
}

static void kv_addr(struct jsonw *j, const char *key, int family, const void *a)
{
	char buf[64];

	if (key)
		jsonw_key(j, key);
	jsonw_str(j, addr_fmt(family, a, buf, sizeof(buf)));
}

static void kv_vnf(struct jsonw *j, const struct dp_tables *t, uint32_t vnf)
{
	if (vnf != DP_NONE && vnf < t->n_vnf)
		jsonw_kv_str(j, "function", t->vnf[vnf]->name);
}

/* The group's next hops with their weights (buckets each one holds). */
static void kv_nexthops(struct jsonw *j, const struct dp_tables *t, uint32_t g)
{
	uint32_t nh[CTL_NH_MAX], w[CTL_NH_MAX], n = 0;

	if (g == DP_NONE || g >= t->n_nhg)
		return;
	for (uint32_t b = 0; b < t->nhg[g].n; b++) {
		uint32_t v = t->buckets[t->nhg[g].first + b], k;

		for (k = 0; k < n && nh[k] != v; k++)
			;
		if (k == n && n < CTL_NH_MAX) {
			nh[n] = v;
			w[n++] = 0;
		}
		if (k < n)
			w[k]++;
	}
	jsonw_key(j, "nexthops");
	jsonw_arr_open(j);
	for (uint32_t k = 0; k < n; k++) {
		const struct dp_nh *h = &t->nh[nh[k]];
		char mac[24];

		jsonw_obj_open(j);
		if (h->family)
			kv_addr(j, "via", h->family, h->addr);
		jsonw_kv_str(j, "dev", h->oif < t->n_if ? t->ifs[h->oif].name : "?");
		if (h->has_mac)
			jsonw_kv_str(j, "mac", mac_fmt(h->mac, mac, sizeof(mac)));
		jsonw_kv_uint(j, "weight", w[k]);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
}

static void show_interfaces(const struct ctl_env *env, const struct dp_tables *t, struct jsonw *j)
{
	jsonw_arr_open(j);
	for (uint32_t i = 0; i < t->n_if; i++) {
		const struct dp_if *f = &t->ifs[i];
		uint64_t pk, by;
		char mac[24];

		jsonw_obj_open(j);
		jsonw_kv_str(j, "name", f->name);
		jsonw_kv_uint(j, "ifindex", f->ifindex);
		jsonw_kv_str(j, "mac", mac_fmt(f->mac, mac, sizeof(mac)));
		jsonw_kv_uint(j, "mtu", f->mtu);
		jsonw_kv_bool(j, "up", f->up);
		jsonw_kv_bool(j, "classify", f->classify);
		dp_stat_sum(env->dp, f->stat, &pk, &by);
		jsonw_kv_uint(j, "rx_packets", pk);
		jsonw_kv_uint(j, "rx_bytes", by);
		dp_stat_sum(env->dp, f->stat_tx, &pk, &by);
		jsonw_kv_uint(j, "tx_packets", pk);
		jsonw_kv_uint(j, "tx_bytes", by);
		if (i < env->n_ports && env->port_stats) {
			struct io_stats s;

			env->port_stats(env->ctx, i, &s);
			jsonw_key(j, "socket");
			jsonw_obj_open(j);
			jsonw_kv_uint(j, "rx_packets", s.rx_pkts);
			jsonw_kv_uint(j, "tx_packets", s.tx_pkts);
			jsonw_kv_uint(j, "rx_not_ours", s.rx_not_ours);
			jsonw_kv_uint(j, "rx_truncated", s.rx_truncated);
			jsonw_kv_uint(j, "rx_gso", s.rx_gso);
			jsonw_kv_uint(j, "rx_csum_fixed", s.rx_csum_fixed);
			jsonw_kv_uint(j, "rx_kernel_drops", s.rx_kernel_drops);
			jsonw_kv_uint(j, "tx_errors", s.tx_errors);
			jsonw_obj_close(j);
		}
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
}

static void show_sids(const struct ctl_env *env, const struct dp_tables *t, struct jsonw *j)
{
	jsonw_arr_open(j);
	for (uint32_t i = 0; i < t->n_sid; i++) {
		const struct dp_sid *s = &t->sid[i];
		const struct dp_behaviour_desc *d = dp_behaviour_get(s->behaviour);
		char a[64], sid[80];

		snprintf(sid, sizeof(sid), "%s/%u", addr_fmt(6, &s->sid, a, sizeof(a)), s->sid_len);
		jsonw_obj_open(j);
		jsonw_kv_str(j, "sid", sid);
		jsonw_kv_str(j, "behaviour", d ? d->name : "?");
		kv_vnf(j, t, s->vnf);
		kv_nexthops(j, t, s->nhg);
		if ((s->behaviour == DP_B_END_DT4 || s->behaviour == DP_B_END_DT6 ||
		     s->behaviour == DP_B_END_DT46 || s->fib) &&
		    s->fib < t->n_fib)
			jsonw_kv_uint(j, "table", t->fib_id[s->fib]);
		if (s->policy != DP_NONE && s->policy < t->n_policy)
			jsonw_kv_str(j, "policy", t->policy[s->policy].name);
		jsonw_kv_bool(j, "hmac", s->hmac);
		kv_stat(j, env->dp, s->stat);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
}

static void kv_range(struct jsonw *j, const char *key, uint32_t lo, uint32_t hi)
{
	jsonw_key(j, key);
	if (!hi) {
		jsonw_null(j);
		return;
	}
	jsonw_obj_open(j);
	jsonw_kv_uint(j, "low", lo);
	jsonw_kv_uint(j, "high", hi);
	jsonw_obj_close(j);
}

static void show_labels(const struct ctl_env *env, const struct dp_tables *t, struct jsonw *j)
{
	static const char *const ops[DP_LFIB_OP_MAX] = {"pop", "swap", "pop-forward"};

	jsonw_obj_open(j);
	kv_range(j, "srgb", t->srgb_lo, t->srgb_hi);
	kv_range(j, "srlb", t->srlb_lo, t->srlb_hi);
	jsonw_key(j, "labels");
	jsonw_arr_open(j);
	for (uint32_t i = 0; i < t->n_lfib; i++) {
		const struct dp_lfib *e = &t->lfib[i];

		jsonw_obj_open(j);
		jsonw_kv_uint(j, "label", e->in_label);
		jsonw_kv_str(j, "op", e->op < DP_LFIB_OP_MAX ? ops[e->op] : "?");
		if (e->op == DP_LFIB_SWAP)
			jsonw_kv_uint(j, "out_label", e->out_label);
		kv_nexthops(j, t, e->nhg);
		kv_vnf(j, t, e->vnf);
		jsonw_kv_str(j, "name", t->stat_name[e->stat]);
		kv_stat(j, env->dp, e->stat);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	jsonw_obj_close(j);
}

/* Segments in path order: the first is the outer destination; the SRH
 * holds the path reversed (RFC 8754), without the first with encaps.red. */
static void kv_segs(struct jsonw *j, const struct dp_policy *p)
{
	jsonw_key(j, "segs");
	jsonw_arr_open(j);
	kv_addr(j, NULL, 6, &p->first);
	for (int k = 1; k < p->n && k < DP_SEGS_MAX; k++) {
		size_t off = SRH_FIXED_LEN + (size_t)(p->n - 1 - k) * 16;

		if (off + 16 <= p->srh_len)
			kv_addr(j, NULL, 6, p->srh + off);
	}
	jsonw_arr_close(j);
}

static void show_policies(const struct ctl_env *env, const struct dp_tables *t, struct jsonw *j)
{
	static const char *const types[DP_POL_MAX] = {"srv6 encaps", "srv6 encaps.red", "mpls",
						      "nsh"};
	static const char *const fl[] = {"copy", "hash", "zero"};

	jsonw_arr_open(j);
	for (uint32_t i = 0; i < t->n_policy; i++) {
		const struct dp_policy *p = &t->policy[i];

		jsonw_obj_open(j);
		jsonw_kv_str(j, "name", p->name);
		jsonw_kv_str(j, "type", p->type < DP_POL_MAX ? types[p->type] : "?");
		if (p->type == DP_POL_SRV6_ENCAPS || p->type == DP_POL_SRV6_ENCAPS_RED) {
			uint32_t n_list = p->srh_len ? p->srh[4] + 1u : 0;

			kv_segs(j, p);
			kv_addr(j, "src", 6, &p->src);
			jsonw_kv_str(j, "flowlabel", p->flowlabel < 3 ? fl[p->flowlabel] : "?");
			jsonw_kv_bool(j, "hmac", p->srh_len > SRH_FIXED_LEN + 16 * n_list);
		} else if (p->type == DP_POL_MPLS) {
			jsonw_key(j, "labels");
			jsonw_arr_open(j);
			for (uint32_t k = 0; k < p->n && k < DP_LABELS_MAX; k++)
				jsonw_uint(j, p->labels[k]);
			jsonw_arr_close(j);
			jsonw_kv_str(j, "ttl", p->ttl_pipe ? "pipe" : "uniform");
		} else {
			jsonw_kv_uint(j, "spi", p->nsh_spi);
			jsonw_kv_uint(j, "si", p->nsh_si);
			jsonw_kv_uint(j, "md", p->nsh_md_type);
		}
		kv_stat(j, env->dp, p->stat);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
}

static void show_classifier(const struct ctl_env *env, const struct dp_tables *t, struct jsonw *j)
{
	jsonw_obj_open(j);
	jsonw_kv_str(j, "default", t->default_action == DP_ACT_DROP ? "drop" : "forward");
	jsonw_key(j, "rules");
	jsonw_arr_open(j);
	for (uint32_t i = 0; i < t->n_rule; i++) {
		const struct dp_rule *r = &t->rule[i];
		char desc[200];

		dp_match_format(t, &r->m, desc, sizeof(desc));
		jsonw_obj_open(j);
		jsonw_kv_uint(j, "line", r->line);
		jsonw_kv_str(j, "match", desc[0] == ' ' ? desc + 1 : desc);
		jsonw_kv_str(j, "action",
			     r->action == DP_ACT_STEER	? "policy"
			     : r->action == DP_ACT_DROP ? "drop"
							: "forward");
		if (r->action == DP_ACT_STEER && r->policy < t->n_policy)
			jsonw_kv_str(j, "policy", t->policy[r->policy].name);
		kv_stat(j, env->dp, r->stat);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	jsonw_obj_close(j);
}

/* A function's own counters are the stat slots named "function NAME ..."
 * (rules, default, copies, per protocol): the function registers them. */
static void show_functions(const struct ctl_env *env, const struct dp_tables *t, struct jsonw *j)
{
	jsonw_arr_open(j);
	for (uint32_t i = 0; i < t->n_vnf; i++) {
		const struct dp_fn *v = t->vnf[i];
		char prefix[48];
		size_t pl;

		pl = (size_t)snprintf(prefix, sizeof(prefix), "function %s ", v->name);
		jsonw_obj_open(j);
		jsonw_kv_str(j, "name", v->name);
		jsonw_kv_str(j, "type", v->ops->type);
		kv_stat(j, env->dp, v->stat);
		jsonw_key(j, "counters");
		jsonw_arr_open(j);
		for (uint32_t s = 0; s < t->n_stat; s++) {
			if (s == v->stat || strncmp(t->stat_name[s], prefix, pl))
				continue;
			jsonw_obj_open(j);
			jsonw_kv_str(j, "name", t->stat_name[s] + pl);
			kv_stat(j, env->dp, s);
			jsonw_obj_close(j);
		}
		jsonw_arr_close(j);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
}

static void show_routes(const struct dp_tables *t, struct jsonw *j)
{
	jsonw_obj_open(j);
	jsonw_key(j, "tables");
	jsonw_arr_open(j);
	for (uint32_t f = 0; f < t->n_fib; f++) {
		jsonw_obj_open(j);
		jsonw_kv_uint(j, "table", t->fib_id[f]);
		jsonw_kv_uint(j, "ipv4_routes", t->fib4[f].h.count);
		jsonw_kv_uint(j, "ipv6_routes", t->fib6[f].h.count);
		jsonw_obj_close(j);
	}
	jsonw_arr_close(j);
	jsonw_kv_uint(j, "next_hops", t->n_nh);
	jsonw_kv_uint(j, "groups", t->n_nhg);
	jsonw_kv_uint(j, "buckets", t->n_buckets);
	jsonw_kv_uint(j, "neighbours_ipv4", t->neigh4.count);
	jsonw_kv_uint(j, "neighbours_ipv6", t->neigh6.count);
	jsonw_kv_uint(j, "local_ipv4", t->local4.count);
	jsonw_kv_uint(j, "local_ipv6", t->local6.count);
	jsonw_kv_uint(j, "srv6_sids", t->n_sid);
	jsonw_kv_uint(j, "labels", t->n_lfib);
	jsonw_obj_close(j);
}

static void show_counters(const struct ctl_env *env, struct jsonw *j)
{
	struct stats_src src;

	env->stats(env->ctx, &src);
	stats_json(j, &src);
}

static void show_config(const struct ctl_env *env, struct jsonw *j)
{
	size_t len = 0;
	int modified = 0;
	const char *text = env->conf_text(env->ctx, &len, &modified);

	jsonw_obj_open(j);
	jsonw_kv_str(j, "source", env->conf_path);
	jsonw_kv_bool(j, "modified", modified);
	jsonw_key(j, "text");
	jsonw_strn(j, text, len);
	jsonw_obj_close(j);
}

static void show_help(struct jsonw *j)
{
	jsonw_arr_open(j);
	for (int k = 0; k < CTL_REQ_MAX; k++)
		jsonw_str(j, ctl_req_name((enum ctl_req_type)k));
	jsonw_arr_close(j);
}

/* ---- requests ---------------------------------------------------------- */

static void reply_error(struct jsonw *j, const char *msg)
{
	jsonw_obj_open(j);
	jsonw_kv_bool(j, "ok", false);
	jsonw_kv_str(j, "error", msg);
	jsonw_obj_close(j);
}

static void reply_open(struct jsonw *j)
{
	jsonw_obj_open(j);
	jsonw_kv_bool(j, "ok", true);
	jsonw_key(j, "data");
}

/* config add/remove: edit a copy of the running text, rebuild from it; the
 * daemon keeps the copy only if the rebuild succeeded. */
static int config_edit(const struct ctl_env *env, const struct ctl_req *r, struct jsonw *j,
		       struct err *err)
{
	const struct dp_tables *t;
	size_t len = 0, nlen = 0;
	int modified, line = 0, rc;
	const char *cur = env->conf_text(env->ctx, &len, &modified);
	char *text = NULL;

	if (r->type == CTL_REQ_CONFIG_ADD)
		rc = ctl_conf_add(cur, len, r->stmt, &text, &nlen, &line);
	else
		rc = ctl_conf_remove(cur, len, r->stmt, &text, &nlen, &line);
	if (rc == -ENOENT)
		return err_set(err, ENOENT,
			       "config remove: no statement '%s' in the running config", r->stmt);
	if (rc)
		return err_set(err, -rc, "%s: %s", ctl_req_name(r->type), strerror(-rc));
	rc = env->conf_apply(env->ctx, text, nlen, CTL_FNAME, err);
	if (rc) {
		free(text);
		err_prefix(err, "%s refused: ", ctl_req_name(r->type));
		return rc;
	}
	t = atomic_load(&env->dp->tables);
	reply_open(j);
	jsonw_obj_open(j);
	jsonw_kv_str(j, "statement", r->stmt);
	jsonw_kv_int(j, "line", line);
	jsonw_kv_uint(j, "generation", t ? t->gen : 0);
	jsonw_obj_close(j);
	jsonw_obj_close(j);
	return 0;
}

void ctl_answer(const struct ctl_env *env, const char *line, size_t len, FILE *f)
{
	const struct dp_tables *t = atomic_load(&env->dp->tables);
	struct ctl_req *r = calloc(1, sizeof(*r));
	struct err err = {{0}};
	struct jsonw jw, *j = &jw;

	jsonw_init(j, f, false);
	if (!r) {
		reply_error(j, "out of memory");
		goto out;
	}
	if (ctl_req_parse(line, len, r, &err)) {
		reply_error(j, err.msg);
		goto out;
	}
	if (!t && r->type <= CTL_REQ_SHOW_COUNTERS) {
		reply_error(j, "no tables published yet");
		goto out;
	}
	switch (r->type) {
	case CTL_REQ_CONFIG_ADD:
	case CTL_REQ_CONFIG_REMOVE:
		if (config_edit(env, r, j, &err))
			reply_error(j, err.msg);
		goto out;
	case CTL_REQ_RELOAD:
		if (env->reload(env->ctx, &err)) {
			reply_error(j, err.msg);
			goto out;
		}
		t = atomic_load(&env->dp->tables);
		reply_open(j);
		jsonw_obj_open(j);
		jsonw_kv_uint(j, "generation", t ? t->gen : 0);
		jsonw_obj_close(j);
		break;
	default:
		reply_open(j);
		switch (r->type) {
		case CTL_REQ_SHOW_INTERFACES:
			show_interfaces(env, t, j);
			break;
		case CTL_REQ_SHOW_SIDS:
			show_sids(env, t, j);
			break;
		case CTL_REQ_SHOW_LABELS:
			show_labels(env, t, j);
			break;
		case CTL_REQ_SHOW_POLICIES:
			show_policies(env, t, j);
			break;
		case CTL_REQ_SHOW_CLASSIFIER:
			show_classifier(env, t, j);
			break;
		case CTL_REQ_SHOW_FUNCTIONS:
			show_functions(env, t, j);
			break;
		case CTL_REQ_SHOW_ROUTES:
			show_routes(t, j);
			break;
		case CTL_REQ_SHOW_COUNTERS:
			show_counters(env, j);
			break;
		case CTL_REQ_SHOW_CONFIG:
			show_config(env, j);
			break;
		default:
			show_help(j);
			break;
		}
		break;
	}
	jsonw_obj_close(j);
out:
	free(r);
	jsonw_finish(j);
}

void ctl_answer_error(FILE *f, const char *msg)
{
	struct jsonw j;

	jsonw_init(&j, f, false);
	reply_error(&j, msg);
	jsonw_finish(&j);
}

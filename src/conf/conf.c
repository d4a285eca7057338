#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/behaviour.h"
#include "dp/match.h"
#include "dp/tables.h"
#include "lib/addr.h"
#include "lib/file.h"
#include "pkt/srh.h"
#include "vnf/vnf.h"

#define NH_MAX	     64
#define NODE_SID_MAX 4096

/* Node SIDs are resolved after the whole file is read: they follow the
 * route to their prefix, wherever in the file the route is. */
struct node_sid {
	int family, len, line;
	uint8_t prefix[16];
	uint32_t index;
	uint8_t php, explicit_null;
};

struct conf {
	struct dp_tables *t;
	struct err *err;
	int lineno;
	uint32_t n_node_sid;
	struct node_sid *node_sid;
};

typedef int (*stmt_fn)(struct conf *cf, char **argv, int argc);

static int need(struct conf *cf, char **argv, int argc, int i, const char *field)
{
	(void)argv;
	if (i >= argc)
		return err_set(cf->err, EINVAL, "field '%s': missing value", field);
	return 0;
}

static int parse_u32(struct conf *cf, const char *field, const char *s, uint64_t min, uint64_t max,
		     uint32_t *out)
{
	uint64_t v;

	if (num_parse(s, min, max, &v))
		return err_set(cf->err, EINVAL, "field '%s': '%s' is not a number %llu-%llu", field,
			       s, (unsigned long long)min, (unsigned long long)max);
	*out = (uint32_t)v;
	return 0;
}

static int parse_if(struct conf *cf, const char *field, const char *s, uint32_t *oif)
{
	int i = dp_if_find(cf->t, s);

	if (i < 0)
		return err_set(cf->err, EINVAL, "field '%s': no interface '%s'", field, s);
	*oif = (uint32_t)i;
	return 0;
}

static int parse_addr(struct conf *cf, const char *field, const char *s, int want, uint8_t a[16],
		      int *family)
{
	int fam;

	if (addr_parse(s, &fam, a) || (want && fam != want))
		return err_set(cf->err, EINVAL, "field '%s': '%s' is not an %s address", field, s,
			       want == 4   ? "IPv4"
			       : want == 6 ? "IPv6"
					   : "IP");
	if (family)
		*family = fam;
	return 0;
}

/* `function NAME`: a function defined earlier in the file. */
static int parse_function(struct conf *cf, const char *s, uint32_t *fn)
{
	int v = vnf_find(cf->t, s);

	if (v < 0)
		return err_set(cf->err, EINVAL,
			       "field 'function': no function '%s' (define it first)", s);
	*fn = (uint32_t)v;
	return 0;
}

/* Next hops: one or more "via ADDR dev IFACE [weight N]" or "dev IFACE"
 * (connected), from argv[*i]; builds a multipath group. */
static int parse_nexthops(struct conf *cf, char **argv, int argc, int *i, int family, uint32_t *nhg)
{
	/* a connected next hop resolves the packet's IP destination; label
	 * and NSH packets have none, so they need a gateway */
	int ip_only = family >= 0;

	uint32_t nh[NH_MAX], w[NH_MAX], n = 0;
	int rc;

	while (*i < argc && (!strcmp(argv[*i], "via") || !strcmp(argv[*i], "dev"))) {
		uint8_t gw[16];
		uint32_t oif = 0;
		int fam = 0, has_gw = !strcmp(argv[*i], "via");

		if (!has_gw && !ip_only)
			return err_set(cf->err, EINVAL,
				       "field 'dev': label and NSH next hops need "
				       "'via ADDR dev IFACE'");

		if (n == NH_MAX)
			return err_set(cf->err, E2BIG, "more than %d next hops", NH_MAX);
		if (has_gw) {
			if ((rc = need(cf, argv, argc, *i + 1, "via")) ||
			    (rc = parse_addr(cf, "via", argv[*i + 1], family > 0 ? family : 0, gw,
					     &fam)))
				return rc;
			*i += 2;
			if (*i >= argc || strcmp(argv[*i], "dev"))
				return err_set(cf->err, EINVAL,
					       "field 'dev': 'via %s' needs 'dev IFACE'",
					       argv[*i - 1]);
		}
		if ((rc = need(cf, argv, argc, *i + 1, "dev")) ||
		    (rc = parse_if(cf, "dev", argv[*i + 1], &oif)))
			return rc;
		*i += 2;
		w[n] = 1;
		if (*i < argc && !strcmp(argv[*i], "weight")) {
			if ((rc = need(cf, argv, argc, *i + 1, "weight")) ||
			    (rc = parse_u32(cf, "weight", argv[*i + 1], 1, 1000, &w[n])))
				return rc;
			*i += 2;
		}
		if (has_gw) {
			if ((rc = dp_nh_resolve(cf->t, oif, fam, gw, &nh[n], cf->err)))
				return rc;
		} else if ((nh[n] = dp_nh_connected(cf->t, oif)) == DP_NONE) {
			return err_set(cf->err, ENOMEM, "out of memory");
		}
		n++;
	}
	if (!n)
		return err_set(
			cf->err, EINVAL,
			"field 'via': expected 'via ADDR dev IFACE [weight N]' or 'dev IFACE'");
	return dp_nhg_add(cf->t, nh, w, n, nhg, cf->err);
}

static int no_more(struct conf *cf, char **argv, int argc, int i)
{
	if (i < argc)
		return err_set(cf->err, EINVAL, "field '%s': unexpected", argv[i]);
	return 0;
}

/* interface NAME mac MAC [mtu N] [classify] [addr PREFIX]...
 * interface NAME [mtu N] [classify]   (live mode: NAME exists in the kernel) */
static int st_interface(struct conf *cf, char **argv, int argc)
{
	uint8_t mac[6] = {0};
	uint32_t mtu = 1500;
	int i, idx, rc, have_mac = 0, have_mtu = 0;

	if (argc < 2)
		return err_set(cf->err, EINVAL, "field 'name': missing");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "mac")) {
			if ((rc = need(cf, argv, argc, i + 1, "mac")))
				return rc;
			if (mac_parse(argv[++i], mac))
				return err_set(cf->err, EINVAL, "field 'mac': '%s' is not a MAC",
					       argv[i]);
			have_mac = 1;
		} else if (!strcmp(argv[i], "mtu")) {
			if ((rc = need(cf, argv, argc, i + 1, "mtu")) ||
			    (rc = parse_u32(cf, "mtu", argv[++i], 68, 65535, &mtu)))
				return rc;
			have_mtu = 1;
		} else if (!strcmp(argv[i], "classify") || !strcmp(argv[i], "addr")) {
			i += !strcmp(argv[i], "addr"); /* second pass below */
		} else {
			return err_set(cf->err, EINVAL,
				       "field '%s': unknown (mac, mtu, classify, addr)", argv[i]);
		}
	}
	/* Live mode: the interface came from the kernel (MAC, MTU, addresses);
	 * the file only marks it classifying or lowers its MTU. */
	idx = dp_if_find(cf->t, argv[1]);
	if (idx >= 0 && cf->t->ifs[idx].ifindex && !have_mac) {
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "addr"))
				return err_set(cf->err, EINVAL,
					       "field 'addr': interface %s comes from the kernel; "
					       "give it addresses with 'ip address add'",
					       argv[1]);
			if (!strcmp(argv[i], "classify"))
				cf->t->ifs[idx].classify = 1;
		}
		if (have_mtu)
			cf->t->ifs[idx].mtu = mtu;
		return 0;
	}
	if (!have_mac)
		return err_set(cf->err, EINVAL, "field 'mac': interface %s needs a MAC", argv[1]);
	idx = dp_if_add(cf->t, argv[1], mac, mtu, 0, cf->err);
	if (idx < 0)
		return idx;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "classify")) {
			cf->t->ifs[idx].classify = 1;
		} else if (!strcmp(argv[i], "addr")) {
			uint8_t a[16];
			int fam, len;
			uint32_t nhg, nh;

			if ((rc = need(cf, argv, argc, i + 1, "addr")))
				return rc;
			if (addr_parse_prefix(argv[++i], &fam, a, &len))
				return err_set(cf->err, EINVAL,
					       "field 'addr': '%s' is not a prefix", argv[i]);
			if ((rc = dp_local_addr_add(cf->t, fam, a, cf->err)))
				return rc;
			/* connected route for the subnet */
			nh = dp_nh_connected(cf->t, (uint32_t)idx);
			if (nh == DP_NONE)
				return err_set(cf->err, ENOMEM, "out of memory");
			if ((rc = dp_nhg_add(cf->t, &nh, &(uint32_t){1}, 1, &nhg, cf->err)) ||
			    (rc = dp_route_add(cf->t, DP_TABLE_MAIN, fam, a, len, nhg, cf->err)))
				return rc;
		} else if (!strcmp(argv[i], "mac") || !strcmp(argv[i], "mtu")) {
			i++;
		}
	}
	return 0;
}

/* neighbor IFACE ADDR mac MAC */
static int st_neighbor(struct conf *cf, char **argv, int argc)
{
	uint8_t a[16], mac[6];
	uint32_t oif = 0;
	int fam = 0, rc;

	if (argc != 5 || strcmp(argv[3], "mac"))
		return err_set(cf->err, EINVAL, "expected 'neighbor IFACE ADDR mac MAC'");
	if ((rc = parse_if(cf, "dev", argv[1], &oif)) ||
	    (rc = parse_addr(cf, "addr", argv[2], 0, a, &fam)))
		return rc;
	if (mac_parse(argv[4], mac))
		return err_set(cf->err, EINVAL, "field 'mac': '%s' is not a MAC", argv[4]);
	return dp_neigh_add(cf->t, oif, fam, a, mac, cf->err);
}

/* route PREFIX [table N] NEXTHOPS */
static int st_route(struct conf *cf, char **argv, int argc)
{
	uint8_t a[16];
	uint32_t table = DP_TABLE_MAIN, nhg;
	int fam, len, i = 2, rc;

	if (argc < 2 || addr_parse_prefix(argv[1], &fam, a, &len))
		return err_set(cf->err, EINVAL, "field 'prefix': '%s' is not a prefix",
			       argc > 1 ? argv[1] : "");
	if (i < argc && !strcmp(argv[i], "table")) {
		if ((rc = need(cf, argv, argc, i + 1, "table")) ||
		    (rc = parse_u32(cf, "table", argv[i + 1], 1, 0xffffffffu, &table)))
			return rc;
		i += 2;
	}
	if ((rc = parse_nexthops(cf, argv, argc, &i, fam, &nhg)) ||
	    (rc = no_more(cf, argv, argc, i)))
		return rc;
	return dp_route_add(cf->t, table, fam, a, len, nhg, cf->err);
}

/* "require", "verify" or "ignore" into *mode, or an error naming field. */
static int parse_hmac_mode(struct conf *cf, const char *field, const char *s, uint8_t *mode)
{
	if (!strcmp(s, "require"))
		*mode = DP_HMAC_REQUIRE;
	else if (!strcmp(s, "verify"))
		*mode = DP_HMAC_VERIFY;
	else if (!strcmp(s, "ignore"))
		*mode = DP_HMAC_IGNORE;
	else
		return err_set(cf->err, EINVAL, "field '%s': '%s' is not require, verify or ignore",
			       field, s);
	return 0;
}

/* srv6 hmac key-id N secret STRING: one more key; the first signs. */
static int srv6_hmac_key_add(struct conf *cf, const char *id_s, const char *secret)
{
	struct dp_tables *t = cf->t;
	uint32_t id = 0;
	int rc;

	if ((rc = parse_u32(cf, "key-id", id_s, 1, 0xffffffffu, &id)))
		return rc;
	for (uint32_t i = 0; i < t->n_hmac_key; i++)
		if (t->hmac_key[i].id == id)
			return err_set(cf->err, EEXIST, "field 'key-id': key %u given twice", id);
	if (t->n_hmac_key == DP_HMAC_KEYS_MAX)
		return err_set(cf->err, E2BIG, "field 'key-id': more than %d HMAC keys",
			       DP_HMAC_KEYS_MAX);
	if (!*secret)
		return err_set(cf->err, EINVAL, "field 'secret': empty");
	t->hmac_key[t->n_hmac_key].id = id;
	hmac_sha256_setkey(&t->hmac_key[t->n_hmac_key].key, (const uint8_t *)secret,
			   strlen(secret));
	if (!t->n_hmac_key++) {
		t->srv6_hmac_key_id = id;
		t->srv6_hmac = t->hmac_key[0].key;
		t->srv6_hmac_set = 1;
	}
	return 0;
}

/* srv6 source ADDR | srv6 hmac key-id N secret STRING
 * | srv6 hmac mode require|verify|ignore [dev IFACE] */
static int st_srv6(struct conf *cf, char **argv, int argc)
{
	struct dp_tables *t = cf->t;
	uint8_t a[16];
	int rc;

	if (argc == 3 && !strcmp(argv[1], "source")) {
		if ((rc = parse_addr(cf, "source", argv[2], 6, a, NULL)))
			return rc;
		memcpy(&t->srv6_src, a, 16);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "hmac") && !strcmp(argv[2], "key-id") &&
	    !strcmp(argv[4], "secret"))
		return srv6_hmac_key_add(cf, argv[3], argv[5]);
	if ((argc == 4 || (argc == 6 && !strcmp(argv[4], "dev"))) && !strcmp(argv[1], "hmac") &&
	    !strcmp(argv[2], "mode")) {
		uint32_t oif = 0;
		uint8_t mode;

		if ((rc = parse_hmac_mode(cf, "mode", argv[3], &mode)))
			return rc;
		if (argc == 4) {
			t->srv6_hmac_mode = mode;
			return 0;
		}
		if ((rc = parse_if(cf, "dev", argv[5], &oif)))
			return rc;
		t->ifs[oif].hmac = mode;
		return 0;
	}
	return err_set(cf->err, EINVAL,
		       "expected 'srv6 source ADDR', 'srv6 hmac key-id N secret STRING' or "
		       "'srv6 hmac mode require|verify|ignore [dev IFACE]'");
}

/* A label value: a number, or idx:N for SRGB base + N. */
static int parse_label(struct conf *cf, const char *field, const char *s, uint32_t *label)
{
	uint32_t idx = 0;
	int rc;

	if (!strncmp(s, "idx:", 4)) {
		if ((rc = parse_u32(cf, field, s + 4, 0, 0xfffff, &idx)))
			return rc;
		if (!cf->t->srgb_hi || cf->t->srgb_lo + idx > cf->t->srgb_hi)
			return err_set(cf->err, ERANGE,
				       "field '%s': index %u outside the SRGB "
				       "(set 'mpls srgb LO HI' first)",
				       field, idx);
		*label = cf->t->srgb_lo + idx;
		return 0;
	}
	return parse_u32(cf, field, s, 16, 0xfffff, label);
}

static int mpls_range(struct conf *cf, char **argv, int argc, uint32_t *lo, uint32_t *hi)
{
	int rc;

	if (argc != 4)
		return err_set(cf->err, EINVAL, "expected 'mpls %s LOW HIGH'", argv[1]);
	if ((rc = parse_u32(cf, "low", argv[2], 16, 0xfffff, lo)) ||
	    (rc = parse_u32(cf, "high", argv[3], 16, 0xfffff, hi)))
		return rc;
	if (*lo > *hi)
		return err_set(cf->err, EINVAL, "field 'high': %u is below low %u", *hi, *lo);
	return 0;
}

/* A label's operation is a behaviour of the registry (dp/behaviour.h): its
 * parameters say what follows the operation's name. */
static int mpls_label_stmt(struct conf *cf, char **argv, int argc)
{
	struct dp_lfib e = {.vnf = DP_NONE, .nhg = DP_NONE};
	const struct dp_behaviour_desc *d;
	char names[128];
	int i = 4, rc;

	if (argc < 4)
		return err_set(cf->err, EINVAL, "expected 'mpls label N %s ...'",
			       dp_behaviour_names(DP_AT_LABEL, "|", "|", names, sizeof(names)));
	if ((rc = parse_label(cf, "label", argv[2], &e.in_label)))
		return rc;
	d = dp_behaviour_lookup(DP_AT_LABEL, argv[3]);
	if (!d)
		return err_set(cf->err, EINVAL, "field 'op': '%s' is not %s", argv[3],
			       dp_behaviour_names(DP_AT_LABEL, ", ", " or ", names, sizeof(names)));
	e.op = d->id;
	if (d->required & DP_BP_LABEL) {
		if ((rc = need(cf, argv, argc, 4, argv[3])) ||
		    (rc = parse_label(cf, argv[3], argv[4], &e.out_label)))
			return rc;
		i = 5;
	}
	if (d->required & DP_BP_NEXTHOPS && (rc = parse_nexthops(cf, argv, argc, &i, -1, &e.nhg)))
		return rc;
	if (d->optional & DP_BP_FUNCTION && i + 1 < argc && !strcmp(argv[i], "function")) {
		if ((rc = parse_function(cf, argv[i + 1], &e.vnf)))
			return rc;
		i += 2;
	}
	if ((rc = no_more(cf, argv, argc, i)))
		return rc;
	e.stat = dp_stat_add(cf->t, "label %u %s", e.in_label, argv[3]);
	return dp_lfib_add(cf->t, &e, cf->err);
}

/* mpls srgb LO HI | srlb LO HI | node-sid PFX index N [php] [explicit-null]
 * | label N pop|swap OUT NEXTHOPS|pop-forward NEXTHOPS [function F] */
static int st_mpls(struct conf *cf, char **argv, int argc)
{
	struct dp_tables *t = cf->t;

	if (argc >= 2 && !strcmp(argv[1], "srgb"))
		return mpls_range(cf, argv, argc, &t->srgb_lo, &t->srgb_hi);
	if (argc >= 2 && !strcmp(argv[1], "srlb"))
		return mpls_range(cf, argv, argc, &t->srlb_lo, &t->srlb_hi);
	if (argc >= 2 && !strcmp(argv[1], "label"))
		return mpls_label_stmt(cf, argv, argc);
	if (argc >= 5 && !strcmp(argv[1], "node-sid") && !strcmp(argv[3], "index")) {
		struct node_sid ns = {.line = cf->lineno};
		struct node_sid *nv;
		int rc;

		if (addr_parse_prefix(argv[2], &ns.family, ns.prefix, &ns.len))
			return err_set(cf->err, EINVAL, "field 'prefix': '%s' is not a prefix",
				       argv[2]);
		if ((rc = parse_u32(cf, "index", argv[4], 0, 0xfffff, &ns.index)))
			return rc;
		for (int i = 5; i < argc; i++) {
			if (!strcmp(argv[i], "php"))
				ns.php = 1;
			else if (!strcmp(argv[i], "explicit-null"))
				ns.explicit_null = 1;
			else
				return err_set(cf->err, EINVAL,
					       "field '%s': unknown (php, explicit-null)", argv[i]);
		}
		if (cf->n_node_sid == NODE_SID_MAX)
			return err_set(cf->err, ENOSPC, "more than %d node SIDs", NODE_SID_MAX);
		nv = realloc(cf->node_sid, (cf->n_node_sid + 1) * sizeof(*nv));
		if (!nv)
			return err_set(cf->err, ENOMEM, "out of memory");
		cf->node_sid = nv;
		cf->node_sid[cf->n_node_sid++] = ns;
		return 0;
	}
	return err_set(cf->err, EINVAL, "expected 'mpls srgb|srlb|node-sid|label ...'");
}

/* Resolves node SID `ns` into an LFIB entry: ours -> pop; else swap (or
 * PHP pop) toward the route to its prefix. SRGBs are uniform across the
 * domain (the same label everywhere), as RFC 8402 recommends. */
static int node_sid_resolve(struct conf *cf, const struct node_sid *ns)
{
	struct dp_tables *t = cf->t;
	struct dp_lfib e = {.vnf = DP_NONE, .nhg = DP_NONE};
	uint32_t v;
	char a[64];

	if (!t->srgb_hi || t->srgb_lo + ns->index > t->srgb_hi)
		return err_set(cf->err, ERANGE, "field 'index': %u outside the SRGB %u-%u",
			       ns->index, t->srgb_lo, t->srgb_hi);
	e.in_label = t->srgb_lo + ns->index;
	if (!xhash_get(ns->family == 4 ? &t->local4 : &t->local6, ns->prefix, &v)) {
		e.op = DP_LFIB_POP;
	} else {
		e.nhg = dp_route_lookup(t, 0, ns->family, ns->prefix);
		if (e.nhg == DP_NONE)
			return err_set(cf->err, ENOENT, "field 'prefix': no route to %s",
				       addr_fmt(ns->family, ns->prefix, a, sizeof(a)));
		if (ns->php && !ns->explicit_null) {
			e.op = DP_LFIB_POP_FWD;
		} else {
			e.op = DP_LFIB_SWAP;
			e.out_label = ns->explicit_null ? (ns->family == 4 ? 0u : 2u) : e.in_label;
		}
	}
	e.stat = dp_stat_add(t, "label %u node-sid %s", e.in_label,
			     addr_fmt(ns->family, ns->prefix, a, sizeof(a)));
	return dp_lfib_add(t, &e, cf->err);
}

/* sid SID[/LEN] BEHAVIOUR [nh6 A] [nh4 A] [dev IF] [table N] [policy P]
 *     [function F] [hmac [require|verify|ignore]] */
static int st_sid(struct conf *cf, char **argv, int argc)
{
	struct dp_tables *t = cf->t;
	const struct dp_behaviour_desc *d;
	struct dp_sid s = {.vnf = DP_NONE, .nhg = DP_NONE, .policy = DP_NONE};
	uint8_t a[16], nh[16];
	uint32_t have = 0, oif = DP_NONE, table = DP_TABLE_MAIN;
	int fam, len, nh_fam = 0, rc;
	char name[64], names[160];

	if (argc < 3)
		return err_set(cf->err, EINVAL, "expected 'sid SID BEHAVIOUR [PARAMS]'");
	if (addr_parse_prefix(argv[1], &fam, a, &len) || fam != 6)
		return err_set(cf->err, EINVAL, "field 'sid': '%s' is not an IPv6 SID", argv[1]);
	d = dp_behaviour_lookup(DP_AT_SID, argv[2]);
	if (!d)
		return err_set(cf->err, EINVAL, "field 'behaviour': '%s' is not %s", argv[2],
			       dp_behaviour_names(DP_AT_SID, ", ", " or ", names, sizeof(names)));
	for (int i = 3; i < argc; i++) {
		const char *k = argv[i];
		uint32_t bit = !strcmp(k, "nh6")	? DP_BP_NH6
			       : !strcmp(k, "nh4")	? DP_BP_NH4
			       : !strcmp(k, "dev")	? DP_BP_DEV
			       : !strcmp(k, "table")	? DP_BP_TABLE
			       : !strcmp(k, "policy")	? DP_BP_POLICY
			       : !strcmp(k, "function") ? DP_BP_FUNCTION
			       : !strcmp(k, "hmac")	? DP_BP_HMAC
							: 0;

		if (!bit)
			return err_set(cf->err, EINVAL, "field '%s': unknown parameter", k);
		if (!((d->required | d->optional) & bit))
			return err_set(cf->err, EINVAL, "field '%s': %s takes no %s", k, d->name,
				       k);
		if (have & bit)
			return err_set(cf->err, EINVAL, "field '%s': given twice", k);
		have |= bit;
		if (bit == DP_BP_HMAC) {
			/* bare 'hmac' is 'hmac require', as it always was */
			s.hmac = DP_HMAC_REQUIRE;
			if (i + 1 < argc &&
			    (!strcmp(argv[i + 1], "require") || !strcmp(argv[i + 1], "verify") ||
			     !strcmp(argv[i + 1], "ignore")))
				parse_hmac_mode(cf, k, argv[++i], &s.hmac);
			if (s.hmac == DP_HMAC_REQUIRE && !t->srv6_hmac_set)
				return err_set(cf->err, EINVAL,
					       "field 'hmac': set 'srv6 hmac "
					       "key-id N secret S' first");
			continue;
		}
		if ((rc = need(cf, argv, argc, i + 1, k)))
			return rc;
		i++;
		if (bit == DP_BP_NH6 || bit == DP_BP_NH4) {
			if ((rc = parse_addr(cf, k, argv[i], bit == DP_BP_NH6 ? 6 : 4, nh,
					     &nh_fam)))
				return rc;
		} else if (bit == DP_BP_DEV) {
			if ((rc = parse_if(cf, k, argv[i], &oif)))
				return rc;
		} else if (bit == DP_BP_TABLE) {
			if ((rc = parse_u32(cf, k, argv[i], 1, 0xffffffffu, &table)))
				return rc;
		} else if (bit == DP_BP_POLICY) {
			int p = dp_policy_find(t, argv[i]);

			/* which policies fit is the behaviour's check */
			if (p < 0)
				return err_set(cf->err, EINVAL,
					       "field 'policy': no policy '%s' "
					       "(define it first)",
					       argv[i]);
			s.policy = (uint32_t)p;
		} else if ((rc = parse_function(cf, argv[i], &s.vnf))) {
			return rc;
		}
	}
	if (d->required & ~have) {
		uint32_t miss = d->required & ~have;

		return err_set(cf->err, EINVAL, "field '%s': %s needs it",
			       dp_bparam_name(miss & -miss), d->name);
	}
	s.behaviour = d->id;
	memcpy(&s.sid, a, 16);
	s.sid_len = (uint8_t)len;
	if (nh_fam) {
		uint32_t nhi;

		if (oif == DP_NONE) {
			/* the next hop must be on a connected subnet */
			uint32_t g = dp_route_lookup(t, 0, nh_fam, nh);

			if (g == DP_NONE)
				return err_set(cf->err, ENOENT,
					       "field 'dev': no route to the next "
					       "hop; give 'dev IFACE'");
			oif = t->nh[t->buckets[t->nhg[g].first]].oif;
		}
		if ((rc = dp_nh_resolve(t, oif, nh_fam, nh, &nhi, cf->err)) ||
		    (rc = dp_nhg_add(t, &nhi, &(uint32_t){1}, 1, &s.nhg, cf->err)))
			return rc;
	}
	if (have & DP_BP_TABLE) { /* without it: 0, the main table */
		int f = dp_fib_index(t, table, 1);

		if (f < 0)
			return err_set(cf->err, ENOSPC, "field 'table': at most %d tables",
				       DP_FIB_MAX);
		s.fib = (uint32_t)f;
	}
	s.stat = dp_stat_add(t, "sid %s/%d %s", addr_fmt(6, a, name, sizeof(name)), len, d->name);
	return dp_sid_add(t, &s, cf->err);
}

/* "A,B,C" -> up to max items */
static int split_list(char *s, char **items, int max)
{
	int n = 0;

	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		if (n == max)
			return -E2BIG;
		items[n++] = tok;
	}
	return n;
}

static int policy_srv6(struct conf *cf, struct dp_policy *p, char **argv, int argc)
{
	struct dp_tables *t = cf->t;
	struct in6_addr path[DP_SEGS_MAX];
	char *items[DP_SEGS_MAX + 1];
	int n = 0, hmac = 0, hflag = 0, rc;
	uint32_t key_id = t->srv6_hmac_key_id;
	const struct hmac_sha256_key *key = &t->srv6_hmac;

	p->type = DP_POL_SRV6_ENCAPS;
	p->src = t->srv6_src;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "encaps")) {
			p->type = DP_POL_SRV6_ENCAPS;
		} else if (!strcmp(argv[i], "encaps.red")) {
			p->type = DP_POL_SRV6_ENCAPS_RED;
		} else if (!strcmp(argv[i], "hmac")) {
			if (!t->srv6_hmac_set)
				return err_set(cf->err, EINVAL,
					       "field 'hmac': set 'srv6 hmac "
					       "key-id N secret S' first");
			hmac = 1;
		} else if (!strcmp(argv[i], "hflag")) {
			hflag = 1;
		} else if (i + 1 >= argc) {
			return err_set(cf->err, EINVAL, "field '%s': missing value", argv[i]);
		} else if (!strcmp(argv[i], "segs")) {
			n = split_list(argv[++i], items, DP_SEGS_MAX + 1);
			if (n < 0 || n > DP_SEGS_MAX)
				return err_set(cf->err, E2BIG,
					       "field 'segs': more than %d segments", DP_SEGS_MAX);
			for (int k = 0; k < n; k++)
				if ((rc = parse_addr(cf, "segs", items[k], 6, path[k].s6_addr,
						     NULL)))
					return rc;
		} else if (!strcmp(argv[i], "src")) {
			if ((rc = parse_addr(cf, "src", argv[++i], 6, p->src.s6_addr, NULL)))
				return rc;
		} else if (!strcmp(argv[i], "key-id")) {
			uint32_t k;

			if ((rc = parse_u32(cf, "key-id", argv[++i], 1, 0xffffffffu, &key_id)))
				return rc;
			for (k = 0; k < t->n_hmac_key && t->hmac_key[k].id != key_id; k++)
				;
			if (k == t->n_hmac_key)
				return err_set(cf->err, ENOENT,
					       "field 'key-id': no HMAC key %u (set 'srv6 hmac "
					       "key-id %u secret S' first)",
					       key_id, key_id);
			key = &t->hmac_key[k].key;
		} else if (!strcmp(argv[i], "flowlabel")) {
			const char *v = argv[++i];

			if (!strcmp(v, "copy"))
				p->flowlabel = DP_FLOWLABEL_COPY;
			else if (!strcmp(v, "hash"))
				p->flowlabel = DP_FLOWLABEL_HASH;
			else if (!strcmp(v, "zero"))
				p->flowlabel = DP_FLOWLABEL_ZERO;
			else
				return err_set(cf->err, EINVAL,
					       "field 'flowlabel': '%s' is not "
					       "copy, hash or zero",
					       v);
		} else {
			return err_set(cf->err, EINVAL,
				       "field '%s': unknown (segs, src, encaps, "
				       "encaps.red, flowlabel, hmac, hflag, key-id)",
				       argv[i]);
		}
	}
	if (n < 1)
		return err_set(cf->err, EINVAL, "field 'segs': an SRv6 policy needs segments");
	if (IN6_IS_ADDR_UNSPECIFIED(&p->src))
		return err_set(cf->err, EINVAL,
			       "field 'src': no source address (give 'src ADDR' "
			       "or 'srv6 source ADDR' before the policy)");
	p->n = (uint8_t)n;
	p->first = path[0];
	if ((hflag || key_id != t->srv6_hmac_key_id) && !hmac)
		return err_set(cf->err, EINVAL, "field '%s': only with 'hmac'",
			       hflag ? "hflag" : "key-id");
	if (hmac)
		rc = srh_build_hmac_flags(p->srh, sizeof(p->srh), 0, path, n,
					  p->type == DP_POL_SRV6_ENCAPS_RED, &p->src, key, key_id,
					  hflag ? SRH_FLAG_H : 0);
	else
		rc = srh_build(p->srh, sizeof(p->srh), 0, path, n,
			       p->type == DP_POL_SRV6_ENCAPS_RED);
	if (rc < 0)
		return err_set(cf->err, -rc, "field 'segs': cannot build the SRH");
	p->srh_len = (uint16_t)rc;
	return 0;
}

static int policy_mpls(struct conf *cf, struct dp_policy *p, char **argv, int argc)
{
	char *items[DP_LABELS_MAX + 1];
	int n = 0, rc;

	p->type = DP_POL_MPLS;
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			return err_set(cf->err, EINVAL, "field '%s': missing value", argv[i]);
		if (!strcmp(argv[i], "labels")) {
			n = split_list(argv[i + 1], items, DP_LABELS_MAX + 1);
			if (n < 0 || n > DP_LABELS_MAX)
				return err_set(cf->err, E2BIG,
					       "field 'labels': more than %d labels",
					       DP_LABELS_MAX);
			for (int k = 0; k < n; k++)
				if ((rc = parse_label(cf, "labels", items[k], &p->labels[k])))
					return rc;
		} else if (!strcmp(argv[i], "ttl")) {
			if (strcmp(argv[i + 1], "uniform") && strcmp(argv[i + 1], "pipe"))
				return err_set(cf->err, EINVAL,
					       "field 'ttl': '%s' is not uniform "
					       "or pipe",
					       argv[i + 1]);
			p->ttl_pipe = !strcmp(argv[i + 1], "pipe");
		} else {
			return err_set(cf->err, EINVAL, "field '%s': unknown (labels, ttl)",
				       argv[i]);
		}
	}
	if (n < 1)
		return err_set(cf->err, EINVAL, "field 'labels': an MPLS policy needs labels");
	p->n = (uint8_t)n;
	return 0;
}

static int policy_nsh(struct conf *cf, struct dp_policy *p, char **argv, int argc)
{
	uint32_t v = 0;
	int rc, have_spi = 0;

	p->type = DP_POL_NSH;
	p->nsh_si = 255;
	p->nsh_md_type = 1;
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			return err_set(cf->err, EINVAL, "field '%s': missing value", argv[i]);
		if (!strcmp(argv[i], "spi")) {
			if ((rc = parse_u32(cf, "spi", argv[i + 1], 0, 0xffffff, &p->nsh_spi)))
				return rc;
			have_spi = 1;
		} else if (!strcmp(argv[i], "si")) {
			if ((rc = parse_u32(cf, "si", argv[i + 1], 1, 255, &v)))
				return rc;
			p->nsh_si = (uint8_t)v;
		} else if (!strcmp(argv[i], "md")) {
			if ((rc = parse_u32(cf, "md", argv[i + 1], 1, 2, &v)))
				return rc;
			p->nsh_md_type = (uint8_t)v;
		} else {
			return err_set(cf->err, EINVAL, "field '%s': unknown (spi, si, md)",
				       argv[i]);
		}
	}
	if (!have_spi)
		return err_set(cf->err, EINVAL, "field 'spi': an NSH policy needs an SPI");
	return 0;
}

/* policy NAME srv6|mpls|nsh ... */
static int st_policy(struct conf *cf, char **argv, int argc)
{
	struct dp_policy p;
	int rc;

	memset(&p, 0, sizeof(p));
	if (argc < 3)
		return err_set(cf->err, EINVAL, "expected 'policy NAME srv6|mpls|nsh ...'");
	if (strlen(argv[1]) >= sizeof(p.name))
		return err_set(cf->err, EINVAL, "field 'name': longer than %zu characters",
			       sizeof(p.name) - 1);
	snprintf(p.name, sizeof(p.name), "%s", argv[1]);
	if (!strcmp(argv[2], "srv6"))
		rc = policy_srv6(cf, &p, argv, argc);
	else if (!strcmp(argv[2], "mpls"))
		rc = policy_mpls(cf, &p, argv, argc);
	else if (!strcmp(argv[2], "nsh"))
		rc = policy_nsh(cf, &p, argv, argc);
	else
		return err_set(cf->err, EINVAL, "field 'type': '%s' is not srv6, mpls or nsh",
			       argv[2]);
	if (rc)
		return rc;
	p.stat = dp_stat_add(cf->t, "policy %s", p.name);
	rc = dp_policy_add(cf->t, &p, cf->err);
	return rc < 0 ? rc : 0;
}

/* classify [inner] [MATCH] policy NAME | forward | drop;  classify default forward|drop */
static int st_classify(struct conf *cf, char **argv, int argc, int line)
{
	struct dp_tables *t = cf->t;
	struct dp_rule r = {.policy = DP_NONE};
	char desc[200];
	int i = 1, rc;

	if (argc == 3 && !strcmp(argv[1], "default")) {
		if (!strcmp(argv[2], "forward"))
			t->default_action = DP_ACT_FORWARD;
		else if (!strcmp(argv[2], "drop"))
			t->default_action = DP_ACT_DROP;
		else
			return err_set(cf->err, EINVAL,
				       "field 'default': '%s' is not forward or "
				       "drop",
				       argv[2]);
		return 0;
	}
	/* 'inner': match the innermost packet instead of the one received */
	if (argc > 1 && !strcmp(argv[1], "inner"))
		i++;
	if ((rc = dp_match_parse(t, argv, argc, &i, &r.m, cf->err)))
		return rc;
	r.m.inner = i > 1 && !strcmp(argv[1], "inner");
	if (i < argc && !strcmp(argv[i], "policy")) {
		int p;

		if ((rc = need(cf, argv, argc, i + 1, "policy")))
			return rc;
		p = dp_policy_find(t, argv[i + 1]);
		if (p < 0)
			return err_set(cf->err, EINVAL,
				       "field 'policy': no policy '%s' (define it "
				       "first)",
				       argv[i + 1]);
		r.action = DP_ACT_STEER;
		r.policy = (uint32_t)p;
		i += 2;
	} else if (i < argc && (!strcmp(argv[i], "forward") || !strcmp(argv[i], "drop"))) {
		r.action = !strcmp(argv[i], "drop") ? DP_ACT_DROP : DP_ACT_FORWARD;
		i++;
	} else {
		return err_set(cf->err, EINVAL,
			       "field '%s': expected a match field (proto, src, "
			       "dst, sport, dport, in, family) or policy NAME, "
			       "forward, drop",
			       i < argc ? argv[i] : "action");
	}
	if ((rc = no_more(cf, argv, argc, i)))
		return rc;
	r.line = (uint32_t)line;
	/* named by what the rule says, not where it stands: adding or
	 * removing other rules at run time leaves its counter alone */
	dp_match_format(t, &r.m, desc, sizeof(desc));
	r.stat = dp_stat_add(t, "classify%s -> %s", desc,
			     r.action == DP_ACT_STEER  ? t->policy[r.policy].name
			     : r.action == DP_ACT_DROP ? "drop"
						       : "forward");
	return dp_rule_add(t, &r, cf->err);
}

/* nsh spi N si N function F | forward NEXTHOPS | vxlan remote A local A [vni N] | end
 * The action is a path behaviour of the registry (dp/behaviour.h): its
 * parameters say what follows its name. */
static int st_nsh(struct conf *cf, char **argv, int argc)
{
	struct dp_tables *t = cf->t;
	struct dp_sff f = {.vnf = DP_NONE, .nhg = DP_NONE};
	const struct dp_behaviour_desc *d;
	uint32_t spi = 0, si = 0;
	char names[128];
	int i = 6, rc;

	if (argc < 6 || strcmp(argv[1], "spi") || strcmp(argv[3], "si"))
		return err_set(cf->err, EINVAL, "expected 'nsh spi N si N ACTION'");
	if ((rc = parse_u32(cf, "spi", argv[2], 0, 0xffffff, &spi)) ||
	    (rc = parse_u32(cf, "si", argv[4], 0, 255, &si)))
		return rc;
	d = dp_behaviour_lookup(DP_AT_PATH, argv[5]);
	if (!d)
		return err_set(cf->err, EINVAL, "field 'action': '%s' is not %s", argv[5],
			       dp_behaviour_names(DP_AT_PATH, ", ", " or ", names, sizeof(names)));
	f.action = d->id;
	if (d->required & DP_BP_FUNCTION) {
		if ((rc = need(cf, argv, argc, 6, "function")) ||
		    (rc = parse_function(cf, argv[6], &f.vnf)))
			return rc;
		i = 7;
	} else if (d->required & DP_BP_NEXTHOPS) {
		if ((rc = parse_nexthops(cf, argv, argc, &i, -1, &f.nhg)))
			return rc;
	} else if (d->required & DP_BP_REMOTE) {
		int have = 0, fam_l = 0;

		for (; i < argc; i += 2) {
			if ((rc = need(cf, argv, argc, i + 1, argv[i])))
				return rc;
			if (!strcmp(argv[i], "remote")) {
				int fam = 0;

				if ((rc = parse_addr(cf, "remote", argv[i + 1], 0, f.remote, &fam)))
					return rc;
				f.remote_family = (uint8_t)fam;
				have |= 1;
			} else if (!strcmp(argv[i], "local")) {
				if ((rc = parse_addr(cf, "local", argv[i + 1], 0, f.local, &fam_l)))
					return rc;
				have |= 2;
			} else if (!strcmp(argv[i], "vni")) {
				if ((rc = parse_u32(cf, "vni", argv[i + 1], 0, 0xffffff, &f.vni)))
					return rc;
			} else {
				return err_set(cf->err, EINVAL,
					       "field '%s': unknown (remote, "
					       "local, vni)",
					       argv[i]);
			}
		}
		if (have != 3)
			return err_set(cf->err, EINVAL, "field '%s': vxlan needs remote and local",
				       have & 1 ? "local" : "remote");
		if (fam_l != f.remote_family)
			return err_set(cf->err, EINVAL,
				       "field 'local': family differs from remote");
	}
	if ((rc = no_more(cf, argv, argc, i)))
		return rc;
	f.stat = dp_stat_add(t, "nsh spi %u si %u %s", spi, si, argv[5]);
	return dp_sff_add(t, spi, si, &f, cf->err);
}

/* function NAME TYPE ARGS... (create) | function NAME ARGS... (configure) */
static int st_function(struct conf *cf, char **argv, int argc)
{
	int v;

	if (argc < 3)
		return err_set(cf->err, EINVAL, "expected 'function NAME TYPE [ARGS]'");
	v = vnf_find(cf->t, argv[1]);
	if (v >= 0) {
		if (vnf_ops_find(argv[2]))
			return err_set(cf->err, EEXIST,
				       "field 'name': function '%s' already exists", argv[1]);
		return vnf_config(cf->t, v, argv + 2, argc - 2, cf->err);
	}
	v = vnf_add(cf->t, argv[1], argv[2], argv + 3, argc - 3, cf->err);
	return v < 0 ? v : 0;
}

static int tokenize(char *line, char **argv)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == CONF_ARGS_MAX)
			return -E2BIG;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = 0;
	}
	return argc;
}

static int conf_stmt(struct conf *cf, char **argv, int argc, int line)
{
	static const struct {
		const char *kw;
		stmt_fn fn;
	} stmts[] = {
		{"interface", st_interface}, {"neighbor", st_neighbor}, {"route", st_route},
		{"srv6", st_srv6},	     {"mpls", st_mpls},		{"sid", st_sid},
		{"policy", st_policy},	     {"nsh", st_nsh},		{"function", st_function},
	};

	if (!strcmp(argv[0], "classify"))
		return st_classify(cf, argv, argc, line);
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (!strcmp(argv[0], stmts[i].kw))
			return stmts[i].fn(cf, argv, argc);
	return err_set(cf->err, EINVAL,
		       "unknown statement '%s' (interface, neighbor, route, srv6, mpls, sid, "
		       "policy, classify, nsh, function)",
		       argv[0]);
}

int conf_apply(struct dp_tables *t, const char *text, size_t len, const char *fname,
	       struct err *err)
{
	struct conf cf = {.t = t, .err = err};
	char line[CONF_LINE_MAX + 1], *argv[CONF_ARGS_MAX];
	size_t pos = 0;
	int lineno = 0, rc = 0;

	while (pos < len) {
		size_t end = pos;
		int argc;

		while (end < len && text[end] != '\n')
			end++;
		lineno++;
		if (end - pos > CONF_LINE_MAX) {
			rc = err_set(err, E2BIG, "line longer than %d characters", CONF_LINE_MAX);
			goto err_line;
		}
		memcpy(line, text + pos, end - pos);
		line[end - pos] = 0;
		if (strlen(line) != end - pos) {
			rc = err_set(err, EINVAL, "NUL byte in the line");
			goto err_line;
		}
		pos = end + 1;
		cf.lineno = lineno;
		argc = tokenize(line, argv);
		if (argc < 0) {
			rc = err_set(err, E2BIG, "more than %d words on one line", CONF_ARGS_MAX);
			goto err_line;
		}
		if (!argc)
			continue;
		rc = conf_stmt(&cf, argv, argc, lineno);
		if (rc)
			goto err_line;
	}
	for (uint32_t i = 0; i < cf.n_node_sid; i++) {
		lineno = cf.node_sid[i].line;
		rc = node_sid_resolve(&cf, &cf.node_sid[i]);
		if (rc)
			goto err_line;
	}
	free(cf.node_sid);
	return 0;
err_line:
	free(cf.node_sid);
	err_prefix(err, "%s:%d: ", fname, lineno);
	return rc;
}

struct dp_tables *conf_load(const char *path, uint32_t n_workers, struct err *err)
{
	struct dp_tables *t;
	char *buf;
	size_t n;

	if (file_read(path, FILE_READ_MAX, &buf, &n, err))
		return NULL;
	t = dp_tables_new(n_workers);
	if (!t) {
		free(buf);
		err_set(err, ENOMEM, "%s: out of memory", path);
		return NULL;
	}
	if (conf_apply(t, buf, n, path, err) || dp_tables_finish(t, err)) {
		free(buf);
		dp_tables_free(t);
		return NULL;
	}
	free(buf);
	return t;
}

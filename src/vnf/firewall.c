/* Stateless firewall: ordered allow/deny rules on the inner 5-tuple,
 * evaluated per packet, first match wins, then the default action (the
 * SR-Firewall of the SR-MPLS/PCEP seed work). Each rule counts its hits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp/dp.h"
#include "dp/fn.h"
#include "dp/match.h"
#include "vnf/vnf.h"

#define FW_RULES_MAX 256

struct fw_rule {
	struct dp_match m;
	uint8_t allow;
	uint32_t stat;
};

struct fw {
	uint32_t n;
	uint8_t default_allow;
	uint32_t stat_default;
	struct fw_rule rule[FW_RULES_MAX];
};

static int fw_verdict(const char *s, uint8_t *allow)
{
	if (!strcmp(s, "allow") || !strcmp(s, "accept"))
		*allow = 1;
	else if (!strcmp(s, "deny") || !strcmp(s, "drop"))
		*allow = 0;
	else
		return -EINVAL;
	return 0;
}

static int fw_create(struct dp_fn *v, struct dp_tables *t, char **argv, int argc, struct err *err)
{
	struct fw *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return err_set(err, ENOMEM, "out of memory");
	fw->default_allow = 0;
	for (int i = 0; i < argc; i += 2) {
		if (strcmp(argv[i], "default") || i + 1 >= argc ||
		    fw_verdict(argv[i + 1], &fw->default_allow)) {
			free(fw);
			return err_set(err, EINVAL, "field '%s': expected 'default allow|deny'",
				       argv[i]);
		}
	}
	fw->stat_default = dp_stat_add(t, "function %s default %s", v->name,
				       fw->default_allow ? "allow" : "deny");
	v->priv = fw;
	return 0;
}

/* `function NAME rule allow|deny MATCH...` or `function NAME default allow|deny` */
static int fw_config(struct dp_fn *v, struct dp_tables *t, char **argv, int argc, struct err *err)
{
	struct fw *fw = v->priv;
	struct fw_rule r = {0};
	char desc[200];
	int i = 2, rc;

	if (argc == 2 && !strcmp(argv[0], "default")) {
		if (fw_verdict(argv[1], &fw->default_allow))
			return err_set(err, EINVAL, "field 'default': '%s' is not allow or deny",
				       argv[1]);
		return 0;
	}
	if (argc < 2 || strcmp(argv[0], "rule") || fw_verdict(argv[1], &r.allow))
		return err_set(err, EINVAL,
			       "expected 'rule allow|deny [MATCH]' or 'default "
			       "allow|deny'");
	rc = dp_match_parse(t, argv, argc, &i, &r.m, err);
	if (rc)
		return rc;
	if (i < argc)
		return err_set(err, EINVAL,
			       "field '%s': unknown match field (proto, src, dst, "
			       "sport, dport, in, family)",
			       argv[i]);
	if (fw->n == FW_RULES_MAX)
		return err_set(err, ENOSPC, "more than %d rules in function %s", FW_RULES_MAX,
			       v->name);
	/* named by what the rule says, not where it stands: adding or
	 * removing other rules at run time leaves its counter alone */
	dp_match_format(t, &r.m, desc, sizeof(desc));
	r.stat = dp_stat_add(t, "function %s rule %s%s", v->name, r.allow ? "allow" : "deny", desc);
	fw->rule[fw->n++] = r;
	return 0;
}

static void fw_destroy(struct dp_fn *v)
{
	free(v->priv);
}

static uint32_t fw_process(struct dp_ctx *c, struct dp_fn *v, struct pkt **p, uint32_t n)
{
	const struct fw *fw = v->priv;
	uint32_t keep = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct dp_cls_key k;
		uint8_t allow = fw->default_allow;
		uint32_t stat = fw->stat_default;

		if (dp_cls_key_from_pkt(p[i], &k) == 0) {
			for (uint32_t r = 0; r < fw->n; r++) {
				if (dp_match_test(&fw->rule[r].m, &k)) {
					allow = fw->rule[r].allow;
					stat = fw->rule[r].stat;
					break;
				}
			}
		}
		dp_stat(c, stat, p[i]->len);
		if (allow)
			p[keep++] = p[i];
		else
			dp_drop(c, p[i], DP_CTR_VNF_DROP);
	}
	return keep;
}

const struct vnf_ops vnf_firewall_ops = {
	.fn = {.type = "firewall", .run = fw_process, .free = fw_destroy},
	.usage = "function NAME firewall [default allow|deny]\n"
		 "function NAME rule allow|deny [proto P] [src PFX] [dst PFX] [sport N[-M]] "
		 "[dport N[-M]] [in IFACE]\n"
		 "function NAME default allow|deny",
	.create = fw_create,
	.config = fw_config,
};

/* The behaviour registry (dp/behaviour.h): lookups over the families'
 * descriptor arrays. Configuration time only: stages call through the
 * descriptor pointer that each table entry holds. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dp/behaviour.h"
#include "dp/tables.h"

/* Every family file's array, listed once. */
static const struct dp_behaviour_desc *const families[] = {
	dp_srv6_end_behaviours, dp_srv6_decap_behaviours, dp_srv6_encap_behaviours,
	dp_mpls_behaviours,	dp_nsh_behaviours,
};

#define FAMILIES (sizeof(families) / sizeof(families[0]))

const struct dp_behaviour_desc *dp_behaviour_at(enum dp_bpoint at, unsigned id)
{
	for (size_t f = 0; f < FAMILIES; f++)
		for (const struct dp_behaviour_desc *d = families[f]; d->name; d++)
			if (d->at == at && d->id == id)
				return d;
	return NULL;
}

const struct dp_behaviour_desc *dp_behaviour_lookup(enum dp_bpoint at, const char *name)
{
	for (size_t f = 0; f < FAMILIES; f++)
		for (const struct dp_behaviour_desc *d = families[f]; d->name; d++)
			if (d->at == at &&
			    (!strcmp(d->name, name) || (d->alias && !strcmp(d->alias, name))))
				return d;
	return NULL;
}

const char *dp_behaviour_names(enum dp_bpoint at, const char *sep, const char *last, char *buf,
			       size_t len)
{
	const struct dp_behaviour_desc *d;
	size_t used = 0;

	buf[0] = 0;
	/* ids are dense from 0: walk them in order */
	for (unsigned id = 0; (d = dp_behaviour_at(at, id)) != NULL; id++) {
		const char *s = !id ? "" : dp_behaviour_at(at, id + 1) ? sep : last;
		int n = snprintf(buf + used, len - used, "%s%s", s, d->name);

		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = 0; /* whole names only */
			break;
		}
		used += (size_t)n;
	}
	return buf;
}

int dp_behaviour_check(enum dp_bpoint at, unsigned id, const struct dp_tables *t, const void *entry,
		       const struct dp_behaviour_desc **out, struct err *err)
{
	const struct dp_behaviour_desc *d = dp_behaviour_at(at, id);
	char names[160];

	if (!d)
		return err_set(err, EINVAL, "field 'behaviour': %u is not one of %s", id,
			       dp_behaviour_names(at, ", ", " or ", names, sizeof(names)));
	if (d->check) {
		int rc = d->check(d, t, entry, err);

		if (rc)
			return rc;
	}
	*out = d;
	return 0;
}

const struct dp_behaviour_desc *dp_behaviour_find(const char *name)
{
	return dp_behaviour_lookup(DP_AT_SID, name);
}

const struct dp_behaviour_desc *dp_behaviour_get(unsigned id)
{
	return dp_behaviour_at(DP_AT_SID, id);
}

const char *dp_bparam_name(uint32_t bit)
{
	switch (bit) {
	case DP_BP_NH6:
		return "nh6";
	case DP_BP_NH4:
		return "nh4";
	case DP_BP_DEV:
		return "dev";
	case DP_BP_TABLE:
		return "table";
	case DP_BP_POLICY:
		return "policy";
	case DP_BP_FUNCTION:
		return "function";
	case DP_BP_HMAC:
		return "hmac";
	case DP_BP_LABEL:
		return "label";
	case DP_BP_NEXTHOPS:
		return "via";
	case DP_BP_REMOTE:
		return "remote";
	case DP_BP_LOCAL:
		return "local";
	case DP_BP_VNI:
		return "vni";
	}
	return "?";
}

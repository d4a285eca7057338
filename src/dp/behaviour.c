#include <string.h>

#include "dp/behaviour.h"
#include "dp/tables.h"

#define COMMON (DP_BP_FUNCTION | DP_BP_HMAC)

static const struct dp_behaviour_desc descs[DP_B_MAX] = {
	{"End", DP_B_END, 0, COMMON,
	 "advance to the next segment, route by the FIB (RFC 8986 4.1)"},
	{"End.X", DP_B_END_X, DP_BP_NH6, DP_BP_DEV | COMMON,
	 "advance, forward to an adjacency (4.2)"},
	{"End.DX4", DP_B_END_DX4, DP_BP_NH4, DP_BP_DEV | COMMON,
	 "decapsulate, forward the IPv4 packet to a next hop (4.5)"},
	{"End.DX6", DP_B_END_DX6, DP_BP_NH6, DP_BP_DEV | COMMON,
	 "decapsulate, forward the IPv6 packet to a next hop (4.4)"},
	{"End.DT4", DP_B_END_DT4, 0, DP_BP_TABLE | COMMON,
	 "decapsulate, look the IPv4 packet up in a table (4.7)"},
	{"End.DT6", DP_B_END_DT6, 0, DP_BP_TABLE | COMMON,
	 "decapsulate, look the IPv6 packet up in a table (4.6)"},
	{"End.B6.Encaps", DP_B_END_B6_ENCAPS, DP_BP_POLICY, COMMON,
	 "advance, then push a new IPv6 header and SRH from a policy (4.13)"},
};

const struct dp_behaviour_desc *dp_behaviour_find(const char *name)
{
	for (unsigned i = 0; i < DP_B_MAX; i++)
		if (!strcmp(descs[i].name, name))
			return &descs[i];
	return NULL;
}

const struct dp_behaviour_desc *dp_behaviour_get(unsigned id)
{
	return id < DP_B_MAX ? &descs[id] : NULL;
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
	}
	return "?";
}

#include "dp/counters.h"

static const char *const names[DP_CTR_MAX] = {
#define DP_CTR_NAME(id, name, help) [DP_CTR_##id] = name,
	DP_COUNTERS(DP_CTR_NAME)
#undef DP_CTR_NAME
};

static const char *const helps[DP_CTR_MAX] = {
#define DP_CTR_HELP(id, name, help) [DP_CTR_##id] = help,
	DP_COUNTERS(DP_CTR_HELP)
#undef DP_CTR_HELP
};

const char *dp_ctr_name(enum dp_ctr c)
{
	return (unsigned)c < DP_CTR_MAX ? names[c] : "?";
}

const char *dp_ctr_help(enum dp_ctr c)
{
	return (unsigned)c < DP_CTR_MAX ? helps[c] : "?";
}

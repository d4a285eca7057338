/* SRv6 behaviour descriptors: one table that says, for every behaviour, its
 * name as RFC 8986 writes it and which parameters it needs. Parameters are
 * checked here when a SID is configured, never per packet. */
#ifndef SRCHAIN_DP_BEHAVIOUR_H
#define SRCHAIN_DP_BEHAVIOUR_H

#include <stdint.h>

enum dp_bparam {
	DP_BP_NH6 = 1u << 0,	  /* nh6 ADDR: IPv6 next hop (End.X, End.DX6) */
	DP_BP_NH4 = 1u << 1,	  /* nh4 ADDR: IPv4 next hop (End.DX4) */
	DP_BP_DEV = 1u << 2,	  /* dev IFACE: output interface of that next hop */
	DP_BP_TABLE = 1u << 3,	  /* table N: lookup table (End.DT4/DT6) */
	DP_BP_POLICY = 1u << 4,	  /* policy NAME: the pushed list (End.B6.Encaps) */
	DP_BP_FUNCTION = 1u << 5, /* function NAME: SR-aware function run first */
	DP_BP_HMAC = 1u << 6,	  /* hmac: verify the SRH HMAC TLV */
};

struct dp_behaviour_desc {
	const char *name;
	uint8_t id; /* enum dp_behaviour */
	uint32_t required, optional;
	const char *help;
};

const struct dp_behaviour_desc *dp_behaviour_find(const char *name);
const struct dp_behaviour_desc *dp_behaviour_get(unsigned id);
/* Name of a parameter bit, as written in the configuration. */
const char *dp_bparam_name(uint32_t bit);

#endif

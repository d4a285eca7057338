/* Offline mode: replay pcap files through the data plane as if they had
 * arrived on named interfaces, and write what the node would transmit. */
#ifndef SRCHAIND_OFFLINE_H
#define SRCHAIND_OFFLINE_H

#include <stdint.h>

#define OFFLINE_INPUTS_MAX 16

struct offline_opts {
	const char *conf;
	const char *out_dir;
	int n_in;
	const char *in_if[OFFLINE_INPUTS_MAX];
	const char *in_file[OFFLINE_INPUTS_MAX];
	int json;
	int write_drops;
	int quiet;
};

int offline_run(const struct offline_opts *o);

#endif

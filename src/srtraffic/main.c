/* srtraffic: traffic generator (send) and sink (recv) for the srchain lab. */
#include <stdio.h>
#include <string.h>

#include "lib/version.h"
#include "srtraffic/sender.h"
#include "srtraffic/sink.h"

static const char usage_text[] =
	"NAME\n"
	"    srtraffic - traffic generator and sink for the srchain namespace lab\n"
	"\n"
	"SYNOPSIS\n"
	"    srtraffic send --dst ADDR [OPTIONS]\n"
	"    srtraffic recv --udp PORTS | --tcp PORTS [OPTIONS]\n"
	"    srtraffic help [send|recv]\n"
	"    srtraffic --version\n"
	"\n"
	"DESCRIPTION\n"
	"    send generates UDP or TCP flows whose payloads carry a flow id, a\n"
	"    sequence number and a CLOCK_MONOTONIC send time; recv counts per flow\n"
	"    what arrived, what was lost, duplicated or reordered, and the one-way\n"
	"    latency. Both print a summary line on stderr and, with --json FILE, a\n"
	"    report for scripts. 'srtraffic send --help' and 'srtraffic recv --help'\n"
	"    describe each in full.\n"
	"\n"
	"EXIT STATUS\n"
	"    0 success, 1 runtime error, 2 usage error, 3 (send) a flow failed.\n";

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version"))
		return version_print(stdout, "srtraffic");
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(cmd, "send") == 0)
		return sender_main(argc - 1, argv + 1);
	if (strcmp(cmd, "recv") == 0)
		return sink_main(argc - 1, argv + 1);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		static char help[] = "--help";
		char *sub[] = {argv[1], help, NULL};

		if (argc > 2 && strcmp(argv[2], "send") == 0)
			return sender_main(2, sub);
		if (argc > 2 && strcmp(argv[2], "recv") == 0)
			return sink_main(2, sub);
		fputs(usage_text, stdout);
		return 0;
	}
	fprintf(stderr,
		"srtraffic: unknown command '%s' (expected send or recv; see 'srtraffic --help')\n",
		cmd);
	return 2;
}

/* srchaind: the srchain node daemon. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/behaviour.h"
#include "dp/counters.h"
#include "dp/tables.h"
#include "lib/addr.h"
#include "lib/version.h"
#include "srchaind/live.h"
#include "srchaind/offline.h"
#include "vnf/vnf.h"

static void usage(FILE *f)
{
	fprintf(f,
		"NAME\n"
		"    srchaind - the srchain node: Segment Routing service chaining\n"
		"\n"
		"SYNOPSIS\n"
		"    srchaind -c FILE --live --dev IF[,IF...] [--workers N] [--pidfile PATH]\n"
		"             [--ctl PATH] [--stats-interval SEC] [--allow-kernel-forwarding]\n"
		"             [--io afxdp|afpacket] [--json] [-q]\n"
		"    srchaind -c FILE --check\n"
		"    srchaind -c FILE --offline --in IFACE=IN.pcap [--in ...] --out DIR\n"
		"             [--json] [--drops] [-q]\n"
		"    srchaind --list-counters | --list-behaviours | --version\n"
		"\n"
		"DESCRIPTION\n"
		"srchaind is the srchain node: it steers packets into service chains with\n"
		"SR-MPLS, SRv6 or NSH and runs SR-aware functions on them.\n"
		"\n"
		"MODES\n"
		"  --live             serve the kernel interfaces named by --dev. Interfaces\n"
		"                     (MAC, MTU), their addresses, the main routing table\n"
		"                     (IPv4/IPv6, gateways, multipath) and the neighbour\n"
		"                     tables are read from the kernel over rtnetlink; FILE\n"
		"                     adds the SR part (SIDs, policies, classifiers,\n"
		"                     functions) on top. In FILE, 'interface IF classify'\n"
		"                     (no mac) marks a served interface as classifying.\n"
		"                     Tables are rebuilt when the kernel's state changes and\n"
		"                     on SIGHUP (which also rereads FILE); a rebuild that\n"
		"                     fails is logged and the running tables stay.\n"
		"                     SIGINT or SIGTERM stops the daemon, which then prints\n"
		"                     its counters.\n"
		"                     The kernel keeps receiving every frame (AF_PACKET), so\n"
		"                     it must not forward them too: IP forwarding must be off\n"
		"                     in srchaind's namespace (net.ipv4.conf.IF.forwarding=0\n"
		"                     for each served IF, net.ipv6.conf.all.forwarding=0).\n"
		"                     srchaind checks this and refuses to start otherwise.\n"
		"                     Next hops are resolved by the kernel: a neighbour the\n"
		"                     kernel has not resolved is a drop (neigh_unresolved).\n"
		"  --check            parse and build FILE, print a summary, exit 0 if valid.\n"
		"                     A bad file prints FILE:LINE: field 'NAME': reason.\n"
		"  --offline          replay pcap files through the data plane as if each had\n"
		"                     arrived on IFACE, and write what the node would send:\n"
		"                     DIR/IFACE.pcap per output interface, DIR/host.pcap for\n"
		"                     packets handed to the host stack, DIR/drop.pcap for drops\n"
		"                     (with --drops). Then print every non-zero counter.\n"
		"\n"
		"OPTIONS\n"
		"  -c, --config FILE  node configuration (format: doc/srchaind.conf.md)\n"
		"  -d, --dev IF,...   (live) interfaces to serve, at most 64; they are the\n"
		"                     data plane's interfaces in this order\n"
		"  -w, --workers N    (live) worker threads, 1-64 (default: one per online\n"
		"                     CPU). Each worker sleeps in poll() while idle; several\n"
		"                     workers share each interface by flow hash (fanout)\n"
		"      --io BACKEND   (live) packet I/O: 'afxdp' (an XDP program, built into\n"
		"                     srchaind, redirects to AF_XDP sockets what srchaind\n"
		"                     forwards and passes the rest, e.g. ARP, ND, traffic\n"
		"                     to the host's own addresses, to the kernel; attached\n"
		"                     in native mode, else generic; one worker per rx\n"
		"                     queue), 'afxdp-native', 'afxdp-generic' (that mode\n"
		"                     only), or 'afpacket' (the kernel sees every frame too).\n"
		"                     Default: afxdp if it can be set up, else afpacket\n"
		"                     (the reason is logged)\n"
		"      --pidfile PATH (live) write the daemon's PID to PATH, removed at exit\n"
		"      --ctl PATH     (live) control socket for srchainctl (mode 0600, removed\n"
		"                     at exit; default /run/srchaind.sock, used only if no\n"
		"                     other daemon holds it; 'none': no socket). Each daemon\n"
		"                     on one host needs its own PATH. Changes made with\n"
		"                     'srchainctl config add|remove' stay in memory: FILE\n"
		"                     is not rewritten and SIGHUP goes back to it\n"
		"      --stats-interval SEC\n"
		"                     (live) also print the counters every SEC seconds\n"
		"      --allow-kernel-forwarding\n"
		"                     (live) start even if the kernel forwards IP on the\n"
		"                     served interfaces (packets may then leave twice)\n"
		"  -i, --in IFACE=F   (offline) input pcap (classic pcap, Ethernet) for\n"
		"                     interface IFACE; repeat for several interfaces,\n"
		"                     processed in order\n"
		"  -o, --out DIR      (offline) output directory (created if missing)\n"
		"  -j, --json         counters and per-object statistics as JSON on stdout\n"
		"      --drops        (offline) also write dropped packets to DIR/drop.pcap\n"
		"  -q, --quiet        print nothing on success (live: no log lines, no\n"
		"                     counters at exit unless --json)\n"
		"      --list-counters   the drop and event counters with their meaning\n"
		"      --list-behaviours the SRv6 behaviours and their parameters\n"
		"  -h, --help         this text\n"
		"      --version      the version (release and commit) and exit\n"
		"\n"
		"STATISTICS\n"
		"(live) 'counters' are the data plane's named events and drop\n"
		"reasons (see --list-counters); 'objects' count packets and bytes per\n"
		"interface, SID, policy, rule and function rule, and survive reloads;\n"
		"'ports' are per-interface socket counters: not_ours = broadcast, multicast\n"
		"or other-host frames left to the kernel, csum_fixed = checksums completed\n"
		"in software for frames sent with checksum offload, kernel_drops = frames\n"
		"lost because a socket queue was full. With AF_XDP, not_ours counts every\n"
		"frame the XDP program passed to the kernel (ARP, ND, the host's own\n"
		"traffic, ...), truncated the frames it dropped as too large for a frame.\n"
		"\n"
		"EXIT STATUS\n"
		"0 success, 1 runtime or configuration error, 2 usage error.\n"
		"\n"
		"SEE ALSO\n"
		"srchaind(8), srchaind.conf(5), srchainctl(8)\n");
}

static int list_counters(void)
{
	for (int c = 0; c < DP_CTR_MAX; c++)
		printf("%-24s %s\n", dp_ctr_name((enum dp_ctr)c), dp_ctr_help((enum dp_ctr)c));
	return 0;
}

static int list_behaviours(void)
{
	for (unsigned i = 0; dp_behaviour_get(i); i++) {
		const struct dp_behaviour_desc *d = dp_behaviour_get(i);

		printf("%-14s", d->name);
		for (uint32_t b = 1; b && b <= (d->required | d->optional); b <<= 1) {
			if (d->required & b)
				printf(" %s", dp_bparam_name(b));
			else if (d->optional & b)
				printf(" [%s]", dp_bparam_name(b));
		}
		printf("\n    %s\n", d->help);
	}
	return 0;
}

static int check(const char *conf)
{
	struct err err = {{0}};
	struct dp_tables *t = conf_load(conf, 1, &err);

	if (!t) {
		fprintf(stderr, "srchaind: %s\n", err.msg);
		return 1;
	}
	printf("%s: ok: %u interfaces, %u local SIDs, %u labels, %u policies, %u classifier "
	       "rules, %u path entries, %u functions\n",
	       conf, t->n_if, t->n_sid, t->n_lfib, t->n_policy, t->n_rule, t->n_sff, t->n_vnf);
	dp_tables_free(t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version"))
		return version_print(stdout, "srchaind");
	enum {
		OPT_DROPS = 256,
		OPT_CHECK,
		OPT_OFFLINE,
		OPT_LIVE,
		OPT_LCTR,
		OPT_LBEH,
		OPT_PIDFILE,
		OPT_STATS,
		OPT_ALLOW_FWD,
		OPT_CTL,
		OPT_IO
	};
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"in", required_argument, NULL, 'i'},
		{"out", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"drops", no_argument, NULL, OPT_DROPS},
		{"check", no_argument, NULL, OPT_CHECK},
		{"offline", no_argument, NULL, OPT_OFFLINE},
		{"live", no_argument, NULL, OPT_LIVE},
		{"dev", required_argument, NULL, 'd'},
		{"workers", required_argument, NULL, 'w'},
		{"pidfile", required_argument, NULL, OPT_PIDFILE},
		{"ctl", required_argument, NULL, OPT_CTL},
		{"io", required_argument, NULL, OPT_IO},
		{"stats-interval", required_argument, NULL, OPT_STATS},
		{"allow-kernel-forwarding", no_argument, NULL, OPT_ALLOW_FWD},
		{"list-counters", no_argument, NULL, OPT_LCTR},
		{"list-behaviours", no_argument, NULL, OPT_LBEH},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct offline_opts o = {0};
	static struct live_opts lo;
	uint64_t v;
	int mode = 0, c, rc;

	while ((c = getopt_long(argc, argv, "c:i:o:d:w:jqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.conf = optarg;
			break;
		case 'd':
			rc = live_parse_devs(&lo, optarg);
			if (rc) {
				fprintf(stderr, "srchaind: --dev: %s\n",
					rc == -E2BIG	? "more than 64 interfaces"
					: rc == -EEXIST ? "an interface is named twice"
							: "expected IF[,IF...]");
				return 2;
			}
			break;
		case 'w':
			if (num_parse(optarg, 1, LIVE_WORKERS_MAX, &v)) {
				fprintf(stderr, "srchaind: --workers wants 1-%d, not '%s'\n",
					LIVE_WORKERS_MAX, optarg);
				return 2;
			}
			lo.workers = (uint32_t)v;
			break;
		case OPT_PIDFILE:
			lo.pidfile = optarg;
			break;
		case OPT_CTL:
			lo.ctl = optarg;
			break;
		case OPT_IO:
			if (strcmp(optarg, "afxdp") && strcmp(optarg, "afxdp-native") &&
			    strcmp(optarg, "afxdp-generic") && strcmp(optarg, "afpacket")) {
				fprintf(stderr,
					"srchaind: --io wants afxdp, afxdp-native, "
					"afxdp-generic or afpacket, not '%s'\n",
					optarg);
				return 2;
			}
			lo.io = optarg;
			break;
		case OPT_STATS:
			if (num_parse(optarg, 1, 86400, &v)) {
				fprintf(stderr,
					"srchaind: --stats-interval wants 1-86400 seconds, "
					"not '%s'\n",
					optarg);
				return 2;
			}
			lo.stats_interval = (uint32_t)v;
			break;
		case OPT_ALLOW_FWD:
			lo.allow_kernel_forwarding = 1;
			break;
		case 'i': {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg || !eq[1]) {
				fprintf(stderr, "srchaind: --in wants IFACE=FILE, not '%s'\n",
					optarg);
				return 2;
			}
			if (o.n_in == OFFLINE_INPUTS_MAX) {
				fprintf(stderr, "srchaind: at most %d --in files\n",
					OFFLINE_INPUTS_MAX);
				return 2;
			}
			*eq = 0;
			o.in_if[o.n_in] = optarg;
			o.in_file[o.n_in++] = eq + 1;
			break;
		}
		case 'o':
			o.out_dir = optarg;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case OPT_DROPS:
			o.write_drops = 1;
			break;
		case OPT_CHECK:
		case OPT_OFFLINE:
		case OPT_LIVE:
		case OPT_LCTR:
		case OPT_LBEH:
			mode = c;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "srchaind: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (mode == OPT_LCTR)
		return list_counters();
	if (mode == OPT_LBEH)
		return list_behaviours();
	if (!o.conf) {
		fprintf(stderr, "srchaind: no configuration (-c FILE); see --help\n");
		return 2;
	}
	if (mode == OPT_CHECK)
		return check(o.conf);
	if (mode == OPT_OFFLINE) {
		if (!o.n_in || !o.out_dir) {
			fprintf(stderr,
				"srchaind: --offline needs --in IFACE=FILE and --out DIR\n");
			return 2;
		}
		return offline_run(&o);
	}
	if (mode == OPT_LIVE) {
		if (!lo.n_dev) {
			fprintf(stderr, "srchaind: --live needs --dev IF[,IF...]\n");
			return 2;
		}
		lo.conf = o.conf;
		lo.json = o.json;
		lo.quiet = o.quiet;
		return live_run(&lo);
	}
	fprintf(stderr, "srchaind: say --live, --check or --offline; see --help\n");
	return 2;
}

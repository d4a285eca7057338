/* srbench, between its files: srbench.c (main, options, one case's run,
 * reporting), srbench_cases.c (the families in order, case selection and
 * configuration), srbench_cases_*.c (the cases of one family: IP and
 * classifier, SRv6, SR-MPLS, NSH), srbench_node.c (the node every case runs
 * on and the flows of the ring), srbench_pb.c (packets built from the inside
 * out) and srbench_harness.c (timing, null ceiling, validation). */
#ifndef SRCHAIN_BENCH_SRBENCH_H
#define SRCHAIN_BENCH_SRBENCH_H

#include <stddef.h>
#include <stdint.h>

#include "dp/dp.h"
#include "io/pcap.h"

struct dp_tables;

#define FLOWS_MAX   65536u
#define ROUTES_MAX  4096u
#define ROUTES4_MAX 1000u /* IPv4 fillers: see srbench_node.c */
#define RULES_MAX   8192u
#define FRAMES_MAX  65536u
#define REPEATS_MAX 15
#define CASES_MAX   128
#define NULLS_MAX   64
#define DUMP_PKTS   8
#define RETRIES_MAX 2

/* Data-plane interface numbering: the order of the interface lines. */
#define IF_IN	 0
#define IF_A	 1
#define IF_B	 2
#define IFM_A	 (1u << IF_A)
#define IFM_B	 (1u << IF_B)
#define IFM_ECMP (IFM_A | IFM_B)

/* ------------------------------------------------------------- options */

struct opts {
	double seconds, warmup, min_cpu;
	int cpu, json, repeats, list, verbose, no_null, single_burst;
	uint32_t flows, burst, frames, routes, rules;
	char *filter;
	const char *dump;
	int sizes;     /* bit 0: 64, bit 1: 512 */
	uint32_t segs; /* 0: every count */
	int family;    /* 0 any, 4, 6 */
};

/* The options of the command line (srbench.c). */
extern struct opts bench_opt;

/* ---------------------------------------------------------------- cases */

enum kind {
	K_IP6_FWD,
	K_IP4_FWD,
	K_CLS_EXACT,
	K_CLS_PREFIX,
	K_ENCAPS,
	K_ENCAPS_RED,
	K_END,
	K_END_X,
	K_END_DX6,
	K_END_DT6,
	K_END_DT4,
	K_END_B6,
	K_END_FW,
	K_MPLS_PUSH,
	K_MPLS_SWAP,
	K_MPLS_POP,
	K_MPLS_PHP,
	K_NSH_PUSH,
	K_NSH_SFF,
	K_MAX
};

struct spec {
	const char *name;
	enum kind kind;
	uint8_t v4;	  /* inner packet is IPv4 */
	uint8_t classify; /* eth0 classifies: the family's conf adds the lines */
	uint8_t segs[3];  /* segment / label counts to run, 0-terminated; {0} = n/a */
	const char *what;
};

struct family;

struct bcase {
	const struct spec *s;
	const struct family *fam;
	uint8_t segs;
	uint16_t inner; /* bytes of the inner IP packet */
	uint16_t burst; /* 0: the default burst */
};

struct sbuf;
struct pb;
struct expect;
struct flow;

/* One family of cases, in its own file: its table, and how a case of it is
 * configured and built. */
struct family {
	const struct spec *specs;
	size_t n_specs;
	/* the classifier lines of a case whose spec classifies */
	void (*conf)(struct sbuf *b, const struct bcase *c);
	/* the frame received for flow f into in, what must come out into ex
	 * (ex->ifmask is IFM_ECMP unless the builder narrows it) */
	void (*build)(const struct bcase *c, const struct flow *f, struct pb *in,
		      struct expect *ex);
	/* the stat slot that must count every packet of flow i, or DP_NONE
	 * (NULL: no case of the family has one) */
	uint32_t (*stat)(const struct bcase *c, const struct dp_tables *t, uint32_t i);
};

/* The families, in the order their cases run (srbench_cases_*.c). */
extern const struct family cases_ip, cases_srv6, cases_mpls, cases_nsh;

/* Prints each case name once with what it measures (--list). */
void cases_list(void);
/* The cases the options select into cs (at most CASES_MAX): their number. */
uint32_t cases_make(struct bcase *cs);
/* Flows in the ring of case c. */
uint32_t case_flows(const struct bcase *c);
/* The whole node configuration of case c. */
void case_conf(struct sbuf *b, const struct bcase *c);
/* Builds the received frame `in` for flow i and what must come out. */
void case_build(const struct bcase *c, uint32_t i, struct pb *in, struct expect *ex);
/* Stat slot that must count every packet of flow i, or DP_NONE. */
uint32_t case_stat(const struct bcase *c, const struct dp_tables *t, uint32_t i);

/* ----------------------------------------------- the node and its flows */

extern const uint8_t node_if_mac[3][6]; /* our eth0, eth1, eth2 */
extern const uint8_t node_nb_mac[3][6]; /* the sender on eth0, neighbours on eth1, eth2 */
extern const uint8_t node_ingress6[16]; /* the ingress of SRv6 paths: 2001:db8:ee::1 */
extern const uint8_t node_source6[16];	/* our SRv6 source address: 2001:db8:ff::1 */

struct flow {
	uint8_t src6[16], dst6[16], src4[4], dst4[4];
	uint16_t sport, dport, id;
	uint32_t fl; /* IPv6 flow label */
};

/* Flow i of the ring: towards filler route i % routes. */
void node_flow(uint32_t i, struct flow *f);

/* Segment lists. Our SIDs live in 2001:db8:aa::/48, the other nodes' in
 * 2001:db8:bb::/48 (routed over eth1 + eth2), the ingress is ee::1. */
#define BLK_US	  0x00aa
#define BLK_OTHER 0x00bb
#define SID_END	  1
#define SID_END_X 2
#define SID_DX6	  3
#define SID_DT6	  4
#define SID_B6	  5
#define SID_FW	  6
#define SID_DT4	  7

/* 2001:db8:BLOCK::ID */
void node_addr6(uint8_t a[16], uint16_t block, uint16_t id);
/* The segments of policies eN / rN (H.Encaps, H.Encaps.Red). */
void node_encaps_path(uint8_t path[][16], int n);
/* The segments of policy b6 (End.B6.Encaps). */
void node_b6_path(uint8_t path[][16], int n);
/* A path through this node: other nodes' SIDs, ours (sid) at position us. */
void node_transit_path(uint8_t path[][16], int n, int us, uint16_t sid);

/* A growing configuration text (exits on out of memory). */
struct sbuf {
	char *s;
	size_t len, cap;
};

/* Appends printf-formatted text. */
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An address as text into buf (64 bytes). */
const char *node_a6(const uint8_t a[16], char *buf);
const char *node_a4(const uint8_t a[4], char *buf);
/* The node every case runs on; the case adds its classifier lines. */
void node_conf(struct sbuf *b, int classify);

/* ------------------------------------------------------ packet building */

#define PB_CAP	 4096u
#define PB_START 2048u

/* A packet built from the inside out, as an encapsulating node would. */
struct pb {
	uint32_t off, len;
	uint8_t b[PB_CAP];
	int v4_at; /* offset from the start of an IPv4 header whose checksum the
		    * data plane updates incrementally; -1 if none */
};

/* Room for n more bytes in front: their start. */
uint8_t *pb_push(struct pb *p, uint32_t n);
/* The first byte of the packet. */
const uint8_t *pb_data(const struct pb *p);
/* Starts p with the inner IP/UDP packet of flow f, size bytes. */
void pb_inner(struct pb *p, const struct flow *f, int v4, uint32_t size, uint8_t ttl);
/* SRH with Segment List[i] = path[n - 1 - i] for i <= last_entry. */
void pb_srh(struct pb *p, uint8_t path[][16], int n, int last_entry, int sl, uint8_t nh);
/* An IPv6 header in front. */
void pb_ip6(struct pb *p, const uint8_t src[16], const uint8_t dst[16], uint8_t nh, uint8_t hlim,
	    uint32_t fl);
/* n MPLS label stack entries in front (bottom of stack on the last). */
void pb_mpls(struct pb *p, const uint32_t *label, const uint8_t *ttl, int n);
/* NSH MD type 1 (RFC 8300 2.4): 24 bytes, flow hash in the first context word. */
void pb_nsh(struct pb *p, uint32_t spi, uint8_t si, uint8_t ttl, uint8_t np, uint32_t hash);
/* An Ethernet header in front. */
void pb_eth(struct pb *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type);

/* What the data plane must send for one received frame. */
struct expect {
	struct pb l3; /* the packet after the Ethernet header */
	uint16_t ethertype;
	uint16_t ifmask; /* allowed output interfaces */
};

#define NP_IPV4	   1
#define NH_IPIP	   4
#define NH_IPV6	   41
#define NH_ROUTING 43

/* ---------------------------------------------------------- the harness */

struct ring {
	uint8_t *tpl; /* n templates, stride bytes apart */
	uint32_t n, stride, len;
};

struct frames {
	uint8_t *mem;
	struct pkt *d;
	uint32_t n;
};

struct result {
	int ok;
	char err[256];
	uint32_t frame_len;
	double mpps[REPEATS_MAX], run_cpu[REPEATS_MAX], med_mpps, ns, cpu_frac, spread;
	double mpps_cpu[REPEATS_MAX], med_mpps_cpu; /* packets per second of CPU time */
	int retries, noisy;
	double null_mpps;
	long nivcsw;
	uint64_t tx_if[3];
};

struct dumper {
	struct pcap_writer in, out;
};

/* What the timed loops read, so that the compiler keeps the reads. */
extern volatile uint64_t harness_sink;

/* Monotonic time in seconds. */
double harness_now_s(void);
/* Marks res failed with a message: -1. */
int harness_fail(struct result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Warm-up, then bench_opt.repeats timed runs into res: 0 or -1 (res->err). */
int harness_measure(struct dp_worker *w, const struct ring *r, struct frames *fr, uint32_t burst,
		    int null_mode, struct result *res);
/* Every flow of the ring alone, then in bursts, checked against what case c
 * must produce (first frames into dm if given): 0 or -1 (res->err). */
int harness_validate(const struct bcase *c, struct dp *dp, const struct ring *r, struct frames *fr,
		     uint32_t burst, struct dumper *dm, struct result *res);

#endif

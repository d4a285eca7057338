/* Maps shared by the XDP steering program (steer.bpf.c) and its loader
 * (io/xdp/loader.c). Plain fixed-size types only: this header is compiled both
 * for the BPF target and for the host. */
#ifndef SRCHAIN_IO_XDP_STEER_H
#define SRCHAIN_IO_XDP_STEER_H

#include <linux/types.h>

#define STEER_PORTS_MAX	 64   /* served interfaces (= DP_IF_MAX) */
#define STEER_QUEUES_MAX 64   /* rx queues per interface with a socket */
#define STEER_SIDS_MAX	 4096 /* SRv6 local SID prefixes */
#define STEER_LOCALS_MAX 4096 /* addresses of this host, per family */
#define STEER_LEN_MAX	 3584 /* frame room after the headroom (io/afxdp.c checks) */

/* ports: kernel ifindex -> what the program needs to know about it. */
#define STEER_PORT_CLASSIFY 0x1 /* the data plane classifies IP from here */

struct steer_port {
	__u32 slot;  /* data-plane interface index; xsks key = slot * QUEUES_MAX + queue */
	__u32 flags; /* STEER_PORT_* */
	__u8 mac[6]; /* unicast frames to another MAC are the kernel's business */
	__u8 pad[2];
};

/* sids: LPM trie key (prefixlen first, as the kernel requires). */
struct steer_sid_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/* Verdicts, counted per interface slot in a per-CPU array at
 * slot * STEER_V_MAX + verdict. */
enum steer_verdict {
	STEER_V_MPLS,	   /* redirected: MPLS unicast */
	STEER_V_NSH,	   /* redirected: NSH over Ethernet */
	STEER_V_SID,	   /* redirected: IPv6 to a local SID */
	STEER_V_VXLAN_GPE, /* redirected: UDP/4790 to a local address */
	STEER_V_CLASSIFY,  /* redirected: IP on a classifying interface */
	STEER_V_TRANSIT,   /* redirected: IP to an address that is not ours */
	STEER_V_REDIRECTED_MAX,
	STEER_V_L2_GROUP = STEER_V_REDIRECTED_MAX, /* passed: broadcast/multicast MAC */
	STEER_V_OTHER_HOST,			   /* passed: unicast to another MAC */
	STEER_V_NOT_IP,				   /* passed: ARP, LLDP, ... */
	STEER_V_LOCAL,				   /* passed: to this host's own address */
	STEER_V_LINK_SCOPE, /* passed: link-local or multicast IP destination */
	STEER_V_MALFORMED,  /* passed: headers shorter than they say */
	STEER_V_NO_SOCKET,  /* passed: no AF_XDP socket on this queue */
	STEER_V_TOO_BIG,    /* dropped: larger than a frame (GSO/GRO super-packet) */
	STEER_V_MAX
};

#define STEER_STATS_MAX (STEER_PORTS_MAX * STEER_V_MAX)

#endif

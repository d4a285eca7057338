/* XDP steering for srchaind's AF_XDP backend: redirect to the port's
 * AF_XDP socket exactly what the data plane would not hand to the host,
 * pass everything else to the kernel.
 *
 * The order of the checks follows the data plane's input and IP stages
 * (dp/pipeline.c), so that a redirected packet is one srchaind forwards:
 *
 *   L2 broadcast/multicast, unicast to another MAC    -> kernel
 *   MPLS unicast (0x8847), NSH (0x894F)                -> srchaind
 *   other ethertypes (ARP, LLDP, MPLS multicast, ...)  -> kernel
 *   IPv6 to a local SID prefix (LPM)                    -> srchaind
 *   IP to an address of this host: UDP/4790 (VXLAN-GPE) -> srchaind,
 *     the rest (ND, SSH, routing protocols, ping)       -> kernel
 *   IP to link-local / multicast / broadcast           -> kernel
 *   IP on a classifying interface, or in transit       -> srchaind
 *
 * A port without a socket on the packet's rx queue passes it on (the
 * redirect's fallback action), so that the host keeps working while
 * srchaind starts, stops or crashes.
 *
 * Userspace fills the maps from every table set it publishes. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "io/xdp/steer.h"

#define ETH_P_MPLS_UC_ 0x8847
#define ETH_P_NSH_     0x894F
#define ETH_P_8021Q_   0x8100
#define ETH_P_8021AD_  0x88A8
#define VLAN_TAGS_MAX  2 /* as pkt/eth.c */
#define VXLAN_GPE_PORT 4790

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, STEER_PORTS_MAX *STEER_QUEUES_MAX);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STEER_PORTS_MAX);
	__type(key, __u32);
	__type(value, struct steer_port);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, STEER_SIDS_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct steer_sid_key);
	__type(value, __u32);
} sids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STEER_LOCALS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} local4 SEC(".maps");

struct local6_key {
	__u8 addr[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STEER_LOCALS_MAX);
	__type(key, struct local6_key);
	__type(value, __u32);
} local6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STEER_STATS_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct vlan_tag {
	__be16 tci;
	__be16 type;
};

static __always_inline void count(const struct steer_port *port, __u32 verdict)
{
	__u32 key = port->slot * STEER_V_MAX + verdict;
	__u64 *v = bpf_map_lookup_elem(&stats, &key);

	if (v)
		(*v)++;
}

static __always_inline int pass(const struct steer_port *port, __u32 verdict)
{
	count(port, verdict);
	return XDP_PASS;
}

static __always_inline int redirect(struct xdp_md *ctx, const struct steer_port *port,
				    __u32 verdict)
{
	__u32 key = port->slot * STEER_QUEUES_MAX + ctx->rx_queue_index;
	int rc;

	/* a frame would not hold it: the kernel does not forward either */
	if (ctx->data_end - ctx->data > STEER_LEN_MAX) {
		count(port, STEER_V_TOO_BIG);
		return XDP_DROP;
	}
	if (ctx->rx_queue_index >= STEER_QUEUES_MAX)
		return pass(port, STEER_V_NO_SOCKET);
	rc = (int)bpf_redirect_map(&xsks, key, XDP_PASS);
	count(port, rc == XDP_REDIRECT ? verdict : STEER_V_NO_SOCKET);
	return rc;
}

static __always_inline int same_mac(const __u8 *a, const __u8 *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) |
		(a[5] ^ b[5])) == 0;
}

static __always_inline int is_udp_port(void *l4, void *end, __u8 proto, __u16 port)
{
	__be16 *ports = l4;

	return proto == IPPROTO_UDP && (void *)(ports + 2) <= end && ports[1] == bpf_htons(port);
}

static __always_inline int steer_ip6(struct xdp_md *ctx, const struct steer_port *port, void *l3,
				     void *end)
{
	__u8 *h = l3;
	struct steer_sid_key sk = {.prefixlen = 128};
	struct local6_key lk;

	if ((void *)(h + 40) > end)
		return pass(port, STEER_V_MALFORMED);
	__builtin_memcpy(sk.addr, h + 24, 16);
	if (bpf_map_lookup_elem(&sids, &sk))
		return redirect(ctx, port, STEER_V_SID);
	__builtin_memcpy(lk.addr, h + 24, 16);
	if (bpf_map_lookup_elem(&local6, &lk)) {
		if (is_udp_port(h + 40, end, h[6], VXLAN_GPE_PORT))
			return redirect(ctx, port, STEER_V_VXLAN_GPE);
		return pass(port, STEER_V_LOCAL);
	}
	/* ff00::/8 multicast, fe80::/10 link-local: never routed */
	if (h[24] == 0xff || (h[24] == 0xfe && (h[25] & 0xc0) == 0x80))
		return pass(port, STEER_V_LINK_SCOPE);
	if (port->flags & STEER_PORT_CLASSIFY)
		return redirect(ctx, port, STEER_V_CLASSIFY);
	return redirect(ctx, port, STEER_V_TRANSIT);
}

static __always_inline int steer_ip4(struct xdp_md *ctx, const struct steer_port *port, void *l3,
				     void *end)
{
	__u8 *h = l3;
	__u32 dst, ihl;

	if ((void *)(h + 20) > end)
		return pass(port, STEER_V_MALFORMED);
	ihl = (h[0] & 0xfu) * 4u;
	if (ihl < 20)
		return pass(port, STEER_V_MALFORMED);
	__builtin_memcpy(&dst, h + 16, 4);
	if (bpf_map_lookup_elem(&local4, &dst)) {
		if ((void *)(h + ihl) <= end && is_udp_port(h + ihl, end, h[9], VXLAN_GPE_PORT))
			return redirect(ctx, port, STEER_V_VXLAN_GPE);
		return pass(port, STEER_V_LOCAL);
	}
	/* 224/4 multicast, 255.255.255.255, 169.254/16 link-local */
	if ((h[16] & 0xf0) == 0xe0 || dst == 0xffffffffu || (h[16] == 169 && h[17] == 254))
		return pass(port, STEER_V_LINK_SCOPE);
	if (port->flags & STEER_PORT_CLASSIFY)
		return redirect(ctx, port, STEER_V_CLASSIFY);
	return redirect(ctx, port, STEER_V_TRANSIT);
}

SEC("xdp")
int srchain_steer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	const struct steer_port *port;
	__u32 ifindex = ctx->ingress_ifindex;
	void *l3;
	__u16 type;

	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port)
		return XDP_PASS; /* not served (yet): the kernel's */
	if ((void *)(eth + 1) > end)
		return pass(port, STEER_V_MALFORMED);
	if (eth->h_dest[0] & 1)
		return pass(port, STEER_V_L2_GROUP);
	if (!same_mac(eth->h_dest, port->mac))
		return pass(port, STEER_V_OTHER_HOST);
	type = bpf_ntohs(eth->h_proto);
	l3 = eth + 1;
#pragma unroll
	for (int i = 0; i < VLAN_TAGS_MAX; i++) {
		struct vlan_tag *tag = l3;

		if (type != ETH_P_8021Q_ && type != ETH_P_8021AD_)
			break;
		if ((void *)(tag + 1) > end)
			return pass(port, STEER_V_MALFORMED);
		type = bpf_ntohs(tag->type);
		l3 = tag + 1;
	}
	switch (type) {
	case ETH_P_MPLS_UC_:
		return redirect(ctx, port, STEER_V_MPLS);
	case ETH_P_NSH_:
		return redirect(ctx, port, STEER_V_NSH);
	case ETH_P_IPV6:
		return steer_ip6(ctx, port, l3, end);
	case ETH_P_IP:
		return steer_ip4(ctx, port, l3, end);
	default:
		return pass(port, STEER_V_NOT_IP);
	}
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

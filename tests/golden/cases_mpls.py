"""SR-MPLS cases (RFC 8660 over RFC 3032, TTL per RFC 3443 uniform model)."""
from lib import (
    DST4, DST4_C, DST6, DST6_C, IPv6, MAC, NB, NB1B, Case, eth_in, eth_out, mpls,
    mpls_raw, payload, udp4, udp6)

MPLS_ETH = 0x8847
SRGB = 16000

MPLS_CONF = """\
mpls srgb 16000 23999
mpls node-sid 2001:db8:1::1/128 index 1
mpls node-sid 192.0.2.1/32 index 7
mpls node-sid 2001:db8:2::1/128 index 2
mpls node-sid 2001:db8:3::1/128 index 3 php
mpls node-sid 203.0.113.200/32 index 4
mpls node-sid 198.51.100.200/32 index 5 explicit-null
mpls node-sid 2001:db8:3::2/128 index 6 explicit-null
mpls label 24001 adjacency via 2001:db8:12::3 dev eth1
mpls label 17001 swap 17002 via 2001:db8:13::2 dev eth2
"""
# node SIDs: 16001 ours (v6), 16007 ours (v4), 16002 node B (swap via eth1),
# 16003 node C with PHP (pop via eth2), 16004 node B's IPv4 loopback,
# 16005 / 16006: explicit null requested (IPv4 / IPv6 prefix, via eth2),
# 24001: adjacency SID to eth1's second neighbour.

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def lbl(i):
    return SRGB + i


def m_in(iface="eth0"):
    return eth_in(iface, etype=MPLS_ETH)


def m_out(iface, dst=None):
    return eth_out(iface, dst=dst, etype=MPLS_ETH)


@case
def mpls_push_1():
    c = Case("mpls_push_1", "Ingress push of one label (node SID index 4 for IPv4, 2 for "
             "IPv6): IP TTL - 1 copied into the label (uniform)",
             MPLS_CONF +
             "policy m4 mpls labels idx:4\npolicy m6 mpls labels idx:2\n"
             "classify proto udp dst 203.0.113.128/25 policy m4\n"
             "classify proto udp dst 2001:db8:100::/48 policy m6\n", classify=True,
             rfc="RFC 8660 2, RFC 3032 2.4, RFC 3443 3.1")
    c.send("eth0", eth_in("eth0") / udp4(ttl=64, tag="p1"), eth_in("eth0") / udp6(tag="p1"))
    c.out("eth1", m_out("eth1") / mpls([lbl(4)], 63) / udp4(ttl=63, tag="p1"))
    c.out("eth1", m_out("eth1") / mpls([lbl(2)], 63) / udp6(hlim=63, tag="p1"))
    return c


@case
def mpls_push_12():
    c = Case("mpls_push_12", "Ingress push of 12 labels (the maximum): top is node B's "
             "SID, the rest go below unchanged, bottom of stack on the last",
             MPLS_CONF + "policy m mpls labels idx:2,%s\n"
             "classify proto udp policy m\n" % ",".join(str(100 + i) for i in range(11)),
             classify=True, rfc="RFC 8660 2, RFC 3032 2.1")
    c.send("eth0", eth_in("eth0") / udp6(tag="p12"))
    c.out("eth1", m_out("eth1") / mpls([lbl(2)] + [100 + i for i in range(11)], 63) /
          udp6(hlim=63, tag="p12"))
    return c


@case
def mpls_push_pipe():
    c = Case("mpls_push_pipe", "Ingress push with 'ttl pipe': labels carry 255, the IP "
             "TTL is decremented once", MPLS_CONF +
             "policy m mpls labels idx:4,200 ttl pipe\nclassify proto udp policy m\n",
             classify=True, rfc="RFC 3443 3.3")
    c.send("eth0", eth_in("eth0") / udp4(tag="pp"))
    c.out("eth1", m_out("eth1") / mpls([lbl(4), 200], 255) / udp4(ttl=63, tag="pp"))
    return c


@case
def mpls_push_adjacency():
    c = Case("mpls_push_adjacency", "Ingress push whose top label is our adjacency SID: "
             "popped here and sent on the adjacency with the next label on top",
             MPLS_CONF + "policy m mpls labels 24001,idx:3\nclassify proto udp policy m\n",
             classify=True, rfc="RFC 8660 2, RFC 8402 3.4")
    c.send("eth0", eth_in("eth0") / udp4(tag="pa"))
    c.out("eth1", m_out("eth1", dst=NB1B) / mpls([lbl(3)], 63) / udp4(ttl=63, tag="pa"))
    return c


@case
def mpls_swap():
    c = Case("mpls_swap", "Swap of node B's SID (same label, SRGB uniform): TTL - 1, TC "
             "kept; stacks of depth 1 and 12, IPv4 node SID too; a static swap 17001 -> "
             "17002",
             MPLS_CONF, rfc="RFC 8660 2, RFC 3032 2.4.1")
    deep = [lbl(2)] + [300 + i for i in range(11)]
    c.send("eth0", m_in() / mpls([lbl(2)], 64, tc=5) / udp6(tag="sw1"))
    c.send("eth0", m_in() / mpls(deep, 64) / udp6(tag="sw12"))
    c.send("eth0", m_in() / mpls([lbl(4)], 10) / udp4(ttl=64, tag="sw4"))
    c.out("eth1", m_out("eth1") / mpls([lbl(2)], 63, tc=5) / udp6(tag="sw1"))
    c.out("eth1", m_out("eth1") / mpls([(l, 63 if i == 0 else 64) for i, l in enumerate(deep)],
                                       0) / udp6(tag="sw12"))
    c.out("eth1", m_out("eth1") / mpls([lbl(4)], 9) / udp4(ttl=64, tag="sw4"))
    # a static swap to another label
    c.send("eth0", m_in() / mpls([17001, 600], 64, tc=2) / udp6(tag="sws"))
    c.out("eth2", m_out("eth2") / mpls([(17002, 63), (600, 64)], 0, tc=2) / udp6(tag="sws"))
    c.obj("label 16002 node-sid 2001:db8:2::1", 2)
    c.obj("label 17001 swap", 1)
    return c


@case
def mpls_pop_continue():
    c = Case("mpls_pop_continue", "Our own node SID on top: popped, the next label is "
             "processed here (swap toward B); at the bottom of the stack the IP packet "
             "is routed; depth 1 and 12",
             MPLS_CONF, rfc="RFC 8660 2, RFC 3032 2.4.1, RFC 3443 3.1")
    deep = [lbl(1), lbl(2)] + [400 + i for i in range(10)]
    c.send("eth0", m_in() / mpls([lbl(1), lbl(2)], 64) / udp6(tag="pc"))
    c.send("eth0", m_in() / mpls(deep, 64) / udp6(tag="pc12"))
    c.send("eth0", m_in() / mpls([lbl(1)], 64) / udp6(dst=DST6, tag="pcb"))
    c.send("eth0", m_in() / mpls([lbl(7)], 64) / udp4(dst=DST4, ttl=64, tag="pcb4"))
    c.out("eth1", m_out("eth1") / mpls([lbl(2)], 63) / udp6(tag="pc"))
    c.out("eth1", m_out("eth1") / mpls([(l, 63 if i == 0 else 64) for i, l in
                                        enumerate(deep[1:])], 0) / udp6(tag="pc12"))
    c.out("eth1", eth_out("eth1") / udp6(dst=DST6, hlim=63, tag="pcb"))
    c.out("eth1", eth_out("eth1") / udp4(dst=DST4, ttl=63, tag="pcb4"))
    return c


@case
def mpls_php():
    c = Case("mpls_php", "Penultimate hop popping for node C: last label popped, IP TTL "
             "from the label (- 1), sent as IPv4/IPv6; with a label below, that label "
             "goes on top", MPLS_CONF, rfc="RFC 8660 2, RFC 3032 2.4, RFC 3443 3.1")
    c.send("eth0", m_in() / mpls([lbl(3)], 64) / udp4(dst=DST4_C, ttl=64, tag="ph4"))
    c.send("eth0", m_in() / mpls([lbl(3)], 64) / udp6(dst=DST6_C, tag="ph6"))
    c.send("eth0", m_in() / mpls([lbl(3), 500], 64) / udp6(dst=DST6_C, tag="ph2"))
    c.out("eth2", eth_out("eth2") / udp4(dst=DST4_C, ttl=63, tag="ph4"))
    c.out("eth2", eth_out("eth2") / udp6(dst=DST6_C, hlim=63, tag="ph6"))
    c.out("eth2", m_out("eth2") / mpls([500], 63) / udp6(dst=DST6_C, tag="ph2"))
    return c


@case
def mpls_adjacency():
    c = Case("mpls_adjacency", "Adjacency SID 24001: popped and sent to its neighbour "
             "whatever the next label's route", MPLS_CONF, rfc="RFC 8660 2, RFC 8402 3.4")
    c.send("eth0", m_in() / mpls([24001, lbl(2)], 64) / udp6(tag="adj"))
    c.out("eth1", m_out("eth1", dst=NB1B) / mpls([lbl(2)], 63) / udp6(tag="adj"))
    return c


@case
def mpls_explicit_null_in():
    c = Case("mpls_explicit_null_in", "Explicit null received (0 over IPv4, 2 over IPv6, "
             "0 above another label): popped, what is below is forwarded",
             MPLS_CONF, rfc="RFC 3032 2.1, RFC 4182")
    c.send("eth0", m_in() / mpls([0], 64) / udp4(dst=DST4, ttl=64, tag="en0"))
    c.send("eth0", m_in() / mpls([2], 64) / udp6(dst=DST6, tag="en2"))
    c.send("eth0", m_in() / mpls([0, lbl(2)], 64) / udp6(tag="en02"))
    c.out("eth1", eth_out("eth1") / udp4(dst=DST4, ttl=63, tag="en0"))
    c.out("eth1", eth_out("eth1") / udp6(dst=DST6, hlim=63, tag="en2"))
    c.out("eth1", m_out("eth1") / mpls([lbl(2)], 63) / udp6(tag="en02"))
    return c


@case
def mpls_explicit_null_out():
    c = Case("mpls_explicit_null_out", "Node SIDs whose owner asked for explicit null: "
             "swapped to 0 (IPv4 FEC, IPv4 payload) and 2 (IPv6 FEC, IPv6 payload)",
             MPLS_CONF, rfc="RFC 8660 2 (E flag, RFC 8667 2.1.1), RFC 3032 2.1")
    c.send("eth0", m_in() / mpls([lbl(5)], 64) / udp4(dst=DST4_C, tag="eo0"))
    c.send("eth0", m_in() / mpls([lbl(6)], 64) / udp6(dst=DST6_C, tag="eo2"))
    c.out("eth2", m_out("eth2") / mpls([0], 63) / udp4(dst=DST4_C, tag="eo0"))
    c.out("eth2", m_out("eth2") / mpls([2], 63) / udp6(dst=DST6_C, tag="eo2"))
    return c


@case
def mpls_explicit_null_family():
    c = Case("mpls_explicit_null_family", "Explicit null toward an IPv4 node SID carrying an "
             "IPv6 packet at the bottom of the stack must be the IPv6 explicit null (2)",
             MPLS_CONF, rfc="RFC 3032 2.1",
             known="RFC 3032 2.1: label 0 means 'forward by the IPv4 header'; srchaind picks "
             "0/2 from the node SID's prefix family, not from the payload "
             "(src/conf/conf.c node_sid_resolve: out_label = family == 4 ? 0 : 2)")
    c.send("eth0", m_in() / mpls([lbl(5)], 64) / udp6(dst=DST6_C, tag="ef"))
    c.out("eth2", m_out("eth2") / mpls([2], 63) / udp6(dst=DST6_C, tag="ef"))
    return c


@case
def mpls_ttl_expired():
    c = Case("mpls_ttl_expired", "Label TTL 1 (swap, PHP, adjacency) and 0: not forwarded",
             MPLS_CONF, rfc="RFC 3032 2.4.1")
    c.send("eth0", m_in() / mpls([lbl(2)], 1) / udp6(tag="t1"))
    c.send("eth0", m_in() / mpls([lbl(3)], 1) / udp6(tag="t2"))
    c.send("eth0", m_in() / mpls([24001, lbl(2)], 1) / udp6(tag="t3"))
    c.send("eth0", m_in() / mpls([lbl(2)], 0) / udp6(tag="t4"))
    c.send("eth0", m_in() / mpls([lbl(2)], 2) / udp6(tag="t5"))
    c.out("eth1", m_out("eth1") / mpls([lbl(2)], 1) / udp6(tag="t5"))
    c.count(mpls_ttl_expired=4)
    return c


@case
def mpls_bos_missing():
    c = Case("mpls_bos_missing", "No bottom-of-stack bit: three entries and the frame "
             "ends; seventeen entries then an IP packet", MPLS_CONF, rfc="RFC 3032 2.1")
    c.send("eth0", m_in() / mpls_raw([(lbl(2), 0, 0, 64)] * 3))
    c.send("eth0", m_in() / mpls_raw([(lbl(2), 0, 0, 64)] * 17) / udp6(tag="bm"))
    c.count(mpls_bos_missing=2)
    return c


@case
def mpls_reserved_label():
    c = Case("mpls_reserved_label", "Router alert (1) and implicit null (3, never on the "
             "wire) on top: dropped", MPLS_CONF, rfc="RFC 3032 2.1")
    c.send("eth0", m_in() / mpls([1, lbl(2)], 64) / udp6(tag="r1"))
    c.send("eth0", m_in() / mpls([3], 64) / udp6(tag="r3"))
    c.count(mpls_reserved_label=2)
    return c


@case
def mpls_no_label():
    c = Case("mpls_no_label", "A label outside the LFIB: dropped", MPLS_CONF,
             rfc="RFC 3032 3.1")
    c.send("eth0", m_in() / mpls([30000], 64) / udp6(tag="nl"))
    c.count(mpls_no_label=1)
    return c


def _ecmp(name, desc, weights, n_flows, per_flow):
    w = ["", ""] if weights is None else [" weight %d" % x for x in weights]
    c = Case(name, desc, MPLS_CONF +
             "route 2001:db8:5::1/128 via 2001:db8:12::2 dev eth1%s via 2001:db8:13::2 dev "
             "eth2%s\nmpls node-sid 2001:db8:5::1/128 index 50\n" % (w[0], w[1]),
             rfc="RFC 8660 2 (anycast node SID), RFC 8402 3.3.1")
    flows, exp = [], {"eth1": [], "eth2": []}
    for f in range(n_flows):
        for k in range(per_flow):
            inner = udp6(src="2001:db8:1::%x" % (0x100 + f), sport=4000 + f,
                         tag="ec%d" % k)
            c.send("eth0", m_in() / mpls([lbl(50)], 64) / inner)
            for ifc in ("eth1", "eth2"):
                exp[ifc].append(m_out(ifc) / mpls([lbl(50)], 63) / inner)
            flows.append(f)
    c.ecmp = dict(ifaces=["eth1", "eth2"], flows=flows, expected=exp, weights=weights)
    return c


# fewer than 32 packets (one offline burst) each: see misc's offline_full_burst
CASES.append(lambda: _ecmp("mpls_anycast_ecmp", "Anycast node SID over two equal next hops: "
                           "each of 10 flows (3 packets each) stays on one, both are used",
                           None, 10, 3))
CASES.append(lambda: _ecmp("mpls_anycast_wcmp", "Anycast node SID with weights 1 and 3: "
                           "31 flows, eth2 gets more of them than eth1, both used",
                           [1, 3], 31, 1))

_ = (IPv6, MAC, NB, payload)

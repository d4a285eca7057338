"""Classifier, built-in functions (firewall, mirror, counter), and plain IP
forwarding edge cases."""
from lib import (
    Ether, DST4, DST4_C, DST6, HOST4, HOST6, ICMP, ICMPv6EchoRequest, IP, IPv6, MIRROR_MAC, MPLS,
    Case, Raw, TCP, UDP, eth_in, eth_out, mpls, outer6, payload, sid, srh, udp4, udp6)
from cases_srv6 import REMOTE, sr

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# Steered traffic is encapsulated toward node C (eth2), forwarded traffic goes
# to its own route (eth1): the output interface shows the rule that matched.
RED = "policy red srv6 segs 2001:db8:3::1\n"


def steered(inner, nh=4):
    return eth_out("eth2") / outer6("2001:db8:3::1", fl=getattr(inner, "fl", 0) if nh == 41
                                    else 0, tc=inner.tc if nh == 41 else 0) / \
        srh(["2001:db8:3::1"], 0, nh=nh) / inner


def tcp4(dport, sport=1000, dst=DST4, tag="t", ttl=64):
    return udp4(dst=dst, ttl=ttl, tag=tag, proto_layer=TCP(sport=sport, dport=dport, flags="S",
                                                            seq=1, window=1024))


def fwd4(pkt):
    """pkt as forwarded by one IPv4 router hop (TTL - 1, checksum redone)."""
    p = pkt.copy()
    p.ttl -= 1
    del p.chksum
    return IP(bytes(p))


# --- classifier --------------------------------------------------------------

@case
def cls_exact():
    c = Case("cls_exact", "Exact 5-tuple rule: only the exact packet is steered; other "
             "source port, protocol or destination fall to the default (forward)",
             RED + "classify proto udp src 192.0.2.2/32 dst 203.0.113.130/32 sport 1000 "
             "dport 2000 policy red\n", classify=True, rfc="srchain classifier (RFC 7665 4.4)")
    hit = udp4(sport=1000, dport=2000, tag="ce")
    misses = [udp4(sport=1001, dport=2000, tag="ce"), tcp4(2000, sport=1000, tag="ce"),
              udp4(dst="203.0.113.131", sport=1000, dport=2000, tag="ce")]
    c.send("eth0", *[eth_in("eth0") / p for p in [hit] + misses])
    c.out("eth2", steered(hit))
    c.out("eth1", *[eth_out("eth1") / fwd4(p) for p in misses])
    c.obj("classify proto 17 src 192.0.2.2/32 dst 203.0.113.130/32 sport 1000-1000 "
          "dport 2000-2000 -> red", 1)
    return c


@case
def cls_prefix():
    c = Case("cls_prefix", "Prefix rules, IPv4 (/28 source) and IPv6 (/112 source + /48 "
             "destination)", RED + "classify src 192.0.2.0/28 policy red\n"
             "classify src 2001:db8:1::/112 dst 2001:db8:100::/48 policy red\n",
             classify=True)
    in4 = udp4(src="192.0.2.15", tag="cp")
    out4 = udp4(src="192.0.2.16", tag="cp")
    in6 = udp6(src="2001:db8:1::ffff", tag="cp")
    out6 = udp6(src="2001:db8:1::1:0", tag="cp")
    c.send("eth0", *[eth_in("eth0") / p for p in (in4, out4, in6, out6)])
    c.out("eth2", steered(in4), steered(in6, nh=41))
    c.out("eth1", eth_out("eth1") / fwd4(out4),
          eth_out("eth1") / udp6(src="2001:db8:1::1:0", hlim=63, tag="cp"))
    return c


@case
def cls_in_family():
    c = Case("cls_in_family", "'in IFACE' and 'family' match fields: IPv6 from eth0 is "
             "steered, IPv4 from eth0 forwarded",
             RED + "classify in eth0 family ipv6 policy red\n", classify=True)
    p6, p4 = udp6(tag="if"), udp4(tag="if")
    c.send("eth0", eth_in("eth0") / p6, eth_in("eth0") / p4)
    c.out("eth2", steered(p6, nh=41))
    c.out("eth1", eth_out("eth1") / fwd4(p4))
    return c


@case
def cls_port_range():
    c = Case("cls_port_range", "Port range 1000-2000: 999 and 2001 miss, 1000 and 2000 hit",
             RED + "classify proto udp dport 1000-2000 policy red\n", classify=True)
    for port in (999, 1000, 2000, 2001):
        p = udp4(dport=port, tag="pr")
        c.send("eth0", eth_in("eth0") / p)
        if 1000 <= port <= 2000:
            c.out("eth2", steered(p))
        else:
            c.out("eth1", eth_out("eth1") / fwd4(p))
    return c


@case
def cls_first_match():
    c = Case("cls_first_match", "First matching rule wins, across range rules, exact rules "
             "and prefixes of different lengths; unmatched packets hit 'default drop'",
             RED +
             "classify proto udp dport 5000-6000 drop\n"          # first
             "classify proto udp dport 5500 policy red\n"         # first + 1
             "classify proto tcp dport 80 policy red\n"           # first + 2
             "classify proto tcp dport 1-1000 drop\n"             # first + 3
             "classify dst 203.0.113.128/25 forward\n"            # first + 4
             "classify dst 203.0.113.130/32 policy red\n"         # first + 5
             "classify default drop\n", classify=True)
    a = udp4(dport=5500, tag="fm")        # first (not first + 1)
    b = tcp4(80, tag="fm")                 # first + 2 (not first + 3)
    d = tcp4(81, tag="fm")                 # first + 3
    e = udp4(dport=9, tag="fm")            # first + 4 (not the longer first + 5)
    f = udp4(dst="198.51.100.130", dport=9, tag="fm")  # none: default drop
    c.send("eth0", *[eth_in("eth0") / p for p in (a, b, d, e, f)])
    c.out("eth2", steered(b))
    c.out("eth1", eth_out("eth1") / fwd4(e))
    c.count(classify_default_drop=1, classify_drop=2)
    names = ("classify proto 17 dport 5000-6000 -> drop",
             "classify proto 17 dport 5500-5500 -> red",
             "classify proto 6 dport 80-80 -> red",
             "classify proto 6 dport 1-1000 -> drop",
             "classify dst 203.0.113.128/25 -> forward",
             "classify dst 203.0.113.130/32 -> red")
    for name, n in zip(names, (1, 0, 1, 1, 1, 0)):
        c.obj(name, n)
    return c


@case
def cls_default_drop():
    c = Case("cls_default_drop", "'classify default drop': a packet no rule matches is "
             "dropped, a matching one steered",
             RED + "classify proto udp dport 7053 policy red\nclassify default drop\n",
             classify=True)
    hit, miss = udp6(dport=7053, tag="dd"), udp6(dport=7054, tag="dd")
    c.send("eth0", eth_in("eth0") / hit, eth_in("eth0") / miss)
    c.out("eth2", steered(hit, nh=41))
    c.count(classify_default_drop=1)
    return c


# --- functions ---------------------------------------------------------------

FW_CONF = ("function fw firewall default deny\n"
           "function fw rule allow proto udp dport 7053\n"
           "function fw rule deny proto tcp\n"
           "function fw rule allow proto tcp dport 443\n"
           "sid %s End function fw\n" % sid(10))


@case
def fn_firewall():
    c = Case("fn_firewall", "Firewall behind End SID: inner 5-tuple, first match wins "
             "(tcp 443 hits the deny before its allow), default deny; per-rule counts",
             FW_CONF, rfc="srchain firewall function")
    path = [sid(10), DST6]
    udp53 = udp6(dport=7053, tag="fw")
    inners = [udp53, udp6(dport=7054, tag="fw"),
              IPv6(src=HOST6, dst=DST6, nh=6) / TCP(sport=1, dport=443, flags="S") / payload("fw"),
              IPv6(src=HOST6, dst=DST6, nh=6) / TCP(sport=1, dport=80, flags="S") / payload("fw")]
    for p in inners:
        c.send("eth0", eth_in("eth0") / sr(path, 1, p))
    c.out("eth1", eth_out("eth1") / sr(path, 0, udp53, hlim=63))
    c.count(vnf_drop=3)
    c.obj("function fw", 4)
    c.obj("function fw rule allow proto 17 dport 7053-7053", 1)
    c.obj("function fw rule deny proto 6", 2)
    c.obj("function fw rule allow proto 6 dport 443-443", 0)
    c.obj("function fw default deny", 1)
    return c


@case
def fn_firewall_default_allow():
    c = Case("fn_firewall_default_allow", "Firewall with default allow and one deny rule, "
             "on an MPLS label (pop, then function, then the IP packet is routed)",
             "mpls srgb 16000 23999\n"
             "function fw2 firewall default allow\n"
             "function fw2 rule deny proto udp src 192.0.2.0/24 dport 9\n"
             "mpls label 17000 pop function fw2\n")
    ok = udp4(dport=10, tag="da")
    bad = udp4(dport=9, tag="da")
    c.send("eth0", eth_in("eth0", etype=0x8847) / mpls([17000], 64) / ok)
    c.send("eth0", eth_in("eth0", etype=0x8847) / mpls([17000], 64) / bad)
    c.out("eth1", eth_out("eth1") / fwd4(ok))
    c.count(vnf_drop=1)
    c.obj("function fw2 rule deny proto 17 src 192.0.2.0/24 dport 9-9", 1)
    c.obj("function fw2 default allow", 1)
    return c


@case
def fn_mirror():
    c = Case("fn_mirror", "Mirror behind an End SID: a copy of the packet as received (SID "
             "still the destination) leaves eth3 to the mirror MAC; the original goes on",
             "function m mirror dev eth3 mac %s\nsid %s End function m\n" % (MIRROR_MAC, sid(11)))
    path = [sid(11), DST6]
    inner = udp6(tag="mi")
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner))
    c.out("eth1", eth_out("eth1") / sr(path, 0, inner, hlim=63))
    c.out("eth3", eth_out("eth3", dst=MIRROR_MAC) / sr(path, 1, inner))
    c.count(mirror_tx=1)
    c.obj("function m copies", 1)
    return c


@case
def fn_counter():
    c = Case("fn_counter", "Counter behind an End SID counts the inner protocol: tcp 1, udp "
             "2, icmp 2 (ICMP and ICMPv6), other 1; every packet goes on",
             "function cnt counter\nsid %s End function cnt\n" % sid(12))
    path = [sid(12), DST6]
    inners = [
        (IPv6(src=HOST6, dst=DST6, nh=6) / TCP(sport=1, dport=2, flags="S") / payload("c"), 41),
        (udp6(tag="c1"), 41), (udp4(tag="c2"), 4),
        (IP(src=HOST4, dst=DST4, id=3, flags="DF", proto=1) / ICMP(id=1, seq=1) / payload("c"),
         4),
        (IPv6(src=HOST6, dst=DST6, nh=58) / ICMPv6EchoRequest(id=1, seq=1) / payload("c"), 41),
        (IP(src=HOST4, dst=DST4, id=4, flags="DF", proto=253) / payload("c"), 4),
    ]
    for p, nh in inners:
        c.send("eth0", eth_in("eth0") / sr(path, 1, p, nh=nh))
        c.out("eth1", eth_out("eth1") / sr(path, 0, p, nh=nh, hlim=63))
    c.obj("function cnt tcp", 1)
    c.obj("function cnt udp", 2)
    c.obj("function cnt icmp", 2)
    c.obj("function cnt other", 1)
    return c


# --- plain forwarding --------------------------------------------------------

@case
def ip_ttl():
    c = Case("ip_ttl", "IPv4 TTL 1 and IPv6 hop limit 1: not forwarded; 2: forwarded with 1",
             "", rfc="RFC 791, RFC 1812 5.3.1, RFC 8200 3")
    c.send("eth0", eth_in("eth0") / udp4(ttl=1, tag="tt"), eth_in("eth0") / udp4(ttl=2, tag="tt"),
           eth_in("eth0") / udp6(hlim=1, tag="tt"), eth_in("eth0") / udp6(hlim=2, tag="tt"))
    c.out("eth1", eth_out("eth1") / udp4(ttl=1, tag="tt"), eth_out("eth1") / udp6(hlim=1, tag="tt"))
    c.count(ip4_ttl_expired=1, ip6_hlim_expired=1)
    return c


@case
def ip_no_route():
    c = Case("ip_no_route", "No route (IPv4, IPv6): dropped", "")
    c.send("eth0", eth_in("eth0") / udp4(dst="192.0.2.200", tag="nr"),
           eth_in("eth0") / udp6(dst="2001:db8:77::1", tag="nr"))
    c.count(ip4_no_route=1, ip6_no_route=1)
    return c


@case
def ip_host():
    c = Case("ip_host", "Packets to our own addresses go to the host stack as they came",
             "")
    a = eth_in("eth1") / IPv6(src="2001:db8:12::2", dst="2001:db8:12::1") / UDP(sport=1, dport=2) / \
        payload("h")
    b = eth_in("eth1") / IP(src="198.51.100.2", dst="198.51.100.1", id=1) / UDP(sport=1, dport=2) / \
        payload("h")
    c.send("eth1", a, b)
    c.out("host", a, b)
    return c


@case
def ip_eth_padding():
    c = Case("ip_eth_padding", "A short IPv4 packet in a 60-byte frame: the Ethernet "
             "padding is not part of the packet that is forwarded", "",
             rfc="RFC 894, RFC 791 (Total Length)")
    p = IP(src=HOST4, dst=DST4, id=9, flags="DF") / UDP(sport=1, dport=2) / Raw(b"hi")
    frame = bytes(eth_in("eth0") / p)
    c.send("eth0", Ether(frame + b"\x00" * (60 - len(frame))))
    c.out("eth1", eth_out("eth1") / fwd4(p))
    return c


@case
def offline_full_burst():
    c = Case("offline_full_burst", "srchaind --offline reads 32 packets per burst: 40 "
             "packets (a full burst and 8 more) must all reach the output pcap", "",
             known="src/srchaind/offline.c run_input: the write loop runs only while "
             "'!rc', and rc still holds pcap_read's 1 after a full burst, so the output "
             "of every full burst of 32 is counted but never written")
    for k in range(40):
        p = udp4(sport=40000 + k, ttl=64, tag="fb")
        c.send("eth0", eth_in("eth0") / p)
        c.out("eth1", eth_out("eth1") / fwd4(p))
    return c


def _csum_corner_inner():
    """An IPv4 packet whose header checksum is 0x0000 once TTL is 63 (so it is
    0xfeff at TTL 64): RFC 1624 3 shows that the incremental update
    HC' = HC + m - m' gives 0xffff here, where eqn. 3 (and a full
    computation) gives 0x0000."""
    for ident in range(65536):
        p = IP(src=HOST4, dst=DST4_C, ttl=63, id=ident, flags="DF") / UDP(sport=1, dport=2) / \
            Raw(b"csum")
        p = IP(bytes(p))
        if p.chksum == 0:
            q = p.copy()
            q.ttl = 64
            del q.chksum
            return IP(bytes(q)), p
    raise RuntimeError("no IPv4 header with a zero checksum")


CSUM_KNOWN = ("RFC 1624 3: the TTL decrement must use eqn. 3 (HC' = ~(~HC + ~m + m')); "
              "the 'HC + 0x0100' shortcut yields 0xffff where the checksum is 0x0000 ")


def _csum(name, desc, conf, make_in, make_out, known_where, classify=False):
    c = Case(name, desc, conf, rfc="RFC 1624 3, RFC 791", classify=classify,
             known=CSUM_KNOWN + known_where if known_where else "")
    inp, fwd = _csum_corner_inner()
    c.send("eth0", make_in(inp))
    c.out("eth2", make_out(fwd))
    return c


CASES.append(lambda: _csum(
    "ip4_csum_fwd", "IPv4 forwarding of a header whose new checksum is 0x0000", "",
    lambda i: eth_in("eth0") / i, lambda o: eth_out("eth2") / o, ""))
CASES.append(lambda: _csum(
    "ip4_csum_end_dx4", "End.DX4 TTL decrement where the new checksum is 0x0000",
    "sid %s End.DX4 nh4 203.0.113.2\n" % sid(4),
    lambda i: eth_in("eth0") / IPv6(src=REMOTE, dst=sid(4), nh=4) / i,
    lambda o: eth_out("eth2") / o, "(src/dp/srv6.c srv6_inner_forward)"))
CASES.append(lambda: _csum(
    "ip4_csum_mpls_push", "SR-MPLS ingress TTL decrement where the new checksum is 0x0000",
    "mpls srgb 16000 23999\nmpls node-sid 198.51.100.200/32 index 5\n"
    "policy m mpls labels idx:5\nclassify proto udp policy m\n",
    lambda i: eth_in("eth0") / i,
    lambda o: eth_out("eth2", etype=0x8847) / MPLS(label=16005, s=1, ttl=63) / o,
    "(src/dp/mpls_fwd.c dp_mpls_push)", classify=True))
CASES.append(lambda: _csum(
    "ip4_csum_php", "SR-MPLS penultimate hop pop writing TTL 63 into an IPv4 header whose "
    "new checksum is 0x0000",
    "mpls srgb 16000 23999\nmpls node-sid 198.51.100.200/32 index 5 php\n",
    lambda i: eth_in("eth0", etype=0x8847) / MPLS(label=16005, s=1, ttl=64) / i,
    lambda o: eth_out("eth2") / o, "(src/dp/mpls_fwd.c mpls_ip_payload)"))

_ = (DST6, UDP, ICMP)

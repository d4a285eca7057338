#!/usr/bin/python3
# Seed corpus of fuzz_csum: TCP/UDP frames with partial checksums (the
# folded pseudo-header sum, as a Linux sender's checksum offload leaves it)
# and with complete ones, through the encapsulations csum_complete_frame
# looks through. Run with Debian's python3 (scapy): fuzz/gen_seeds_csum.py
import os, socket, struct
from scapy.all import Ether, IP, UDP, TCP, Dot1Q, Dot1AD, Raw
from scapy.layers.inet6 import IPv6, IPv6ExtHdrSegmentRouting, IPv6ExtHdrFragment
from scapy.contrib.mpls import MPLS

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_csum")
os.makedirs(out, exist_ok=True)

def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def words(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))

def partial(pkt, inner):
    """The frame with the inner L4 checksum replaced by its pseudo-header sum."""
    raw = bytearray(bytes(pkt))
    ip = pkt[inner]
    l4 = ip.payload
    while not isinstance(l4, (UDP, TCP)):
        l4 = l4.payload
    l4b = bytes(l4)
    if inner is IP:
        src, dst = socket.inet_aton(ip.src), socket.inet_aton(ip.dst)
        proto = 17 if isinstance(l4, UDP) else 6
        s = words(src + dst) + proto + len(l4b)
    else:
        src = socket.inet_pton(socket.AF_INET6, ip.src)
        dst = socket.inet_pton(socket.AF_INET6, ip.dst)
        if ip.haslayer(IPv6ExtHdrSegmentRouting) and ip[IPv6ExtHdrSegmentRouting].underlayer is ip:
            dst = socket.inet_pton(socket.AF_INET6, ip[IPv6ExtHdrSegmentRouting].addresses[0])
        proto = 17 if isinstance(l4, UDP) else 6
        s = words(src + dst) + proto + (len(l4b) >> 16) + (len(l4b) & 0xffff)
    off = len(raw) - len(l4b)  # the L4 segment ends the frame
    field = off + (6 if isinstance(l4, UDP) else 16)
    raw[field:field + 2] = struct.pack("!H", fold(s))
    return bytes(raw)

E = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
u4 = IP(src="192.0.2.1", dst="198.51.100.2") / UDP(sport=5000, dport=53) / Raw(b"hello, world")
t4 = IP(src="192.0.2.1", dst="198.51.100.2") / TCP(sport=40000, dport=80, flags="PA") / Raw(b"GET /")
u6 = IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=5000, dport=53) / Raw(b"hello, world")
t6 = IPv6(src="2001:db8::1", dst="2001:db8::2") / TCP(sport=40000, dport=80, flags="PA") / Raw(b"GET /")
segs = ["2001:db8:3::3", "2001:db8:2::2", "2001:db8:1::1"]

frames = {
    "ipv4_udp": (E() / u4, IP),
    "ipv4_tcp": (E() / t4, IP),
    "ipv6_udp": (E() / u6, IPv6),
    "ipv6_tcp": (E() / t6, IPv6),
    "qinq_ipv4_udp": (E() / Dot1AD(vlan=10) / Dot1Q(vlan=20) / u4, IP),
    "mpls2_ipv6_tcp": (E() / MPLS(label=16001, s=0) / MPLS(label=16002, s=1) / t6, IPv6),
    "mpls_ipv4_udp": (E() / MPLS(label=100, s=1) / u4, IP),
    "ipv6_srh_udp": (E() / IPv6(src="2001:db8::1", dst=segs[2]) /
                     IPv6ExtHdrSegmentRouting(addresses=segs, segleft=2, lastentry=2) /
                     UDP(sport=5000, dport=53) / Raw(b"srh"), IPv6),
    "srv6_ipv6_tcp": (E() / IPv6(src="2001:db8::a", dst=segs[2]) /
                      IPv6ExtHdrSegmentRouting(addresses=segs, segleft=2, lastentry=2, nh=41) / t6,
                      "inner6"),
    "ipv6_ipv4_udp": (E() / IPv6(src="2001:db8::a", dst="2001:db8::b", nh=4) / u4, IP),
}

def write(name, b):
    with open(os.path.join(out, name), "wb") as f:
        f.write(b)

for name, (pkt, inner) in frames.items():
    full = bytes(pkt)
    write(name + "_complete", full)
    if inner == "inner6":
        inner_pkt = pkt[IPv6ExtHdrSegmentRouting].payload
        p = partial(inner_pkt, IPv6)
        write(name + "_partial", full[:len(full) - len(p)] + p)
    else:
        write(name + "_partial", partial(pkt, inner))

# Ethernet padding after a short IPv4 packet, a fragment, a cut frame
short = E() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1, dport=2)
write("ipv4_udp_padded_partial", partial(short, IP) + b"\xa5" * 18)
frag = E() / IP(src="192.0.2.1", dst="192.0.2.2", flags="MF") / UDP(sport=1, dport=2) / Raw(b"x" * 16)
write("ipv4_fragment_partial", partial(frag, IP))
f6 = E() / IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment(m=1) / UDP(sport=1, dport=2) / Raw(b"y" * 16)
write("ipv6_fragment", bytes(f6))
write("ipv6_tcp_cut", partial(E() / t6, IPv6)[:70])

from scapy.all import *
from scapy.layers.inet6 import *
from scapy.contrib.mpls import MPLS
import socket, struct, hmac, hashlib, os
out = "/work/main/fuzz/corpus/fuzz_pkt"
def a6(s): return socket.inet_pton(socket.AF_INET6, s)
E = lambda t=None: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") if t is None else Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02", type=t)
in4 = IP(src="192.0.2.1", dst="198.51.100.2", id=1, ttl=64)/TCP(sport=1234, dport=80, flags="S", seq=1)
in6 = IPv6(src="2001:db8::1", dst="2001:db8::2")/UDP(sport=5000, dport=53)/b"hello!"
segs = ["2001:db8:3::3", "2001:db8:2::2", "2001:db8:1::1"]
def srh(nh, segs, sl, le, tlvs=b""):
    body = b"".join(a6(s) for s in segs) + tlvs
    L = 8 + len(body); assert L % 8 == 0
    return bytes([nh, L//8-1, 4, sl, le, 0]) + b"\0\0" + body
def v6(src, dst, nh, payload):
    return bytes(IPv6(src=src, dst=dst, nh=nh, plen=len(payload))) + payload
key = b"srchain-test-key"
text = a6("2001:db8::1") + bytes([2, 0]) + (0x01020304).to_bytes(4, 'big') + b"".join(a6(s) for s in segs)
mac = hmac.new(key, text, hashlib.sha256).digest()
tlv = b"\x00" + bytes([4, 5, 0, 0, 0, 0, 0]) + bytes([5, 38, 0x80, 0]) + (0x01020304).to_bytes(4, 'big') + mac
md1 = bytes.fromhex("0fc60101123456fedeadbeef000000000000000000000000")
md2 = bytes.fromhex("0284020300002a09fff6010412345678")
eth_in4 = bytes(Ether(src="02:00:00:00:00:03", dst="02:00:00:00:00:04")/in4)
seeds = {
 "eth_ipv4_tcp": bytes(E()/in4),
 "eth_ipv6_udp": bytes(E()/in6),
 "eth_srv6_srh_ipv4": bytes(E(0x86dd)) + v6("2001:db8::1", "2001:db8:1::1", 43, srh(4, segs, 2, 2) + bytes(in4)),
 "eth_srv6_srh_tlv_hmac_ipv4": bytes(E(0x86dd)) + v6("2001:db8::1", "2001:db8:1::1", 43, srh(4, segs, 2, 2, tlv) + bytes(in4)),
 "eth_srv6_reduced_ipv6": bytes(E(0x86dd)) + v6("2001:db8::a", "2001:db8:1::1", 43, srh(41, segs[:2], 2, 1) + bytes(in6)),
 "eth_mpls3_ipv4": bytes(E()/MPLS(label=16001, s=0, ttl=64)/MPLS(label=16002, cos=5, s=0, ttl=63)/MPLS(label=24, s=1, ttl=62)/in4),
 "eth_mpls_ipv6": bytes(E(0x8847)) + struct.pack(">I", (2 << 12) | (1 << 8) | 64) + bytes(in6),
 "eth_nsh_md1_ipv4": bytes(E(0x894f)) + md1 + bytes(in4),
 "eth_nsh_md2_eth_ipv4": bytes(E(0x894f)) + md2 + eth_in4,
 "eth_ipv4_vxlan_gpe_nsh": bytes(E()/IP(src="192.0.2.100", dst="192.0.2.101", flags="DF")/UDP(sport=49152, dport=4790)/Raw(bytes.fromhex("0c000004abcdef00") + md2 + eth_in4)),
 "eth_ipv6_ext_frag": bytes(E()/IPv6(src="2001:db8::1", dst="2001:db8::2")/IPv6ExtHdrHopByHop()/IPv6ExtHdrDestOpt()/IPv6ExtHdrFragment(offset=0, m=1, id=5)/UDP(sport=1, dport=2)/b"x"),
 "eth_qinq_ipv6_icmp": bytes(E()/Dot1AD(vlan=100)/Dot1Q(vlan=200)/IPv6(src="2001:db8::1", dst="2001:db8::2")/ICMPv6EchoRequest(id=1, seq=2, data=b"abcd")),
 "eth_vlan_ipv4_frag": bytes(E()/Dot1Q(vlan=10)/IP(src="192.0.2.1", dst="192.0.2.2", frag=185, proto=17)/b"later fragment"),
 "raw_srh_hmac": srh(4, segs, 2, 2, tlv),
 "raw_mpls16": b"".join(struct.pack(">I", ((100 + i) << 12) | ((i == 15) << 8) | 64) for i in range(16)) + bytes(in4),
}
os.makedirs(out, exist_ok=True)
for n, b in seeds.items():
    open(os.path.join(out, n), "wb").write(b)
wrpcap("/tmp/vec/seeds.pcap", [Ether(v) for k, v in seeds.items() if k.startswith("eth_")])
print(len(seeds))

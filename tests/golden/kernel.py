#!/usr/bin/python3
"""Helper of kernel.sh: the same SRv6 packets through Linux seg6/seg6local
and through srchaind --offline must give the same bytes.

  kernel.py gen DIR M0 M1 R1 S0     cases: node.conf, in_CASE.pcap, cases.json
  kernel.py capture IFACE OUT DIR MAC,...   sniff until DIR/stop exists
  kernel.py send IFACE PCAP
  kernel.py compare DIR             kernel.pcap vs DIR/sd_CASE/eth1.pcap

M0/M1: the middle node's input/output veth MACs (srchaind eth0/eth1), R1:
the receiver's MAC (the next hop 2001:db8:12::2 / 198.51.100.2), S0: the
sender's. Every packet carries a tag 'golden:k<case>:' in its payload so
that one capture can be split by case.

Known differences between the two: one. With an HMAC TLV Linux sets bit
0x08 of the SRH Flags (the 'H' flag of the drafts before RFC 8754, which
defines no flag and wants unassigned bits 0); the HMAC covers the Flags, so
for encap_hmac the kernel's HMAC is first checked against the RFC 8754
2.1.2.1 text with the kernel's Flags, then Flags are set to 0 and the HMAC
recomputed, and only then compared with srchaind's packet. Nothing else is
masked. Choices in which both
follow the same convention (and a golden case checks srchaind): the outer
hop limit is the inner one (64 for IPv4) less one for forwarding, the outer
traffic class and flow label are copied from an IPv6 inner packet (0 for
IPv4: Linux's seg6_flowlabel=0), decapsulated packets are forwarded with
TTL / hop limit - 1."""
import json
import os
import sys
import time

from scapy.all import IP, IPv6, UDP, AsyncSniffer, Ether, Raw, conf, rdpcap, sendp, wrpcap
from scapy.layers.inet6 import IPv6ExtHdrSegmentRouting

HMAC_SECRET = "golden-hmac-key"  # HMAC key id 7 (kernel.sh: ip sr hmac set 7 sha256)
NB1B = "02:00:00:00:01:03"  # the second neighbour on the output link (End.X, DX4/6, DT6)
SRC6 = "2001:db8:1::1"
REMOTE = "2001:db8:9::1"

# name: (kernel routes in the middle namespace, packets builder)
KERNEL_ROUTES = """\
-6 route add 2001:db8:2::/48 via 2001:db8:12::2 dev m1
-6 route add 2001:db8:100::/48 via 2001:db8:12::2 dev m1
-6 route add 2001:db8:200::/48 via 2001:db8:12::3 dev m1 table 100
-6 route add 2001:db8:101::/48 encap seg6 mode encap segs 2001:db8:2::1,2001:db8:2::2 dev m1
-4 route add 203.0.113.160/27 encap seg6 mode encap segs 2001:db8:2::1,2001:db8:2::2 dev m1
-6 route add 2001:db8:102::/48 encap seg6 mode encap.red segs 2001:db8:2::1,2001:db8:2::2,2001:db8:2::3 dev m1
-4 route add 203.0.113.192/27 encap seg6 mode encap.red segs 2001:db8:2::1,2001:db8:2::2 dev m1
-6 route add 2001:db8:1:ff::1/128 encap seg6local action End dev m0
-6 route add 2001:db8:1:ff::2/128 encap seg6local action End.X nh6 2001:db8:12::3 dev m0
-6 route add 2001:db8:1:ff::3/128 encap seg6local action End.DX6 nh6 2001:db8:12::3 dev m0
-6 route add 2001:db8:1:ff::4/128 encap seg6local action End.DX4 nh4 198.51.100.3 dev m0
-6 route add 2001:db8:1:ff::5/128 encap seg6local action End.DT6 table 100 dev m0
-6 route add 2001:db8:103::/48 encap seg6 mode encap segs 2001:db8:2::1,2001:db8:2::2 hmac 7 dev m1
-6 route add 2001:db8:1:ff::6/128 encap seg6local action End dev m0
-6 route add 2001:db8:3::/48 via 2001:db8:12::2 dev m1
-6 route add 2001:db8:1:ff::7/128 encap seg6local action End.B6.Encaps srh segs 2001:db8:3::1,2001:db8:3::2 dev m0
"""

SRCHAIND_CONF = """\
interface eth0 mac {m0} addr 2001:db8:1::1/64 addr 192.0.2.1/26 classify
interface eth1 mac {m1} addr 2001:db8:12::1/64 addr 198.51.100.1/26
neighbor eth1 2001:db8:12::2 mac {r1}
neighbor eth1 198.51.100.2 mac {r1}
neighbor eth1 2001:db8:12::3 mac {nb1b}
neighbor eth1 198.51.100.3 mac {nb1b}
route 2001:db8:2::/48 via 2001:db8:12::2 dev eth1
route 2001:db8:100::/48 via 2001:db8:12::2 dev eth1
route 2001:db8:200::/48 table 100 via 2001:db8:12::3 dev eth1
srv6 source 2001:db8:1::1
srv6 hmac key-id 7 secret {hmac_secret}
policy ph srv6 segs 2001:db8:2::1,2001:db8:2::2 hmac
classify dst 2001:db8:103::/48 policy ph
policy enc srv6 segs 2001:db8:2::1,2001:db8:2::2
policy red srv6 segs 2001:db8:2::1,2001:db8:2::2,2001:db8:2::3 encaps.red
policy red4 srv6 segs 2001:db8:2::1,2001:db8:2::2 encaps.red
classify dst 2001:db8:101::/48 policy enc
classify dst 203.0.113.160/27 policy enc
classify dst 2001:db8:102::/48 policy red
classify dst 203.0.113.192/27 policy red4
classify default forward
sid 2001:db8:1:ff::1 End
sid 2001:db8:1:ff::2 End.X nh6 2001:db8:12::3
sid 2001:db8:1:ff::3 End.DX6 nh6 2001:db8:12::3
sid 2001:db8:1:ff::4 End.DX4 nh4 198.51.100.3
sid 2001:db8:1:ff::5 End.DT6 table 100
sid 2001:db8:1:ff::6 End
route 2001:db8:3::/48 via 2001:db8:12::2 dev eth1
policy b6 srv6 segs 2001:db8:3::1,2001:db8:3::2
sid 2001:db8:1:ff::7 End.B6.Encaps policy b6
"""


def tag(case, k=0):
    b = ("golden:k%s:%d:" % (case, k)).encode()
    return Raw((b * 4)[:40])


def u6(case, dst, k=0, hlim=64, tc=0, fl=0):
    return IPv6(src="2001:db8:1::2", dst=dst, hlim=hlim, tc=tc, fl=fl) / \
        UDP(sport=1000 + k, dport=2000) / tag(case, k)


def u4(case, dst, k=0, ttl=64, tos=0):
    return IP(src="192.0.2.2", dst=dst, ttl=ttl, tos=tos, id=100 + k, flags="DF") / \
        UDP(sport=1000 + k, dport=2000) / tag(case, k)


def sr(path, sl, inner, nh=41, hlim=64):
    lst = list(reversed(path))
    return IPv6(src=REMOTE, dst=lst[sl], hlim=hlim, nh=43) / \
        IPv6ExtHdrSegmentRouting(nh=nh, len=2 * len(lst), segleft=sl, lastentry=len(lst) - 1,
                                 addresses=lst) / inner


def sid(n):
    return "2001:db8:1:ff::%x" % n


def packets(case):
    """Input packets (L3) of one kernel case."""
    if case == "encap":
        return [u6(case, "2001:db8:101::5", 0, tc=0xb8, fl=0x12345),
                u4(case, "203.0.113.170", 1, tos=0x28)]
    if case == "encap_red":
        return [u6(case, "2001:db8:102::5", 0, fl=0x54321), u4(case, "203.0.113.200", 1)]
    if case == "encap_hmac":
        return [u6(case, "2001:db8:103::5", 0)]
    if case == "end":
        return [sr([sid(1), "2001:db8:100::5"], 1, u6(case, "2001:db8:100::5", 0)),
                sr([sid(1), "2001:db8:2::7", "2001:db8:100::5"], 2,
                   u6(case, "2001:db8:100::5", 1))]
    if case == "end_x":
        return [sr([sid(2), "2001:db8:100::5"], 1, u6(case, "2001:db8:100::5", 0))]
    if case == "end_dx6":
        return [sr([sid(3)], 0, u6(case, "2001:db8:200::5", 0, hlim=30)),
                IPv6(src=REMOTE, dst=sid(3), nh=41) / u6(case, "2001:db8:200::5", 1)]
    if case == "end_dt6":
        return [sr([sid(5)], 0, u6(case, "2001:db8:200::5", 0))]
    if case == "end_dx4":
        return [sr([sid(4)], 0, u4(case, "198.51.100.130", 0, ttl=20), nh=4),
                IPv6(src=REMOTE, dst=sid(4), nh=4) / u4(case, "198.51.100.130", 1)]
    if case == "end_local_chain":  # golden srv6_end_local_chain, RFC 8986 4.1 S12
        return [sr([sid(1), sid(6), "2001:db8:100::5"], 2, u6(case, "2001:db8:100::5", 0))]
    if case == "end_b6_encaps":  # golden srv6_end_b6_encaps, RFC 8986 4.13 S12
        return [sr([sid(7), "2001:db8:100::5"], 1, u6(case, "2001:db8:100::5", 0))]
    raise KeyError(case)


# end_local_chain and end_b6_encaps show what Linux does where srchaind and RFC
# 8986 disagree (the golden cases of the same names expect the RFC).
CASES = ["encap", "encap_red", "encap_hmac", "end", "end_x", "end_dx6", "end_dt6", "end_dx4",
         "end_local_chain", "end_b6_encaps"]


def gen(d, m0, m1, r1, s0):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "node.conf"), "w") as f:
        f.write(SRCHAIND_CONF.format(m0=m0, m1=m1, r1=r1, nb1b=NB1B, hmac_secret=HMAC_SECRET))
    with open(os.path.join(d, "routes.txt"), "w") as f:
        f.write(KERNEL_ROUTES)
    for c in CASES:
        wrpcap(os.path.join(d, "in_%s.pcap" % c),
               [Ether(src=s0, dst=m0) / p for p in packets(c)])
    with open(os.path.join(d, "cases.json"), "w") as f:
        json.dump(dict(cases=CASES, r1=r1, nb1b=NB1B, hmac_secret=HMAC_SECRET), f)
    return 0


def capture(iface, out, d, macs):
    want = {m.lower() for m in macs.split(",")}
    conf.verb = 0
    sn = AsyncSniffer(iface=iface, store=True,
                      lfilter=lambda p: p.haslayer(Ether) and p[Ether].dst.lower() in want)
    sn.start()
    time.sleep(0.5)
    open(os.path.join(d, "ready"), "w").close()
    deadline = time.time() + 60
    while not os.path.exists(os.path.join(d, "stop")) and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    pk = sn.stop() or []
    wrpcap(out, list(pk))
    return 0


def send(iface, pcap):
    sendp(rdpcap(pcap), iface=iface, inter=0.02, verbose=False)
    return 0


def case_of(b):
    i = b.find(b"golden:k")
    if i < 0:
        return None
    return b[i + 8:].split(b":")[0].decode(errors="replace")


def hmac_normalise(b):
    """(frame with SRH Flags 0 and its HMAC redone, whether the original HMAC
    verified) for an Ethernet/IPv6/SRH frame with an HMAC TLV."""
    import hashlib
    import hmac
    import struct
    o = 14 + 40
    if len(b) < o + 8 or b[14 + 6] != 43:
        return b, False
    hlen = (b[o + 1] + 1) * 8
    le, flags = b[o + 4], b[o + 5]
    segs = b[o + 8:o + 8 + 16 * (le + 1)]
    t = o + 8 + 16 * (le + 1)
    while t < o + hlen and b[t] != 5:
        t += 1 if b[t] == 0 else 2 + b[t + 1]
    if t + 40 > o + hlen:
        return b, False
    kid = b[t + 4:t + 8]
    src = b[14 + 8:14 + 24]

    def mac(fl):
        return hmac.new(HMAC_SECRET.encode(), src + bytes([le, fl]) + kid + segs,
                        hashlib.sha256).digest()
    ok = mac(flags) == b[t + 8:t + 40]
    nb = bytearray(b)
    nb[o + 5] = 0
    nb[t + 8:t + 40] = mac(0)
    _ = struct
    return bytes(nb), ok


def show(b):
    try:
        return Ether(b).show(dump=True)
    except Exception as e:
        return "(cannot dissect: %s) %s" % (e, b.hex())


def compare(d):
    meta = json.load(open(os.path.join(d, "cases.json")))
    got = {}
    kp = os.path.join(d, "kernel.pcap")
    for p in (rdpcap(kp) if os.path.exists(kp) else []):
        b = bytes(p)
        got.setdefault(case_of(b), []).append(b)
    passed = failed = 0
    for c in meta["cases"]:
        sdp = os.path.join(d, "sd_%s" % c, "eth1.pcap")
        sd = [bytes(p) for p in rdpcap(sdp)] if os.path.exists(sdp) else []
        k = got.get(c, [])
        n_in = len(packets(c))
        errs = []
        if c == "encap_hmac":
            norm = []
            for b in k:
                nb, ok = hmac_normalise(b)
                if not ok:
                    errs.append("the kernel's HMAC does not verify under RFC 8754 2.1.2.1")
                norm.append(nb)
            k = norm
        if len(k) != n_in:
            errs.append("kernel sent %d packets for %d in" % (len(k), n_in))
        if len(sd) != n_in:
            errs.append("srchaind sent %d packets for %d in" % (len(sd), n_in))
        for i, (a, b) in enumerate(zip(k, sd)):
            if a != b:
                off = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]),
                           min(len(a), len(b)))
                errs.append("packet %d: first difference at byte %d (kernel %d bytes, "
                            "srchaind %d)\n  kernel   %s\n  srchaind %s\n--- kernel ---\n%s"
                            "--- srchaind ---\n%s" %
                            (i, off, len(a), len(b), a[max(0, off - 8):off + 16].hex(),
                             b[max(0, off - 8):off + 16].hex(), show(a), show(b)))
                break
        if errs:
            failed += 1
            print("FAIL kernel_%s" % c)
            for e in errs:
                print("     " + e.replace("\n", "\n     "))
        else:
            passed += 1
            print("PASS kernel_%-26s Linux seg6/seg6local and srchaind agree (%d packets)" %
                  (c, n_in))
    print("kernel: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main(a):
    if len(a) >= 2 and a[1] == "gen" and len(a) == 7:
        return gen(*a[2:])
    if len(a) == 6 and a[1] == "capture":
        return capture(a[2], a[3], a[4], a[5])
    if len(a) == 4 and a[1] == "send":
        return send(a[2], a[3])
    if len(a) == 3 and a[1] == "compare":
        return compare(a[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

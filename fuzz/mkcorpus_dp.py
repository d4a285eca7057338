#!/usr/bin/python3
"""Seed corpus of fuzz/fuzz_dp.c: fuzz/mkcorpus_dp.py OUTDIR

Every golden case (tests/golden, the frames its input pcaps hold) becomes one
input, in the order srchaind --offline sends them: each input file, in bursts
of 32. A few more inputs reach what the golden cases leave out of fuzz_dp's
node (classifier policies by UDP port, function chains, loops, HMAC SIDs,
bursts full of mirror copies). Input format (see fuzz_dp.c): per frame, one
control byte (bit 7: new burst; bits 0-6: interface), a 16-bit length, the
frame. Needs Debian's /usr/bin/python3 (scapy)."""
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "golden"))

import gen  # noqa: E402
from lib import (  # noqa: E402
    IP, MAC, NB, UDP, Ether, IPv6, gpe, hmac_tlv, mpls, nsh, sid, udp4, udp6)
from cases_srv6 import HMAC_KEY, REMOTE, sr  # noqa: E402

IFACES = ["eth0", "eth1", "eth2", "eth3", "eth4"]  # fuzz_dp.c's node, in order
OFFLINE_BURST = 32
MAC4, NB4 = "02:00:00:00:04:01", "02:00:00:00:04:02"


def eth(iface, etype=None):
    if iface == "eth4":
        e = Ether(src=NB4, dst=MAC4)
    else:
        e = Ether(src=NB.get(iface, "02:00:00:00:03:02"), dst=MAC[iface])
    if etype is not None:
        e.type = etype
    return e


def record(iface, frame, new_burst):
    b = bytes(frame)[:0xffff]
    return bytes([(0x80 if new_burst else 0) | IFACES.index(iface)]) + \
        struct.pack("!H", len(b)) + b


def encode(inputs):
    """inputs: [(iface, [frames])], each list sent as srchaind --offline does."""
    out = b""
    for iface, frames in inputs:
        for k, f in enumerate(frames):
            out += record(iface, f, k % OFFLINE_BURST == 0)
    return out


def hmac_sr(path, sl, inner, d_flag=False):
    lst = list(reversed(path))
    t = hmac_tlv(HMAC_KEY, 7, REMOTE, len(lst) - 1, 0, lst, d_flag=d_flag)
    return sr(path, sl, inner, tlvs=t)


def extra():
    """Seeds for the parts of fuzz_dp's node that no golden case uses."""
    seeds = {}
    DST6, DST4 = "2001:db8:100::5", "203.0.113.130"
    # classifier: one UDP port per policy, IPv4 and IPv6, on both classifying ports
    for port in range(2000, 2016):
        frames = [eth("eth0") / udp4(dport=port, tag="c%d" % port),
                  eth("eth0") / udp6(dport=port, tag="c%d" % port)]
        seeds["cls_%d" % port] = encode([("eth0", frames)])
        frames = [eth("eth4") / udp4(src="198.51.100.70", dport=port),
                  eth("eth4") / udp6(src="2001:db8:14::7", dport=port)]
        seeds["cls_eth4_%d" % port] = encode([("eth4", frames)])
    seeds["cls_tcp80"] = encode([("eth0", [eth("eth0") / IP(src="192.0.2.9", dst=DST4) /
                                           bytes.fromhex("13880050" + "00" * 16)])])
    # SIDs 13..18 and the prefix SIDs, with and without a valid HMAC
    for n in (0xd, 0xf, 0x12):
        path = [sid(n), DST6]
        inner = udp6(tag="h%x" % n) if n != 0xd else udp6(tag="h")
        if n in (0xf, 0x12):
            path = [sid(n)]
        seeds["sid_%x_hmac" % n] = encode([("eth1", [eth("eth1") / hmac_sr(path, len(path) - 1,
                                                                             inner)])])
    for n, inner, nh in ((0xe, udp4(dst="192.0.2.2"), 4), (0x11, udp4(), 4),
                         (0x10, udp6(), 41), (0xc, udp6(), 41)):
        path = [sid(n)] if n in (0xe, 0x11) else [sid(n), DST6]
        seeds["sid_%x" % n] = encode([("eth2", [eth("eth2") / sr(path, len(path) - 1, inner,
                                                                   nh=nh)])])
    seeds["sid_prefix_end"] = encode([("eth1", [eth("eth1") / sr(["2001:db8:1:fe::77", DST6], 1,
                                                                  udp6())])])
    seeds["sid_prefix_dt6"] = encode([("eth1", [eth("eth1") / sr(["2001:db8:1:fd::1:2"], 0,
                                                                  udp6(dst="2001:db8:1::2"))])])
    # SR-MPLS labels with functions
    for lab in (17000, 17003, 17004, 17005, 24002, 16008, 16009):
        seeds["mpls_%d" % lab] = encode([("eth1", [
            eth("eth1", 0x8847) / mpls([lab], 64) / udp4(src="192.0.2.3", dport=9),
            eth("eth1", 0x8847) / mpls([lab, 16002], 64) / udp6(),
            eth("eth1", 0x8847) / mpls([lab, 17005, 16007], 64) / udp4()])])
    # NSH paths: function chain, loops over VXLAN-GPE back to ourselves
    for spi in (110, 190, 191, 141, 170):
        si = 0 if spi == 170 else 255
        seeds["nsh_%d" % spi] = encode([("eth1", [
            eth("eth1", 0x894F) / nsh(spi, si) / udp4(tag="n%d" % spi),
            eth("eth1", 0x894F) / nsh(spi, si, np=2) / udp6(tag="n%d" % spi)])])
    seeds["vxlan_in_local"] = encode([("eth2", [
        eth("eth2") / IP(src="203.0.113.2", dst="203.0.113.1") / UDP(sport=50000, dport=4790) /
        gpe(0, np=4) / nsh(110, 255) / udp4()])])
    # full bursts: 64 (live's burst) and 256 (the API's) packets through mirrors
    big = []
    for k in range(256):
        path = [sid(0xb), sid(0x1), sid(0x10), "2001:db8:100::5"]
        big.append(eth("eth1") / sr(path, 3, udp6(sport=1000 + k, tag="m")))
    recs = b"".join(record("eth1", f, k == 0) for k, f in enumerate(big[:64]))
    seeds["burst64_mirror"] = recs
    seeds["burst256_mirror"] = b"".join(record("eth1", f, k == 0) for k, f in enumerate(big))
    loop = [eth("eth0") / udp6(dport=2005, sport=3000 + k) for k in range(256)]
    seeds["burst256_loop_policy"] = b"".join(record("eth0", f, k == 0)
                                             for k, f in enumerate(loop))
    nshl = [eth("eth1", 0x894F) / nsh(110, 255) / udp4(sport=k + 1) for k in range(256)]
    seeds["burst256_nsh_chain"] = b"".join(record("eth1", f, k == 0)
                                           for k, f in enumerate(nshl))
    return seeds


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {}
    for c in gen.all_cases():
        seeds["golden_" + c.name] = encode(c.inputs)
    seeds.update(extra())
    for name, data in sorted(seeds.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print("%s: %d seeds, %d bytes, sha256 of all %s" % (
        out, len(seeds), sum(len(d) for d in seeds.values()),
        hashlib.sha256(b"".join(seeds[k] for k in sorted(seeds))).hexdigest()[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

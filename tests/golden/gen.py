#!/usr/bin/python3
"""Writes the golden cases: for each one DIR/NAME/node.conf, the input pcaps,
the expected output pcaps and case.json (what compare.py checks besides the
packets). Usage: gen.py DIR [NAME...] | gen.py --list"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from scapy.all import wrpcap  # noqa: E402
from scapy.utils import PcapWriter  # noqa: E402

import cases_misc  # noqa: E402
import cases_mpls  # noqa: E402
import cases_nsh  # noqa: E402
import cases_srv6  # noqa: E402
import cases_flavours  # noqa: E402


def all_cases():
    out = []
    for mod in (cases_srv6, cases_mpls, cases_nsh, cases_misc, cases_flavours):
        for make in mod.CASES:
            out.append(make())
    names = [c.name for c in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit("gen.py: duplicate case names: %s" % ", ".join(sorted(dup)))
    return out


def write_pcap(path, pkts):
    # an empty list still makes a valid (empty) capture file
    w = PcapWriter(path, linktype=1, sync=True)
    for i, p in enumerate(pkts):
        p.time = 1700000000 + i / 1000.0
        w.write(p)
    w.close()


def write_case(root, c):
    d = os.path.join(root, c.name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "node.conf"), "w") as f:
        f.write(c.conf)
    inputs = []
    for k, (iface, pkts) in enumerate(c.inputs):
        fn = "in%d_%s.pcap" % (k, iface)
        write_pcap(os.path.join(d, fn), pkts)
        inputs.append([iface, fn, len(pkts)])
    expect = {}
    for iface, pkts in c.expect.items():
        write_pcap(os.path.join(d, "exp_%s.pcap" % iface), pkts)
        expect[iface] = len(pkts)
    ecmp = None
    if c.ecmp:
        ecmp = dict(ifaces=c.ecmp["ifaces"], flows=c.ecmp["flows"],
                    weights=c.ecmp.get("weights"))
        for iface, pkts in c.ecmp["expected"].items():
            write_pcap(os.path.join(d, "ecmp_%s.pcap" % iface), pkts)
    meta = dict(name=c.name, desc=c.desc, rfc=c.rfc, known=c.known, inputs=inputs,
                expect=expect, counters=c.counters, objects=c.objects, fixups=c.fixups,
                ecmp=ecmp, n_in=c.n_in())
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(meta, f, indent=1)


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        for c in all_cases():
            print("%-32s %s" % (c.name, c.desc))
        return 0
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root, only = argv[1], set(argv[2:])
    os.makedirs(root, exist_ok=True)
    names = []
    for c in all_cases():
        if only and c.name not in only:
            continue
        write_case(root, c)
        names.append(c.name)
    with open(os.path.join(root, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    return 0


if __name__ == "__main__":
    _ = wrpcap
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Checks what srchaind produced for each golden case against the case's
expectations. Usage: compare.py CASES_DIR RESULTS_DIR

RESULTS_DIR/NAME holds out/ (srchaind's pcaps), stdout.json, stderr.txt, rc
and tshark.txt (run.sh writes them). Prints one line per case (details of a
failure indented below it), writes "PASSED FAILED" to RESULTS_DIR/summary
and exits 1 on any failure; run.sh prints the closing summary line."""
import json
import os
import sys

import scapy.contrib.mpls  # noqa: F401  (dissectors for show())
import scapy.contrib.nsh  # noqa: F401
from scapy.all import IP, TCP, UDP, Ether, IPv6, rdpcap

SAN_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")
# counters whose expected value defaults to a packet count rather than 0
TRAFFIC = ("rx", "tx", "host")


def read(path):
    if not os.path.exists(path):
        return []
    return [bytes(p) for p in rdpcap(path)]


def show(b):
    try:
        return Ether(b).show(dump=True)
    except Exception as e:  # a dissector failing must not hide the diff
        return "(scapy cannot dissect: %s)\n%s" % (e, b.hex())


def first_diff(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b))


def diff_text(what, exp, act):
    off = first_diff(exp, act)
    offs = [i for i in range(min(len(exp), len(act))) if exp[i] != act[i]]
    lines = ["%s: first difference at byte %d (expected %d bytes, got %d; bytes that "
             "differ: %s%s)" % (what, off, len(exp), len(act),
                                ", ".join(str(i) for i in offs[:16]),
                                " ..." if len(offs) > 16 else ""),
             "  expected %s" % exp[max(0, off - 8):off + 16].hex(),
             "  got      %s" % act[max(0, off - 8):off + 16].hex(),
             "--- expected ---", show(exp), "--- srchaind ---", show(act)]
    return "\n".join(lines)


def apply_fixups(meta, iface, exp, act, errs):
    """Copies hash-derived bytes into each expected packet from the output
    packet that equals it everywhere else, then checks their properties."""
    for fx in meta["fixups"]:
        if fx["iface"] != iface:
            continue
        off, n = fx["off"], fx["len"]
        full = (1 << (8 * n)) - 1
        mask = fx["mask"] if fx["mask"] is not None else full
        skip = [(off, n)] + [tuple(r) for r in fx.get("ignore") or []]

        def masked(b):
            b = bytearray(b)
            for o, k in skip:
                b[o:o + k] = b"\0" * k
            return bytes(b)

        act_m = [masked(a) for a in act]
        used, vals, out = set(), [], []
        for e in exp:
            em = masked(e)
            j = next((j for j, a in enumerate(act_m) if j not in used and a == em
                      and len(act[j]) >= off + n), None)
            if j is None:
                out.append(e)
                vals.append(None)
                continue
            used.add(j)
            a = act[j]
            v = int.from_bytes(a[off:off + n], "big") & mask
            ev = int.from_bytes(e[off:off + n], "big")
            ev = (ev & ~mask & full) | v
            e = e[:off] + ev.to_bytes(n, "big") + e[off + n:]
            if fx["recompute"]:
                p = Ether(e)
                for layer in fx["recompute"]:
                    del p[layer].chksum
                e = bytes(p)
            out.append(e)
            vals.append(v)
        exp = out
        flows = fx["flows"] or list(range(len(vals)))
        by_flow = {}
        for fl, v in zip(flows, vals):
            if v is not None:
                by_flow.setdefault(fl, set()).add(v)
        for fl, vs in sorted(by_flow.items()):
            if len(vs) != 1:
                errs.append("%s: bytes %d+%d: flow %s got several values %s" %
                            (iface, off, n, fl, sorted(vs)))
        per_flow = [next(iter(vs)) for vs in by_flow.values() if len(vs) == 1]
        if fx["distinct"] and len(set(per_flow)) != len(per_flow):
            errs.append("%s: bytes %d+%d: different flows share a value: %s" %
                        (iface, off, n, per_flow))
        for v in vals:
            if v is None:
                continue
            if (fx["lo"] is not None and v < fx["lo"]) or (fx["hi"] is not None and v > fx["hi"]):
                errs.append("%s: bytes %d+%d: value %d outside %s..%s" %
                            (iface, off, n, v, fx["lo"], fx["hi"]))
                break
    return exp


def flow_of(b):
    """Innermost (src, dst, L4, sport, dport) of a frame, for order checks."""
    try:
        layer, last_ip = Ether(b), None
        while layer:
            if isinstance(layer, (IP, IPv6)):
                last_ip = layer
            layer = layer.payload if layer.payload else None
        if last_ip is None:
            return None
        l4 = last_ip.payload
        while l4 and not isinstance(l4, (UDP, TCP)) and l4.payload:
            l4 = l4.payload
        return (last_ip.src, last_ip.dst, type(l4).__name__, getattr(l4, "sport", None),
                getattr(l4, "dport", None), bytes(l4.payload)[:32])
    except Exception:
        return None


def common_prefix(a, b):
    return first_diff(a, b)


def compare_list(iface, exp, act, errs):
    """Packets of one flow must come out in order; packets of different flows
    may be reordered (the data plane sorts a burst by stage)."""
    if exp == act:
        return
    used, where, missing = set(), [], []
    for i, e in enumerate(exp):
        j = next((j for j, a in enumerate(act) if j not in used and a == e), None)
        if j is None:
            missing.append(i)
        else:
            used.add(j)
        where.append(j)
    if len(exp) != len(act):
        errs.append("%s: expected %d packets, got %d" % (iface, len(exp), len(act)))
    if missing:
        i = missing[0]
        spare = [j for j in range(len(act)) if j not in used]
        if spare:
            j = max(spare, key=lambda j: common_prefix(exp[i], act[j]))
            errs.append(diff_text("%s: expected packet %d vs closest output packet %d" %
                                  (iface, i, j), exp[i], act[j]))
        else:
            errs.append("%s: expected packet %d is missing:\n%s" % (iface, i, show(exp[i])))
        return
    last = {}
    for i, j in enumerate(where):
        fl = flow_of(exp[i])
        if fl in last and last[fl] > j:
            errs.append("%s: packets of flow %s reordered (expected packet %d came out as %d)"
                        % (iface, fl, i, j))
            return
        last[fl] = j


def compare_ecmp(cdir, meta, act_by_if, errs):
    ec = meta["ecmp"]
    ifs = ec["ifaces"]
    exp = {i: read(os.path.join(cdir, "ecmp_%s.pcap" % i)) for i in ifs}
    act = {i: act_by_if.get(i, []) for i in ifs}
    pos = {i: 0 for i in ifs}
    where = []
    for k in range(len(ec["flows"])):
        for i in ifs:
            if pos[i] < len(act[i]) and act[i][pos[i]] == exp[i][k]:
                pos[i] += 1
                where.append(i)
                break
        else:
            errs.append("input packet %d (flow %d) is on none of %s as expected" %
                        (k, ec["flows"][k], ", ".join(ifs)))
            for i in ifs:
                if pos[i] < len(act[i]):
                    errs.append(diff_text("as if sent on %s" % i, exp[i][k], act[i][pos[i]]))
                    break
            return
    for i in ifs:
        if pos[i] != len(act[i]):
            errs.append("%s: %d packets more than expected" % (i, len(act[i]) - pos[i]))
    flow_if = {}
    for fl, i in zip(ec["flows"], where):
        flow_if.setdefault(fl, set()).add(i)
    split = [fl for fl, s in flow_if.items() if len(s) > 1]
    if split:
        errs.append("flows %s were spread over several next hops" % split[:8])
    n_flows = {i: sum(1 for s in flow_if.values() if s == {i}) for i in ifs}
    if any(v == 0 for v in n_flows.values()):
        errs.append("flows per next hop %s: one next hop got none" % n_flows)
    w = ec.get("weights")
    if w:
        light, heavy = (ifs[0], ifs[1]) if w[0] < w[1] else (ifs[1], ifs[0])
        if n_flows[heavy] <= n_flows[light]:
            errs.append("weights %s but flows per next hop %s" % (w, n_flows))
    return len(where)


def check_case(cdir, rdir):
    with open(os.path.join(cdir, "case.json")) as f:
        meta = json.load(f)
    errs = []
    rc = open(os.path.join(rdir, "rc")).read().strip() if os.path.exists(
        os.path.join(rdir, "rc")) else "?"
    stderr = open(os.path.join(rdir, "stderr.txt"), errors="replace").read() if os.path.exists(
        os.path.join(rdir, "stderr.txt")) else ""
    if rc != "0":
        errs.append("srchaind exited %s: %s" % (rc, stderr.strip()[:2000]))
        return meta, errs
    if any(m in stderr for m in SAN_MARKS):
        errs.append("sanitizer report:\n" + stderr[:4000])
    try:
        with open(os.path.join(rdir, "stdout.json")) as f:
            js = json.load(f)
    except (OSError, ValueError) as e:
        errs.append("no JSON from srchaind --json: %s" % e)
        js = {"counters": {}, "objects": []}

    out = os.path.join(rdir, "out")
    act = {}
    for fn in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        if fn.endswith(".pcap") and fn != "drop.pcap":
            act[fn[:-5]] = read(os.path.join(out, fn))
    ecmp_ifs = meta["ecmp"]["ifaces"] if meta["ecmp"] else []
    n_tx = 0
    for iface in sorted(set(act) | set(meta["expect"])):
        if iface in ecmp_ifs:
            continue
        exp = read(os.path.join(cdir, "exp_%s.pcap" % iface))
        got = act.get(iface, [])
        exp = apply_fixups(meta, iface, exp, got, errs)
        compare_list(iface, exp, got, errs)
        if iface != "host":
            n_tx += len(exp)
    if meta["ecmp"]:
        compare_ecmp(cdir, meta, act, errs)
        n_tx += len(meta["ecmp"]["flows"])

    want = dict(meta["counters"])
    want.setdefault("rx", meta["n_in"])
    want.setdefault("tx", n_tx)
    want.setdefault("host", meta["expect"].get("host", 0))
    ctr = js.get("counters", {})
    for name in sorted(set(ctr) | set(want)):
        w, g = want.get(name, 0), ctr.get(name)
        if g is None:
            errs.append("counter %s: missing from srchaind's JSON" % name)
        elif g != w:
            errs.append("counter %s: expected %d, got %d" % (name, w, g))
    objs = {o["name"]: o["packets"] for o in js.get("objects", [])}
    for name, w in sorted(meta["objects"].items()):
        if name.endswith("*"):
            hits = [n for n in objs if n.startswith(name[:-1])]
        else:
            hits = [name] if name in objs else []
        if not hits:
            errs.append("object '%s': not in srchaind's JSON (have: %s)" %
                        (name, "; ".join(sorted(objs))[:600]))
            continue
        g = sum(objs[n] for n in hits)
        if g != w:
            errs.append("object '%s': expected %d packets, got %d" % (" | ".join(hits), w, g))

    ts = os.path.join(rdir, "tshark.txt")
    if os.path.exists(ts):
        bad = open(ts, errors="replace").read().strip()
        if bad:
            errs.append("tshark:\n" + bad[:3000])
    return meta, errs


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cases_dir, res_dir = argv[1], argv[2]
    names = [n for n in open(os.path.join(cases_dir, "cases.txt")).read().split() if n]
    passed, failed, known = 0, 0, []
    for name in names:
        meta, errs = check_case(os.path.join(cases_dir, name), os.path.join(res_dir, name))
        if not errs:
            passed += 1
            print("PASS %-32s %s" % (name, meta["desc"]))
            continue
        failed += 1
        print("FAIL %-32s %s" % (name, meta["desc"]))
        if meta["rfc"]:
            print("     reference: %s" % meta["rfc"])
        if meta["known"]:
            print("     srchaind bug this case was written for: %s" % meta["known"])
            known.append(name)
        for e in errs:
            print("     " + e.replace("\n", "\n     "))
        sys.stdout.flush()
    if known:
        print("failing cases written for a known srchaind bug: %s" % ", ".join(known))
    with open(os.path.join(res_dir, "summary"), "w") as f:
        f.write("%d %d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

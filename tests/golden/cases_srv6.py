"""SRv6 cases: H.Encaps / H.Encaps.Red (RFC 8986 5.1, 5.2), the endpoint
behaviours of RFC 8986 4, the SRH checks of RFC 8754 4.3.1 and the HMAC TLV
of RFC 8754 2.1.2."""
from lib import (
    B_NET6, C_NET6, DST4, DST4_C, DST6, DST6_C, HOST4, HOST6, IPv6, IPv6ExtHdrDestOpt,
    IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, MAC, NB1B, Case, Raw, UDP, eth_in, eth_out,
    hmac_tlv, outer6, payload, sid, srh, tlv_pad1, tlv_padn, udp4, udp6, SRC6)

REMOTE = "2001:db8:9::1"  # the SR source that sent the packets our SIDs receive
HMAC_KEY = b"golden-hmac-key"
HMAC_CONF = "srv6 hmac key-id 7 secret golden-hmac-key\n"


def segs(prefix, n):
    return ["%s%x" % (prefix, i + 1) for i in range(n)]


def sr(path, sl, inner, src=REMOTE, hlim=64, tc=0, fl=0, tlvs=b"", nh=41, da=None,
       reduced=False, le=None, hdr_len=None):
    """IPv6 + SRH carrying inner; DA is Segment List[SL] (RFC 8754 2)."""
    lst = list(reversed(path))
    if reduced:
        lst = lst[:-1]
    if da is None:
        da = lst[sl] if sl < len(lst) else path[0]
    h = srh(path, sl, nh=nh, tlvs=tlvs, reduced=reduced, le=le, hdr_len=hdr_len)
    return IPv6(src=src, dst=da, hlim=hlim, tc=tc, fl=fl, nh=43) / h / inner


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# --- ingress encapsulation ---------------------------------------------------

def _encaps(name, n, inner_v4, red):
    path = segs(B_NET6, n)
    mode = " encaps.red" if red else ""
    c = Case(name, "H.Encaps%s, %s inner, %d segment(s)" % (".Red" if red else "",
                                                         "IPv4" if inner_v4 else "IPv6", n),
             "policy p srv6 segs %s%s\n"
             "classify proto udp dst 2001:db8:100::/48 policy p\n"
             "classify proto udp dst 203.0.113.128/25 policy p\n" % (",".join(path), mode),
             classify=True, rfc="RFC 8986 5.1/5.2, RFC 8754 2")
    if inner_v4:
        inner = udp4(tos=0x28, tag=name)
        tc, fl, nh = 0, 0, 4  # Linux seg6: IPv4 inner -> TC 0, flow label 0
    else:
        inner = udp6(tc=0xb8, fl=0x12345, tag=name)
        tc, fl, nh = 0xb8, 0x12345, 41  # TC and flow label copied (policy default)
    c.send("eth0", eth_in("eth0") / inner)
    hlim = 63  # outer: inner hop limit (64 for IPv4) less this node's forwarding
    if red and n == 1:
        # RFC 8986 5.2: a one-segment reduced list needs no SRH at all
        exp = outer6(path[0], hlim=hlim, tc=tc, fl=fl, nh=nh) / inner
    else:
        exp = outer6(path[0], hlim=hlim, tc=tc, fl=fl, nh=43) / \
            srh(path, n - 1, nh=nh, reduced=red) / inner
    c.out("eth1", eth_out("eth1") / exp)
    c.obj("policy p", 1)
    return c


for _n in (1, 2, 3, 10):
    CASES.append(lambda n=_n: _encaps("srv6_encaps_v6_%dseg" % n, n, False, False))
for _n in (1, 3, 10):
    CASES.append(lambda n=_n: _encaps("srv6_encaps_v4_%dseg" % n, n, True, False))
for _n in (1, 3):
    CASES.append(lambda n=_n: _encaps("srv6_encaps_red_v6_%dseg" % n, n, False, True))
CASES.append(lambda: _encaps("srv6_encaps_red_v4_2seg", 2, True, True))


@case
def srv6_encaps_mtu():
    c = Case("srv6_encaps_mtu", "H.Encaps toward eth1 (MTU 1300): a packet that fits exactly "
             "after encapsulation goes, one octet more is dropped (no fragmentation)",
             "policy p srv6 segs 2001:db8:2::1\nclassify proto udp policy p\n",
             classify=True, mtu1=1300, rfc="RFC 8200 5, RFC 8986 5.1")
    for extra in (0, 1):
        # outer 40 + SRH 24 + inner (40 + 8 + payload) = 1300 + extra
        inner = IPv6(src=HOST6, dst=DST6, hlim=64, nh=17) / UDP(sport=9, dport=9) / \
            Raw(b"m" * (1300 + extra - 64 - 48))
        c.send("eth0", eth_in("eth0") / inner)
        if not extra:
            c.out("eth1", eth_out("eth1") / outer6("2001:db8:2::1") /
                  srh(["2001:db8:2::1"], 0) / inner)
    c.count(mtu_exceeded=1)
    return c


@case
def srv6_flowlabel_zero():
    c = Case("srv6_flowlabel_zero", "H.Encaps with 'flowlabel zero': outer flow label 0",
             "policy p srv6 segs 2001:db8:2::1 flowlabel zero\n"
             "classify proto udp policy p\n", classify=True, rfc="RFC 8986 5.1, RFC 6437")
    inner = udp6(fl=0xabcde, tag="flz")
    c.send("eth0", eth_in("eth0") / inner)
    c.out("eth1", eth_out("eth1") / outer6("2001:db8:2::1", fl=0) /
          srh(["2001:db8:2::1"], 0) / inner)
    return c


@case
def srv6_flowlabel_hash():
    c = Case("srv6_flowlabel_hash",
             "H.Encaps with 'flowlabel hash': outer flow label from the inner flow "
             "(RFC 6437 3): one value per flow, different across flows, never 0",
             "policy p srv6 segs 2001:db8:2::1 flowlabel hash\n"
             "classify proto udp policy p\n", classify=True, rfc="RFC 6437 3, RFC 8986 5.1")
    flows = []
    for f in range(6):
        for k in range(2):
            if f < 4:
                inner = udp6(sport=3000 + f, tag="flh%d" % k)
                nh = 41
            else:
                inner = udp4(sport=3000 + f, ident=10 + k, tag="flh%d" % k)
                nh = 4
            c.send("eth0", eth_in("eth0") / inner)
            c.out("eth1", eth_out("eth1") / outer6("2001:db8:2::1", fl=0) /
                  srh(["2001:db8:2::1"], 0, nh=nh) / inner)
            flows.append(f)
    # flow label: low 20 bits of the first 4 bytes of the outer IPv6 header
    c.fixup("eth1", 14, 4, mask=0xfffff, flows=flows, lo=1)
    return c


# --- End ---------------------------------------------------------------------

END_CONF = "sid %s End\n" % sid(1)


@case
def srv6_end_sl1():
    c = Case("srv6_end_sl1", "End with Segments Left 1 -> 0: DA = Segment List[0], hop "
             "limit - 1", END_CONF, rfc="RFC 8986 4.1, RFC 8754 4.3.1.1")
    path = [sid(1), DST6]
    inner = udp6(src=HOST6, dst=DST6, tag="e1")
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, fl=0x54321, tc=0x20))
    c.out("eth1", eth_out("eth1") / sr(path, 0, inner, hlim=63, fl=0x54321, tc=0x20))
    c.obj("sid 2001:db8:1:ff::1/128 End", 1)
    return c


@case
def srv6_end_sl2():
    c = Case("srv6_end_sl2", "End with Segments Left 2 -> 1: next segment is node C (eth2)",
             END_CONF, rfc="RFC 8986 4.1")
    path = [sid(1), C_NET6 + "1", DST6]
    inner = udp6(tag="e2")
    c.send("eth0", eth_in("eth0") / sr(path, 2, inner))
    c.out("eth2", eth_out("eth2") / sr(path, 1, inner, hlim=63))
    return c


@case
def srv6_end_reduced():
    c = Case("srv6_end_reduced", "End on a reduced SRH (H.Encaps.Red: Segments Left = Last "
             "Entry + 1, the first segment only in the DA)", END_CONF,
             rfc="RFC 8986 5.2, 4.1; RFC 8754 4.3.1.1")
    path = [sid(1), C_NET6 + "1", DST6]
    inner = udp6(tag="er")
    c.send("eth0", eth_in("eth0") / sr(path, 2, inner, reduced=True))
    c.out("eth2", eth_out("eth2") / sr(path, 1, inner, hlim=63, reduced=True))
    return c


@case
def srv6_end_sl0():
    c = Case("srv6_end_sl0", "End with Segments Left 0: the SRH is done and the upper "
             "layer is not ours to process (4.1.1): dropped", END_CONF,
             rfc="RFC 8986 4.1 S02-S03, 4.1.1")
    c.send("eth0", eth_in("eth0") / sr([B_NET6 + "9", sid(1)], 0, udp6(tag="e0")))
    c.count(srv6_sl_zero=1)
    return c


@case
def srv6_end_sl_invalid():
    c = Case("srv6_end_sl_invalid", "End with Segments Left > Last Entry + 1: dropped",
             END_CONF, rfc="RFC 8754 4.3.1.1 S09-S11, RFC 8986 4.1 S09")
    # two segments (Last Entry 1), Segments Left 3; DA is our SID
    c.send("eth0", eth_in("eth0") / sr([sid(1), DST6], 3, udp6(tag="ei"), da=sid(1)))
    c.count(srv6_sl_invalid=1)
    return c


@case
def srv6_end_hlim():
    c = Case("srv6_end_hlim", "End with hop limit 1 (dropped) and 2 (forwarded with 1)",
             END_CONF, rfc="RFC 8986 4.1 S05-S07, RFC 8754 4.3.1.1 S16")
    path = [sid(1), DST6]
    inner = udp6(tag="eh")
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, hlim=1))
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, hlim=2))
    c.out("eth1", eth_out("eth1") / sr(path, 0, inner, hlim=1))
    c.count(ip6_hlim_expired=1)
    return c


@case
def srv6_end_tlvs():
    c = Case("srv6_end_tlvs", "End over SRHs with Pad1, PadN and an unknown TLV: "
             "processed, TLVs kept as they are", END_CONF, rfc="RFC 8754 2.1, 2.1.1, 4.3.1.1")
    path = [sid(1), C_NET6 + "1", DST6]
    inner = udp6(tag="et")
    variants = [
        tlv_pad1() + tlv_padn(7),
        tlv_padn(8),
        bytes([124, 4, 1, 2, 3, 4]) + tlv_padn(2),  # unrecognised type: ignored
        tlv_pad1() * 8,
    ]
    for t in variants:
        c.send("eth0", eth_in("eth0") / sr(path, 2, inner, tlvs=t))
        c.out("eth2", eth_out("eth2") / sr(path, 1, inner, hlim=63, tlvs=t))
    return c


@case
def srv6_end_ext_chain():
    c = Case("srv6_end_ext_chain", "End with the SRH after Hop-by-Hop and Destination "
             "Options headers (walked, kept)", END_CONF, rfc="RFC 8200 4.1, RFC 8754 4.3")
    path = [sid(1), DST6]
    inner = udp6(tag="ec")
    for pre_hlim, hlim in ((64, 63),):
        def pkt(sl, hl):
            return IPv6(src=REMOTE, dst=[DST6, sid(1)][sl], hlim=hl, nh=0) / \
                IPv6ExtHdrHopByHop(nh=60) / IPv6ExtHdrDestOpt(nh=43) / srh(path, sl) / inner
        c.send("eth0", eth_in("eth0") / pkt(1, pre_hlim))
        c.out("eth1", eth_out("eth1") / pkt(0, hlim))
    return c


@case
def srv6_srh_malformed():
    c = Case("srv6_srh_malformed", "SRHs that fail parsing: longer than the packet, Last "
             "Entry beyond Hdr Ext Len, truncated behind a Hop-by-Hop header",
             END_CONF, rfc="RFC 8754 4.3.1.1 S08-S11, RFC 8200 4")
    path = [sid(1), DST6]
    # Hdr Ext Len says 88 octets, only 40 follow the IPv6 header
    c.send("eth0", eth_in("eth0") / sr(path, 1, Raw(b""), nh=59, hdr_len=10))
    # Last Entry 3 while Hdr Ext Len 4 holds two segments (max Last Entry 1)
    c.send("eth0", eth_in("eth0") / sr(path, 1, udp6(tag="m2"), le=3, da=sid(1)))
    # walked path: HBH then an SRH cut short
    c.send("eth0", eth_in("eth0") / IPv6(src=REMOTE, dst=sid(1), nh=0) /
           IPv6ExtHdrHopByHop(nh=43) / srh(path, 1, nh=59, hdr_len=6))
    c.count(srv6_srh_malformed=3)
    return c


@case
def srv6_no_srh():
    c = Case("srv6_no_srh", "End SID reached without an SRH (UDP, No Next Header, a type 0 "
             "routing header with Segments Left 0): dropped", END_CONF,
             rfc="RFC 8986 4.1.1, RFC 8200 4.4")
    c.send("eth0", eth_in("eth0") / IPv6(src=REMOTE, dst=sid(1), nh=17) /
           UDP(sport=5, dport=6) / payload("ns"))
    c.send("eth0", eth_in("eth0") / IPv6(src=REMOTE, dst=sid(1), nh=59))
    c.send("eth0", eth_in("eth0") / IPv6(src=REMOTE, dst=sid(1), nh=43) /
           IPv6ExtHdrRouting(nh=17, type=0, segleft=0, addresses=[DST6]) /
           UDP(sport=5, dport=6) / payload("ns"))
    c.count(srv6_no_srh=3)
    return c


@case
def srv6_end_no_route():
    c = Case("srv6_end_no_route", "End whose next segment has no route: dropped",
             END_CONF, rfc="RFC 8986 4.1 S15")
    c.send("eth0", eth_in("eth0") / sr([sid(1), "2001:db8:77::1"], 1, udp6(tag="nr")))
    c.count(ip6_no_route=1)
    return c


@case
def srv6_end_local_chain():
    c = Case("srv6_end_local_chain", "Two End SIDs of this node in a row: the hop limit "
             "is decremented once, when the packet leaves (as Linux does; RFC 8986 4.1 "
             "S12 would decrement in each End: README, 'Where srchain follows the kernel')",
             END_CONF + "sid %s End\n" % sid(9), rfc="RFC 8986 4.1 (Linux semantics)")
    path = [sid(1), sid(9), DST6]
    inner = udp6(tag="lc")
    c.send("eth0", eth_in("eth0") / sr(path, 2, inner))
    c.out("eth1", eth_out("eth1") / sr(path, 0, inner, hlim=63))
    return c


# --- End.X, End.DX*, End.DT* ---------------------------------------------------

@case
def srv6_end_x():
    c = Case("srv6_end_x", "End.X: next segment routes via eth1's first neighbour, End.X "
             "sends to the adjacency 2001:db8:12::3 instead",
             "sid %s End.X nh6 2001:db8:12::3\n" % sid(2), rfc="RFC 8986 4.2")
    path = [sid(2), DST6]
    inner = udp6(tag="ex")
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner))
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, hlim=1))
    c.out("eth1", eth_out("eth1", dst=NB1B) / sr(path, 0, inner, hlim=63))
    c.count(ip6_hlim_expired=1)
    return c


@case
def srv6_end_dx6():
    c = Case("srv6_end_dx6", "End.DX6: SRH with SL 0 (one and two segments) and no SRH: "
             "outer header removed, inner IPv6 sent to the adjacency with hop limit - 1",
             "sid %s End.DX6 nh6 2001:db8:12::3\n" % sid(3), rfc="RFC 8986 4.4")
    inner = udp6(dst=DST6_C, hlim=30, tag="dx6")  # DST6_C routes via eth2: DX6 ignores that
    fwd = udp6(dst=DST6_C, hlim=29, tag="dx6")
    c.send("eth0", eth_in("eth0") / sr([sid(3)], 0, inner))
    c.send("eth0", eth_in("eth0") / sr([B_NET6 + "7", sid(3)], 0, inner))
    c.send("eth0", eth_in("eth0") / IPv6(src=REMOTE, dst=sid(3), nh=41) / inner)
    # the decapsulated packet is forwarded: hop limit 1 cannot be
    c.send("eth0", eth_in("eth0") / sr([sid(3)], 0, udp6(dst=DST6_C, hlim=1, tag="dx6")))
    for _ in range(3):
        c.out("eth1", eth_out("eth1", dst=NB1B) / fwd)
    c.count(ip6_hlim_expired=1)
    return c


@case
def srv6_end_dx6_sl_nonzero():
    c = Case("srv6_end_dx6_sl_nonzero", "End.DX6 with Segments Left 1: dropped",
             "sid %s End.DX6 nh6 2001:db8:12::3\n" % sid(3), rfc="RFC 8986 4.4 S02-S04")
    c.send("eth0", eth_in("eth0") / sr([sid(3), DST6], 1, udp6(tag="dxs")))
    c.count(srv6_sl_nonzero=1)
    return c


@case
def srv6_end_dx4():
    c = Case("srv6_end_dx4", "End.DX4: inner IPv4 (with and without an SRH) sent to the "
             "adjacency with TTL - 1; an IPv6 inner packet is dropped",
             "sid %s End.DX4 nh4 198.51.100.3\n" % sid(4), rfc="RFC 8986 4.5, 4.1.1")
    inner = udp4(dst=DST4_C, ttl=20, tag="dx4")
    fwd = udp4(dst=DST4_C, ttl=19, tag="dx4")
    c.send("eth0", eth_in("eth0") / sr([sid(4)], 0, inner, nh=4))
    c.send("eth0", eth_in("eth0") / IPv6(src=REMOTE, dst=sid(4), nh=4) / inner)
    c.send("eth0", eth_in("eth0") / sr([sid(4)], 0, udp6(tag="dx4b")))
    c.out("eth1", eth_out("eth1", dst=NB1B) / fwd, eth_out("eth1", dst=NB1B) / fwd)
    c.count(srv6_bad_inner=1)
    return c


@case
def srv6_end_dt6():
    c = Case("srv6_end_dt6", "End.DT6 with table 10: the inner destination is looked up in "
             "table 10 (via eth1's second neighbour), not in main (eth2); an address "
             "only main knows is dropped",
             "route 2001:db8:200::/48 table 10 via 2001:db8:12::3 dev eth1\n"
             "sid %s End.DT6 table 10\n" % sid(5), rfc="RFC 8986 4.6")
    c.send("eth0", eth_in("eth0") / sr([sid(5)], 0, udp6(dst=DST6_C, tag="dt6")))
    c.send("eth0", eth_in("eth0") / sr([sid(5)], 0, udp6(dst=DST6, tag="dt6")))
    c.out("eth1", eth_out("eth1", dst=NB1B) / udp6(dst=DST6_C, hlim=63, tag="dt6"))
    c.count(ip6_no_route=1)
    return c


@case
def srv6_end_dt4():
    c = Case("srv6_end_dt4", "End.DT4 with table 20: IPv4 lookup in table 20 only",
             "route 198.51.100.128/25 table 20 via 198.51.100.3 dev eth1\n"
             "sid %s End.DT4 table 20\n" % sid(6), rfc="RFC 8986 4.8")
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, udp4(dst=DST4_C, tag="dt4"), nh=4))
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, udp4(dst=DST4, tag="dt4"), nh=4))
    c.out("eth1", eth_out("eth1", dst=NB1B) / udp4(dst=DST4_C, ttl=63, tag="dt4"))
    c.count(ip4_no_route=1)
    return c


@case
def srv6_end_b6_encaps():
    c = Case("srv6_end_b6_encaps", "End.B6.Encaps: SL 1 -> 0 on the received SRH, then a "
             "new outer IPv6 header + SRH of policy b6 toward node C; the inner hop limit "
             "is left as Linux leaves it (RFC 8986 4.13 S12 would decrement it)",
             "policy b6 srv6 segs 2001:db8:3::1,2001:db8:3::2\n"
             "sid %s End.B6.Encaps policy b6\n" % sid(7), rfc="RFC 8986 4.13 (Linux semantics)")
    path = [sid(7), DST6]
    inner = udp6(tag="b6")
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, fl=0x0abcd))
    b = ["2001:db8:3::1", "2001:db8:3::2"]
    # inner: SL advanced, hop limit kept (64); outer: copies it, less our forwarding (63)
    c.out("eth2", eth_out("eth2") / outer6(b[0], hlim=63, fl=0x0abcd) / srh(b, 1) /
          sr(path, 0, inner, hlim=64, fl=0x0abcd))
    return c


# --- HMAC ----------------------------------------------------------------------

@case
def srv6_hmac_encaps():
    c = Case("srv6_hmac_encaps", "H.Encaps and H.Encaps.Red with an HMAC TLV (key id 7); "
             "reduced lists set the D flag",
             HMAC_CONF +
             "policy ph srv6 segs 2001:db8:2::1,2001:db8:2::2 hmac\n"
             "policy phr srv6 segs 2001:db8:2::1,2001:db8:2::2,2001:db8:2::3 encaps.red hmac\n"
             "classify proto udp dport 2000 policy ph\n"
             "classify proto udp dport 2001 policy phr\n", classify=True,
             rfc="RFC 8754 2.1.2, 2.1.2.1")
    p1 = ["2001:db8:2::1", "2001:db8:2::2"]
    i1 = udp6(dport=2000, tag="hm1")
    t1 = hmac_tlv(HMAC_KEY, 7, SRC6, 1, 0, list(reversed(p1)))
    p2 = ["2001:db8:2::1", "2001:db8:2::2", "2001:db8:2::3"]
    i2 = udp6(dport=2001, tag="hm2")
    t2 = hmac_tlv(HMAC_KEY, 7, SRC6, 1, 0, list(reversed(p2))[:-1], d_flag=True)
    c.send("eth0", eth_in("eth0") / i1, eth_in("eth0") / i2)
    c.out("eth1", eth_out("eth1") / outer6(p1[0]) / srh(p1, 1, tlvs=t1) / i1)
    c.out("eth1", eth_out("eth1") / outer6(p2[0]) / srh(p2, 2, tlvs=t2, reduced=True) / i2)
    return c


@case
def srv6_hmac_verify():
    c = Case("srv6_hmac_verify", "End with hmac: valid HMAC (full list, and reduced list "
             "with D) forwarded with the TLV kept; tampered segment, missing TLV, unknown "
             "key id: dropped",
             HMAC_CONF + "sid %s End hmac\n" % sid(8), rfc="RFC 8754 2.1.2.1")
    path = [sid(8), DST6]
    lst = list(reversed(path))
    inner = udp6(tag="hv")
    good = hmac_tlv(HMAC_KEY, 7, REMOTE, 1, 0, lst)
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, tlvs=good))
    c.out("eth1", eth_out("eth1") / sr(path, 0, inner, hlim=63, tlvs=good))
    # reduced list: [DST6] only, SL 1 > Last Entry 0, D set
    red = hmac_tlv(HMAC_KEY, 7, REMOTE, 0, 0, [DST6], d_flag=True)
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, tlvs=red, reduced=True))
    c.out("eth1", eth_out("eth1") / sr(path, 0, inner, hlim=63, tlvs=red, reduced=True))
    # tampered: the last segment changed after the HMAC was computed
    tpath = [sid(8), "2001:db8:100::6"]
    c.send("eth0", eth_in("eth0") / sr(tpath, 1, inner, tlvs=good))
    # no HMAC TLV at all (padding in its place)
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner))
    # key id 8 is not configured
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner,
                                       tlvs=hmac_tlv(HMAC_KEY, 8, REMOTE, 1, 0, lst)))
    c.count(srv6_hmac_fail=1, srv6_hmac_missing=1, srv6_hmac_key_unknown=1)
    return c


@case
def srv6_hmac_da_check():
    c = Case("srv6_hmac_da_check", "HMAC verification starts by checking the destination "
             "address: DA != Segment List[SL], or SL > Last Entry without the D flag, "
             "fails even with a correct HMAC",
             HMAC_CONF + "sid %s End hmac\n" % sid(8), rfc="RFC 8754 2.1.2.1")
    inner = udp6(tag="hd")
    path = [sid(8), C_NET6 + "9", DST6]
    lst = list(reversed(path))
    t = hmac_tlv(HMAC_KEY, 7, REMOTE, 2, 0, lst)
    # SL 1 names 2001:db8:3::9, but the DA is our SID
    c.send("eth0", eth_in("eth0") / sr(path, 1, inner, tlvs=t, da=sid(8)))
    # reduced list without D: SL 1 > Last Entry 0
    t2 = hmac_tlv(HMAC_KEY, 7, REMOTE, 0, 0, [DST6])
    c.send("eth0", eth_in("eth0") / sr([sid(8), DST6], 1, inner, tlvs=t2, reduced=True))
    c.count(srv6_hmac_dst_mismatch=2)
    return c


_ = (DST4, HOST4, MAC)

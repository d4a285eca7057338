"""NSH cases (RFC 8300) over Ethernet and VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe)."""
from lib import (
    DST4, DST4_C, DST6, IP, IPv6, MAC, NB, Case, UDP, eth_in, eth_out, gpe, md2_flow_tlv,
    nsh, udp4, udp6)

NSH_ETH = 0x894F
VXLAN_GPE_PORT = 4790

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def n_in(iface="eth0"):
    return eth_in(iface, etype=NSH_ETH)


def n_out(iface):
    return eth_out(iface, etype=NSH_ETH)


@case
def nsh_push_md1():
    c = Case("nsh_push_md1", "Classifier pushes NSH MD type 1 (SPI 100, SI 255, TTL 63) and "
             "the SFF forwards it over Ethernet (TTL - 1); flow hash in the first context "
             "word, the rest zero", "policy n1 nsh spi 100 si 255 md 1\n"
             "nsh spi 100 si 255 forward via 198.51.100.2 dev eth1\n"
             "classify proto udp policy n1\n", classify=True, rfc="RFC 8300 2.2, 2.4, 2.5.1")
    flows = []
    for f in range(4):
        for k in range(2):
            inner = udp4(sport=5000 + f, ident=k, tag="m1") if f < 3 else \
                udp6(sport=5000 + f, tag="m1%d" % k)
            np = 1 if f < 3 else 2
            c.send("eth0", eth_in("eth0") / inner)
            c.out("eth1", n_out("eth1") / nsh(100, 255, ttl=62, np=np) / inner)
            flows.append(f)
    c.fixup("eth1", 14 + 8, 4, flows=flows)
    return c


@case
def nsh_push_md2():
    c = Case("nsh_push_md2", "Classifier pushes NSH MD type 2 with one flow-hash TLV "
             "(class 0xfff6, type 1, length 4)", "policy n2 nsh spi 101 si 200 md 2\n"
             "nsh spi 101 si 200 forward via 198.51.100.2 dev eth1\n"
             "classify proto udp policy n2\n", classify=True, rfc="RFC 8300 2.2, 2.5")
    flows = []
    for f in range(3):
        inner = udp4(sport=6000 + f, tag="m2")
        c.send("eth0", eth_in("eth0") / inner)
        c.out("eth1", n_out("eth1") / nsh(101, 200, ttl=62, md=2, md2=md2_flow_tlv()) / inner)
        flows.append(f)
    c.fixup("eth1", 14 + 8 + 4, 4, flows=flows)
    return c


@case
def nsh_function_hop():
    c = Case("nsh_function_hop", "SF hop: (110, 255) goes to a local counter function, "
             "which decrements SI; (110, 254) forwards over Ethernet with TTL - 1; context "
             "and MD type 2 metadata kept",
             "function cnt counter\n"
             "nsh spi 110 si 255 function cnt\n"
             "nsh spi 110 si 254 forward via 198.51.100.2 dev eth1\n",
             rfc="RFC 8300 2.3, 2.2")
    inner = udp4(tag="fh")
    ctx = bytes(range(1, 17))
    tlvs = bytes([0x01, 0x23, 0x45, 0x03]) + b"abc\x00"
    c.send("eth0", n_in() / nsh(110, 255, ttl=40, ctx=ctx) / inner)
    c.send("eth0", n_in() / nsh(110, 255, ttl=40, md=2, md2=tlvs) / inner)
    c.out("eth1", n_out("eth1") / nsh(110, 254, ttl=39, ctx=ctx) / inner)
    c.out("eth1", n_out("eth1") / nsh(110, 254, ttl=39, md=2, md2=tlvs) / inner)
    c.obj("function cnt udp", 2)
    return c


@case
def nsh_end():
    c = Case("nsh_end", "End of the path: NSH removed, the IPv4 / IPv6 packet routed "
             "(TTL - 1)", "nsh spi 120 si 250 end\n", rfc="RFC 8300 2.2, RFC 7665 4")
    c.send("eth0", n_in() / nsh(120, 250, np=1) / udp4(dst=DST4, tag="ne"))
    c.send("eth0", n_in() / nsh(120, 250, np=2, md=2) / udp6(dst=DST6, tag="ne"))
    c.out("eth1", eth_out("eth1") / udp4(dst=DST4, ttl=63, tag="ne"))
    c.out("eth1", eth_out("eth1") / udp6(dst=DST6, hlim=63, tag="ne"))
    return c


def _vxlan_out(name, v6, classify):
    if v6:
        remote, local, vni = "2001:db8:13::2", "2001:db8:13::1", 43
    else:
        remote, local, vni = "203.0.113.2", "203.0.113.1", 42
    extra = "classify default drop\n" if classify else ""
    known = ("the outer header is originated here: it leaves with TTL/hop limit 64 (RFC "
             "1812 5.3.1, RFC 8200 3: only forwarding decrements), srchaind builds 64 then "
             "sends it through its IP forwarding stage, which decrements it to 63 "
             "(src/dp/nsh_fwd.c nsh_vxlan_push -> dp_next(DPN_IP4/IP6))")
    if classify:
        known += "; also the already-chained NSH packet is classified again (its outer "
        known += "VXLAN packet) when it came in on a classifying interface and dropped by "
        known += "the default rule (src/dp/pipeline.c dp_wants_classify: NSH forwarding "
        known += "never sets PKT_F_CLASSIFIED)"
    c = Case(name, "SFF forwards (140, 255) to a remote SFF over VXLAN-GPE/%s (VNI %d, "
             "next protocol NSH), NSH TTL - 1%s" %
             ("IPv6" if v6 else "IPv4", vni,
              "; the input interface classifies with default drop" if classify else ""),
             "nsh spi 140 si 255 vxlan remote %s local %s vni %d\n%s" %
             (remote, local, vni, extra), classify=classify,
             rfc="draft-ietf-nvo3-vxlan-gpe 3, RFC 8300 2.2", known=known)
    flows = []
    for f in range(3):
        inner = udp4(sport=7000 + f, tag="vo")
        c.send("eth0", n_in() / nsh(140, 255, ctx=bytes([f]) * 16) / inner)
        inside = gpe(vni) / nsh(140, 255, ttl=62, ctx=bytes([f]) * 16) / inner
        if v6:
            outer = IPv6(src=local, dst=remote, hlim=64, nh=17) / \
                UDP(sport=49152, dport=VXLAN_GPE_PORT) / inside
        else:
            outer = IP(src=local, dst=remote, ttl=64, id=0, flags="DF", proto=17) / \
                UDP(sport=49152, dport=VXLAN_GPE_PORT, chksum=0) / inside
        c.out("eth2", eth_out("eth2") / outer)
        flows.append(f)
    # UDP source port from the flow hash, in the dynamic range (RFC 6335 6)
    c.fixup("eth2", 14 + (40 if v6 else 20), 2, flows=flows, lo=49152, hi=65535,
            recompute=["UDP"] if v6 else [], ignore=[(14 + 40 + 6, 2)] if v6 else [])
    return c


CASES.append(lambda: _vxlan_out("nsh_vxlan_out_v4", False, False))
CASES.append(lambda: _vxlan_out("nsh_vxlan_out_v6", True, False))
CASES.append(lambda: _vxlan_out("nsh_vxlan_out_classify_if", False, True))


@case
def nsh_vxlan_in():
    c = Case("nsh_vxlan_in", "VXLAN-GPE to one of our addresses (IPv4 and IPv6 outer): "
             "outer headers removed, NSH processed: (150, 255) ends the path, (151, 255) "
             "forwards over Ethernet",
             "nsh spi 150 si 255 end\n"
             "nsh spi 151 si 255 forward via 203.0.113.2 dev eth2\n",
             rfc="draft-ietf-nvo3-vxlan-gpe 3, RFC 8300 2.2")
    for spi in (150, 151):
        inner = udp4(dst=DST4_C, tag="vi%d" % spi)
        c.send("eth1", eth_in("eth1") / IP(src="198.51.100.2", dst="198.51.100.1", ttl=64,
                                           id=7, proto=17) /
               UDP(sport=50000, dport=VXLAN_GPE_PORT, chksum=0) / gpe(5) /
               nsh(spi, 255, ttl=30) / inner)
        c.send("eth1", eth_in("eth1") / IPv6(src="2001:db8:12::2", dst="2001:db8:12::1",
                                             nh=17) /
               UDP(sport=50001, dport=VXLAN_GPE_PORT) / gpe(6) / nsh(spi, 255, ttl=30) / inner)
    for _ in range(2):
        c.out("eth2", eth_out("eth2") / udp4(dst=DST4_C, ttl=63, tag="vi150"))
    for _ in range(2):
        c.out("eth2", n_out("eth2") / nsh(151, 255, ttl=29) / udp4(dst=DST4_C, tag="vi151"))
    return c


@case
def nsh_ttl_expired():
    c = Case("nsh_ttl_expired", "NSH TTL 1 at an SFF: 0 after the decrement, not forwarded; "
             "TTL 2 leaves with 1", "nsh spi 160 si 255 forward via 198.51.100.2 dev eth1\n",
             rfc="RFC 8300 2.2")
    inner = udp4(tag="nt")
    c.send("eth0", n_in() / nsh(160, 255, ttl=1) / inner)
    c.send("eth0", n_in() / nsh(160, 255, ttl=2) / inner)
    c.out("eth1", n_out("eth1") / nsh(160, 255, ttl=1) / inner)
    c.count(nsh_ttl_expired=1)
    return c


@case
def nsh_ttl_zero():
    c = Case("nsh_ttl_zero", "NSH TTL 0 received: decrementing 0 gives 63 and the packet "
             "is forwarded", "nsh spi 160 si 255 forward via 198.51.100.2 dev eth1\n",
             rfc="RFC 8300 2.2",
             known="RFC 8300 2.2: 'Decrementing by 1 from an incoming value of 0 shall result "
             "in a TTL value of 63'; srchaind drops it as expired (src/pkt/nsh.h "
             "nsh_dec_ttl: ttl <= 1)")
    inner = udp4(tag="n0")
    c.send("eth0", n_in() / nsh(160, 255, ttl=0) / inner)
    c.out("eth1", n_out("eth1") / nsh(160, 255, ttl=63) / inner)
    return c


@case
def nsh_no_path():
    c = Case("nsh_no_path", "Unknown (SPI, SI), and SI 0 at a function: dropped",
             "function cnt counter\nnsh spi 170 si 0 function cnt\n", rfc="RFC 8300 2.3, 4.3")
    c.send("eth0", n_in() / nsh(999, 255) / udp4(tag="np"))
    c.send("eth0", n_in() / nsh(170, 0) / udp4(tag="np"))
    c.count(nsh_no_path=2)
    return c


@case
def nsh_malformed():
    c = Case("nsh_malformed", "Version 1, MD type 1 with Length 4, MD type 0xf: dropped",
             "nsh spi 180 si 255 forward via 198.51.100.2 dev eth1\n", rfc="RFC 8300 2.2, 2.4")
    from lib import NSH
    c.send("eth0", n_in() / NSH(ver=1, ttl=63, length=6, mdtype=1, nextproto=1, spi=180,
                                si=255, context_header=b"\x00" * 16) / udp4(tag="nm"))
    c.send("eth0", n_in() / NSH(ver=0, ttl=63, length=4, mdtype=1, nextproto=1, spi=180,
                                si=255, context_header=b"\x00" * 16) / udp4(tag="nm"))
    c.send("eth0", n_in() / NSH(ver=0, ttl=63, length=6, mdtype=15, nextproto=1, spi=180,
                                si=255, context_header=b"\x00" * 16) / udp4(tag="nm"))
    c.count(nsh_malformed=3)
    return c


_ = (MAC, NB)

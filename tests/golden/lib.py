"""Golden packet tests: the shared node, packet builders and the Case record.

Every case runs one srchaind node (the configuration below plus the case's
own lines) over input pcaps, and lists the packets that must come out of
each interface. Expected packets are written here from the standards with
scapy; they are never copied from srchaind's output. Where a standard leaves
a value to the implementation, the choice is named where it is made:

- hop limit / TTL: a router decrements it once per packet it forwards
  (RFC 8200 3, RFC 791); an encapsulating node copies the inner hop limit
  into the outer header (IPv4 inner: 64) and decrements the outer one as it
  forwards the new packet, as Linux seg6 does (RFC 8986 5.1 leaves the value
  to the implementation); the inner header of a tunnelled packet is left
  alone except where RFC 8986 says "Decrement IPv6 Hop Limit" for it.
- SR-MPLS follows the uniform TTL model of RFC 3443 (cases keep the inner
  TTL at or above the label TTL, where "copy" and "minimum" agree).
- Values taken from srchaind's own flow hash (flow label "hash", NSH flow
  hash metadata, VXLAN-GPE UDP source port) are fixups: copied from the
  actual packet, then checked for their properties (same flow, same value;
  different flows, different values; range).

Only documentation prefixes are used: 2001:db8::/32, 192.0.2.0/24,
198.51.100.0/24, 203.0.113.0/24.
"""
import hashlib
import hmac as hmaclib
import struct

from scapy.all import Ether, IP, IPv6, UDP, TCP, ICMP, Raw  # noqa: F401
from scapy.layers.inet6 import (  # noqa: F401
    ICMPv6EchoRequest,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    IPv6ExtHdrSegmentRouting,
    IPv6ExtHdrSegmentRoutingTLV,
    IPv6ExtHdrSegmentRoutingTLVPad1,
    IPv6ExtHdrSegmentRoutingTLVPadN,
)
from scapy.contrib.mpls import MPLS  # noqa: F401
from scapy.contrib.nsh import NSH  # noqa: F401

# --- the node under test -------------------------------------------------

MAC = {  # our interfaces
    "eth0": "02:00:00:00:00:01",
    "eth1": "02:00:00:00:01:01",
    "eth2": "02:00:00:00:02:01",
    "eth3": "02:00:00:00:03:01",
}
NB = {  # the neighbour on each link
    "eth0": "02:00:00:00:00:02",
    "eth1": "02:00:00:00:01:02",
    "eth2": "02:00:00:00:02:02",
}
NB1B = "02:00:00:00:01:03"  # a second neighbour on eth1 (End.X, End.DX*)
MIRROR_MAC = "02:00:00:00:03:02"

SRC6 = "2001:db8:1::1"  # srv6 source, eth0's address
HOST6, HOST4 = "2001:db8:1::2", "192.0.2.2"  # hosts behind eth0
B_NET6 = "2001:db8:2::"  # node B behind eth1 (SIDs 2001:db8:2::N)
C_NET6 = "2001:db8:3::"  # node C behind eth2
DST6 = "2001:db8:100::5"  # customer prefix 2001:db8:100::/48 via eth1
DST6_C = "2001:db8:200::5"  # customer prefix 2001:db8:200::/48 via eth2
DST4 = "203.0.113.130"  # 203.0.113.128/25 via eth1
DST4_C = "198.51.100.130"  # 198.51.100.128/25 via eth2


def sid(n):
    """Local SID number n."""
    return "2001:db8:1:ff::%x" % n


BASE = """\
interface eth0 mac {m0} addr 2001:db8:1::1/64 addr 192.0.2.1/26{cls}
interface eth1 mac {m1}{mtu1} addr 2001:db8:12::1/64 addr 198.51.100.1/26
interface eth2 mac {m2} addr 2001:db8:13::1/64 addr 203.0.113.1/26
interface eth3 mac {m3}
neighbor eth0 2001:db8:1::2 mac {n0}
neighbor eth0 192.0.2.2 mac {n0}
neighbor eth1 2001:db8:12::2 mac {n1}
neighbor eth1 198.51.100.2 mac {n1}
neighbor eth1 2001:db8:12::3 mac {n1b}
neighbor eth1 198.51.100.3 mac {n1b}
neighbor eth2 2001:db8:13::2 mac {n2}
neighbor eth2 203.0.113.2 mac {n2}
route 2001:db8:2::/48 via 2001:db8:12::2 dev eth1
route 2001:db8:3::/48 via 2001:db8:13::2 dev eth2
route 2001:db8:100::/48 via 2001:db8:12::2 dev eth1
route 2001:db8:200::/48 via 2001:db8:13::2 dev eth2
route 203.0.113.128/25 via 198.51.100.2 dev eth1
route 198.51.100.128/25 via 203.0.113.2 dev eth2
srv6 source 2001:db8:1::1
"""


def base_conf(classify=False, mtu1=None):
    return BASE.format(mtu1=" mtu %d" % mtu1 if mtu1 else "",
        m0=MAC["eth0"], m1=MAC["eth1"], m2=MAC["eth2"], m3=MAC["eth3"],
        n0=NB["eth0"], n1=NB["eth1"], n1b=NB1B, n2=NB["eth2"],
        cls=" classify" if classify else "")


# --- packet builders -----------------------------------------------------

def eth_in(iface, etype=None):
    """A frame arriving on iface from its neighbour."""
    e = Ether(src=NB[iface], dst=MAC[iface])
    if etype is not None:
        e.type = etype
    return e


def eth_out(iface, dst=None, etype=None):
    """A frame sent by the node on iface to dst (its neighbour by default)."""
    e = Ether(src=MAC[iface], dst=dst or NB[iface])
    if etype is not None:
        e.type = etype
    return e


def payload(tag, n=24):
    b = ("golden:%s:" % tag).encode()
    return Raw((b * (n // len(b) + 1))[:n])


def udp6(src=HOST6, dst=DST6, sport=1000, dport=2000, hlim=64, tc=0, fl=0, tag="x"):
    """An IPv6/UDP packet (the 'inner' packet of most cases)."""
    return IPv6(src=src, dst=dst, hlim=hlim, tc=tc, fl=fl, nh=17) / \
        UDP(sport=sport, dport=dport) / payload(tag)


def udp4(src=HOST4, dst=DST4, sport=1000, dport=2000, ttl=64, tos=0, ident=1, tag="x",
         proto_layer=None):
    """An IPv4/UDP packet (DF set, like most hosts send)."""
    l4 = proto_layer if proto_layer is not None else UDP(sport=sport, dport=dport)
    return IP(src=src, dst=dst, ttl=ttl, tos=tos, id=ident, flags="DF") / l4 / payload(tag)


def srh(path, sl, nh=41, tlvs=b"", reduced=False, le=None, hdr_len=None):
    """SRH for path (visiting order, path[0] first). Segment List[0] is the
    last segment (RFC 8754 2). A reduced SRH (RFC 8986 5.2) leaves path[0]
    out. tlvs: raw TLV bytes appended after the list."""
    lst = list(reversed(path))
    if reduced:
        lst = lst[:-1]
    if le is None:
        le = len(lst) - 1
    body = 16 * len(lst) + len(tlvs)
    assert (8 + body) % 8 == 0, "SRH not a multiple of 8 octets"
    h = IPv6ExtHdrSegmentRouting(
        nh=nh, len=body // 8 if hdr_len is None else hdr_len, type=4, segleft=sl,
        lastentry=le, tag=0, addresses=lst)
    return h / Raw(tlvs) if tlvs else h


def tlv_pad1():
    return b"\x00"


def tlv_padn(n):
    """PadN TLV of n octets in total (RFC 8754 2.1.1.2)."""
    assert n >= 2
    return bytes([4, n - 2]) + b"\x00" * (n - 2)


def hmac_tlv(key, key_id, src, last_entry, flags, seg_list, d_flag=False):
    """HMAC TLV (RFC 8754 2.1.2) over the text of 2.1.2.1: source address,
    Last Entry, Flags, HMAC Key ID, every address of the Segment List (in
    the order it is stored). seg_list: Segment List[0..] as stored."""
    import ipaddress
    text = ipaddress.IPv6Address(src).packed + bytes([last_entry, flags]) + \
        struct.pack("!I", key_id)
    for a in seg_list:
        text += ipaddress.IPv6Address(a).packed
    mac = hmaclib.new(key, text, hashlib.sha256).digest()
    return bytes([5, 38, 0x80 if d_flag else 0, 0]) + struct.pack("!I", key_id) + mac


def outer6(dst, src=SRC6, hlim=63, tc=0, fl=0, nh=43):
    return IPv6(src=src, dst=dst, hlim=hlim, tc=tc, fl=fl, nh=nh)


def mpls(labels, ttl, tc=0):
    """Label stack, top first; the last entry has S=1 (RFC 3032 2.1).
    labels: ints or (label, ttl) pairs."""
    out = None
    for i, lab in enumerate(labels):
        t = ttl
        if isinstance(lab, tuple):
            lab, t = lab
        e = MPLS(label=lab, cos=tc, s=1 if i == len(labels) - 1 else 0, ttl=t)
        out = e if out is None else out / e
    return out


def mpls_raw(entries):
    """Raw label stack entries (label, tc, s, ttl) with no S-bit fix-up."""
    return Raw(b"".join(struct.pack("!I", lab << 12 | tc << 9 | s << 8 | ttl)
                        for lab, tc, s, ttl in entries))


NSH_NP = {"ipv4": 1, "ipv6": 2}


def nsh(spi, si, ttl=63, np=1, md=1, ctx=b"\x00" * 16, md2=b""):
    """NSH base + service path header (RFC 8300 2.2, 2.3), MD type 1 with 16
    context bytes, or MD type 2 with raw TLV bytes."""
    if md == 1:
        return NSH(ver=0, oam=0, ttl=ttl, length=6, mdtype=1, nextproto=np, spi=spi, si=si,
                   context_header=ctx)
    words = 2 + len(md2) // 4
    hdr = struct.pack("!HBB", (ttl << 6) | words, 2, np) + struct.pack("!I", spi << 8 | si)
    return Raw(hdr + md2)


def md2_flow_tlv(value=0):
    """srchain's MD type 2 flow-hash TLV: class 0xfff6 (experimental range,
    RFC 8300 9.1.4), type 1, length 4."""
    return struct.pack("!HBB", 0xfff6, 1, 4) + struct.pack("!I", value)


def gpe(vni, np=4):
    """VXLAN-GPE header with I and P set (draft-ietf-nvo3-vxlan-gpe 3)."""
    return Raw(bytes([0x0c, 0, 0, np]) + struct.pack("!I", vni << 8))


# --- case record ---------------------------------------------------------

class Case:
    """One golden case. inputs: ordered (iface, [packets]); expect:
    iface -> [packets] ('host' for the host stack); counters: exact values
    (unnamed drop counters must be 0, rx/tx/host default to the packet
    counts); objects: per-object packet counts (a name ending in '*' is a
    prefix); known: the RFC rule srchaind breaks (kept failing on purpose)."""

    def __init__(self, name, desc, conf, classify=False, rfc="", known="", mtu1=None):
        self.name = name
        self.desc = desc
        self.conf = base_conf(classify, mtu1) + conf.strip() + "\n"
        self.rfc = rfc
        self.known = known
        self.inputs = []
        self.expect = {}
        self.counters = {}
        self.objects = {}
        self.fixups = []
        self.ecmp = None
        self.unordered = []

    def send(self, iface, *pkts):
        for ifc, lst in self.inputs:
            if ifc == iface:
                lst.extend(pkts)
                return self
        self.inputs.append((iface, list(pkts)))
        return self

    def out(self, iface, *pkts):
        self.expect.setdefault(iface, []).extend(pkts)
        return self

    def count(self, **kw):
        self.counters.update(kw)
        return self

    def obj(self, name, packets):
        self.objects[name] = packets
        return self

    def fixup(self, iface, off, length, mask=None, flows=None, lo=None, hi=None,
              recompute=(), distinct=True, ignore=()):
        """Bytes [off, off+length) of every packet on iface (bits in mask)
        come from srchaind's flow hash: they are copied from the actual
        packet, and checked: one value per flow (flows: a flow id per
        packet), a different value for each flow (distinct), lo <= v <= hi.
        recompute: scapy layers whose checksum covers those bytes (ignore:
        [off, len] ranges, such as that checksum, left out when the expected
        packet is paired with its output packet)."""
        self.fixups.append(dict(iface=iface, off=off, len=length, mask=mask, flows=flows,
                                lo=lo, hi=hi, recompute=list(recompute), distinct=distinct,
                                ignore=[list(r) for r in ignore]))
        return self

    def line(self, prefix):
        """Line number (1-based) of the first configuration line starting with prefix."""
        for i, text in enumerate(self.conf.splitlines()):
            if text.startswith(prefix):
                return i + 1
        raise KeyError(prefix)

    def n_in(self):
        return sum(len(p) for _, p in self.inputs)

"""Golden cases for the RFC 8986 behaviours added after the first set
(End.DT46); built from the RFC text with scapy, see README.md."""
from cases_srv6 import sr
from lib import DST4, DST4_C, DST6, DST6_C, NB1B, UDP, Case, eth_in, eth_out, sid, udp4, udp6

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


@case
def srv6_end_dt46():
    c = Case("srv6_end_dt46", "End.DT46 with table 30: the inner family picks IPv4 or IPv6 "
             "lookup in table 30; misses in either family, SL 1 and a UDP upper layer "
             "are counted drops",
             "route 198.51.100.128/25 table 30 via 198.51.100.3 dev eth1\n"
             "route 2001:db8:200::/48 table 30 via 2001:db8:12::3 dev eth1\n"
             "sid %s End.DT46 table 30\n" % sid(6), rfc="RFC 8986 4.8")
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, udp4(dst=DST4_C, tag="d46"), nh=4))
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, udp6(dst=DST6_C, tag="d46")))
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, udp4(dst=DST4, tag="d46"), nh=4))
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, udp6(dst=DST6, tag="d46")))
    c.send("eth0", eth_in("eth0") / sr([sid(6), DST6], 1, udp6(dst=DST6_C, tag="d46")))
    c.send("eth0", eth_in("eth0") / sr([sid(6)], 0, UDP(sport=9, dport=9) / b"d46", nh=17))
    c.out("eth1", eth_out("eth1", dst=NB1B) / udp4(dst=DST4_C, ttl=63, tag="d46"),
          eth_out("eth1", dst=NB1B) / udp6(dst=DST6_C, hlim=63, tag="d46"))
    c.count(ip4_no_route=1, ip6_no_route=1, srv6_sl_nonzero=1, srv6_bad_inner=1)
    return c

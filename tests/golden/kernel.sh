#!/bin/bash
# kernel.sh PATH/TO/srchaind: the Linux kernel's seg6/seg6local and srchaind
# --offline must turn the same input into the same bytes.
#
#   srg-PID-snd [s0] ---- [m0] srg-PID-mid [m1] ---- [r1] srg-PID-rcv
#
# The middle namespace does H.Encaps, H.Encaps.Red (IPv6 and IPv4 inner),
# H.Encaps with an HMAC TLV,
# End, End.X, End.DX6, End.DT6 and End.DX4 (routes in kernel.py); the sender
# injects frames with scapy on s0; the receiver captures on r1 what the
# middle node sent to its two next hops. srchaind gets the same frames with a
# configuration that uses the kernel's own MACs. No field is masked.
# Needs root, namespaces, Debian's /usr/bin/python3 with scapy, and a kernel
# with seg6, seg6local and seg6 HMAC: without one of them it prints "kernel:
# skipped (WHY)" and exits 77, before srchaind runs (every kernel feature is
# set up first). Ends with "kernel: N passed, M failed"; exit 1 on a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3

if [ $# -ne 1 ]; then
	echo "usage: $0 PATH/TO/srchaind" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
skip() {
	echo "kernel: skipped ($*)"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "not root: namespaces and veths need root"
for t in ip "$py"; do
	command -v "$t" >/dev/null || skip "$t missing"
done
"$py" -c 'import scapy' 2>/dev/null || skip "$py has no scapy"
[ -x "$bin" ] || { echo "kernel: FAIL $bin is not executable"; exit 1; }

S=srg-$$-snd
M=srg-$$-mid
R=srg-$$-rcv
work=$(mktemp -d /tmp/srchain-kernel.XXXXXX)
cap_pid=

cleanup() {
	if [ -n "$cap_pid" ]; then
		kill "$cap_pid" 2>/dev/null
		wait "$cap_pid" 2>/dev/null
	fi
	for n in "$S" "$M" "$R"; do
		ip netns del "$n" 2>/dev/null
	done
	[ -n "${KERNEL_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail_setup() {
	echo "kernel: setup failed: $*"
	echo "kernel: 0 passed, 1 failed"
	exit 1
}

ip netns add "$S" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$M" || fail_setup "netns add $M"
ip netns add "$R" || fail_setup "netns add $R"

quiet_ipv6() { # ns: no DAD, no RA, no router solicitations, in all and default
	local ns=$1 c
	for c in all default; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.$c.accept_dad=0 \
			net.ipv6.conf.$c.dad_transmits=0 net.ipv6.conf.$c.accept_ra=0 \
			net.ipv6.conf.$c.router_solicitations=0 net.ipv6.conf.$c.addr_gen_mode=1 \
			>/dev/null || return 1
	done
}
for n in "$S" "$M" "$R"; do
	quiet_ipv6 "$n" || fail_setup "sysctl in $n"
done
[ -e /proc/sys/net/ipv6/conf/all/seg6_enabled ] ||
	skip "kernel without SRv6 (no net.ipv6.conf.all.seg6_enabled)"
ip netns exec "$M" sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 \
	net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
	net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.default.seg6_enabled=1 \
	net.ipv6.seg6_flowlabel=0 >/dev/null || fail_setup "sysctl forwarding/seg6"

ip -n "$M" link add m0 type veth peer name s0 netns "$S" || fail_setup "veth m0/s0"
ip -n "$M" link add m1 type veth peer name r1 netns "$R" || fail_setup "veth m1/r1"
# sender and receiver stay silent: no IPv6, no addresses
ip netns exec "$S" sysctl -qw net.ipv6.conf.s0.disable_ipv6=1 >/dev/null
ip netns exec "$R" sysctl -qw net.ipv6.conf.r1.disable_ipv6=1 >/dev/null
for x in "$S lo" "$S s0" "$M lo" "$M m0" "$M m1" "$R lo" "$R r1"; do
	read -r ns dev <<<"$x"
	ip -n "$ns" link set "$dev" up || fail_setup "link up $dev"
done
ip netns exec "$M" sysctl -qw net.ipv6.conf.m0.seg6_enabled=1 net.ipv4.conf.m0.rp_filter=0 \
	>/dev/null
for a in "2001:db8:1::1/64 m0 nodad" "192.0.2.1/26 m0" "2001:db8:12::1/64 m1 nodad" \
	"198.51.100.1/26 m1"; do
	read -r addr dev flag <<<"$a"
	# shellcheck disable=SC2086
	ip -n "$M" addr add "$addr" dev "$dev" $flag || fail_setup "address $addr"
done

mac() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }
m0=$(mac "$M" m0)
m1=$(mac "$M" m1)
r1=$(mac "$R" r1)
s0=$(mac "$S" s0)
nb1b=02:00:00:00:01:03

"$py" "$here/kernel.py" gen "$work" "$m0" "$m1" "$r1" "$s0" || fail_setup "kernel.py gen"

# End.DX4: the route the kernel finds for nh4 (198.51.100.3) is the connected
# subnet, which has no gateway, so it resolves the inner destination's own
# link-layer address: give 198.51.100.130 nh4's MAC
for a in "2001:db8:12::2 $r1" "198.51.100.2 $r1" "2001:db8:12::3 $nb1b" "198.51.100.3 $nb1b" \
	"198.51.100.130 $nb1b"; do
	read -r addr lladdr <<<"$a"
	ip -n "$M" neigh replace "$addr" lladdr "$lladdr" dev m1 nud permanent ||
		fail_setup "neigh $addr"
done
# the kernel's SRv6, set up before srchaind runs: what this kernel or
# iproute2 lacks is a skip
ip -n "$M" sr tunsrc set 2001:db8:1::1 2>/dev/null || skip "ip sr tunsrc: no SRv6 in this kernel or iproute2"
secret=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["hmac_secret"])' \
	"$work/cases.json")
printf %s "$secret" | ip -n "$M" sr hmac set 7 sha256 >/dev/null 2>&1 ||
	skip "ip sr hmac: no seg6 HMAC (CONFIG_IPV6_SEG6_HMAC)"
while read -r line; do
	[ -n "$line" ] || continue
	# shellcheck disable=SC2086
	ip -n "$M" $line 2>"$work/route.err" && continue
	# the kernel does not know the behaviour: a skip; any other refusal is
	# this test's own mistake: a failure
	grep -Eqi 'not supported|unknown.*(action|seg6|encap)' "$work/route.err" &&
		skip "ip $line: $(head -n 1 "$work/route.err")"
	fail_setup "ip $line: $(head -n 1 "$work/route.err")"
done <"$work/routes.txt"

# srchaind on the same frames, one run per case
cases=$("$py" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["cases"]))' \
	"$work/cases.json")
for c in $cases; do
	"$bin" -c "$work/node.conf" --offline --in "eth0=$work/in_$c.pcap" --out "$work/sd_$c" -q \
		>"$work/sd_$c.log" 2>&1 || { cat "$work/sd_$c.log"; fail_setup "srchaind ($c)"; }
done

# the kernel: capture on r1 what m1 sends to its two next hops
ip netns exec "$R" "$py" "$here/kernel.py" capture r1 "$work/kernel.pcap" "$work" "$r1,$nb1b" \
	>"$work/capture.log" 2>&1 &
cap_pid=$!
for _ in $(seq 100); do
	[ -e "$work/ready" ] && break
	sleep 0.1
done
[ -e "$work/ready" ] || { cat "$work/capture.log"; fail_setup "capture did not start"; }
for c in $cases; do
	ip netns exec "$S" "$py" "$here/kernel.py" send s0 "$work/in_$c.pcap" ||
		fail_setup "send ($c)"
done
sleep 0.5
touch "$work/stop"
wait "$cap_pid"
cap_pid=

"$py" "$here/kernel.py" compare "$work" || exit 1

#!/usr/bin/env bash
# srchaind --live (AF_PACKET backend; test_live_afxdp.sh covers AF_XDP) between two
# Linux SRv6 routers:
#
#   A --- IN (seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: End + firewall on SID1)
#                                                   --- EG (seg6local End.DX6 on SID2) --- B
#
# Ping and UDP from A reach B through srchaind; the firewall denies UDP/9;
# srchaind's exit counters show the SID and firewall rule hits. Replies take
# plain IPv6 back through srchaind's FIB (routes read from the kernel).
# Needs root, iproute2 with seg6, and Debian's /usr/bin/python3 (sockets only).
set -uo pipefail
cd "$(dirname "$0")/../.."

SRCHAIND=${SRCHAIND:-build/srchaind}
PY=/usr/bin/python3
if [ "$(id -u)" != 0 ]; then
	echo "live_srv6: skipped (needs root for network namespaces)"
	exit 0
fi
for tool in ip "$PY" "$SRCHAIND"; do
	if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "$tool" ]; then
		echo "live_srv6: skipped ($tool not found)"
		exit 0
	fi
done

P="srl-$$"
NS_A=$P-a NS_IN=$P-in NS_N=$P-node NS_EG=$P-eg NS_B=$P-b
TMP=$(mktemp -d /tmp/$P-XXXXXX)
SID1=2001:db8:f1::1
SID2=2001:db8:f3::6
DPID=
pass=0 fail=0

cleanup() {
	if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	for ns in $NS_A $NS_IN $NS_N $NS_EG $NS_B; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# shared with the demo: nsx, ping6, setup (the five-namespace topology)
. tests/lab/lib_srv6_chain.sh

cat >"$TMP/node.conf" <<EOF
# srchaind node: End with a firewall on SID1 (interfaces come from the kernel)
function fw firewall default allow
function fw rule deny proto udp dport 9
sid $SID1 End function fw
EOF


echo "live_srv6: srchaind $SRCHAIND between Linux seg6 H.Encaps and End.DX6"
if ! setup; then
	echo "live_srv6: skipped (cannot build the topology: seg6/seg6local missing?)"
	exit 0
fi

# 1. refuses to start while the kernel forwards
nsx $NS_N sysctl -qw net.ipv6.conf.all.forwarding=1
nsx $NS_N timeout 5 "$SRCHAIND" -c "$TMP/node.conf" --live --dev n1,n2 >"$TMP/refuse.out" 2>&1
rc=$?
nsx $NS_N sysctl -qw net.ipv6.conf.all.forwarding=0
check "refuses to start with kernel IPv6 forwarding on (exit $rc)" \
	grep -q "net.ipv6.conf.all.forwarding = 1" "$TMP/refuse.out"

# 2. start
# not through nsx: $! must be srchaind itself (ip netns exec execs it)
ip netns exec $NS_N "$SRCHAIND" -c "$TMP/node.conf" --live --io afpacket --dev n1,n2 --workers 2 \
	--stats-interval 2 --pidfile "$TMP/srchaind.pid" >"$TMP/srchaind.out" 2>"$TMP/srchaind.err" &
DPID=$!
for _ in $(seq 50); do
	[ -s "$TMP/srchaind.pid" ] && break
	kill -0 $DPID 2>/dev/null || break
	sleep 0.1
done
check "srchaind started (pidfile holds its pid)" \
	test "$(cat "$TMP/srchaind.pid" 2>/dev/null)" = "$DPID"

# 3. ping A -> B (SRv6 through srchaind), replies by plain IPv6 via srchaind
check "ping -6 A -> B through srchaind End" ping6 $NS_A 2001:db8:4::b 5

# 4. UDP to an allowed port arrives
udp_sink $NS_B 5000 3
sleep 0.3
udp_send $NS_A 2001:db8:4::b 5000 20
wait $!
got=$(cat "$TMP/sink.5000")
check "UDP/5000 A -> B: 20 sent, $got received" test "$got" = 20

# 5. UDP to port 9 is denied by the firewall
udp_sink $NS_B 9 2
sleep 0.3
udp_send $NS_A 2001:db8:4::b 9 10
wait $!
got=$(cat "$TMP/sink.9")
check "UDP/9 A -> B denied by the firewall: $got received" test "$got" = 0

# 6. SIGHUP with a broken file keeps the running tables
cp "$TMP/node.conf" "$TMP/node.conf.good"
echo "sid nonsense End" >>"$TMP/node.conf"
kill -HUP $DPID
sleep 0.5
check "reload of a bad file is refused, daemon keeps running" \
	bash -c "kill -0 $DPID && grep -q 'keeping the previous tables' '$TMP/srchaind.err'"
check "ping still works after the refused reload" ping6 $NS_A 2001:db8:4::b 2
cp "$TMP/node.conf.good" "$TMP/node.conf"
kill -HUP $DPID
sleep 0.3

# 7. clean exit with counters
kill -TERM $DPID
wait $DPID
rc=$?
DPID=
check "srchaind exits 0 on SIGTERM" test "$rc" = 0
check "pidfile removed at exit" test ! -e "$TMP/srchaind.pid"
# the last block on stdout is the exit one (earlier: --stats-interval)
check "periodic statistics printed" grep -q "^statistics (" "$TMP/srchaind.out"
sid_hits=$(awk -v s="sid $SID1/128 End" 'index($0, s) { v = $(NF - 1) } END { print v }' \
	"$TMP/srchaind.out")
deny_hits=$(awk '/function fw rule deny/ { v = $(NF - 1) } END { print v }' "$TMP/srchaind.out")
vnf_drop=$(awk '$1 == "vnf_drop" { v = $2 } END { print v }' "$TMP/srchaind.out")
check "SID $SID1 counted ${sid_hits:-0} packets (>= 37)" test "${sid_hits:-0}" -ge 37
check "firewall deny rule counted ${deny_hits:-0} packets (10)" test "${deny_hits:-0}" = 10
check "vnf_drop counter is ${vnf_drop:-0} (10)" test "${vnf_drop:-0}" = 10

if [ "$fail" != 0 ]; then
	echo "--- srchaind stderr"
	cat "$TMP/srchaind.err"
	echo "--- srchaind stdout"
	cat "$TMP/srchaind.out"
fi
echo "live_srv6: $pass passed, $fail failed"
[ "$fail" = 0 ]

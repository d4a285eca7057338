#!/usr/bin/env bash
# The demo: a service chain in a namespace lab, on defaults.
#
#   A --- IN --- NODE --- EG --- B
#         |       |        |
#         |       |        Linux seg6local End.DX6 (SID2): leaves the chain
#         |       srchaind: End on SID1 with an SR-aware firewall (deny UDP/9)
#         Linux seg6 H.Encaps: traffic to B gets the segment list SID1,SID2
#
# Installs what is missing, builds, builds the lab (namespaces named
# srdemo-PID-*, documentation prefixes only), sends a UDP flow that the
# firewall allows and one it denies, prints the chain, the function's
# counters and the flows' loss and latency, then removes everything.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (it builds network namespaces)" >&2
	exit 1
fi
tools/deps.sh || exit 1
make -s -j"$(nproc)" build/srchaind build/srtraffic || exit 1

PY=/usr/bin/python3
P="srdemo-$$"
NS_A=$P-a NS_IN=$P-in NS_N=$P-node NS_EG=$P-eg NS_B=$P-b
SID1=2001:db8:f1::1
SID2=2001:db8:f3::6
TMP=$(mktemp -d /tmp/$P-XXXXXX)
DPID= SPID=
cleanup() {
	for pid in $DPID $SPID; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	for ns in $NS_A $NS_IN $NS_N $NS_EG $NS_B; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. tests/lab/lib_srv6_chain.sh

echo "building the lab (5 namespaces, 4 veth links)..."
setup || { echo "demo: cannot build the lab (kernel without seg6?)" >&2; exit 1; }

cat >"$TMP/node.conf" <<CONF
function fw firewall default allow
function fw rule deny proto udp dport 9
sid $SID1 End function fw
CONF
ip netns exec $NS_N build/srchaind -c "$TMP/node.conf" --live --dev n1,n2 \
	--pidfile "$TMP/srchaind.pid" >"$TMP/srchaind.out" 2>"$TMP/srchaind.err" &
DPID=$!
ip netns exec $NS_B build/srtraffic recv --udp 5000,9 --duration 6 --json "$TMP/sink.json" \
	--ready-file "$TMP/sink.ready" 2>"$TMP/sink.err" &
SPID=$!
for _ in $(seq 50); do
	[ -s "$TMP/srchaind.pid" ] && [ -s "$TMP/sink.ready" ] && break
	sleep 0.1
done
[ -s "$TMP/srchaind.pid" ] || { echo "demo: srchaind did not start:"; cat "$TMP/srchaind.err"; exit 1; }

echo "sending: UDP/5000 at 500 packets/s for 3 s (allowed), UDP/9 x 100 (denied)"
nsx $NS_A build/srtraffic send --dst 2001:db8:4::b --dport 5000 --rate 500 --duration 3 \
	--flow-id 1 --json "$TMP/send5000.json" 2>/dev/null &
nsx $NS_A build/srtraffic send --dst 2001:db8:4::b --dport 9 --rate 100 --count 100 \
	--flow-id 2 --json "$TMP/send9.json" 2>/dev/null
wait %2 2>/dev/null
wait "$SPID"
SPID=
kill -TERM "$DPID"
wait "$DPID"
DPID=

echo
echo "chain:  A -> IN [Linux H.Encaps, segs $SID1,$SID2]"
echo "          -> NODE [srchaind: $SID1 End + firewall 'fw']"
echo "          -> EG [Linux End.DX6 $SID2] -> B"
echo
echo "srchaind (node) counters:"
grep -E "sid $SID1|function fw|^  (rx|tx|vnf_drop) " "$TMP/srchaind.out" | tail -n 6
echo
echo "flows at B (srtraffic):"
jq -r '.flows | to_entries[] | .value |
	"  udp/\(.dport): received \(.received), lost \(.lost), reordered \(.reordered), latency us min/median/p99/max \(.latency_us.min)/\(.latency_us.median)/\(.latency_us.p99)/\(.latency_us.max)"' \
	"$TMP/sink.json"
n9=$(jq '[.flows[] | select(.dport == 9) | .received] | add // 0' "$TMP/sink.json")
echo "  udp/9: received $n9 of 100 (the firewall denies it)"

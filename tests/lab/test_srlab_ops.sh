#!/usr/bin/env bash
# srlab's operator commands on a lab that is up (issue 11, item 5):
#  (a) `srlab up -v` prints each stage and every command it runs;
#  (b) exec, ctl and `down --lab` never act on a lab of another prefix: with
#      only a lab of prefix $P up, `srlab exec srv6chain a ...` (default
#      prefix srlab) runs nothing and says which prefix is up; an unknown
#      node is refused with the lab's nodes; LAB may be the topology file;
#  (c) `srlab ctl LAB NODE REQUEST` reaches the node's srchaind, no socket
#      path needed; a node without srchaind is refused;
#  (d) `srlab run --reuse` runs a scenario on the lab that is up, twice
#      (node counters count each run only), and leaves the lab and its
#      daemons up; on a lab that is not up it fails;
#  (e) `srlab vtysh LAB NODE CMD` on an FRR lab (if FRR is installed).
# Needs root, iproute2 with seg6local. Every namespace is srlo<pid>-*, the
# state directory a temporary one.
set -uo pipefail
cd "$(dirname "$0")/../.."

SRLAB=${SRLAB:-build/srlab}
if [ "$(id -u)" != 0 ]; then
	echo "srlab-ops: skipped (needs root for network namespaces)"
	exit 0
fi
for tool in ip jq "$SRLAB"; do
	if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "$tool" ]; then
		echo "srlab-ops: skipped ($tool not found)"
		exit 0
	fi
done
if [[ "$(ip route help 2>&1)" != *seg6local* ]]; then
	echo "srlab-ops: skipped (iproute2 without seg6local)"
	exit 0
fi

P="srlo$$"
TMP=$(mktemp -d /tmp/srlab-ops-XXXXXX)
chmod 755 "$TMP" # FRR's daemons run as the frr user: it must reach their directory
export SRLAB_STATE=$TMP/state
TOPO=examples/srlab/srv6-chain.topo.json
pass=0 fail=0

cleanup() {
	"$SRLAB" down --lab srv6chain --prefix "$P" >/dev/null 2>&1
	"$SRLAB" down --lab srmplsospf --prefix "$P" >/dev/null 2>&1
	# last resort, by name: only namespaces of this test's prefix
	for ns in $(ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'); do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { echo "  ok   $1"; pass=$((pass + 1)); }
bad() { echo "  FAIL $1"; fail=$((fail + 1)); }
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
has() { [[ "$1" == *"$2"* ]]; } # has TEXT PART
our_ns() { ip netns list | awk -v p="$P-" 'index($1, p) == 1' | wc -l; }

echo "srlab-ops: $SRLAB (namespaces $P-*)"
check "srlab --version names the release of VERSION" \
	grep -qx "srlab $(cat VERSION)\( (.*)\)\?" <("$SRLAB" --version)

# --- (a) up -v
"$SRLAB" up -v --prefix "$P" "$TOPO" >"$TMP/up.out" 2>"$TMP/up.err"
rc=$?
check "up -v: exit $rc, 5 namespaces" test "$rc" = 0 -a "$(our_ns)" = 5
[ "$rc" = 0 ] || cat "$TMP/up.err"
for want in "srlab: -- namespaces and links" "srlab: + ip netns add $P-srv6chain-a" \
	"srlab: -- routes" "srlab: -- srchaind on the srchain nodes" \
	"srlab: + ip netns exec $P-srv6chain-node .*srchaind -c .*--live" \
	"srlab: + ip netns exec $P-srv6chain-eg sysctl -qw net.ipv6.conf.all.seg6_enabled=1"; do
	check "up -v says '$want'" grep -q -- "^$want" "$TMP/up.err"
done
"$SRLAB" up --prefix "$P" "$TOPO" >/dev/null 2>"$TMP/up2.err"
check "up without -v prints no command" test "$(grep -c '^srlab: +' "$TMP/up2.err")" = 0
daemon=$(cat "$SRLAB_STATE/$P-srv6chain/node.pid")

# --- (b) no lab of another prefix
rm -f "$TMP/ran"
out=$("$SRLAB" exec srv6chain a sh -c "touch $TMP/ran" 2>&1)
rc=$?
check "exec without --prefix: exit $rc (1), nothing ran" test "$rc" = 1 -a ! -e "$TMP/ran"
check "... and it says which prefix is up" test "$out" = \
	"srlab: no lab srv6chain with prefix srlab is up (a lab srv6chain is up with prefix $P: give --prefix)"
out=$("$SRLAB" ctl srv6chain node show sids 2>&1)
check "ctl without --prefix: refused ($out)" test $? = 1
out=$("$SRLAB" down --lab srv6chain 2>&1)
rc=$?
check "down --lab without --prefix: exit $rc (1), the lab stays" \
	test "$rc" = 1 -a "$(our_ns)" = 5
out=$("$SRLAB" exec --prefix "$P" srv6chain x true 2>&1)
rc=$?
check "exec on an unknown node: exit $rc (1), the lab's nodes listed" \
	has "$rc $out" "1 srlab: lab in $SRLAB_STATE/$P-srv6chain has no node 'x' (nodes: a, in, node, eg, b)"
"$SRLAB" exec --prefix "$P" srv6chain a ping -6 -c 2 -i 0.2 -W 2 2001:db8:4::b >/dev/null
check "exec --prefix: ping a -> b through the chain (exit $?)" test $? = 0
"$SRLAB" exec --prefix "$P" "$TOPO" b true
check "exec with the topology file as LAB (exit $?)" test $? = 0

# --- (c) ctl
"$SRLAB" ctl --prefix "$P" srv6chain node show sids >"$TMP/sids.out" 2>&1
check "ctl show sids: exit $?, the End SID" grep -q "End" "$TMP/sids.out"
"$SRLAB" ctl --prefix "$P" srv6chain node -j show counters >"$TMP/ctr.json" 2>&1
check "ctl -j show counters: JSON" bash -c "jq -e . '$TMP/ctr.json' >/dev/null"
out=$("$SRLAB" ctl --prefix "$P" srv6chain a show sids 2>&1)
rc=$?
check "ctl on a host: exit $rc (1): $out" has "$rc $out" "1 srlab: node a has no srchaind control socket"
out=$("$SRLAB" vtysh --prefix "$P" srv6chain in show version 2>&1)
rc=$?
check "vtysh on a node without FRR: exit $rc (1): $out" has "$rc $out" "1 srlab: node in runs no FRR"

# --- (d) run --reuse, twice: the same counts each time, the lab stays up
for i in 1 2; do
	"$SRLAB" run --reuse --prefix "$P" "$TOPO" examples/srlab/srv6-chain.scenario.json \
		--json "$TMP/reuse$i.json" >"$TMP/reuse$i.out" 2>&1
	rc=$?
	check "run --reuse #$i: exit $rc, every assertion holds (firewall rule: 200 exactly)" \
		test "$rc" = 0
	[ "$rc" = 0 ] || cat "$TMP/reuse$i.out"
	check "run --reuse #$i: lab still up, same srchaind" \
		test "$(our_ns)" = 5 -a "$(cat "$SRLAB_STATE/$P-srv6chain/node.pid" 2>/dev/null)" = "$daemon"
done
check "run --reuse: the daemon's own counters hold both runs (>= 400 denied)" \
	bash -c "'$SRLAB' ctl --prefix '$P' srv6chain node -j show counters |
		jq -e '[.. | objects | select(.name? // \"\" | . == \"function fw rule deny proto 17 dport 9-9\") | .packets][0] >= 400' >/dev/null"
out=$("$SRLAB" run --reuse --prefix "${P}x" "$TOPO" examples/srlab/srv6-chain.scenario.json 2>&1)
rc=$?
check "run --reuse on a lab that is not up: exit $rc (1): $out" has "$rc $out" "1 srlab: lab srv6chain (prefix ${P}x) is not up"

"$SRLAB" down --lab srv6chain --prefix "$P" >/dev/null
check "down --lab --prefix: nothing left" test "$(our_ns)" = 0

# --- (e) vtysh on an FRR lab
FRR_DIR=${SRLAB_FRR_DIR:-/usr/lib/frr}
if command -v vtysh >/dev/null && [ -x "$FRR_DIR/zebra" ] && [ -x "$FRR_DIR/ospfd" ]; then
	if "$SRLAB" up --prefix "$P" examples/srlab/srmpls-ospf.topo.json >"$TMP/frr.out" 2>&1; then
		"$SRLAB" vtysh --prefix "$P" srmplsospf R1 show ip ospf neighbor >"$TMP/nbr.out" 2>&1
		check "vtysh R1 show ip ospf neighbor: exit $?, adjacencies Full" \
			grep -q "Full" "$TMP/nbr.out"
	else
		bad "up srmpls-ospf: $(tail -2 "$TMP/frr.out")"
	fi
	"$SRLAB" down --lab srmplsospf --prefix "$P" >/dev/null 2>&1
else
	echo "  skip vtysh on an FRR lab (FRR not installed)"
fi

echo "srlab-ops: $pass passed, $fail failed"
[ "$fail" = 0 ]

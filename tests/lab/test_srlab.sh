#!/usr/bin/env bash
# srlab end to end: the shipped examples as tests.
#  (a) examples/srlab/srv6-chain: Linux seg6 ingress -> srchaind (End + firewall)
#      -> Linux End.DX6 egress; scenarios with an allowed and a denied UDP
#      flow, and a TCP flow plus a firewall rule added at run time;
#  (b) bad topology and scenario files: the expected FILE:LINE:COL error, and
#      no namespace created;
#  (c) srlab killed with SIGKILL mid-run (and a daemon killed too):
#      `srlab down --lab` removes every namespace and process.
# Needs root, a kernel with seg6/seg6local, ping; skipped (77) without them.
# Every namespace is srlt<pid>-*, the state directory a temporary one.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init srlab "srlt$$"
lab_need ping
lab_need_seg6
lab_bin "$SRLAB" "$SRCHAIND" "$SRTRAFFIC"
TOPO=examples/srlab/srv6-chain.topo.json
lab_srlab "$TOPO"

our_ns() { ip netns list | awk -v p="$P-" 'index($1, p) == 1' | wc -l; }

echo "srlab: $SRLAB (namespaces $P-*)"

# --- (a) the SRv6 chain
for sc in srv6-chain srv6-chain-change; do
	"$SRLAB" run --prefix "$P" "$TOPO" "examples/srlab/$sc.scenario.json" \
		--json "$TMP/$sc.json" >"$TMP/$sc.out" 2>&1
	rc=$?
	check "run $sc: exit $rc, every assertion holds" \
		test "$rc" = 0 -a -n "$(grep -c '^  ok ' "$TMP/$sc.out")"
	check "run $sc: JSON report says ok" grep -q '"ok": true' "$TMP/$sc.json"
	check "run $sc: lab taken down" test "$(our_ns)" = 0
	[ "$rc" = 0 ] || cat "$TMP/$sc.out"
done
check "summary shows the allowed flow with no loss" \
	grep -Eq '^allowed +a->b +udp +5000 +400 +400 +0 ' "$TMP/srv6-chain.out"
check "summary shows the firewall deny rule's hits" \
	grep -Eq 'function fw rule deny proto 17 dport 9-9 +200 pkts' "$TMP/srv6-chain.out"

# a failing assertion makes the run fail
sed 's/"lost": 0, "received": ">= 400"/"lost": 0, "received": "> 400"/' \
	examples/srlab/srv6-chain.scenario.json >"$TMP/fails.json"
"$SRLAB" run --prefix "$P" "$TOPO" "$TMP/fails.json" >"$TMP/fails.out" 2>&1
rc=$?
check "a failed assertion: exit $rc (1), reported as FAIL" \
	bash -c "test $rc = 1 && grep -q 'FAIL assert flow allowed' '$TMP/fails.out'"

# --- (b) bad files: the error names FILE:LINE:COL and the field; nothing made
expect_err() { # FILE EXPECTED [SCENARIO]
	local f=$1 want=$2 out rc
	if [ -n "${3:-}" ]; then
		out=$("$SRLAB" run --prefix "$P" "$f" "$3" 2>&1)
	else
		out=$("$SRLAB" up --prefix "$P" "$f" 2>&1)
	fi
	rc=$?
	if [ "$rc" = 1 ] && [ "$out" = "srlab: $want" ] && [ "$(our_ns)" = 0 ] &&
		[ ! -e "$SRLAB_STATE/$P-bad" ]; then
		ok "$(basename "${3:-$f}"): $want"
	else
		bad "$(basename "${3:-$f}"): exit $rc, got '$out', want '$want', $(our_ns) namespaces"
	fi
}
B=tests/lab/srlab
expect_err $B/bad-unknown-node.json \
	"$B/bad-unknown-node.json:10:12: field 'links[1].b': unknown node \"r9\""
expect_err $B/bad-duplicate-name.json \
	"$B/bad-duplicate-name.json:6:15: field 'nodes[2].name': duplicate node name \"h1\""
expect_err $B/bad-address.json \
	"$B/bad-address.json:10:18: field 'links[0].b_addr[0]': \"2001:db8:1::zz/64\" is not an address with a prefix length (2001:db8:1::1/64, 192.0.2.1/24)"
expect_err $B/bad-non-doc-prefix.json \
	"$B/bad-non-doc-prefix.json:8:68: field 'links[0].b_addr[0]': \"10.0.0.2/24\" is outside the documentation prefixes (2001:db8::/32, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)"
expect_err $B/bad-missing-field.json \
	"$B/bad-missing-field.json:5:5: missing required field 'nodes[1].role'"
expect_err $B/bad-route-prefix.json \
	"$B/bad-route-prefix.json:5:48: field 'nodes[1].routes[0]': '10.1.1.1' is outside the documentation prefixes (2001:db8::/32, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)"
expect_err $B/bad-unknown-var.json \
	"$B/bad-unknown-var.json:5:51: field 'nodes[1].config[0]': '\${SID9}' is neither a variable nor NODE.IF[.ipv4|.ipv6] of this topology"
expect_err "$TOPO" \
	"$B/bad-scenario-node.json:5:15: field 'steps[1].node': unknown node \"r7\"" \
	$B/bad-scenario-node.json
expect_err "$TOPO" \
	"$B/bad-scenario-assert.json:6:7: unknown field \"recieved\" in 'steps[2]' (did you mean \"received\"?)" \
	$B/bad-scenario-assert.json

# a namespace of the same name that is not ours: refused, left alone
ip netns add "$P-srv6chain-b"
out=$("$SRLAB" up --prefix "$P" "$TOPO" 2>&1)
rc=$?
check "refuses a lab whose namespace exists: exit $rc" \
	bash -c "test $rc = 1 && test \"\$(ip netns list | grep -c '^$P-')\" = 1"
ip netns del "$P-srv6chain-b"

# --- (c) srlab killed mid-run (SIGKILL), a daemon killed too: down cleans up
cat >"$TMP/long.json" <<'EOF'
{ "steps": [
    { "at": 0, "do": "start_flow", "name": "long", "from": "a", "to": "b",
      "proto": "udp", "dport": 6000, "rate": 50, "duration": 30 },
    { "do": "wait" },
    { "do": "assert", "flow": "long", "lost": 0 } ] }
EOF
"$SRLAB" run --prefix "$P" "$TOPO" "$TMP/long.json" >"$TMP/long.out" 2>&1 &
RUNPID=$!
lab_pid $RUNPID
state=$SRLAB_STATE/$P-srv6chain/state
for _ in $(seq 100); do
	grep -q '^pid .* flow long$' "$state" 2>/dev/null && break
	sleep 0.1
done
check "run started: 5 namespaces, a flow recorded" \
	bash -c "test $(our_ns) = 5 && grep -q '^pid .* flow long\$' '$state'"
pids=$(awk '$1 == "pid" { print $2 }' "$state")
kill -9 "$RUNPID"
wait "$RUNPID" 2>/dev/null
daemon=$(cat "$SRLAB_STATE/$P-srv6chain/node.pid" 2>/dev/null)
[ -n "$daemon" ] && kill -9 "$daemon"
sleep 0.2
check "after kill -9: namespaces still there (nothing cleaned them)" test "$(our_ns)" = 5
"$SRLAB" status srv6chain >"$TMP/status.out"
check "status lists the lab" grep -q "^lab srv6chain (prefix $P" "$TMP/status.out"
"$SRLAB" down --lab srv6chain --prefix "$P" >"$TMP/down.out" 2>&1
check "srlab down --lab: exit $?, no namespace left" test "$(our_ns)" = 0
alive=0
# a zombie (not yet reaped by init) has exited: count running ones only
for p in $pids; do
	st=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$p/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && alive=$((alive + 1))
done
check "no recorded process alive ($alive)" test "$alive" = 0
check "state directory removed" test ! -e "$SRLAB_STATE/$P-srv6chain"

# up / exec / down by file
"$SRLAB" up --prefix "$P" "$TOPO" >/dev/null 2>&1
"$SRLAB" exec --prefix "$P" srv6chain a ping -6 -c 2 -i 0.2 -W 2 2001:db8:4::b >/dev/null
check "up, then exec: ping a -> b through the chain (exit $?)" test $? = 0
"$SRLAB" down --prefix "$P" "$TOPO" >/dev/null
check "down by file: nothing left" test "$(our_ns)" = 0

lab_done

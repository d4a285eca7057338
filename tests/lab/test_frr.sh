#!/usr/bin/env bash
# srlab with FRR: examples/srlab/srmpls-ospf (client -- R1 -- R2 -- R3 --
# server, srchain nodes whose routes come from FRR OSPFv2, no static route in
# the core). Checks: topology validation of the "frr" field (file:line:col
# errors), the scenario's run (UDP through the SR-MPLS policy without loss, the
# far node SID's prefix an OSPF route on R1), the JSON report, and that `srlab
# down` leaves no FRR process and no namespace of this test behind.
# Needs root, jq and FRR (Debian: apt-get install frr); skipped (77) without
# them. Namespaces are srfrr<pid>-*, the state directory a temporary one.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init frr "srfrr$$"
FRR_DIR=${SRLAB_FRR_DIR:-/usr/lib/frr}
lab_need jq vtysh "$FRR_DIR/zebra" "$FRR_DIR/ospfd"
lab_bin "$SRLAB"
chmod 755 "$TMP" # FRR's daemons run as the frr user: it must reach their directory
EX=examples/srlab
lab_srlab $EX/srmpls-ospf.topo.json

# --- validation: bad "frr" fields are refused with FILE:LINE:COL ---
badtopo() { # NAME JSON-FRR-FIELD ROLE EXPECTED-SUBSTRING
	local f=$TMP/$1.topo.json out
	cat >"$f" <<EOT
{ "lab": "frrbad", "nodes": [
  { "name": "r", "role": "$3",
    "frr": $2 },
  { "name": "h", "role": "host" } ],
  "links": [ { "a": "r", "a_addr": ["192.0.2.1/24"], "b": "h", "b_addr": ["192.0.2.2/24"] } ] }
EOT
	out=$("$SRLAB" check "$f" 2>&1)
	[ $? -ne 0 ] && [[ "$out" == *"$f:3:"* ]] && [[ "$out" == *"$4"* ]] ||
		{ echo "    got: $out"; return 1; }
}
echo "frr: validation"
check "frr on a host refused" badtopo host '{"ospf": true}' host "not on a host"
check "unknown frr key refused" badtopo key '{"ospf": true, "ospfv2": true}' kernel "ospfv2"
check "router_id not an address refused" badtopo rid '{"ospf": true, "router_id": "r1"}' kernel "router ID"
check "router_id outside doc prefixes refused" badtopo ridoc '{"ospf": true, "router_id": "10.0.0.1"}' kernel "documentation"
check "conf line outside doc prefixes refused" badtopo conf '{"conf": ["ip route 10.1.0.0/16 blackhole"]}' kernel "documentation"
check "ospf not a boolean refused" badtopo bool '{"ospf": "yes"}' kernel "frr.ospf"
check "example topology and scenario check" \
	"$SRLAB" check $EX/srmpls-ospf.topo.json $EX/srmpls-ospf.scenario.json >/dev/null

# --- the scenario ---
echo "frr: run srmpls-ospf"
# in the background: an interrupted test stops it (srlab then takes its lab down)
"$SRLAB" run $EX/srmpls-ospf.topo.json $EX/srmpls-ospf.scenario.json --prefix "$P" \
	--json "$TMP/report.json" >"$TMP/run.out" 2>&1 &
lab_pid $!
wait $!
rc=$?
if [ $rc -eq 0 ]; then ok "srlab run exits 0"; else bad "srlab run exits 0 (rc $rc)"; sed 's/^/    /' "$TMP/run.out" | tail -25; fi
R=$TMP/report.json
jqt() { jq -e "$1" "$R" >/dev/null 2>&1; }
check "report ok, 0 assertions failed" jqt '.ok == true and .assertions_failed == 0 and .steps_failed == 0'
check "udp: 600 sent, 600 received, 0 lost" jqt '.flows[] | select(.name == "udp") | .sent == 600 and .received == 600 and .lost == 0'
check "R1: route to R3's node SID is an OSPF route (exec step ok)" \
	jqt '[.steps[] | select(.do == "exec" and (.detail | startswith("R1:")))][0].ok == true'
check "R3: node SID 16003 popped >= 600" \
	jqt '.nodes.R3.objects["label 16003 node-sid 192.0.2.203"].packets >= 600'
check "R2: node SID 16003 swapped (label forwarding follows OSPF)" \
	jqt '.nodes.R2.objects["label 16003 node-sid 192.0.2.203"].packets >= 600'

# --- down removed everything ---
echo "frr: cleanup"
check "no namespace of the test left" bash -c "! ip netns list | grep -q '^$P-'"
check "no FRR daemon of the test left" bash -c "! pgrep -f -- '^$FRR_DIR/.*/$P-' >/dev/null"
check "state directory removed" test ! -e "$SRLAB_STATE/$P-srmplsospf"

lab_done

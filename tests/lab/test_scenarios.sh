#!/usr/bin/env bash
# The srlab example scenarios as tests:
#  (a) examples/srlab/srmpls-seed: SR-MPLS chain client-R1-R2-R3-R4-server
#      with firewalls on host12 (label 15001) and host13 (label 15002); at 2 s
#      R1 moves its classifier from chain1 to chain2, whose fw2 denies TCP/80;
#      with a capture on the server, which must never see web-after's SYNs;
#  (b) examples/srlab/srv6-reverse: srchaind as SRv6 ingress (H.Encaps and
#      H.Encaps.Red) and egress (End.DX6 + firewall) around a Linux End, with
#      a capture on the Linux node's link to the ingress;
#  (c) srmpls-seed again with srchaind over AF_PACKET (with AF_XDP the kernel,
#      and so a capture, never sees the frames srchaind forwards), with a
#      capture on R3's link to R2, where chain1 and chain2 label stacks pass.
# Each run: srlab's exit status, fields of its JSON report (jq), counters that
# must agree across nodes; each capture: tshark decodes every frame, none is
# malformed, no IP/UDP/TCP checksum is wrong, the expected SR headers are there.
# Needs root, a kernel with seg6/seg6local, jq, tshark and dumpcap; skipped
# (77) without them. SCEN_KEEP=1 keeps the reports and captures. Namespaces
# are srsc<pid>-*, the state directory a temporary one.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init scenarios "srsc$$"
lab_need jq tshark dumpcap
lab_need_seg6
lab_bin "$SRLAB"
SRCHAIND=$(realpath "${SRLAB_SRCHAIND:-$(dirname "$SRLAB")/srchaind}")
lab_bin "$SRCHAIND"
[ -n "${SCEN_KEEP:-}" ] && LAB_KEEP=1
EX=examples/srlab
lab_srlab $EX/srmpls-seed.topo.json $EX/srv6-reverse.topo.json

our_ns() { ip netns list | awk -v p="$P-" 'index($1, p) == 1' | wc -l; }
# jqt REPORT FILTER: the filter must print true
jqt() { [ "$(jq -r "$2" "$1" 2>/dev/null)" = true ]; }
# jqv REPORT FILTER: the value, for messages
jqv() { jq -c "$2" "$1" 2>/dev/null; }

# run NAME TOPO SCENARIO: srlab run, its exit status, report and lab teardown
run() {
	local name=$1 topo=$2 sc=$3 rc
	"$SRLAB" run --prefix "$P" "$topo" "$sc" --json "$TMP/$name.json" >"$TMP/$name.out" 2>&1 &
	lab_pid $!
	wait $!
	rc=$?
	check "$name: srlab run exit $rc (0)" test "$rc" = 0
	check "$name: report ok, $(jqv "$TMP/$name.json" '[.assertions, .assertions_failed,
		.steps_failed]') assertions/failed/failed steps" \
		jqt "$TMP/$name.json" '.ok and .assertions > 0 and .assertions_failed == 0 and
		.steps_failed == 0 and all(.steps[]; .done and .ok)'
	check "$name: lab taken down" test "$(our_ns)" = 0
	[ "$rc" = 0 ] || cat "$TMP/$name.out"
}

# with_capture SCENARIO NODE IF PCAP OUT: OUT is SCENARIO with a capture on
# NODE's IF that starts before the first step and stops after the first wait
with_capture() {
	local sc=$1 node=$2 ifname=$3 pcap=$4 out=$5 pidf=$4.pid
	jq --arg node "$node" --arg start "dumpcap -q -i $ifname -w $pcap </dev/null >/dev/null 2>&1 & echo \$! >$pidf; for i in \$(seq 40); do [ -s $pcap ] && exit 0; sleep 0.05; done; exit 1" \
		--arg stop "sleep 0.5; kill -INT \$(cat $pidf); for i in \$(seq 50); do kill -0 \$(cat $pidf) 2>/dev/null || exit 0; sleep 0.1; done; exit 1" \
		'.steps |= ((map(.do == "wait") | index(true)) as $w |
		   [{at: 0, do: "exec", node: $node, cmd: $start}] + .[:$w + 1] +
		   [{do: "exec", node: $node, cmd: $stop}] + .[$w + 1:])' \
		"$sc" >"$out"
}

# tshark_clean NAME PCAP: every frame decodes; none malformed, no error, no bad
# checksum. The HTTP dissector is off: srtraffic's binary records to port 80
# are not HTTP, and tshark calls some of them malformed HTTP.
tshark_clean() {
	local name=$1 pcap=$2 n bad_n
	n=$(tshark -r "$pcap" 2>/dev/null | wc -l)
	bad_n=$(tshark -r "$pcap" --disable-protocol http -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-o tcp.check_checksum:TRUE -Y '_ws.malformed || _ws.expert.severity == "Error" ||
		ip.checksum.status == "Bad" || udp.checksum.status == "Bad" ||
		tcp.checksum.status == "Bad"' 2>/dev/null | wc -l)
	check "$name: tshark decodes $n frames, $bad_n malformed, with an error or a bad checksum" \
		test "$n" -gt 100 -a "$bad_n" = 0
	[ "$bad_n" = 0 ] || tshark -r "$pcap" --disable-protocol http -Y '_ws.malformed || _ws.expert.severity == "Error"' \
		2>/dev/null | head -5
}

echo "scenarios: $SRLAB, srchaind $SRCHAIND (namespaces $P-*)"

# --- (a) SR-MPLS seed chain, the default I/O (AF_XDP where it works)
M=$TMP/mpls.json
export SRLAB_SRCHAIND=$SRCHAIND
# the server is a plain host: its capture sees what reached it
with_capture "$EX/srmpls-seed.scenario.json" server s0 "$TMP/server.pcapng" "$TMP/mpls-cap0.json"
run mpls "$EX/srmpls-seed.topo.json" "$TMP/mpls-cap0.json"
check "mpls: web-before arrived whole ($(jqv "$M" '.flows[] | select(.name == "web-before") |
	[.sent, .received, .lost]'))" \
	jqt "$M" '.flows[] | select(.name == "web-before") | .connected and .sent > 0 and
	.received == .sent and .lost == 0'
check "mpls: web-after never connected, nothing received, sender exit 3" \
	jqt "$M" '.flows[] | select(.name == "web-after") | .connected == false and
	.received == 0 and .sender_exit == 3'
check "mpls: web-across stalled at the change ($(jqv "$M" '.flows[] |
	select(.name == "web-across") | [.sent, .received, .lost]'))" \
	jqt "$M" '.flows[] | select(.name == "web-across") | .received > 0 and .lost > 0'
check "mpls: tls and udp lost nothing across the change" \
	jqt "$M" '[.flows[] | select(.name == "tls" or .name == "udp") | .lost == 0 and
	.sent > 0 and .unique == .sent] | length == 2 and all'
# every packet R1 pushed went through fw1; those of chain2 through fw2 too;
# all but fw2's denies reached R4, which popped its node SID
check "mpls: fw1 saw every packet of chain1 and chain2 ($(jqv "$M" '[.nodes.R1.objects |
	.["policy chain1"].packets, .["policy chain2"].packets] + [.nodes.host12.objects["function fw1"].packets]'))" \
	jqt "$M" '.nodes.R1.objects["policy chain1"].packets + .nodes.R1.objects["policy chain2"].packets
	== .nodes.host12.objects["function fw1"].packets'
check "mpls: fw2 saw every packet of chain2 and nothing else" \
	jqt "$M" '.nodes.R1.objects["policy chain2"].packets == .nodes.host13.objects["function fw2"].packets'
check "mpls: fw2's TCP/80 denies are host13's vnf_drop ($(jqv "$M" \
	'.nodes.host13.objects["function fw2 rule deny proto 6 dport 80-80"].packets'))" \
	jqt "$M" '.nodes.host13.objects["function fw2 rule deny proto 6 dport 80-80"].packets ==
	.nodes.host13.counters.vnf_drop and .nodes.host13.counters.vnf_drop > 0'
check "mpls: R4 popped 16004 for all that fw1 passed minus fw2's denies" \
	jqt "$M" '.nodes.host12.objects["function fw1"].packets - .nodes.host13.counters.vnf_drop ==
	.nodes.R4.objects["label 16004 node-sid 192.0.2.204"].packets'
check "mpls: no drop counter but fw2's on any node" \
	jqt "$M" '[.nodes | to_entries[] | .value.counters | del(.rx, .tx, .vnf_drop) |
	to_entries[] | .value] | add // 0 | . == 0'
SV=$TMP/server.pcapng
tshark_clean mpls-server "$SV"
# web-before and web-across opened connections; web-after's SYNs died at fw2
n=$(tshark -r "$SV" -Y 'ip.src == 192.0.2.10 && tcp.dstport == 80 && tcp.flags.syn == 1 &&
	tcp.flags.ack == 0' -T fields -e tcp.srcport 2>/dev/null | sort -u | wc -l)
check "mpls-server: TCP/80 connections that reached the server: $n (2: not web-after)" \
	test "$n" = 2
n=$(tshark -r "$SV" -Y 'ip.src == 192.0.2.10 && udp.dstport == 5000' 2>/dev/null | wc -l)
check "mpls-server: UDP datagrams at the server: $n (1000)" test "$n" = 1000

# --- (b) SRv6 reverse: srchaind ingress/egress around a Linux End, captured on mid's m1
V=$TMP/srv6.json
with_capture "$EX/srv6-reverse.scenario.json" mid m1 "$TMP/srv6.pcapng" "$TMP/srv6-cap.json"
run srv6 "$EX/srv6-reverse.topo.json" "$TMP/srv6-cap.json"
check "srv6: allowed and web lost nothing, denied got nothing" \
	jqt "$V" '[.flows[] | select(.name == "allowed" or .name == "web") | .lost == 0 and
	.sent > 0] + [.flows[] | select(.name == "denied") | .received == 0 and .sent > 0] |
	length == 3 and all'
check "srv6: every packet of both policies reached the End.DX6 SID ($(jqv "$V" '[.nodes.in.objects |
	.["policy web"].packets, .["policy bulk"].packets]'))" \
	jqt "$V" '.nodes.in.objects["policy web"].packets + .nodes.in.objects["policy bulk"].packets ==
	.nodes.eg.objects["sid 2001:db8:c::6/128 End.DX6"].packets'
check "srv6: the firewall's denies are eg's vnf_drop (200)" \
	jqt "$V" '.nodes.eg.objects["function fw rule deny proto 17 dport 9-9"].packets == 200 and
	.nodes.eg.counters.vnf_drop == 200'
check "srv6: the Linux End SID counted the chain ($(jqv "$V" '.steps[] | select(.do == "exec" and
	(.detail | test("End packets"))) | .detail'))" \
	jqt "$V" 'any(.steps[]; .do == "exec" and .ok and (.detail | test("End packets [0-9]+ errors 0")))'
S6=$TMP/srv6.pcapng
tshark_clean srv6 "$S6"
# H.Encaps (TCP/80): SRH [SIDE, SIDM], SL 1; H.Encaps.Red (UDP): SRH [SIDE], SL 1
fields=$(tshark -r "$S6" -Y 'ipv6.dst == 2001:db8:b::1 && ipv6.routing.type == 4' -T fields \
	-E 'separator=;' -e ipv6.routing.segleft -e ipv6.routing.srh.last_entry \
	-e ipv6.routing.srh.addr -e ipv6.nxt 2>/dev/null | sort | uniq -c)
check "srv6: H.Encaps frames: SL 1, 2 segments, inner TCP" \
	grep -Eq '^ +[0-9]+ 1;1;2001:db8:c::6,2001:db8:b::1;43,6$' <<<"$fields"
check "srv6: H.Encaps.Red frames: SL 1, 1 segment in the SRH, inner UDP" \
	grep -Eq '^ +[0-9]+ 1;0;2001:db8:c::6;43,17$' <<<"$fields"
[ "$(grep -c . <<<"$fields")" = 2 ] || echo "$fields"
n=$(tshark -r "$S6" -Y 'ipv6.src == 2001:db8:4::b && ipv6.dst == 2001:db8:1::a && !ipv6.routing' \
	2>/dev/null | wc -l)
check "srv6: answers from b come back as plain IPv6 ($n frames)" test "$n" -gt 100

# --- (c) SR-MPLS seed over AF_PACKET, captured on R3's r3w (from R2: both label stacks)
cat >"$TMP/srchaind-afpacket" <<EOF
#!/bin/sh
# srchaind over AF_PACKET, so that a capture on a served interface sees its frames
case " \$* " in *" --live "*) exec "$SRCHAIND" "\$@" --io afpacket ;; esac
exec "$SRCHAIND" "\$@"
EOF
chmod +x "$TMP/srchaind-afpacket"
export SRLAB_SRCHAIND=$TMP/srchaind-afpacket
with_capture "$EX/srmpls-seed.scenario.json" R3 r3w "$TMP/mpls.pcapng" "$TMP/mpls-cap.json"
run mpls-afpacket "$EX/srmpls-seed.topo.json" "$TMP/mpls-cap.json"
export SRLAB_SRCHAIND=$SRCHAIND
MP=$TMP/mpls.pcapng
tshark_clean mpls-afpacket "$MP"
stacks=$(tshark -r "$MP" -Y 'mpls && ip.dst == 203.0.113.80' -T fields -e mpls.label \
	-e mpls.bottom -e ip.proto 2>/dev/null | sort | uniq -c)
check "mpls-afpacket: chain1 frames carry 16004 alone (S=1)" \
	grep -Eq '^ +[0-9]+ 16004	1	' <<<"$stacks"
check "mpls-afpacket: chain2 frames carry 16013,15002,16004 (S on the last)" \
	grep -Eq '^ +[0-9]+ 16013,15002,16004	0,0,1	' <<<"$stacks"
check "mpls-afpacket: TCP/80 went towards fw2 in chain2 (the denied SYNs)" \
	test "$(tshark -r "$MP" -Y 'mpls.label == 15002 && tcp.dstport == 80 && tcp.flags.syn == 1' \
	2>/dev/null | wc -l)" -gt 0
check "mpls-afpacket: no frame with any other label stack" \
	test "$(grep -c . <<<"$stacks")" = 4
[ "$(grep -c . <<<"$stacks")" = 4 ] || echo "$stacks"
n=$(tshark -r "$MP" -Y '!mpls && ip.src == 203.0.113.80 && ip.dst == 192.0.2.10' 2>/dev/null | wc -l)
check "mpls-afpacket: answers from the server come back as plain IPv4 ($n frames)" test "$n" -gt 100

lab_done

#!/usr/bin/env bash
# srchainctl against srchaind --live on the SRv6 chain of lib_srv6_chain.sh:
#
#   A --- IN (seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: End + firewall on SID1)
#                                                   --- EG (seg6local End.DX6 on SID2) --- B
#
# Every show request answers (text and JSON, the JSON parses with jq); a
# firewall rule added with 'config add' drops live UDP to its port and counts
# it on the new rule; a bad statement is refused naming the field and
# changes nothing; 'config remove' restores traffic and the running config;
# malformed and stuck clients get an error or a timeout, never a crash; the
# statistics of show counters, live --json and offline --json agree.
# Needs root, a kernel with seg6/seg6local, jq and Debian's /usr/bin/python3
# (sockets only); skipped (77) without them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init ctl "src$$"
lab_need jq /usr/bin/python3
lab_need_seg6
lab_bin "$SRCHAIND" "$SRCHAINCTL" "$SRLAB"
. tests/lab/lib_srv6_chain.sh
SOCK=$TMP/ctl.sock
HOLD=

ctl() { "$SRCHAINCTL" -s "$SOCK" "$@"; }
# raw_answer REQUEST JQ-TEST: sends REQUEST as it is (Python escapes such as
# \x01 allowed; "LONG" is a 20000-byte line) and tests the answer with jq -e
raw_answer() {
	"$PY" -c '
import socket, sys
req = sys.argv[2]
req = b"a" * 20000 + b"\n" if req == "LONG" else req.encode().decode("unicode_escape").encode("latin-1")
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(req)
s.shutdown(socket.SHUT_WR)
s.settimeout(5)
out = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
except ConnectionResetError:
    pass
sys.stdout.write(out.decode())
' "$SOCK" "$1" >"$TMP/raw.out" 2>/dev/null
	# jq -e on no input at all exits 0: an answer must be there
	[ -s "$TMP/raw.out" ] && jq -e "$2" "$TMP/raw.out" >/dev/null 2>&1
}
# rule_hits PATTERN: packets counted on the firewall counter whose name matches
rule_hits() {
	ctl -j show functions |
		jq -r --arg p "$1" '.[] | select(.name == "fw") | .counters[] |
			select(.name | test($p)) | .packets' | head -1
}
generation() { ctl -j show counters | jq -r .generation; }

echo "ctl: srchainctl $SRCHAINCTL against srchaind $SRCHAIND --live"
chain_up || lab_done

# 1. start with a control socket of our own
check "srchaind started" chain_srchaind --workers 2 --ctl "$SOCK" --json --stats-interval 1
[ -n "$DPID" ] || chain_done
check "control socket is a socket with mode 0600" \
	test -S "$SOCK" -a "$(stat -c %a "$SOCK" 2>/dev/null)" = 600
check "ping -6 A -> B through srchaind" ping6 $NS_A 2001:db8:4::b 3

# 2. listings
check "show counters -j parses with jq (rx > 0, objects listed)" \
	bash -c "'$SRCHAINCTL' -s '$SOCK' -j show counters |
		jq -e '.counters.rx > 0 and (.objects | length) > 0 and .generation >= 1' >/dev/null"
all_ok=1
for what in interfaces sids labels policies classifier functions routes counters config; do
	ctl show $what >"$TMP/show.$what" 2>&1 || all_ok=0
	ctl -j show $what | jq -e . >/dev/null 2>&1 || all_ok=0
done
check "every show request answers, as text and as JSON" test $all_ok = 1
check "show sids lists SID1 End with function fw" \
	bash -c "grep -q '$SID1/128 *End *fw' '$TMP/show.sids'"
check "show interfaces lists n1 and n2" \
	bash -c "grep -q '^n1 ' '$TMP/show.interfaces' && grep -q '^n2 ' '$TMP/show.interfaces'"
check "show counters (text) shows the SID's packets" \
	bash -c "grep -q 'sid $SID1/128 End' '$TMP/show.counters'"
check "show config is the file" cmp -s "$TMP/show.config" "$TMP/node.conf"

# 2b. one statistics document: the control socket, live mode's --json lines
# and offline mode's --json have the same shape (keys, port fields, counter
# names; the control socket's own counters only where there is one), and
# the control socket's ports carry bytes
shape='{keys: (keys - ["control"]), port: ([.ports[] | keys] | unique),
	ports: [.ports[].name], counters: (.counters | keys),
	objects: ([.objects[] | keys] | unique)}'
ctl -j show counters >"$TMP/stats.ctl"
sleep 1.2
grep '^{' "$TMP/srchaind.out" | tail -1 >"$TMP/stats.live"
cat >"$TMP/offline.conf" <<EOF
interface n1 mac 02:00:00:00:00:01
interface n2 mac 02:00:00:00:00:02
function fw firewall default allow
sid $SID1 End function fw
EOF
"$PY" -c '
import socket, struct, sys
ip6 = lambda a: socket.inet_pton(socket.AF_INET6, a)
udp = struct.pack("!HHHH", 1000, 2000, 16, 0) + b"srchain!"
pkt = (b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\xaa" + b"\x86\xdd" +
       struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + ip6("2001:db8:1::a") +
       ip6(sys.argv[2]) + udp)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(3):
        f.write(struct.pack("<IIII", 1, i, len(pkt), len(pkt)) + pkt)
' "$TMP/in.pcap" "$SID1"
"$SRCHAIND" -c "$TMP/offline.conf" --offline --in n1="$TMP/in.pcap" --out "$TMP/offline" \
	--json >"$TMP/stats.offline" 2>"$TMP/offline.err"
for m in ctl live offline; do
	jq -cS "$shape" "$TMP/stats.$m" >"$TMP/shape.$m" 2>/dev/null || echo "no JSON from $m" >"$TMP/shape.$m"
done
check "statistics: show counters and live --json have the same shape" \
	test -s "$TMP/shape.ctl" -a "$(cat "$TMP/shape.ctl")" = "$(cat "$TMP/shape.live")"
check "statistics: offline --json has the same shape (but its objects)" \
	test "$(jq -c 'del(.objects)' "$TMP/shape.ctl")" = "$(jq -c 'del(.objects)' "$TMP/shape.offline")"
check "statistics: live and control socket list the control socket's counters" \
	bash -c "jq -e '.control.accepted >= 1' '$TMP/stats.ctl' >/dev/null &&
		jq -e '.control.accepted >= 1' '$TMP/stats.live' >/dev/null &&
		jq -e 'has(\"control\") | not' '$TMP/stats.offline' >/dev/null"
check "statistics: show counters has rx/tx bytes per port ($(jq -c '[.ports[] | .rx_bytes]' "$TMP/stats.ctl"))" \
	bash -c "jq -e '[.ports[] | .rx_bytes > 0 and .tx_bytes > 0] | all' '$TMP/stats.ctl' >/dev/null"
check "statistics: offline ports count the pcap records (3 of 70 bytes in on n1)" \
	bash -c "jq -e '.ports[0].rx_packets == 3 and .ports[0].rx_bytes == 210 and .counters.rx == 3' \
		'$TMP/stats.offline' >/dev/null"

# 3. config add of a firewall rule takes effect on live traffic
got=$(udp_through 7000 20)
check "before: UDP/7000 A -> B: 20 sent, $got received" test "$got" = 20
gen0=$(generation)
ctl config add 'function fw rule deny proto udp dport 7000' >"$TMP/add.out" 2>&1
check "config add 'function fw rule deny proto udp dport 7000' (exit $?)" \
	grep -q "added line 5" "$TMP/add.out"
check "tables rebuilt (generation $gen0 -> $(generation))" test "$(generation)" -gt "$gen0"
got=$(udp_through 7000 10)
check "after add: UDP/7000 A -> B: 10 sent, $got received" test "$got" = 0
hits=$(rule_hits '^rule deny proto 17 dport 7000-7000$')
check "new rule counted ${hits:-0} packets (10)" test "${hits:-0}" = 10
hits9=$(rule_hits '^rule deny proto 17 dport 9-9$')
check "old rule kept its counter across the rebuild (${hits9:-none})" test -n "$hits9"
ctl show config >"$TMP/config.added"
check "show config ends with the added statement" \
	bash -c "tail -1 '$TMP/config.added' | grep -qx 'function fw rule deny proto udp dport 7000'"
check "show config -j says modified" \
	bash -c "'$SRCHAINCTL' -s '$SOCK' -j show config | jq -e '.modified == true' >/dev/null"

# 4. a bad statement is refused, names the field and changes nothing
ctl config add 'function fw rule deny proto udp dport 99999' >"$TMP/bad.out" 2>"$TMP/bad.err"
rc=$?
check "config add of a bad rule exits 1 (exit $rc)" test "$rc" = 1
check "the error names the field ($(head -c 120 "$TMP/bad.err"))" grep -q "field 'dport'" "$TMP/bad.err"
check "the refusal is logged, the running tables stay" \
	grep -q "dport': '99999'.*keeping the previous tables" "$TMP/srchaind.err"
ctl show config >"$TMP/config.after_bad"
check "nothing changed: same running config" cmp -s "$TMP/config.after_bad" "$TMP/config.added"
ctl config add 'function nosuch rule deny proto udp' >/dev/null 2>"$TMP/bad2.err"
check "config add naming a missing function exits 1" test $? = 1
ctl config remove 'function fw rule deny proto tcp dport 1' >/dev/null 2>"$TMP/bad3.err"
check "config remove of an absent statement exits 1" test $? = 1
got=$(udp_through 7000 5)
check "the added rule still drops UDP/7000 ($got received)" test "$got" = 0

# 5. config remove restores
ctl config remove function fw rule deny proto udp dport 7000 >"$TMP/rm.out" 2>&1
check "config remove (words given separately) exits 0" grep -q "removed line 5" "$TMP/rm.out"
got=$(udp_through 7000 20)
check "after remove: UDP/7000 A -> B: 20 sent, $got received" test "$got" = 20
ctl show config >"$TMP/config.removed"
check "show config is the file again" cmp -s "$TMP/config.removed" "$TMP/node.conf"

# 6. usage errors (exit 2) and malformed requests (an error, never a crash)
ctl show nonsense >/dev/null 2>&1
check "srchainctl show nonsense exits 2" test $? = 2
"$SRCHAINCTL" -s "$SOCK" >/dev/null 2>&1
check "srchainctl without a request exits 2" test $? = 2
"$SRCHAINCTL" -s "$TMP/nobody.sock" show counters >/dev/null 2>&1
check "srchainctl to a socket nobody serves exits 1" test $? = 1
check "raw: unknown request gets ok:false" raw_answer 'frobnicate\n' '.ok == false'
check "raw: unterminated quote gets ok:false" raw_answer 'config add "function\n' '.ok == false'
check "raw: control bytes get ok:false" raw_answer 'show\x01\x00counters\n' '.ok == false'
check "raw: a 20000-byte line gets ok:false" raw_answer LONG \
	'.ok == false and (.error | test("longer"))'
check "raw: no newline (request ends at EOF) still answered" raw_answer 'show routes' \
	'.ok == true and (.data.tables | length) >= 1'
check "daemon alive after the malformed requests" kill -0 $DPID

# 7. a client that connects and sends nothing holds the daemon at most 1 s
"$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
time.sleep(4)
' "$SOCK" &
HOLD=$!
lab_pid $HOLD
sleep 0.2
t0=$(date +%s%N)
ctl -t 5 show counters >/dev/null 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "answered while a stuck client is connected (exit $rc, ${ms} ms)" test "$rc" = 0 -a "$ms" -lt 3000
check "ping still works" ping6 $NS_A 2001:db8:4::b 2
kill $HOLD 2>/dev/null
wait $HOLD 2>/dev/null
HOLD=

# 8. reload goes back to the file
ctl config add 'function fw rule deny proto udp dport 7001' >/dev/null 2>&1
ctl reload >"$TMP/reload.out" 2>&1
check "reload exits 0" grep -q "reloaded" "$TMP/reload.out"
ctl show config >"$TMP/config.reloaded"
check "after reload the running config is the file" cmp -s "$TMP/config.reloaded" "$TMP/node.conf"

# 8b. removing a rule in front of another leaves that one's counter alone
# (counters are named by the rule's text, not its position)
ctl config add 'function fw rule deny proto udp dport 7002' >/dev/null 2>&1
got=$(udp_through 7002 10)
check "added rule drops UDP/7002 ($got received)" test "$got" = 0
before=$(rule_hits '^rule deny proto 17 dport 7002-7002$')
ctl config remove 'function fw rule deny proto udp dport 9' >"$TMP/rm9.out" 2>&1
check "config remove of the first rule exits 0" grep -q "removed line 3" "$TMP/rm9.out"
after=$(rule_hits '^rule deny proto 17 dport 7002-7002$')
check "the later rule kept its count across the removal (${before:-none} -> ${after:-none})" \
	test "${before:-0}" = 10 -a "${after:-0}" = 10
ctl reload >/dev/null 2>&1

# 9. clean exit removes the socket
chain_stop
rc=$?
check "srchaind exits 0 on SIGTERM (exit $rc)" test "$rc" = 0
check "control socket removed at exit" test ! -e "$SOCK"

chain_done

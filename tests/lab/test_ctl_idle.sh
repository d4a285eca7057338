#!/usr/bin/env bash
# srchaind's control thread stays prompt while the control socket is full of
# clients that say nothing: on the SRv6 chain of lib_srv6_chain.sh, 30 idle
# connections and one that sent half a request are held open (each one the
# daemon closes is opened again at once), and meanwhile
#
#   - SIGHUP reloads take effect (logged) within 2 s,
#   - a route added in the kernel is followed from netlink within 2 s,
#   - 'srchainctl show counters' answers within 2 s,
#   - SIGTERM ends the daemon within 2 s;
#
# then more clients than the limit (64) get a clear refusal, counted, and the
# daemon still answers once they are gone. The bounds are functional, not a
# benchmark: a control thread that serves clients one at a time, each with a
# read deadline of 1 s, needs many seconds for these (up to 18 s measured).
# Prints the measured latencies. Needs root, iproute2 with seg6, jq, Debian's
# /usr/bin/python3 (sockets only); skipped (77) without them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init ctl-idle "sri$$"
lab_need jq /usr/bin/python3
lab_need_seg6
lab_bin "$SRCHAIND" "$SRCHAINCTL" "$SRLAB"
. tests/lab/lib_srv6_chain.sh
SOCK=$TMP/ctl.sock
HOLD= # a helper process holding connections, if any

BOUND_MS=2000

ctl() { "$SRCHAINCTL" -s "$SOCK" "$@"; }

ms_now() { echo $(($(date +%s%N) / 1000000)); }
# wait_log PATTERN BEFORE: waits (at most 15 s) until srchaind's log holds
# more than BEFORE lines matching PATTERN; prints the milliseconds waited
wait_log() {
	local t0 n
	t0=$(ms_now)
	for _ in $(seq 750); do
		n=$(grep -c -- "$1" "$TMP/srchaind.err")
		[ "$n" -gt "$2" ] && break
		sleep 0.02
	done
	echo $(($(ms_now) - t0))
}
count_log() { grep -c -- "$1" "$TMP/srchaind.err"; }

# hold N SECONDS: keeps N connections that send nothing and one that sent
# half a request ("show cou", no newline) open to the control socket; each
# one the daemon closes is opened again. Touches $TMP/hold.ready once all
# are connected and writes how many were opened again to $TMP/hold.reopened.
hold() {
	"$PY" -c '
import os, select, socket, sys, time
path, n, secs, tmp = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
want = {"idle": n, "half": 1}
socks, opened = {}, 0
def connect(kind):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(path)
        if kind == "half":
            s.send(b"show cou")
    except OSError:          # backlog full (EAGAIN): try again later
        s.close()
        return 0
    socks[s] = kind
    return 1
end, ready = time.time() + secs, False
while time.time() < end:
    for kind, k in want.items():
        for _ in range(k - sum(1 for v in socks.values() if v == kind)):
            opened += connect(kind)
    if not ready and len(socks) == n + 1:
        ready = True
        open(os.path.join(tmp, "hold.ready"), "w").close()
    r, _, _ = select.select(list(socks), [], [], 0.05)
    for s in r:
        try:
            d = s.recv(65536)
        except OSError:
            d = b""
        if not d:            # the daemon closed it: open another
            del socks[s]
            s.close()
    with open(os.path.join(tmp, "hold.reopened"), "w") as f:
        f.write("%d\n" % max(0, opened - n - 1))
' "$SOCK" "$1" "$2" "$TMP" 2>"$TMP/hold.err" &
	HOLD=$!
	lab_pid $HOLD
	for _ in $(seq 100); do
		[ -e "$TMP/hold.ready" ] && return 0
		sleep 0.05
	done
	return 1
}
stop_hold() {
	[ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null && wait "$HOLD" 2>/dev/null
	HOLD=
	rm -f "$TMP/hold.ready"
}

echo "ctl-idle: srchaind $SRCHAIND, srchainctl $SRCHAINCTL"
chain_up || lab_done
cat >"$TMP/node.conf" <<EOF
# srchaind node: End with a firewall on SID1 (interfaces come from the kernel)
function fw firewall default allow
sid $SID1 End function fw
EOF

check "srchaind started" chain_srchaind --workers 1 --ctl "$SOCK"
[ -n "$DPID" ] || lab_done
check "ping -6 A -> B through srchaind" ping6 $NS_A 2001:db8:4::b 2
routes0=$(ctl -j show routes | jq '[.tables[].ipv6_routes] | add')

# 1. 30 idle clients and a half request, held open for the whole section
check "30 idle clients and a half request connected" hold 30 60
sleep 1.5 # past the first read deadline: the daemon has had to deal with them

# SIGHUP with a changed file, three times (wherever the daemon is when the
# signal comes): each reload's log line says it took effect
reload_ms=0 reloads=
for port in 7001 7002 7003; do
	echo "function fw rule deny proto udp dport $port" >>"$TMP/node.conf"
	before=$(count_log "reload: tables generation")
	kill -HUP $DPID
	ms=$(wait_log "reload: tables generation" "$before")
	reloads="$reloads${reloads:+, }$ms"
	[ "$ms" -gt "$reload_ms" ] && reload_ms=$ms
	sleep 0.7
done
check "SIGHUP reloads took effect in $reloads ms (bound ${BOUND_MS})" \
	test "$reload_ms" -lt $BOUND_MS

# a route added in the kernel: followed from netlink
before=$(count_log "kernel state changed: tables generation")
nsx $NS_N ip -6 route add 2001:db8:99::/64 via 2001:db8:3::3 dev n2
route_ms=$(wait_log "kernel state changed: tables generation" "$before")
check "route change followed from netlink in ${route_ms} ms (bound ${BOUND_MS})" \
	test "$route_ms" -lt $BOUND_MS

# srchainctl, with the idle clients still there
t0=$(ms_now)
ctl -t 20 -j show counters >"$TMP/counters.json" 2>"$TMP/counters.err"
rc=$?
ctl_ms=$(($(ms_now) - t0))
check "srchainctl show counters answered in ${ctl_ms} ms (exit $rc, bound ${BOUND_MS})" \
	test "$rc" = 0 -a "$ctl_ms" -lt $BOUND_MS
check "the reloads are in the tables (rules on dport 7001-7003 counted by name)" \
	test "$(jq '[.objects[].name | select(test("dport 700[123]"))] | length' \
		"$TMP/counters.json" 2>/dev/null)" = 3
routes1=$(ctl -t 20 -j show routes | jq '[.tables[].ipv6_routes] | add')
check "the new route is in the tables (IPv6 routes ${routes0:-?} -> ${routes1:-?})" \
	test "${routes1:-0}" -gt "${routes0:-0}"
timed_out=$(jq '.control.timed_out' "$TMP/counters.json" 2>/dev/null)
check "idle and stalled clients were timed out and counted (${timed_out:-none})" \
	test "${timed_out:-0}" -ge 31 2>/dev/null
check "ping still works with the clients held" ping6 $NS_A 2001:db8:4::b 2
reopened=$(cat "$TMP/hold.reopened" 2>/dev/null)

# shutdown, measured at the end with clients held again (below)

# 2. more clients than the limit: refused with a clear error, counted
stop_hold
"$PY" -c '
import socket, sys, time
held = []
for _ in range(70):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    held.append(s)
time.sleep(0.5)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"show counters\n")
s.settimeout(5)
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.write(out.decode())
' "$SOCK" >"$TMP/refused.json" 2>"$TMP/refused.err"
refused=$(jq -r 'select(.ok == false) | .error' "$TMP/refused.json" 2>/dev/null)
check "client 71 refused with a clear error (${refused:-no answer: $(tail -1 "$TMP/refused.err")})" \
	grep -q "too many control clients" <<<"$refused"
check "the refusal is logged" grep -q "control socket: refused a client" "$TMP/srchaind.err"
ctl -t 5 -j show counters >"$TMP/counters2.json" 2>/dev/null
refused=$(jq '.control.refused' "$TMP/counters2.json" 2>/dev/null)
check "answered again once they are gone; refusals counted (${refused:-none}, at least 7)" \
	test "${refused:-0}" -ge 7 2>/dev/null

# 3. SIGTERM with idle clients held
check "30 idle clients and a half request connected again" hold 30 60
sleep 1.5
t0=$(ms_now)
kill -TERM $DPID
wait $DPID
rc=$?
exit_ms=$(($(ms_now) - t0))
DPID=
check "SIGTERM: exit $rc in ${exit_ms} ms (bound ${BOUND_MS})" test "$rc" = 0 -a "$exit_ms" -lt $BOUND_MS
stop_hold

echo "ctl-idle: latencies with 30 idle clients + 1 stalled: reload ${reloads} ms," \
	"route ${route_ms} ms, show counters ${ctl_ms} ms, exit ${exit_ms} ms" \
	"(idle connections reopened by the holder: ${reopened:-?})"
if [ "$fail" != 0 ]; then
	echo "--- srchaind stderr (last 30 lines)"
	tail -30 "$TMP/srchaind.err"
fi
lab_done

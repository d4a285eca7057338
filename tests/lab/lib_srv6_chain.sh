# The SRv6 chain of test_live_srv6.sh, test_live_afxdp.sh and test_ctl.sh,
# built by srlab from examples/srlab/srv6-chain-bare.topo.json:
#
#   A --- IN (Linux seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: SID1)
#                                  --- EG (Linux seg6local End.DX6 on SID2) --- B
#
# NODE is left to the test, which starts srchaind --live on n1,n2 there.
# Sourced after lab_init (tests/lab/lib.sh); needs SRCHAIND, SRLAB and PY.

CHAIN_TOPO=examples/srlab/srv6-chain-bare.topo.json
SID1=2001:db8:f1::1
SID2=2001:db8:f3::6

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

CHAIN_LAB=srv6bare # the topology's "lab"
NS_A=$P-$CHAIN_LAB-a NS_IN=$P-$CHAIN_LAB-in NS_N=$P-$CHAIN_LAB-node
NS_EG=$P-$CHAIN_LAB-eg NS_B=$P-$CHAIN_LAB-b
DPID=

# chain_up: the lab ($NS_A $NS_IN $NS_N $NS_EG $NS_B) and $TMP/node.conf, End
# with a firewall on SID1 that denies UDP/9
chain_up() {
	cat >"$TMP/node.conf" <<EOF
# srchaind node: End with a firewall on SID1 (interfaces come from the kernel)
function fw firewall default allow
function fw rule deny proto udp dport 9
sid $SID1 End function fw
EOF
	lab_srlab_up "$CHAIN_TOPO"
}

# chain_srchaind ARG...: srchaind -c $TMP/node.conf --live --dev n1,n2 ARG... in
# NODE, output in $TMP/srchaind.{out,err}; 0 once its pidfile names it (DPID),
# 1 if it exits or takes more than 5 s
chain_srchaind() {
	rm -f "$TMP/srchaind.pid"
	# not through nsx: $! must be srchaind itself (ip netns exec execs it)
	ip netns exec "$NS_N" "$SRCHAIND" -c "$TMP/node.conf" --live --dev n1,n2 "$@" \
		--pidfile "$TMP/srchaind.pid" >"$TMP/srchaind.out" 2>"$TMP/srchaind.err" &
	DPID=$!
	lab_pid $DPID
	for _ in $(seq 50); do
		[ "$(cat "$TMP/srchaind.pid" 2>/dev/null)" = "$DPID" ] && return 0
		kill -0 $DPID 2>/dev/null || break
		sleep 0.1
	done
	chain_stop
	return 1
}

# chain_stop: SIGTERM to srchaind; its exit status
chain_stop() {
	local rc=0
	if [ -n "$DPID" ]; then
		kill -TERM "$DPID" 2>/dev/null
		wait "$DPID"
		rc=$?
	fi
	DPID=
	return $rc
}

# ping6 NS DST COUNT: ICMPv6 echo; iputils ping when installed, else a raw
# socket in Python (the kernel fills in the ICMPv6 checksum). Succeeds if
# every request got its reply.
ping6() {
	if command -v ping >/dev/null 2>&1; then
		nsx "$1" ping -6 -c "$3" -i 0.2 -W 2 "$2" >/dev/null
		return
	fi
	nsx "$1" "$PY" -c '
import os, socket, struct, sys, time
dst, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
ident, seen = os.getpid() & 0xffff, set()
def wait(seq, secs):
    end = time.time() + secs
    while seq not in seen and time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            return
        if len(data) >= 8 and data[0] == 129:
            i, q = struct.unpack("!HH", data[4:8])
            if i == ident:
                seen.add(q)
for seq in range(count):
    s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq) + b"srchain" * 8, (dst, 0))
    wait(seq, 1)
    time.sleep(0.2)
wait(-1, 2 if len(seen) < count else 0)  # late replies still count
sys.exit(0 if len(seen) == count else 1)
' "$2" "$3"
}

# udp_sink NS PORT SECONDS: in the background, writes how many datagrams
# arrived on PORT to $TMP/sink.PORT (the caller sets TMP and PY)
udp_sink() {
	nsx "$1" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.settimeout(float(sys.argv[2]))
n = 0
try:
    while True:
        s.recv(2048)
        n += 1
except socket.timeout:
    pass
print(n)
' "$2" "$3" >"$TMP/sink.$2" 2>&1 &
}

# udp_send NS DST PORT COUNT: COUNT datagrams, 10 ms apart
udp_send() {
	nsx "$1" "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(int(sys.argv[3])):
    s.sendto(b"srchain-lab-%04d" % i + bytes(100), (sys.argv[1], int(sys.argv[2])))
    time.sleep(0.01)
' "$2" "$3" "$4"
}

# udp_through PORT COUNT: COUNT datagrams A -> B; prints how many arrived
udp_through() {
	udp_sink $NS_B "$1" 2
	local sink=$!
	sleep 0.3
	udp_send $NS_A 2001:db8:4::b "$1" "$2"
	wait $sink
	cat "$TMP/sink.$1"
}

# chain_done: lab_done, after srchaind's output when a check failed
chain_done() {
	if [ "$fail" != 0 ]; then
		echo "--- srchaind stderr"
		cat "$TMP/srchaind.err"
		echo "--- srchaind stdout"
		cat "$TMP/srchaind.out"
	fi
	lab_done
}

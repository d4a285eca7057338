#!/usr/bin/env bash
# srchaind --live --io afpacket drops transit traffic in the kernel
# (src/srchaind/transit.c) on the SRv6 chain of lib_srv6_chain.sh:
#
#   A --- IN (seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: End on SID1)
#                                                   --- EG (seg6local End.DX6) --- B
#
# With AF_PACKET the node's kernel gets its own copy of every frame. Without
# the drop it takes each transit packet into its IPv6 stack (Ip6InReceives),
# cannot forward it (forwarding is off) and answers with an ICMPv6 error.
# With srchaind running: traffic A -> B still flows (AF_PACKET taps run
# before the netdev ingress hook), the kernel's IPv6 stack no longer sees
# the transit packets and sends no destination unreachable, while traffic to
# the node's own address (ping, neighbour discovery) still reaches it. After
# SIGTERM, and after SIGKILL (the table is owned by srchaind's socket), the
# kernel sees transit packets again: the drop is gone.
# Needs root, iproute2 with seg6 (ip, nstat), Debian's /usr/bin/python3.
# Skipped (77) without them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init afpacket_transit "sat$$"
lab_need nstat /usr/bin/python3
lab_need_seg6
lab_bin "$SRCHAIND" "$SRLAB"
. tests/lab/lib_srv6_chain.sh
N=300 # transit datagrams per measurement

# counter NAME: the node kernel's absolute value of an SNMP counter
counter() { nsx $NS_N nstat -asz "$1" | awk -v n="$1" '$1 == n { print $2 }'; }

# blast: N datagrams A -> B (5 ms apart); prints "IN UNREACH CPU": the node
# kernel's Ip6InReceives and Icmp6OutDestUnreachs increments, and the CPU
# time (user+sys, ms) of the sender
blast() {
	local in0 un0 in1 un1 t0 t1
	in0=$(counter Ip6InReceives)
	un0=$(counter Icmp6OutDestUnreachs)
	udp_sink $NS_B 6000 2
	sleep 0.3
	nsx $NS_A "$PY" -c '
import os, socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"transit-%05d" % i + bytes(200), (sys.argv[1], 6000))
    time.sleep(0.005)
t = os.times()
print(int((t.user + t.system) * 1000), file=sys.stderr)
' 2001:db8:4::b $N 2>"$TMP/cpu"
	wait $!
	in1=$(counter Ip6InReceives)
	un1=$(counter Icmp6OutDestUnreachs)
	echo "$((in1 - in0)) $((un1 - un0)) $(cat "$TMP/cpu")"
}

start() { chain_srchaind --io afpacket; }

echo "afpacket_transit: srchaind $SRCHAIND (AF_PACKET) and the node kernel's transit copies"
chain_up || lab_done
cat >"$TMP/node.conf" <<EOF
sid $SID1 End
EOF

# 1. without srchaind the node's kernel takes every transit packet in and
# answers with destination unreachable: what the test must see vanish
read -r in un cpu_before < <(blast)
check "no srchaind: the kernel's IPv6 stack took in $in of $N transit packets (>= $N)" \
	test "$in" -ge $N
check "no srchaind: the kernel sent $un destination unreachable (> 0)" test "$un" -gt 0

# 2. srchaind running: forwarding works, the kernel sees no transit packet
check "srchaind started" start
check "srchaind installed the drop (no warning)" \
	bash -c "! grep -q 'transit drop not installed' '$TMP/srchaind.err'"
read -r in un cpu_after < <(blast)
got=$(cat "$TMP/sink.6000")
check "UDP A -> B through srchaind: $N sent, $got received" test "$got" = $N
check "srchaind running: the kernel took in $in transit packets (< $((N / 10)))" \
	test "$in" -lt $((N / 10))
check "srchaind running: $un destination unreachable sent (0)" test "$un" = 0
check "ping A -> B through srchaind" ping6 $NS_A 2001:db8:4::b 3
# traffic to the node's own address (and the ND before it) reaches the kernel
nsx $NS_N ip -6 neigh flush dev n1
check "ping A -> the node's own address 2001:db8:2::2 (kernel answers)" \
	ping6 $NS_A 2001:db8:2::2 3

# 3. SIGTERM: srchaind removes the drop
kill -TERM $DPID
wait $DPID
rc=$?
DPID=
check "srchaind exits 0 on SIGTERM" test "$rc" = 0
read -r in un _ < <(blast)
check "after exit: the kernel takes transit packets in again ($in >= $N)" test "$in" -ge $N

# 4. SIGKILL: the kernel removes the table with srchaind's socket
check "srchaind started again" start
read -r in _ _ < <(blast)
check "running again: the kernel took in $in transit packets (< $((N / 10)))" \
	test "$in" -lt $((N / 10))
kill -KILL $DPID
wait $DPID 2>/dev/null
DPID=
sleep 0.2
read -r in _ _ < <(blast)
check "after SIGKILL: the drop went with the process ($in >= $N)" test "$in" -ge $N

echo "afpacket_transit: sender CPU for $N datagrams: ${cpu_before:-?} ms with the kernel" \
	"answering each, ${cpu_after:-?} ms with the drop (reported, not asserted)"
if [ "$fail" != 0 ]; then
	echo "--- srchaind stderr"
	cat "$TMP/srchaind.err"
fi
lab_done

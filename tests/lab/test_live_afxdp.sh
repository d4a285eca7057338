#!/usr/bin/env bash
# srchaind --live --io afxdp in the SRv6 chain of test_live_srv6.sh:
#
#   A --- IN (seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: End + firewall on SID1)
#                                                   --- EG (seg6local End.DX6 on SID2) --- B
#
# The XDP program redirects SRv6 and transit traffic to srchaind's AF_XDP
# sockets and passes the rest to the node's kernel. Checks: ping and UDP
# A -> B through srchaind, the firewall's deny rule, ND and ARP answered and
# learned by the node's kernel (its neighbour table gets the entries back
# after a flush), ICMP and TCP to the node's own addresses reach its kernel,
# srchaind's counters (SID, rule, port rx/tx, not_ours = passed by XDP),
# generic mode too, and no XDP program left on the interfaces at exit.
# Needs root, a kernel with seg6/seg6local, XDP on veths and AF_XDP sockets
# (probed with a program of the test's own, before srchaind runs), clang,
# bpftool, jq, ping and Debian's /usr/bin/python3; skipped (77) without them.
# srchaind failing to start with --io afxdp is a failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init live_afxdp "srx$$"
lab_need /usr/bin/python3 ping bpftool jq
lab_need_seg6
lab_need_afxdp
lab_bin "$SRCHAIND" "$SRLAB"
. tests/lab/lib_srv6_chain.sh

# tcp_echo NS_SERVER ADDR NS_CLIENT: one TCP exchange with a server in NS_SERVER
tcp_echo() {
	nsx "$1" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 2222))
s.listen(1)
s.settimeout(5)
c, _ = s.accept()
c.sendall(c.recv(100).upper())
c.close()
' "$2" &
	local srv=$!
	sleep 0.3
	local got
	got=$(nsx "$3" "$PY" -c '
import socket, sys
c = socket.create_connection((sys.argv[1], 2222), timeout=3)
c.sendall(b"hello srchain")
print(c.recv(100).decode())
' "$2" 2>/dev/null)
	wait $srv
	[ "$got" = "HELLO SRCHAIN" ]
}
# neigh_ok NS ADDR DEV: the kernel has a usable entry for ADDR
neigh_ok() {
	nsx "$1" ip neigh show "$2" dev "$3" | grep -Eq 'REACHABLE|STALE|DELAY|PROBE'
}
start() { # start IO: srchaind in NODE with --io IO (none if ""); 0 once it serves
	chain_srchaind ${1:+--io "$1"} --ctl none
}
# value NAME: the exit block's counter or object (second-last field)
obj() { awk -v s="$1" 'index($0, s) { v = $(NF - 1) } END { print v + 0 }' "$TMP/srchaind.out"; }
ctr() { awk -v s="$1" '$1 == s { v = $2 } END { print v + 0 }' "$TMP/srchaind.out"; }
port() { # port IF FIELD: the exit block's port counter, columns named by its header
	awk -v p="$1" -v f="$2" '
		/^ports \(/ { gsub(/[():]/, ""); c = 0; for (i = 2; i <= NF; i++) if ($i == f) c = i }
		c && $1 == p { v = $c } END { print v + 0 }' "$TMP/srchaind.out"
}
xdp_attached() { nsx $NS_N ip link show "$1" | grep -q 'prog/xdp'; }
xdp_on_both() { xdp_attached n1 && xdp_attached n2; }
xdp_on_none() { ! xdp_attached n1 && ! xdp_attached n2; }

echo "live_afxdp: srchaind $SRCHAIND --io afxdp between Linux seg6 H.Encaps and End.DX6"
chain_up || lab_done
# IPv4 on the IN-NODE link, for ARP and IPv4 to the node itself
nsx $NS_IN ip addr add 192.0.2.1/24 dev r2
nsx $NS_N ip addr add 192.0.2.2/24 dev n1

# 1. start with --io afxdp (the program attaches, native or generic)
if ! start afxdp; then
	bad "srchaind --io afxdp starts: $(tail -n 1 "$TMP/srchaind.err")"
	chain_done
fi
mode=$(sed -n 's/^srchaind: AF_XDP: XDP program attached: //p' "$TMP/srchaind.err")
echo "  AF_XDP on veth: $mode"
check "srchaind serves over afxdp" grep -q "over afxdp" "$TMP/srchaind.err"
check "XDP program attached to n1 and n2" xdp_on_both

# 2. SRv6 through srchaind: ping, UDP, firewall
check "ping -6 A -> B through srchaind End" ping6 $NS_A 2001:db8:4::b 5
got=$(udp_through 5000 20)
check "UDP/5000 A -> B: 20 sent, $got received" test "$got" = 20
got=$(udp_through 9 10)
check "UDP/9 A -> B denied by the firewall: $got received" test "$got" = 0

# 3. ND: forget the neighbours on both sides of NODE; the node's kernel
# answers and resolves through the XDP program's pass path, and srchaind
# forwards again once the kernel has the entries
nsx $NS_N ip -6 neigh flush dev n1
nsx $NS_N ip -6 neigh flush dev n2
nsx $NS_IN ip -6 neigh flush dev r2
nsx $NS_EG ip -6 neigh flush dev e1
check "node's kernel resolves 2001:db8:3::3 by ND (ping from NODE)" ping6 $NS_N 2001:db8:3::3 1
check "node's kernel resolves 2001:db8:2::1 by ND (ping from NODE)" ping6 $NS_N 2001:db8:2::1 1
check "node's neighbour table: 2001:db8:3::3 on n2" neigh_ok $NS_N 2001:db8:3::3 n2
check "node's neighbour table: 2001:db8:2::1 on n1" neigh_ok $NS_N 2001:db8:2::1 n1
sleep 0.3 # srchaind rebuilds its tables from the neighbour events
check "ping -6 A -> B through srchaind after the flush" ping6 $NS_A 2001:db8:4::b 3
check "IN learned NODE's 2001:db8:2::2 (NODE's kernel answered ND)" \
	neigh_ok $NS_IN 2001:db8:2::2 r2

# 4. ARP and IPv4 to the node itself; TCP to the node's own address
nsx $NS_N ip -4 neigh flush dev n1
ping4() { nsx "$1" ping -c "$3" -i 0.2 -W 2 "$2" >/dev/null; }
check "ping IN -> NODE 192.0.2.2 (ARP + ICMP to the host)" ping4 $NS_IN 192.0.2.2 2
check "node's neighbour table: 192.0.2.1 on n1 (ARP)" neigh_ok $NS_N 192.0.2.1 n1
check "TCP IN -> NODE [2001:db8:2::2]:2222 reaches the node's kernel" \
	tcp_echo $NS_N 2001:db8:2::2 $NS_IN

# 5. the maps follow the tables: an address added while running is the
# kernel's at once (else XDP would redirect it as transit and srchaind
# could only drop it), a SID added by SIGHUP is in the program's SID map
nsx $NS_N ip addr add 2001:db8:2::22/64 dev n1 nodad
sleep 0.5
check "TCP IN -> NODE [2001:db8:2::22]:2222 (address added while running)" \
	tcp_echo $NS_N 2001:db8:2::22 $NS_IN
sid_map_has() { # PREFIX-BYTES-REGEX: the sids map of n1's program holds a key matching it
	local prog map
	prog=$(nsx $NS_N ip -j link show n1 | jq -r '.[0].xdp.prog.id // empty')
	for map in $(bpftool -j prog show id "$prog" | jq -r '.map_ids[]'); do
		[ "$(bpftool -j map show id "$map" | jq -r .name)" = sids ] || continue
		bpftool -j map dump id "$map" | jq -r '.[].key | map(.[2:]) | join("")' |
			grep -Eq "$1"
		return
	done
	return 1
}
cp "$TMP/node.conf" "$TMP/node.conf.good"
echo "sid 2001:db8:f1::100/120 End" >>"$TMP/node.conf"
kill -HUP $DPID
sleep 0.5
check "SIGHUP: 2001:db8:f1::100/120 is in the XDP SID map" sid_map_has '^78000000' # prefix length 120, little-endian
cp "$TMP/node.conf.good" "$TMP/node.conf"
kill -HUP $DPID
sleep 0.5
check "SIGHUP: and out again after its removal" eval '! sid_map_has "^78000000"'
check "SIGHUP: $SID1/128 stayed" sid_map_has '^80000000'
cp "$TMP/node.conf.good" "$TMP/node.conf"

# 6. exit: counters, and the program goes with the daemon
chain_stop
rc=$?
check "srchaind exits 0 on SIGTERM (exit $rc)" test "$rc" = 0
check "XDP program detached at exit" xdp_on_none
sid_hits=$(obj "sid $SID1/128 End")
deny_hits=$(obj "function fw rule deny")
vnf_drop=$(ctr vnf_drop)
n1_rx=$(port n1 rx_packets) n2_tx=$(port n2 tx_packets)
n1_pass=$(port n1 rx_not_ours) n2_pass=$(port n2 rx_not_ours)
drops=$(($(port n1 rx_kernel_drops) + $(port n2 rx_kernel_drops)))
csum_fixed=$(($(port n1 rx_csum_fixed) + $(port n2 rx_csum_fixed)))
check "SID $SID1 counted $sid_hits packets (>= 38)" test "$sid_hits" -ge 38
check "firewall deny rule counted $deny_hits packets (10)" test "$deny_hits" = 10
check "vnf_drop counter is $vnf_drop (10)" test "$vnf_drop" = 10
check "AF_XDP port n1 received $n1_rx, n2 sent $n2_tx (>= 28 each)" \
	test "$n1_rx" -ge 28 -a "$n2_tx" -ge 28
check "XDP passed $n1_pass frames on n1, $n2_pass on n2 to the kernel (ND, ARP, ...)" \
	test "$n1_pass" -gt 0 -a "$n2_pass" -gt 0
check "no AF_XDP rx drops in the kernel ($drops)" test "$drops" = 0
# A's UDP leaves its veth with a partial checksum (tx offload); B would
# drop the 20 datagrams if srchaind had not completed them
check "partial UDP checksums completed: csum_fixed $csum_fixed (>= 20)" test "$csum_fixed" -ge 20

# 7. generic (skb) mode works too
if start afxdp-generic; then
	gmode=$(sed -n 's/^srchaind: AF_XDP: XDP program attached: //p' "$TMP/srchaind.err")
	check "generic mode attached ($gmode)" test "$gmode" = "n1 generic, n2 generic"
	check "ping -6 A -> B through srchaind in generic mode" ping6 $NS_A 2001:db8:4::b 3
	got=$(udp_through 5001 20)
	check "generic mode: UDP/5001 A -> B: 20 sent, $got received" test "$got" = 20
	chain_stop
	check "generic mode: SID counted $(obj "sid $SID1/128 End") packets (>= 23)" \
		test "$(obj "sid $SID1/128 End")" -ge 23
else
	bad "srchaind --io afxdp-generic starts: $(tail -n 1 "$TMP/srchaind.err")"
fi

# 8. default backend: AF_XDP when it can be set up, else AF_PACKET with the
# reason logged (here: another XDP program, the test's own pass-all, holds n1)
if nsx $NS_N ip link set dev n1 xdpgeneric obj "$TMP/xdp_pass.o" sec xdp; then
	if start afxdp; then
		bad "--io afxdp starts although n1 has another XDP program"
		chain_stop
	else
		ok "--io afxdp refuses: $(tail -n 1 "$TMP/srchaind.err")"
	fi
	if start ""; then
		check "default falls back to AF_PACKET, saying why" \
			grep -q "AF_XDP not available (.*): using AF_PACKET" "$TMP/srchaind.err"
		check "ping -6 A -> B through srchaind over afpacket" ping6 $NS_A 2001:db8:4::b 2
		chain_stop
	else
		bad "srchaind without --io starts: $(tail -n 1 "$TMP/srchaind.err")"
	fi
	nsx $NS_N ip link set dev n1 xdpgeneric off
else
	bad "a second XDP program attaches to n1 with ip (the probe could)"
fi

chain_done

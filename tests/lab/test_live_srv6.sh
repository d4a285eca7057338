#!/usr/bin/env bash
# srchaind --live (AF_PACKET backend; test_live_afxdp.sh covers AF_XDP) between two
# Linux SRv6 routers (lib_srv6_chain.sh, built by srlab):
#
#   A --- IN (seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: End + firewall on SID1)
#                                                   --- EG (seg6local End.DX6 on SID2) --- B
#
# Ping and UDP from A reach B through srchaind; the firewall denies UDP/9;
# srchaind's exit counters show the SID and firewall rule hits. Replies take
# plain IPv6 back through srchaind's FIB (routes read from the kernel).
# Needs root, iproute2 and a kernel with seg6/seg6local, and Debian's
# /usr/bin/python3 (sockets only); skipped (77) without them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lab_init live_srv6 "srl$$"
lab_need /usr/bin/python3
lab_need_seg6
lab_bin "$SRCHAIND" "$SRLAB"
. tests/lab/lib_srv6_chain.sh

echo "live_srv6: srchaind $SRCHAIND between Linux seg6 H.Encaps and End.DX6"
chain_up || lab_done

# 1. refuses to start while the kernel forwards
nsx $NS_N sysctl -qw net.ipv6.conf.all.forwarding=1
nsx $NS_N timeout 5 "$SRCHAIND" -c "$TMP/node.conf" --live --dev n1,n2 >"$TMP/refuse.out" 2>&1
rc=$?
nsx $NS_N sysctl -qw net.ipv6.conf.all.forwarding=0
check "refuses to start with kernel IPv6 forwarding on (exit $rc)" \
	grep -q "net.ipv6.conf.all.forwarding = 1" "$TMP/refuse.out"

# 2. start
check "srchaind started (pidfile holds its pid)" \
	chain_srchaind --io afpacket --workers 2 --stats-interval 2
[ -n "$DPID" ] || chain_done

# 3. ping A -> B (SRv6 through srchaind), replies by plain IPv6 via srchaind
check "ping -6 A -> B through srchaind End" ping6 $NS_A 2001:db8:4::b 5

# 4. UDP to an allowed port arrives
got=$(udp_through 5000 20)
check "UDP/5000 A -> B: 20 sent, $got received" test "$got" = 20

# 5. UDP to port 9 is denied by the firewall
got=$(udp_through 9 10)
check "UDP/9 A -> B denied by the firewall: $got received" test "$got" = 0

# 6. SIGHUP with a broken file keeps the running tables
cp "$TMP/node.conf" "$TMP/node.conf.good"
echo "sid nonsense End" >>"$TMP/node.conf"
kill -HUP $DPID
sleep 0.5
check "reload of a bad file is refused, daemon keeps running" \
	bash -c "kill -0 $DPID && grep -q 'keeping the previous tables' '$TMP/srchaind.err'"
check "ping still works after the refused reload" ping6 $NS_A 2001:db8:4::b 2
cp "$TMP/node.conf.good" "$TMP/node.conf"
kill -HUP $DPID
sleep 0.3

# 7. clean exit with counters
chain_stop
rc=$?
check "srchaind exits 0 on SIGTERM (exit $rc)" test "$rc" = 0
check "pidfile removed at exit" test ! -e "$TMP/srchaind.pid"
# the last block on stdout is the exit one (earlier: --stats-interval)
check "periodic statistics printed" grep -q "^statistics (" "$TMP/srchaind.out"
sid_hits=$(awk -v s="sid $SID1/128 End" 'index($0, s) { v = $(NF - 1) } END { print v }' \
	"$TMP/srchaind.out")
deny_hits=$(awk '/function fw rule deny/ { v = $(NF - 1) } END { print v }' "$TMP/srchaind.out")
vnf_drop=$(awk '$1 == "vnf_drop" { v = $2 } END { print v }' "$TMP/srchaind.out")
check "SID $SID1 counted ${sid_hits:-0} packets (>= 37)" test "${sid_hits:-0}" -ge 37
check "firewall deny rule counted ${deny_hits:-0} packets (10)" test "${deny_hits:-0}" = 10
check "vnf_drop counter is ${vnf_drop:-0} (10)" test "${vnf_drop:-0}" = 10

chain_done

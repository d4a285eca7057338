# The SRv6 chain topology shared by test_live_srv6.sh and tools/demo.sh:
#
#   A --- IN (Linux seg6 H.Encaps: segs SID1,SID2) --- NODE (srchaind: SID1)
#                                  --- EG (Linux seg6local End.DX6 on SID2) --- B
#
# The caller sets P (namespace prefix), NS_A NS_IN NS_N NS_EG NS_B, SID1,
# SID2 and PY (Debian's /usr/bin/python3), and removes the namespaces.

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Test bookkeeping: the caller sets pass=0 fail=0.
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
bad() { echo "  FAIL $1"; fail=$((fail + 1)); }
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
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

setup() {
	for ns in $NS_A $NS_IN $NS_N $NS_EG $NS_B; do
		ip netns add "$ns" || return 1
		nsx "$ns" ip link set lo up
	done
	ip link add a0 netns $NS_A type veth peer name r1 netns $NS_IN &&
	ip link add r2 netns $NS_IN type veth peer name n1 netns $NS_N &&
	ip link add n2 netns $NS_N type veth peer name e1 netns $NS_EG &&
	ip link add e2 netns $NS_EG type veth peer name b0 netns $NS_B || return 1

	nsx $NS_A ip addr add 2001:db8:1::a/64 dev a0 nodad
	nsx $NS_IN ip addr add 2001:db8:1::1/64 dev r1 nodad
	nsx $NS_IN ip addr add 2001:db8:2::1/64 dev r2 nodad
	nsx $NS_N ip addr add 2001:db8:2::2/64 dev n1 nodad
	nsx $NS_N ip addr add 2001:db8:3::2/64 dev n2 nodad
	nsx $NS_EG ip addr add 2001:db8:3::3/64 dev e1 nodad
	nsx $NS_EG ip addr add 2001:db8:4::1/64 dev e2 nodad
	nsx $NS_B ip addr add 2001:db8:4::b/64 dev b0 nodad
	nsx $NS_A ip link set a0 up
	nsx $NS_IN ip link set r1 up
	nsx $NS_IN ip link set r2 up
	nsx $NS_N ip link set n1 up
	nsx $NS_N ip link set n2 up
	nsx $NS_EG ip link set e1 up
	nsx $NS_EG ip link set e2 up
	nsx $NS_B ip link set b0 up

	nsx $NS_A ip -6 route add default via 2001:db8:1::1
	nsx $NS_B ip -6 route add default via 2001:db8:4::1

	# ingress: Linux H.Encaps towards B's prefix
	nsx $NS_IN sysctl -qw net.ipv6.conf.all.forwarding=1
	nsx $NS_IN ip -6 route add 2001:db8:f1::/48 via 2001:db8:2::2 dev r2
	nsx $NS_IN ip -6 route add 2001:db8:3::/64 via 2001:db8:2::2 dev r2
	nsx $NS_IN ip -6 route add 2001:db8:4::/64 encap seg6 mode encap \
		segs $SID1,$SID2 dev r2 || return 1

	# node: the kernel only holds routes and neighbours; srchaind forwards
	nsx $NS_N sysctl -qw net.ipv6.conf.all.forwarding=0
	nsx $NS_N ip -6 route add 2001:db8:f3::/48 via 2001:db8:3::3 dev n2
	nsx $NS_N ip -6 route add 2001:db8:4::/64 via 2001:db8:3::3 dev n2
	nsx $NS_N ip -6 route add 2001:db8:1::/64 via 2001:db8:2::1 dev n1

	# egress: Linux End.DX6 on SID2, plain routing back to A via the node
	nsx $NS_EG sysctl -qw net.ipv6.conf.all.forwarding=1
	nsx $NS_EG sysctl -qw net.ipv6.conf.all.seg6_enabled=1
	nsx $NS_EG sysctl -qw net.ipv6.conf.e1.seg6_enabled=1
	nsx $NS_EG ip -6 route add $SID2/128 encap seg6local action End.DX6 \
		nh6 2001:db8:4::b dev e2 || return 1
	nsx $NS_EG ip -6 route add 2001:db8:1::/64 via 2001:db8:3::2 dev e1
	nsx $NS_EG ip -6 route add 2001:db8:2::/64 via 2001:db8:3::2 dev e1

	# link-local addresses still doing DAD delay the first neighbour
	# discoveries by a second or more: wait for them
	for _ in $(seq 50); do
		local busy=0
		for ns in $NS_A $NS_IN $NS_N $NS_EG $NS_B; do
			[ -n "$(nsx "$ns" ip -6 addr show tentative)" ] && busy=1
		done
		[ $busy = 0 ] && break
		sleep 0.1
	done

	# the kernel resolves next hops for srchaind: have it resolve both
	ping6 $NS_N 2001:db8:2::1 1 && ping6 $NS_N 2001:db8:3::3 1
}


# Shared by the control socket tests (test_ctl.sh, test_ctl_idle.sh): the
# SRv6 chain of lib_srv6_chain.sh with srchaind --live on NODE serving a
# control socket of its own. The caller sets NAME (for messages) and P (the
# namespace prefix), sources this file from the top of the tree, writes
# $TMP/node.conf and calls setup, then start_srchaind. Skips (exit 0, as
# tests/lab/run.sh expects) without root or a needed tool.

BUILD_DIR=${BUILD_DIR:-build}
SRCHAIND=${SRCHAIND:-$BUILD_DIR/srchaind}
SRCHAINCTL=${SRCHAINCTL:-$BUILD_DIR/srchainctl}
PY=/usr/bin/python3
if [ "$(id -u)" != 0 ]; then
	echo "$NAME: skipped (needs root for network namespaces)"
	exit 0
fi
for tool in ip jq "$PY" "$SRCHAIND" "$SRCHAINCTL"; do
	if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "$tool" ]; then
		echo "$NAME: skipped ($tool not found)"
		exit 0
	fi
done

NS_A=$P-a NS_IN=$P-in NS_N=$P-node NS_EG=$P-eg NS_B=$P-b
TMP=$(mktemp -d /tmp/$P-XXXXXX)
SOCK=$TMP/ctl.sock
SID1=2001:db8:f1::1
SID2=2001:db8:f3::6
DPID=
HOLD= # a helper process holding connections, if any
pass=0 fail=0

cleanup() {
	for pid in $HOLD $DPID; do
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		fi
	done
	for ns in $NS_A $NS_IN $NS_N $NS_EG $NS_B; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# nsx, ping6, check/ok/bad, udp_sink/udp_send, setup (the five namespaces)
. tests/lab/lib_srv6_chain.sh

ctl() { "$SRCHAINCTL" -s "$SOCK" "$@"; }

# start_srchaind ARGS...: srchaind --live on NODE's n1,n2 with the control
# socket $SOCK (stdout, stderr in $TMP/srchaind.out, .err); checks that it
# wrote its pidfile
start_srchaind() {
	ip netns exec $NS_N "$SRCHAIND" -c "$TMP/node.conf" --live --dev n1,n2 --ctl "$SOCK" \
		--pidfile "$TMP/srchaind.pid" "$@" >"$TMP/srchaind.out" 2>"$TMP/srchaind.err" &
	DPID=$!
	for _ in $(seq 50); do
		[ -s "$TMP/srchaind.pid" ] && break
		kill -0 $DPID 2>/dev/null || break
		sleep 0.1
	done
	check "srchaind started" test "$(cat "$TMP/srchaind.pid" 2>/dev/null)" = "$DPID"
}

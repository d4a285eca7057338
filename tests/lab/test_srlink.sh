#!/usr/bin/env bash
# Namespace test of srlink through srlab: one lab, three host pairs, each
# joined by an emulated link (a hidden namespace running srlink):
#   a1 -- 20 ms delay -- b1    ping RTT >= 40 ms
#   a2 -- 10 % loss  -- b2     UDP loss of 2000 packets within 5-15 %
#   a3 -- 10 Mbit/s  -- b3     offered 20 Mbit/s, received 8-12 Mbit/s
# then `srlab down` must leave no namespace, srlink process or state.
#
#   tests/lab/test_srlink.sh [BUILD_DIR]
#
# Programs from BUILD_DIR (default build/): srlab, srlink, srtraffic. Needs
# root, ip, ping and jq; prints "skipped" and exits 0 without them. Names:
# namespaces slk<pid>-lnk-*, state under a temporary directory; cleanup by
# name and by PID, even on failure.
set -u

BUILD_DIR=${1:-}
if [ -n "$BUILD_DIR" ] && [ -d "$BUILD_DIR" ]; then
	BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
fi
cd "$(dirname "$0")/../.." || exit 1
BUILD_DIR=${BUILD_DIR:-$PWD/build}
NAME=srlink
PREFIX=slk$$
LAB=lnk
PASSED=0
FAILED=0
WORK=
PIDS=

skip() {
	echo "$NAME: skipped ($*)"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
for t in ip ping jq; do
	command -v "$t" >/dev/null || skip "$t not found"
done
for p in srlab srlink srtraffic; do
	[ -x "$BUILD_DIR/$p" ] || skip "$BUILD_DIR/$p not built"
done
SRLAB=$BUILD_DIR/srlab
SRT=$BUILD_DIR/srtraffic

WORK=$(mktemp -d /tmp/srlink-test-$$.XXXXXX) || exit 1
export SRLAB_STATE=$WORK/state
export SRLAB_SRLINK=$BUILD_DIR/srlink

# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
	local p ns
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	"$SRLAB" down --lab "$LAB" --prefix "$PREFIX" >/dev/null 2>&1
	# whatever srlab could not remove: only our own names
	for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-$LAB-"); do
		ip netns del "$ns"
	done
	if [ "$FAILED" != 0 ]; then
		echo "$NAME: files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'FAILED=$((FAILED + 1)); exit 130' INT TERM

ok() {
	PASSED=$((PASSED + 1))
	echo "  ok   $*"
}
nok() {
	FAILED=$((FAILED + 1))
	echo "  FAIL $*"
}
# check CONDITION-AS-AWK-EXPRESSION DESCRIPTION
check() {
	if awk "BEGIN { exit !($1) }"; then ok "$2"; else nok "$2 ($1)"; fi
}

in_ns() {
	local node=$1
	shift
	ip netns exec "$PREFIX-$LAB-$node" "$@"
}

cat >"$WORK/topo.json" <<'JSON'
{
  "lab": "lnk",
  "comment": "test_srlink.sh: three host pairs over emulated links",
  "nodes": [
    { "name": "a1", "role": "host" }, { "name": "b1", "role": "host" },
    { "name": "a2", "role": "host" }, { "name": "b2", "role": "host" },
    { "name": "a3", "role": "host" }, { "name": "b3", "role": "host" }
  ],
  "links": [
    { "a": "a1", "a_addr": ["198.51.100.1/30", "2001:db8:5:1::1/64"],
      "b": "b1", "b_addr": ["198.51.100.2/30", "2001:db8:5:1::2/64"],
      "delay_ms": 20 },
    { "a": "a2", "a_addr": ["198.51.100.5/30"],
      "b": "b2", "b_addr": ["198.51.100.6/30"],
      "loss_pct": 10 },
    { "a": "a3", "a_addr": ["198.51.100.9/30"],
      "b": "b3", "b_addr": ["198.51.100.10/30"],
      "rate_mbit": 10, "queue_pkts": 50 }
  ]
}
JSON

echo "$NAME: lab $PREFIX-$LAB"

# --- topology checks ------------------------------------------------------------
cp "$WORK/topo.json" "$WORK/bad.json"
sed -i 's/"loss_pct": 10/"loss_pct": 120/' "$WORK/bad.json"
if out=$("$SRLAB" check "$WORK/bad.json" 2>&1); then
	nok "loss_pct 120 refused"
else
	case $out in
	*bad.json:*:*"links[1].loss_pct"*) ok "loss_pct 120 refused: ${out#srlab: }" ;;
	*) nok "loss_pct 120: unexpected message: $out" ;;
	esac
fi

# --- up ---------------------------------------------------------------------------
if ! "$SRLAB" up "$WORK/topo.json" --prefix "$PREFIX" >"$WORK/up.log" 2>&1; then
	nok "srlab up: $(cat "$WORK/up.log")"
	echo "$NAME: $PASSED passed, $FAILED failed"
	exit 1
fi
ok "srlab up with three emulated links"
SRLINK_PIDS=$(awk '$1 == "pid" && $4 == "srlink" {print $2}' "$SRLAB_STATE/$PREFIX-$LAB/state")
n=$(echo "$SRLINK_PIDS" | wc -w)
check "$n == 3" "three srlink processes recorded ($n)"

# --- delay ------------------------------------------------------------------------
for fam in 4 6; do
	dst=198.51.100.2
	[ $fam = 6 ] && dst=2001:db8:5:1::2
	min=$(in_ns a1 ping -$fam -c 5 -i 0.2 -W 2 "$dst" 2>/dev/null |
		awk -F'[/ =]+' '/^rtt/ {print $6}')
	check "\"$min\" != \"\" && $min >= 40 && $min < 60" "ping -$fam over 20 ms delay: min RTT ${min:-none} ms (>= 40)"
done

# --- loss -------------------------------------------------------------------------
in_ns b2 "$SRT" recv --udp 9000 --idle 2 --duration 30 --json "$WORK/loss-recv.json" \
	--ready-file "$WORK/loss.ready" 2>"$WORK/loss-recv.err" &
PIDS="$PIDS $!"
SINK=$!
for _ in $(seq 100); do [ -s "$WORK/loss.ready" ] && break; sleep 0.05; done
in_ns a2 timeout 30 "$SRT" send --dst 198.51.100.6 --count 2000 --rate 2000 \
	--json "$WORK/loss-send.json" 2>"$WORK/loss-send.err"
wait $SINK
sent=$(jq '.flows["1/udp/9000"].sent // .sent // 0' "$WORK/loss-send.json" 2>/dev/null)
uniq=$(jq '.flows["1/udp/9000"].unique // 0' "$WORK/loss-recv.json" 2>/dev/null)
sent=${sent:-0}
uniq=${uniq:-0}
loss=$(awk "BEGIN { if ($sent > 0) printf \"%.2f\", 100 * ($sent - $uniq) / $sent; else print -1 }")
check "$sent == 2000 && $loss >= 5 && $loss <= 15" "UDP over 10 % loss: sent $sent, received $uniq, loss $loss % (5-15)"

# --- rate -------------------------------------------------------------------------
# 1400-byte payloads: 1442-byte frames (14 Ethernet + 20 IPv4 + 8 UDP); 20
# Mbit/s offered is 1734 frames/s. The throughput is what the sink saw between
# its first and last arrival.
FRAME=1442
in_ns b3 "$SRT" recv --udp 9000 --idle 2 --duration 30 --json "$WORK/rate-recv.json" \
	--ready-file "$WORK/rate.ready" 2>"$WORK/rate-recv.err" &
PIDS="$PIDS $!"
SINK=$!
for _ in $(seq 100); do [ -s "$WORK/rate.ready" ] && break; sleep 0.05; done
in_ns a3 timeout 30 "$SRT" send --dst 198.51.100.10 --size 1400 --rate 1734 --duration 3 \
	--json "$WORK/rate-send.json" 2>"$WORK/rate-send.err"
wait $SINK
read -r rcv span < <(jq -r '.flows["1/udp/9000"] | "\(.received) \(.last_s - .first_s)"' \
	"$WORK/rate-recv.json" 2>/dev/null)
mbit=$(awk "BEGIN { if (${span:-0} > 0) printf \"%.2f\", ${rcv:-0} * $FRAME * 8 / $span / 1e6; else print 0 }")
check "$mbit >= 8 && $mbit <= 12" "10 Mbit/s link offered 20: received $mbit Mbit/s (8-12)"

# --- down -------------------------------------------------------------------------
if "$SRLAB" down --lab "$LAB" --prefix "$PREFIX" >"$WORK/down.log" 2>&1; then
	ok "srlab down"
else
	nok "srlab down: $(cat "$WORK/down.log")"
fi
left=$(ip netns list | awk '{print $1}' | grep -c "^$PREFIX-$LAB-")
check "$left == 0" "no namespace $PREFIX-$LAB-* left ($left)"
# srlab up exited long ago: its srlink children belong to init (or a
# subreaper), which may reap them a moment after they exit: a zombie is gone
alive=0
for p in $SRLINK_PIDS; do
	st=$(awk '{print $3}' /proc/"$p"/stat 2>/dev/null)
	[ "$(cat /proc/"$p"/comm 2>/dev/null)" = srlink ] && [ -n "$st" ] && [ "$st" != Z ] &&
		alive=$((alive + 1))
done
check "$alive == 0" "no srlink process left ($alive)"
if [ -e "$SRLAB_STATE/$PREFIX-$LAB" ]; then nok "state directory removed"; else ok "state directory removed"; fi

echo "$NAME: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]

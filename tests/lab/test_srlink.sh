#!/usr/bin/env bash
# Namespace test of srlink through srlab: one lab, three host pairs, each
# joined by an emulated link (a hidden namespace running srlink):
#   a1 -- 20 ms delay -- b1    ping RTT >= 40 ms
#   a2 -- 10 % loss  -- b2     UDP loss of 2000 packets within 5-15 %
#   a3 -- 10 Mbit/s  -- b3     offered 20 Mbit/s, received 8-12 Mbit/s
# then `srlab down` must leave no namespace, srlink process or state.
#
# Programs from BUILD_DIR (default build/): srlab, srlink, srtraffic. Needs
# root, ip, ping and jq; skipped (77) without them. Names: namespaces
# slk<pid>-lnk-*, state under a temporary directory; cleanup by name and by
# PID (tests/lab/lib.sh), even on failure.
set -u
. "$(dirname "$0")/lib.sh"
lab_init srlink "slk$$"
lab_need ping jq
lab_bin "$SRLAB" "$SRLINK" "$SRTRAFFIC"
LAB=lnk
export SRLAB_SRLINK=$SRLINK
lab_srlab "$TMP/topo.json"

# check_awk CONDITION-AS-AWK-EXPRESSION DESCRIPTION
check_awk() {
	if awk "BEGIN { exit !($1) }"; then ok "$2"; else bad "$2 ($1)"; fi
}

in_ns() {
	local node=$1
	shift
	ip netns exec "$P-$LAB-$node" "$@"
}

cat >"$TMP/topo.json" <<'JSON'
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

echo "$LAB_NAME: lab $P-$LAB"

# --- topology checks ------------------------------------------------------------
cp "$TMP/topo.json" "$TMP/bad.json"
sed -i 's/"loss_pct": 10/"loss_pct": 120/' "$TMP/bad.json"
if out=$("$SRLAB" check "$TMP/bad.json" 2>&1); then
	bad "loss_pct 120 refused"
else
	case $out in
	*bad.json:*:*"links[1].loss_pct"*) ok "loss_pct 120 refused: ${out#srlab: }" ;;
	*) bad "loss_pct 120: unexpected message: $out" ;;
	esac
fi

# --- up ---------------------------------------------------------------------------
if ! "$SRLAB" up "$TMP/topo.json" --prefix "$P" >"$TMP/up.log" 2>&1; then
	bad "srlab up: $(cat "$TMP/up.log")"
	lab_done
fi
ok "srlab up with three emulated links"
SRLINK_PIDS=$(awk '$1 == "pid" && $4 == "srlink" {print $2}' "$SRLAB_STATE/$P-$LAB/state")
n=$(echo "$SRLINK_PIDS" | wc -w)
check_awk "$n == 3" "three srlink processes recorded ($n)"

# --- delay ------------------------------------------------------------------------
for fam in 4 6; do
	dst=198.51.100.2
	[ $fam = 6 ] && dst=2001:db8:5:1::2
	min=$(in_ns a1 ping -$fam -c 5 -i 0.2 -W 2 "$dst" 2>/dev/null |
		awk -F'[/ =]+' '/^rtt/ {print $6}')
	check_awk "\"$min\" != \"\" && $min >= 40 && $min < 60" "ping -$fam over 20 ms delay: min RTT ${min:-none} ms (>= 40)"
done

# --- loss -------------------------------------------------------------------------
in_ns b2 "$SRTRAFFIC" recv --udp 9000 --idle 2 --duration 30 --json "$TMP/loss-recv.json" \
	--ready-file "$TMP/loss.ready" 2>"$TMP/loss-recv.err" &
SINK=$!
lab_pid $SINK
for _ in $(seq 100); do [ -s "$TMP/loss.ready" ] && break; sleep 0.05; done
in_ns a2 timeout 30 "$SRTRAFFIC" send --dst 198.51.100.6 --count 2000 --rate 2000 \
	--json "$TMP/loss-send.json" 2>"$TMP/loss-send.err"
wait $SINK
sent=$(jq '.flows["1/udp/9000"].sent // .sent // 0' "$TMP/loss-send.json" 2>/dev/null)
uniq=$(jq '.flows["1/udp/9000"].unique // 0' "$TMP/loss-recv.json" 2>/dev/null)
sent=${sent:-0}
uniq=${uniq:-0}
loss=$(awk "BEGIN { if ($sent > 0) printf \"%.2f\", 100 * ($sent - $uniq) / $sent; else print -1 }")
check_awk "$sent == 2000 && $loss >= 5 && $loss <= 15" "UDP over 10 % loss: sent $sent, received $uniq, loss $loss % (5-15)"

# --- rate -------------------------------------------------------------------------
# 1400-byte payloads: 1442-byte frames (14 Ethernet + 20 IPv4 + 8 UDP); 20
# Mbit/s offered is 1734 frames/s. The throughput is what the sink saw between
# its first and last arrival.
FRAME=1442
in_ns b3 "$SRTRAFFIC" recv --udp 9000 --idle 2 --duration 30 --json "$TMP/rate-recv.json" \
	--ready-file "$TMP/rate.ready" 2>"$TMP/rate-recv.err" &
SINK=$!
lab_pid $SINK
for _ in $(seq 100); do [ -s "$TMP/rate.ready" ] && break; sleep 0.05; done
in_ns a3 timeout 30 "$SRTRAFFIC" send --dst 198.51.100.10 --size 1400 --rate 1734 --duration 3 \
	--json "$TMP/rate-send.json" 2>"$TMP/rate-send.err"
wait $SINK
read -r rcv span < <(jq -r '.flows["1/udp/9000"] | "\(.received) \(.last_s - .first_s)"' \
	"$TMP/rate-recv.json" 2>/dev/null)
mbit=$(awk "BEGIN { if (${span:-0} > 0) printf \"%.2f\", ${rcv:-0} * $FRAME * 8 / $span / 1e6; else print 0 }")
check_awk "$mbit >= 8 && $mbit <= 12" "10 Mbit/s link offered 20: received $mbit Mbit/s (8-12)"

# --- down -------------------------------------------------------------------------
if "$SRLAB" down --lab "$LAB" --prefix "$P" >"$TMP/down.log" 2>&1; then
	ok "srlab down"
else
	bad "srlab down: $(cat "$TMP/down.log")"
fi
left=$(ip netns list | awk '{print $1}' | grep -c "^$P-$LAB-")
check_awk "$left == 0" "no namespace $P-$LAB-* left ($left)"
# srlab up exited long ago: its srlink children belong to init (or a
# subreaper), which may reap them a moment after they exit: a zombie is gone
alive=0
for p in $SRLINK_PIDS; do
	st=$(awk '{print $3}' /proc/"$p"/stat 2>/dev/null)
	[ "$(cat /proc/"$p"/comm 2>/dev/null)" = srlink ] && [ -n "$st" ] && [ "$st" != Z ] &&
		alive=$((alive + 1))
done
check_awk "$alive == 0" "no srlink process left ($alive)"
check "state directory removed" test ! -e "$SRLAB_STATE/$P-$LAB"

lab_done

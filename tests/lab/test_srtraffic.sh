#!/usr/bin/env bash
# Namespace test of srtraffic: a client and a server namespace joined by a veth
# pair (2001:db8:ff::/64, 198.51.100.0/24; srlab's examples/srlab/host-pair),
# the server routing 2001:db8:fe::/64 into a blackhole; a sink in the server,
# generators in the client; assertions on both JSON reports with jq.
#
# The binary: $SRTRAFFIC, else BUILD_DIR/srtraffic (default build/). Needs
# root, ip, jq and Debian's /usr/bin/python3; skipped (77) without them.
# Cleans up its namespaces (srt<pid>-pair-c/-s) by name and its processes by PID
# (tests/lab/lib.sh), even on failure.
set -u
. "$(dirname "$0")/lib.sh"
lab_init srtraffic "srt$$"
lab_need jq /usr/bin/python3
lab_bin "$SRTRAFFIC" "$SRLAB"
NS_C=$P-pair-c
NS_S=$P-pair-s

# check_jq FILE JQ-EXPRESSION DESCRIPTION: the expression must yield true.
check_jq() {
	if jq -e "$2" "$1" >/dev/null 2>&1; then
		ok "$3"
	else
		bad "$3"
		echo "       jq '$2' $(basename "$1")"
	fi
}

# expect_rc GOT WANT DESCRIPTION
expect_rc() {
	if [ "$1" = "$2" ]; then
		ok "$3 (exit $1)"
	else
		bad "$3: exit $1, expected $2"
	fi
}

in_c() { ip netns exec "$NS_C" "$@"; }

# The generators run under a hard time limit: a hang is a failure, not a stuck test.
send() { in_c timeout 30 "$SRTRAFFIC" send "$@"; }

# --- topology: srlab builds the pair (examples/srlab/host-pair.topo.json) ----
setup() {
	lab_srlab_up examples/srlab/host-pair.topo.json || return 1
	# Static neighbours: no packet of the test waits for (or is dropped during)
	# address resolution.
	local mac_c mac_s
	mac_c=$(ip -n "$NS_C" -j link show dev veth0 | jq -r '.[0].address')
	mac_s=$(ip -n "$NS_S" -j link show dev veth1 | jq -r '.[0].address')
	ip -n "$NS_C" neigh replace 2001:db8:ff::2 lladdr "$mac_s" dev veth0 nud permanent &&
		ip -n "$NS_C" neigh replace 198.51.100.2 lladdr "$mac_s" dev veth0 nud permanent &&
		ip -n "$NS_S" neigh replace 2001:db8:ff::1 lladdr "$mac_c" dev veth1 nud permanent &&
		ip -n "$NS_S" neigh replace 198.51.100.1 lladdr "$mac_c" dev veth1 nud permanent ||
		return 1
	# The queues are attached when the kernel sees the carrier (up to ~1 s).
	for _ in $(seq 50); do
		if [ "$(ip -n "$NS_C" -j link show dev veth0 | jq -r '.[0].operstate')" = UP ] &&
			[ "$(ip -n "$NS_S" -j link show dev veth1 | jq -r '.[0].operstate')" = UP ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "veth pair did not come up"
	return 1
}

echo "$LAB_NAME: namespaces $NS_C, $NS_S"
if ! setup; then
	bad "could not build the topology"
	lab_done
fi

# --- sink -----------------------------------------------------------------------
# Runs until SIGTERM (the --duration is only a safety net).
# Started with ip netns exec directly (not through a shell function): ip execs
# srtraffic, so $! is the sink's own PID and signals reach it.
ip netns exec "$NS_S" "$SRTRAFFIC" recv --udp 9000,9010 --tcp 9001 --series-ms 100 --duration 60 \
	--ready-file "$TMP/ready" --json "$TMP/recv.json" -v 2>"$TMP/recv.err" &
SINK=$!
lab_pid $SINK
for _ in $(seq 50); do
	[ -s "$TMP/ready" ] && break
	kill -0 "$SINK" 2>/dev/null || break
	sleep 0.1
done
if [ ! -s "$TMP/ready" ]; then
	bad "sink did not become ready"
	cat "$TMP/recv.err"
	lab_done
fi

# --- 1. UDP over IPv6: 2 flows, 1000 pps total, 500 packets each --------------
echo "UDP/IPv6 at 1000 pps, 2 flows x 500"
send --dst 2001:db8:ff::2 --dport 9000 --rate 1000 --count 500 --flows 2 --flow-id 10 \
	--sport 40000 --json "$TMP/send_udp6.json" 2>>"$TMP/send.err"
expect_rc $? 0 "udp6 sender"
S=$TMP/send_udp6.json
check_jq "$S" '.stopped_by == "count" and .totals.sent == 1000 and .totals.errors == 0' \
	"sender sent 1000, no errors, stopped by count"
check_jq "$S" '[.flows[] | .sent == 500 and .fin_sent and .last_seq == 499] | all and length == 2' \
	"each flow sent 500 with FIN"
check_jq "$S" '.flows["10/udp/9000"].sport == 40000 and .flows["11/udp/9000"].sport == 40001' \
	"flow i uses --sport + i"
# 1000 slots at 1000 pps: the last is due 0.999 s after the first, never earlier.
check_jq "$S" '.elapsed_s >= 0.998' "pacing: 1000 packets took at least 0.999 s"

# --- 2. UDP over IPv4: duration mode, to the dual-stack sink's second port ------
echo "UDP/IPv4 at 400 pps for 1 s"
send --dst 198.51.100.2 --dport 9010 --rate 400 --duration 1 --flow-id 20 --size 1200 \
	--json "$TMP/send_udp4.json" 2>>"$TMP/send.err"
expect_rc $? 0 "udp4 sender"
check_jq "$TMP/send_udp4.json" '.stopped_by == "duration" and .flows["20/udp/9010"].sent == 400' \
	"duration 1 s at 400 pps: 400 packets"

# --- 3. TCP over IPv6 -------------------------------------------------------------
echo "TCP/IPv6, 300 records at 500 per second"
send --dst 2001:db8:ff::2 --proto tcp --dport 9001 --rate 500 --count 300 --flow-id 30 \
	--size 512 --json "$TMP/send_tcp.json" 2>>"$TMP/send.err"
expect_rc $? 0 "tcp sender"
T=$TMP/send_tcp.json
check_jq "$T" '.flows["30/tcp/9001"] | .connected and .connect_error == null and .sent == 300' \
	"connected and sent 300 records"
check_jq "$T" '.flows["30/tcp/9001"] | .fin_sent and .drained and .stream_error == null and .ok' \
	"FIN record written, sink read everything and closed"

# --- 4. TCP to a port with nothing listening --------------------------------------
echo "TCP to a closed port"
send --dst 2001:db8:ff::2 --proto tcp --dport 9002 --count 10 --flow-id 40 \
	--json "$TMP/send_refused.json" 2>>"$TMP/send.err"
expect_rc $? 3 "refused sender reports a failed flow"
R=$TMP/send_refused.json
check_jq "$R" '.flows["40/tcp/9002"] | (.connected | not) and .connect_error == "ECONNREFUSED" and .sent == 0' \
	"flow reported not connected: ECONNREFUSED, nothing sent"
check_jq "$R" '.stopped_by == "no_connection" and .totals.flows_failed == 1' "run ends: no connection"

# --- 5. TCP into a silent drop: connect timeout ------------------------------------
echo "TCP into a blackhole, --connect-timeout 1"
send --dst 2001:db8:fe::1 --proto tcp --dport 80 --flows 2 --count 10 --flow-id 50 \
	--connect-timeout 1 --json "$TMP/send_timeout.json" 2>>"$TMP/send.err"
expect_rc $? 3 "blackholed sender reports failed flows (and does not hang)"
check_jq "$TMP/send_timeout.json" \
	'[.flows[] | (.connected | not) and .connect_error == "ETIMEDOUT" and .connect_us >= 900000 and .connect_us < 5000000] | all and length == 2' \
	"both flows: ETIMEDOUT after about 1 s"

# --- 6. UDP until SIGINT: the stop adds a FIN packet --------------------------------
echo "UDP until SIGINT"
ip netns exec "$NS_C" "$SRTRAFFIC" send --dst 2001:db8:ff::2 --dport 9000 --rate 200 --flow-id 60 \
	--json "$TMP/send_sigint.json" 2>>"$TMP/send.err" &
GEN=$!
lab_pid $GEN
sleep 0.5
kill -INT "$GEN"
wait "$GEN"
expect_rc $? 0 "generator stopped by SIGINT"
check_jq "$TMP/send_sigint.json" '.stopped_by == "signal" and .flows["60/udp/9000"].fin_sent and .flows["60/udp/9000"].sent > 50' \
	"stopped by signal, FIN sent"

# --- 7. Crafted packets: loss, duplicates, reordering, tail loss, bad input ------
# Sequence 0 1 3 2 2 6(FIN, total 8) on flow 70: 6 received, 5 unique, 1 duplicate,
# 1 reordered, lost 4 5 7 = 3. Then datagrams that are not srtraffic payloads.
echo "crafted sequence and malformed datagrams"
if ip netns exec "$NS_C" "$PY" - <<'PY'
import socket, struct, time
def hdr(flow, seq, fin=False, total=0, length=64, magic=0x53525446, version=1):
    h = struct.pack("!IBBHIIQQQ", magic, version, 1 if fin else 0, 40, flow, length,
                    seq, time.monotonic_ns(), total if fin else 0)
    return h + bytes(length - 40) if length >= 40 else h
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
dst = ("2001:db8:ff::2", 9010)
for seq in (0, 1, 3, 2, 2):
    s.sendto(hdr(70, seq), dst)
s.sendto(hdr(70, 6, fin=True, total=8), dst)
s.sendto(b"hello", dst)                               # bad_short
s.sendto(hdr(71, 0, magic=0x12345678), dst)           # bad_magic
s.sendto(hdr(71, 0, version=9), dst)                  # bad_version
s.sendto(hdr(71, 0)[:40] + bytes(10), dst)            # bad_size: says 64, is 50
s.sendto(hdr(71, 0, length=30)[:40], dst)             # bad_length: below the header
PY
then
	ok "crafted packets sent"
else
	bad "python3 could not send the crafted packets"
fi

# --- sink report -------------------------------------------------------------------
sleep 0.3
kill -TERM "$SINK"
wait "$SINK"
expect_rc $? 0 "sink stopped by SIGTERM"
V=$TMP/recv.json
echo "sink report"
check_jq "$V" '.stopped_by == "signal" and .series_ms == 100' "sink stopped by signal"
for f in 10 11; do
	check_jq "$V" ".flows[\"$f/udp/9000\"] | .received == 500 and .unique == 500 and .lost == 0 and .duplicates == 0 and .reordered == 0" \
		"udp6 flow $f: 500 received, 0 lost, 0 duplicated, 0 reordered"
	check_jq "$V" ".flows[\"$f/udp/9000\"] | .fin and .fin_total == 500 and .expected == 500 and .highest_seq == 499" \
		"udp6 flow $f: FIN with total 500"
	check_jq "$V" ".flows[\"$f/udp/9000\"] | .src == \"2001:db8:ff::1\" and .sport == $((40000 + f - 10))" \
		"udp6 flow $f: source address and port"
	check_jq "$V" ".flows[\"$f/udp/9000\"].latency_us | .min > 0 and .min <= .median and .median <= .p99 and .p99 <= .max and .max < 1000000" \
		"udp6 flow $f: latency min <= median <= p99 <= max"
	check_jq "$V" ".flows[\"$f/udp/9000\"] | .last_s - .first_s >= 0.95" \
		"udp6 flow $f: arrivals spread over the paced second"
done
check_jq "$V" '.flows["20/udp/9010"] | .received == 400 and .lost == 0 and .fin_total == 400 and .src == "198.51.100.1" and .bytes == 480000' \
	"udp4 flow 20 through the dual-stack socket: 400 received, 0 lost"
check_jq "$V" '.flows["30/tcp/9001"] | .received == 300 and .lost == 0 and .duplicates == 0 and .reordered == 0 and .fin_total == 300 and .bytes == 153600' \
	"tcp flow 30: 300 records, 0 lost"
check_jq "$V" '.counters.tcp_accepted == 1 and .counters.tcp_closed == 1 and .counters.tcp_bad_stream == 0 and .counters.tcp_truncated == 0' \
	"one TCP connection, closed cleanly"
check_jq "$V" '.flows | has("40/tcp/9002") or has("50/tcp/80") | not' "failed TCP flows never reached the sink"
SENT60=$(jq '.flows["60/udp/9000"].sent' "$TMP/send_sigint.json")
check_jq "$V" ".flows[\"60/udp/9000\"] | .fin and .fin_total == $SENT60 and .received == $SENT60 and .lost == 0" \
	"flow 60: the sink saw the FIN total ($SENT60) and every packet"

check_jq "$V" '.flows["70/udp/9010"] | .received == 6 and .unique == 5 and .duplicates == 1 and .reordered == 1 and .reorder_max == 1' \
	"crafted flow 70: 6 received, 5 unique, 1 duplicate, 1 reordered"
check_jq "$V" '.flows["70/udp/9010"] | .lost == 3 and .expected == 8 and .fin and .fin_total == 8 and .highest_seq == 6' \
	"crafted flow 70: FIN total 8 counts the tail: 3 lost"
check_jq "$V" '.counters | .bad_short == 1 and .bad_magic == 1 and .bad_version == 1 and .bad_size == 1 and .bad_length == 1' \
	"malformed datagrams counted by kind"
check_jq "$V" '.flows | has("71/udp/9010") | not' "malformed datagrams create no flow"
check_jq "$V" '.counters | .untracked + .rx_queue_drops == 0' "no untracked or queue-dropped packets"

echo "time series"
check_jq "$V" '.flows["10/udp/9000"].series | length >= 10 and length <= 12' \
	"flow 10: one point per 100 ms over about 1 s"
check_jq "$V" '.flows["10/udp/9000"] | ([.series[].received] | add) == .received' \
	"flow 10: series points add up to received"
check_jq "$V" '[.flows["10/udp/9000"].series[] | .t_ms % 100 == 0] | all' "t_ms on 100 ms boundaries"
check_jq "$V" '[.flows["10/udp/9000"].series[] | select(.received > 0) | .lat_mean_us > 0 and .lat_max_us >= .lat_mean_us] | all' \
	"per-interval mean and max latency"
check_jq "$V" '[.flows["10/udp/9000"].series[1:-1][].received] | (add / length) >= 40 and (add / length) <= 60' \
	"full intervals hold 50 packets on average (500 pps per flow)"

if [ "$fail" != 0 ]; then
	echo "--- sink stderr"
	cat "$TMP/recv.err"
	echo "--- sender stderr"
	cat "$TMP/send.err"
fi
lab_done

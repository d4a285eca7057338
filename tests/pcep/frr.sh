#!/usr/bin/env bash
# Interoperability with a real PCC: FRR pathd (its pceplib) connects to
# pcep-pce (src/pcep as a PCE) inside a network namespace of this test.
# Passes when the session comes up with stateful + SR negotiated, FRR's
# end-of-sync decodes, FRR creates the LSP of our PCInitiate (SR-ERO) and
# reports it with our SRP-ID, then takes our PCUpd and reports that too;
# no PCErr either way.
# Needs root and FRR (zebra, pathd); exit 77 without them. Run under
# flock /tmp/srchain-lab.lock (as make check is).
set -uo pipefail
PCE=${1:?usage: frr.sh path/to/pcep-pce}
FRR_DIR=${FRR_DIR:-/usr/lib/frr}
if [ "$(id -u)" != 0 ]; then
	echo "pcep frr: SKIP (needs root for a network namespace)"
	exit 77
fi
for t in ip "$FRR_DIR/zebra" "$FRR_DIR/pathd"; do
	command -v "$t" >/dev/null 2>&1 || [ -x "$t" ] ||
		{ echo "pcep frr: SKIP ($t not found; apt-get install frr)"; exit 77; }
done

NS="srpcep$$"
TMP=$(mktemp -d /tmp/srpcep-XXXXXX)
chmod 755 "$TMP"
chown frr:frr "$TMP" 2>/dev/null || true
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for _ in $(seq 20); do
		alive=0
		for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" addr add 192.0.2.1/32 dev lo
ip -n "$NS" addr add 192.0.2.2/32 dev lo

cat >"$TMP/frr.conf" <<'EOT'
hostname pcc
log file stdout debugging
!
debug pathd pcep basic
debug pathd pcep path
debug pathd pcep message
!
segment-routing
 traffic-eng
  pcep
   pce PCE1
    address ip 192.0.2.2
    source-address ip 192.0.2.1
    pce-initiated
    timer keep-alive 30 min-peer-keep-alive 1 max-peer-keep-alive 255
   exit
   pcc
    peer PCE1 precedence 10
   exit
  exit
 exit
exit
EOT
chown frr:frr "$TMP/frr.conf" 2>/dev/null || true

start() { # DAEMON ARGS...
	local d=$1
	shift
	ip netns exec "$NS" "$FRR_DIR/$d" -f "$TMP/frr.conf" -i "$TMP/$d.pid" -z "$TMP/zserv.api" \
		--vty_socket "$TMP" -P 0 --log "file:$TMP/$d.log" "$@" >"$TMP/$d.out" 2>&1 &
	PIDS+=($!)
	disown $!
}

# FRR_SEEDS=dir keeps every message pathd sent (fuzz seeds from a real peer)
ip netns exec "$NS" "$PCE" 192.0.2.2 40 ${FRR_SEEDS:+"$FRR_SEEDS"} >"$TMP/pce.log" 2>&1 &
PCE_PID=$!
PIDS+=("$PCE_PID")
start zebra
sleep 0.5
start pathd -M pathd_pcep
wait "$PCE_PID"
rc=$?
sed 's/^/  pce: /' "$TMP/pce.log"
if [ "$rc" -ne 0 ]; then
	echo "pcep frr: FAIL (pathd log follows)"
	tail -40 "$TMP/pathd.log" "$TMP/pathd.out" 2>/dev/null | sed 's/^/  pathd: /'
	exit 1
fi
grep -q "^UP: .*stateful=1 update=1 initiate=1 sr=1" "$TMP/pce.log" ||
	{ echo "pcep frr: FAIL (capabilities not negotiated)"; exit 1; }
echo "pcep frr: FRR $("$FRR_DIR/pathd" -v 2>/dev/null | head -1 | awk '{print $3}') pathd took our PCInitiate and PCUpd"

#!/usr/bin/env bash
# bench/lab.sh: forwarding rate at <1% loss through a 3-router SRv6 chain in
# network namespaces, the Linux kernel's own SRv6 against srchaind --live.
#
#   gen --- R1 (H.Encaps) --- R2 (End) --- R3 (End.DX6) --- sink
#
# Each router is either the kernel (seg6 / seg6local routes, IPv6 forwarding
# on) or srchaind --live (forwarding off); one configuration names the three:
#
#   direct      - - -  gen and sink on one veth: the generator's own ceiling
#   fwd         F F F  plain IPv6 forwarding, no SRv6: the ceiling of this
#                      machine's generator, sink and veths
#   chain       K K K  kernel SRv6 on every router       (the reference)
#               S S S  srchaind on every router
#   h.encaps    S K K  only R1 (H.Encaps) is srchaind
#   end         K S K  only R2 (End) is srchaind
#   end.dx6     K K S  only R3 (End.DX6) is srchaind
#
# The "kernel" row of every SRv6 configuration is the same K K K chain, so it
# is measured once per packet size. For each configuration: one run with the
# generator as fast as it goes (rate 0) gives the ceiling, then a short search
# (the delivered rate, halvings, bisection) finds the highest offered rate with
# less than 1% loss. Loss = sender's "sent" - sink's distinct packets.
#
# Needs root, iproute2 with seg6, ethtool, jq, and the project's binaries
# (BUILD, default build/). Creates only namespaces srbl-<pid>-*, veths inside
# them and documentation prefixes; kills only processes it started.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

usage() {
	cat <<'EOF'
Usage: bench/lab.sh [--sizes 64,512] [--configs direct,fwd,chain,h.encaps,end,end.dx6]
                    [--io afpacket,afxdp] [--duration S] [--steps N] [--loss PCT]
                    [--workers N] [--profile DIR] [--json FILE] [-v]

  --sizes       UDP payload sizes in bytes (default 64,512)
  --configs     configurations to measure (default: all, see the top of this file)
  --io          srchaind I/O backends to measure (default: every one this
                srchaind has that works here: afpacket, afxdp)
  --duration    seconds per trial (default 2)
  --steps       bisection steps after the first bracket (default 5)
  --loss        loss threshold in percent (default 1)
  --workers     srchaind --workers (default 1: one flow, one worker)
  --profile DIR perf record -g each srchaind of the srchaind chain (64 bytes,
                first backend) at its maximum rate; reports in DIR
  --json FILE   also write the results as JSON ("-": stdout, the table then
                goes to stderr)
  -v            every trial on stderr
Environment: BUILD (default build), SRCHAIND, SRTRAFFIC override the binaries.
EOF
}

BUILD=${BUILD:-build}
SRCHAIND=${SRCHAIND:-$BUILD/srchaind}
SRTRAFFIC=${SRTRAFFIC:-$BUILD/srtraffic}
SIZES=64,512
CONFIGS=direct,fwd,chain,h.encaps,end,end.dx6
IOS=
DUR=2
STEPS=5
LOSS=1
WORKERS=1
PROFILE=
JSON=
VERBOSE=0
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) SIZES=$2; shift ;;
	--configs) CONFIGS=$2; shift ;;
	--io) IOS=$2; shift ;;
	--duration) DUR=$2; shift ;;
	--steps) STEPS=$2; shift ;;
	--loss) LOSS=$2; shift ;;
	--workers) WORKERS=$2; shift ;;
	--profile) PROFILE=$2; shift ;;
	--json) JSON=$2; shift ;;
	-v) VERBOSE=1 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "bench/lab.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

if [ "$(id -u)" != 0 ]; then
	echo "bench/lab.sh: needs root (network namespaces)" >&2
	exit 1
fi
for tool in ip ethtool jq "$SRCHAIND" "$SRTRAFFIC"; do
	if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "$tool" ]; then
		echo "bench/lab.sh: $tool not found" >&2
		exit 1
	fi
done
if [ -n "$PROFILE" ] && ! command -v perf >/dev/null 2>&1; then
	echo "bench/lab.sh: --profile needs perf" >&2
	exit 1
fi

# the table goes to stdout, or to stderr when the JSON does
if [ "$JSON" = - ]; then exec 3>&2; else exec 3>&1; fi
log() { [ "$VERBOSE" = 1 ] && echo "$*" >&2; return 0; }
say() { echo "$*" >&3; }

P="srbl-$$"
NS_GEN=$P-gen NS_R1=$P-r1 NS_R2=$P-r2 NS_R3=$P-r3 NS_SINK=$P-sink
ALL_NS="$NS_GEN $NS_R1 $NS_R2 $NS_R3 $NS_SINK"
TMP=$(mktemp -d "/tmp/$P-XXXXXX")
SID_END=2001:db8:f2::e  # R2's End
SID_DX6=2001:db8:f3::d6 # R3's End.DX6
DST=2001:db8:4::b       # the sink
PORT=9000
PIDS=() # every process this script started and has not reaped yet

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

stop_pids() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	PIDS=()
}
teardown() {
	stop_pids
	local ns
	for ns in $ALL_NS; do
		ip netns del "$ns" 2>/dev/null
	done
}
cleanup() {
	teardown
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- topology -------------------------------------------------------------

# veth IFA NSA IFB NSB
veth() { ip link add name "$1" netns "$2" type veth peer name "$3" netns "$4"; }
addr() { nsx "$1" ip addr add "$3" dev "$2" nodad && nsx "$1" ip link set dev "$2" up; }

# kernel router: forwarding on, seg6 processing on its interfaces
kernel_router() {
	nsx "$1" sysctl -qw net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.w0.seg6_enabled=1 \
		net.ipv6.conf.e0.seg6_enabled=1
}

# setup R1 R2 R3 (each K, S or F = kernel SRv6, srchaind, kernel plain forwarding)
# Every router has interfaces w0 (towards gen) and e0 (towards the sink).
setup() {
	local r1=$1 r2=$2 r3=$3 ns
	for ns in $ALL_NS; do
		ip netns add "$ns" || return 1
		nsx "$ns" ip link set lo up
	done
	veth g0 $NS_GEN w0 $NS_R1 && veth e0 $NS_R1 w0 $NS_R2 && veth e0 $NS_R2 w0 $NS_R3 &&
		veth e0 $NS_R3 s0 $NS_SINK || return 1
	addr $NS_GEN g0 2001:db8:1::a/64 && addr $NS_R1 w0 2001:db8:1::1/64 &&
		addr $NS_R1 e0 2001:db8:2::1/64 && addr $NS_R2 w0 2001:db8:2::2/64 &&
		addr $NS_R2 e0 2001:db8:3::2/64 && addr $NS_R3 w0 2001:db8:3::3/64 &&
		addr $NS_R3 e0 2001:db8:4::1/64 && addr $NS_SINK s0 $DST/64 || return 1
	# The same on every end, in both worlds: no TSO/GSO/GRO, no transmit
	# checksum offload (srchaind's AF_PACKET path cannot carry GSO frames).
	local pair
	for pair in $NS_GEN:g0 $NS_R1:w0 $NS_R1:e0 $NS_R2:w0 $NS_R2:e0 $NS_R3:w0 $NS_R3:e0 \
		$NS_SINK:s0; do
		nsx "${pair%%:*}" ethtool -K "${pair#*:}" tso off gso off gro off tx off \
			>/dev/null 2>&1
	done

	nsx $NS_GEN ip -6 route add default via 2001:db8:1::1
	nsx $NS_SINK ip -6 route add default via 2001:db8:4::1

	# R1: H.Encaps of everything towards the sink's prefix, segments End, End.DX6
	nsx $NS_R1 ip -6 route add 2001:db8:f2::/48 via 2001:db8:2::2 dev e0
	nsx $NS_R1 ip -6 route add 2001:db8:f3::/48 via 2001:db8:2::2 dev e0
	nsx $NS_R1 ip -6 route add 2001:db8:3::/64 via 2001:db8:2::2 dev e0
	nsx $NS_R1 ip sr tunsrc set 2001:db8:2::1
	if [ "$r1" = K ]; then
		kernel_router $NS_R1
		nsx $NS_R1 ip -6 route add 2001:db8:4::/64 encap seg6 mode encap \
			segs $SID_END,$SID_DX6 dev e0 || return 1
	else
		nsx $NS_R1 ip -6 route add 2001:db8:4::/64 via 2001:db8:2::2 dev e0
		[ "$r1" = F ] && kernel_router $NS_R1
		cat >"$TMP/r1.conf" <<EOF
interface w0 classify
policy p srv6 segs $SID_END,$SID_DX6 src 2001:db8:2::1
classify dst 2001:db8:4::/64 policy p
EOF
	fi

	# R2: End on SID_END, then routes on towards R3
	nsx $NS_R2 ip -6 route add 2001:db8:f3::/48 via 2001:db8:3::3 dev e0
	nsx $NS_R2 ip -6 route add 2001:db8:4::/64 via 2001:db8:3::3 dev e0
	nsx $NS_R2 ip -6 route add 2001:db8:1::/64 via 2001:db8:2::1 dev w0
	if [ "$r2" = K ]; then
		kernel_router $NS_R2
		nsx $NS_R2 ip -6 route add $SID_END/128 encap seg6local action End dev e0 ||
			return 1
	else
		[ "$r2" = F ] && kernel_router $NS_R2
		echo "sid $SID_END End" >"$TMP/r2.conf"
	fi

	# R3: End.DX6 on SID_DX6 to the sink
	nsx $NS_R3 ip -6 route add 2001:db8:1::/64 via 2001:db8:3::2 dev w0
	nsx $NS_R3 ip -6 route add 2001:db8:2::/64 via 2001:db8:3::2 dev w0
	if [ "$r3" = K ]; then
		kernel_router $NS_R3
		nsx $NS_R3 ip -6 route add $SID_DX6/128 encap seg6local action End.DX6 \
			nh6 $DST dev e0 || return 1
	else
		[ "$r3" = F ] && kernel_router $NS_R3
		echo "sid $SID_DX6 End.DX6 nh6 $DST" >"$TMP/r3.conf"
	fi
	# srchaind routers: the kernel keeps routes and neighbours, forwards nothing
	local n roles=("$r1" "$r2" "$r3")
	for n in 1 2 3; do
		[ "${roles[$((n - 1))]}" = S ] &&
			nsx $P-r$n sysctl -qw net.ipv6.conf.all.forwarding=0 \
				net.ipv4.conf.all.forwarding=0 net.ipv4.conf.w0.forwarding=0 \
				net.ipv4.conf.e0.forwarding=0
	done

	# wait for DAD of the link-local addresses, then resolve every neighbour
	# (srchaind drops towards a neighbour the kernel has not resolved)
	local _ busy
	for _ in $(seq 50); do
		busy=0
		for ns in $ALL_NS; do
			[ -n "$(nsx "$ns" ip -6 addr show tentative)" ] && busy=1
		done
		[ $busy = 0 ] && break
		sleep 0.1
	done
	nsx $NS_GEN ping -6 -c1 -W2 2001:db8:1::1 >/dev/null &&
		nsx $NS_R1 ping -6 -c1 -W2 2001:db8:2::2 >/dev/null &&
		nsx $NS_R2 ping -6 -c1 -W2 2001:db8:2::1 >/dev/null &&
		nsx $NS_R2 ping -6 -c1 -W2 2001:db8:3::3 >/dev/null &&
		nsx $NS_R3 ping -6 -c1 -W2 2001:db8:3::2 >/dev/null &&
		nsx $NS_R3 ping -6 -c1 -W2 $DST >/dev/null &&
		nsx $NS_SINK ping -6 -c1 -W2 2001:db8:4::1 >/dev/null || return 1
}

# start_srchaind N IO: srchaind --live on router N (1-3) with backend IO
start_srchaind() {
	local n=$1 io=$2 ns pid
	ns=$P-r$n
	rm -f "$TMP/r$n.pid"
	# not through nsx: $! must be srchaind itself (ip netns exec execs it)
	ip netns exec "$ns" "$SRCHAIND" -c "$TMP/r$n.conf" --live --dev w0,e0 --io "$io" \
		--workers "$WORKERS" --ctl none --pidfile "$TMP/r$n.pid" --json \
		>"$TMP/r$n.out" 2>"$TMP/r$n.err" &
	pid=$!
	PIDS+=("$pid")
	eval "SD_PID_$n=$pid"
	for _ in $(seq 100); do
		[ -s "$TMP/r$n.pid" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "bench/lab.sh: srchaind on r$n ($io) did not start: $(tail -n 3 "$TMP/r$n.err")" >&2
	return 1
}

# setup_direct: gen and sink on one veth, no router: the generator's and the
# sink's own ceiling
setup_direct() {
	ip netns add $NS_GEN && ip netns add $NS_SINK || return 1
	veth g0 $NS_GEN s0 $NS_SINK || return 1
	addr $NS_GEN g0 2001:db8:4::a/64 && addr $NS_SINK s0 $DST/64 || return 1
	nsx $NS_GEN ethtool -K g0 tso off gso off gro off tx off >/dev/null 2>&1
	nsx $NS_SINK ethtool -K s0 tso off gso off gro off tx off >/dev/null 2>&1
	for _ in $(seq 50); do
		[ -z "$(nsx $NS_GEN ip -6 addr show tentative)$(nsx $NS_SINK ip -6 addr show tentative)" ] &&
			break
		sleep 0.1
	done
	nsx $NS_GEN ping -6 -c1 -W2 $DST >/dev/null
}

# lab R1 R2 R3 IO: builds the lab and starts srchaind where asked
lab_up() {
	local roles=("$1" "$2" "$3") n
	if [ "$1" = - ]; then
		setup_direct
		return
	fi
	setup "$@" || return 1
	for n in 1 2 3; do
		if [ "${roles[$((n - 1))]}" = S ]; then
			start_srchaind $n "$4" || return 1
		fi
	done
}

# --- measurement ----------------------------------------------------------

# /proc/stat busy jiffies and total jiffies
cpu_sample() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }

# trial RATE SIZE: one run; sets T_SENT T_UNIQ T_ELAPSED T_OFFERED T_DELIV
# T_LOSS (percent) T_ERR T_CPU (machine busy %, both cores = 100)
trial() {
	local rate=$1 size=$2 spid gpid
	rm -f "$TMP/sink.ready" "$TMP/sink.json" "$TMP/send.json"
	ip netns exec $NS_SINK "$SRTRAFFIC" recv --udp $PORT --idle 1 \
		--duration $((${DUR%.*} + 15)) --ready-file "$TMP/sink.ready" \
		--json "$TMP/sink.json" 2>/dev/null &
	spid=$!
	PIDS+=("$spid")
	for _ in $(seq 50); do
		[ -s "$TMP/sink.ready" ] && break
		sleep 0.05
	done
	local c0 c1
	c0=$(cpu_sample)
	ip netns exec $NS_GEN "$SRTRAFFIC" send --dst $DST --dport $PORT --rate "$rate" \
		--duration "$DUR" --size "$size" --json "$TMP/send.json" 2>/dev/null &
	gpid=$!
	PIDS+=("$gpid")
	wait "$gpid"
	c1=$(cpu_sample)
	wait "$spid"
	PIDS=("${PIDS[@]:0:${#PIDS[@]}-2}")
	T_SENT=$(jq -r '.totals.sent' "$TMP/send.json" 2>/dev/null)
	T_ERR=$(jq -r '.totals.errors' "$TMP/send.json" 2>/dev/null)
	T_ELAPSED=$(jq -r '.elapsed_s' "$TMP/send.json" 2>/dev/null)
	T_UNIQ=$(jq -r '[.flows[] | .unique] | add // 0' "$TMP/sink.json" 2>/dev/null)
	: "${T_SENT:=0}" "${T_ERR:=0}" "${T_ELAPSED:=1}" "${T_UNIQ:=0}"
	read -r T_OFFERED T_DELIV T_LOSS T_CPU < <(awk -v s="$T_SENT" -v u="$T_UNIQ" \
		-v e="$T_ELAPSED" -v c0="$c0" -v c1="$c1" 'BEGIN {
			split(c0, a, " "); split(c1, b, " ");
			cpu = (b[2] > a[2]) ? 100 * (b[1] - a[1]) / (b[2] - a[2]) : 0;
			if (e <= 0) e = 1;
			printf "%d %d %.3f %.0f\n", s / e, u / e, (s > 0 ? 100 * (s - u) / s : 100), cpu }')
	log "    rate $rate: sent $T_SENT (${T_OFFERED} pps, errors $T_ERR) unique $T_UNIQ" \
		"(${T_DELIV} pps) loss ${T_LOSS}% cpu ${T_CPU}%"
}

# passes: loss below the threshold (and something arrived)
passes() { awk -v l="$T_LOSS" -v t="$LOSS" -v s="$T_SENT" 'BEGIN { exit !(s > 0 && l < t) }'; }

# search SIZE: sets R_RATE (highest offered pps with loss < LOSS, as achieved
# by the generator), R_LOSS, R_MAX_OFFERED, R_MAX_DELIV, R_MAX_LOSS, R_CPU
# (machine busy % at the maximum), R_TRIALS, R_GEN (1: the generator's own
# ceiling passed, so the chain was never the limit)
search() {
	local size=$1 lo=0 hi probe i
	R_RATE=0 R_LOSS=- R_GEN=0 R_TRIALS=1
	trial 0 "$size"
	R_MAX_OFFERED=$T_OFFERED R_MAX_DELIV=$T_DELIV R_MAX_LOSS=$T_LOSS R_CPU=$T_CPU
	if passes; then
		R_RATE=$T_OFFERED R_LOSS=$T_LOSS R_GEN=1
		return
	fi
	hi=$T_OFFERED
	probe=$T_DELIV
	[ "$probe" -ge "$hi" ] && probe=$((hi * 9 / 10))
	for i in 1 2 3 4; do
		[ "$probe" -lt 1000 ] && probe=1000
		trial "$probe" "$size"
		R_TRIALS=$((R_TRIALS + 1))
		if passes; then
			lo=$probe R_RATE=$T_OFFERED R_LOSS=$T_LOSS
			break
		fi
		hi=$probe
		probe=$((probe / 2))
	done
	[ "$lo" = 0 ] && return
	for ((i = 0; i < STEPS; i++)); do
		probe=$(((lo + hi) / 2))
		# stop when the bracket is within 2%
		[ $((hi - lo)) -le $((lo / 50)) ] && break
		trial "$probe" "$size"
		R_TRIALS=$((R_TRIALS + 1))
		if passes; then
			lo=$probe
			[ "$T_OFFERED" -gt "$R_RATE" ] && R_RATE=$T_OFFERED R_LOSS=$T_LOSS
		else
			hi=$probe
		fi
	done
}

# srchaind's CPU share (both cores = 100) over a run at rate 0; sets S_CPU
srchaind_ticks() {
	local n t=0 pid
	for n in 1 2 3; do
		pid=$(eval echo "\${SD_PID_$n:-}")
		[ -n "$pid" ] && [ -r "/proc/$pid/stat" ] &&
			t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
	done
	echo $t
}

# --- the runs -------------------------------------------------------------

# which backends: the asked ones, else every one srchaind names that starts here
probe_io() { # probe_io IO: 0 if srchaind --live --io IO serves an interface here
	local io=$1
	teardown
	lab_up K S K "$io" >/dev/null 2>&1 || { teardown; return 1; }
	# it started; with afxdp make sure it did not fall back
	if [ "$io" = afxdp ] && grep -qi 'afpacket' "$TMP/r2.err"; then
		teardown
		return 1
	fi
	trial 1000 64
	teardown
	passes
}
if [ -z "$IOS" ]; then
	for io in afpacket afxdp; do
		"$SRCHAIND" --help 2>&1 | grep -q "'$io'" || continue
		if probe_io $io; then
			IOS=${IOS:+$IOS,}$io
		else
			say "note: srchaind --io $io does not work here, not measured ($(tail -n 1 "$TMP/r2.err" 2>/dev/null))"
		fi
	done
fi
[ -n "$IOS" ] || { echo "bench/lab.sh: no srchaind backend works here" >&2; exit 1; }

roles_of() { # roles_of CONFIG SYSTEM -> "R1 R2 R3"
	case $1:$2 in
	direct:*) echo - - - ;;
	fwd:*) echo F F F ;;
	*:kernel) echo K K K ;;
	chain:*) echo S S S ;;
	h.encaps:*) echo S K K ;;
	end:*) echo K S K ;;
	end.dx6:*) echo K K S ;;
	esac
}

declare -A DROPS # size/config/system/io -> sd_drops
ROWS=() # size config system io rate loss max_offered max_deliv max_loss cpu trials gen sd_cpu
PROFILED=

measure() { # measure SIZE CONFIG SYSTEM IO
	local size=$1 cfg=$2 sys=$3 io=$4 roles t0 t1 sdcpu=-
	roles=$(roles_of "$cfg" "$sys")
	log "  $cfg $sys ${io:--} size $size: routers $roles"
	teardown
	# shellcheck disable=SC2086
	if ! lab_up $roles "${io:-afpacket}"; then
		say "  $cfg/$sys/${io:--}/$size: lab did not come up, skipped"
		ROWS+=("$size $cfg $sys ${io:--} 0 - 0 0 - 0 0 0 - error -")
		teardown
		return
	fi
	# check the path first: 1000 pps for the trial duration, no loss
	trial 1000 "$size"
	if [ "$T_UNIQ" -lt "$T_SENT" ] || [ "$T_SENT" = 0 ]; then
		say "  $cfg/$sys/${io:--}/$size: path check lost $((T_SENT - T_UNIQ)) of $T_SENT, skipped"
		ROWS+=("$size $cfg $sys ${io:--} 0 - 0 0 - 0 0 0 - error -")
		teardown
		return
	fi
	# other people's load: the machine's busy share over 1 s with our lab idle
	local c0 c1 bg
	c0=$(cpu_sample)
	sleep 1
	c1=$(cpu_sample)
	bg=$(awk -v a="$c0" -v b="$c1" 'BEGIN { split(a, x, " "); split(b, y, " ");
		printf "%.0f", (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0 }')
	t0=$(srchaind_ticks)
	search "$size"
	if [ "$sys" = srchaind ]; then
		# CPU of the srchaind processes during the whole search, per trial second
		t1=$(srchaind_ticks)
		sdcpu=$(awk -v t=$((t1 - t0)) -v n="$R_TRIALS" -v d="$DUR" -v hz="$(getconf CLK_TCK)" \
			'BEGIN { printf "%.0f", 100 * t / hz / (n * d) }')
	fi
	ROWS+=("$size $cfg $sys ${io:--} $R_RATE $R_LOSS $R_MAX_OFFERED $R_MAX_DELIV $R_MAX_LOSS $R_CPU $R_TRIALS $R_GEN $sdcpu ok $bg")
	local key="$size/$cfg/$sys/${io:--}"
	say "$(printf '  %-9s %-9s %-9s %4s B: %8d pps at <%s%% loss (max: offered %d, delivered %d, machine busy %s%%, others %s%%)' \
		"$cfg" "$sys" "${io:--}" "$size" "$R_RATE" "$LOSS" "$R_MAX_OFFERED" "$R_MAX_DELIV" "$R_CPU" "$bg")"
	if [ -n "$PROFILE" ] && [ "$cfg" = chain ] && [ "$sys" = srchaind ] &&
		[[ " $PROFILED " != *" $io "* ]]; then
		profile "$size" "$io"
		PROFILED+=" $io"
	fi
	teardown
	[ "$sys" = srchaind ] && DROPS[$key]=$(sd_drops)
	[ -n "${DROPS[$key]:-}" ] && log "    srchaind drops over the search: ${DROPS[$key]}"
}

# sd_drops: what the stopped srchainds counted as lost (their exit report):
# r<N>:kernel_drops=... (socket queue full) tx_errors=... and non-zero drop counters
sd_drops() {
	local n out=
	for n in 1 2 3; do
		[ -s "$TMP/r$n.out" ] || continue
		out+=$(grep -v '^$' "$TMP/r$n.out" | tail -n 1 | jq -r --arg r "r$n" '
			([.ports[] | .rx_kernel_drops] | add) as $k
			| ([.ports[] | .tx_errors] | add) as $t
			| ["\($r):kernel_drops=\($k),tx_errors=\($t)"] +
			[.counters | to_entries[] | select(.value > 0 and .key != "rx" and .key != "tx"
				and .key != "host") | "\(.key)=\(.value)"]
			| join(",")' 2>/dev/null)" "
		rm -f "$TMP/r$n.out"
	done
	echo "${out% }"
}

# profile SIZE IO: perf record every srchaind of the running chain while the
# generator sends as fast as it can
profile() {
	local size=$1 io=$2 n pid ppids=()
	mkdir -p "$PROFILE"
	for n in 1 2 3; do
		pid=$(eval echo "\${SD_PID_$n:-}")
		perf record -q -g -F 999 -p "$pid" -o "$PROFILE/$io-r$n.perf.data" -- \
			sleep "$DUR" >/dev/null 2>&1 &
		ppids+=($!)
		PIDS+=($!)
	done
	sleep 0.3
	trial 0 "$size"
	for pid in "${ppids[@]}"; do wait "$pid" 2>/dev/null; done
	PIDS=("${PIDS[@]:0:${#PIDS[@]}-3}") # the three perf runs
	for n in 1 2 3; do
		perf report -q -i "$PROFILE/$io-r$n.perf.data" --no-children --sort sym \
			--percent-limit 0.5 >"$PROFILE/$io-r$n.report.txt" 2>/dev/null
		perf report -q -i "$PROFILE/$io-r$n.perf.data" --no-children --sort dso \
			>"$PROFILE/$io-r$n.dso.txt" 2>/dev/null
	done
	say "  profile of the srchaind chain ($io, $size B, rate 0): $PROFILE/$io-r{1,2,3}.report.txt"
}

START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
say "bench/lab.sh: $(nproc) CPUs, $(uname -r), srchaind I/O: $IOS, workers $WORKERS," \
	"${DUR}s trials, loss < $LOSS%"
IFS=, read -r -a size_list <<<"$SIZES"
IFS=, read -r -a cfg_list <<<"$CONFIGS"
IFS=, read -r -a io_list <<<"$IOS"
for size in "${size_list[@]}"; do
	kernel_done=0
	for cfg in "${cfg_list[@]}"; do
		case $cfg in
		direct | fwd) measure "$size" "$cfg" kernel "" ;;
		chain | h.encaps | end | end.dx6)
			if [ $kernel_done = 0 ]; then
				measure "$size" chain kernel ""
				kernel_done=1
			fi
			for io in "${io_list[@]}"; do measure "$size" "$cfg" srchaind "$io"; done
			;;
		*) echo "bench/lab.sh: unknown configuration '$cfg'" >&2; exit 2 ;;
		esac
	done
done
END=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- report ---------------------------------------------------------------

kernel_rate() { # kernel_rate SIZE: the K K K chain's rate
	local r
	for r in "${ROWS[@]}"; do
		set -- $r
		[ "$1" = "$size" ] && [ "$2" = chain ] && [ "$3" = kernel ] && { echo "$5"; return; }
	done
	echo 0
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a > 0) printf "%.2f", a / b; else printf "-" }'; }

say ""
say "$(printf '%-9s %-7s %-8s %-8s %4s %10s %5s %11s %9s %8s %5s %6s %4s %s' \
	config routers system io size 'pps<1%loss' ratio max_offered max_deliv max_loss% busy% sd_cpu% bg% note)"
for r in "${ROWS[@]}"; do
	set -- $r
	size=$1
	kr=$(kernel_rate)
	case $2:$3 in
	direct:* | fwd:*) rat=- ;;
	chain:kernel) rat=1.00 ;;
	*) rat=$(ratio "$5" "$kr") ;;
	esac
	note=
	[ "${14}" = error ] && note=error
	[ "${12}" = 1 ] && note="lossless at the sender's max"
	say "$(printf '%-9s %-7s %-8s %-8s %4s %10s %5s %11s %9s %8s %5s %6s %4s %s' \
		"$2" "$(roles_of "$2" "$3" | tr -d ' ')" "$3" "$4" "$1" "$5" "$rat" "$7" "$8" "$9" \
		"${10}" "${13}" "${15}" "$note")"
done
say "routers: R1 R2 R3, K = kernel SRv6, S = srchaind, F = kernel plain forwarding;"
say "ratio = pps / the kernel chain (KKK) of the same size; busy% = whole machine at rate 0;"
say "sd_cpu% = srchaind processes' CPU over the search (one core = 100); bg% = the machine"
say "busy (both cores = 100) for 1 s before the search with the lab idle: other people's load"

if [ -n "$JSON" ]; then
	{
		printf '{"tool":"bench/lab.sh","version":1,"start":"%s","end":"%s",' "$START" "$END"
		printf '"cpus":%d,"kernel":"%s","loss_threshold_pct":%s,"trial_s":%s,' \
			"$(nproc)" "$(uname -r)" "$LOSS" "$DUR"
		printf '"workers":%s,"io":"%s","results":[' "$WORKERS" "$IOS"
		sep=
		for r in "${ROWS[@]}"; do
			set -- $r
			size=$1
			kr=$(kernel_rate)
			rat=$(ratio "$5" "$kr")
			[ "$rat" = - ] && rat=null
			[ "$2" = fwd ] || [ "$2" = direct ] && rat=null
			loss=$6
			[ "$loss" = - ] && loss=null
			sdc=${13}
			[ "$sdc" = - ] && sdc=null
			printf '%s{"size":%s,"config":"%s","routers":"%s","system":"%s","io":%s,' \
				"$sep" "$1" "$2" "$(roles_of "$2" "$3" | tr -d ' ')" "$3" \
				"$([ "$4" = - ] && echo null || echo "\"$4\"")"
			printf '"ok":%s,"rate_pps":%s,"loss_pct":%s,"ratio_to_kernel":%s,' \
				"$([ "${14}" = ok ] && echo true || echo false)" "$5" "$loss" "$rat"
			printf '"max_offered_pps":%s,"max_delivered_pps":%s,"max_loss_pct":%s,' \
				"$7" "$8" "$([ "$9" = - ] && echo null || echo "$9")"
			printf '"machine_busy_pct_at_max":%s,"trials":%s,"generator_limited":%s,' \
				"${10}" "${11}" "$([ "${12}" = 1 ] && echo true || echo false)"
			printf '"srchaind_cpu_pct":%s,"srchaind_drops":"%s","background_busy_pct":%s}' \
				"$sdc" "${DROPS[$1/$2/$3/$4]:-}" "$([ "${15}" = - ] && echo null || echo "${15}")"
			sep=,
		done
		printf ']}\n'
	} >"$( [ "$JSON" = - ] && echo /dev/stdout || echo "$JSON")"
fi

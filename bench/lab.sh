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
# The lab is srlab's (examples/srlab/bench-chain.topo.json, every router the
# kernel; this script turns routers into srchaind or plain forwarding with jq;
# examples/srlab/bench-direct.topo.json for "direct"), brought up and down
# once per configuration. Needs root, iproute2 with seg6, jq, and the
# project's binaries (BUILD, default build/). Creates only namespaces
# srbl<pid>-*, veths inside them and documentation prefixes; kills only
# processes it started (srchaind: the ones srlab started for it).
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
Environment: BUILD (default build), SRCHAIND, SRTRAFFIC, SRLAB override the binaries.
EOF
}

BUILD=${BUILD:-build}
SRCHAIND=${SRCHAIND:-$BUILD/srchaind}
SRTRAFFIC=${SRTRAFFIC:-$BUILD/srtraffic}
SRLAB=${SRLAB:-$BUILD/srlab}
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
for tool in ip jq "$SRCHAIND" "$SRTRAFFIC" "$SRLAB"; do
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

P="srbl$$"
TMP=$(mktemp -d "/tmp/$P-XXXXXX")
export SRLAB_STATE=$TMP/state
CHAIN_TOPO=examples/srlab/bench-chain.topo.json # every router the kernel
DIRECT_TOPO=examples/srlab/bench-direct.topo.json
TOPO=        # the lab that is up (a file in $TMP), or none
NS_GEN= NS_SINK=
DST=2001:db8:4::b # the sink
PORT=9000
PIDS=() # every process this script started and has not reaped yet

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
# lab_dir: srlab's state directory of the lab that is up
lab_dir() { echo "$SRLAB_STATE/$P-$(jq -r .lab "$TOPO")"; }
# teardown: stops the srchaind routers first, so that their exit reports (the
# last line of NODE.out) can be kept as $TMP/rN.out, then srlab down
teardown() {
	stop_pids
	[ -n "$TOPO" ] || return 0
	local n pid dir
	dir=$(lab_dir)
	for n in 1 2 3; do
		pid=$(eval echo "\${SD_PID_$n:-}")
		eval "SD_PID_$n="
		[ -n "$pid" ] || continue
		# srlab started it for this script: its pidfile in our state directory names it
		[ "$(cat "$dir/r$n.pid" 2>/dev/null)" = "$pid" ] && kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		cp "$dir/r$n.out" "$TMP/r$n.out" 2>/dev/null
	done
	"$SRLAB" down --prefix "$P" "$TOPO" >/dev/null 2>&1
	TOPO=
}
cleanup() {
	teardown
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- topology -------------------------------------------------------------

# topo_for R1 R2 R3: examples/srlab/bench-chain.topo.json with each router K
# (as there: the kernel's SRv6), S (srchaind with the same behaviour) or F
# (the kernel, plain IPv6 forwarding: no SRv6 route)
topo_for() {
	jq --arg r1 "$1" --arg r2 "$2" --arg r3 "$3" --argjson workers "$WORKERS" '
	def router($r; $conf):
		if $r == "K" then .
		else (.ip |= map(select(test("encap") | not)))
			| if $r == "S" then .role = "srchain" | .config = $conf | .workers = $workers
			  else . end
		end;
	.nodes |= map(
		if .name == "r1" then
			router($r1; ["interface w0 classify",
				 "policy p srv6 segs ${SID_END},${SID_DX6} src 2001:db8:2::1",
				 "classify dst 2001:db8:4::/64 policy p"])
			| if $r1 == "K" then . else .routes += ["2001:db8:4::/64 via 2001:db8:2::2"] end
		elif .name == "r2" then router($r2; ["sid ${SID_END} End"])
		elif .name == "r3" then router($r3; ["sid ${SID_DX6} End.DX6 nh6 ${sink.s0}"])
		else . end)' "$CHAIN_TOPO"
}

# lab_up R1 R2 R3 IO: srlab brings the lab up, srchaind --io IO where asked
# (- - -: the direct lab); sets SD_PID_1..3 for the srchaind routers
lab_up() {
	local n
	TOPO=$TMP/lab.topo.json
	if [ "$1" = - ]; then
		cp "$DIRECT_TOPO" "$TOPO"
	else
		topo_for "$1" "$2" "$3" >"$TOPO" || return 1
	fi
	# srlab starts srchaind --live with its own options; this adds --io
	cat >"$TMP/srchaind-io" <<EOS
#!/bin/sh
case " \$* " in *" --live "*) exec "$(realpath "$SRCHAIND")" "\$@" --io "$4" ;; esac
exec "$(realpath "$SRCHAIND")" "\$@"
EOS
	chmod +x "$TMP/srchaind-io"
	SRLAB_SRCHAIND=$TMP/srchaind-io SRLAB_SRTRAFFIC=$(realpath "$SRTRAFFIC") \
		"$SRLAB" up --prefix "$P" "$TOPO" >"$TMP/up.log" 2>&1 || {
		echo "bench/lab.sh: srlab up ($*): $(tail -n 3 "$TMP/up.log")" >&2
		return 1
	}
	NS_GEN=$P-$(jq -r .lab "$TOPO")-gen NS_SINK=$P-$(jq -r .lab "$TOPO")-sink
	for n in 1 2 3; do
		[ -s "$(lab_dir)/r$n.pid" ] && eval "SD_PID_$n=$(cat "$(lab_dir)/r$n.pid")"
	done
	return 0
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
	lab_up K S K "$io" >/dev/null 2>&1 || { cp "$(lab_dir)/r2.err" "$TMP/r2.err" 2>/dev/null; teardown; return 1; }
	# it started; with afxdp make sure it did not fall back
	if [ "$io" = afxdp ] && grep -qi 'afpacket' "$(lab_dir)/r2.err"; then
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

# The prologue and bookkeeping of every namespace lab test (tests/lab/test_*.sh):
#
#   . "$(dirname "$0")/lib.sh"
#   lab_init NAME PREFIX     # cd to the top of the tree; root or exit 77; $TMP;
#                            # the EXIT trap; SRLAB_STATE=$TMP/state; the
#                            # programs SRCHAIND SRCHAINCTL SRLAB SRTRAFFIC
#                            # SRLINK from BUILD_DIR (default build), PY
#   lab_need TOOL...         # a missing tool: exit 77
#   lab_need_seg6            # kernel/iproute2 without seg6 encap + seg6local: exit 77
#   lab_need_afxdp           # kernel without XDP on veth or AF_XDP sockets: exit 77
#   lab_bin PATH...          # a project binary that is not built: FAIL (exit 1)
#   lab_ns NS...             # namespaces this test creates itself
#   lab_pid PID...           # processes this test started
#   lab_srlab TOPO...        # labs srlab builds for this test (srlab run ...)
#   lab_srlab_up TOPO        # srlab up --prefix PREFIX; taken down at exit
#   ok / bad / check NAME CMD...; lab_done (the closing line and exit status)
#
# Exit status: 0 every check passed, 77 skipped (a tool or kernel feature is
# missing; decided before the code under test runs), anything else failed.
# A project binary that is missing or does not start is a failure, never a
# skip. At exit the trap stops exactly the processes recorded with lab_pid (by
# PID), takes down the srlab labs of lab_srlab(_up), deletes the namespaces
# recorded with lab_ns and any left whose name starts with PREFIX- (this
# test's own), and removes $TMP (kept, and named, after a failure or with
# LAB_KEEP=1).

LAB_SKIP=77
pass=0 fail=0
LAB_NAME=
P=
TMP=
LAB_PIDS=
LAB_NSS=
LAB_LABS=
LAB_PROBE_NS=

# lab_skip REASON: only for a missing tool or kernel feature, before the test runs
lab_skip() {
	echo "$LAB_NAME: skipped ($*)"
	exit $LAB_SKIP
}

lab_cleanup() {
	local p ns lab live=" $(jobs -p | tr '\n' ' ') " ours=
	# only those still running as this shell's jobs: a reaped PID may be reused
	for p in $LAB_PIDS; do
		[[ "$live" == *" $p "* ]] && ours="$ours $p"
	done
	for p in $ours; do
		kill "$p" 2>/dev/null
	done
	for p in $ours; do
		wait "$p" 2>/dev/null
	done
	for lab in $LAB_LABS; do
		"$SRLAB" down --prefix "$P" "$lab" >/dev/null 2>&1
	done
	for ns in $LAB_NSS $LAB_PROBE_NS; do
		ip netns del "$ns" 2>/dev/null
	done
	# what srlab or the test could not remove: only namespaces of this prefix
	if [ -n "$P" ]; then
		for ns in $(ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'); do
			ip netns del "$ns" 2>/dev/null
		done
	fi
	if [ -n "$TMP" ] && [ -d "$TMP" ]; then
		if [ "$fail" != 0 ] || [ -n "${LAB_KEEP:-}" ]; then
			echo "$LAB_NAME: files kept in $TMP"
		else
			rm -rf "$TMP"
		fi
	fi
}

# lab_init NAME PREFIX: PREFIX (at most 16 of [A-Za-z0-9_-], unique per run:
# add $$) starts the name of every namespace the test creates
lab_init() {
	LAB_NAME=$1
	P=$2
	cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
	[ "$(id -u)" = 0 ] || lab_skip "needs root for network namespaces"
	lab_need ip
	BUILD_DIR=${BUILD_DIR:-build}
	SRCHAIND=${SRCHAIND:-$BUILD_DIR/srchaind}
	SRCHAINCTL=${SRCHAINCTL:-$BUILD_DIR/srchainctl}
	SRLAB=${SRLAB:-$BUILD_DIR/srlab}
	SRTRAFFIC=${SRTRAFFIC:-$BUILD_DIR/srtraffic}
	SRLINK=${SRLINK:-$BUILD_DIR/srlink}
	PY=/usr/bin/python3 # Debian's: scapy imports there
	TMP=$(mktemp -d "/tmp/$P-XXXXXX") || exit 1
	export SRLAB_STATE=$TMP/state
	trap lab_cleanup EXIT
	trap 'fail=$((fail + 1)); exit 1' INT TERM
}

lab_need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || lab_skip "$t not found"
	done
}

# lab_bin PATH...: the project's own programs must be there (make lab builds them)
lab_bin() {
	local b
	for b in "$@"; do
		if [ ! -x "$b" ]; then
			echo "$LAB_NAME: FAIL $b is not built"
			fail=$((fail + 1))
			exit 1
		fi
	done
}

lab_ns() { LAB_NSS="$LAB_NSS $*"; }
lab_pid() { LAB_PIDS="$LAB_PIDS $*"; }
# lab_srlab TOPO...: labs srlab builds for this test (srlab down at exit)
lab_srlab() { LAB_LABS="$LAB_LABS $*"; }

# lab_srlab_up TOPO: builds the topology with srlab (SRLAB: the binary) under
# this test's prefix; a lab that does not come up is a failure
lab_srlab_up() {
	lab_srlab "$1"
	if ! "$SRLAB" up --prefix "$P" "$1" >"$TMP/srlab-up.log" 2>&1; then
		bad "srlab up $1: $(tail -n 3 "$TMP/srlab-up.log")"
		return 1
	fi
}

# A namespace with a veth pair (v0, v1) for a kernel probe; lab_probe_end
# (or the exit) deletes it
lab_probe_ns() {
	LAB_PROBE_NS=$P-probe
	ip netns add "$LAB_PROBE_NS" &&
		ip -n "$LAB_PROBE_NS" link add v0 type veth peer name v1 &&
		ip -n "$LAB_PROBE_NS" link set v0 up && ip -n "$LAB_PROBE_NS" link set v1 up ||
		lab_skip "cannot create a namespace with a veth pair here"
}
lab_probe_end() {
	ip netns del "$LAB_PROBE_NS"
	LAB_PROBE_NS=
}

# lab_need_seg6: iproute2 and the kernel take an SRv6 encap route and a
# seg6local End.DX6 route
lab_need_seg6() {
	lab_probe_ns
	ip -n "$LAB_PROBE_NS" -6 addr add 2001:db8:ff00::1/64 dev v0 nodad &&
		ip -n "$LAB_PROBE_NS" -6 route add 2001:db8:ff01::/64 encap seg6 mode encap \
			segs 2001:db8:ff00::2 dev v0 2>/dev/null ||
		lab_skip "no seg6 encap routes (kernel CONFIG_IPV6_SEG6_LWTUNNEL or iproute2)"
	ip -n "$LAB_PROBE_NS" -6 route add 2001:db8:ff02::1/128 encap seg6local action End.DX6 \
		nh6 2001:db8:ff00::2 dev v0 2>/dev/null ||
		lab_skip "no seg6local routes (kernel CONFIG_IPV6_SEG6_LWTUNNEL or iproute2)"
	lab_probe_end
}

# lab_xdp_pass_obj: writes $TMP/xdp_pass.o, an XDP program that passes every
# frame (not the project's: the probes and tests need a foreign program)
lab_xdp_pass_obj() {
	[ -s "$TMP/xdp_pass.o" ] && return 0
	cat >"$TMP/xdp_pass.c" <<'EOF'
#include <linux/bpf.h>
__attribute__((section("xdp"), used)) int xdp_pass(struct xdp_md *ctx) { return XDP_PASS; }
char _license[] __attribute__((section("license"), used)) = "GPL";
EOF
	clang -O2 -target bpf -I"/usr/include/$(gcc -dumpmachine 2>/dev/null)" \
		-c "$TMP/xdp_pass.c" -o "$TMP/xdp_pass.o" 2>"$TMP/xdp_pass.err"
}

# lab_need_afxdp: the kernel runs XDP programs on veths (native and generic),
# ip attaches one from an object file, and AF_XDP sockets exist
lab_need_afxdp() {
	lab_need clang gcc /usr/bin/python3
	lab_xdp_pass_obj || lab_skip "clang cannot build a BPF object: $(head -n 1 "$TMP/xdp_pass.err")"
	lab_probe_ns
	local mode
	for mode in xdpdrv xdpgeneric; do
		ip -n "$LAB_PROBE_NS" link set dev v0 $mode obj "$TMP/xdp_pass.o" sec xdp \
			>/dev/null 2>&1 || lab_skip "ip cannot attach an XDP program ($mode) to a veth"
		ip -n "$LAB_PROBE_NS" link set dev v0 $mode off
	done
	/usr/bin/python3 -c 'import socket; socket.socket(44, socket.SOCK_RAW).close()' \
		2>/dev/null || lab_skip "no AF_XDP sockets (kernel CONFIG_XDP_SOCKETS)"
	lab_probe_end
}

# Bookkeeping
ok() {
	echo "  ok   $1"
	pass=$((pass + 1))
}
bad() {
	echo "  FAIL $1"
	fail=$((fail + 1))
}
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# lab_done: the closing line; a test that checked nothing has failed
lab_done() {
	[ $((pass + fail)) = 0 ] && bad "no check ran"
	echo "$LAB_NAME: $pass passed, $fail failed"
	[ "$fail" = 0 ] && exit 0
	exit 1
}

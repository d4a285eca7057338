#!/usr/bin/env bash
# The capabilities srchaind --live needs on this kernel, tried for real: an
# unprivileged uid (as srchaind@.service's User=srchain) with exactly the
# unit's AmbientCapabilities, under a locked-memory limit of 64 KiB, starts
# with --io afxdp-native, afxdp-generic and afpacket (XDP program attached
# for the first two); without any one of those capabilities --io
# afxdp-native does not start, and says why. Also what --io afpacket alone
# needs. srchaind(8), PRIVILEGES.
# Usage: caps.sh PREFIX (an installed tree: sbin/, lib/systemd/system/).
# Needs root; makes one namespace, srcap<pid>, and removes it.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/install/lib.sh
INDENT="    "
U=${1:?usage: caps.sh PREFIX}
SRCHAIND=$U/sbin/srchaind
UNIT=$U/lib/systemd/system/srchaind@.service
for tool in ip setpriv prlimit; do
	command -v $tool >/dev/null || { echo "caps: skipped ($tool not found)"; exit 0; }
done
DUID=61001
free_ids $DUID || { echo "caps: skipped (uid/gid $DUID is taken here)"; exit 0; }
NS=srcap$$
TMP=$(mktemp -d /tmp/srchain-caps-XXXXXX)
chmod 755 "$TMP"
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

CAPS=$(unit_value "$UNIT" AmbientCapabilities)
MEMLOCK=65536
[ -n "$CAPS" ] || { echo "caps: no AmbientCapabilities in $UNIT"; exit 1; }
make_ns "$NS" n1 n2 || { echo "caps: cannot make namespace $NS"; exit 1; }
echo "function fw counter" >"$TMP/node.conf"
chmod 644 "$TMP/node.conf"
mkdir "$TMP/run" && chown $DUID:$DUID "$TMP/run" # its pidfile

# run IO MEMLOCK CAP...: 0 if srchaind, as $DUID with these capabilities
# only, writes its pidfile (serves) and, with AF_XDP, attached its program;
# its last error line in $TMP/why
run() {
	local io=$1 ml=$2 pid up=1
	shift 2
	rm -f "$TMP/run/pid"
	as_unit "$NS" $DUID "$ml" "$@" -- "$SRCHAIND" -c "$TMP/node.conf" --live --dev n1,n2 \
		--io "$io" -w 1 --ctl none --pidfile "$TMP/run/pid" -q >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	for _ in $(seq 80); do
		[ -s "$TMP/run/pid" ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	if [ -s "$TMP/run/pid" ]; then
		up=0
		case $io in afxdp*) ip -n "$NS" link show n1 | grep -q 'prog/xdp' || up=1 ;; esac
	fi
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep -v '^$' "$TMP/err" | tail -1 | cut -c1-160 >"$TMP/why"
	# each run starts from bare interfaces: an XDP program still attached
	# would make the next attach fail (EBUSY/EEXIST) for a reason of its own.
	# srchaind attaches through a bpf_link, which the kernel releases after
	# the process exits, not always at once: wait for it
	local i
	for _ in $(seq 30); do
		ip -n "$NS" link show | grep -q 'prog/xdp' || break
		sleep 0.1
	done
	for i in n1 n2; do
		if ip -n "$NS" link show "$i" | grep -q 'prog/xdp'; then
			echo "    note: $io run left an XDP program on $i 3 s after srchaind exited"
			ip -n "$NS" link set dev "$i" xdp off 2>/dev/null
			ip -n "$NS" link set dev "$i" xdpgeneric off 2>/dev/null
		fi
	done
	return $up
}

for io in afxdp-native afxdp-generic afpacket; do
	if run $io "$MEMLOCK" $CAPS; then
		ok "--io $io as uid $DUID with $CAPS only"
	else
		bad "--io $io as uid $DUID with $CAPS: $(cat "$TMP/why")"
	fi
done
for c in $CAPS; do
	if run afxdp-native "$MEMLOCK" $(printf '%s\n' $CAPS | grep -vx "$c"); then
		bad "--io afxdp-native starts without $c: the unit grants more than needed"
	else
		check "--io afxdp-native without $c: srchaind refuses ($(cat "$TMP/why"))" \
			grep -q '^srchaind: ' "$TMP/why"
	fi
done
# what AF_PACKET alone needs (srchaind(8) says it)
if run afpacket "$MEMLOCK" CAP_NET_RAW; then
	ok "--io afpacket needs CAP_NET_RAW only"
else
	bad "--io afpacket with CAP_NET_RAW only: $(cat "$TMP/why")"
fi
if run afpacket "$MEMLOCK"; then
	bad "--io afpacket starts with no capability"
else
	check "--io afpacket with no capability: srchaind refuses ($(cat "$TMP/why"))" \
		grep -q '^srchaind: ' "$TMP/why"
fi
echo "    caps: $pass passed, $fail failed"
[ "$fail" = 0 ]

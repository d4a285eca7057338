#!/usr/bin/env bash
# The control socket's permissions as srchaind@.service sets them, enforced:
# srchaind runs as an unprivileged uid (as User=srchain) with only the unit's
# capabilities, its socket in a runtime directory 0750 owned by that uid and
# its group (RuntimeDirectory=, RuntimeDirectoryMode=0750); the unit's own
# ExecStartPost line waits for the socket and makes it 0660. Then root and a
# member of the group reach the daemon with srchainctl; another user does not.
# Usage: ctl_perms.sh PREFIX (an installed tree: sbin/, lib/systemd/system/).
# Needs root; makes one namespace, srcp<pid>, and removes it.
set -uo pipefail
cd "$(dirname "$0")/../.."
U=${1:?usage: ctl_perms.sh PREFIX}
SRCHAIND=$U/sbin/srchaind SRCHAINCTL=$U/sbin/srchainctl
UNIT=$U/lib/systemd/system/srchaind@.service
for tool in ip setpriv stat; do
	command -v $tool >/dev/null || { echo "ctl_perms: skipped ($tool not found)"; exit 0; }
done
# uids and gids no account uses: the daemon, a group member, an outsider
DUID=61001 MUID=61002 OUID=61003
for id in $DUID $MUID $OUID; do
	if getent passwd $id >/dev/null || getent group $id >/dev/null; then
		echo "ctl_perms: skipped (uid/gid $id is taken here)"
		exit 0
	fi
done
NS=srcp$$
TMP=$(mktemp -d /tmp/srchain-perms-XXXXXX)
chmod 755 "$TMP"
DPID=
pass=0 fail=0
cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ok() { echo "    ok   $1"; pass=$((pass + 1)); }
bad() { echo "    FAIL $1"; fail=$((fail + 1)); }
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

caps=$(sed -n 's/^AmbientCapabilities=//p' "$UNIT" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
post=$(sed -n 's/^ExecStartPost=//p' "$UNIT" | sed 's/\$\$/$/g')
[ -n "$caps" ] && [ -n "$post" ] || { echo "ctl_perms: no AmbientCapabilities/ExecStartPost in $UNIT"; exit 1; }

ip netns add "$NS"
ip -n "$NS" link add n1 type veth peer name p1
for i in n1 p1 lo; do ip -n "$NS" link set "$i" up; done
ip netns exec "$NS" sysctl -qw net.ipv4.conf.all.forwarding=0 net.ipv6.conf.all.forwarding=0
RUN=$TMP/run/srchain/lab # as RuntimeDirectory=srchain/%i makes it
mkdir -p "$RUN"
chown $DUID:$DUID "$RUN"
chmod 0750 "$RUN"
echo "function fw counter" >"$TMP/lab.conf"
chmod 644 "$TMP/lab.conf"
SOCK=$RUN/srchaind.sock

# as the unit runs it: its uid and group, its capabilities, umask 0077
(umask 077 && exec ip netns exec "$NS" setpriv --reuid=$DUID --regid=$DUID --clear-groups \
	--inh-caps="$caps" --ambient-caps="$caps" --bounding-set="-all,$caps" --no-new-privs \
	"$SRCHAIND" -c "$TMP/lab.conf" --live --dev n1 -w 1 --ctl "$SOCK" -q) \
	>"$TMP/out" 2>"$TMP/err" &
DPID=$!
# the unit's ExecStartPost, as the daemon's user
post=${post//%i/lab}
post=${post//\/run\/srchain\/lab/$RUN}
eval "setpriv --reuid=$DUID --regid=$DUID --clear-groups $post"
rc=$?
check "ExecStartPost: exit $rc once the socket exists" test "$rc" = 0
check "srchaind runs as uid $DUID with the unit's capabilities ($caps)" kill -0 "$DPID"
[ -S "$SOCK" ] || cat "$TMP/err"
check "runtime directory: 0750 $DUID:$DUID" test "$(stat -c '%a %u %g' "$RUN")" = "750 $DUID $DUID"
check "control socket: 0660 $DUID:$DUID" test "$(stat -c '%a %u %g' "$SOCK")" = "660 $DUID $DUID"
check "root: srchainctl show functions" bash -c "'$SRCHAINCTL' -s '$SOCK' show functions | grep -q fw"
out=$(setpriv --reuid=$MUID --regid=$MUID --groups=$DUID "$SRCHAINCTL" -s "$SOCK" show functions 2>&1)
check "a member of group $DUID: srchainctl show functions" bash -c "[[ '$out' == *fw* ]]"
out=$(setpriv --reuid=$OUID --regid=$OUID --clear-groups "$SRCHAINCTL" -s "$SOCK" show functions 2>&1)
rc=$?
check "another user: refused (exit $rc: $out)" \
	bash -c "test $rc = 1 && [[ '$out' == *'ermission denied'* ]]"
echo "    ctl_perms: $pass passed, $fail failed"
[ "$fail" = 0 ]

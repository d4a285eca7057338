#!/usr/bin/env bash
# The control socket's permissions as srchaind@.service sets them, enforced:
# srchaind runs as an unprivileged uid (as User=srchain) with only the unit's
# capabilities and umask, its socket in a runtime directory 0750 owned by
# that uid and its group (RuntimeDirectory=, RuntimeDirectoryMode=0750); the
# unit's own ExecStartPost line waits for the socket and makes it 0660. Then
# root and the daemon's own uid are served by srchainctl; a member of the
# group reaches the socket but srchaind refuses it (SO_PEERCRED: uid 0 or its
# own); another user cannot connect at all.
# Usage: ctl_perms.sh PREFIX (an installed tree: sbin/, lib/systemd/system/).
# Needs root; makes one namespace, srcp<pid>, and removes it.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/install/lib.sh
INDENT="    "
U=${1:?usage: ctl_perms.sh PREFIX}
SRCHAIND=$U/sbin/srchaind SRCHAINCTL=$U/sbin/srchainctl
UNIT=$U/lib/systemd/system/srchaind@.service
for tool in ip setpriv prlimit stat; do
	command -v $tool >/dev/null || { echo "ctl_perms: skipped ($tool not found)"; exit 0; }
done
# the daemon, a member of its group, an outsider: ids no account uses
DUID=61001 MUID=61002 OUID=61003
free_ids $DUID $MUID $OUID || { echo "ctl_perms: skipped (uid/gid 61001-61003 taken here)"; exit 0; }
NS=srcp$$
TMP=$(mktemp -d /tmp/srchain-perms-XXXXXX)
chmod 755 "$TMP"
DPID=
cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

CAPS=$(unit_value "$UNIT" AmbientCapabilities)
MEMLOCK=65536
UMASK=$(unit_value "$UNIT" UMask)
POST=$(unit_value "$UNIT" ExecStartPost | sed 's/\$\$/$/g')
[ -n "$CAPS" ] && [ -n "$UMASK" ] && [ -n "$POST" ] ||
	{ echo "ctl_perms: capabilities, UMask or ExecStartPost missing in $UNIT"; exit 1; }
make_ns "$NS" n1 || { echo "ctl_perms: cannot make namespace $NS"; exit 1; }
RUN=$TMP/run/srchain/lab # as RuntimeDirectory=srchain/%i makes it for srchaind@lab
mkdir -p "$RUN"
chown $DUID:$DUID "$RUN"
chmod "$(unit_value "$UNIT" RuntimeDirectoryMode)" "$RUN"
echo "function fw counter" >"$TMP/lab.conf"
chmod 644 "$TMP/lab.conf"
SOCK=$RUN/srchaind.sock

(umask "$UMASK" && as_unit "$NS" $DUID "$MEMLOCK" $CAPS -- "$SRCHAIND" -c "$TMP/lab.conf" \
	--live --dev n1 -w 1 --ctl "$SOCK" -q) >"$TMP/out" 2>"$TMP/err" &
DPID=$!
# the unit's ExecStartPost for instance lab, as the daemon's user
POST=${POST//\/run\/srchain\/%i/$RUN}
eval "setpriv --reuid=$DUID --regid=$DUID --clear-groups $POST"
rc=$?
check "ExecStartPost: exit $rc once the socket exists" test "$rc" = 0
check "srchaind serves as uid $DUID with $CAPS only" kill -0 "$DPID"
[ -S "$SOCK" ] || cat "$TMP/err"
check "runtime directory: 0750 $DUID:$DUID" test "$(stat -c '%a %u %g' "$RUN")" = "750 $DUID $DUID"
check "control socket: 0660 $DUID:$DUID" test "$(stat -c '%a %u %g' "$SOCK")" = "660 $DUID $DUID"
check "root: srchainctl show functions" bash -c "'$SRCHAINCTL' -s '$SOCK' show functions | grep -q fw"
out=$(setpriv --reuid=$DUID --regid=$DUID --clear-groups "$SRCHAINCTL" -s "$SOCK" show functions 2>&1)
check "the daemon's uid $DUID: srchainctl show functions" grep -q fw <<<"$out"
out=$(setpriv --reuid=$MUID --regid=$MUID --groups=$DUID "$SRCHAINCTL" -s "$SOCK" show functions 2>&1)
rc=$?
check "a member of group $DUID: connects, srchaind refuses (exit $rc: $out)" \
	bash -c "test $rc = 1 && grep -q 'srchainctl: permission denied' <<<\"\$1\"" _ "$out"
out=$(setpriv --reuid=$OUID --regid=$OUID --clear-groups "$SRCHAINCTL" -s "$SOCK" show functions 2>&1)
rc=$?
refused() { [ "$1" = 1 ] && grep -q 'ermission denied' <<<"$2"; }
check "another user: refused (exit $rc: $out)" refused "$rc" "$out"
echo "    ctl_perms: $pass passed, $fail failed"
[ "$fail" = 0 ]

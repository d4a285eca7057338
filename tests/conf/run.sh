#!/usr/bin/env bash
# Configuration tests: tests/conf/run.sh PATH/TO/srchaind [CASE...]
#
# Each CASE.in is a node configuration. Its expected outcome is in a file
# beside it:
#   CASE.err  `srchaind -c node.conf --check` exits 1 and its error (after
#             "srchaind: ") starts with this line, e.g.
#             node.conf:5: field 'mtu': '67' is not a number 68-65535
#   CASE.ok   `--check` exits 0 and prints exactly this
# The file is checked under the name node.conf (in a temporary directory), so
# the expected text does not depend on where the tree is. Cases are named
# after the statement they exercise (interface-07 ...). The last line is
# "conf: N passed, M failed"; exit 1 on a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
	echo "usage: $0 PATH/TO/srchaind [CASE...]" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
[ -x "$bin" ] || { echo "conf: $bin is not executable" >&2; exit 2; }
work=$(mktemp -d /tmp/srchain-conf.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ $# -eq 0 ]; then
	set -- $(cd "$here" && ls ./*.in | sed 's|^\./||; s|\.in$||')
fi
pass=0 fail=0
for c in "$@"; do
	cp "$here/$c.in" "$work/node.conf" || { fail=$((fail + 1)); continue; }
	(cd "$work" && "$bin" -c node.conf --check >out 2>err)
	rc=$?
	if [ -e "$here/$c.err" ]; then
		want="srchaind: $(cat "$here/$c.err")"
		got=$(cat "$work/err")
		if [ "$rc" = 1 ] && [ "${got:0:${#want}}" = "$want" ]; then
			pass=$((pass + 1))
			continue
		fi
		echo "conf: FAIL $c: exit $rc (want 1)"
		echo "  want: $want"
		echo "  got:  $got"
	elif [ -e "$here/$c.ok" ]; then
		if [ "$rc" = 0 ] && cmp -s "$here/$c.ok" "$work/out" && [ ! -s "$work/err" ]; then
			pass=$((pass + 1))
			continue
		fi
		echo "conf: FAIL $c: exit $rc (want 0)"
		diff "$here/$c.ok" "$work/out" | sed 's/^/  /'
		sed 's/^/  stderr: /' "$work/err"
	else
		echo "conf: FAIL $c: neither $c.err nor $c.ok"
	fi
	fail=$((fail + 1))
done
echo "conf: $pass passed, $fail failed"
[ "$fail" = 0 ]

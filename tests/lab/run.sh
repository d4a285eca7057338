#!/usr/bin/env bash
# Runs the namespace lab tests: tests/lab/run.sh [tests/lab/test_NAME.sh ...]
# (default: every tests/lab/test_*.sh). They need root and create only
# namespaces and veths of their own, with documentation prefixes.
#
# A test exits 0 (passed), 77 (skipped: a tool or kernel feature it needs is
# missing, found before it ran anything of the project's) or anything else
# (failed). The closing line is "lab: N passed, N failed, N skipped"; the
# exit status 1 if a test failed, else 77 if one was skipped, else 0.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- tests/lab/test_*.sh
pass=0 fail=0 skip=0 skipped=
for t in "$@"; do
	[ -e "$t" ] || continue
	bash "$t"
	rc=$?
	case $rc in
	0) pass=$((pass + 1)) ;;
	77)
		skip=$((skip + 1))
		skipped="$skipped $(basename "$t" .sh)"
		;;
	*)
		fail=$((fail + 1))
		echo "lab: FAILED $t (exit $rc)"
		;;
	esac
done
[ -n "$skipped" ] && echo "lab: skipped:$skipped"
echo "lab: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] || exit 1
[ "$skip" = 0 ] || exit 77

#!/usr/bin/env bash
# Runs every namespace lab test (tests/lab/test_*.sh). They need root and
# create only namespaces and veths of their own, with documentation prefixes.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
	echo "lab: skipped (needs root for network namespaces)"
	exit 0
fi
pass=0 fail=0
for t in tests/lab/test_*.sh; do
	[ -e "$t" ] || continue
	if bash "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "lab: FAILED $t"
	fi
done
echo "lab: $pass passed, $fail failed"
[ "$fail" = 0 ]

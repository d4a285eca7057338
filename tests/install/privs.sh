#!/usr/bin/env bash
# srchaind@.service's least privilege, tried for real on this kernel: `make
# install PREFIX=<temporary>`, then tests/install/caps.sh (srchaind as an
# unprivileged uid with exactly the unit's capabilities serves with AF_XDP and
# AF_PACKET; without any one of them it does not) and tests/install/ctl_perms.sh
# (the control socket's directory 0750 and socket 0660, enforced).
# Needs root; each makes one namespace of its own and removes it.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
	echo "install_privs: skipped (needs root for network namespaces)"
	exit 0
fi
for tool in make setpriv prlimit; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "install_privs: skipped ($tool not found)"
		exit 0
	fi
done
TMP=$(mktemp -d /tmp/srchain-privs-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
if ! make -s BUILD="${BUILD:-build}" install PREFIX="$TMP/prefix" >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log"
	echo "install_privs: make install failed"
	exit 1
fi
chmod 755 "$TMP"
fail=0
for t in caps ctl_perms; do
	echo "install_privs: tests/install/$t.sh"
	bash "tests/install/$t.sh" "$TMP/prefix" || fail=$((fail + 1))
done
echo "install_privs: $((2 - fail)) passed, $fail failed"
[ "$fail" = 0 ]

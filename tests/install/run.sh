#!/usr/bin/env bash
# `make install` as a packager runs it, then what was installed:
#  (a) DESTDIR=<temporary> with the default PREFIX: the binaries (executable),
#      man pages, unit, sysusers file, docs and examples, and nothing outside
#      DESTDIR;
#  (b) every program: --version prints "PROG <VERSION>"; --help has the
#      NAME/SYNOPSIS/DESCRIPTION layout;
#  (c) every man page: `mandoc -T lint -W warning` and `man --warnings -l`
#      say nothing; each program's page names every long option its --help
#      names; srchaind.conf(5)'s SYNOPSIS is doc/srchaind.conf.md's;
#  (d) the unit (PREFIX=<temporary>, so that its ExecStart exists):
#      `systemd-analyze verify` says nothing; least privilege and the
#      control socket's permissions are as srchaind(8) documents them;
# The parts that need root and a namespace (the capabilities srchaind needs,
# the control socket's permissions enforced) are tests/install/caps.sh and
# ctl_perms.sh, run by tests/lab/test_install_privs.sh in the lab group.
# Needs make, mandoc, man-db (man), systemd (systemd-analyze; skipped
# without it).
set -uo pipefail
cd "$(dirname "$0")/../.."

MAKE=${MAKE:-make}
BUILD=${BUILD:-build}
for tool in mandoc man "$MAKE"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "install: skipped ($tool not found; tools/deps.sh installs it)"
		exit 0
	fi
done
. tests/install/lib.sh
TMP=$(mktemp -d /tmp/srchain-install-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
VERSION=$(cat VERSION)

# --- (a) DESTDIR
D=$TMP/dest
if ! "$MAKE" -s BUILD="$BUILD" install DESTDIR="$D" >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log"
	bad "make install DESTDIR=$D"
	echo "install: $pass passed, $fail failed"
	exit 1
fi
ok "make install DESTDIR=... (PREFIX /usr/local)"
U=$D/usr/local
for f in sbin/srchaind sbin/srchainctl bin/srlab bin/srtraffic bin/srlink; do
	check "$f installed, executable" test -x "$U/$f" -a -f "$U/$f"
done
PAGES="man1/srlab.1 man1/srtraffic.1 man1/srlink.1 man5/srchaind.conf.5 man8/srchaind.8 man8/srchainctl.8"
for p in $PAGES; do
	check "share/man/$p installed" test -f "$U/share/man/$p"
done
for f in lib/systemd/system/srchaind@.service lib/sysusers.d/srchain.conf \
	share/doc/srchain/srchaind.conf.md share/doc/srchain/srlab.md \
	share/doc/srchain/examples/srlab/srv6-chain.topo.json \
	share/doc/srchain/examples/systemd/NAME.env; do
	check "$f installed" test -f "$U/$f"
done
outside=$(find "$D" -mindepth 1 -maxdepth 1 ! -name usr)
check "nothing outside DESTDIR/usr/local ($outside)" test -z "$outside" -a \
	"$(find "$D/usr" -mindepth 1 -maxdepth 1)" = "$D/usr/local"
check "the pages name the installed documentation" \
	grep -q "^.It Pa /usr/local/share/doc/srchain/srlab.md" "$U/share/man/man1/srlab.1"

# --- (b) --version, --help layout
for p in sbin/srchaind sbin/srchainctl bin/srlab bin/srtraffic bin/srlink; do
	n=${p#*/}
	v=$("$U/$p" --version 2>&1)
	check "$n --version: '$v'" bash -c "[[ '$v' =~ ^$n\ $VERSION(\ \(.+\))?\$ ]]"
	"$U/$p" --help >"$TMP/$n.help" 2>&1
	check "$n --help: NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS" bash -c \
		"head -2 '$TMP/$n.help' | tr -d '\n' | grep -Eq '^NAME +$n - ' &&
		 grep -qx SYNOPSIS '$TMP/$n.help' && grep -qx DESCRIPTION '$TMP/$n.help' &&
		 grep -qx 'EXIT STATUS' '$TMP/$n.help'"
done
"$U/bin/srtraffic" send --help >>"$TMP/srtraffic.help" 2>&1
"$U/bin/srtraffic" recv --help >>"$TMP/srtraffic.help" 2>&1

# --- (c) man pages
for p in $PAGES; do
	page=$U/share/man/$p
	lint=$(mandoc -T lint -W warning "$page" 2>&1)
	check "mandoc -T lint -W warning $p: clean${lint:+ ($lint)}" test -z "$lint"
	warn=$(MANWIDTH=100 man --warnings -l "$page" 2>&1 >"$TMP/page.txt")
	check "man --warnings -l $p: renders, no warning${warn:+ ($warn)}" \
		test -z "$warn" -a "$(wc -l <"$TMP/page.txt")" -gt 40
	n=$(basename "${p%.*}")
	[ -f "$TMP/$n.help" ] || continue
	missing=
	for opt in $(grep -o -- '--[a-z][a-z0-9-]*' "$TMP/$n.help" | sort -u); do
		grep -q -- "$opt\b" "$TMP/page.txt" || missing="$missing $opt"
	done
	check "$p documents every option of $n --help${missing:+ (missing:$missing)}" \
		test -z "$missing"
done
sed -n '/^## SYNOPSIS/,/^```$/p' doc/srchaind.conf.md | sed '1,/^```text/d;$d' >"$TMP/syn.md"
sed -n '/^\.Bd -literal$/,/^\.Ed$/p' man/srchaind.conf.5 | sed '1d;$d' | head -n "$(wc -l <"$TMP/syn.md")" >"$TMP/syn.man"
check "srchaind.conf(5) SYNOPSIS = doc/srchaind.conf.md SYNOPSIS" \
	bash -c "test -s '$TMP/syn.md' && diff '$TMP/syn.md' '$TMP/syn.man'"

# --- (d) the unit
unit=$U/lib/systemd/system/srchaind@.service
check "unit: ExecStart is the installed srchaind" \
	grep -q '^ExecStart=/usr/local/sbin/srchaind -c /etc/srchain/%i.conf --live ' "$unit"
for want in '^User=srchain$' '^Group=srchain$' '^NoNewPrivileges=yes$' \
	'^AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW CAP_BPF CAP_PERFMON CAP_IPC_LOCK$' \
	'^CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_BPF CAP_PERFMON CAP_IPC_LOCK$' \
	'^RuntimeDirectory=srchain/%i$' '^RuntimeDirectoryMode=0750$' '^UMask=0077$' \
	'--ctl /run/srchain/%i/srchaind.sock$' 'chmod 0660 '; do
	check "unit: $want" grep -q -- "$want" "$unit"
done
check "srchaind(8) documents the directory and socket modes" \
	bash -c "grep -q 'is mode 0750' man/srchaind.8 && grep -q 'the socket 0660' man/srchaind.8"
if command -v systemd-analyze >/dev/null; then
	R=$TMP/prefix
	"$MAKE" -s BUILD="$BUILD" install PREFIX="$R" >"$TMP/install2.log" 2>&1 ||
		cat "$TMP/install2.log"
	cp "$R/lib/systemd/system/srchaind@.service" "$TMP/srchaind@lab.service"
	out=$(systemd-analyze verify --man=no "$TMP/srchaind@lab.service" 2>&1)
	check "systemd-analyze verify srchaind@lab.service: exit $?, silent${out:+ ($out)}" \
		test $? = 0 -a -z "$out"
	if command -v systemd-sysusers >/dev/null; then
		mkdir -p "$TMP/root/etc"
		systemd-sysusers --root="$TMP/root" "$PWD/systemd/srchain.sysusers" >/dev/null 2>&1
		check "sysusers.d: creates user and group srchain" bash -c \
			"grep -q '^srchain:' '$TMP/root/etc/passwd' && grep -q '^srchain:' '$TMP/root/etc/group'"
	fi
else
	echo "  skip systemd-analyze verify (systemd not installed)"
fi

echo "install: $pass passed, $fail failed"
[ "$fail" = 0 ]

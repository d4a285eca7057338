#!/bin/bash
# Golden packet tests: tests/golden/run.sh PATH/TO/srchaind [CASE...]
#
# gen.py writes every case (node config, input pcaps, expected pcaps built
# from the RFCs with scapy, case.json); srchaind runs each case offline;
# compare.py checks the output pcaps byte for byte, the JSON counters and the
# per-object counts; tshark must decode every output pcap without a
# "Malformed" or error-level expert note. As root, kernel.sh then compares
# srchaind with the Linux kernel's seg6/seg6local. The last line is
# "golden: N passed, M failed, K skipped" (kernel cases included; K counts
# the kernel part when it was skipped). Exit 1 on a failure; 77 when nothing
# failed but something was skipped: a missing tool (tshark, scapy: then
# nothing runs) or kernel feature, found before srchaind runs.
#
# GOLDEN_KEEP=DIR keeps the work files in DIR; GOLDEN_KERNEL=0 skips kernel.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3 # Debian's python: scapy imports there

if [ $# -lt 1 ]; then
	echo "usage: $0 PATH/TO/srchaind [CASE...]" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
command -v tshark >/dev/null || { echo "golden: skipped (tshark not found)"; exit 77; }
"$py" -c 'import scapy' 2>/dev/null || { echo "golden: skipped ($py has no scapy)"; exit 77; }
[ -x "$bin" ] || { echo "golden: FAIL $bin is not executable"; exit 1; }

if [ -n "${GOLDEN_KEEP:-}" ]; then
	work=$GOLDEN_KEEP
	rm -rf "$work" && mkdir -p "$work"
else
	work=$(mktemp -d /tmp/srchain-golden.XXXXXX)
	trap 'rm -rf "$work"' EXIT
fi
cases=$work/cases
res=$work/results

"$py" "$here/gen.py" "$cases" "$@" || { echo "golden: gen.py failed"; exit 1; }

# ASan/UBSan: report and stop on the first error; leaks are errors too
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

while read -r name; do
	[ -n "$name" ] || continue
	c=$cases/$name
	r=$res/$name
	mkdir -p "$r/out"
	args=()
	for f in "$c"/in[0-9]*_*.pcap; do # in0_eth0.pcap, in1_eth1.pcap ... in input order
		iface=$(basename "$f")
		iface=${iface#in[0-9]*_}
		args+=(--in "${iface%.pcap}=$f")
	done
	"$bin" -c "$c/node.conf" --offline "${args[@]}" --out "$r/out" --json --drops \
		>"$r/stdout.json" 2>"$r/stderr.txt"
	echo $? >"$r/rc"
	# every pcap the node sends must decode cleanly (drop.pcap holds what
	# was refused, often on purpose malformed: not checked)
	: >"$r/tshark.txt"
	for p in "$r"/out/*.pcap; do
		[ -e "$p" ] || continue
		[ "$(basename "$p")" = drop.pcap ] && continue
		tshark -n -r "$p" -V 2>&1 | grep -E 'Malformed|Expert Info \(Error' |
			sed "s|^|$(basename "$p"): |" | sort -u | head -20 >>"$r/tshark.txt"
	done
done <"$cases/cases.txt"

"$py" "$here/compare.py" "$cases" "$res"
read -r passed failed <"$res/summary" || { passed=0; failed=1; }

skipped=0
if [ "${GOLDEN_KERNEL:-1}" != 0 ] && [ $# -eq 0 ]; then
	klog=$work/kernel.log
	"$here/kernel.sh" "$bin" 2>&1 | tee "$klog"
	krc=${PIPESTATUS[0]}
	k=$(grep -E '^kernel: [0-9]+ passed, [0-9]+ failed' "$klog" | tail -1)
	if [ "$krc" = 77 ]; then
		skipped=1
	elif [ -n "$k" ]; then
		kp=$(echo "$k" | sed -E 's/^kernel: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
		kf=$(echo "$k" | sed -E 's/^kernel: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
		passed=$((passed + kp))
		failed=$((failed + kf))
		[ "$krc" = 0 ] || [ "$kf" != 0 ] || failed=$((failed + 1))
	else
		echo "kernel: FAIL kernel.sh exited $krc without its closing line"
		failed=$((failed + 1))
	fi
fi

echo "golden: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
[ "$skipped" -eq 0 ] || exit 77

#!/usr/bin/env bash
# Every PCEP message the codec encodes, written into a pcap by pcep-gen and
# dissected by tshark: each frame must be named as the message we sent, show
# the objects, TLVs and subobjects we put in, and raise no expert info --
# except two gaps of Wireshark 4.0's dissector, allowed by exact text on
# exactly the frames that carry them (see doc/pcep.md):
#   - SRv6-ERO (ERO subobject 40, RFC 9603) is not known: "Non defined subobject (40)"
#   - IPV6-LSP-IDENTIFIERS: 4.0 reads the 16-byte Extended Tunnel ID as an
#     integer: "Trying to fetch an unsigned integer with length 16"
# Usage: tests/pcep/tshark.sh build/pcep-gen      (exit 77: tshark missing)
set -euo pipefail
gen=${1:?usage: tshark.sh path/to/pcep-gen}
command -v tshark >/dev/null || { echo "pcep tshark: SKIP (tshark not installed)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" -p "$tmp/pcep.pcap"
tshark -r "$tmp/pcep.pcap" -V -o tcp.desegment_tcp_streams:TRUE 2>/dev/null >"$tmp/all.txt"
# one file per frame: f1.txt, f2.txt, ...
awk -v d="$tmp" '/^Frame [0-9]+:/ { n++ } n { print > (d "/f" n ".txt") }' "$tmp/all.txt"

fail=0
bad() { echo "pcep tshark: frame $1: $2"; fail=1; }

# frame | message type as tshark names it | required lines (;-separated) | allowed expert text
checks=(
"1|Open (1)|OPEN object;STATEFUL-PCE-CAPABILITY;LSP-UPDATE-CAPABILITY (U): True;LSP-INSTANTIATION-CAPABILITY (I): True;PATH-SETUP-TYPE-CAPABILITY;Path Setup Type: Path is setup using Segment Routing (1);SR-PCE-CAPABILITY;MSD: 10;Keepalive: 30;Deadtime: 120|"
"2|Open (1)|OPEN object;STATEFUL-PCE-CAPABILITY;SR-PCE-CAPABILITY|"
"3|Keepalive (2)||"
"4|(PCRpt) (10)|LSP object;PLSP-ID: 5;SYNC (S): Set;SYMBOLIC-PATH-NAME: chain-web;IPV4-LSP-IDENTIFIERS;IPv4 Tunnel Sender Address: 192.0.2.1;EXPLICIT ROUTE object (ERO);Type: SUBOBJECT SR (36);NAI Type: IPv4 Node ID (1);NAI Type: IPv4 Adjacency (3);NAI Type: Unnumbered Adjacency with IPv4 NodeIDs (5);NAI Type: IPv6 Node ID (2);NAI Type: IPv6 Adjacency with global IPv6 addresses (4);SID/Label: 16001;SID/Label: 24003;BANDWIDTH object;Bandwidth: 1e+06;METRIC object;Metric Value: 20|"
"5|(PCRpt) (10)|LSP object;IPV6-LSP-IDENTIFIERS;IPv6 Tunnel Sender Address: 2001:db8::1;IPv6 Tunnel Endpoint Address: 2001:db8::2;SYMBOLIC-PATH-NAME: chain-v6;EXPLICIT ROUTE object (ERO)|Trying to fetch an unsigned integer with length 16"
"6|(PCRpt) (10)|LSP object;PLSP-ID: 0;SYNC (S): Not set;EXPLICIT ROUTE object (ERO)|"
"7|(PCUpd) (11)|SRP object;SRP-ID-number: 1;PATH-SETUP-TYPE;LSP object;Delegate (D): Set;EXPLICIT ROUTE object (ERO);Type: SUBOBJECT SR (36);METRIC object|"
"8|(PCUpd) (11)|SRP object;SRP-ID-number: 2;LSP object;EXPLICIT ROUTE object (ERO)|Non defined subobject (40)"
"9|(PCInitiate) (12)|SRP object;SRP-ID-number: 3;LSP object;SYMBOLIC-PATH-NAME: sfc-1;END-POINT object;Destination IPv4 Address: 192.0.2.3;EXPLICIT ROUTE object (ERO);SID/Label: 16003|"
"10|(PCInitiate) (12)|SRP object;Remove (R): Set;LSP object;PLSP-ID: 7|"
"11|(PCErr) (6)|ERROR object;Error-Type: PCEP Session Establishment Failure (1);Error-Value: Unacceptable but Negotiable session characteristics (4);OPEN object;Keepalive: 10;Deadtime: 40|"
"12|(PCErr) (6)|SRP object;ERROR object;Error-Type: LSP instantiation error (24)|"
"13|Close (7)|CLOSE object|"
)

nframes=$(ls "$tmp"/f*.txt | wc -l)
[ "$nframes" -eq "${#checks[@]}" ] || bad all "expected ${#checks[@]} frames, tshark shows $nframes"
for c in "${checks[@]}"; do
	IFS='|' read -r n type req allow <<<"$c"
	f="$tmp/f$n.txt"
	[ -f "$f" ] || { bad "$n" "missing"; continue; }
	grep -q '^Path Computation Element communication Protocol' "$f" || bad "$n" "not dissected as PCEP"
	grep -qF "Message Type: " "$f" && grep -F "Message Type: " "$f" | grep -qF "$type" ||
		bad "$n" "message type is not '$type'"
	IFS=';' read -r -a lines <<<"$req"
	for l in "${lines[@]}"; do
		[ -z "$l" ] || grep -qF -- "$l" "$f" || bad "$n" "no line '$l'"
	done
	# Every expert info and every 'Malformed' must be the allowed text.
	while IFS= read -r line; do
		case "$line" in
		*"[Group: Malformed]"*) ;; # the group line of an expert info checked below
		*)
			if [ -z "$allow" ] || [[ "$line" != *"$allow"* ]]; then
				bad "$n" "tshark says: ${line#"${line%%[![:space:]]*}"}"
			fi
			;;
		esac
	done < <(grep -E 'Expert Info|Malformed' "$f" | grep -v '^\s*\[Malformed' || true)
	# An allowed gap that no longer shows means a newer dissector: say so.
	if [ -n "$allow" ] && ! grep -qF "$allow" "$f"; then
		echo "pcep tshark: frame $n: note: '$allow' no longer reported (newer tshark?)"
	fi
done
if grep -q 'Expert Info (Error' "$tmp/all.txt"; then
	bad all "an Expert Info (Error...) line"
fi
[ "$fail" -eq 0 ] || exit 1
echo "pcep tshark: $nframes messages dissected cleanly ($(tshark --version 2>/dev/null | head -1))"

#!/bin/bash
# Checks that every `#include "folder/..."` in src/ points down the layers of
# tools/layers.txt (or into its own folder). Prints file:line for each
# include that points up, sideways, or into an unknown folder; exit 1 if any.
# Usage: tools/layers.sh [SRC_DIR [LAYERS_FILE]]
set -euo pipefail

src=${1:-src}
layers=${2:-$(dirname "$0")/layers.txt}

[ -d "$src" ] || { echo "layers: no directory $src" >&2; exit 2; }
[ -r "$layers" ] || { echo "layers: cannot read $layers" >&2; exit 2; }

files=$(find "$src" -name '*.[ch]' | sort)
[ -n "$files" ] || { echo "layers: no sources under $src" >&2; exit 2; }

# shellcheck disable=SC2086
awk -v src="$src" '
FNR == 1 { nfile++ }
nfile == 1 {
	sub(/#.*/, "")
	if (NF == 0)
		next
	if ($1 == "allow") {
		if (NF != 3) {
			printf "%s:%d: expected allow FILE FOLDER\n", FILENAME, FNR
			bad = 1
			next
		}
		allow[$2 SUBSEP $3] = 1
		next
	}
	lvl++
	for (i = 1; i <= NF; i++) {
		if ($i in rank) {
			printf "%s:%d: folder %s placed twice\n", FILENAME, FNR, $i
			bad = 1
		}
		rank[$i] = lvl
	}
	next
}
# a source file: its folder is the first component under src/
FNR == 1 {
	rel = substr(FILENAME, length(src) + 2)
	split(rel, part, "/")
	own = part[1]
	if (!(own in rank)) {
		printf "%s: folder %s is not in the layers file\n", FILENAME, own
		bad = 1
	}
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	inc = $0
	sub(/^[^"]*"/, "", inc)
	sub(/".*/, "", inc)
	if (index(inc, "/") == 0)
		next # generated or same-directory header, no folder
	dst = substr(inc, 1, index(inc, "/") - 1)
	if (dst == own || (FILENAME SUBSEP dst) in allow) {
		used[FILENAME SUBSEP dst] = 1
		next
	}
	if (!(dst in rank)) {
		printf "%s:%d: includes \"%s\": folder %s is not in the layers file\n", FILENAME, FNR, inc, dst
		bad = 1
	} else if (own in rank && rank[dst] >= rank[own]) {
		printf "%s:%d: includes \"%s\": %s may not include %s (%s)\n", FILENAME, FNR, inc, own, dst, rank[dst] == rank[own] ? "same layer" : "higher layer"
		bad = 1
	}
}
END {
	for (k in allow)
		if (!(k in used)) {
			split(k, a, SUBSEP)
			printf "layers: exception \"allow %s %s\" is no longer needed: remove it\n", a[1], a[2]
			bad = 1
		}
	if (bad)
		exit 1
	print "layers: clean"
}' "$layers" $files

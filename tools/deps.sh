#!/usr/bin/env bash
# Installs, from Debian packages, whatever srchain needs to build and test and
# is not installed yet. Safe to run again; installs nothing when all is there.
set -euo pipefail

PKGS=(
	build-essential make gcc pkg-config   # build
	clang libclang-rt-14-dev llvm          # libFuzzer targets, sanitizers
	libbpf-dev libxdp-dev bpftool          # AF_XDP / XDP backend (bpftool: skeleton)
	iproute2 iputils-ping procps kmod ethtool  # namespace lab
	tshark python3 python3-scapy jq        # golden tests: decode and build packets
	frr                                    # lab routers: OSPF drives SR-MPLS forwarding
	clang-format                           # style check
	nettle-dev libjansson-dev              # HMAC-SHA-256 (SRH), JSON parser
	libsqlite3-dev                         # srpced inventory (src/pce/inv.c)
	mandoc man-db systemd                  # install test: man page lint and rendering, unit check
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: need root to install: ${missing[*]}" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
		{ echo "deps: apt-get install failed" >&2; exit 1; }
fi

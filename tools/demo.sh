#!/usr/bin/env bash
# The demo: a service chain in a namespace lab, on defaults.
#
#   a --- in --- node --- eg --- b
#         |       |        |
#         |       |        Linux seg6local End.DX6 (SID2): leaves the chain
#         |       srchaind: End on SID1 with an SR-aware firewall
#         Linux seg6 H.Encaps: traffic to b gets the segment list SID1,SID2
#
# Installs what is missing, builds, then `srlab run` brings the lab up
# (namespaces srlab-srv6chain-*, documentation prefixes only), runs the
# scenario (a TCP flow that passes, a UDP flow that a firewall rule added
# at run time cuts in half), prints flows, per-function counters and
# assertions, and removes everything. Pass another scenario file to run it.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (it builds network namespaces)" >&2
	exit 1
fi
tools/deps.sh || exit 1
make -s -j"$(nproc)" build/srchaind build/srtraffic build/srlab || exit 1
[ -x build/srchainctl ] || make -s build/srchainctl 2>/dev/null || true

topo=examples/srlab/srv6-chain.topo.json
scen=${1:-examples/srlab/srv6-chain-change.scenario.json}
echo "chain: a -> in [Linux H.Encaps, segs SID1,SID2] -> node [srchaind: SID1 End + firewall fw]"
echo "         -> eg [Linux End.DX6 on SID2] -> b"
echo "scenario: $(jq -r '.comment // empty' "$scen")"
echo
exec build/srlab run "$topo" "$scen"

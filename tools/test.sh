#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: install what is
# missing, build everything, run `make check` (unit and golden tests under
# ASan+UBSan, fuzz corpora, namespace lab tests when root).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
make -j"$(nproc)" all build/san/unit-tests build/san/srchaind
make check

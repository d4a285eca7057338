#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: install what is
# missing, build everything, run `make check` (unit, configuration and golden
# tests under ASan+UBSan, fuzz corpora, namespace lab tests). Its last line
# names any group that was skipped for a missing tool or kernel feature (for
# the lab tests: not root); STRICT=1 tools/test.sh makes a skip a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
make -j"$(nproc)" all build/san/unit-tests build/san/srchaind
make check

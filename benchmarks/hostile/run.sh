#!/usr/bin/env bash
# The hostile-input suite at full size (issue 16): a 1 GB single-line file,
# a 2 GB file, 100,000 tiny files, a 500 MB JSONL line, a 100 MB base64
# blob, base64 nested 50 deep, 4 MB keyword floods, 50,000 files deleted
# during a scan, and every fault case of the CI share. Each case prints a
# RESULT line: case | exit | report | findings kept/planted | time | peak RSS;
# gitleaks runs on the big inputs of the same run (RESULT   gitleaks ...).
#
#   benchmarks/hostile/run.sh            # needs ~4 GB free in $TMPDIR
#   LG_HOSTILE_GITLEAKS=none run.sh      # without gitleaks
#   LG_HOSTILE_GITLEAKS_TIMEOUT=3m run.sh # stop gitleaks sooner (default 10m)
#
# go test -short ./benchmarks/hostile is the CI share (small sizes).
set -euo pipefail
cd "$(dirname "$0")"
gl=${LG_HOSTILE_GITLEAKS:-/work/bin/gitleaks}
[ "$gl" = none ] && gl=
[ -n "$gl" ] && ! [ -x "$gl" ] && { echo "run.sh: no gitleaks at $gl (LG_HOSTILE_GITLEAKS=none to skip)" >&2; gl=; }
echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# leakguard $(git rev-parse --short HEAD)${gl:+, $("$gl" version 2>/dev/null)}"
LG_HOSTILE=full LG_HOSTILE_GITLEAKS=$gl LG_HOSTILE_GITLEAKS_TIMEOUT=${LG_HOSTILE_GITLEAKS_TIMEOUT:-10m} go test -count=1 -v -timeout 4h . 2>&1 |
	tee "${TMPDIR:-/tmp}/hostile-full.log" | grep -E 'RESULT|^(--- FAIL|FAIL|ok|PASS)' | sed 's/^ *hostile_test.go:[0-9]*: //'
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

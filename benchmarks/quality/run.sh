#!/usr/bin/env bash
# Detection quality, leakguard next to gitleaks v8.30.1.
#
# Generates the labelled corpus (benchmarks/quality) into a temporary
# directory, scans it with leakguard (built from this checkout) and with
# gitleaks v8.30.1, and prints recall and precision overall, per secret
# type and per context for both.
#
# Usage: benchmarks/quality/run.sh
# Environment: SEED (default 1), FILES per context (default 20),
#   GITLEAKS (a gitleaks v8.30.1 binary; installed with go install if unset
#   and not found), MISSED (list up to N missed secrets per tool, default 0),
#   KEEP=1 keeps the work directory, MIN_RECALL and MIN_PRECISION make the
#   script fail when leakguard scores below them.
set -euo pipefail

cd "$(dirname "$0")/../.."
SEED=${SEED:-1}
FILES=${FILES:-20}
MISSED=${MISSED:-0}

work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then
	echo "work directory: $work"
else
	trap 'rm -rf "$work"' EXIT
fi

go build -o "$work/corpus" ./benchmarks/quality/cmd/corpus
"$work/corpus" gen -seed "$SEED" -files "$FILES" "$work/q"
root="$work/q/corpus"
status=0

score() { # name report [flags]
	local name=$1 report=$2
	shift 2
	"$work/corpus" score -labels "$work/q/labels.json" -root "$root" -name "$name" -missed "$MISSED" "$@" "$report"
}

# leakguard: exit 0 (clean) or 1 (findings) are both successful scans.
if go build -o "$work/leakguard" ./cmd/leakguard 2>"$work/leakguard-build.log"; then
	rc=0
	"$work/leakguard" scan "$root" --format gitleaks-json --show-secrets --no-progress \
		--output "$work/leakguard.json" 2>"$work/leakguard.err" || rc=$?
	if [ "$rc" -le 1 ] && [ -s "$work/leakguard.json" ]; then
		score "leakguard ($(git rev-parse --short HEAD 2>/dev/null || echo worktree))" "$work/leakguard.json" \
			-min-recall "${MIN_RECALL:-0}" -min-precision "${MIN_PRECISION:-0}" || status=1
	else
		echo "leakguard scan failed (exit $rc):" >&2
		cat "$work/leakguard.err" >&2
		status=1
	fi
else
	echo "leakguard does not build:" >&2
	cat "$work/leakguard-build.log" >&2
	status=1
fi

# gitleaks v8.30.1.
GITLEAKS=${GITLEAKS:-}
if [ -z "$GITLEAKS" ]; then
	GITLEAKS=$(go env GOPATH)/bin/gitleaks
	if [ ! -x "$GITLEAKS" ]; then
		go install github.com/zricethezav/gitleaks/v8@v8.30.1
	fi
fi
"$GITLEAKS" dir "$root" --report-format json --report-path "$work/gitleaks.json" \
	--no-banner --exit-code 0 2>"$work/gitleaks.err" || {
	echo "gitleaks scan failed:" >&2
	cat "$work/gitleaks.err" >&2
	exit 1
}
score "gitleaks v8.30.1" "$work/gitleaks.json"
exit "$status"

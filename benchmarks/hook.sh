#!/usr/bin/env bash
# Pre-commit hook latency: leakguard's installed pre-commit hook vs
# `gitleaks git --pre-commit --staged` (v8.30.1), timed from the start of
# the hook script to its exit, on a repository with FILES staged files.
#
#   benchmarks/hook.sh
#
# Environment:
#   RUNS=21      timed runs per tool and case (median reported); the runs of
#                the two tools alternate
#   FILES=10     staged files
#   LINES=300    lines per staged file (about 40 bytes each)
#   BENCH_DIR    work directory (default ${TMPDIR:-/tmp}/leakguard-hook-bench)
#
# Two cases: "clean" (nothing to find: both hooks must exit 0) and "one
# secret" (a fake AWS key built at run time in one of the files: both must
# exit 1). A hook that answers otherwise fails the benchmark (exit 1).
# Output: a markdown table on stdout; progress on stderr. Nothing is written
# inside this repository; the audit log goes to BENCH_DIR.
set -euo pipefail

RUNS=${RUNS:-21}
FILES=${FILES:-10}
LINES=${LINES:-300}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=${BENCH_DIR:-${TMPDIR:-/tmp}/leakguard-hook-bench}
GITLEAKS_VERSION=v8.30.1

log() { echo "hook.sh: $*" >&2; }
die() { log "$*"; exit 2; }

mkdir -p "$TMP/bin"
log "building leakguard"
(cd "$ROOT" && go build -o "$TMP/bin/leakguard" ./cmd/leakguard) || die "cannot build leakguard"
GL="$TMP/bin/gitleaks"
if [ ! -x "$GL" ]; then
	log "installing gitleaks $GITLEAKS_VERSION"
	GOBIN="$TMP/bin" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION" || die "cannot install gitleaks"
fi
GOVERSION=$(go version | cut -d' ' -f3)

# From here on, git and the hooks see neither the user's config nor their
# audit log.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_STATE_HOME="$TMP/state"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export PATH="$TMP/bin:$PATH"
mkdir -p "$HOME"

# make_repo DIR: a repository with one commit and FILES staged files of
# code-like text (new files and edits of committed ones).
make_repo() {
	local dir=$1
	rm -rf "$dir"
	git -c init.defaultBranch=main init -q "$dir"
	(
		cd "$dir"
		for i in $(seq 1 "$FILES"); do
			awk -v n="$LINES" -v f="$i" 'BEGIN {
				for (l = 1; l <= n; l++)
					printf "func handler%d_%d(w http.ResponseWriter) { log.Printf(\"step %%d\", %d) }\n", f, l, l
			}' >"file$i.go"
		done
		git add . && git commit -q -m base
		# Stage edits: half of the files change, half are new.
		for i in $(seq 1 "$FILES"); do
			if [ $((i % 2)) -eq 0 ]; then
				sed -i 's/step/stage/' "file$i.go"
			else
				cp "file$i.go" "new$i.go"
			fi
		done
		git add .
	)
}

# fake_key prints a fake AWS access key id, assembled so that no line of
# this script holds one.
fake_key() { printf 'AK%s%s' 'IA' 'QYLPMN5HHHFPZAM2'; }

# time_ms CMD...: runs CMD in the current directory, prints "ms status".
time_ms() {
	local t0 t1 st=0
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || st=$?
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000)) $st"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

REPO="$TMP/repo"
GLHOOK="$TMP/gitleaks-pre-commit"
# gitleaks' documented pre-commit hook, as a script like leakguard's.
printf '#!/bin/sh\nexec gitleaks git --pre-commit --staged --redact --no-banner --exit-code 1\n' >"$GLHOOK"
chmod +x "$GLHOOK"

echo "## Pre-commit hook latency ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "$(nproc) CPUs, $GOVERSION, gitleaks $GITLEAKS_VERSION, git $(git --version | cut -d' ' -f3);" \
	"$FILES staged files of $LINES lines; median of $RUNS runs, hook script start to exit;" \
	"load average at start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)."
echo
echo "| case | leakguard hook run pre-commit | gitleaks git --pre-commit --staged | ratio |"
echo "|---|---:|---:|---:|"
fail=0
for case in clean secret; do
	make_repo "$REPO"
	want=0
	if [ "$case" = secret ]; then
		printf 'aws_access_key_id = %s\n' "$(fake_key)" >>"$REPO/new1.go"
		git -C "$REPO" add new1.go
		want=1
	fi
	(cd "$REPO" && leakguard hook install --hooks pre-commit >/dev/null)
	: >"$TMP/lg.times"
	: >"$TMP/gl.times"
	for _ in $(seq 1 "$RUNS"); do
		(cd "$REPO" && time_ms .git/hooks/pre-commit) >>"$TMP/lg.times"
		(cd "$REPO" && time_ms "$GLHOOK") >>"$TMP/gl.times"
	done
	for tool in lg gl; do
		if awk -v w="$want" '$2 != w { bad = 1 } END { exit !bad }' "$TMP/$tool.times"; then
			log "$tool: $case case: a run exited with a status other than $want"
			fail=1
		fi
	done
	lg=$(cut -d' ' -f1 "$TMP/lg.times" | median)
	gl=$(cut -d' ' -f1 "$TMP/gl.times" | median)
	ratio=$(awk -v l="$lg" -v g="$gl" 'BEGIN { printf "%.2fx", (l > 0 ? g / l : 0) }')
	label="clean (exit 0)"
	[ "$case" = secret ] && label="one secret (exit 1)"
	echo "| $label | ${lg} ms | ${gl} ms | gitleaks/leakguard $ratio |"
done
exit "$fail"

#!/usr/bin/env bash
# End-to-end throughput benchmark: leakguard vs gitleaks v8.30.1 on the same
# generated corpus, in the same run.
#
#   benchmarks/run.sh [SIZE]          # SIZE defaults to 256MB
#
# Environment:
#   RUNS=3        timed runs per tool for the directory scan (median reported)
#   SEED=1        corpus seed (planted secrets and their places)
#   SECRETS=70    number of planted secrets (10 of each of 7 formats)
#   BIG=1         also scan one 2 GB file (peak RSS scenario), once per tool
#   BIG_SIZE=2GB  size of that file
#   STDIN_RUNS=21 runs per tool for the stdin latency scenario
#   LG_PREV=BIN   also time an earlier leakguard binary in the same runs
#   BENCH_DIR     work directory (default ${TMPDIR:-/tmp}/leakguard-bench);
#                 corpora are cached there by size/seed/secrets.
#
# Output: a markdown report on stdout; progress on stderr. Nothing is written
# inside the repository. Exits 1 when a tool misses a planted secret in the
# directory scan (the table is printed first), 2 on setup errors.
set -euo pipefail

SIZE=${1:-256MB}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
SECRETS=${SECRETS:-70}
BIG=${BIG:-0}
BIG_SIZE=${BIG_SIZE:-2GB}
STDIN_RUNS=${STDIN_RUNS:-21}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=${BENCH_DIR:-${TMPDIR:-/tmp}/leakguard-bench}
GITLEAKS_VERSION=v8.30.1

log() { echo "run.sh: $*" >&2; }
die() { log "$*"; exit 2; }

mkdir -p "$TMP/bin" "$TMP/reports"

# --- tools ------------------------------------------------------------------

if ! /usr/bin/time -f %e true >/dev/null 2>&1; then
	log "installing GNU time"
	apt-get install -y -qq time >/dev/null || die "need GNU time at /usr/bin/time"
fi

log "building benchmark helpers"
(cd "$ROOT" && go build -o "$TMP/bin/gencorpus" ./benchmarks/corpus/cmd/gencorpus &&
	go build -o "$TMP/bin/plantcheck" ./benchmarks/corpus/cmd/plantcheck) || die "cannot build helpers"

LG="$TMP/bin/leakguard"
log "building leakguard"
if ! (cd "$ROOT" && go build -o "$LG" ./cmd/leakguard) 2>"$TMP/leakguard-build.log"; then
	log "leakguard does not build yet (see $TMP/leakguard-build.log); measuring gitleaks only"
	LG=""
fi

GL="$TMP/bin/gitleaks"
if [ ! -x "$GL" ]; then
	log "installing gitleaks $GITLEAKS_VERSION"
	GOBIN="$TMP/bin" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION" || die "cannot install gitleaks"
fi

# --- corpus -----------------------------------------------------------------

CORPUS="$TMP/corpus-v2-$SIZE-seed$SEED-n$SECRETS" # bump v2 when gencorpus output changes
if [ ! -f "$CORPUS/expected.json" ]; then
	rm -rf "$CORPUS"
	log "generating $SIZE corpus in $CORPUS"
	"$TMP/bin/gencorpus" -out "$CORPUS" -size "$SIZE" -seed "$SEED" -secrets "$SECRETS" || die "gencorpus failed"
fi
TREE="$CORPUS/tree"
EXPECTED="$CORPUS/expected.json"
BYTES=$(sed -n 's/^  "bytes": \([0-9]*\),$/\1/p' "$EXPECTED")
[ -n "$BYTES" ] || die "no byte count in $EXPECTED"
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
# Warm the page cache so that every timed run reads from memory.
find "$TREE" -type f -print0 | xargs -0 cat >/dev/null

# --- measuring --------------------------------------------------------------

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
max() { sort -g | tail -n 1; }

# timed NAME REPORT CMD...: runs CMD once under GNU time and appends
# "WALL_SECONDS PEAK_RSS_KB CPU_SECONDS" to $TMP/times-NAME. Exit status 1 means
# "findings" for leakguard and is accepted.
timed() {
	local name=$1 report=$2
	shift 2
	rm -f "$report"
	local t0 t1 rc=0
	t0=$(date +%s%N)
	/usr/bin/time -f '%M %U %S' -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/stderr-$name" || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" -gt 1 ] || [ ! -s "$report" ]; then
		log "$name failed (exit $rc):"
		sed -n 1,20p "$TMP/stderr-$name" >&2
		return 1
	fi
	tail -n 1 "$TMP/rss" | awk -v a="$t0" -v b="$t1" \
		'{ printf "%.3f %d %.2f\n", (b - a) / 1e9, $1, $2 + $3 }' >>"$TMP/times-$name"
}

# scan TOOL NAME TARGET: one timed directory (or file) scan.
scan() {
	local report="$TMP/reports/$2.json"
	case $1 in
	leakguard) timed "$2" "$report" "$LG" scan "$3" --no-progress --format json --output "$report" ;;
	leakguard-prev) timed "$2" "$report" "$LG_PREV" scan "$3" --no-progress --format json --output "$report" ;;
	gitleaks) timed "$2" "$report" "$GL" dir "$3" --report-format json --report-path "$report" \
		--no-banner --exit-code 0 --log-level error ;;
	esac
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TOOLS=(gitleaks)
[ -n "$LG" ] && TOOLS=(leakguard gitleaks)
# LG_PREV=BINARY adds an earlier leakguard build to the same interleaved runs.
[ -n "$LG" ] && [ -n "${LG_PREV:-}" ] && TOOLS=(leakguard leakguard-prev gitleaks)
rm -f "$TMP"/times-*
for i in $(seq 1 "$RUNS"); do
	for tool in "${TOOLS[@]}"; do # interleaved, so load changes hit both tools
		log "directory scan: $tool run $i/$RUNS"
		scan "$tool" "$tool" "$TREE" || die "$tool directory scan failed"
	done
done

NPROC=$(nproc)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "## Directory scan: $MB MB corpus, $RUNS runs per tool"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $NPROC CPUs ($CPU); $(go version | cut -d' ' -f3); gitleaks $GITLEAKS_VERSION"
echo "Load average (1/5/15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Corpus: Go $(go env GOROOT)/src text, seed $SEED, $(sed -n 's/^  "files": \([0-9]*\),$/\1/p' "$EXPECTED") files, $SECRETS planted secrets."
echo
echo "| tool | corpus MB | median wall s | MB/s | median CPU s | peak RSS MB | findings | planted found (same rule) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
declare -A WALL
STATUS=0
for tool in "${TOOLS[@]}"; do
	wall=$(awk '{ print $1 }' "$TMP/times-$tool" | median)
	rss=$(awk '{ print $2 }' "$TMP/times-$tool" | max)
	cpu=$(awk '{ print $3 }' "$TMP/times-$tool" | median)
	read -r findings found same total < <("$TMP/bin/plantcheck" -expected "$EXPECTED" -report "$TMP/reports/$tool.json")
	WALL[$tool]=$wall
	if [ "$found" -ne "$total" ]; then
		STATUS=1
		"$TMP/bin/plantcheck" -v -expected "$EXPECTED" -report "$TMP/reports/$tool.json" 2>&1 >/dev/null | sed "s/^/run.sh: $tool /" >&2
	fi
	awk -v t="$tool" -v mb="$MB" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$findings" -v p="$found/$total ($same)" \
		'BEGIN { printf "| %s | %s | %.2f | %.1f | %.1f | %.0f | %d | %s |\n", t, mb, w, mb / w, c, r / 1024, f, p }'
done
echo
for tool in "${TOOLS[@]}"; do
	echo "- $tool wall times (s): $(awk '{ printf "%s ", $1 }' "$TMP/times-$tool")"
done
if [ -n "$LG" ]; then
	awk -v l="${WALL[leakguard]}" -v g="${WALL[gitleaks]}" \
		'BEGIN { printf "- speed ratio leakguard/gitleaks (gitleaks wall / leakguard wall): %.2fx\n", g / l }'
	read -r covered gltotal < <("$TMP/bin/plantcheck" -report "$TMP/reports/leakguard.json" -covers "$TMP/reports/gitleaks.json")
	echo "- gitleaks finding places (file:line) that leakguard also reports: $covered/$gltotal"
fi
echo "- peak RSS is the maximum over the runs (GNU time %M); CPU is user+system; findings are from the last run."

# --- one 2 GB file ----------------------------------------------------------

if [ "$BIG" = 1 ]; then
	BIG_BYTES=$(awk -v s="$BIG_SIZE" 'BEGIN { n = s + 0; u = toupper(s); m = 1
		if (u ~ /G/) m = 1073741824; else if (u ~ /M/) m = 1048576; else if (u ~ /K/) m = 1024
		printf "%.0f", n * m }')
	BIG_MB=$((BIG_BYTES >> 20))
	BIGFILE="$TMP/big-$BIG_SIZE.txt"
	if [ ! -f "$BIGFILE" ] || [ "$(stat -c %s "$BIGFILE")" -ne "$BIG_BYTES" ]; then
		log "building $BIGFILE by concatenating the corpus"
		rm -f "$BIGFILE"
		while [ ! -f "$BIGFILE" ] || [ "$(stat -c %s "$BIGFILE")" -lt "$BIG_BYTES" ]; do
			find "$TREE" -type f -print0 | sort -z | xargs -0 cat >>"$BIGFILE"
		done
		truncate -s "$BIG_BYTES" "$BIGFILE"
	fi
	cat "$BIGFILE" >/dev/null
	echo
	echo "## One $BIG_SIZE file, 1 run per tool"
	echo
	echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| tool | file MB | wall s | MB/s | CPU s | peak RSS MB | findings |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	rm -f "$TMP"/times-big-*
	for tool in "${TOOLS[@]}"; do
		log "$BIG_SIZE file: $tool"
		scan "$tool" "big-$tool" "$BIGFILE" || { STATUS=1; continue; }
		read -r wall rss cpu <"$TMP/times-big-$tool"
		findings=$("$TMP/bin/plantcheck" -report "$TMP/reports/big-$tool.json")
		awk -v t="$tool" -v mb="$BIG_MB" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$findings" \
			'BEGIN { printf "| %s | %d | %.2f | %.1f | %.1f | %.0f | %d |\n", t, mb, w, mb / w, c, r / 1024, f }'
	done
fi

# --- stdin latency ----------------------------------------------------------

# Two lines, one with a GitHub token generated now (valid checksum; never stored in the repo).
"$TMP/bin/gencorpus" -stdin-sample "$TMP/stdin.txt" -seed "$SEED"
LG_STDIN="$LG scan - --no-progress --format json --output $TMP/reports/stdin-leakguard.json"
GL_STDIN="$GL stdin --report-format json --report-path $TMP/reports/stdin-gitleaks.json --no-banner --exit-code 0 --log-level error"
echo
echo "## stdin latency: 2-line input, $STDIN_RUNS runs per tool"
echo
echo "| tool | median ms | findings |"
echo "|---|---:|---:|"
for tool in "${TOOLS[@]}"; do
	case $tool in
	leakguard) cmd=$LG_STDIN ;;
	leakguard-prev) cmd="$LG_PREV scan - --no-progress --format json --output $TMP/reports/stdin-leakguard-prev.json" ;;
	gitleaks) cmd=$GL_STDIN ;;
	esac
	log "stdin: $tool"
	rc=0
	$cmd <"$TMP/stdin.txt" >/dev/null 2>"$TMP/stderr-stdin" || rc=$?
	if [ "$rc" -gt 1 ]; then
		log "$tool stdin scan failed (exit $rc):"
		sed -n 1,20p "$TMP/stderr-stdin" >&2
		continue
	fi
	findings=$("$TMP/bin/plantcheck" -report "$TMP/reports/stdin-$tool.json")
	if command -v hyperfine >/dev/null; then
		hyperfine -i --style none --warmup 2 --runs "$STDIN_RUNS" --export-csv "$TMP/stdin-$tool.csv" \
			"$cmd < $TMP/stdin.txt" >/dev/null 2>&1
		ms=$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$TMP/stdin-$tool.csv")
		how="hyperfine's median (shell start-up subtracted)"
	else
		for _ in $(seq 1 "$STDIN_RUNS"); do
			t0=$(date +%s%N)
			$cmd <"$TMP/stdin.txt" >/dev/null 2>&1 || true
			t1=$(date +%s%N)
			echo $(((t1 - t0) / 1000)) # microseconds
		done | median >"$TMP/stdin-$tool.us"
		ms=$(awk '{ printf "%.1f", $1 / 1000 }' "$TMP/stdin-$tool.us")
		how="the median of a date +%s%N loop (includes process start-up)"
	fi
	echo "| $tool | $ms | $findings |"
done
echo
echo "- ${how:-no tool ran}."
rm -f "$TMP/stdin.txt" "$TMP"/reports/stdin-*.json
if [ "$STATUS" -ne 0 ]; then
	log "FAIL: a tool missed planted secrets (listed above)"
fi
exit "$STATUS"

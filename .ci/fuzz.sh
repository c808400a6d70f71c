#!/usr/bin/env bash
# Every fuzz target, a fixed short time each: the bounded share CI runs.
# Seed corpora are built in code (f.Add), so the repository holds no
# secret-shaped seed; a crash found here is written to the package's
# testdata/fuzz/<Target>/ and fails the step: make it a named regression
# test and fix the bug in the package that owns it.
#
# Longer runs, one target at a time (the machine is shared):
#   LG_FUZZTIME=10m .ci/fuzz.sh                  # every target, 10 minutes each
#   LG_FUZZ_ONLY=FuzzHandle LG_FUZZTIME=30m .ci/fuzz.sh
#   go test -run '^$' -fuzz '^FuzzChunks$' -fuzztime 1h -parallel 1 ./scanner
# The script fails when a Fuzz function of the repository is not listed
# below, so that a new target runs in CI too.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${LG_FUZZTIME:-6s}"
only="${LG_FUZZ_ONLY:-}"

# package target [time]: a time here overrides the default (the diff
# parser, seeded with real git output, gets more).
targets=(
  "./scanner/source/diff FuzzParse 16s"
  "./scanner/source/transcript FuzzWalkMatchesEncodingJSON"
  "./scanner/source/git FuzzHookLines"
  "./scanner FuzzParseIgnore"
  "./scanner FuzzChunks"
  "./scanner/report FuzzReadJSON"
  "./detectors/keywords FuzzMatcher"
  "./detectors FuzzConfirm"
  "./detectors/decode FuzzFind"
  "./rules FuzzParse"
  "./hooks FuzzParsePolicyConfig"
  "./hooks/agent FuzzHandle"
  "./mcp FuzzLines"
  "./mcp FuzzGuardMessages"
  "./proxy FuzzRequestBodies"
)

# Every Fuzz function is listed.
missing=0
while IFS=: read -r file name; do
  pkg="./$(dirname "$file")"
  found=0
  for t in "${targets[@]}"; do
    read -r p n _ <<<"$t"
    if [ "$p" = "$pkg" ] && [ "$n" = "$name" ]; then found=1; fi
  done
  if [ "$found" = 0 ]; then echo "fuzz: $pkg $name is not listed in .ci/fuzz.sh" >&2; missing=1; fi
done < <(git grep -E '^func Fuzz[A-Za-z0-9_]*\(' -- '*_test.go' | sed -E 's/^([^:]*):func (Fuzz[A-Za-z0-9_]*)\(.*/\1:\2/')
[ "$missing" = 0 ] || exit 1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$SECONDS
for t in "${targets[@]}"; do
  read -r pkg name dur <<<"$t"
  if [ -n "$only" ] && [ "$only" != "$name" ]; then continue; fi
  if [ -n "${LG_FUZZTIME:-}" ] || [ -z "$dur" ]; then dur="$fuzztime"; fi
  t0=$SECONDS
  # Go's fuzzer can end a short run with "context deadline exceeded" and no
  # failing input when it is still minimizing a new interesting input as
  # -fuzztime runs out (seen in CI on FuzzFind at 0 execs/s): that is the
  # toolchain's deadline, not a finding, so such a run is tried once more.
  # A run that wrote a failing input fails at once.
  ok=0
  for attempt in 1 2; do
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$dur" -fuzzminimizetime 2s -parallel 1 "$pkg" >"$log" 2>&1; then
      ok=1; break
    fi
    if grep -q 'Failing input written' "$log" || ! grep -q 'context deadline exceeded' "$log"; then
      break
    fi
    echo "fuzz: $pkg $name: the fuzzer's own deadline, no failing input; running it again" >&2
  done
  if [ "$ok" != 1 ]; then
    cat "$log"
    echo "fuzz: $pkg $name failed" >&2; exit 1
  fi
  echo "fuzz: $pkg $name ok ($dur, $((SECONDS - t0)) s)"
done
echo "fuzz: all targets in $((SECONDS - start)) s"

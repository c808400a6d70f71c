# Sourced by .ci/run: installs the external tools some tests check leakguard
# against, and exports where they are. A tool whose registry cannot be
# reached is skipped with a message (its tests then skip too); once it is
# installed, LEAKGUARD_REQUIRE_TOOLS makes a missing tool a test failure.
#
#   SARIF Multitool (npm @microsoft/sarif-multitool): TestSARIFValidates
#   gitleaks v8.30.1 (Go module proxy): TestGitleaksInvocations runs
#     gitleaks' documented command lines against gitleaks as well
tools_dir="${LEAKGUARD_CI_TOOLS:-${TMPDIR:-/tmp}/leakguard-ci-tools}"
mkdir -p "$tools_dir"

mt="$tools_dir/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$mt" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "== installing SARIF Multitool (npm)"
    npm install --silent --no-audit --no-fund --prefix "$tools_dir/npm" @microsoft/sarif-multitool@5.7.0 >/dev/null 2>&1 \
      || echo "ci: npm registry unreachable: SARIF validation is skipped"
    # npm may not run the package's postinstall (chmod u+x).
    [ -f "$mt" ] && chmod u+x "$mt"
  else
    echo "ci: no npm: SARIF validation is skipped"
  fi
fi
if [ -x "$mt" ]; then
  export LEAKGUARD_SARIF_MULTITOOL="$mt"
fi

gl="$tools_dir/bin/gitleaks"
if [ ! -x "$gl" ]; then
  echo "== building gitleaks v8.30.1 (Go module proxy)"
  GOFLAGS= GOBIN="$tools_dir/bin" go install github.com/zricethezav/gitleaks/v8@v8.30.1 >/dev/null 2>&1 \
    || echo "ci: Go module proxy unreachable: gitleaks is not run"
fi
if [ -x "$gl" ]; then
  export LEAKGUARD_GITLEAKS_BIN="$gl"
fi
if [ -n "${LEAKGUARD_SARIF_MULTITOOL:-}" ]; then
  export LEAKGUARD_REQUIRE_TOOLS=1
fi

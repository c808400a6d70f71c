#!/bin/sh
# Builds leakguard as one static binary (no cgo, no libc), the way the
# Dockerfile's build stage and .ci/run's image build do:
#   scripts/build-static.sh OUT [VERSION]
# VERSION (v0.1.0) is recorded for 'leakguard version'; without it the
# module version and commit Go records are printed.
set -eu
out=${1:?usage: build-static.sh OUT [VERSION]}
version=${2:-}
ldflags="-s -w"
if [ -n "$version" ]; then
	ldflags="$ldflags -X github.com/leakguard/leakguard/cmd/leakguard/internal/cli.Version=$version"
fi
CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out" ./cmd/leakguard

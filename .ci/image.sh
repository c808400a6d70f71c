#!/usr/bin/env bash
# Builds the container image from the Dockerfile without a Docker daemon
# (buildah, from Debian) and runs it. CI machines cannot pull base images,
# so the build stage (FROM golang) is not run: its command,
# scripts/build-static.sh, runs here, and its output is given to buildah as
# that stage (--build-context build=DIR). The final stage (FROM scratch)
# is built from the Dockerfile as it is, then the image scans a directory
# with a planted key (exit 1) and a clean one (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v buildah >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq buildah >/dev/null 2>&1; then
    :
  else
    echo "ci: buildah cannot be installed (Debian mirror unreachable): image build skipped"; exit 0
  fi
fi
b() { buildah --storage-driver vfs "$@"; }
work="$(mktemp -d)"
ctr=""
cleanup() {
  [ -n "$ctr" ] && b rm "$ctr" >/dev/null 2>&1 || true
  b rmi -f localhost/leakguard:ci >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

scripts/build-static.sh "$work/ctx/out/leakguard" "v0.0.0-ci"
b bud --quiet --isolation chroot --build-context build="$work/ctx" -t localhost/leakguard:ci . >/dev/null
ctr="$(b from localhost/leakguard:ci)"
entry="$(b inspect --format '{{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.User}}' localhost/leakguard:ci)"
[ "$entry" = "[/leakguard] 65532:65532" ] || { echo "image config: $entry"; exit 1; }

mkdir -p "$work/dirty" "$work/clean"
key="AK""IA$(head -c 40 /dev/urandom | base32 | tr -dc 'A-Z2-7' | cut -c1-16)"
printf 'aws_access_key_id = %s\n' "$key" > "$work/dirty/config.ini"
echo "nothing here" > "$work/clean/readme.md"
run() { b run --isolation chroot -v "$1:/src:ro" "$ctr" /leakguard scan --no-progress /src; }
b run --isolation chroot "$ctr" /leakguard version
set +e
run "$work/dirty" >"$work/out" 2>&1; dirty=$?
run "$work/clean" >/dev/null 2>&1; clean=$?
set -e
if [ "$dirty" != 1 ] || [ "$clean" != 0 ] || grep -q "$key" "$work/out"; then
  echo "image: scan exit $dirty (want 1) and $clean (want 0), or the key printed:"; cat "$work/out"; exit 1
fi
echo "image: built from Dockerfile, scan in the image: exit 1 with a key, 0 clean"

#!/usr/bin/env bash
# Precision on real code no one here wrote: leakguard (built from this
# checkout) and gitleaks v8.30.1 scan each checkout in the same run, and
# every finding is compared with the labels in benchmarks/precision/NAME.tsv
# (triage check). The script fetches nothing: give it the checkouts.
#
# Usage: benchmarks/precision/run.sh NAME=PATH...
#   NAME is go (the Go toolchain's src), mod (the module cache: only the
#   modules listed in modules.txt are scanned) or a repository named in
#   commits.txt, whose checkout must be at the pinned commit.
# Example:
#   benchmarks/precision/run.sh go=/usr/local/go/src mod=/root/go/pkg/mod \
#     terraform=/work/real/terraform ansible=/work/real/ansible babel=/work/real/babel
# Environment: GITLEAKS (a gitleaks v8.30.1 binary; installed with go install
#   if unset and not found), KEEP=1 keeps the reports (they hold the secrets
#   in full: delete them), TABLE=1 prints the per-rule table of all labels.
# EXIT STATUS: 0 when every finding of both tools matches its label file,
#   1 when some finding is new or gone, 2 on a usage or setup error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
[ $# -gt 0 ] || { sed -n '2,20p' "$0" >&2; exit 2; }

work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then
	echo "reports (secrets in full) in: $work" >&2
else
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fi

GITLEAKS=${GITLEAKS:-$(command -v gitleaks || true)}
# A go-installed gitleaks prints no version: read the module's from the binary.
if [ -z "$GITLEAKS" ] || ! go version -m "$GITLEAKS" 2>/dev/null | grep -q 'zricethezav/gitleaks/v8[[:space:]]*v8.30.1'; then
	GOBIN="$work/bin" go install github.com/zricethezav/gitleaks/v8@v8.30.1 || { echo "cannot install gitleaks v8.30.1" >&2; exit 2; }
	GITLEAKS="$work/bin/gitleaks"
fi
go build -o "$work/leakguard" ./cmd/leakguard
go build -o "$work/triage" ./benchmarks/precision/cmd/triage

lgscan() { # report paths...
	local out=$1 rc=0
	shift
	"$work/leakguard" scan --no-progress --show-secrets --format gitleaks-json --output "$out" "$@" || rc=$?
	[ "$rc" -le 1 ] || { echo "leakguard scan failed ($rc)" >&2; exit 2; }
}
glscan() { # report path
	local rc=0
	"$GITLEAKS" dir --no-banner --no-color --log-level error --report-format json --report-path "$1" --exit-code 0 "$2" || rc=$?
	[ "$rc" = 0 ] || { echo "gitleaks dir failed ($rc)" >&2; exit 2; }
}

status=0
for arg in "$@"; do
	name=${arg%%=*}
	dir=${arg#*=}
	[ -d "$dir" ] || { echo "$name: $dir is not a directory" >&2; exit 2; }
	dir=$(cd "$dir" && pwd)
	labels="$here/$name.tsv"
	[ -f "$labels" ] || { echo "$name: no label file $labels" >&2; exit 2; }
	case $name in
	go)
		want=$(awk -F'\t' '$1=="go"{print $2}' "$here/commits.txt")
		have=$(cat "$dir/../VERSION" 2>/dev/null | head -1)
		[ "$have" = "$want" ] || { echo "go: $dir is $have, labels are for $want" >&2; status=1; }
		lgscan "$work/lg-$name.json" "$dir"
		glscan "$work/gl-$name.json" "$dir"
		;;
	mod)
		# The listed modules, hard-linked under one new root: each tool
		# scans that root once, and neither picks up a module's own
		# .gitleaks.toml (gitleaks reads one at the root it scans).
		root="$work/mod"
		while read -r m; do
			[ -d "$dir/$m" ] || { echo "mod: $m is not in $dir" >&2; exit 2; }
			mkdir -p "$root/$(dirname "$m")"
			cp -al "$dir/$m" "$root/$m" 2>/dev/null || cp -a "$dir/$m" "$root/$m"
		done < "$here/modules.txt"
		lgscan "$work/lg-$name.json" "$root"
		glscan "$work/gl-$name.json" "$root"
		dir=$root
		;;
	*)
		want=$(awk -F'\t' -v n="$name" '$1==n{print $2}' "$here/commits.txt")
		[ -n "$want" ] || { echo "$name: not in commits.txt" >&2; exit 2; }
		have=$(git -C "$dir" rev-parse HEAD)
		[ "$have" = "$want" ] || { echo "$name: $dir is at $have, labels are for $want" >&2; status=1; }
		lgscan "$work/lg-$name.json" "$dir"
		glscan "$work/gl-$name.json" "$dir"
		;;
	esac
	echo "== $name"
	"$work/triage" check -root "$dir" -leakguard "$work/lg-$name.json" -gitleaks "$work/gl-$name.json" -labels "$labels" || status=1
done
if [ "${TABLE:-0}" = 1 ]; then
	"$work/triage" table "$here"/*.tsv
fi
exit $status

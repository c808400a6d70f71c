#!/bin/sh
# gen.sh GIT_CLONE: regenerate the diff parser's seed corpus (FuzzParse,
# TestParseRealGitOutput) from what git really prints: commits of a clone
# of git/git (octopus merges in -c and --cc form, the size_t -1 hunk
# counts of combined -U0 diffs, a binary patch, a type change) and of a
# small repository built here (mode-only change, submodule add and
# update, copy (git show -C), rename, deletion, CRLF, no newline at end, a merge whose
# resolution is its own content). Each NAME.diff is the diff engine's own
# git log invocation (scanner/source/git/history_diff.go), or git show for
# the --cc and --binary forms; NAME.numstat holds git's count of added
# lines per file for the commits that are not merges (the test's oracle).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gitgit=$1
engine() { # REPO COMMIT NAME
	echo "$2" | git -C "$1" log -p -U0 --no-color --no-ext-diff --no-textconv -c -M --root \
		--no-show-signature --no-mailmap --src-prefix=a/ --dst-prefix=b/ --submodule=short \
		--no-walk=unsorted --stdin '--format=commit %H%nDate: %ct%n%n%w(0,4,4)%B' -- >"$here/$3.diff"
	rm -f "$here/$3.numstat"
	if [ "$(git -C "$1" rev-list --no-walk --count --max-parents=1 "$2")" = 1 ]; then
		git -C "$1" show --numstat -M --root --format= "$2" -- | awk '/^[0-9-]+\t/ {print}' >"$here/$3.numstat"
	fi
}
show() { # REPO COMMIT NAME ARGS...
	r=$1 c=$2 n=$3
	shift 3
	git -C "$r" show --no-color --src-prefix=a/ --dst-prefix=b/ "$@" "$c" >"$here/$n.diff"
}
engine "$gitgit" 4b5dbb82a2c2d2c0ae4948b55c89b93be7382f6b gitgit-sizet-hunk
engine "$gitgit" 16d7601e176cd53f3c2f02367698d06b85e08879 gitgit-octopus-c
show "$gitgit" 16d7601e176cd53f3c2f02367698d06b85e08879 gitgit-octopus-cc --cc
show "$gitgit" 89e4fcb0dd01b42e82b8f27f9a575111a26844df gitgit-octopus2-cc --cc
engine "$gitgit" b5967f820c9774285ec4380e77d5356c3cd6eb99 gitgit-binary
show "$gitgit" b5967f820c9774285ec4380e77d5356c3cd6eb99 gitgit-binary-patch --binary
engine "$gitgit" 2efbb7f5218d5ca9d50cbcb86a365a08b2981d77 gitgit-typechange

# A small repository for the shapes git/git lacks or holds only in
# commits too large for a seed.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=$tmp/r
g() { git -C "$r" -c user.name=seed -c user.email=seed@example.invalid -c commit.gpgsign=false "$@"; }
git init -q -b main "$r"
git init -q -b main "$tmp/sub"
git -C "$tmp/sub" -c user.name=seed -c user.email=seed@example.invalid commit -q --allow-empty -m one
printf 'one\ntwo\nthree\n' >"$r/a.txt"
printf 'crlf line\r\nsecond\r\n' >"$r/crlf.txt"
printf 'no newline at end' >"$r/nonl.txt"
seq 1 40 >"$r/long.txt"
g add -A && g commit -q -m initial
chmod +x "$r/a.txt" && g commit -q -am 'mode only'
g -c protocol.file.allow=always submodule add -q "$tmp/sub" sub && g commit -q -m 'add submodule'
git -C "$tmp/sub" -c user.name=seed -c user.email=seed@example.invalid commit -q --allow-empty -m two
git -C "$r/sub" pull -q && g add sub && g commit -q -m 'update submodule'
cp "$r/long.txt" "$r/copy.txt" && echo extra >>"$r/copy.txt" && g add -A && g commit -q -m copy
g mv long.txt renamed.txt && echo 41 >>"$r/renamed.txt" && g commit -q -am rename
g rm -q nonl.txt && printf 'end\n' >>"$r/crlf.txt" && g commit -q -am 'delete, crlf'
g checkout -q -b side && printf 'one\nside\nthree\n' >"$r/a.txt" && g commit -q -am side
g checkout -q main && printf 'one\nmain\nthree\n' >"$r/a.txt" && g commit -q -am main
g merge -q side >/dev/null 2>&1 || true
printf 'one\nresolved by the merge\nthree\n' >"$r/a.txt" && g commit -q -am 'merge with its own resolution'
i=0
for c in $(g rev-list --reverse main); do
	i=$((i + 1))
	engine "$r" "$c" "small-$i"
done
show "$r" HEAD small-merge-cc --cc
show "$r" "$(g log --format=%H --grep='^copy$' -1)" small-copy -C --find-copies-harder

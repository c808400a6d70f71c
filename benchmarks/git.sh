#!/usr/bin/env bash
# Git history benchmark: `leakguard git` vs `gitleaks git` v8.30.1 on the
# same generated repository, in the same run.
#
#   benchmarks/git.sh [COMMITS]        # COMMITS defaults to 10000
#
# The repository is built with git fast-import from real text: the Go
# sources under $(go env GOROOT)/src/go, edited over time (spans of lines
# inserted from other files, spans deleted, files added), with a side
# branch merged back every 100 commits. SECRETS fake AWS keys (generated
# at run time from SEED) are planted at known commits, a quarter of them
# removed again later, and one is brought by a merge commit alone (a
# conflict resolution). leakguard must report each planted key exactly
# once, at the commit that planted it; the script exits 1 otherwise.
#
# Environment:
#   SEED=1 SECRETS=20 RUNS=1   generator seed, planted keys, timed runs (fastest kept)
#   LEAKGUARD                   a leakguard binary to use instead of building one
#   BENCH_DIR                   work directory (default ${TMPDIR:-/tmp}/leakguard-gitbench);
#                               repositories are cached there by commits/seed/secrets.
#
# Output: a markdown table on stdout, progress on stderr.
set -euo pipefail

COMMITS=${1:-10000}
SEED=${SEED:-1}
SECRETS=${SECRETS:-20}
RUNS=${RUNS:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=${BENCH_DIR:-${TMPDIR:-/tmp}/leakguard-gitbench}
GITLEAKS_VERSION=v8.30.1

log() { echo "git.sh: $*" >&2; }
die() { log "$*"; exit 2; }

mkdir -p "$TMP/bin" "$TMP/reports"
[ -x /usr/bin/time ] && /usr/bin/time -f %e true >/dev/null 2>&1 || die "needs GNU time at /usr/bin/time (apt-get install -y time)"
command -v git >/dev/null || die "needs git"
command -v python3 >/dev/null || die "needs python3"

if [ -n "${LEAKGUARD:-}" ]; then
	cp "$LEAKGUARD" "$TMP/bin/leakguard"
else
	log "building leakguard"
	(cd "$ROOT" && go build -o "$TMP/bin/leakguard" ./cmd/leakguard)
fi
# GITLEAKS may name a gitleaks $GITLEAKS_VERSION binary (go install leaves
# its version string unset, so it is not checked).
GITLEAKS=${GITLEAKS:-}
if [ -z "$GITLEAKS" ] || [ ! -x "$GITLEAKS" ]; then
	if [ ! -x "$TMP/bin/gitleaks" ]; then
		log "installing gitleaks $GITLEAKS_VERSION"
		GOBIN="$TMP/bin" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION"
	fi
	GITLEAKS="$TMP/bin/gitleaks"
fi

REPO="$TMP/repo-$COMMITS-$SEED-$SECRETS"
PLANTED="$REPO.planted"
if [ ! -f "$REPO/.done" ]; then
	log "generating $COMMITS commits into $REPO"
	rm -rf "$REPO"
	git -c init.defaultBranch=main init -q "$REPO"
	SRC="$(go env GOROOT)/src/go"
	python3 - "$SRC" "$COMMITS" "$SEED" "$SECRETS" "$PLANTED" <<'PY' | git -C "$REPO" fast-import --quiet --export-marks="$REPO.gitmarks"
import os, random, sys

src, commits, seed, nsecrets, planted_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = random.Random(seed)
pool = []
for d, dirs, files in os.walk(src):
    dirs[:] = sorted(x for x in dirs if x != "testdata")
    for f in sorted(files):
        if f.endswith(".go"):
            p = os.path.join(d, f)
            pool.append((os.path.relpath(p, src), open(p, encoding="utf-8", errors="replace").read().splitlines(True)))
out = sys.stdout.buffer
mark = [0]

def key():
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "AK" + "IA" + "".join(rng.choice(alphabet) for _ in range(16))

def emit_commit(ref, files, msg, t, parents):
    mark[0] += 1
    m = mark[0]
    msgb = msg.encode()
    out.write(b"commit %s\nmark :%d\n" % (ref.encode(), m))
    out.write(b"author Dev <dev@example.com> %d +0000\ncommitter Dev <dev@example.com> %d +0000\n" % (t, t))
    out.write(b"data %d\n%s\n" % (len(msgb), msgb))
    if parents:
        out.write(b"from :%d\n" % parents[0])
        for p in parents[1:]:
            out.write(b"merge :%d\n" % p)
    for path, lines in files:
        data = "".join(lines).encode()
        out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)))
        out.write(data)
        out.write(b"\n")
    out.write(b"\n")
    return m

# Commits (main-line indices) that plant a key; one more is a merge.
plant_at = sorted(rng.sample(range(50, commits - 10), nsecrets - 1))
remove_after = {c: c + rng.randint(5, 200) for c in rng.sample(plant_at, len(plant_at) // 4)}
planted = []  # (path, commit mark, key, line)

tree = {}
for path, lines in pool[:120]:
    tree[path] = list(lines)
t = 1600000000
head = emit_commit("refs/heads/main", sorted(tree.items()), "initial import", t, [])
next_pool = 120
side_every = 100
evil_done = False
i = 0
main_marks = 0
pending_remove = {}
while i < commits:
    t += 600
    # A side branch every side_every commits: 5 commits on files main
    # leaves alone meanwhile, then a merge.
    if i > 0 and i % side_every == 0:
        paths = sorted(tree)
        side_files = rng.sample(paths, 5)
        side = dict((p, list(tree[p])) for p in side_files)
        sm = head
        for j in range(5):
            p = side_files[j]
            lines = side[p]
            donor = pool[rng.randrange(len(pool))][1]
            s = rng.randrange(max(1, len(donor) - 20))
            pos = rng.randrange(len(lines) + 1)
            lines[pos:pos] = donor[s:s + rng.randint(3, 20)]
            sm = emit_commit("refs/heads/side", [(p, lines)], "side work %d.%d" % (i, j), t, [sm])
            t += 60
        merged = [(p, side[p]) for p in side_files]
        for p in side_files:
            tree[p] = side[p]
        msg = "Merge branch 'side'"
        if not evil_done and i >= commits // 2:
            # The resolution brings a key no parent had.
            evil_done = True
            p = side_files[0]
            k = key()
            line = rng.randrange(len(tree[p]) + 1)
            tree[p].insert(line, '\tconst mergeKey = "%s"\n' % k)
            merged[0] = (p, tree[p])
            msg = "Merge branch 'side' (resolve conflicts)"
            planted.append([p, None, k, line + 1, "merge"])
        head = emit_commit("refs/heads/main", merged, msg, t, [head, sm])
        if planted and planted[-1][1] is None:
            planted[-1][1] = head
        t += 60
    changed = {}
    n = rng.choice([1, 1, 1, 2, 2, 3])
    for _ in range(n):
        if rng.random() < 0.03 and next_pool < len(pool):
            p, lines = pool[next_pool]
            next_pool += 1
            tree[p] = list(lines)
            changed[p] = tree[p]
            continue
        p = rng.choice(sorted(tree))
        lines = tree[p]
        if len(lines) > 1200 or rng.random() < 0.3:
            s = rng.randrange(max(1, len(lines) - 10))
            del lines[s:s + rng.randint(1, 15)]
        donor = pool[rng.randrange(len(pool))][1]
        s = rng.randrange(max(1, len(donor) - 30))
        pos = rng.randrange(len(lines) + 1)
        lines[pos:pos] = donor[s:s + rng.randint(1, 30)]
        changed[p] = lines
    msg = "edit %d" % i
    for p, k in pending_remove.pop(i, []):
        if p in tree:
            tree[p] = [l for l in tree[p] if k not in l]
            changed[p] = tree[p]
    if i in plant_at:
        p = rng.choice(sorted(changed))
        k = key()
        line = rng.randrange(len(tree[p]) + 1)
        tree[p].insert(line, '\tconst awsKey = "%s" // planted\n' % k)
        planted.append([p, None, k, line + 1, "commit"])
        if i in remove_after:
            pending_remove.setdefault(remove_after[i], []).append((p, k))
    head = emit_commit("refs/heads/main", sorted(changed.items()), msg, t, [head])
    for pl in planted:
        if pl[1] is None:
            pl[1] = head
    i += 1
out.write(b"checkpoint\n")
out.flush()
with open(planted_path + ".marks", "w") as f:
    for path, m, k, line, how in planted:
        f.write("%d %s %d %s %s\n" % (m, path, line, how, k))
PY
	touch "$REPO/.done"
fi
NCOMMITS=$(git -C "$REPO" rev-list --all --count)
NMERGES=$(git -C "$REPO" rev-list --all --merges --count)
SIZE=$(du -sh "$REPO/.git" | cut -f1)
log "repository: $NCOMMITS commits ($NMERGES merges), .git $SIZE"

# timed NAME CMD...: runs CMD, records elapsed seconds and peak RSS (MB).
timed() {
	local name=$1; shift
	local tf="$TMP/reports/$name.time"
	set +e
	/usr/bin/time -f "%e %M" -o "$tf" "$@" >"$TMP/reports/$name.out" 2>"$TMP/reports/$name.err"
	local rc=$?
	set -e
	read -r secs kb < <(tail -1 "$tf")
	echo "$secs $((kb / 1024)) $rc"
}

best() { # prints the fastest of RUNS runs: secs rss rc
	local name=$1; shift
	local bestline=""
	for _ in $(seq "$RUNS"); do
		local l
		l=$(timed "$name" "$@")
		if [ -z "$bestline" ] || awk -v a="${l%% *}" -v b="${bestline%% *}" 'BEGIN{exit !(a<b)}'; then bestline=$l; fi
	done
	echo "$bestline"
}

log "leakguard git"
LG=$(best leakguard "$TMP/bin/leakguard" git --no-progress --format json --output "$TMP/reports/leakguard.json" "$REPO")
log "leakguard git --engine blob"
LGB=$(best leakguard-blob "$TMP/bin/leakguard" git --engine blob --no-progress --format json --output "$TMP/reports/leakguard-blob.json" "$REPO")
log "gitleaks git"
GL=$(best gitleaks "$GITLEAKS" git --no-banner --report-format json --report-path "$TMP/reports/gitleaks.json" "$REPO")

# Check each leakguard engine's findings against the planted keys: each
# key once, at its commit and line.
python3 - "$TMP/reports/gitleaks.json" "$PLANTED.marks" "$REPO.gitmarks" "$TMP/reports/leakguard.json" "$TMP/reports/leakguard-blob.json" <<'PY' >"$TMP/reports/check.txt"
import json, sys
gl = json.load(open(sys.argv[1]))
marks = dict(l.split() for l in open(sys.argv[3]) if l.startswith(":"))
planted = []
for l in open(sys.argv[2]):
    m, path, line, how, key = l.split()
    planted.append((marks[":" + m], path, int(line), how, key))
want = {(c, p, l) for c, p, l, _, _ in planted}
summary, problems = [], []
for name, path in (("diff", sys.argv[4]), ("blob", sys.argv[5])):
    lg = json.load(open(path))["findings"]
    aws = [f for f in lg if f["ruleId"] == "aws-access-token"]
    got = {((f.get("commit") or {}).get("sha"), f["path"], f["startLine"]) for f in aws}
    summary.append("leakguard[%s] aws=%d total=%d missing=%d extra=%d" % (name, len(aws), len(lg), len(want - got), len(got - want)))
    problems += ["MISSING %s %s" % (name, m) for m in sorted(want - got)]
    problems += ["EXTRA %s %s" % (name, e) for e in sorted(got - want)]
gl_keys = {f["Secret"] for f in gl if f["RuleID"] == "aws-access-token"}
gl_missing = [how for c, p, l, how, k in planted if k not in gl_keys]
summary.append("gitleaks aws=%d total=%d missing=%d (%s)" % (
    len([f for f in gl if f["RuleID"] == "aws-access-token"]), len(gl), len(gl_missing), ",".join(gl_missing)))
print("planted=%d; " % len(planted) + "; ".join(summary))
for p in problems: print(p)
PY
CHECK=$(head -1 "$TMP/reports/check.txt")

read -r lgs lgm lgrc <<<"$LG"
read -r gls glm glrc <<<"$GL"
read -r lbs lbm lbrc <<<"$LGB"
echo "## git history: $NCOMMITS commits ($NMERGES merges), .git $SIZE, $SECRETS planted keys"
echo
echo "| tool | wall s | peak RSS MB | exit | findings |"
echo "|---|---:|---:|---:|---:|"
echo "| leakguard git | $lgs | $lgm | $lgrc | $(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["findings"]))' "$TMP/reports/leakguard.json") |"
echo "| leakguard git --engine blob | $lbs | $lbm | $lbrc | $(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["findings"]))' "$TMP/reports/leakguard-blob.json") |"
echo "| gitleaks git $GITLEAKS_VERSION | $gls | $glm | $glrc | $(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))))' "$TMP/reports/gitleaks.json") |"
echo
echo "check: $CHECK"
echo
echo "load average while running: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
if grep -q -E '^(MISSING|EXTRA)' "$TMP/reports/check.txt"; then
	grep -E '^(MISSING|EXTRA)' "$TMP/reports/check.txt" | head -20 >&2
	exit 1
fi

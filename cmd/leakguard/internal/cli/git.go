package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks/gate"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
	"github.com/leakguard/leakguard/scanner/source/git"
)

// GitOptions are the flags of `leakguard git`.
type GitOptions struct {
	ReportOptions
	Repo        string
	Staged      bool
	Range       string
	Branch      string
	All         bool
	Since       string
	Until       string
	PrePush     bool
	PreReceive  bool
	MaxFileSize string
	NoMessages  bool
	NoGitBinary bool
	Engine      string
	// Incremental and multi-repository sweeps (git_repos.go).
	SinceState string
	Repos      string
	Shard      string
	shard      shardSpec
	state      *git.SweepState // this repository's, during sweepOne

	// gitleaks: --pre-commit without --staged scans the work tree's
	// changes against the index; --log-opts' revisions.
	Unstaged  bool
	PreCommit bool
	LogOpts   string
	logRevs   []string
}

func newGitCmd(env *Env, runF func(context.Context, *GitOptions) error) *cobra.Command {
	o := &GitOptions{}
	cmd := &cobra.Command{
		Use:   "git [REPO]",
		Short: "Scan a git repository's history, a range of commits, or the staged changes",
		Long: `Scan a git repository (default: the current directory).

With no mode flag, the history of every branch, tag and HEAD (--all: every
ref, stashes and remote-tracking refs too) is scanned, and each finding is
reported at the commit that introduced it. The default engine (auto) sweeps
with --engine pack: it reads the pack files itself, builds each file version
once from its delta base and scans only what the version changes, then scans
the versions with a candidate in full. Ranges, branches and hooks use
--engine diff: what each commit adds (git log -p, in parallel slices). Either
way content that only a merge commit brings is reported at the merge.
--engine blob scans each unique file version in full (the go-git fallback's
way). Commit messages are scanned too; their findings have an empty path.

  --staged       what 'git commit' would record: the lines the index adds
                 to HEAD, read from the index (git add -p aware)
  --range A..B   only the commits of B that A lacks (a pull request's
                 base..head), and only what they introduce; the config,
                 .gitleaksignore and baseline inside the repository are
                 read at A (A...B: at the merge base), never from the head
                 being judged, and a change to them is reported
  --pre-push     read the lines git passes a pre-push hook on stdin and scan
                 the commits being pushed that no remote-tracking ref holds
  --pre-receive  read the lines git passes a pre-receive hook on stdin (in
                 the receiving repository; quarantined objects are read)

Findings carry the commit's sha, author, email, date and message; the
.gitleaksignore fingerprint of a history finding is commit:path:rule:line.
A shallow clone's history is partial (leakguard says so). A commit or file
version that cannot be read is read again another way; what no way can
read is named on stderr and in the report, which holds everything else and
is marked partial (exit status 2).

Sweeps that repeat and sweeps of many repositories:

  --since-state FILE  an incremental sweep: only the commits that the tips
                      saved in FILE by the last sweep lack are read, and
                      what they bring is reported as a full sweep reports
                      it (a secret an earlier commit brought is not new);
                      FILE is written after a sweep that read everything
  --repos FILE        sweep every repository FILE lists (a local path or a
                      clone URL a line), into one report whose findings name
                      their repository; one that fails costs itself only
  --shard I/N         with --repos: only share I (0 to N-1) of the list, for
                      a batch engine's N workers (a Kubernetes Indexed Job's
                      JOB_COMPLETION_INDEX is I); 'leakguard report merge'
                      joins the shards' JSON reports (deploy/ has a
                      Kubernetes Job and a GitHub Actions matrix)`,
		Example: `  leakguard git
  leakguard git --staged
  leakguard git --range origin/main..HEAD --format sarif -o leakguard.sarif
  leakguard git --since 2024-01-01 --branch main /path/to/repo
  leakguard git --since-state nightly.state --all /srv/mirror.git
  leakguard git --repos repos.txt --shard 0/4 -f json -o shard-0.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Repo = "."
			if len(args) == 1 {
				o.Repo = args[0]
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runGitScan(cmd.Context(), env, o)
		},
	}
	addReportFlags(cmd, &o.ReportOptions)
	f := cmd.Flags()
	f.BoolVar(&o.Staged, "staged", false, "scan the staged changes (index against HEAD)")
	f.StringVar(&o.Range, "range", "", "scan only the commits in this range (A..B)")
	f.StringVar(&o.Branch, "branch", "", "scan the history of this branch (or any revision) only")
	f.BoolVar(&o.All, "all", false, "scan every ref: stashes and remote-tracking refs too")
	f.StringVar(&o.Since, "since", "", "only commits more recent than this date (as git log --since)")
	f.StringVar(&o.Until, "until", "", "only commits older than this date (as git log --until)")
	f.BoolVar(&o.PrePush, "pre-push", false, "scan what a pre-push hook is asked to push (ref lines on stdin)")
	f.BoolVar(&o.PreReceive, "pre-receive", false, "scan what a pre-receive hook receives (ref lines on stdin)")
	f.StringVar(&o.MaxFileSize, "max-file-size", "", "skip file versions larger than this (e.g. 500KB, 10MB)")
	f.BoolVar(&o.NoMessages, "no-messages", false, "do not scan commit messages")
	f.StringVar(&o.Engine, "engine", git.EngineAuto, "history engine: auto (pack for full sweeps, diff for ranges and hooks), pack (read the pack files, scan what each file version changes), diff (scan the lines each commit adds) or blob (scan each unique file version once; the go-git fallback's)")
	f.BoolVar(&o.NoGitBinary, "go-git", false, "read the repository with go-git even when a git binary is available")
	f.BoolVar(&o.PreCommit, "pre-commit", false, "gitleaks: scan the uncommitted changes (with --staged: the staged ones)")
	f.StringVar(&o.LogOpts, "log-opts", "", "gitleaks: git log options (revisions, ranges, --all, --since, --until)")
	f.StringVar(&o.SinceState, "since-state", "", "incremental sweep: read only the commits the tips saved in this file lack, and save this sweep's tips there (with --repos: a directory, one file per repository)")
	f.StringVar(&o.Repos, "repos", "", "sweep every repository this file lists (one local path or clone URL a line; # comments)")
	f.StringVar(&o.Shard, "shard", "", "with --repos: sweep only share I of N (I/N, I from 0 to N-1: a Kubernetes JOB_COMPLETION_INDEX)")
	_ = f.MarkHidden("pre-commit")
	_ = f.MarkHidden("log-opts")
	return cmd
}

func (o *GitOptions) check() error {
	if o.PreCommit && !o.Staged {
		o.Unstaged = true
	}
	if o.LogOpts != "" {
		if err := logOpts(o.LogOpts, o); err != nil {
			return err
		}
	}
	modes := 0
	for _, on := range []bool{o.Staged, o.Unstaged, o.Range != "", o.PrePush, o.PreReceive, len(o.logRevs) > 0} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return usageError("--staged, --range, --pre-push and --pre-receive exclude each other")
	}
	if o.Branch != "" && (modes > 0 || o.All) {
		return usageError("--branch cannot be combined with --all, --staged, --range, --pre-push or --pre-receive")
	}
	if o.All && modes > 0 {
		return usageError("--all cannot be combined with --staged, --range, --pre-push or --pre-receive")
	}
	switch o.Engine {
	case git.EngineAuto, git.EnginePack, git.EngineDiff, git.EngineBlob:
	default:
		return usageError("unknown --engine %q (want auto, pack, diff or blob)", o.Engine)
	}
	if o.SinceState != "" && (modes > 0 || o.Since != "" || o.Until != "") {
		return usageError("--since-state applies to history sweeps (default refs, --all, --branch), without --since or --until")
	}
	if o.Repos != "" && modes > 0 {
		return usageError("--repos sweeps histories: it cannot be combined with --staged, --range, --pre-push or --pre-receive")
	}
	if o.Shard != "" {
		if o.Repos == "" {
			return usageError("--shard needs --repos")
		}
		s, err := parseShard(o.Shard)
		if err != nil {
			return usageError("--shard: %v", err)
		}
		o.shard = s
	}
	if (o.Staged || o.Unstaged) && (o.Since != "" || o.Until != "") {
		return usageError("--since and --until do not apply to --staged")
	}
	for _, rev := range []string{o.Range, o.Branch} {
		if err := git.CheckRev(rev); err != nil {
			return usageError("%v", err)
		}
	}
	return nil
}

// sweepMemoryLimit is the Go heap's soft limit during history sweeps
// (unless GOMEMLIMIT says otherwise): the pack engine's caches are sized
// so that a sweep of git/git stays under 256 MB resident with its git
// children; the limit makes the collector keep it so.
const sweepMemoryLimit = 180 << 20

func runGitScan(ctx context.Context, env *Env, o *GitOptions) error {
	if os.Getenv("GOMEMLIMIT") == "" && !o.Staged {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(sweepMemoryLimit))
	}
	if err := o.prepare(); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, time.Duration(o.Timeout))
	defer cancel()
	maxSize, err := parseSize(o.maxFileSize(o.MaxFileSize))
	if err != nil {
		return usageError("--max-file-size: %v", err)
	}
	prog := newProgress(env, o.NoProgress)
	if o.Repos != "" {
		return runRepos(ctx, env, o, maxSize, prog)
	}
	run, err := sweepOne(ctx, env, o, o.Repo, o.SinceState, maxSize, prog)
	prog.Finish()
	if err != nil {
		return err
	}
	return finish(ctx, env, &o.ReportOptions, run)
}

// sweepOne scans one repository as the flags say; an error is one that
// stops before any scan (not a repository, a bad config). statePath is
// the --since-state file, if any: it is read first and, after a sweep
// that read everything, written.
func sweepOne(ctx context.Context, env *Env, o *GitOptions, path, statePath string, maxSize int64, prog scanner.Progress) (scanRun, error) {
	repo, err := git.Open(ctx, path, o.NoGitBinary)
	if err != nil {
		return scanRun{}, withCode(ExitError, err)
	}
	root := repo.WorkTree()
	if root == "" {
		root = path
	}
	o.root = absDir(root)
	in, err := loadGitInputs(ctx, env, o, repo, root)
	if err != nil {
		return scanRun{}, err
	}
	o.state = nil
	if statePath != "" {
		if o.state, err = git.LoadState(statePath); err != nil {
			return scanRun{}, withCode(ExitError, err)
		}
	}
	set, det, ignore, base := in.set, in.det, in.ignore, in.baseline
	var skipped atomic.Int64
	skip := func(path, reason string) {
		skipped.Add(1)
		o.debugf(env, "skipped %s: %s", path, reason)
	}
	var (
		findings []scanner.Finding
		sum      scanner.Summary
	)
	if o.Staged || o.Unstaged {
		sc := scanner.New(det, o.scannerOptions(ignore, base, prog, ""))
		findings, sum, err = sc.Scan(ctx, &git.Staged{Repo: repo, Skip: skip, Unstaged: o.Unstaged})
	} else {
		findings, sum, err = scanHistory(ctx, env, o, repo, det, ignore, base, maxSize, prog, skip)
		if err == nil {
			markAgentCommits(env, findings, in.agents)
		}
		if o.NoMessages && !o.ShowSecrets && len(findings) > 0 {
			// Validators off: a token with a wrong checksum is no secret
			// to report, but is still masked.
			mdet, derr := detectors.Compile(det.Rules(), detectors.Options{})
			if derr != nil {
				return scanRun{}, withCode(ExitError, derr)
			}
			maskMessages(mdet, findings)
		}
	}
	if o.state != nil {
		switch {
		case err != nil || sum.Partial != "" || ctx.Err() != nil:
			fmt.Fprintf(env.Err, "leakguard: %s: the sweep did not read everything: the state in %s is kept as it was\n", path, statePath)
		default:
			if serr := o.state.Save(statePath); serr != nil && err == nil {
				err = fmt.Errorf("save state: %w", serr)
			}
		}
	}
	sum.Skipped = skipped.Load()
	sum.Notices = in.notices
	return scanRun{findings: findings, sum: sum, err: wrapErr("git", err), set: set}, nil
}

// absDir returns dir as an absolute path, or "" when it cannot.
func absDir(dir string) string {
	a, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	return a
}

// maskMessages redacts the commit messages copied into findings when they
// were not scanned (--no-messages): a secret in a message would otherwise
// reach every report format in full. Each message is redacted once, with
// the same placeholders as 'leakguard redact'. det should run without
// validators, so that anything shaped like a secret is masked.
func maskMessages(det *detectors.Detector, findings []scanner.Finding) {
	r := &redact.Redactor{Scanner: scanner.New(det, scanner.Options{Workers: 1}), Origin: scanner.Origin{Kind: scanner.KindCommitMessage}}
	done := map[*scanner.CommitInfo]*scanner.CommitInfo{}
	for i := range findings {
		c := findings[i].Commit
		if c == nil || c.Message == "" {
			continue
		}
		m, ok := done[c]
		if !ok {
			red, n := r.Text([]byte(c.Message))
			m = c
			if n > 0 {
				cp := *c
				cp.Message = string(red)
				m = &cp
			}
			done[c] = m
		}
		findings[i].Commit = m
	}
}

// scanHistory runs the history modes: default refs, --all, --branch,
// --range, --pre-push and --pre-receive.
func scanHistory(ctx context.Context, env *Env, o *GitOptions, repo *git.Repo, det *detectors.Detector,
	ignore *scanner.IgnoreList, base *scanner.Baseline, maxSize int64, prog scanner.Progress, skip func(string, string)) ([]scanner.Finding, scanner.Summary, error) {
	h := &git.History{
		Repo: repo, All: o.All, Since: o.Since, Until: o.Until, MaxFileSize: maxSize,
		NoMessages: o.NoMessages, Skip: skip, Engine: o.Engine,
		Filter: scanner.Filter{Ignore: ignore, Baseline: base}, State: o.state,
	}
	switch {
	case o.Range != "":
		h.Revs = []string{o.Range}
	case o.Branch != "":
		h.Revs = []string{o.Branch}
	case len(o.logRevs) > 0:
		h.Revs = o.logRevs
	case o.PrePush, o.PreReceive:
		read := git.PrePushRevs
		if o.PreReceive {
			read = git.PreReceiveRevs
		}
		revs, err := read(ctx, repo, env.In)
		if err != nil {
			return nil, scanner.Summary{}, withCode(ExitError, err)
		}
		if revs == nil {
			return nil, scanner.Summary{}, nil // only deletions: nothing to scan
		}
		h.Revs = revs
	}
	if repo.Shallow {
		fmt.Fprintf(env.Err, "leakguard: %s is a shallow clone: history before its boundary commits is not scanned, and their files are reported as introduced there\n", o.Repo)
	}
	// Findings get their commit (and so their fingerprint) only after
	// attribution, where History applies the filter.
	sc := scanner.New(det, o.scannerOptions(nil, nil, prog, ""))
	findings, sum, stats, err := h.Scan(ctx, sc)
	sum.Commits, sum.Objects = int64(stats.Commits), int64(stats.Blobs)
	if err != nil {
		return findings, sum, err
	}
	if n := len(stats.Unreadable); n > 0 {
		// What no path could read is named, and the report (of all the
		// rest) says it is partial; the exit status is 2.
		for _, u := range stats.Unreadable {
			fmt.Fprintf(env.Err, "leakguard: not scanned: %s\n", u)
		}
		sum.Errors += int64(n)
		sum.Partial = fmt.Sprintf("%d part(s) of the history could not be read by any path (first: %s)", n, stats.Unreadable[0])
	}
	if stats.Fallbacks > 0 {
		o.debugf(env, "%d objects or commits read again another way", stats.Fallbacks)
	}
	o.debugf(env, "scanned %d commits (%s engine), %d unique file versions, %d bytes", stats.Commits, o.Engine, stats.Blobs, sum.Bytes)
	if stats.Commits == 0 && o.Range == "" && !o.PrePush && !o.PreReceive && o.Since == "" && o.Until == "" {
		fmt.Fprintf(env.Err, "leakguard: %s has no commits to scan\n", o.Repo)
	}
	return findings, sum, nil
}

// markAgentCommits names, on each finding, the AI coding agent that made
// its commit (trailers, author, the config's agentAuthors: the hooks'
// function), so that reports on a pull request flag agent-authored
// commits, and says on stderr how many commits with findings were agents'.
func markAgentCommits(env *Env, findings []scanner.Finding, patterns []string) {
	agentOf := gate.CommitAgents(patterns)
	commits, agents := map[string]bool{}, map[string]bool{}
	for i := range findings {
		c := findings[i].Commit
		if c == nil || c.SHA == "" {
			continue
		}
		commits[c.SHA] = true
		if a := agentOf(c); a.IsAgent {
			agents[c.SHA] = true
			findings[i].Agent = a.Name + " (" + a.Signal + ")"
		}
	}
	if len(agents) > 0 {
		fmt.Fprintf(env.Err, "leakguard: %d of %d commits with findings were made by AI coding agents\n", len(agents), len(commits))
	}
}

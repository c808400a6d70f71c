package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
	"github.com/leakguard/leakguard/scanner/source/transcript"
)

// TranscriptOptions are the flags of `leakguard transcript`.
type TranscriptOptions struct {
	ReportOptions
	Paths       []string
	AgentLogs   bool
	MaxEmbedded int
	InPlace     bool
	Backup      bool
	NoBackup    bool // the default; kept so that old command lines still parse
}

func newTranscriptCmd(env *Env, runF func(context.Context, *TranscriptOptions) error) *cobra.Command {
	o := &TranscriptOptions{}
	cmd := &cobra.Command{
		Use:   "transcript [PATH... | -] [--agent-logs]",
		Short: "Scan AI agents' session logs (JSONL, JSON exports) for secrets",
		Long: `Scan AI coding agents' session logs: JSONL files (one JSON value a line) such
as Claude Code's ~/.claude/projects/*/*.jsonl and Codex's ~/.codex/sessions,
and .json conversation exports. Every JSON string is decoded and scanned on its
own, so a key escaped with \n inside a tool result is seen as a key, and a
string that holds JSON (tool-call arguments) is walked too. Findings name the
file, the JSONL line and the JSON Pointer of the string
(/message/content/0/input/command, /tool_calls/0/function/arguments#/password).
A line that is not JSON (the unfinished last line of a live session) is scanned
as text and noted on stderr.

--agent-logs adds the session-log directories of the agents installed under
$HOME: Claude Code, Codex, the Cursor agent (its JSONL transcripts; Cursor's
SQLite chat stores are not read) and Gemini CLI.

--in-place scrubs the logs: every secret is replaced by
[REDACTED:<rule>:<hash>] inside the JSON strings and the file stays valid
JSONL. No copy of the original is kept (the log is the leak) unless --backup
is given; a backup goes to leakguard's state directory, outside the scanned
folders, with mode 0600, and its path is printed. --redact only masks
secrets in the report, as in every other command.

Backups that older versions left next to the logs (FILE.jsonl.bak) are
scanned too, and named on stderr.`,
		Example: `  leakguard transcript --agent-logs
  leakguard transcript ~/.claude/projects/-work-app/*.jsonl --format json
  leakguard transcript --in-place session.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if len(o.Paths) == 0 && !o.AgentLogs {
				return usageError("give a transcript PATH, \"-\" for stdin, or --agent-logs")
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runTranscript(cmd.Context(), env, o)
		},
	}
	addReportFlags(cmd, &o.ReportOptions)
	f := cmd.Flags()
	f.BoolVar(&o.AgentLogs, "agent-logs", false, "scan the session logs of the agents installed under $HOME")
	f.IntVar(&o.MaxEmbedded, "max-embedded", transcript.DefaultMaxEmbedded, "levels of JSON held in JSON strings to walk into")
	f.BoolVarP(&o.InPlace, "in-place", "w", false, "rewrite the logs with each secret replaced by [REDACTED:<rule>:<hash>]")
	f.BoolVar(&o.Backup, "backup", false, "with --in-place, keep a copy of each original (mode 0600) in leakguard's state directory")
	f.BoolVar(&o.NoBackup, "no-backup", false, "with --in-place, keep no copy (the default)")
	_ = f.MarkHidden("no-backup")
	return cmd
}

func runTranscript(ctx context.Context, env *Env, o *TranscriptOptions) error {
	if err := o.prepare(); err != nil {
		return err
	}
	if o.Backup && o.NoBackup {
		return usageError("--backup and --no-backup exclude each other")
	}
	ctx, cancel := withTimeout(ctx, time.Duration(o.Timeout))
	defer cancel()
	paths := append([]string(nil), o.Paths...)
	for _, p := range paths {
		if p == "-" && (len(paths) > 1 || o.AgentLogs) {
			return usageError("\"-\" (stdin) cannot be mixed with paths")
		}
		if p == "-" && o.InPlace {
			return usageError("--in-place rewrites files; to redact stdin use 'leakguard redact -'")
		}
	}
	if o.AgentLogs {
		home := env.Getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dirs := transcript.AgentLogDirs(home, env.Getenv)
		for _, d := range dirs {
			o.debugf(env, "%s session logs: %s", d.Agent, d.Dir)
			paths = append(paths, d.Dir)
		}
		if len(dirs) == 0 {
			fmt.Fprintf(env.Err, "leakguard: no agent session logs under %s\n", home)
		}
		if len(paths) == 0 {
			return nil
		}
	}
	o.root = sarifRoot("")
	set, det, err := compileRules(env, &o.ReportOptions, "")
	if err != nil {
		return err
	}
	ignore, base, err := loadFilters(&o.ReportOptions, env, "")
	if err != nil {
		return err
	}
	var failed atomic.Int64
	fail := func(path string, err error) {
		failed.Add(1)
		fmt.Fprintf(env.Err, "leakguard: cannot read %s: %v\n", path, unwrapPathError(err))
	}
	maxEmbedded := o.MaxEmbedded
	if maxEmbedded == 0 {
		maxEmbedded = -1
	}
	prog := newProgress(env, o.NoProgress)
	// Unfiltered: the strings' fragments carry no path (see below), so the
	// filter runs once the path is filled in.
	so := o.scannerOptions(nil, nil, prog, "")
	so.Unfiltered = true
	sc := scanner.New(det, so)
	filter := scanner.Filter{Ignore: ignore, Baseline: base}
	var findings []scanner.Finding
	var sum scanner.Summary
	var scanErr error
	files := map[string]string{} // reported path -> path to read
	// One file at a time: the strings' fragments carry no path, so that
	// the detector does not test the file's path against the global
	// allowlists once per string; the Source tests it once per file.
	for _, file := range transcript.ListFiles(paths, fail) {
		if strings.HasSuffix(strings.ToLower(file), ".bak") {
			fmt.Fprintf(env.Err, "leakguard: %s is a backup an older leakguard left beside a log it redacted; it is scanned, and should be deleted\n", file)
		}
		src := &transcript.Source{
			Paths: []string{file}, In: newContextReader(ctx, env.In), MaxEmbedded: maxEmbedded, OmitPath: true,
			PathAllowed: det.PathAllowed, Error: fail,
			Note: func(path string, line int, msg string) {
				fmt.Fprintf(env.Err, "leakguard: %s:%d: %s\n", displayPath(path), line, msg)
			},
		}
		fs, s, err := sc.Scan(ctx, src)
		sum.Fragments += s.Fragments
		sum.Bytes += s.Bytes
		sum.Files++
		name := filepath.ToSlash(file)
		if file == "-" {
			name = ""
		} else {
			files[name] = file
		}
		for _, f := range fs {
			if f.Path == "" && name != "" {
				f.Path = name
				f.Fingerprint = scanner.Fingerprint(&f)
			}
			findings = append(findings, f)
		}
		if err != nil {
			scanErr = fmt.Errorf("transcript %s: %w", file, err)
			break
		}
	}
	prog.Finish()
	findings = filter.Finish(findings)
	locateColumns(findings, files)
	scanner.Sort(findings)
	sum.Errors = failed.Load()
	if o.InPlace && scanErr == nil {
		if err := scrubTranscripts(env, scanner.New(det, scanner.Options{Filter: scanner.Filter{Ignore: ignore, Baseline: base}}), findings, o); err != nil {
			return err
		}
	}
	return finish(ctx, env, &o.ReportOptions, scanRun{findings: findings, sum: sum, err: scanErr, set: set})
}

// locateColumns moves transcript findings' columns into their files' raw
// lines (transcript.LocateColumns), once findings are filtered and deduped
// (a string and the JSON inside it map to the same raw place).
func locateColumns(findings []scanner.Finding, files map[string]string) {
	start := 0
	for i := 1; i <= len(findings); i++ {
		if i < len(findings) && findings[i].Path == findings[start].Path {
			continue
		}
		if file, ok := files[findings[start].Path]; ok {
			transcript.LocateColumns(file, findings[start:i])
		}
		start = i
	}
}

func displayPath(p string) string {
	if p == "" {
		return "stdin"
	}
	return p
}

// scrubTranscripts rewrites, in place, each file that has findings.
func scrubTranscripts(env *Env, sc *scanner.Scanner, findings []scanner.Finding, o *TranscriptOptions) error {
	seen := map[string]bool{}
	var files []string
	for _, f := range findings {
		if !seen[f.Path] && f.Path != "" {
			seen[f.Path] = true
			files = append(files, f.Path)
		}
	}
	sort.Strings(files)
	for _, path := range files {
		r := &redact.Redactor{Scanner: sc, Origin: scanner.Origin{Kind: scanner.KindTranscript, Path: path}, MaxEmbedded: o.MaxEmbedded}
		if err := rewriteReporting(env, path, o.Backup, redactFunc(r, path, false)); err != nil {
			return err
		}
	}
	return nil
}

// rewriteReporting redacts one file in place, keeping a backup in the
// state directory when asked, and says on stderr what it did.
func rewriteReporting(env *Env, path string, backup bool, fn func(io.Reader, io.Writer) (int, error)) error {
	opts := redact.RewriteOptions{}
	if backup {
		dir, err := stateDir(env, "backups")
		if err != nil {
			return withCode(ExitError, fmt.Errorf("redact %s: backup: %w", path, err))
		}
		opts.BackupDir = dir
	}
	res, err := redact.RewriteFile(path, opts, fn)
	if err != nil {
		return withCode(ExitError, err)
	}
	msg := fmt.Sprintf("leakguard: redacted %d secret(s) in %s", res.Count, path)
	if res.Backup != "" {
		msg += "; the original, secrets included, is kept in " + res.Backup + " (mode 0600): delete it once you have checked the result"
	}
	fmt.Fprintln(env.Err, msg)
	return nil
}

// redactFunc picks how a file is redacted: a .json file (or any input with
// asJSON) as one document when it is one, else line by line as JSONL;
// other files as JSONL, whose non-JSON lines are redacted as text.
func redactFunc(r *redact.Redactor, path string, asJSON bool) func(io.Reader, io.Writer) (int, error) {
	if !asJSON && !strings.EqualFold(extOf(path), ".json") {
		return r.JSONL
	}
	return func(in io.Reader, out io.Writer) (int, error) {
		data, err := io.ReadAll(in)
		if err != nil {
			return 0, err
		}
		red, n, err := r.JSON(data)
		if err != nil {
			return r.JSONL(bytes.NewReader(data), out)
		}
		if _, err := out.Write(red); err != nil {
			return n, err
		}
		return n, nil
	}
}

func extOf(path string) string {
	i := strings.LastIndexAny(path, "./\\")
	if i < 0 || path[i] != '.' {
		return ""
	}
	return path[i:]
}

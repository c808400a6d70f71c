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
	NoBackup    bool
	Verbose     bool
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

--redact scrubs the logs in place: every secret is replaced by
[REDACTED:<rule>:<hash>] inside the JSON strings, the file stays valid JSONL,
and the original is kept as FILE.bak unless --no-backup is given.`,
		Example: `  leakguard transcript --agent-logs
  leakguard transcript ~/.claude/projects/-work-app/*.jsonl --format json
  leakguard transcript --redact session.jsonl`,
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
	cmd.Flags().Lookup("redact").Usage = "scrub the logs in place: replace each secret with [REDACTED:<rule>:<hash>], keeping FILE.bak"
	cmd.Flags().BoolVar(&o.AgentLogs, "agent-logs", false, "scan the session logs of the agents installed under $HOME")
	cmd.Flags().IntVar(&o.MaxEmbedded, "max-embedded", transcript.DefaultMaxEmbedded, "levels of JSON held in JSON strings to walk into")
	cmd.Flags().BoolVar(&o.NoBackup, "no-backup", false, "with --redact, keep no FILE.bak")
	cmd.Flags().BoolVarP(&o.Verbose, "verbose", "v", false, "name each session-log directory scanned")
	return cmd
}

func runTranscript(ctx context.Context, env *Env, o *TranscriptOptions) error {
	if err := checkFormat(&o.ReportOptions); err != nil {
		return err
	}
	paths := append([]string(nil), o.Paths...)
	for _, p := range paths {
		if p == "-" && (len(paths) > 1 || o.AgentLogs) {
			return usageError("\"-\" (stdin) cannot be mixed with paths")
		}
		if p == "-" && o.Redact {
			return usageError("--redact rewrites files; to redact stdin use 'leakguard redact -'")
		}
	}
	if o.AgentLogs {
		home := env.Getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dirs := transcript.AgentLogDirs(home, env.Getenv)
		for _, d := range dirs {
			if o.Verbose {
				fmt.Fprintf(env.Err, "leakguard: %s session logs: %s\n", d.Agent, d.Dir)
			}
			paths = append(paths, d.Dir)
		}
		if len(dirs) == 0 {
			fmt.Fprintf(env.Err, "leakguard: no agent session logs under %s\n", home)
		}
		if len(paths) == 0 {
			return nil
		}
	}
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
	// One file at a time: the strings' fragments carry no path, so that
	// the detector does not test the file's path against the global
	// allowlists once per string; the Source tests it once per file.
	for _, file := range transcript.ListFiles(paths, fail) {
		src := &transcript.Source{
			Paths: []string{file}, In: env.In, MaxEmbedded: maxEmbedded, OmitPath: true,
			PathAllowed: det.PathAllowed, Error: fail,
			Note: func(path string, line int, msg string) {
				fmt.Fprintf(env.Err, "leakguard: %s:%d: %s\n", displayPath(path), line, msg)
			},
		}
		fs, s, err := sc.Scan(ctx, src)
		if err != nil {
			prog.Finish()
			return withCode(ExitError, fmt.Errorf("transcript %s: %w", file, err))
		}
		sum.Fragments += s.Fragments
		sum.Bytes += s.Bytes
		name := filepath.ToSlash(file)
		if file == "-" {
			name = ""
		}
		for _, f := range fs {
			if f.Path == "" && name != "" {
				f.Path = name
				f.Fingerprint = scanner.Fingerprint(&f)
			}
			findings = append(findings, f)
		}
	}
	prog.Finish()
	findings = filter.Finish(findings)
	sum.Errors = failed.Load()
	if o.Redact {
		if err := scrubTranscripts(env, scanner.New(det, scanner.Options{Filter: scanner.Filter{Ignore: ignore, Baseline: base}}), findings, o); err != nil {
			return err
		}
	}
	// The report masks secrets unless --show-secrets; --redact means
	// something else here.
	ro := o.ReportOptions
	ro.Redact = false
	code, err := writeReport(env, &ro, findings, sum, set)
	if err != nil {
		return err
	}
	if code == ExitClean && sum.Errors > 0 {
		return withCode(ExitError, fmt.Errorf("%d input(s) could not be read", sum.Errors))
	}
	if code != ExitClean {
		return withCode(code, nil)
	}
	return nil
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
		n, err := redact.Rewrite(path, !o.NoBackup, redactFunc(r, path, false))
		if err != nil {
			return withCode(ExitError, err)
		}
		backup := ""
		if !o.NoBackup && n > 0 {
			backup = " (original kept as " + path + ".bak)"
		}
		fmt.Fprintf(env.Err, "leakguard: redacted %d secret(s) in %s%s\n", n, path, backup)
	}
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

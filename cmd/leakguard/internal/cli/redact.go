package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
)

// RedactOptions are the flags of `leakguard redact`.
type RedactOptions struct {
	Config   string
	Paths    []string
	JSON     bool
	InPlace  bool
	Backup   bool
	NoBackup bool // the default; kept so that old command lines parse
	ExitCode int
	Quiet    bool
}

func newRedactCmd(env *Env, runF func(context.Context, *RedactOptions) error) *cobra.Command {
	o := &RedactOptions{}
	cmd := &cobra.Command{
		Use:   "redact [FILE... | -]",
		Short: "Write input with every secret replaced by [REDACTED:<rule>:<hash>]",
		Long: `Write the input with every secret replaced by [REDACTED:<rule-id>:<hash>],
where <hash> is 8 hex digits of an HMAC of the secret under a per-user key
(kept in leakguard's state directory, mode 0600): the same secret gets the
same placeholder everywhere, and nobody without the key can test a guess.

JSON and JSONL input (.json, .jsonl, .ndjson, or --json) keeps its structure:
secrets are replaced inside the decoded strings (and inside JSON held in
strings) and the strings are encoded again, so the output still parses.
Other input is redacted as text. With no FILE, or "-", standard input is
redacted to standard output.

--in-place rewrites each FILE atomically (a temporary file renamed over it,
with the same owner and permissions; a symbolic link's target is rewritten
and the link kept). No copy of the original is kept unless --backup is given:
the copy goes to leakguard's state directory, outside the folders being
cleaned, with mode 0600, and its path is printed. A file with nothing to
redact is left untouched.`,
		Example: `  leakguard redact session.jsonl > session.clean.jsonl
  leakguard redact --in-place ~/.claude/projects/-work-app/*.jsonl
  pbpaste | leakguard redact | pbcopy`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if len(o.Paths) == 0 {
				o.Paths = []string{"-"}
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runRedact(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml here, else the built-in rules)")
	f.BoolVar(&o.JSON, "json", false, "treat the input as JSON or JSONL whatever its name")
	f.BoolVarP(&o.InPlace, "in-place", "w", false, "rewrite each FILE instead of writing to stdout")
	f.BoolVar(&o.Backup, "backup", false, "with --in-place, keep a copy of each original (mode 0600) in leakguard's state directory")
	f.BoolVar(&o.NoBackup, "no-backup", false, "with --in-place, keep no copy (the default)")
	_ = f.MarkHidden("no-backup")
	f.IntVar(&o.ExitCode, "exit-code", ExitFindings, "exit status when secrets were redacted (0: always succeed)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "do not count redactions on stderr")
	return cmd
}

func isJSONName(path string) bool {
	switch strings.ToLower(extOf(path)) {
	case ".json", ".jsonl", ".ndjson", ".jsonlines":
		return true
	}
	return false
}

func runRedact(ctx context.Context, env *Env, o *RedactOptions) error {
	for _, p := range o.Paths {
		if p == "-" && len(o.Paths) > 1 {
			return usageError("\"-\" (stdin) cannot be mixed with files")
		}
		if p == "-" && o.InPlace {
			return usageError("--in-place needs FILE arguments, not stdin")
		}
	}
	if o.Backup && o.NoBackup {
		return usageError("--backup and --no-backup exclude each other")
	}
	if o.Backup && !o.InPlace {
		return usageError("--backup goes with --in-place")
	}
	_, det, err := compileRules(env, &ReportOptions{Config: o.Config}, "")
	if err != nil {
		return err
	}
	sc := scanner.New(det, scanner.Options{})
	total := 0
	for _, p := range o.Paths {
		if se := stopped(ctx); se != nil {
			return withCode(se.code(), fmt.Errorf("redact: %v after %d secret(s) in the files before %s", se, total, p))
		}
		if o.InPlace {
			n, err := redactInPlace(env, sc, p, o)
			if err != nil {
				return err
			}
			total += n
			continue
		}
		n, err := redactOne(ctx, env, sc, p, o)
		if se := stopped(ctx); se != nil && err != nil {
			return withCode(se.code(), fmt.Errorf("redact %s: %v", displayPath(p), se))
		}
		if err != nil {
			return withCode(ExitError, err)
		}
		total += n
		if !o.Quiet && n > 0 {
			fmt.Fprintf(env.Err, "leakguard: redacted %d secret(s) in %s\n", n, displayPath(strings.TrimPrefix(p, "-")))
		}
	}
	if total > 0 && o.ExitCode != 0 {
		return withCode(o.ExitCode, nil)
	}
	return nil
}

// redactInPlace rewrites one file and says what it did (unless -q; a
// backup is always named).
func redactInPlace(env *Env, sc *scanner.Scanner, path string, o *RedactOptions) (int, error) {
	ropts := redact.RewriteOptions{}
	if o.Backup {
		dir, err := stateDir(env, "backups")
		if err != nil {
			return 0, withCode(ExitError, fmt.Errorf("redact %s: backup: %w", path, err))
		}
		ropts.BackupDir = dir
	}
	res, err := redact.RewriteFile(path, ropts, redactFn(sc, path, o))
	if err != nil {
		return 0, withCode(ExitError, err)
	}
	if !o.Quiet || res.Backup != "" {
		msg := fmt.Sprintf("leakguard: redacted %d secret(s) in %s", res.Count, path)
		if res.Path != path {
			msg += " (the target of the link, " + res.Path + ")"
		}
		if res.Backup != "" {
			msg += "; the original, secrets included, is kept in " + res.Backup + " (mode 0600): delete it once you have checked the result"
		}
		fmt.Fprintln(env.Err, msg)
	}
	return res.Count, nil
}

func redactOne(ctx context.Context, env *Env, sc *scanner.Scanner, path string, o *RedactOptions) (int, error) {
	fn := redactFn(sc, path, o)
	if path == "-" {
		return fn(newContextReader(ctx, env.In), env.Out)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("redact: %w", err)
	}
	defer f.Close()
	return fn(f, env.Out)
}

// redactFn picks how path is redacted: as JSON, JSONL or text.
func redactFn(sc *scanner.Scanner, path string, o *RedactOptions) func(io.Reader, io.Writer) (int, error) {
	asJSON := o.JSON || isJSONName(path)
	origin := scanner.Origin{Kind: scanner.KindStdin}
	if path != "-" {
		origin = scanner.Origin{Kind: scanner.KindFile, Path: path}
	}
	r := &redact.Redactor{Scanner: sc, Origin: origin}
	text := func(in io.Reader, out io.Writer) (int, error) {
		data, err := io.ReadAll(in)
		if err != nil {
			return 0, err
		}
		red, n := r.Text(data)
		_, err = out.Write(red)
		return n, err
	}
	fn := text
	if asJSON {
		fn = redactFunc(r, path, true)
		if strings.EqualFold(extOf(path), ".jsonl") || strings.EqualFold(extOf(path), ".ndjson") {
			fn = r.JSONL
		}
	}
	return fn
}

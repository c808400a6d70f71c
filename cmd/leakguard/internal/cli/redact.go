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
	NoBackup bool
	ExitCode int
	Quiet    bool
}

func newRedactCmd(env *Env, runF func(context.Context, *RedactOptions) error) *cobra.Command {
	o := &RedactOptions{}
	cmd := &cobra.Command{
		Use:   "redact [FILE... | -]",
		Short: "Write input with every secret replaced by [REDACTED:<rule>:<hash>]",
		Long: `Write the input with every secret replaced by [REDACTED:<rule-id>:<hash>],
where <hash> is the first 8 hex digits of the secret's SHA-256, so the same
secret gets the same placeholder everywhere.

JSON and JSONL input (.json, .jsonl, .ndjson, or --json) keeps its structure:
secrets are replaced inside the decoded strings (and inside JSON held in
strings) and the strings are encoded again, so the output still parses.
Other input is redacted as text. With no FILE, or "-", standard input is
redacted to standard output.

--in-place rewrites each FILE atomically (a temporary file renamed over it,
with the same permissions) and keeps the original as FILE.bak unless
--no-backup is given; a file with nothing to redact is left untouched.`,
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
	f.BoolVar(&o.NoBackup, "no-backup", false, "with --in-place, keep no FILE.bak")
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
	_, det, err := compileRules(env, &ReportOptions{Config: o.Config}, "")
	if err != nil {
		return err
	}
	sc := scanner.New(det, scanner.Options{})
	total := 0
	for _, p := range o.Paths {
		if err := ctx.Err(); err != nil {
			return withCode(ExitError, err)
		}
		n, err := redactOne(env, sc, p, o)
		if err != nil {
			return withCode(ExitError, err)
		}
		total += n
		if !o.Quiet && (n > 0 || o.InPlace) {
			fmt.Fprintf(env.Err, "leakguard: redacted %d secret(s) in %s\n", n, displayPath(strings.TrimPrefix(p, "-")))
		}
	}
	if total > 0 && o.ExitCode != 0 {
		return withCode(o.ExitCode, nil)
	}
	return nil
}

func redactOne(env *Env, sc *scanner.Scanner, path string, o *RedactOptions) (int, error) {
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
	switch {
	case path == "-":
		return fn(env.In, env.Out)
	case o.InPlace:
		return redact.Rewrite(path, !o.NoBackup, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("redact: %w", err)
	}
	defer f.Close()
	return fn(f, env.Out)
}

package cli

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/diff"
)

// DiffOptions are the flags of `leakguard diff`.
type DiffOptions struct {
	ReportOptions
	Patch      string
	NoMessages bool
}

func newDiffCmd(env *Env, runF func(context.Context, *DiffOptions) error) *cobra.Command {
	o := &DiffOptions{}
	cmd := &cobra.Command{
		Use:   "diff [PATCH | -]",
		Short: "Scan the lines a unified diff adds (git diff, git format-patch, diff -u)",
		Long: `Scan only the lines a unified diff adds, read from PATCH or standard input
("-", the default). Findings carry the line numbers of the new file. Git
diffs (renames, copies, quoted paths, --no-prefix), git show / git log -p
output, git format-patch mail (one or many patches; their From, Date and
Subject become the commit's author, date and message, and the message is
scanned too) and plain diff -u output are understood. Deleted files and
removed lines are not scanned; binary patches are skipped and listed on
stderr.`,
		Example: `  git diff origin/main... | leakguard diff
  leakguard diff 0001-add-config.patch
  git format-patch -3 --stdout | leakguard diff --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Patch = "-"
			if len(args) == 1 {
				o.Patch = args[0]
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runDiff(cmd.Context(), env, o)
		},
	}
	addReportFlags(cmd, &o.ReportOptions)
	cmd.Flags().BoolVar(&o.NoMessages, "no-messages", false, "do not scan commit messages found in the input")
	return cmd
}

func runDiff(ctx context.Context, env *Env, o *DiffOptions) error {
	if err := o.prepare(); err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, time.Duration(o.Timeout))
	defer cancel()
	in := newContextReader(ctx, env.In)
	if o.Patch != "-" {
		f, err := os.Open(o.Patch)
		if err != nil {
			return withCode(ExitError, fmt.Errorf("diff: %w", unwrapPathError(err)))
		}
		defer f.Close()
		in = f
	}
	o.root = sarifRoot("")
	set, det, err := compileRules(env, &o.ReportOptions, ".")
	if err != nil {
		return err
	}
	ignore, base, err := loadFilters(&o.ReportOptions, env, ".")
	if err != nil {
		return err
	}
	var skipped, malformed atomic.Int64
	var firstBad atomic.Value
	src := &diff.Source{R: in, NoMessages: o.NoMessages, Skip: func(path, reason string) {
		skipped.Add(1)
		fmt.Fprintf(env.Err, "leakguard: skipped %s: %s\n", path, reason)
	},
		// A malformed part costs that file (or commit) only: the parser
		// goes on at the next one, and the report, written with what the
		// rest holds, is marked partial (exit 2). The error quotes no
		// more than a clipped prefix of the bad line.
		Malformed: func(c *scanner.CommitInfo, err error) error {
			malformed.Add(1)
			firstBad.CompareAndSwap(nil, err.Error())
			fmt.Fprintf(env.Err, "leakguard: diff %s: %v (skipped to the next file)\n", o.Patch, err)
			return nil
		}}
	counted := &countFiles{src: src}
	prog := newProgress(env, o.NoProgress)
	sc := scanner.New(det, o.scannerOptions(ignore, base, prog.counting(counted), ""))
	findings, sum, err := sc.Scan(ctx, counted)
	prog.Finish()
	sum.Skipped = skipped.Load()
	sum.Files = counted.files.Load()
	if n := malformed.Load(); n > 0 {
		sum.Errors += n
		sum.Partial = fmt.Sprintf("%d malformed part(s) of the diff not scanned (the first: %s)", n, firstBad.Load())
	}
	return finish(ctx, env, &o.ReportOptions, scanRun{findings: findings, sum: sum, err: wrapErr("diff "+o.Patch, err), set: set})
}

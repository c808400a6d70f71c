package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source"
)

// ScanOptions are the flags of `leakguard scan`.
type ScanOptions struct {
	ReportOptions
	Paths          []string
	MaxFileSize    string
	FollowSymlinks bool
}

func newScanCmd(env *Env, runF func(context.Context, *ScanOptions) error) *cobra.Command {
	o := &ScanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [PATH... | -]",
		Short: "Scan files and directories, or stdin (-), for secrets",
		Long: `Scan files and directories (recursively, in parallel), or standard input
when the path is "-". Binary files are skipped after a content sniff, .git
directories are not entered, symbolic links are not followed unless
--follow-symlinks is given, and unreadable paths are reported on stderr while
the scan goes on.`,
		Example: `  leakguard scan .
  leakguard scan --format sarif --output leakguard.sarif src/
  git show HEAD | leakguard scan -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if len(o.Paths) == 0 {
				o.Paths = []string{"."}
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runScan(cmd.Context(), env, o)
		},
	}
	addReportFlags(cmd, &o.ReportOptions)
	cmd.Flags().StringVar(&o.MaxFileSize, "max-file-size", "", "skip files larger than this (e.g. 500KB, 10MB, 1GB; default: no limit)")
	cmd.Flags().BoolVar(&o.FollowSymlinks, "follow-symlinks", false, "follow symbolic links (loops are detected)")
	return cmd
}

// parseSize reads sizes such as 1024, 500KB, 10MB, 1GB.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, suf.s)), suf.m
			break
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return int64(n * float64(mult)), nil
}

// compileRules loads the rule set for root and compiles a detector with
// the settings the flags ask for.
func compileRules(env *Env, o *ReportOptions, root string) (*rules.Set, *detectors.Detector, error) {
	set, err := loadRules(o, env, root)
	if err != nil {
		return nil, nil, err
	}
	if len(o.EnableRules) > 0 {
		if set, err = enableRules(set, o.EnableRules); err != nil {
			return nil, nil, err
		}
	}
	det, err := detectors.Compile(set, o.detectorOptions())
	if err != nil {
		return nil, nil, withCode(ExitError, err)
	}
	return set, det, nil
}

// enableRules keeps only the rules named by --enable-rule; an id the set
// lacks is an error, as in gitleaks.
func enableRules(set *rules.Set, ids []string) (*rules.Set, error) {
	keep := *set
	keep.Rules = nil
	for _, id := range ids {
		r := set.Rule(strings.TrimSpace(id))
		if r == nil {
			return nil, usageError("--enable-rule: no rule %q in the rules in effect (see 'leakguard rules list')", id)
		}
		keep.Rules = append(keep.Rules, r)
	}
	return &keep, nil
}

func runScan(ctx context.Context, env *Env, o *ScanOptions) error {
	if err := o.prepare(); err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, time.Duration(o.Timeout))
	defer cancel()
	maxSize, err := parseSize(o.maxFileSize(o.MaxFileSize))
	if err != nil {
		return usageError("--max-file-size: %v", err)
	}
	stdin := len(o.Paths) == 1 && o.Paths[0] == "-"
	root := ""
	if !stdin && len(o.Paths) == 1 {
		if fi, err := os.Stat(o.Paths[0]); err == nil && fi.IsDir() {
			root = o.Paths[0]
		}
	}
	if !stdin {
		o.root = sarifRoot(root)
	}
	set, det, err := compileRules(env, &o.ReportOptions, root)
	if err != nil {
		return err
	}
	ignore, base, err := loadFilters(&o.ReportOptions, env, root)
	if err != nil {
		return err
	}
	var failed, skipped atomic.Int64
	var src scanner.Source
	prog := newProgress(env, o.NoProgress)
	if stdin {
		src = &source.Reader{R: newContextReader(ctx, env.In), Origin: scanner.Origin{Kind: scanner.KindStdin}}
	} else {
		for _, p := range o.Paths {
			if p == "-" {
				return usageError("\"-\" (stdin) cannot be mixed with paths")
			}
		}
		own := ownFiles(set, o)
		src = &source.Files{
			Paths:          o.Paths,
			MaxFileSize:    maxSize,
			FollowSymlinks: o.FollowSymlinks,
			Workers:        o.Workers,
			PathAllowed: func(p string) bool {
				return det.PathAllowed(p) || own[filepath.Clean(p)]
			},
			Skip: func(path, reason string) {
				skipped.Add(1)
				prog.skipped(path)
				if o.LogLevel == "debug" || strings.HasPrefix(reason, "symlink loop") || strings.HasPrefix(reason, "larger") {
					fmt.Fprintf(env.Err, "leakguard: skipped %s: %s\n", path, reason)
				}
			},
			Error: func(path string, err error) {
				failed.Add(1)
				fmt.Fprintf(env.Err, "leakguard: cannot read %s: %v\n", path, unwrapPathError(err))
			},
		}
	}
	counted := &countFiles{src: src}
	if !stdin {
		prog.total(ctx, o.Paths, o.FollowSymlinks, maxSize)
	}
	sc := scanner.New(det, o.scannerOptions(ignore, base, prog.counting(counted), root))
	findings, sum, err := sc.Scan(ctx, counted)
	prog.Finish()
	sum.Errors, sum.Skipped = failed.Load(), skipped.Load()
	if !stdin {
		sum.Files = counted.files.Load()
	}
	return finish(ctx, env, &o.ReportOptions, scanRun{findings: findings, sum: sum, err: wrapErr("scan", err), set: set})
}

// wrapErr names what failed; nil stays nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// sarifRoot is the directory findings' relative paths are relative to:
// the scanned directory when it was given as an absolute path (its
// findings carry absolute paths), the working directory otherwise.
func sarifRoot(dir string) string {
	if dir != "" && filepath.IsAbs(dir) {
		return filepath.Clean(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return wd
}

// countFiles counts the files a Source yields: fragments of one file are
// yielded one after another, so a change of path is a new file.
type countFiles struct {
	src   scanner.Source
	files atomic.Int64
}

// Fragments implements scanner.Source.
func (c *countFiles) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	last, first := "", true
	return c.src.Fragments(ctx, func(f scanner.Fragment) error {
		if first || f.Origin.Path != last {
			first, last = false, f.Origin.Path
			c.files.Add(1)
		}
		return yield(f)
	})
}

// ownFiles are the config and baseline files: not scanned, as gitleaks
// does not scan them.
func ownFiles(set *rules.Set, o *ScanOptions) map[string]bool {
	m := map[string]bool{}
	if set.Path != "" {
		m[filepath.Clean(set.Path)] = true
	}
	if o.Baseline != "" {
		m[filepath.Clean(o.Baseline)] = true
	}
	return m
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s", pe.Err)
	}
	return err
}

package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

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
	Verbose        bool
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
	cmd.Flags().BoolVarP(&o.Verbose, "verbose", "v", false, "report every skipped file on stderr")
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
	det, err := detectors.Compile(set, o.detectorOptions())
	if err != nil {
		return nil, nil, withCode(ExitError, err)
	}
	return set, det, nil
}

func runScan(ctx context.Context, env *Env, o *ScanOptions) error {
	if err := checkFormat(&o.ReportOptions); err != nil {
		return err
	}
	maxSize, err := parseSize(o.MaxFileSize)
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
	if stdin {
		src = &source.Reader{R: env.In, Origin: scanner.Origin{Kind: scanner.KindStdin}}
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
				if o.Verbose || strings.HasPrefix(reason, "symlink loop") || strings.HasPrefix(reason, "larger") {
					fmt.Fprintf(env.Err, "leakguard: skipped %s: %s\n", path, reason)
				}
			},
			Error: func(path string, err error) {
				failed.Add(1)
				fmt.Fprintf(env.Err, "leakguard: cannot read %s: %v\n", path, unwrapPathError(err))
			},
		}
	}
	prog := newProgress(env, o.NoProgress)
	sc := scanner.New(det, o.scannerOptions(ignore, base, prog, root))
	findings, sum, err := sc.Scan(ctx, src)
	prog.Finish()
	if err != nil {
		return withCode(ExitError, fmt.Errorf("scan: %w", err))
	}
	sum.Errors, sum.Skipped = failed.Load(), skipped.Load()
	code, err := writeReport(env, &o.ReportOptions, findings, sum, set)
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

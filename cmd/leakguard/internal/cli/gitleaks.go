package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leakguard/leakguard/scanner/source/git"
)

// gitleaks' command line, accepted as it is: its commands (dir, stdin,
// detect, protect; git is ours too) and its flags, hidden, with gitleaks'
// meanings. The README's "Switching from gitleaks" table lists them.

// gitleaksFlags are gitleaks flags that have no leakguard flag of their own.
type gitleaksFlags struct {
	MaxTargetMB     int
	IgnoreAllow     bool
	NoBanner        bool
	ReportTemplate  string
	MaxArchiveDepth int
	Diagnostics     string
	DiagnosticsDir  string
	Platform        string
}

// addGitleaksFlags adds gitleaks' names as hidden flags.
func addGitleaksFlags(cmd *cobra.Command, o *ReportOptions) {
	f := cmd.Flags()
	g := &o.gitleaksOnly
	hidden := func(name string) { _ = f.MarkHidden(name) }
	f.StringVarP(&o.ReportPath, "report-path", "r", "", "gitleaks: write the report to this file, in gitleaks' format names (json is gitleaks' JSON)")
	f.StringVar(&o.ReportFormat, "report-format", "", "gitleaks: report format (json, csv, junit, sarif)")
	f.StringVar(&o.Baseline, "baseline-path", "", "gitleaks: --baseline")
	f.StringVar(&o.IgnoreFile, "gitleaks-ignore-path", "", "gitleaks: --ignore-file (a file or a folder holding .gitleaksignore)")
	f.IntVar(&g.MaxTargetMB, "max-target-megabytes", 0, "gitleaks: skip files larger than this many megabytes")
	f.BoolVar(&g.IgnoreAllow, "ignore-gitleaks-allow", false, "gitleaks: ignore gitleaks:allow comments")
	f.BoolVar(&g.NoBanner, "no-banner", false, "gitleaks: leakguard prints no banner")
	f.StringVar(&g.ReportTemplate, "report-template", "", "gitleaks: not supported")
	f.IntVar(&g.MaxArchiveDepth, "max-archive-depth", 0, "gitleaks: not supported beyond 0")
	f.StringVar(&g.Diagnostics, "diagnostics", "", "gitleaks: use LEAKGUARD_CPUPROFILE=FILE")
	f.StringVar(&g.DiagnosticsDir, "diagnostics-dir", "", "gitleaks: see --diagnostics")
	f.StringVar(&g.Platform, "platform", "", "gitleaks: links to the platform are not written")
	for _, n := range []string{"report-path", "report-format", "baseline-path", "gitleaks-ignore-path",
		"max-target-megabytes", "ignore-gitleaks-allow", "no-banner", "report-template",
		"max-archive-depth", "diagnostics", "diagnostics-dir", "platform"} {
		hidden(n)
	}
	o.fs = f
}

// gitleaksFormat maps gitleaks' report format names onto leakguard's.
func gitleaksFormat(name string) (string, error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "json":
		return "gitleaks-json", nil
	case "template":
		return "", usageError("--report-format template: report templates are not supported; use --report-format json and a JSON tool")
	default:
		return n, nil
	}
}

// formatFromPath infers a report format from --report-path's extension,
// as gitleaks does when --report-format is not given.
func formatFromPath(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "gitleaks-json", nil
	case ".csv":
		return "csv", nil
	case ".sarif":
		return "sarif", nil
	}
	return "", usageError("cannot tell the report format from %q: give --report-format (json, csv, junit, sarif)", path)
}

// prepare checks the shared flags and resolves gitleaks' names into
// leakguard's (the report file and format, the ignore path, the log
// level). Every scanning command calls it first.
func (o *ReportOptions) prepare() error {
	o.start = time.Now()
	g := o.gitleaksOnly
	if g.ReportTemplate != "" {
		return usageError("--report-template: report templates are not supported; use --format json and a JSON tool")
	}
	if g.MaxArchiveDepth > 0 {
		return usageError("--max-archive-depth: leakguard does not scan inside archives")
	}
	switch strings.ToLower(o.LogLevel) {
	case "trace", "debug":
		o.LogLevel = "debug"
	case "", "info":
		o.LogLevel = "info"
	case "warn", "warning":
		o.LogLevel = "warn"
	case "err", "error", "fatal":
		o.LogLevel = "error"
	default:
		return usageError("unknown --log-level %q (want debug, info, warn or error)", o.LogLevel)
	}
	if o.IgnoreFile != "" {
		if fi, err := os.Stat(o.IgnoreFile); err == nil && fi.IsDir() {
			p := filepath.Join(o.IgnoreFile, ".gitleaksignore")
			if _, err := os.Stat(p); err != nil {
				p = "" // gitleaks' default "." without a file: nothing to load
			}
			o.IgnoreFile = p
		}
	}
	changed := func(name string) bool { return o.fs != nil && o.fs.Changed(name) }
	if o.ReportPath != "" {
		if o.Output != "" && o.Output != o.ReportPath {
			return usageError("--output and --report-path name different files")
		}
		o.Output = o.ReportPath
	}
	gitleaksNames := o.gitleaks || o.ReportPath != "" || changed("report-format")
	name := o.Format
	if changed("report-format") {
		if changed("format") && o.Format != o.ReportFormat {
			return usageError("--format and --report-format disagree")
		}
		name = o.ReportFormat
	}
	switch {
	case changed("report-format") || changed("format"):
		if gitleaksNames {
			n, err := gitleaksFormat(name)
			if err != nil {
				return err
			}
			name = n
		}
	case o.ReportPath != "" && o.ReportPath != "-":
		n, err := formatFromPath(o.ReportPath)
		if err != nil {
			return err
		}
		name = n
	case o.ReportPath == "-":
		name = "gitleaks-json"
	case o.gitleaks:
		name = "" // gitleaks writes no report without --report-path
	}
	o.Format = name
	if err := checkFormat(o); err != nil {
		return err
	}
	return checkOutput(o.Output)
}

// checkOutput makes sure the report can be written before a long scan
// starts: a file that does not exist yet is created and removed again.
func checkOutput(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return withCode(ExitError, fmt.Errorf("cannot write the report: %w", err))
	}
	f.Close()
	os.Remove(path)
	return nil
}

// maxFileSize is --max-file-size, or gitleaks' --max-target-megabytes
// (megabytes of 10^6 bytes) when only that is given.
func (o *ReportOptions) maxFileSize(flag string) string {
	if flag == "" && o.gitleaksOnly.MaxTargetMB > 0 {
		return fmt.Sprintf("%dMB", o.gitleaksOnly.MaxTargetMB)
	}
	return flag
}

// debugf writes a note on stderr at --log-level debug.
func (o *ReportOptions) debugf(env *Env, format string, a ...any) {
	if o.LogLevel == "debug" {
		fmt.Fprintf(env.Err, "leakguard: "+format+"\n", a...)
	}
}

// logOpts turns gitleaks' --log-opts (git log options) into what leakguard
// scans. Only what selects commits is understood: revisions and ranges,
// --all, --branches, --tags, --remotes, --since/--after and
// --until/--before. Anything else is refused rather than passed to git:
// an argument is never handed to git as an option it did not vet.
func logOpts(s string, o *GitOptions) error {
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		a := fields[i]
		val := func(name string) (string, error) {
			if v, ok := strings.CutPrefix(a, name+"="); ok {
				return v, nil
			}
			if a == name && i+1 < len(fields) {
				i++
				return fields[i], nil
			}
			return "", usageError("--log-opts: %s needs a value", name)
		}
		var err error
		switch {
		case a == "--all" || a == "--branches" || a == "--tags" || a == "--remotes":
			o.logRevs = append(o.logRevs, a)
		case strings.HasPrefix(a, "--since") || strings.HasPrefix(a, "--after"):
			name := "--since"
			if strings.HasPrefix(a, "--after") {
				name = "--after"
			}
			o.Since, err = val(name)
		case strings.HasPrefix(a, "--until") || strings.HasPrefix(a, "--before"):
			name := "--until"
			if strings.HasPrefix(a, "--before") {
				name = "--before"
			}
			o.Until, err = val(name)
		case strings.HasPrefix(a, "-"):
			return usageError("--log-opts: %q is not supported (leakguard understands revisions, ranges, --all, --branches, --tags, --remotes, --since and --until)", a)
		default:
			o.logRevs = append(o.logRevs, a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func newDirCmd(env *Env, runF func(context.Context, *ScanOptions) error) *cobra.Command {
	o := &ScanOptions{}
	cmd := &cobra.Command{
		Use:     "dir [PATH]",
		Aliases: []string{"files", "directory"},
		Short:   "gitleaks' dir: scan a directory or file (leakguard scan, with gitleaks' output)",
		Hidden:  true,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.gitleaks = true
			o.Paths = []string{"."}
			if len(args) == 1 && args[0] != "" {
				o.Paths = args
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runScan(cmd.Context(), env, o)
		},
	}
	addReportFlags(cmd, &o.ReportOptions)
	cmd.Flags().BoolVar(&o.FollowSymlinks, "follow-symlinks", false, "follow symbolic links")
	return cmd
}

func newStdinCmd(env *Env, runF func(context.Context, *ScanOptions) error) *cobra.Command {
	o := &ScanOptions{}
	cmd := &cobra.Command{
		Use:    "stdin",
		Short:  "gitleaks' stdin: scan standard input (leakguard scan -)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.gitleaks = true
			o.Paths = []string{"-"}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runScan(cmd.Context(), env, o)
		},
	}
	addReportFlags(cmd, &o.ReportOptions)
	return cmd
}

// gitleaksDetect holds the flags of gitleaks' deprecated detect and
// protect commands.
type gitleaksDetect struct {
	scan           ScanOptions
	git            GitOptions
	source         string
	noGit, pipe    bool
	followSymlinks bool
	logOpts        string
	staged         bool
}

func newDetectCmd(env *Env) *cobra.Command {
	d := &gitleaksDetect{}
	cmd := &cobra.Command{
		Use:    "detect",
		Short:  "gitleaks' detect: git history (leakguard git), --no-git a directory, --pipe stdin",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return d.run(cmd.Context(), env, false)
		},
	}
	f := d.bind(cmd)
	f.BoolVar(&d.noGit, "no-git", false, "scan the source as a plain directory")
	f.BoolVar(&d.pipe, "pipe", false, "scan standard input")
	f.BoolVar(&d.followSymlinks, "follow-symlinks", false, "follow symbolic links (with --no-git)")
	return cmd
}

func newProtectCmd(env *Env) *cobra.Command {
	d := &gitleaksDetect{}
	cmd := &cobra.Command{
		Use:    "protect",
		Short:  "gitleaks' protect: uncommitted changes (--staged: the staged ones)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return d.run(cmd.Context(), env, true)
		},
	}
	f := d.bind(cmd)
	f.BoolVar(&d.staged, "staged", false, "scan the staged changes")
	return cmd
}

// bind adds the report flags (shared by both the directory and the git
// form) and --source and --log-opts.
func (d *gitleaksDetect) bind(cmd *cobra.Command) *pflag.FlagSet {
	addReportFlags(cmd, &d.scan.ReportOptions)
	f := cmd.Flags()
	f.StringVarP(&d.source, "source", "s", ".", "path to the source")
	f.StringVar(&d.logOpts, "log-opts", "", "git log options (revisions, ranges, --all, --since, --until)")
	return f
}

func (d *gitleaksDetect) run(ctx context.Context, env *Env, protect bool) error {
	ro := d.scan.ReportOptions
	ro.gitleaks = true
	if !protect && (d.noGit || d.pipe) {
		d.scan.ReportOptions = ro
		d.scan.FollowSymlinks = d.followSymlinks
		d.scan.Paths = []string{d.source}
		if d.pipe {
			d.scan.Paths = []string{"-"}
		}
		return runScan(ctx, env, &d.scan)
	}
	d.git.ReportOptions = ro
	d.git.Repo = d.source
	d.git.Engine = git.EngineDiff
	if protect {
		d.git.Staged = d.staged
		d.git.Unstaged = !d.staged
	} else if err := logOpts(d.logOpts, &d.git); err != nil {
		return err
	}
	return runGitScan(ctx, env, &d.git)
}

// hoistFlags moves flags written before the command name after it, so
// that gitleaks' persistent flags work where gitleaks users put them
// ("gitleaks -v stdin", "gitleaks --config x.toml git ."). args without a
// known command, or whose leading flags the command lacks, are returned
// unchanged.
func hoistFlags(root *cobra.Command, args []string) []string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			if i == 0 {
				return args
			}
			cmd, _, err := root.Find([]string{a})
			if err != nil || cmd == root {
				return args
			}
			if !flagsBelong(cmd.Flags(), args[:i]) {
				return args
			}
			out := append([]string{a}, args[:i]...)
			return append(out, args[i+1:]...)
		}
		if a == "--" {
			return args
		}
		// A flag that takes a value in the next argument: skip the value.
		if fl := lookupArg(root, args, i); fl != nil && fl.NoOptDefVal == "" && !strings.Contains(a, "=") && fl.Value.Type() != "bool" && !isShortCluster(a) {
			i++
		}
	}
	return args
}

// lookupArg finds the flag args[i] names on any scanning command (they all
// share the report flags).
func lookupArg(root *cobra.Command, args []string, i int) *pflag.Flag {
	scan, _, err := root.Find([]string{"scan"})
	if err != nil {
		return nil
	}
	return flagNamed(scan.Flags(), args[i])
}

func flagNamed(fs *pflag.FlagSet, a string) *pflag.Flag {
	name := strings.TrimLeft(a, "-")
	name, _, _ = strings.Cut(name, "=")
	if strings.HasPrefix(a, "--") {
		return fs.Lookup(name)
	}
	if len(name) >= 1 {
		return fs.ShorthandLookup(name[:1])
	}
	return nil
}

// isShortCluster reports whether a is a short flag with its value
// attached ("-cfile").
func isShortCluster(a string) bool {
	return !strings.HasPrefix(a, "--") && len(a) > 2
}

// flagsBelong reports whether every flag in pre is a flag of fs.
func flagsBelong(fs *pflag.FlagSet, pre []string) bool {
	for i := 0; i < len(pre); i++ {
		a := pre[i]
		if !strings.HasPrefix(a, "-") {
			continue // a value
		}
		if flagNamed(fs, a) == nil {
			return false
		}
	}
	return true
}

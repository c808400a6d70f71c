package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/detectors/decode"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/report"
)

// ReportOptions are the output and filter flags every scanning command
// shares.
type ReportOptions struct {
	Config      string
	Format      string
	Output      string
	Baseline    string
	IgnoreFile  string
	ShowSecrets bool
	Redact      redactValue
	ExitCode    int
	NoProgress  bool
	Workers     int
	NoColor     bool
	NoValidate  bool
	ReportInv   bool
	NoDecode    bool
	DecodeDepth int
	EnableRules []string
	Timeout     timeoutValue
	Verbose     bool
	LogLevel    string

	// gitleaks' names for the same things (hidden flags; see gitleaks.go).
	ReportPath   string
	ReportFormat string
	gitleaksOnly gitleaksFlags

	// gitleaks is set by gitleaks' own commands (dir, stdin, detect,
	// protect): no report on stdout unless --report-path - or -v.
	gitleaks bool
	// root is the absolute directory that findings' relative paths are
	// relative to, for SARIF; set by each command.
	root string
	// start is when the command started, for the summary line.
	start time.Time
	fs    *pflag.FlagSet
}

func addReportFlags(cmd *cobra.Command, o *ReportOptions) {
	f := cmd.Flags()
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml at the scan root, else the built-in rules)")
	f.StringVarP(&o.Format, "format", "f", "text", "report format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&o.Output, "output", "o", "", "write the report to this file (mode 0600) instead of stdout")
	f.StringVarP(&o.Baseline, "baseline", "b", "", "a previous JSON report (leakguard's or gitleaks'); its findings are not reported again")
	f.StringVarP(&o.IgnoreFile, "ignore-file", "i", "", "a .gitleaksignore file of fingerprints to skip, or a folder holding one (default: .gitleaksignore at the scan root)")
	f.BoolVar(&o.ShowSecrets, "show-secrets", false, "print secrets in full (they are masked by default)")
	f.Var(&o.Redact, "redact", "mask secrets in the report: --redact hides them whole (\"REDACTED\"), --redact=N hides N% of each (gitleaks' meaning); never rewrites files")
	f.Lookup("redact").NoOptDefVal = "100"
	f.IntVar(&o.ExitCode, "exit-code", ExitFindings, "exit status when secrets are found")
	f.BoolVar(&o.NoProgress, "no-progress", false, "never draw a progress bar")
	f.IntVarP(&o.Workers, "workers", "j", 0, "detection workers (default: one per CPU)")
	f.BoolVar(&o.NoColor, "no-color", false, "no colour in text output")
	f.BoolVar(&o.NoValidate, "no-validate", false, "report tokens whose checksum or structure is wrong (validators off)")
	f.BoolVar(&o.ReportInv, "report-invalid", false, "report tokens that fail validation too, marked invalid")
	f.BoolVar(&o.NoDecode, "no-decode", false, "do not scan the decoded form of base64, hex, percent-encoded and escaped text")
	f.IntVar(&o.DecodeDepth, "max-decode-depth", decode.DefaultMaxDepth, "how many encodings deep to decode")
	f.StringSliceVar(&o.EnableRules, "enable-rule", nil, "only run these rules (ids, comma-separated or repeated)")
	f.Var(&o.Timeout, "timeout", "stop after this long (seconds, or a duration such as 90s or 5m) and write a partial report")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "print each finding as text even when the report goes to a file or is not text")
	f.StringVarP(&o.LogLevel, "log-level", "l", "info", "what goes to stderr: debug (also every skipped input), info (a summary line), warn, error")
	addGitleaksFlags(cmd, o)
}

// loadRules resolves the rule set for a scan rooted at root.
func loadRules(o *ReportOptions, env *Env, root string) (*rules.Set, error) {
	explicit := o.Config
	set, err := rules.ResolveEnv(explicit, root, env.Getenv)
	if err != nil {
		return nil, withCode(ExitError, err)
	}
	return set, nil
}

// loadFilters reads the ignore file and baseline named by the flags (or
// .gitleaksignore at root).
func loadFilters(o *ReportOptions, env *Env, root string) (*scanner.IgnoreList, *scanner.Baseline, error) {
	var ignore *scanner.IgnoreList
	path := o.IgnoreFile
	if path == "" && root != "" {
		p := filepath.Join(root, ".gitleaksignore")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			path = p
		}
	}
	if path != "" {
		l, warnings, err := scanner.LoadIgnore(path)
		if err != nil {
			return nil, nil, withCode(ExitError, err)
		}
		for _, w := range warnings {
			fmt.Fprintf(env.Err, "leakguard: %s: %s\n", path, w)
		}
		ignore = l
	}
	var base *scanner.Baseline
	if o.Baseline != "" {
		b, err := scanner.LoadBaseline(o.Baseline)
		if err != nil {
			return nil, nil, withCode(ExitError, err)
		}
		base = b
	}
	return ignore, base, nil
}

// writeReport writes findings in the chosen format (to --output, created
// with mode 0600, or stdout) and returns the exit status they call for.
// With -v, the findings are also printed as text (see verboseTo).
func writeReport(env *Env, o *ReportOptions, findings []scanner.Finding, sum scanner.Summary, set *rules.Set) (int, error) {
	var ruleList []*rules.Rule
	if set != nil {
		ruleList = set.Rules
	}
	opts := report.Options{
		ShowSecrets:   o.ShowSecrets && o.Redact == 0,
		RedactPercent: int(o.Redact),
		Rules:         ruleList,
		ToolVersion:   toolVersion(env.Version),
		Root:          o.root,
	}
	if o.Format != "" {
		if err := writeFormat(env, o, o.Format, o.Output, opts, findings, sum); err != nil {
			return ExitError, err
		}
	}
	if w := o.verboseTo(env); w != nil {
		opts.Color = w == env.Out && env.OutIsTTY && !o.NoColor && env.Getenv("NO_COLOR") == ""
		rep, _ := report.New("text", w, opts)
		if err := rep.Write(findings, sum); err != nil {
			return ExitError, withCode(ExitError, fmt.Errorf("write findings: %w", err))
		}
	}
	if len(findings) > 0 {
		return o.ExitCode, nil
	}
	return ExitClean, nil
}

// writeFormat writes one report to path ("" or "-": stdout).
func writeFormat(env *Env, o *ReportOptions, format, path string, opts report.Options, findings []scanner.Finding, sum scanner.Summary) error {
	var w io.Writer = env.Out
	opts.Color = env.OutIsTTY && !o.NoColor && env.Getenv("NO_COLOR") == ""
	var file *os.File
	if path != "" && path != "-" {
		f, err := createPrivate(path)
		if err != nil {
			return withCode(ExitError, fmt.Errorf("write report: %w", err))
		}
		file, w, opts.Color = f, f, false
	}
	rep, err := report.New(format, w, opts)
	if err != nil {
		if file != nil {
			file.Close()
		}
		return withCode(ExitError, err)
	}
	werr := rep.Write(findings, sum)
	if file != nil {
		if cerr := file.Close(); werr == nil {
			werr = cerr
		}
	}
	if werr != nil {
		if file != nil {
			// A report cut short (disk full) would read as a whole one
			// with fewer findings: remove it; the error says why.
			if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && os.Remove(path) == nil {
				werr = fmt.Errorf("%w (the incomplete %s was removed)", werr, path)
			}
		}
		return withCode(ExitError, fmt.Errorf("write report: %w", werr))
	}
	return nil
}

// createPrivate opens path for a report that may hold findings: a new file
// gets mode 0600, and an existing regular file loses its group and other
// permissions. Devices and pipes (/dev/stdout) are written as they are.
func createPrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(fi.Mode().Perm() &^ 0o077); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// reportOnStdout reports whether the report is written to stdout.
func (o *ReportOptions) reportOnStdout() bool {
	return o.Format != "" && (o.Output == "" || o.Output == "-")
}

// verboseTo is where -v prints the findings as text: nowhere when the text
// report already goes to stdout, stdout when the report goes to a file (or
// gitleaks' commands write none), stderr when stdout carries a machine
// report.
func (o *ReportOptions) verboseTo(env *Env) io.Writer {
	switch {
	case !o.Verbose:
		return nil
	case o.reportOnStdout() && o.Format == "text":
		return nil
	case o.reportOnStdout():
		return env.Err
	}
	return env.Out
}

// checkFormat rejects an unknown format before any scanning is done.
func checkFormat(o *ReportOptions) error {
	if o.Format == "" && o.gitleaks {
		return nil
	}
	for _, f := range report.Formats {
		if f == o.Format {
			return nil
		}
	}
	return usageError("unknown --format %q (want one of: %s)", o.Format, strings.Join(report.Formats, ", "))
}

// scannerOptions are the scanner settings the shared flags ask for: the
// filter of the ignore file and baseline, fingerprints relative to root.
func (o *ReportOptions) scannerOptions(ignore *scanner.IgnoreList, base *scanner.Baseline, prog scanner.Progress, root string) scanner.Options {
	return scanner.Options{
		Workers: o.Workers, Progress: prog, Root: root,
		Filter: scanner.Filter{Ignore: ignore, Baseline: base, KeepMarked: o.gitleaksOnly.IgnoreAllow},
	}
}

// detectorOptions are the detector settings the shared flags ask for.
func (o *ReportOptions) detectorOptions() detectors.Options {
	return detectors.Options{
		Validate:      !o.NoValidate,
		ReportInvalid: o.ReportInv,
		Decode:        !o.NoDecode && o.DecodeDepth >= 0,
		DecodeOptions: decode.Options{MaxDepth: o.DecodeDepth},
	}
}

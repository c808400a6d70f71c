package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

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
	Redact      bool
	ExitCode    int
	NoProgress  bool
	Workers     int
	NoColor     bool
	NoValidate  bool
	ReportInv   bool
	NoDecode    bool
	DecodeDepth int
}

func addReportFlags(cmd *cobra.Command, o *ReportOptions) {
	f := cmd.Flags()
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml at the scan root, else the built-in rules)")
	f.StringVarP(&o.Format, "format", "f", "text", "report format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&o.Output, "output", "o", "", "write the report to this file instead of stdout")
	f.StringVarP(&o.Baseline, "baseline", "b", "", "a previous JSON report (leakguard's or gitleaks'); its findings are not reported again")
	f.StringVarP(&o.IgnoreFile, "ignore-file", "i", "", "a .gitleaksignore file of fingerprints to skip (default: .gitleaksignore at the scan root)")
	f.BoolVar(&o.ShowSecrets, "show-secrets", false, "print secrets in full (they are masked by default)")
	f.BoolVar(&o.Redact, "redact", false, "mask secrets in the report (the default; kept for gitleaks users)")
	f.IntVar(&o.ExitCode, "exit-code", ExitFindings, "exit status when secrets are found")
	f.BoolVar(&o.NoProgress, "no-progress", false, "never draw a progress bar")
	f.IntVarP(&o.Workers, "workers", "j", 0, "detection workers (default: one per CPU)")
	f.BoolVar(&o.NoColor, "no-color", false, "no colour in text output")
	f.BoolVar(&o.NoValidate, "no-validate", false, "report tokens whose checksum or structure is wrong (validators off)")
	f.BoolVar(&o.ReportInv, "report-invalid", false, "report tokens that fail validation too, marked invalid")
	f.BoolVar(&o.NoDecode, "no-decode", false, "do not scan the decoded form of base64, hex, percent-encoded and escaped text")
	f.IntVar(&o.DecodeDepth, "max-decode-depth", decode.DefaultMaxDepth, "how many encodings deep to decode")
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

// writeReport writes findings in the chosen format and returns the exit
// status they call for.
func writeReport(env *Env, o *ReportOptions, findings []scanner.Finding, sum scanner.Summary, set *rules.Set) (int, error) {
	var w io.Writer = env.Out
	color := env.OutIsTTY && !o.NoColor && env.Getenv("NO_COLOR") == ""
	var file *os.File
	if o.Output != "" && o.Output != "-" {
		f, err := os.Create(o.Output)
		if err != nil {
			return ExitError, withCode(ExitError, fmt.Errorf("write report: %w", err))
		}
		file, w, color = f, f, false
	}
	var ruleList []*rules.Rule
	if set != nil {
		ruleList = set.Rules
	}
	rep, err := report.New(o.Format, w, report.Options{
		ShowSecrets: o.ShowSecrets && !o.Redact,
		Color:       color,
		Rules:       ruleList,
		ToolVersion: env.Version,
	})
	if err != nil {
		if file != nil {
			file.Close()
		}
		return ExitError, withCode(ExitError, err)
	}
	werr := rep.Write(findings, sum)
	if file != nil {
		if cerr := file.Close(); werr == nil {
			werr = cerr
		}
	}
	if werr != nil {
		return ExitError, withCode(ExitError, fmt.Errorf("write report: %w", werr))
	}
	if len(findings) > 0 {
		return o.ExitCode, nil
	}
	return ExitClean, nil
}

// checkFormat rejects an unknown format before any scanning is done.
func checkFormat(o *ReportOptions) error {
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
		Filter: scanner.Filter{Ignore: ignore, Baseline: base},
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

package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/report"
)

// scanRun is what a scanning command has at the end: the findings, the
// summary, and the scan's error, if it stopped early.
type scanRun struct {
	findings []scanner.Finding
	sum      scanner.Summary
	err      error
	set      *rules.Set
}

// finish writes the report of a scan and returns the command's error, the
// one place where a scan's outcome becomes an exit status:
//
//   - stopped by SIGINT or SIGTERM: the report holds what was found so far,
//     marked partial, and the status is 130 or 143;
//   - stopped by --timeout or by an error: the same partial report, and
//     status 2;
//   - a part that no path could read, named in the report (sum.Partial):
//     2, with the report of everything else written;
//   - secrets found: --exit-code (1);
//   - an input that could not be read: 2, even with nothing found;
//   - otherwise 0.
//
// The one-line summary goes to stderr unless the text report on the same
// terminal already ends with it.
func finish(ctx context.Context, env *Env, o *ReportOptions, r scanRun) error {
	if !o.start.IsZero() {
		// Rounded for the summary line, but never to zero: a scan of a
		// few bytes takes well under 5 ms, and zero means "not timed".
		d := time.Since(o.start)
		if rd := d.Round(10 * time.Millisecond); rd > 0 {
			d = rd
		}
		r.sum.Duration = d
	}
	stop := stopped(ctx)
	var fail error
	if r.err != nil {
		if stop != nil {
			r.sum.Partial = stop.Error()
		} else {
			fail = r.err
			r.sum.Partial = "stopped by an error: " + r.err.Error()
		}
	}
	code, err := writeReport(env, o, r.findings, r.sum, r.set)
	if err != nil {
		return err
	}
	o.printSummary(env, r.findings, r.sum)
	switch {
	case stop != nil && r.err != nil:
		return withCode(stop.code(), nil)
	case fail != nil:
		return withCode(ExitError, fail)
	case r.sum.Partial != "" && r.sum.Errors > 0:
		// A part no path could read (a history sweep names it): the
		// report is written but incomplete, whatever it found.
		return withCode(ExitError, nil)
	case code != ExitClean:
		return withCode(code, nil)
	case r.sum.Errors > 0:
		return withCode(ExitError, nil)
	}
	return nil
}

// printSummary writes the summary line on stderr: always for a partial
// report, never at --log-level warn or error, and not when the text report
// goes to stdout and ends with the same line where the user sees it.
func (o *ReportOptions) printSummary(env *Env, findings []scanner.Finding, sum scanner.Summary) {
	if sum.Partial == "" {
		if o.LogLevel == "warn" || o.LogLevel == "error" {
			return
		}
		textOnStdout := (o.reportOnStdout() && o.Format == "text") || o.verboseTo(env) == env.Out
		if textOnStdout && (env.OutIsTTY || !env.IsTerminal) {
			return
		}
	}
	line := report.SummaryLine(findings, sum)
	if sum.Partial != "" && o.Output != "" && o.Output != "-" && o.Format != "" {
		line += "; partial report written to " + o.Output
	}
	fmt.Fprintf(env.Err, "leakguard: %s\n", line)
}

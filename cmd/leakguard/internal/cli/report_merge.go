package cli

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/report"
)

// MergeOptions are the flags of `leakguard report merge`.
type MergeOptions struct {
	Output      string
	Format      string
	ShowSecrets bool
	ExitCode    int
	Inputs      []string
}

func newReportCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Work with leakguard's reports",
	}
	cmd.AddCommand(newReportMergeCmd(env, nil))
	return cmd
}

func newReportMergeCmd(env *Env, runF func(context.Context, *MergeOptions) error) *cobra.Command {
	o := &MergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge -o OUT REPORT...",
		Short: "Join JSON reports (the shards of a sweep) into one",
		Long: `Join leakguard JSON reports (-f json) into one report: the findings of
all, each once (the same fingerprint, secret and repository in several
reports is one finding), sorted, and the summaries added up.

Made for sweeps split across machines (leakguard git --repos FILE --shard
I/N): each shard writes its own report, and one failing shard costs its
own repositories only. When the reports name their shards and one of the
N is missing, or a report is partial, the merged report is marked partial
and says which.

Secrets stay as the reports hold them: masked, unless every report was
written with --show-secrets and merge is given --show-secrets too.

EXIT STATUS
  0    the merged report holds no findings
  1    it holds findings (change with --exit-code)
  2    a report could not be read; or the merged report is partial (a
       report was partial, or a shard never reported): it is written all
       the same, and says what is missing`,
		Example: `  leakguard report merge -o all.json shard-*.json
  leakguard report merge -f sarif -o all.sarif shard-*.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs = args
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runReportMerge(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "", "write the merged report to this file (default: stdout)")
	f.StringVarP(&o.Format, "format", "f", "json", "format of the merged report: "+strings.Join(report.Formats, ", "))
	f.BoolVar(&o.ShowSecrets, "show-secrets", false, "keep secrets in full when every report holds them in full")
	f.IntVar(&o.ExitCode, "exit-code", ExitFindings, "exit status when the merged report holds findings")
	return cmd
}

// shardNotice is the notice a sharded sweep's report carries.
var shardNotice = regexp.MustCompile(`^shard (\d+)/(\d+) of `)

func runReportMerge(ctx context.Context, env *Env, o *MergeOptions) error {
	ro := &ReportOptions{Format: o.Format, Output: o.Output, ExitCode: o.ExitCode, LogLevel: "info", start: time.Now()}
	if err := checkFormat(ro); err != nil {
		return err
	}
	var (
		all      []scanner.Finding
		total    scanner.Summary
		partial  []string
		redacted bool
		notices  = map[string]bool{}
		shards   = map[string]map[int]bool{} // list -> shard indices seen
		nShards  = map[string]int{}
	)
	for _, path := range o.Inputs {
		f, err := os.Open(path)
		if err != nil {
			return withCode(ExitError, fmt.Errorf("report merge: %w", err))
		}
		fs, sum, red, err := report.ReadJSON(f)
		f.Close()
		if err != nil {
			return withCode(ExitError, fmt.Errorf("report merge: %s: %w", path, err))
		}
		redacted = redacted || red
		all = append(all, fs...)
		if sum.Partial != "" {
			partial = append(partial, path+": "+sum.Partial)
		}
		for _, n := range sum.Notices {
			if m := shardNotice.FindStringSubmatch(n); m != nil {
				i, _ := strconv.Atoi(m[1])
				k, _ := strconv.Atoi(m[2])
				list := n[len(m[0]):]
				if shards[list] == nil {
					shards[list] = map[int]bool{}
				}
				shards[list][i] = true
				nShards[list] = k
				continue
			}
			if !notices[n] {
				notices[n] = true
				total.Notices = append(total.Notices, n)
			}
		}
		sum.Notices = nil
		addSummary(&total, sum)
	}
	lists := make([]string, 0, len(shards))
	for l := range shards {
		lists = append(lists, l)
	}
	sort.Strings(lists)
	for _, l := range lists {
		var missing []string
		for i := 0; i < nShards[l]; i++ {
			if !shards[l][i] {
				missing = append(missing, fmt.Sprintf("%d/%d", i, nShards[l]))
			}
		}
		if len(missing) > 0 {
			partial = append(partial, fmt.Sprintf("no report of shard %s of %s", strings.Join(missing, ", "), l))
		}
	}
	// The one pipeline's dedupe (fingerprint, secret, repository) and order.
	all = scanner.Dedupe(all)
	scanner.Sort(all)
	if len(partial) > 0 {
		total.Partial = strings.Join(partial, "; ")
		total.Errors++
	}
	ro.ShowSecrets = o.ShowSecrets && !redacted
	set, err := rules.Default()
	if err != nil {
		return withCode(ExitError, err)
	}
	return finish(ctx, env, ro, scanRun{findings: all, sum: total, set: set})
}

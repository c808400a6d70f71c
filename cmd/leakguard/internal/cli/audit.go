package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/hooks"
)

// AuditOptions are the flags of `leakguard audit`.
type AuditOptions struct {
	Config   string
	Path     string
	Agent    string
	Decision string
	Hook     string
	Session  string
	Since    string
	JSON     bool
}

func newAuditCmd(env *Env, runF func(context.Context, *AuditOptions) error) *cobra.Command {
	o := &AuditOptions{}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Print the audit log of hook decisions (git hooks and agent hooks), filtered",
		Long: `Print the audit log: one line per decision of the git hooks and the agent
hooks (allowed with findings, blocked, asked, redacted, error), with the
rule ids and fingerprints (never the secret), the agent, its session, the
event and tool, and the human sponsor (OS user, git identity).

The log is the [hooks] audit path of the config, else
$XDG_STATE_HOME/leakguard/audit.jsonl (~/.local/state/leakguard/audit.jsonl).
Filters combine (all must match). A line that is not a valid record is
counted on stderr and skipped.`,
		Example: `  leakguard audit --agent claude-code --decision blocked --since 24h
  leakguard audit --session 4f1c... --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runAudit(env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Config, "config", "c", "", "config file whose [hooks] audit path to read (default: as for the hooks)")
	f.StringVar(&o.Path, "path", "", "audit log file (overrides the config)")
	f.StringVar(&o.Agent, "agent", "", "only this agent (claude-code, codex, ...; \"none\" for people)")
	f.StringVar(&o.Decision, "decision", "", "only this decision: allowed, blocked, asked, redacted, flagged or error")
	f.StringVar(&o.Hook, "hook", "", "only this hook (pre-commit, pre-push, agent-hook, proxy, ...)")
	f.StringVar(&o.Session, "session", "", "only this agent session")
	f.StringVar(&o.Since, "since", "", "only records from this long ago (24h, 30m) or since this time (RFC 3339)")
	f.BoolVar(&o.JSON, "json", false, "print the matching records as JSON lines, as stored")
	return cmd
}

func runAudit(env *Env, o *AuditOptions) error {
	var since time.Time
	if o.Since != "" {
		if d, err := time.ParseDuration(o.Since); err == nil {
			since = time.Now().Add(-d)
		} else if t, err := time.Parse(time.RFC3339, o.Since); err == nil {
			since = t
		} else {
			return usageError("--since: want a duration (24h) or an RFC 3339 time, not %q", o.Since)
		}
	}
	path := o.Path
	if path == "" {
		cfg, err := agentHookConfig(env, o.Config)
		if err != nil {
			return withCode(ExitError, err)
		}
		a, err := cfg.Audit.Audit()
		if err != nil {
			return withCode(ExitError, err)
		}
		if a == nil {
			return withCode(ExitError, errors.New("the audit log is disabled in the config ([hooks] audit.enabled = false)"))
		}
		path = a.Path
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(env.Err, "leakguard audit: no audit log at %s yet\n", path)
		return nil
	}
	if err != nil {
		return withCode(ExitError, fmt.Errorf("read audit log: %w", err))
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	bad, n := 0, 0
	w := bufio.NewWriter(env.Out)
	defer w.Flush()
	for sc.Scan() {
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		ev, err := hooks.ParseAuditLine(line)
		if err != nil {
			bad++
			continue
		}
		if !auditMatches(ev, o, since) {
			continue
		}
		n++
		if o.JSON {
			w.Write(line)
			w.WriteByte('\n')
			continue
		}
		fmt.Fprintln(w, auditText(ev))
	}
	if err := sc.Err(); err != nil {
		return withCode(ExitError, fmt.Errorf("read audit log %s: %w", path, err))
	}
	if bad > 0 {
		fmt.Fprintf(env.Err, "leakguard audit: %d line(s) of %s are not audit records; skipped\n", bad, path)
	}
	return nil
}

func auditMatches(ev hooks.AuditEvent, o *AuditOptions, since time.Time) bool {
	switch {
	case o.Agent == "none" && ev.Agent,
		o.Agent != "" && o.Agent != "none" && ev.AgentName != o.Agent,
		o.Decision != "" && string(ev.Decision) != o.Decision,
		o.Hook != "" && ev.Hook != o.Hook,
		o.Session != "" && ev.Session != o.Session,
		!since.IsZero() && ev.Time.Before(since):
		return false
	}
	return true
}

// auditText is one record on one line, for people.
func auditText(ev hooks.AuditEvent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-8s  %s", ev.Time.UTC().Format(time.RFC3339), ev.Decision, ev.Hook)
	who := ev.AgentName
	if who == "" && ev.Agent {
		who = "agent"
	}
	add := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %s=%s", k, v)
		}
	}
	add("agent", who)
	add("event", ev.Event)
	add("tool", ev.Tool)
	add("session", ev.Session)
	add("commit", ev.Commit)
	add("rules", strings.Join(ev.RuleIDs, ","))
	if len(ev.Fingerprints) > 0 {
		add("findings", fmt.Sprint(len(ev.Fingerprints)))
	}
	sponsor := ev.SponsorEmail
	if ev.User != "" {
		sponsor = strings.TrimPrefix(ev.User+"/"+sponsor, "/")
	}
	add("sponsor", strings.TrimSuffix(sponsor, "/"))
	add("dir", firstOf(ev.Cwd, ev.Repo))
	add("error", ev.Error)
	return b.String()
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/hooks/agent"
	"github.com/leakguard/leakguard/proxy"
	"github.com/leakguard/leakguard/scanner/redact"
)

// ProxyOptions are the flags of `leakguard proxy`.
type ProxyOptions struct {
	Config           string
	Listen           string
	Upstream         string
	InsecureUpstream bool
	AllowRemote      bool
	OnError          string
	MaskOutput       bool
	MaxBody          int64
	AuditLog         string
	Quiet            bool
	Exec             bool
	Command          []string
}

const defaultProxyListen = "127.0.0.1:8787"

func newProxyCmd(env *Env, runF func(context.Context, *ProxyOptions) error) *cobra.Command {
	o := &ProxyOptions{}
	cmd := &cobra.Command{
		Use:   "proxy [flags] [--exec COMMAND [ARGS...]]",
		Short: "Run a local model-API proxy that redacts secrets before they reach the model",
		Long: `Run a local HTTP proxy for the model APIs coding agents use: Anthropic
Messages (/v1/messages), OpenAI Chat Completions and Responses
(/v1/chat/completions, /v1/responses) and Gemini (/v1beta/models/...:
generateContent, streamGenerateContent). Point the agent at it
(ANTHROPIC_BASE_URL, OPENAI_BASE_URL, GOOGLE_GEMINI_BASE_URL), or let
--exec do it.

Every request body (system prompt, messages, tool inputs and results, text
attachments) is scanned and each secret replaced by
[REDACTED:<rule-id>:<hash>] before the request goes on; the JSON stays valid
and every content block keeps its shape, and a secret keeps its placeholder
across the turns of a session. Requests go to each provider's public
endpoint over TLS with certificates verified, or all to --upstream.
Responses stream back event by event; a secret the model writes is flagged
in the audit log (--mask-output replaces it too, releasing streamed text
line by line). Each request or response that had a secret is one line of
the audit log (the git hooks' log: rule ids and placeholders, never the
secret).

A body that cannot be scanned (not JSON, larger than --max-body, an
unknown Content-Encoding) is not forwarded: the agent gets an error in its
provider's shape, unless --on-error allow.

--exec runs COMMAND through the proxy on a free loopback port, with the
agent's base-URL variable set (claude: ANTHROPIC_BASE_URL; codex:
OPENAI_BASE_URL; gemini: GOOGLE_GEMINI_BASE_URL; any other command: all
three), and exits with its status.` + `

EXIT STATUS
  0  stopped (or, with --exec, the command's own exit status)
  2  usage or configuration error, or the proxy could not listen
`,
		Example: `  leakguard proxy --exec claude
  leakguard proxy --exec codex exec "fix the tests"
  leakguard proxy --listen 127.0.0.1:8787 &  export ANTHROPIC_BASE_URL=http://127.0.0.1:8787
  leakguard proxy --upstream http://127.0.0.1:9000 --insecure-upstream   # a local stand-in`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Command = args
			if o.Exec && len(args) == 0 {
				return usageError("--exec needs a COMMAND")
			}
			if !o.Exec && len(args) > 0 {
				return usageError("unexpected arguments %q (use --exec to run a command through the proxy)", args)
			}
			if o.OnError != "block" && o.OnError != "allow" {
				return usageError("--on-error %q: want block or allow", o.OnError)
			}
			if o.Listen == "" {
				o.Listen = defaultProxyListen
				if o.Exec {
					o.Listen = "127.0.0.1:0"
				}
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runProxy(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false) // flags after COMMAND are COMMAND's
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml here, else the built-in rules)")
	f.StringVar(&o.Listen, "listen", "", "address to listen on (default "+defaultProxyListen+"; a free port with --exec)")
	f.StringVar(&o.Upstream, "upstream", "", "send every request to this URL instead of each provider's public endpoint")
	f.BoolVar(&o.InsecureUpstream, "insecure-upstream", false, "allow a plain-http --upstream (a local stand-in)")
	f.BoolVar(&o.AllowRemote, "allow-remote", false, "allow a --listen address that is not loopback")
	f.StringVar(&o.OnError, "on-error", "block", "a body that cannot be scanned: block (fail the request) or allow (forward it)")
	f.BoolVar(&o.MaskOutput, "mask-output", false, "replace secrets in the model's output too, not only flag them")
	f.Int64Var(&o.MaxBody, "max-body", proxy.DefaultMaxBody, "largest request body scanned, in bytes")
	f.StringVar(&o.AuditLog, "audit-log", "", `audit log file (default: the git hooks' log, $XDG_STATE_HOME/leakguard/audit.jsonl; "off" for none)`)
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "log nothing but errors to stderr (always so with --exec)")
	f.BoolVar(&o.Exec, "exec", false, "run COMMAND [ARGS...] through the proxy and exit with its status")
	return cmd
}

// gatewayAudit is the audit log a gateway writes: the git hooks' one
// unless --audit-log says otherwise.
func gatewayAudit(path string) (*hooks.Audit, error) {
	switch path {
	case "off":
		return nil, nil
	case "":
		return hooks.AuditConfig{}.Audit()
	}
	return hooks.AuditConfig{Path: path}.Audit()
}

func gatewayRedactor(env *Env, config string) (*redact.Redactor, error) {
	_, det, err := compileRules(env, &ReportOptions{Config: config}, "")
	if err != nil {
		return nil, err
	}
	// The agents' policy: allow markers do not count in a model's context.
	return &redact.Redactor{Scanner: agent.NewScanner(det)}, nil
}

func runProxy(ctx context.Context, env *Env, o *ProxyOptions) error {
	var up = (*proxyURL)(nil)
	opts := proxy.Options{AllowUnscanned: o.OnError == "allow", MaskOutput: o.MaskOutput, MaxBody: o.MaxBody}
	if o.Upstream != "" {
		u, err := proxy.CheckUpstream(o.Upstream, o.InsecureUpstream)
		if err != nil {
			return withCode(ExitError, err)
		}
		opts.Upstream = u
		up = &proxyURL{u.String()}
	}
	if err := proxy.CheckListen(o.Listen, o.AllowRemote); err != nil {
		return withCode(ExitError, err)
	}
	red, err := gatewayRedactor(env, o.Config)
	if err != nil {
		return err
	}
	audit, err := gatewayAudit(o.AuditLog)
	if err != nil {
		return withCode(ExitError, err)
	}
	if audit != nil {
		opts.Audit = audit
	}
	if !o.Quiet && !o.Exec {
		opts.Log = env.Err
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return withCode(ExitError, fmt.Errorf("proxy: listen: %w", err))
	}
	srv := &http.Server{Handler: proxy.New(red, opts), ReadHeaderTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	base := "http://" + ln.Addr().String()
	if o.Exec {
		return execThrough(ctx, env, base, o.Command)
	}
	fmt.Fprintf(env.Err, "leakguard proxy: listening on %s (upstream: %s)\n", base, up.describe())
	fmt.Fprintf(env.Err, "  export ANTHROPIC_BASE_URL=%s OPENAI_BASE_URL=%s/v1 GOOGLE_GEMINI_BASE_URL=%s\n", base, base, base)
	select {
	case <-ctx.Done():
		return nil
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return withCode(ExitError, fmt.Errorf("proxy: %w", err))
	}
}

type proxyURL struct{ s string }

func (u *proxyURL) describe() string {
	if u == nil {
		return "each provider's public endpoint"
	}
	return u.s
}

// agentBaseURLs are the variables that point each agent at the proxy.
func agentBaseURLs(command, base string) []string {
	anthropic := "ANTHROPIC_BASE_URL=" + base
	openai := "OPENAI_BASE_URL=" + base + "/v1"
	gemini := "GOOGLE_GEMINI_BASE_URL=" + base
	switch strings.TrimSuffix(filepath.Base(command), ".exe") {
	case "claude":
		return []string{anthropic}
	case "codex":
		return []string{openai}
	case "gemini":
		return []string{gemini}
	}
	return []string{anthropic, openai, gemini}
}

// execThrough runs the agent with its base URL pointing at the proxy and
// returns its exit status.
func execThrough(ctx context.Context, env *Env, base string, command []string) error {
	path, err := exec.LookPath(command[0])
	if err != nil {
		return withCode(ExitError, fmt.Errorf("proxy --exec: %w", err))
	}
	cmd := exec.Command(path, command[1:]...)
	cmd.Env = append(os.Environ(), agentBaseURLs(command[0], base)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.In, env.Out, env.Err
	if err := cmd.Start(); err != nil {
		return withCode(ExitError, fmt.Errorf("proxy --exec: %w", err))
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-ctx.Done():
		// Interrupted: the agent got the signal too (same process group);
		// give it a moment to finish, then stop it.
		select {
		case werr = <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			werr = <-done
		}
	}
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code := ee.ExitCode()
		if code < 0 {
			code = 128 + 15
		}
		return withCode(code, nil)
	}
	if werr != nil {
		return withCode(ExitError, fmt.Errorf("proxy --exec: %w", werr))
	}
	return nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/mcp"
	"github.com/leakguard/leakguard/proxy"
)

// MCPOptions are the flags of `leakguard mcp`.
type MCPOptions struct {
	Config           string
	HTTP             string
	Listen           string
	InsecureUpstream bool
	AllowRemote      bool
	AuditLog         string
	Quiet            bool
	Command          []string
}

const defaultMCPListen = "127.0.0.1:8788"

func newMCPCmd(env *Env, runF func(context.Context, *MCPOptions) error) *cobra.Command {
	o := &MCPOptions{}
	cmd := &cobra.Command{
		Use:   "mcp [flags] -- COMMAND [ARGS...] | mcp --http URL [--listen ADDR]",
		Short: "Guard an MCP server: deny tool calls that carry secrets, redact what it returns",
		Long: `Relay JSON-RPC between an agent and an MCP server and keep secrets out of
both directions: a tools/call whose arguments carry a secret is denied with
a JSON-RPC error (code -32602) and never reaches the server, and whatever
the server sends back (tool results, resources/read contents, prompts/get
messages, notifications) has each secret replaced by
[REDACTED:<rule-id>:<hash>]. Messages that need no change pass byte for
byte, in order, with their ids; notifications and cancellations pass.
Each denied or changed message is one line of the audit log.

With COMMAND, the server runs as a child over stdio (register
"leakguard mcp -- COMMAND ARGS" as the server's command in the agent's MCP
config). With --http URL, a local streamable-HTTP endpoint on --listen
relays to the server at URL (https, unless --insecure-upstream); register
http://ADDR/mcp as the server's URL.` + `

EXIT STATUS
  the server's exit status (stdio); 0 when stopped (--http)
  2  usage or configuration error
`,
		Example: `  leakguard mcp -- npx -y @modelcontextprotocol/server-filesystem /work
  claude mcp add fs -- leakguard mcp -- npx -y @modelcontextprotocol/server-filesystem "$PWD"
  leakguard mcp --http https://mcp.example.com/mcp --listen 127.0.0.1:8788`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Command = args
			if (o.HTTP == "") == (len(args) == 0) {
				return usageError("give either -- COMMAND [ARGS...] or --http URL")
			}
			if o.Listen == "" {
				o.Listen = defaultMCPListen
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runMCP(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.SetInterspersed(false)
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml here, else the built-in rules)")
	f.StringVar(&o.HTTP, "http", "", "guard the streamable-HTTP MCP server at this URL")
	f.StringVar(&o.Listen, "listen", "", "with --http, the local address (default "+defaultMCPListen+")")
	f.BoolVar(&o.InsecureUpstream, "insecure-upstream", false, "allow a plain-http --http URL")
	f.BoolVar(&o.AllowRemote, "allow-remote", false, "allow a --listen address that is not loopback")
	f.StringVar(&o.AuditLog, "audit-log", "", `audit log file (default: the git hooks' log; "off" for none)`)
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "log nothing but errors to stderr")
	return cmd
}

func runMCP(ctx context.Context, env *Env, o *MCPOptions) error {
	red, err := gatewayRedactor(env, o.Config)
	if err != nil {
		return err
	}
	audit, err := gatewayAudit(o.AuditLog)
	if err != nil {
		return withCode(ExitError, err)
	}
	opts := mcp.Options{}
	if audit != nil {
		opts.Audit = audit
	}
	if !o.Quiet {
		opts.Log = env.Err
	}
	g := mcp.New(red, opts)
	if o.HTTP != "" {
		return runMCPHTTP(ctx, env, g, o)
	}
	path, err := exec.LookPath(o.Command[0])
	if err != nil {
		return withCode(ExitError, fmt.Errorf("mcp: %w", err))
	}
	cmd := exec.Command(path, o.Command[1:]...)
	cmd.Stderr = env.Err
	in, err := cmd.StdinPipe()
	if err != nil {
		return withCode(ExitError, err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return withCode(ExitError, err)
	}
	if err := cmd.Start(); err != nil {
		return withCode(ExitError, fmt.Errorf("mcp: start server: %w", err))
	}
	rerr := g.Stdio(ctx, env.In, env.Out, in, out)
	werr := cmd.Wait()
	if rerr != nil && !errors.Is(rerr, context.Canceled) {
		return withCode(ExitError, rerr)
	}
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		if code := ee.ExitCode(); code > 0 {
			return withCode(code, nil)
		}
		return withCode(ExitError, fmt.Errorf("mcp: server: %w", werr))
	}
	return nil
}

func runMCPHTTP(ctx context.Context, env *Env, g *mcp.Guard, o *MCPOptions) error {
	target, err := proxy.CheckUpstream(o.HTTP, o.InsecureUpstream)
	if err != nil {
		return withCode(ExitError, err)
	}
	if err := proxy.CheckListen(o.Listen, o.AllowRemote); err != nil {
		return withCode(ExitError, err)
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return withCode(ExitError, fmt.Errorf("mcp: listen: %w", err))
	}
	srv := &http.Server{Handler: g.NewHTTP(target, nil), ReadHeaderTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(env.Err, "leakguard mcp: listening on http://%s/mcp for %s\n", ln.Addr(), target)
	select {
	case <-ctx.Done():
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return withCode(ExitError, fmt.Errorf("mcp: %w", err))
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	return nil
}

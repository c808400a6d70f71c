package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit statuses.
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
)

// Env is what commands may touch of the outside world.
type Env struct {
	In         io.Reader
	Out, Err   io.Writer
	Getenv     func(string) string
	IsTerminal bool // stderr is a terminal
	OutIsTTY   bool // stdout is a terminal
	Version    string
}

// Version is the program's version, set at link time.
var Version = "dev"

// Main runs leakguard with os.Args and returns the exit status.
func Main() int {
	env := &Env{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv,
		IsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		OutIsTTY:   term.IsTerminal(int(os.Stdout.Fd())),
		Version:    Version,
	}
	// Most runs are short (a hook, one event): collect garbage less often,
	// while a soft limit keeps long scans' memory bounded.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(192 << 20)
	}
	ctx, stop := notifyContext(context.Background(), os.Exit)
	defer stop()
	// LEAKGUARD_CPUPROFILE=FILE writes a CPU profile, for finding where a
	// slow scan spends its time.
	if path := os.Getenv("LEAKGUARD_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	return Run(ctx, env, os.Args[1:])
}

// Run runs one command line and returns the exit status.
func Run(ctx context.Context, env *Env, args []string) int {
	root := newRootCmd(env)
	useStateKey(env)
	root.SetArgs(hoistFlags(root, args))
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	err := root.ExecuteContext(ctx)
	return exitCode(env, err)
}

// exitError carries an exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// withCode returns an error that exits with code; a nil err prints nothing.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks bad flags or arguments.
func usageError(format string, a ...any) error {
	return withCode(ExitError, fmt.Errorf(format, a...))
}

// exitCode is the one place that maps errors to exit statuses.
func exitCode(env *Env, err error) int {
	if err == nil {
		return ExitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(env.Err, "leakguard: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(env.Err, "leakguard: %v\n", err)
	return ExitError
}

func newRootCmd(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "leakguard",
		Short: "Find secrets before they leak: files, git history, diffs and AI agent context",
		Long: `leakguard finds secrets (API keys, tokens, private keys, passwords) in files,
git history, diffs and AI coding agents' context, with gitleaks' rules and
configuration, and guards commits with git hooks.

gitleaks' command line works too: 'leakguard dir', 'leakguard stdin',
'leakguard detect', 'leakguard protect' and gitleaks' flags (--report-path,
--report-format, --redact=N, --baseline-path, ...) mean what they mean in
gitleaks; the README's "Switching from gitleaks" table lists them.

Shell completion: 'leakguard completion bash|zsh|fish|powershell --help'
says how to install it. The manual page: 'leakguard man'.` + "\n" + exitHelp("leakguard"),
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionLine(env.Version),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	// --version has no -v: -v is --verbose, as in gitleaks.
	root.Flags().Bool("version", false, "print leakguard's version")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withCode(ExitError, fmt.Errorf("%w (see '%s --help')", err, c.CommandPath()))
	})
	for _, c := range []*cobra.Command{
		newScanCmd(env, nil),
		newGitCmd(env, nil),
		newDiffCmd(env, nil),
		newRulesCmd(env),
		newVersionCmd(env),
		newHookCmd(env),
		newTranscriptCmd(env, nil),
		newAgentHookCmd(env, nil),
		newAuditCmd(env, nil),
		newRedactCmd(env, nil),
		newProxyCmd(env, nil),
		newMCPCmd(env, nil),
		newDirCmd(env, nil),
		newStdinCmd(env, nil),
		newDetectCmd(env),
		newProtectCmd(env),
		newExplainCmd(env),
		newConfigCmd(env),
		newReportCmd(env),
		newManCmd(env, root),
	} {
		root.AddCommand(c)
	}
	addExitHelp(root)
	return root
}

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print leakguard's version, module version and commit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(env.Out, versionLine(env.Version))
			return nil
		},
	}
}

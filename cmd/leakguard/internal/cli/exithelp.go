package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// Exit status texts, by what a command does. Each command's help ends with
// the one that says what that command returns.
const (
	scanExit = `
EXIT STATUS
  0    no secrets found, and the whole input was read
  1    secrets found (change with --exit-code)
  2    usage or configuration error; a part of the input could not be read
       (the report says what); or --timeout expired (the report is partial)
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: the report holds what
       was found so far and is marked partial
`
	redactExit = `
EXIT STATUS
  0    nothing to redact (or --exit-code 0)
  1    secrets were redacted (change with --exit-code)
  2    usage, configuration or input error; nothing is half-written
  130  interrupted (143 for SIGTERM): files already done stay redacted
`
	agentHookExit = `
EXIT STATUS
  0  the event was answered: the decision (allow, block, deny, ask) is in the
     JSON on stdout, whatever was found
  2  the event could not be handled and was blocked (--on-error block); for
     Claude Code and Codex this status itself blocks the event
`
	agentInstallExit = `
EXIT STATUS
  0  done
  2  usage error, or settings that could not be read or written
`
	rulesCheckExit = `
EXIT STATUS
  0  every example is reported and no negative is
  1  a rule misbehaves (each problem is listed)
  2  usage or configuration error
`
	plainExit = `
EXIT STATUS
  0  done
  2  usage or configuration error
`
	explainExit = `
EXIT STATUS
  0  explained
  2  usage error, or no rule or finding by that name
`
	configInitExit = `
EXIT STATUS
  0  the file was written
  2  usage error, or the file exists (use --force) or cannot be written
`
	groupExit = `
EXIT STATUS
  See the help of each sub-command.
`
	rootExit = `
EXIT STATUS
  Scanning commands (scan, git, diff, transcript): 0 no secrets found, 1
  secrets found (--exit-code), 2 usage, configuration or input error, 130
  interrupted (143 for SIGTERM; a partial report is written). Other
  commands say what they return in their own help.
`
)

// exitHelp returns the EXIT STATUS section for a command path such as
// "leakguard rules check".
func exitHelp(path string) string {
	name := strings.TrimPrefix(path, "leakguard")
	name = strings.TrimSpace(name)
	switch name {
	case "":
		return rootExit
	case "scan", "git", "diff", "transcript", "dir", "stdin", "detect", "protect":
		return scanExit
	case "redact":
		return redactExit
	case "agent-hook":
		return agentHookExit
	case "agent-hook install", "agent-hook uninstall":
		return agentInstallExit
	case "rules check":
		return rulesCheckExit
	case "rules", "hook", "config", "help", "report":
		return groupExit
	case "explain":
		return explainExit
	case "config init":
		return configInitExit
	}
	return plainExit
}

// addExitHelp appends its EXIT STATUS section to the help of every command
// under root that does not have one yet.
func addExitHelp(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Long == "" {
				sub.Long = sub.Short
			}
			if !strings.Contains(sub.Long, "EXIT STATUS") {
				sub.Long += "\n" + exitHelp(sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(root)
}

package cli

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// otherToolsFlags are flags that help texts name and that belong to other
// tools, with the commands whose help may name them.
var otherToolsFlags = map[string][]string{
	"--no-prefix": {"leakguard diff"},                                        // git diff's
	"--stdout":    {"leakguard diff"},                                        // git format-patch's, in an example
	"--prefix":    {"leakguard completion bash", "leakguard completion zsh"}, // brew's, cobra's text
	"--all":       {"leakguard detect", "leakguard protect"},                 // git log's, in --log-opts
	"--since":     {"leakguard detect", "leakguard protect"},
	"--until":     {"leakguard detect", "leakguard protect"},
	"--no-verify": {"leakguard agent-hook", "leakguard hook run"}, // git commit's
}

var flagToken = regexp.MustCompile(`(?:^|[\s'"(\[,=])(--[a-z][a-z0-9-]*)`)

// TestHelpNamesOnlyRealFlags fails when a command's help (its text, its
// examples, its flags' descriptions) names a flag the command does not
// have: 'hook --help' and 'rules --help' used to mention an --exit-code
// they lack. A flag may also be named on a line that names the command it
// belongs to ("leakguard redact --in-place"); the root's help may name any
// scanning command's flag.
func TestHelpNamesOnlyRealFlags(t *testing.T) {
	env := &Env{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
	root := newRootCmd(env)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var all []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		all = append(all, c)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	has := func(c *cobra.Command, name string) bool {
		n := strings.TrimPrefix(name, "--")
		return c.Flags().Lookup(n) != nil || c.InheritedFlags().Lookup(n) != nil || n == "help" || (c == root && n == "version")
	}
	scan, _, _ := root.Find([]string{"scan"})
	checked := 0
	for _, c := range all {
		text := c.Short + "\n" + c.Long + "\n" + c.Example
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				text += "\n" + f.Usage
			}
		})
		for _, line := range strings.Split(text, "\n") {
			for _, m := range flagToken.FindAllStringSubmatch(line, -1) {
				name := m[1]
				checked++
				if has(c, name) || slices.Contains(otherToolsFlags[name], c.CommandPath()) {
					continue
				}
				if c == root && has(scan, name) {
					continue
				}
				if namedOnLine(root, line, name) {
					continue
				}
				t.Errorf("'%s --help' names %s, which it does not have:\n\t%s", c.CommandPath(), name, strings.TrimSpace(line))
			}
		}
		if c.Runnable() && c != root && !strings.Contains(c.Long, "EXIT STATUS") && c.Name() != "help" && c.Parent().Name() != "completion" && c.Name() != "completion" {
			t.Errorf("'%s --help' has no EXIT STATUS section", c.CommandPath())
		}
	}
	if checked < 50 {
		t.Errorf("only %d flag mentions checked: is the help text read?", checked)
	}
}

// namedOnLine reports whether line names a leakguard command that has the
// flag: "leakguard redact --in-place".
func namedOnLine(root *cobra.Command, line, flag string) bool {
	for _, m := range regexp.MustCompile(`leakguard((?: [a-z][a-z-]*)+)`).FindAllStringSubmatch(line, -1) {
		c, _, err := root.Find(strings.Fields(m[1]))
		if err == nil && c != root && c.Flags().Lookup(strings.TrimPrefix(flag, "--")) != nil {
			return true
		}
	}
	return false
}

// TestExitStatusPerCommand: each command's EXIT STATUS says what that
// command returns; agent-hook's used to list "1 secrets found" and then say
// it exits 0 once it has answered.
func TestExitStatusPerCommand(t *testing.T) {
	env := &Env{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
	root := newRootCmd(env)
	for _, tc := range []struct {
		path      []string
		want, not string
	}{
		{[]string{"scan"}, "130", ""},
		{[]string{"agent-hook"}, "0  answered", "secrets found"},
		{[]string{"rules", "list"}, "0  done", "secrets found"},
		{[]string{"rules", "check"}, "a rule misbehaves", "secrets found"},
		{[]string{"hook", "install"}, "0  done", "secrets found"},
		{[]string{"hook"}, "See the help of each sub-command", "--exit-code"},
		{[]string{"redact"}, "secrets were redacted", ""},
		{[]string{"version"}, "0  done", "secrets found"},
	} {
		c, _, err := root.Find(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(c.Long, "EXIT STATUS")
		if i < 0 {
			t.Errorf("%s: no EXIT STATUS", c.CommandPath())
			continue
		}
		sec := c.Long[i:]
		if !strings.Contains(sec, tc.want) || tc.not != "" && strings.Contains(sec, tc.not) {
			t.Errorf("%s EXIT STATUS: want %q and not %q:\n%s", c.CommandPath(), tc.want, tc.not, sec)
		}
	}
}

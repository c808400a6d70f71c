package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newManCmd(env *Env, root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Write leakguard's manual page (roff) to stdout",
		Long: `Write the manual page leakguard(1), made from the help of every command, in
roff to stdout:

  leakguard man > /usr/local/share/man/man1/leakguard.1
  leakguard man | man -l -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeMan(env.Out, root)
		},
	}
}

// writeMan writes the manual page of root and its visible commands.
func writeMan(w io.Writer, root *cobra.Command) error {
	var b strings.Builder
	b.WriteString(".TH LEAKGUARD 1 \"\" \"leakguard\" \"User Commands\"\n")
	b.WriteString(".SH NAME\nleakguard \\- " + roffText(root.Short) + "\n")
	b.WriteString(".SH SYNOPSIS\n.B leakguard\n\\fICOMMAND\\fR [\\fIFLAGS\\fR] [\\fIARGS\\fR]\n")
	b.WriteString(".SH DESCRIPTION\n")
	writeBlock(&b, withoutExitStatus(root.Long))
	b.WriteString(".SH COMMANDS\n")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || !sub.IsAvailableCommand() && sub.Name() != "help" {
				continue
			}
			if sub.Name() == "help" {
				continue
			}
			fmt.Fprintf(&b, ".SS \"%s\"\n", roffText(sub.CommandPath()+" "+strings.TrimSpace(strings.TrimPrefix(sub.Use, sub.Name()))))
			writeBlock(&b, sub.Long)
			if sub.Example != "" {
				b.WriteString(".PP\nExamples:\n")
				writeBlock(&b, sub.Example)
			}
			writeFlags(&b, sub.NonInheritedFlags())
			walk(sub)
		}
	}
	walk(root)
	b.WriteString(".SH EXIT STATUS\n")
	writeBlock(&b, strings.TrimPrefix(strings.TrimSpace(rootExit), "EXIT STATUS\n"))
	b.WriteString(".SH FILES\n")
	writeBlock(&b, `.leakguard.toml, .gitleaks.toml   configuration at the root of what is scanned
.gitleaksignore                   fingerprints of findings not to report
$XDG_STATE_HOME/leakguard/        (~/.local/state/leakguard) the placeholder
                                  key, redaction backups, the audit log`)
	b.WriteString(".SH SEE ALSO\n.BR git (1),\n.BR gitleaks (1)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// withoutExitStatus drops a help text's EXIT STATUS section (the page has
// its own).
func withoutExitStatus(s string) string {
	if i := strings.Index(s, "\nEXIT STATUS"); i >= 0 {
		return s[:i]
	}
	return s
}

// writeBlock writes text as it is laid out in the help: no filling.
func writeBlock(b *strings.Builder, text string) {
	b.WriteString(".nf\n")
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString(roffLine(line) + "\n")
	}
	b.WriteString(".fi\n")
}

func writeFlags(b *strings.Builder, fs *pflag.FlagSet) {
	first := true
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		if first {
			b.WriteString(".PP\nOptions:\n")
			first = false
		}
		name := "\\fB\\-\\-" + roffText(f.Name) + "\\fR"
		if f.Shorthand != "" {
			name = "\\fB\\-" + f.Shorthand + "\\fR, " + name
		}
		if t := f.Value.Type(); t != "bool" {
			name += " \\fI" + roffText(t) + "\\fR"
		}
		usage := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(b, ".TP\n%s\n%s\n", name, roffText(usage))
	})
}

// roffText escapes text for roff.
func roffText(s string) string {
	return strings.ReplaceAll(s, "\\", "\\e")
}

// roffLine escapes one line; a line that starts with . or ' would be a
// request.
func roffLine(s string) string {
	s = roffText(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = "\\&" + s
	}
	return s
}

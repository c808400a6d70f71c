package cli

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestManPage: 'leakguard man' covers every visible command, and groff
// (when installed) reads it without a warning.
func TestManPage(t *testing.T) {
	var out bytes.Buffer
	env := &Env{Out: &out, Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), env, []string{"man"}); code != 0 {
		t.Fatalf("leakguard man: exit %d", code)
	}
	page := out.String()
	for _, c := range newRootCmd(env).Commands() {
		if !c.Hidden && !strings.Contains(page, `.SS "leakguard `+c.Name()) {
			t.Errorf("the manual page lacks %s", c.Name())
		}
	}
	for _, sec := range []string{".TH LEAKGUARD 1", ".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH EXIT STATUS", ".SH FILES"} {
		if !strings.Contains(page, sec) {
			t.Errorf("the manual page lacks %q", sec)
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Log("groff not installed: the page is not rendered")
		return
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	msg, err := cmd.CombinedOutput()
	if err != nil || len(msg) > 0 {
		t.Errorf("groff: %v\n%s", err, msg)
	}
}

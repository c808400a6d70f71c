package main

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/leakguard/leakguard/cmd/leakguard/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"leakguard":  func() { os.Exit(cli.Main()) },
		"fakesecret": func() { os.Exit(fakeSecret(os.Args[1:])) },
	})
}

// TestScripts runs the CLI end-to-end scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "../../testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("HOME", e.WorkDir)
			e.Setenv("XDG_CONFIG_HOME", e.WorkDir+"/.config")
			e.Setenv("XDG_STATE_HOME", e.WorkDir+"/.state")
			e.Setenv("GIT_AUTHOR_NAME", "Test Author")
			e.Setenv("GIT_AUTHOR_EMAIL", "author@example.com")
			e.Setenv("GIT_COMMITTER_NAME", "Test Committer")
			e.Setenv("GIT_COMMITTER_EMAIL", "committer@example.com")
			e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			return nil
		},
	})
}

// fakeSecret prints a fake secret of the given kind, built at run time so
// that no file in the repository holds one: fakesecret KIND [SEED].
// Kinds: aws (an AWS access key id), github (a classic GitHub PAT),
// generic (an api_key assignment value), slack (a bot token).
func fakeSecret(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: fakesecret aws|github|generic|slack [SEED]")
		return 2
	}
	seed := int64(1)
	if len(args) > 1 {
		fmt.Sscan(args[1], &seed)
	}
	rng := rand.New(rand.NewSource(seed))
	pick := func(alphabet string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(alphabet[rng.Intn(len(alphabet))])
		}
		return b.String()
	}
	const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	switch args[0] {
	case "aws":
		fmt.Print("AK" + "IA" + pick(upper, 16))
	case "github":
		fmt.Print("gh" + "p_" + pick(alnum, 36))
	case "generic":
		fmt.Print(pick(alnum, 32))
	case "slack":
		fmt.Print("xo" + "xb-" + pick("0123456789", 12) + "-" + pick("0123456789", 12) + "-" + pick(alnum, 24))
	default:
		fmt.Fprintf(os.Stderr, "fakesecret: unknown kind %q\n", args[0])
		return 2
	}
	return 0
}

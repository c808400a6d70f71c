package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/leakguard/leakguard/cmd/leakguard/internal/cli"
	"github.com/leakguard/leakguard/internal/fake"
)

func TestMain(m *testing.M) {
	// Tests that drive a real leakguard process (signals) run this binary
	// with LEAKGUARD_TEST_MAIN=1.
	if os.Getenv("LEAKGUARD_TEST_MAIN") == "1" {
		os.Exit(cli.Main())
	}
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
// Kinds: aws (an AWS access key id), github (a classic GitHub PAT with a
// valid checksum), generic (an api_key assignment value), slack (a bot
// token), password.
func fakeSecret(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: fakesecret aws|github|generic|slack|password [SEED]")
		return 2
	}
	seed := int64(1)
	if len(args) > 1 {
		fmt.Sscan(args[1], &seed)
	}
	switch args[0] {
	case "aws":
		fmt.Print(fake.AWSKeyID(seed))
	case "github":
		fmt.Print(fake.GitHubPAT(seed))
	case "generic":
		fmt.Print(fake.Alnum(seed, 32))
	case "slack":
		fmt.Print(fake.SlackBotToken(seed))
	case "password":
		fmt.Print(fake.Password(seed))
	default:
		fmt.Fprintf(os.Stderr, "fakesecret: unknown kind %q\n", args[0])
		return 2
	}
	return 0
}

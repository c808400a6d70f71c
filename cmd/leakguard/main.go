// Command leakguard finds secrets in files, git history, diffs and agent
// transcripts, and guards commits made by people and AI coding agents.
package main

import (
	"os"

	"github.com/leakguard/leakguard/cmd/leakguard/internal/cli"
)

func main() { os.Exit(cli.Main()) }

// Command gendefault writes the default rule set's precompiled form
// (rules/zz_default.bin) from its sources: gitleaks' default configuration,
// taken from the gitleaks module this build depends on, and leakguard's own
// rule files. Only this command and tests import gitleaks' config package,
// so that the leakguard binary does not link it (nor viper).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	gitleaksconfig "github.com/zricethezav/gitleaks/v8/config"

	"github.com/leakguard/leakguard/rules"
)

func main() {
	out := flag.String("o", "zz_default.bin", "output file")
	flag.Parse()
	var buf bytes.Buffer
	if err := rules.WriteDefault(&buf, gitleaksconfig.DefaultConfig); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
}

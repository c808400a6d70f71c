package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
)

// TestRulesCheckDefault runs every default rule's examples and negatives
// through the whole detector, validators on, as `leakguard rules check`
// does.
func TestRulesCheckDefault(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	det, err := detectors.Compile(set, detectors.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	res := CheckRules(det)
	if res.Examples == 0 || res.Negatives == 0 {
		t.Fatalf("checked %d examples and %d negatives; the default rules should carry both", res.Examples, res.Negatives)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
}

// TestRulesCheckCatchesMiss proves the check can fail: a rule whose example
// does not match is reported.
func TestRulesCheckCatchesMiss(t *testing.T) {
	cfg := `
[[rules]]
id = "demo"
regex = '''demo_[a-z]{8}'''
keywords = ["demo_"]
examples = ["demo_short"]
negatives = ["demo_abcdefgh"]
`
	set, err := rules.Parse([]byte(cfg), "test.toml")
	if err != nil {
		t.Fatal(err)
	}
	det, err := detectors.Compile(set, detectors.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	res := CheckRules(det)
	if len(res.Problems) != 2 {
		t.Errorf("got problems %q, want the example miss and the negative hit", res.Problems)
	}
}

func TestRulesCheckCommand(t *testing.T) {
	var out, errb bytes.Buffer
	env := &Env{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	dir := t.TempDir()
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	if code := Run(context.Background(), env, []string{"rules", "check"}); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "0 problems") {
		t.Errorf("output %q lacks the summary", out.String())
	}
}

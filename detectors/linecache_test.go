package detectors

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
)

// TestLineAllowlistPerLine: a line-target allowlist and the allow marker
// are judged per line when the answers are remembered for the line (many
// matches on one long line): lines of equal length, one allowed and one
// not, each keep their own answer, and a line's answer holds for all its
// matches.
func TestLineAllowlistPerLine(t *testing.T) {
	cfg := `[[rules]]
id = "tok"
regex = '''tok_[a-z0-9]{16}'''
keywords = ["tok_"]
[[allowlists]]
regexTarget = "line"
regexes = ['''# sample''']
`
	set, err := rules.Parse([]byte(cfg), "t.toml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compile(set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := func(i int) string { return "tok_" + strings.ToLower(fake.Alnum(int64(i), 16)) }
	var b strings.Builder
	for i := range 3 { // allowed: every match of the line
		b.WriteString("# sample " + tok(i) + " " + tok(i+10) + " " + tok(i+20) + "\n")
		b.WriteString("# simple " + tok(i+30) + " " + tok(i+40) + " " + tok(i+50) + "\n")
		b.WriteString("# sample " + tok(i+60) + " " + tok(i+70) + " " + tok(i+80) + " gitleaks:allow\n")
		b.WriteString("# simple " + tok(i+90) + " " + tok(i+100) + " " + tok(i+110) + " gitleaks:allow\n")
	}
	ms := d.Detect([]byte(b.String()), Target{Path: "a.txt"})
	var found, marked int
	for _, m := range ms {
		found++
		if m.Marked {
			marked++
		}
	}
	// Not allowed: the three "# simple" lines per round, 3 matches each,
	// of which the second line of each pair is marked.
	if found != 18 || marked != 9 {
		t.Errorf("got %d matches (%d marked), want 18 (9 marked)", found, marked)
	}
}

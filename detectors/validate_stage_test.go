package detectors

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/rules"
)

// TestValidationStage checks that a GitHub token with a wrong checksum is
// reported with validation off (as gitleaks reports it) and dropped with
// it on.
func TestValidationStage(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	token := "gh" + "p_" + strings.Repeat("aB3dE5gH7j", 3) + "zzzzzz" // checksum part is wrong
	input := []byte("GITHUB_TOKEN=" + token + "\n")
	for _, tt := range []struct {
		name string
		opts Options
		want int
	}{
		{"off", Options{}, 1},
		{"on", Options{Validate: true}, 0},
		{"report invalid", Options{Validate: true, ReportInvalid: true}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Compile(set, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range d.Detect(input, Target{}) {
				if m.Rule.ID == "github-pat" {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("got %d github-pat matches, want %d", n, tt.want)
			}
		})
	}
}

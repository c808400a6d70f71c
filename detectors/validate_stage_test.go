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

func TestGenericNotSecret(t *testing.T) {
	sha := "ff3d0115" + "0485c1adcb23835f94aa96ffaadd229e" // a git object id, built here so no line holds one
	tests := []struct {
		rule, secret string
		want         bool
	}{
		{"generic-api-key", sha, true},
		{"generic-api-key", strings.Repeat("ab12", 16), true},
		{"generic-api-key", "123e4567-e89b-12d3-a456-426614174000", true},
		{"generic-password-assignment", "data:image/png;base64,iVBORw0KGgo", true},
		{"generic-api-key", "sha512-" + strings.Repeat("Ab3+", 22), true},
		{"generic-api-key", "Qm4Lr8Tz" + "2Wv6Xn1PzK3q", false},
		{"generic-api-key", sha[:39], false},
		{"sourcegraph-access-token", sha, false},
	}
	for _, tt := range tests {
		if got := genericNotSecret(&rules.Rule{ID: tt.rule}, []byte(tt.secret)); got != tt.want {
			t.Errorf("genericNotSecret(%q, %q) = %v, want %v", tt.rule, tt.secret, got, tt.want)
		}
	}
}

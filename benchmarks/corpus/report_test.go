package corpus

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseReport(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Location
		wantErr bool
	}{
		{
			name: "gitleaks array",
			in:   `[{"RuleID":"github-pat","File":"/c/tree/a.go","StartLine":3,"Secret":"x"}]`,
			want: []Location{{Rule: "github-pat", File: "/c/tree/a.go", Line: 3}},
		},
		{
			name: "object with findings, snake case",
			in:   `{"findings":[{"rule_id":"aws-access-token","path":"tree/b.md","start_line":7}],"summary":{}}`,
			want: []Location{{Rule: "aws-access-token", File: "tree/b.md", Line: 7}},
		},
		{
			name: "leakguard json",
			in: `{"version":1,"redacted":true,"findings":[{"ruleId":"gitlab-pat","kind":"file","path":"t/c.go",` +
				`"startLine":12,"endLine":12,"jsonLine":3}],"summary":{"findings":1}}`,
			want: []Location{{Rule: "gitlab-pat", File: "t/c.go", Line: 12}},
		},
		{
			name: "plain rule and line keys",
			in:   `[{"rule":"r","file":"f","line":1}]`,
			want: []Location{{Rule: "r", File: "f", Line: 1}},
		},
		{
			name: "findings without a place are kept",
			in:   `[{"RuleID":"r","File":"","StartLine":1},{"RuleID":"r","StartLine":"2"},{"File":"g","StartLine":4}]`,
			want: []Location{{Rule: "r", Line: 1}, {Rule: "r"}, {File: "g", Line: 4}},
		},
		{name: "empty array", in: `[]`, want: []Location{}},
		{name: "null findings", in: `{"findings":null}`, want: []Location{}},
		{name: "object without findings", in: `{"x":1}`, wantErr: true},
		{name: "not JSON", in: `nope`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseReport(strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
				t.Errorf("locations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecall(t *testing.T) {
	exp := &Expected{Secrets: []Planted{
		{Rule: "github-pat", File: "src/a.go", Line: 10},
		{Rule: "private-key", File: "src/b.md", Line: 3},
		{Rule: "slack-bot-token", File: "x.go", Line: 5},
	}}
	locs := []Location{
		{Rule: "github-pat", File: "/tmp/c/tree/src/a.go", Line: 10},  // absolute path
		{Rule: "generic-api-key", File: "tree/src/b.md", Line: 3},     // other rule, same place
		{Rule: "slack-bot-token", File: "x.go", Line: 6},              // wrong line
		{Rule: "slack-bot-token", File: "/tmp/c/tree/ax.go", Line: 5}, // ax.go is not x.go
	}
	got := exp.Recall(locs)
	want := Recall{Found: 2, SameRule: 1, Total: 3, Missed: []Planted{exp.Secrets[2]}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Recall (-want +got):\n%s", diff)
	}
}

func TestExpectedRoundTrip(t *testing.T) {
	exp := &Expected{Seed: 9, Bytes: 100, Files: 2, Counts: map[string]int{"r": 1}, Total: 1,
		Secrets: []Planted{{Rule: "r", File: "a/b.go", Line: 4}}}
	name := t.TempDir() + "/expected.json"
	if err := exp.WriteFile(name); err != nil {
		t.Fatal(err)
	}
	got, err := ReadExpected(name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCovered(t *testing.T) {
	want := []Location{
		{Rule: "a", File: "/t/x.go", Line: 1},
		{Rule: "b", File: "/t/x.go", Line: 1}, // same place twice counts once
		{Rule: "a", File: "/t/y.go", Line: 2},
		{Rule: "a", File: "/t/z.go", Line: 3},
		{Rule: "a"}, // no place: not counted
	}
	got := []Location{
		{Rule: "other", File: "/t/./x.go", Line: 1},
		{Rule: "a", File: "/t/y.go", Line: 20},
	}
	found, total := Covered(want, got)
	if found != 1 || total != 3 {
		t.Errorf("got %d/%d, want 1/3", found, total)
	}
}

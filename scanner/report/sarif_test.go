package report

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/scanner"
)

// Structural checks from the SARIF 2.1.0 specification (OASIS, errata 01):
// §3.13 sarifLog requires version "2.1.0" and runs, and names $schema;
// §3.14 run requires tool; §3.18/3.19 tool requires driver, which requires
// name; §3.27 result requires message, and its ruleIndex (when present)
// indexes tool.driver.rules and must agree with ruleId; §3.27.10 level is
// one of none, note, warning, error; §3.11 message needs text (or id);
// §3.30 region lines and columns are >= 1, end not before start;
// §3.4 artifactLocation.uri is a URI reference; §3.49 reportingDescriptor
// requires id; §3.14.22 columnKind is utf16CodeUnits or unicodeCodePoints.

// sarifDoc is the subset of SARIF the test checks. Pointers tell a missing
// field from a zero one.
type sarifDoc struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []struct {
		Tool *struct {
			Driver *struct {
				Name  *string `json:"name"`
				Rules []struct {
					ID               *string `json:"id"`
					ShortDescription *struct {
						Text *string `json:"text"`
					} `json:"shortDescription"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		ColumnKind string `json:"columnKind"`
		Results    []struct {
			RuleID    *string `json:"ruleId"`
			RuleIndex *int    `json:"ruleIndex"`
			Level     string  `json:"level"`
			Message   *struct {
				Text *string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI *string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine, StartColumn, EndLine, EndColumn *int
						Snippet                                    *struct {
							Text string `json:"text"`
						} `json:"snippet"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

// checkSARIF fails the test for every structural rule out violates.
func checkSARIF(t *testing.T, out []byte, findings []scanner.Finding) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Version == nil || *doc.Version != "2.1.0" {
		t.Errorf("version = %v, want 2.1.0", doc.Version)
	}
	if doc.Schema == nil || !strings.HasPrefix(*doc.Schema, "https://") || !strings.Contains(*doc.Schema, "2.1.0") {
		t.Errorf("$schema = %v, want an https URL of the 2.1.0 schema", doc.Schema)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(doc.Runs))
	}
	run := doc.Runs[0]
	if run.Tool == nil || run.Tool.Driver == nil || run.Tool.Driver.Name == nil || *run.Tool.Driver.Name == "" {
		t.Fatal("runs[0].tool.driver.name missing")
	}
	if run.ColumnKind != "utf16CodeUnits" && run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	rules := run.Tool.Driver.Rules
	seen := map[string]bool{}
	for i, r := range rules {
		if r.ID == nil || *r.ID == "" {
			t.Errorf("rules[%d].id missing", i)
			continue
		}
		if seen[*r.ID] {
			t.Errorf("rule %q listed twice", *r.ID)
		}
		seen[*r.ID] = true
		if r.ShortDescription == nil || r.ShortDescription.Text == nil || *r.ShortDescription.Text == "" {
			t.Errorf("rule %q: shortDescription.text missing", *r.ID)
		}
	}
	if len(run.Results) != len(findings) {
		t.Fatalf("got %d results, want %d", len(run.Results), len(findings))
	}
	for i, res := range run.Results {
		f := findings[i]
		if res.RuleID == nil || *res.RuleID != f.RuleID {
			t.Errorf("results[%d].ruleId = %v, want %q", i, res.RuleID, f.RuleID)
		}
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= len(rules) || *rules[*res.RuleIndex].ID != f.RuleID {
			t.Errorf("results[%d].ruleIndex %v does not point at rule %q", i, res.RuleIndex, f.RuleID)
		}
		switch res.Level {
		case "none", "note", "warning", "error":
		default:
			t.Errorf("results[%d].level = %q", i, res.Level)
		}
		if res.Message == nil || res.Message.Text == nil || *res.Message.Text == "" {
			t.Errorf("results[%d].message.text missing", i)
		}
		if len(res.Locations) == 0 {
			t.Errorf("results[%d].locations empty", i)
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		if pl == nil || pl.ArtifactLocation == nil || pl.ArtifactLocation.URI == nil || *pl.ArtifactLocation.URI == "" {
			t.Errorf("results[%d]: physicalLocation.artifactLocation.uri missing", i)
			continue
		}
		u, err := url.Parse(*pl.ArtifactLocation.URI)
		if err != nil || u.IsAbs() {
			t.Errorf("results[%d]: uri %q is not a relative URI reference: %v", i, *pl.ArtifactLocation.URI, err)
		} else if f.Path != "" && u.Path != f.Path {
			t.Errorf("results[%d]: uri %q decodes to %q, want %q", i, *pl.ArtifactLocation.URI, u.Path, f.Path)
		}
		if rg := pl.Region; rg != nil {
			for name, v := range map[string]*int{"startLine": rg.StartLine, "startColumn": rg.StartColumn, "endLine": rg.EndLine, "endColumn": rg.EndColumn} {
				if v != nil && *v < 1 {
					t.Errorf("results[%d].region.%s = %d, want >= 1", i, name, *v)
				}
			}
			if rg.StartLine == nil || *rg.StartLine != f.StartLine {
				t.Errorf("results[%d].region.startLine = %v, want %d", i, rg.StartLine, f.StartLine)
			}
			if rg.EndLine != nil && *rg.EndLine < *rg.StartLine {
				t.Errorf("results[%d]: endLine before startLine", i)
			}
			if rg.EndLine != nil && *rg.EndLine == *rg.StartLine && rg.StartColumn != nil && rg.EndColumn != nil && *rg.EndColumn <= *rg.StartColumn {
				t.Errorf("results[%d]: endColumn %d not after startColumn %d", i, *rg.EndColumn, *rg.StartColumn)
			}
		}
		if fp := res.PartialFingerprints[fingerprintKey]; len(fp) != 64 {
			t.Errorf("results[%d]: partialFingerprints[%s] = %q, want a SHA-256", i, fingerprintKey, fp)
		}
		if f.Commit != nil && res.PartialFingerprints["commitSha"] != f.Commit.SHA {
			t.Errorf("results[%d]: commitSha = %q, want %q", i, res.PartialFingerprints["commitSha"], f.Commit.SHA)
		}
	}
	return doc
}

func TestSARIFStructure(t *testing.T) {
	tests := []struct {
		name     string
		findings []scanner.Finding
		opts     Options
	}{
		{name: "empty"},
		{name: "findings", findings: testFindings(), opts: Options{Rules: testRules()}},
		{name: "no rule metadata", findings: testFindings()},
		{name: "shown", findings: testFindings(), opts: Options{Rules: testRules(), ShowSecrets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkSARIF(t, render(t, "sarif", tt.opts, tt.findings, testSummary), tt.findings)
		})
	}
}

// TestSARIFRules checks which rules the driver lists and in what order:
// those with results, in Options.Rules order, then unknown ones by id.
func TestSARIFRules(t *testing.T) {
	doc := checkSARIF(t, render(t, "sarif", Options{Rules: testRules()}, testFindings(), testSummary), testFindings())
	var got []string
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		got = append(got, *r.ID)
	}
	want := []string{"github-pat", "generic-api-key", "aws-access-token", "short-password", "slack-bot-token"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("rules = %q, want %q", got, want)
	}
}

// TestSARIFUTF16Columns checks the conversion of byte columns on a line
// with multi-byte characters before the match.
func TestSARIFUTF16Columns(t *testing.T) {
	secret := fake("", 16, 11)
	line := "🔑é=" + secret // 4 + 2 + 1 bytes; 2 + 1 + 1 UTF-16 units
	f := at(scanner.Finding{RuleID: "r", Path: "a.txt", StartLine: 2, Match: secret, Secret: secret, Line: line})
	if f.StartColumn != 8 {
		t.Fatalf("fixture: StartColumn = %d, want 8", f.StartColumn)
	}
	got := region(f, "x")
	want := sarifRegion{StartLine: 2, StartColumn: 5, EndLine: 2, EndColumn: 5 + len(secret), Snippet: &sarifText{Text: "x"}}
	if *got.Snippet != *want.Snippet || got.StartLine != want.StartLine || got.StartColumn != want.StartColumn ||
		got.EndLine != want.EndLine || got.EndColumn != want.EndColumn {
		t.Errorf("region = %+v, want %+v", *got, want)
	}
}

// TestSARIFFingerprintStable checks that the leakguard/v1 fingerprint
// ignores the line and changes with rule, path and secret.
func TestSARIFFingerprintStable(t *testing.T) {
	base := scanner.Finding{RuleID: "r", Path: "a.txt", Secret: fake("", 20, 12), StartLine: 3}
	moved := base
	moved.StartLine = 30
	if stableFingerprint(base) != stableFingerprint(moved) {
		t.Error("fingerprint changed with the line")
	}
	for name, change := range map[string]func(*scanner.Finding){
		"rule":   func(f *scanner.Finding) { f.RuleID = "s" },
		"path":   func(f *scanner.Finding) { f.Path = "b.txt" },
		"secret": func(f *scanner.Finding) { f.Secret = fake("", 20, 13) },
	} {
		f := base
		change(&f)
		if stableFingerprint(f) == stableFingerprint(base) {
			t.Errorf("fingerprint did not change with the %s", name)
		}
	}
}

// TestSARIFArtifactLocations: no artifact URI is a relative reference that
// starts with a slash (SARIF1004; absolute roots used to write
// "/usr/..."): a path under the root is relative to SRCROOT, another
// absolute path is a file: URI.
func TestSARIFArtifactLocations(t *testing.T) {
	s := &SARIF{opts: Options{Root: "/work/repo"}}
	tests := []struct {
		path, uri, base string
	}{
		{"src/a.go", "src/a.go", "SRCROOT"},
		{"./src/a.go", "src/a.go", "SRCROOT"},
		{"/work/repo/src/a b.go", "src/a%20b.go", "SRCROOT"},
		{"/usr/local/go/x.go", "file:///usr/local/go/x.go", ""},
		{"C:/Users/x/k.env", "file:///C:/Users/x/k.env", ""},
		{"a:b/c.env", "./a:b/c.env", "SRCROOT"},
		{"../up.env", "../up.env", "SRCROOT"},
	}
	for _, tt := range tests {
		got := s.artifact(scanner.Finding{Path: tt.path})
		if got.URI != tt.uri || got.URIBaseID != tt.base {
			t.Errorf("%q: got %+v, want uri %q base %q", tt.path, got, tt.uri, tt.base)
		}
	}
	if got := s.baseIDs()["SRCROOT"].URI; got != "file:///work/repo/" {
		t.Errorf("SRCROOT %q, want file:///work/repo/", got)
	}
	// Without a root (stdin): no base, and a kind for an artifact.
	none := &SARIF{}
	if got := none.artifact(scanner.Finding{Kind: scanner.KindStdin}); got.URI != "stdin" || got.URIBaseID != "" {
		t.Errorf("stdin: %+v", got)
	}
}

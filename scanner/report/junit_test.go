package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/scanner"
)

// wellFormed fails the test unless out is a well-formed XML document.
func wellFormed(t *testing.T, out []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
}

func TestJUnit(t *testing.T) {
	weird := testFindings()[1]
	weird.Description = "bad \x00\x07 chars ]]> and <tags>"
	weird.Match = weird.Secret + "]]>" // a CDATA terminator inside the body
	tests := []struct {
		name         string
		findings     []scanner.Finding
		wantCases    int
		wantFailures int
	}{
		{"empty", nil, 1, 0},
		{"findings", testFindings(), 5, 5},
		{"characters XML forbids", []scanner.Finding{weird}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "junit", Options{}, tt.findings, testSummary)
			wellFormed(t, out)
			var doc junitSuites
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Suites) != 1 || doc.Suites[0].Name != "leakguard" {
				t.Fatalf("want one testsuite named leakguard, got %+v", doc.Suites)
			}
			s := doc.Suites[0]
			failures := 0
			for _, c := range s.Cases {
				if c.Failure != nil {
					failures++
				}
			}
			if len(s.Cases) != tt.wantCases || failures != tt.wantFailures || s.Tests != tt.wantCases || s.Failures != tt.wantFailures {
				t.Errorf("cases %d (attr %d), failures %d (attr %d); want %d, %d",
					len(s.Cases), s.Tests, failures, s.Failures, tt.wantCases, tt.wantFailures)
			}
			for i, f := range tt.findings {
				c := s.Cases[i]
				if !strings.HasPrefix(c.Name, f.RuleID+" at ") || c.File != f.Path || c.Line != f.StartLine {
					t.Errorf("case %d = %q file %q line %d", i, c.Name, c.File, c.Line)
				}
				if !strings.Contains(c.Failure.Body, "fingerprint: "+f.Fingerprint) {
					t.Errorf("case %d body lacks the fingerprint:\n%s", i, c.Failure.Body)
				}
			}
		})
	}
}

package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/scanner"
)

// gitleaksCSVColumns are the column names of gitleaks v8.30.1's CSV report,
// in its order.
var gitleaksCSVColumns = []string{
	"RuleID", "Commit", "File", "SymlinkFile", "Secret", "Match", "StartLine", "EndLine",
	"StartColumn", "EndColumn", "Author", "Message", "Date", "Email", "Fingerprint", "Tags",
}

func readCSV(t *testing.T, out []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll() // also checks every row has the header's width
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	if diff := cmp.Diff(gitleaksCSVColumns, recs[0][:len(gitleaksCSVColumns)]); diff != "" {
		t.Errorf("header does not start with gitleaks' columns (-want +got):\n%s", diff)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, v := range rec {
			row[recs[0][i]] = v
		}
		rows = append(rows, row)
	}
	return rows
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"masked", Options{}},
		{"shown", Options{ShowSecrets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := testFindings()
			rows := readCSV(t, render(t, "csv", tt.opts, findings, testSummary))
			if len(rows) != len(findings) {
				t.Fatalf("got %d rows, want %d", len(rows), len(findings))
			}
			for i, f := range findings {
				r := rows[i]
				secret := f.Secret
				if !tt.opts.ShowSecrets {
					secret = mask(secret)
				}
				want := map[string]string{
					"RuleID": f.RuleID, "File": f.Path, "Secret": secret,
					"StartLine": strconv.Itoa(f.StartLine), "EndColumn": strconv.Itoa(f.EndColumn),
					"Fingerprint": f.Fingerprint, "Kind": string(f.Kind),
				}
				for k, v := range want {
					if r[k] != v {
						t.Errorf("row %d %s = %q, want %q", i, k, r[k], v)
					}
				}
				if f.Commit != nil && r["Commit"] != f.Commit.SHA {
					t.Errorf("row %d Commit = %q, want %q", i, r["Commit"], f.Commit.SHA)
				}
			}
			if got := rows[1]["Tags"]; got != "github token" {
				t.Errorf("Tags = %q, want %q", got, "github token")
			}
		})
	}
}

func TestCSVEmptyHasHeader(t *testing.T) {
	if rows := readCSV(t, render(t, "csv", Options{}, nil, scanner.Summary{})); len(rows) != 0 {
		t.Errorf("got %d rows, want 0", len(rows))
	}
}

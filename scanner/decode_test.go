package scanner

import (
	"context"

	"encoding/base64"
	"github.com/leakguard/leakguard/detectors"
	"math/rand"
	"net/url"
	"strings"
	"testing"
)

func TestDecodedFindings(t *testing.T) {
	key := fakeAWS(rand.New(rand.NewSource(9)))
	b64 := base64.StdEncoding.EncodeToString([]byte("aws_access_key_id=" + key + "\n"))
	pct := url.QueryEscape("creds=" + key + "&x=1")
	tests := []struct {
		name     string
		input    string
		decode   bool
		want     int
		line     int
		encoding string
	}{
		{"k8s secret", "apiVersion: v1\nkind: Secret\ndata:\n  credentials: " + b64 + "\n", true, 1, 4, "decoded:base64"},
		{"off", "data:\n  credentials: " + b64 + "\n", false, 0, 0, ""},
		{"percent", "GET /login?next=" + pct + " HTTP/1.1\n", true, 1, 1, "decoded:percent"},
		{"marker on the line", "credentials: " + b64 + " # gitleaks:allow\n", true, 0, 0, ""},
		// One secret at two places is two findings; at one place (the
		// raw and the decoded view), one.
		{"plain and encoded places", "k=" + key + "\nv=" + url.QueryEscape("id="+key) + "\n", true, 2, 1, ""},
		{"raw and decoded view folded", "v=" + url.QueryEscape("id="+key+"&a=b") + "\n", true, 1, 1, "decoded:percent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testScannerWith(t, detectors.Options{Decode: tt.decode}, Options{})
			fs, err := s.ScanBytes(context.Background(), []byte(tt.input), Origin{Path: "manifest.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range fs {
				if f.RuleID == "aws-access-token" {
					got = append(got, f)
				}
			}
			if len(got) != tt.want {
				t.Fatalf("got %d aws findings, want %d", len(got), tt.want)
			}
			if tt.want == 0 {
				return
			}
			f := got[0]
			if f.StartLine != tt.line || f.Secret != key {
				t.Errorf("got line %d secret %q, want line %d secret %q", f.StartLine, Redact(f.Secret), tt.line, Redact(key))
			}
			if tt.encoding != "" && !strings.Contains(strings.Join(f.Tags, ","), tt.encoding) {
				t.Errorf("tags %v lack %q", f.Tags, tt.encoding)
			}
		})
	}
}

// TestDecodedKeepsLineContext: a base64 value under a password key is
// found through the key, which the decoded value alone lacks.
func TestDecodedKeepsLineContext(t *testing.T) {
	pw := "Wq7z" + "R2vK9pLmXy"
	input := "kind: Secret\ndata:\n  db_password: " + base64.StdEncoding.EncodeToString([]byte(pw)) + "\n"
	s := testScanner(t, Options{})
	fs, err := s.ScanBytes(context.Background(), []byte(input), Origin{Path: "secret.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range fs {
		if f.Secret == pw && f.StartLine == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("the base64 password was not found on line 3; findings: %d", len(fs))
	}
}

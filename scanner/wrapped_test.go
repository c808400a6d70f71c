package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// TestWrappedBase64Secrets: base64 wrapped at 76 columns (base64(1)'s
// default) and 64 (PEM), LF and CRLF, flush and indented (a YAML block):
// every planted token is found exactly once, those crossing a line break
// included.
func TestWrappedBase64Secrets(t *testing.T) {
	toks, plain := plantedTokens(300, 0, 100)
	toks2, plain2 := plantedTokens(100, 0, 900)
	enc := base64.StdEncoding.EncodeToString(plain)
	enc2 := base64.StdEncoding.EncodeToString(plain2)
	toks = append(toks, toks2...)
	s := testScanner(t, Options{})
	for _, width := range []int{76, 64} {
		for _, eol := range []string{"\n", "\r\n"} {
			t.Run(fmt.Sprintf("%d/%q", width, eol), func(t *testing.T) {
				data := []byte("export:\n" + wrap(enc, width, eol) + "manifest:\n  data: |\n" + indent(wrap(enc2, width, eol), "    "))
				fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindFile, Path: "dump.b64"})
				if err != nil {
					t.Fatal(err)
				}
				once, missed, other := countExact(fs, toks)
				if once != len(toks) || other != 0 {
					t.Errorf("of %d planted: %d found exactly once, %d not at all; %d other findings", len(toks), once, missed, other)
				}
				// Each is reported on the line where its encoding starts.
				for _, f := range fs {
					if o := bytes.Index(plain, []byte(f.Secret)); o >= 0 {
						if want := 2 + 4*(o/3)/width; f.StartLine != want {
							t.Errorf("token at decoded byte %d reported on line %d, want %d", o, f.StartLine, want)
						}
					}
				}
			})
		}
	}
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}

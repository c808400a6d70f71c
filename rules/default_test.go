package rules

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"

	gitleaksconfig "github.com/zricethezav/gitleaks/v8/config"
)

func TestDefaultCompiles(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) < 200 {
		t.Fatalf("got %d default rules, want at least 200", len(s.Rules))
	}
	for _, r := range s.Rules {
		if err := r.compile(); err != nil {
			t.Error(err)
		}
	}
}

// TestPrecompiledDefaultUpToDate fails when zz_default.bin no longer
// matches the sources (after a gitleaks upgrade, a change to leakguard's
// rule files or to the encoding): run `go generate ./rules`.
func TestPrecompiledDefaultUpToDate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDefault(&buf, gitleaksconfig.DefaultConfig); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zz_default.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatal("zz_default.bin is stale: run go generate ./rules ./detectors")
	}
}

// TestPrecompiledRoundTrip: the decoded default set is the parsed one,
// field for field (a field added to Rule or Allowlist and not to the
// encoding fails here), and GitleaksDefault is gitleaks' configuration.
func TestPrecompiledRoundTrip(t *testing.T) {
	want, ng, na, err := buildDefault(gitleaksconfig.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	p, err := decodePrecompiled(string(appendPrecompiled(nil, want, ng, na)))
	if err != nil {
		t.Fatal(err)
	}
	got := p.set
	if len(got.Rules) != len(want.Rules) {
		t.Fatalf("got %d rules, want %d", len(got.Rules), len(want.Rules))
	}
	for i := range want.Rules {
		if !reflect.DeepEqual(got.Rules[i], want.Rules[i]) {
			t.Errorf("rule %s: decoded rule differs:\ngot  %+v\nwant %+v", want.Rules[i].ID, got.Rules[i], want.Rules[i])
		}
	}
	if !reflect.DeepEqual(got.Allowlists, want.Allowlists) {
		t.Errorf("global allowlists differ")
	}
	if got.Title != want.Title || got.Description != want.Description || got.Path != want.Path {
		t.Errorf("set fields differ")
	}
	g, err := parse([]byte(gitleaksconfig.DefaultConfig), OriginGitleaks, maxExtendDepth)
	if err != nil {
		t.Fatal(err)
	}
	gd, err := GitleaksDefault()
	if err != nil {
		t.Fatal(err)
	}
	if len(gd.Rules) != len(g.Rules) || len(gd.Allowlists) != len(g.Allowlists) {
		t.Fatalf("GitleaksDefault: got %d rules and %d allowlists, want %d and %d", len(gd.Rules), len(gd.Allowlists), len(g.Rules), len(g.Allowlists))
	}
	// Default's rules may have compiled their regexes by now: compare
	// encodings (the round trip above shows they hold every field).
	if !bytes.Equal(appendPrecompiled(nil, gd, 0, 0), appendPrecompiled(nil, g, 0, 0)) {
		t.Errorf("GitleaksDefault differs from gitleaks' configuration")
	}
}

// TestPrecompiledMasksExamples: no example or negative appears as text in
// the precompiled file, so that scanning the repository does not report
// them.
func TestPrecompiledMasksExamples(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range s.Rules {
		for _, x := range append(append([]string(nil), r.Examples...), r.Negatives...) {
			if len(x) >= 8 && bytes.Contains([]byte(precompiledDefault), []byte(x)) {
				t.Errorf("rule %s: example %q is stored as text", r.ID, x)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no examples decoded")
	}
}

func TestPrecompiledCorrupt(t *testing.T) {
	data := precompiledDefault
	for name, in := range map[string]string{
		"empty":     "",
		"magic":     "XXXX" + data[4:],
		"truncated": data[:len(data)/2],
		"trailing":  data + "\x00",
		"header":    data[:len(precompiledMagic)+2],
	} {
		if _, err := decodePrecompiled(in); !errors.Is(err, ErrPrecompiled) {
			t.Errorf("%s: got %v, want ErrPrecompiled", name, err)
		}
	}
}

func BenchmarkLoadDefault(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := decodePrecompiled(precompiledDefault); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDefaultSources(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, _, _, err := buildDefault(gitleaksconfig.DefaultConfig); err != nil {
			b.Fatal(err)
		}
	}
}

package corpus

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/report"
)

// gitleaksDetector is gitleaks' own detector with its default rules: the
// reference the planted secrets must satisfy.
func gitleaksDetector(t *testing.T) *detect.Detector {
	t.Helper()
	d, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatalf("gitleaks default detector: %v", err)
	}
	return d
}

func ruleIDs(fs []report.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}

// TestKindsMatchTheirRuleOnly runs many generated snippets of each kind
// through gitleaks (regex, entropy, allowlists, stopwords): each must give
// exactly one finding, from its own rule, starting on its first line.
func TestKindsMatchTheirRuleOnly(t *testing.T) {
	d := gitleaksDetector(t)
	for _, k := range Kinds() {
		t.Run(k.Rule, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(len(k.Rule)), 99))
			draws := 200
			if k.Rule == "private-key" {
				draws = 5 // each draw searches for two 1024-bit primes
			}
			for i := range draws {
				text := "func f() {}\n" + strings.Join(k.Lines(r), "\n") + "\n// end\n"
				got := d.DetectString(text)
				if len(got) != 1 || got[0].RuleID != k.Rule || got[0].StartLine != 1 {
					t.Fatalf("draw %d: got rules %v (lines %v), want one %s finding on line 1 (0-based)",
						i, ruleIDs(got), startLines(got), k.Rule)
				}
			}
		})
	}
}

func startLines(fs []report.Finding) []int {
	var ls []int
	for _, f := range fs {
		ls = append(ls, f.StartLine)
	}
	return ls
}

// TestGitleaksFindsEveryPlantedSecret scans the files of a generated corpus
// that hold plants with gitleaks and checks that each planted secret is
// reported by its rule at the file and line expected.json gives.
func TestGitleaksFindsEveryPlantedSecret(t *testing.T) {
	dst, exp := generate(t, Options{Size: 2 << 20, Seed: 3, Secrets: 4 * len(Kinds())})
	d := gitleaksDetector(t)

	found := map[Planted]bool{}
	scanned := map[string]bool{}
	for _, p := range exp.Secrets {
		if scanned[p.File] {
			continue
		}
		scanned[p.File] = true
		data, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(p.File)))
		if err != nil {
			t.Fatal(err)
		}
		//lint:ignore SA1019 gitleaks' Detect takes this type
		for _, f := range d.Detect(detect.Fragment{Raw: string(data), FilePath: p.File}) {
			// gitleaks' detector numbers lines from 0; its reports add 1.
			found[Planted{Rule: f.RuleID, File: p.File, Line: f.StartLine + 1}] = true
		}
	}
	for _, p := range exp.Secrets {
		if !found[p] {
			t.Errorf("gitleaks did not report %s at %s:%d", p.Rule, p.File, p.Line)
		}
	}
}

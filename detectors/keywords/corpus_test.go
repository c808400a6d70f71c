package keywords

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/rules"
)

// corpusLimit caps the benchmark corpus: real source text, the Go
// distribution's own .go files.
const corpusLimit = 32 << 20

var (
	corpusOnce sync.Once
	corpusData []byte
	corpusErr  error
)

// goSourceCorpus returns up to corpusLimit bytes of Go source (see
// readGoSource), read once per test binary.
func goSourceCorpus(tb testing.TB) []byte {
	tb.Helper()
	corpusOnce.Do(func() { corpusData, corpusErr = readGoSource(corpusLimit) })
	if corpusErr != nil {
		tb.Fatalf("read Go source corpus: %v", corpusErr)
	}
	if len(corpusData) == 0 {
		tb.Skip("no Go source found under GOROOT")
	}
	return corpusData
}

// readGoSource concatenates .go files from $GOROOT/src in lexical path
// order, up to limit bytes.
func readGoSource(limit int) ([]byte, error) {
	var data []byte
	root := filepath.Join(build.Default.GOROOT, "src")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if len(data) >= limit {
			return fs.SkipAll
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		data = append(data, b...)
		return nil
	})
	return data[:min(len(data), limit)], err
}

// gitleaksKeywords returns the distinct keywords of leakguard's default
// rules (gitleaks' default config plus our own), sorted.
func gitleaksKeywords(tb testing.TB) []string {
	tb.Helper()
	set, err := rules.Default()
	if err != nil {
		tb.Fatalf("load default rules: %v", err)
	}
	var kws []string
	for _, r := range set.Rules {
		kws = append(kws, r.Keywords...)
	}
	slices.Sort(kws)
	return slices.Compact(kws)
}

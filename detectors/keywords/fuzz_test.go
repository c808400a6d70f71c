package keywords

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzMatcher compares the Matcher with the reference on fuzzed patterns and
// inputs. The first argument holds the patterns, separated by NUL bytes (an
// empty field is an empty pattern).
func FuzzMatcher(f *testing.F) {
	seeds := []struct{ patterns, data string }{
		{"he\x00she\x00his\x00hers", "ushers and HIS"},
		{"key\x00api\x00token\x00sk\x00s.", "API_KEY = os.Getenv(\"TOKEN\") // sk s. Sk"},
		{"aa\x00a\x00aaa", "aAaAa"},
		{"\xc3\xa4\x00\xff\xfe", "\xc3\xa4\xc3\x84\xff\xfe\xff"},
		{"\x00\x00", "x"},
		{"ab\x00b\x00ba", strings.Repeat("aB", 700)}, // long enough for lanes
	}
	for _, s := range seeds {
		f.Add([]byte(s.patterns), []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, rawPatterns, data []byte) {
		if len(rawPatterns) > 4096 || len(data) > 1<<16 {
			return
		}
		var patterns []string
		for _, p := range bytes.Split(rawPatterns, []byte{0}) {
			patterns = append(patterns, string(p))
		}
		checkAgainstNaive(t, patterns, data)
		if m := New(patterns); m.useLanes(len(data)) {
			checkLanes(t, m, patterns, data)
		}
	})
}

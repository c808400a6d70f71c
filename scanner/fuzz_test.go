package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/internal/fake"
)

// FuzzParseIgnore reads .gitleaksignore files. On any input: no panic;
// each line is a fingerprint, a comment or blank, or a warning (one a
// line); every fingerprint whose line number is a number ignores the
// finding it names (path, with backslashes as slashes, or commit and
// path); and no warning quotes a secret the line holds.
func FuzzParseIgnore(f *testing.F) {
	key := fake.AWSKeyID(31)
	for _, s := range []string{
		"config/app.env:aws-access-token:3\n# a comment\n\n0123456789abcdef0123456789abcdef01234567:a/b.go:github-pat:10\n",
		`dir\sub\f.txt:generic-api-key:7` + "\r\n  spaced/path.go:rule:1  \n",
		"not a fingerprint\na:b\na:b:c:d:e\n",
		"k=" + key + "\n",
		"path:rule:x\n:::\n",
	} {
		f.Add([]byte(s))
	}
	s := fuzzScanner(f, Options{})
	f.Fuzz(func(t *testing.T, in []byte) {
		l, warnings, err := ParseIgnore(bytes.NewReader(in))
		if err != nil {
			return // a line over the scanner's limit
		}
		var lines []string
		for _, ln := range strings.Split(string(in), "\n") {
			if ln = strings.TrimSpace(ln); ln != "" && !strings.HasPrefix(ln, "#") {
				lines = append(lines, ln)
			}
		}
		bad := 0
		for _, ln := range lines {
			parts := strings.Split(ln, ":")
			if len(parts) != 3 && len(parts) != 4 {
				bad++
				continue
			}
			n, err := strconv.Atoi(parts[len(parts)-1])
			if err != nil || strconv.Itoa(n) != parts[len(parts)-1] {
				continue // listed, but no finding's line prints so
			}
			fd := Finding{RuleID: parts[len(parts)-2], StartLine: n}
			if len(parts) == 3 {
				fd.Path = strings.ReplaceAll(parts[0], `\`, "/")
			} else {
				fd.Path = strings.ReplaceAll(parts[1], `\`, "/")
				fd.Commit = &CommitInfo{SHA: parts[0]}
				if parts[0] == "" {
					continue // a commit fingerprint needs a commit
				}
			}
			if !l.Ignores(fd) {
				t.Fatalf("fingerprint %q does not ignore its finding", ln)
			}
		}
		if len(warnings) != bad {
			t.Fatalf("%d warnings for %d malformed lines: %q", len(warnings), bad, warnings)
		}
		if l.Len() > len(lines) {
			t.Fatalf("%d fingerprints from %d lines", l.Len(), len(lines))
		}
		fs, err := s.ScanBytes(context.Background(), in, Origin{Kind: KindFile, Path: ".gitleaksignore"})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range fs {
			for _, w := range warnings {
				if len(fd.Secret) >= 8 && strings.Contains(w, fd.Secret) {
					t.Fatalf("warning quotes a secret (%s) in full: %s", fd.RuleID, strings.ReplaceAll(w, fd.Secret, "<secret>"))
				}
			}
		}
	})
}

var (
	fuzzScanners sync.Map // Options.ChunkSize -> *Scanner
	fuzzDetOnce  sync.Once
	fuzzDetector *detectors.Detector
)

// fuzzScanner is testScanner with one detector for the whole fuzzing
// process.
func fuzzScanner(t testing.TB, opts Options) *Scanner {
	t.Helper()
	fuzzDetOnce.Do(func() {
		s := testScanner(t, Options{})
		fuzzDetector = s.det
	})
	if fuzzDetector == nil {
		t.Fatal("no detector")
	}
	if s, ok := fuzzScanners.Load(opts.ChunkSize); ok {
		return s.(*Scanner)
	}
	s := New(fuzzDetector, opts)
	fuzzScanners.Store(opts.ChunkSize, s)
	return s
}

// chunkInput builds the input of FuzzChunks: fill repeated to Overlap+1
// bytes and up to 256 KiB more, with fake keys planted at the offsets at
// names (three bytes an offset), each on a line of its own. It returns
// the keys whose plant is still whole.
func chunkInput(fill []byte, n uint32, at []byte) ([]byte, []string) {
	if len(fill) == 0 {
		fill = []byte("x\n")
	}
	size := Overlap + 1 + int(n%(256<<10))
	data := bytes.Repeat(fill, size/len(fill)+1)[:size]
	type plant struct {
		off int
		s   string
	}
	var plants []plant
	for i := 0; i+3 <= len(at) && len(plants) < 6; i += 3 {
		off := (int(at[i])<<16 | int(at[i+1])<<8 | int(at[i+2])) % size
		p := "\nk=" + fake.AWSKeyID(int64(i)) + "\n"
		if off+len(p) > size {
			continue
		}
		copy(data[off:], p)
		plants = append(plants, plant{off, p})
	}
	var keys []string
	for _, p := range plants {
		if bytes.HasPrefix(data[p.off:], []byte(p.s)) {
			keys = append(keys, strings.TrimSpace(p.s[3:]))
		}
	}
	return data, keys
}

type place struct {
	rule, secret       string
	line, col, endLine int
	endCol             int
}

func places(fs []Finding) map[place]int {
	m := map[place]int{}
	for _, f := range fs {
		m[place{f.RuleID, f.Secret, f.StartLine, f.StartColumn, f.EndLine, f.EndColumn}]++
	}
	return m
}

// FuzzChunks checks the two chunkers against a scan of the input in one
// piece. The scanner's split (chunks of a fuzzed size) and the streaming
// reader (pieces of a fuzzed size): every byte of the input is in exactly
// one fragment's owned part, in order; each fragment is the input at its
// place, with its line and column; a fragment's overlap past what it owns
// is at least Overlap less the 4 KiB a cut may move to a line start (and
// the 3 bytes it may move back to a base64 unit); and both find exactly
// the findings of the scan in one piece (secrets planted across
// boundaries included), at the same places.
func FuzzChunks(f *testing.F) {
	f.Add([]byte("the quick brown fox jumps over the lazy dog, nothing here\n"), uint32(200<<10), uint16(0), []byte{0, 255, 250, 1, 0, 0, 2, 128, 0})
	// Base64 blobs of 3 KB between lines of text (a blob of the whole
	// input's size is the decoder's hostile case, too slow to fuzz).
	blob := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("nothing secret in here, "), 100))
	f.Add([]byte("text before\n"+blob+"\n"), uint32(100<<10), uint16(3000), []byte{1, 0, 1, 2, 0, 3})
	f.Add([]byte("no newline at all, one long line "), uint32(50<<10), uint16(60000), []byte{0, 64, 0, 3, 0, 0})
	f.Add([]byte("a\r\n\n\n"), uint32(1), uint16(1), []byte{0, 16, 0})
	f.Add([]byte(`"password": "`+fake.Password(3)+`",`+"\n"+strings.Repeat("the lazy dog\n", 200)), uint32(10<<10), uint16(9000), []byte{})
	f.Fuzz(func(t *testing.T, fill []byte, n uint32, chunk uint16, at []byte) {
		stop := time.AfterFunc(60*time.Second, func() { panic("FuzzChunks runs over 60 s") })
		defer stop.Stop()
		data, keys := chunkInput(fill, n, at)
		size := 8<<10 + int(chunk)%(64<<10)
		whole, err := fuzzScanner(t, Options{ChunkSize: 1 << 30}).ScanBytes(context.Background(), data, Origin{Kind: KindStdin})
		if err != nil {
			t.Fatal(err)
		}
		want := places(whole)
		for _, k := range keys {
			found := false
			for _, f := range whole {
				found = found || f.Secret == k
			}
			if !found {
				t.Fatalf("planted key %s not found in one piece", Redact(k))
			}
		}

		// The scanner's split.
		var frags []Fragment
		s := fuzzScanner(t, Options{ChunkSize: size})
		s.split(Fragment{Data: data, Origin: Origin{Kind: KindStdin}}, func(c Fragment) { frags = append(frags, c) })
		checkFragments(t, "split", data, frags, func(c Fragment) int { return c.Offset })
		got, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindStdin})
		if err != nil {
			t.Fatal(err)
		}
		comparePlaces(t, "split", want, places(got))

		// The streaming reader.
		frags = frags[:0]
		pos := 0
		offsets := map[*byte]int{}
		err = readChunks(context.Background(), bytes.NewReader(data), Origin{Kind: KindStdin}, size, func(c Fragment) error {
			if len(c.Data) > 0 {
				offsets[&c.Data[0]] = pos
			}
			frags = append(frags, c)
			pos += c.Own
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		checkFragments(t, "readChunks", data, frags, func(c Fragment) int {
			if len(c.Data) == 0 {
				return len(data)
			}
			return offsets[&c.Data[0]]
		})
		src := SourceFunc(func(ctx context.Context, yield func(Fragment) error) error {
			return readChunks(ctx, bytes.NewReader(data), Origin{Kind: KindStdin}, size, yield)
		})
		got, _, err = fuzzScanner(t, Options{ChunkSize: 1 << 30}).Scan(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		comparePlaces(t, "readChunks", want, places(got))
	})
}

// checkFragments checks the cover of data by frags (off gives a
// fragment's offset in data).
func checkFragments(t *testing.T, what string, data []byte, frags []Fragment, off func(Fragment) int) {
	t.Helper()
	pos := 0
	for i, c := range frags {
		o := off(c)
		if o != pos {
			t.Fatalf("%s: fragment %d at offset %d, want %d (the owned parts leave a gap or overlap)", what, i, o, pos)
		}
		if o+len(c.Data) > len(data) || !bytes.Equal(c.Data, data[o:o+len(c.Data)]) {
			t.Fatalf("%s: fragment %d is not the input at offset %d", what, i, o)
		}
		line := 1 + bytes.Count(data[:o], []byte{'\n'})
		col := o - bytes.LastIndexByte(data[:o], '\n')
		if c.Origin.StartLineOr1() != line || max(c.Origin.StartColumn, 1) != col {
			t.Fatalf("%s: fragment %d at line %d column %d, want %d:%d", what, i, c.Origin.StartLineOr1(), c.Origin.StartColumn, line, col)
		}
		last := i == len(frags)-1
		if last {
			if c.Own != 0 || o+len(c.Data) != len(data) {
				t.Fatalf("%s: last fragment owns %d, ends at %d of %d", what, c.Own, o+len(c.Data), len(data))
			}
			return
		}
		if c.Own <= 0 || c.Own > len(c.Data) {
			t.Fatalf("%s: fragment %d owns %d of %d bytes", what, i, c.Own, len(c.Data))
		}
		if rest := len(data) - o - c.Own; len(c.Data)-c.Own < min(Overlap-4096-3, rest) {
			t.Fatalf("%s: fragment %d overlaps the next by %d bytes", what, i, len(c.Data)-c.Own)
		}
		pos += c.Own
	}
	if pos != len(data) {
		t.Fatalf("%s: fragments cover %d of %d bytes", what, pos, len(data))
	}
}

func comparePlaces(t *testing.T, what string, want, got map[place]int) {
	t.Helper()
	var diffs []string
	for p, n := range want {
		if got[p] != n {
			diffs = append(diffs, fmt.Sprintf("%s %s at %d:%d: %d times, in one piece %d", p.rule, Redact(p.secret), p.line, p.col, got[p], n))
		}
	}
	for p, n := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s %s at %d:%d: %d times, in one piece never", p.rule, Redact(p.secret), p.line, p.col, n))
		}
	}
	if len(diffs) > 0 {
		t.Fatalf("%s: findings differ from the scan in one piece:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// TestIgnoreWarningDoesNotQuoteTheLine: a malformed .gitleaksignore line
// was quoted in its warning, and a secret pasted there by mistake went to
// stderr in full (found by FuzzParseIgnore).
func TestIgnoreWarningDoesNotQuoteTheLine(t *testing.T) {
	key := fake.AWSKeyID(32)
	_, warnings, err := ParseIgnore(strings.NewReader("ok:rule:1\nAWS_KEY=" + key + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "line 2") {
		t.Fatalf("warnings %q, want one naming line 2", warnings)
	}
	if strings.Contains(warnings[0], key) {
		t.Errorf("warning quotes the secret: %s", strings.ReplaceAll(warnings[0], key, "<secret>"))
	}
}

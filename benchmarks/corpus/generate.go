package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultExts are the file extensions Generate copies when Options.Exts is
// empty: the text files of the Go toolchain's source tree.
var DefaultExts = []string{".go", ".s", ".c", ".h", ".md", ".txt", ".html", ".js", ".css", ".json", ".sh", ".bash", ".rc", ".pl", ".py", ".csv", ".xml", ".yaml", ".toml"}

// Options controls Generate.
type Options struct {
	// Size is the number of bytes to write. Generate stops after the file
	// that reaches it, so the corpus is at most one file larger.
	Size int64
	// Seed makes the planted secrets and their places reproducible: the
	// same source, options and seed give the same corpus.
	Seed uint64
	// Secrets is how many secrets to plant, cycling through Kinds().
	Secrets int
	// Exts lists the file extensions to copy; empty means DefaultExts.
	Exts []string
}

// Errors returned by Generate.
var (
	ErrNoSource    = errors.New("corpus: no text files in source")
	ErrNoPlaces    = errors.New("corpus: no file can hold a planted secret")
	ErrDstNotEmpty = errors.New("corpus: destination is not empty")
)

type srcFile struct {
	path      string // slash path in the source fs
	size      int64
	lines     int
	plantable bool
}

type outFile struct {
	src  int    // index into the source files
	name string // slash path under the destination
}

type plant struct {
	pos   int // insert before this 0-based line of the original file
	order int // plant index, for a stable order at equal pos
	rule  string
	lines []string
}

// Generate copies text files from src into the directory dst until Size
// bytes are written, walking src in lexical order and repeating it under
// suffixed names (a.go, a.r1.go, a.r2.go, ...) while the source is smaller
// than Size. It then inserts Secrets fake secrets at lines chosen from
// Seed, in files outside vendor directories that hold no PEM block, and
// returns where each secret starts. dst must be empty or not exist.
func Generate(ctx context.Context, src fs.FS, dst string, opts Options) (*Expected, error) {
	if err := checkEmpty(dst); err != nil {
		return nil, err
	}
	exts := opts.Exts
	if len(exts) == 0 {
		exts = DefaultExts
	}
	files, err := scanSource(ctx, src, exts)
	if err != nil {
		return nil, err
	}
	layout := layoutFiles(files, opts.Size)

	r := rand.New(rand.NewPCG(opts.Seed, 0x6c65616b67756172)) // "leakguar"
	plants, err := planPlants(r, files, layout, opts.Secrets)
	if err != nil {
		return nil, err
	}

	exp := &Expected{Seed: opts.Seed, Files: len(layout), Counts: map[string]int{}}
	for i, of := range layout {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		n, planted, err := writeFile(src, files[of.src].path, filepath.Join(dst, filepath.FromSlash(of.name)), plants[i])
		if err != nil {
			return nil, err
		}
		exp.Bytes += n
		for _, p := range planted {
			p.File = of.name
			exp.Secrets = append(exp.Secrets, p)
			exp.Counts[p.Rule]++
		}
	}
	exp.Total = len(exp.Secrets)
	exp.sort()
	return exp, nil
}

func checkEmpty(dst string) error {
	entries, err := os.ReadDir(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("corpus: read destination %s: %w", dst, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("%w: %s", ErrDstNotEmpty, dst)
	}
	return nil
}

// scanSource lists the text files of src in lexical order with their line
// counts and whether a secret may be planted in them.
func scanSource(ctx context.Context, src fs.FS, exts []string) ([]srcFile, error) {
	var files []srcFile
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return ctx.Err()
		}
		if !d.Type().IsRegular() || !slices.Contains(exts, path.Ext(p)) {
			return nil
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		files = append(files, srcFile{
			path:  p,
			size:  int64(len(data)),
			lines: countLines(data),
			// vendor trees are on gitleaks' path allowlist, and a planted
			// line inside an existing PEM block would merge with it.
			plantable: !strings.Contains("/"+p, "/vendor/") &&
				!bytes.Contains(data, []byte("-----BEGIN")) && !bytes.Contains(data, []byte("PRIVATE KEY")),
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: scan source: %w", err)
	}
	if len(files) == 0 {
		return nil, ErrNoSource
	}
	return files, nil
}

// layoutFiles repeats the source files under suffixed names until their
// total size reaches size. It always lays out at least one file.
func layoutFiles(files []srcFile, size int64) []outFile {
	var out []outFile
	var total int64
	for pass := 0; ; pass++ {
		for i, f := range files {
			out = append(out, outFile{src: i, name: suffixed(f.path, pass)})
			total += f.size
			if total >= size {
				return out
			}
		}
		if total == 0 { // only empty files: one pass is all there is
			return out
		}
	}
}

// suffixed names the copy of p made in the given pass: pass 0 keeps p,
// pass 2 turns dir/a.go into dir/a.r2.go.
func suffixed(p string, pass int) string {
	if pass == 0 {
		return p
	}
	ext := path.Ext(p)
	return fmt.Sprintf("%s.r%d%s", strings.TrimSuffix(p, ext), pass, ext)
}

// planPlants chooses, for each secret, an output file and a line, and
// generates the secret. The result is indexed by output file.
func planPlants(r *rand.Rand, files []srcFile, layout []outFile, n int) ([][]plant, error) {
	plants := make([][]plant, len(layout))
	if n <= 0 {
		return plants, nil
	}
	var places []int
	for i, of := range layout {
		if files[of.src].plantable {
			places = append(places, i)
		}
	}
	if len(places) == 0 {
		return nil, ErrNoPlaces
	}
	kinds := Kinds()
	for i := range n {
		k := kinds[i%len(kinds)]
		fi := places[r.IntN(len(places))]
		p := plant{pos: r.IntN(files[layout[fi].src].lines + 1), order: i, rule: k.Rule, lines: k.Lines(r)}
		plants[fi] = append(plants[fi], p)
	}
	for _, ps := range plants {
		slices.SortFunc(ps, func(a, b plant) int {
			if a.pos != b.pos {
				return a.pos - b.pos
			}
			return a.order - b.order
		})
	}
	return plants, nil
}

// writeFile copies one source file to dst with plants inserted (sorted by
// position) and returns the bytes written and where each plant starts.
func writeFile(src fs.FS, name, dst string, plants []plant) (int64, []Planted, error) {
	data, err := fs.ReadFile(src, name)
	if err != nil {
		return 0, nil, fmt.Errorf("corpus: read %s: %w", name, err)
	}
	var planted []Planted
	if len(plants) > 0 {
		data, planted = insert(data, plants)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, nil, fmt.Errorf("corpus: %w", err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return 0, nil, fmt.Errorf("corpus: write %s: %w", dst, err)
	}
	return int64(len(data)), planted, nil
}

// insert puts each plant's lines before original line pos (0-based) and
// reports the 1-based line where each plant starts in the result.
func insert(data []byte, plants []plant) ([]byte, []Planted) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	var buf bytes.Buffer
	buf.Grow(len(data) + 2048*len(plants))
	var planted []Planted
	next, outLine := 0, 0 // next original line to copy; lines written so far
	for _, p := range plants {
		for ; next < p.pos && next < len(lines); next++ {
			buf.Write(lines[next])
			outLine++
		}
		if b := buf.Bytes(); len(b) > 0 && b[len(b)-1] != '\n' {
			buf.WriteByte('\n') // the file's last line had no newline
		}
		planted = append(planted, Planted{Rule: p.rule, Line: outLine + 1})
		for _, l := range p.lines {
			buf.WriteString(l)
			buf.WriteByte('\n')
			outLine++
		}
	}
	for ; next < len(lines); next++ {
		buf.Write(lines[next])
	}
	return buf.Bytes(), planted
}

// countLines counts lines the way an editor numbers them: a final line
// without a newline counts, an empty file has none.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

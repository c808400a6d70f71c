package quality

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Label marks one planted string in the corpus: a fake secret that a
// scanner should report, or (Negative) a hard negative it should not.
type Label struct {
	File string `json:"file"` // slash-separated, relative to the corpus root
	Line int    `json:"line"` // 1-based line where Secret starts
	// EndLine is the line where Secret ends (Line for one-line secrets).
	EndLine int    `json:"end_line"`
	Type    string `json:"type"`            // secret type, or the kind of negative
	Secret  string `json:"secret"`          // exact text as it appears in the file
	Plain   string `json:"plain,omitempty"` // the secret before escaping/encoding, when it differs
	Context string `json:"context"`         // kind of file: go, python, yaml, jsonl, ...
	// Negative marks a hard negative: a string that looks like a secret
	// but is not one (placeholder, reference, hash, public key).
	Negative bool `json:"negative,omitempty"`
}

// File is one generated corpus file.
type File struct {
	Path    string // slash-separated, relative to the corpus root
	Context string
	Data    []byte
}

// Corpus is a generated corpus: its files and the labels planted in them.
type Corpus struct {
	Seed   uint64
	Files  []File
	Labels []Label
}

// Write writes the corpus files under dir/corpus (the directory to scan)
// and the labels to dir/labels.json, outside what is scanned. dir must not
// hold an older corpus.
func (c *Corpus) Write(dir string) error {
	for _, f := range c.Files {
		p := filepath.Join(dir, "corpus", filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("write corpus: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("write corpus: %w", err)
		}
	}
	out, err := os.Create(filepath.Join(dir, "labels.json"))
	if err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	if err := WriteLabels(out, c.Labels); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// WriteLabels writes labels as an indented JSON array, sorted by file and
// line.
func WriteLabels(w io.Writer, labels []Label) error {
	ls := append([]Label(nil), labels...)
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].File != ls[j].File {
			return ls[i].File < ls[j].File
		}
		return ls[i].Line < ls[j].Line
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ls); err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	return nil
}

// ReadLabels reads a labels.json array.
func ReadLabels(r io.Reader) ([]Label, error) {
	var ls []Label
	if err := json.NewDecoder(r).Decode(&ls); err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return ls, nil
}

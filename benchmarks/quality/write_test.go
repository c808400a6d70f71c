package quality

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteKeepsLabelsOutsideTheScannedTree(t *testing.T) {
	dir := t.TempDir()
	c := Generate(Options{Seed: 1, FilesPerContext: 1})
	if err := c.Write(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ls, err := ReadLabels(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != len(c.Labels) {
		t.Errorf("read %d labels, want %d", len(ls), len(c.Labels))
	}
	n := 0
	err = filepath.WalkDir(filepath.Join(dir, "corpus"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == "labels.json" {
			t.Errorf("labels.json inside the scanned tree: %s", p)
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(c.Files) {
		t.Errorf("wrote %d files, want %d", n, len(c.Files))
	}
}

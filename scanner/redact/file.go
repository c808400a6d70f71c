package redact

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Rewrite redacts the file at path in place with fn, atomically: the
// output goes to a temporary file in the same directory, with the same
// permissions, which then replaces the original by rename. With backup, the
// original is kept as path+".bak" (replacing an older backup). When fn
// replaces nothing the file is left alone and no backup is made. It returns
// fn's count.
func Rewrite(path string, backup bool, fn func(in io.Reader, out io.Writer) (int, error)) (int, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("redact %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("redact %s: not a regular file", path)
	}
	in, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("redact %s: %w", path, err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".leakguard-*")
	if err != nil {
		return 0, fmt.Errorf("redact %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := fn(in, tmp)
	if err != nil {
		return n, fmt.Errorf("redact %s: %w", path, err)
	}
	if n == 0 {
		return 0, nil
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		return n, fmt.Errorf("redact %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return n, fmt.Errorf("redact %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return n, fmt.Errorf("redact %s: %w", path, err)
	}
	if backup {
		bak := path + ".bak"
		os.Remove(bak)
		if err := os.Link(path, bak); err != nil {
			if err := copyFile(path, bak, fi.Mode().Perm()); err != nil {
				return n, fmt.Errorf("redact %s: backup: %w", path, err)
			}
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("redact %s: %w", path, err)
	}
	done = true
	return n, nil
}

func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

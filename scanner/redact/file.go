package redact

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// RewriteOptions configure RewriteFile.
type RewriteOptions struct {
	// BackupDir, when set, receives a copy of the original file (mode
	// 0600) before it is rewritten. It should be outside the folders being
	// scanned: the copy holds every secret that was redacted. Empty means
	// no copy is kept.
	BackupDir string
	// Now names backups; nil means time.Now.
	Now func() time.Time
}

// RewriteResult says what RewriteFile did.
type RewriteResult struct {
	// Count is fn's count of replacements; 0 means the file was left alone.
	Count int
	// Path is the file that was rewritten: the target of a symbolic link.
	Path string
	// Backup is the copy of the original, or "" when none was made.
	Backup string
}

// RewriteFile redacts the file at path in place with fn. A symbolic link is
// followed and its target rewritten; the link stays a link. The target
// keeps its inode's owner, group and permissions: the redacted text goes to
// a temporary file in the same directory, which then replaces the original
// by rename when that keeps the owner and the file has a single link;
// otherwise (another owner that cannot be kept, hard links that would
// keep the secret) the text is copied over the original in place. When fn
// replaces nothing the file is left alone and no backup is made. Temporary
// files are created with mode 0600 and removed on every error.
func RewriteFile(path string, opts RewriteOptions, fn func(in io.Reader, out io.Writer) (int, error)) (RewriteResult, error) {
	res := RewriteResult{Path: path}
	fail := func(err error) (RewriteResult, error) {
		return res, fmt.Errorf("redact %s: %w", path, err)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fail(err)
	}
	res.Path = real
	fi, err := os.Stat(real)
	if err != nil {
		return fail(err)
	}
	if !fi.Mode().IsRegular() {
		return fail(fmt.Errorf("not a regular file"))
	}
	in, err := os.Open(real)
	if err != nil {
		return fail(err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".leakguard-*")
	if err != nil {
		return fail(err)
	}
	tmpName := tmp.Name()
	renamed := false
	defer func() {
		if !renamed {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	n, err := fn(in, tmp)
	res.Count = n
	if err != nil {
		return fail(err)
	}
	if n == 0 {
		return res, nil
	}
	if opts.BackupDir != "" {
		b, err := backup(real, opts)
		if err != nil {
			return fail(fmt.Errorf("backup: %w", err))
		}
		res.Backup = b
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if linkCount(fi) == 1 && keepOwner(tmp, fi) == nil {
		if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
			return fail(err)
		}
		if err := tmp.Close(); err != nil {
			return fail(err)
		}
		if err := os.Rename(tmpName, real); err != nil {
			return fail(err)
		}
		renamed = true
		return res, nil
	}
	// Copy over the original: same inode, so every link, the owner and the
	// mode stay as they were.
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	out, err := os.OpenFile(real, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fail(err)
	}
	if _, err := io.Copy(out, tmp); err != nil {
		out.Close()
		return fail(err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fail(err)
	}
	if err := out.Close(); err != nil {
		return fail(err)
	}
	return res, nil
}

// backup copies the original file into opts.BackupDir with mode 0600,
// under a name that says when and what: 20240501T100000Z-session.jsonl.
func backup(src string, opts RewriteOptions) (string, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	if err := os.MkdirAll(opts.BackupDir, 0o700); err != nil {
		return "", err
	}
	base := now().UTC().Format("20060102T150405Z") + "-" + filepath.Base(src)
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			ext := filepath.Ext(base)
			name = strings.TrimSuffix(base, ext) + fmt.Sprintf(".%d", i) + ext
		}
		dst := filepath.Join(opts.BackupDir, name)
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) && i < 1000 {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			os.Remove(dst)
			return "", err
		}
		if err := out.Close(); err != nil {
			os.Remove(dst)
			return "", err
		}
		return dst, nil
	}
}

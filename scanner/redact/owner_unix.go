//go:build unix

package redact

import (
	"os"
	"syscall"
)

// linkCount is the number of hard links to the file.
func linkCount(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// keepOwner gives f the owner and group of fi; an error means they cannot
// be kept (the file belongs to another user and we are not root).
func keepOwner(f *os.File, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	nf, err := f.Stat()
	if err != nil {
		return err
	}
	if nst, ok := nf.Sys().(*syscall.Stat_t); ok && nst.Uid == st.Uid && nst.Gid == st.Gid {
		return nil
	}
	return f.Chown(int(st.Uid), int(st.Gid))
}

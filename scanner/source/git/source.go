package git

import (
	"context"
	"errors"

	"github.com/leakguard/leakguard/scanner"
)

// item is one thing to scan, in the order fragments are yielded: a commit
// message (data inline) or a blob (read from cat-file).
type item struct {
	msg    []byte
	commit *scanner.CommitInfo // for messages
	oid    string              // for blobs
	path   string
	tag    *scanner.CommitInfo // identifies the blob's unit in findings
}

// blobItem requests unit id's blob and marks it requested.
func (st *state) blobItem(id int32) item {
	u := &st.units[id]
	u.requested = true
	tag := &scanner.CommitInfo{}
	st.tags[tag] = id
	return item{oid: u.key.blob, path: u.key.path, tag: tag}
}

// objectReader reads blobs in the order they were requested.
type objectReader interface {
	request(oid string) error
	read(oid string, max int64) (blob, error)
	closeInput()
	wait() error
}

// blobSource yields the items a producer emits, reading blobs through
// one git cat-file --batch. The producer runs in its own goroutine and
// may touch the state; the yielding side only reads items.
type blobSource struct {
	repo    *Repo
	open    func(ctx context.Context) (objectReader, error) // nil: git cat-file
	st      *state
	max     int64
	skip    func(path, reason string)
	produce func(ctx context.Context, emit func(item) error) error
	// unread lists the blobs that could not be read (missing, or not a
	// blob): each is skipped, the rest of the history is scanned.
	unread []Unreadable
}

func (b *blobSource) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var cf objectReader
	var err error
	if b.open != nil {
		cf, err = b.open(ctx)
	} else {
		cf, err = startCatFile(ctx, b.repo)
	}
	if err != nil {
		return err
	}
	items := make(chan item, 512)
	perr := make(chan error, 1)
	go func() {
		err := b.produce(ctx, func(it item) error {
			select {
			case items <- it:
			case <-ctx.Done():
				return ctx.Err()
			}
			if it.oid != "" {
				return cf.request(it.oid)
			}
			return nil
		})
		cf.closeInput()
		close(items)
		perr <- err
	}()
	var yerr error
	for it := range items {
		if yerr != nil {
			continue // drain so the producer can finish
		}
		if yerr = b.deliver(cf, it, yield); yerr != nil {
			cancel()
		}
	}
	err = <-perr
	werr := cf.wait()
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		return err // the producer's failure explains a short read
	case yerr != nil:
		return yerr
	case err != nil:
		return err
	case werr != nil && !errors.Is(ctx.Err(), context.Canceled):
		return werr
	}
	return nil
}

func (b *blobSource) deliver(cf objectReader, it item, yield func(scanner.Fragment) error) error {
	if it.oid == "" {
		return yield(scanner.Fragment{Data: it.msg, Origin: scanner.Origin{Kind: scanner.KindCommitMessage, Commit: it.commit}})
	}
	bl, err := cf.read(it.oid, b.max)
	if errors.Is(err, ErrMissingObject) || errors.Is(err, errObjectType) {
		// One object lost costs that object only (the reader stays in
		// step: each answer is read whole).
		b.unread = append(b.unread, Unreadable{Blob: it.oid, Path: it.path, Err: err})
		return nil
	}
	if err != nil {
		return err
	}
	if bl.skip != "" && b.skip != nil {
		b.skip(it.path, bl.skip)
	}
	return yield(scanner.Fragment{Data: bl.data, Origin: scanner.Origin{Kind: scanner.KindBlob, Path: it.path, Commit: it.tag}})
}

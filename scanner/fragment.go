package scanner

import "context"

// Kind says what sort of input a Fragment came from.
type Kind string

// The kinds of input leakguard scans.
const (
	KindFile          Kind = "file"
	KindStdin         Kind = "stdin"
	KindDiff          Kind = "diff"
	KindBlob          Kind = "blob"           // a file version in git history
	KindCommitMessage Kind = "commit-message" // a commit's message
	KindTranscript    Kind = "transcript"     // a string inside an agent session log
	KindHookPayload   Kind = "hook-payload"   // a string inside an agent hook event
)

// CommitInfo describes the commit a fragment was found in.
type CommitInfo struct {
	SHA     string
	Author  string
	Email   string
	Date    string // RFC 3339
	Message string
}

// Origin says where a Fragment's bytes came from. Sources fill it; the
// scanner copies it into every Finding made from the fragment.
type Origin struct {
	Kind Kind
	// Path is the file path, slash-separated, relative to the scan root
	// where there is one. Empty for stdin.
	Path string
	// Commit is set for fragments read from git history.
	Commit *CommitInfo
	// StartLine is the line number (1-based) of the fragment's first line in
	// the original file. Zero means 1.
	StartLine int
	// StartColumn is the column (1-based, in bytes) of the fragment's
	// first byte in its line, for a fragment cut out of a line longer
	// than a chunk. Zero means 1.
	StartColumn int
	// LineMap, when set, maps the fragment's line index (0-based) to the
	// line number in the original file; diff sources use it because the
	// added lines of a hunk are not contiguous. It wins over StartLine.
	LineMap []int
	// Charset names the encoding the input was transcoded from before
	// detection ("utf-16le", "utf-16be"); empty for input scanned as it is.
	Charset string
	// Transcript and hook-payload locations.
	JSONLine int    // 1-based line of the JSONL file
	JSONPath string // JSON Pointer of the string, e.g. /message/content/2/text
	Role     string
	Tool     string
	Session  string
}

// Fragment is a piece of input to scan. The scanner owns Data once a Source
// has yielded it: the Source must not modify it afterwards. If Release is
// set, the scanner calls it once it no longer needs Data, so that a Source
// can recycle buffers.
type Fragment struct {
	Data   []byte
	Origin Origin
	// Own, when positive, says the fragment overlaps the next one from
	// offset Own on: matches starting there are left to the next fragment.
	// Sources that stream large inputs in overlapping pieces set it.
	Own int
	// Offset is where Data starts in the fragment the source yielded, for
	// the pieces the scanner cuts a large fragment into.
	Offset int
	// Before and After, when set, are the text that stood around Data in
	// its source (a JSON member name and the quotes of a decoded string
	// value: transcript.MemberContext). Rules see them, so a secret that
	// only its key names is found; a secret that lies in them is not
	// reported, and offsets stay those of Data.
	Before, After []byte
	Release       func()
	// utf16, when set, says Data is the UTF-8 transcoding of a UTF-16
	// input, and maps offsets back to it.
	utf16 *utf16Map
}

// A Source yields the fragments of one input. It stops and returns the
// error when yield returns one. Fragments must be yielded from a single
// goroutine; the scanner parallelises detection itself.
type Source interface {
	Fragments(ctx context.Context, yield func(Fragment) error) error
}

// SourceFunc adapts a function to the Source interface.
type SourceFunc func(ctx context.Context, yield func(Fragment) error) error

// Fragments calls f.
func (f SourceFunc) Fragments(ctx context.Context, yield func(Fragment) error) error {
	return f(ctx, yield)
}

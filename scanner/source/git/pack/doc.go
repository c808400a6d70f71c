// Package pack reads git pack files directly: the .idx that maps object
// ids to offsets, the headers of every entry, and each entry's data
// (inflated; deltas applied by the caller with Apply or walked with Ops).
// It is the object-reading layer under the history sweep's pack engine
// (package git), which walks the delta forest so that each object version
// is inflated once and only what a delta inserts is scanned.
//
// It reads with pread, never mmap: the pages of a 500 MB pack stay in the
// page cache and do not count towards the process's resident memory.
// It imports only the standard library and klauspost/compress; never
// scanner or the CLI.
package pack

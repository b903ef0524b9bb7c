// Package ledger holds the tamper-evident core of custody: the canonical
// encoding of events, the RFC 6962 Merkle tree over their leaf hashes, signed
// checkpoints and inclusion and consistency proofs.
//
// The tree arithmetic is that of the Go checksum database
// (golang.org/x/mod/sumdb/tlog): a tree of n records is kept as its "stored
// hashes", addressed by [tlog.StoredHashIndex], and every proof produced here
// verifies with any RFC 6962 implementation. Checkpoints are signed notes
// (golang.org/x/mod/sumdb/note) whose body is a C2SP tlog-checkpoint.
//
// A leaf is the RFC 8785 canonical JSON of an event (see [Canonical]); each
// event carries a random salt (see [NewSalt]) so that its leaf hash reveals
// nothing about its content.
package ledger

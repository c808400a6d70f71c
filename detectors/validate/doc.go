// Package validate holds leakguard's structural validators: checks that a
// matched secret has the shape its issuer gives it, run by the detector
// after a rule's regex (and entropy) accepted a match. A validator never
// contacts a service; it only recomputes what the format makes checkable
// offline: CRC32 checksums (GitHub, npm, GitLab routable, Grafana), Bech32
// checksums (age), macaroon structure (PyPI), key structure (PEM and
// OpenSSH private keys) and JWT structure.
//
// Pipeline stage: inside detectors, between regex/entropy and allowlists.
// Input is the secret's bytes; output a Verdict. No I/O.
//
// It imports only the standard library and golang.org/x/crypto; never
// rules, scanner or the CLI.
package validate

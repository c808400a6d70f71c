package detectors

import (
	"bytes"
	"regexp"
	"sync"

	"github.com/leakguard/leakguard/rules"
)

// Shapes that a generic rule (one whose id contains "generic") matches but
// that are not secrets: content hashes and identifiers. They are dropped in
// the validation stage, so gitleaks' own results are untouched when
// validation is off.
var notSecretShapes = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:` +
		// git object ids and sha256/sha512 digests, in one case
		`[0-9a-f]{40}|[0-9A-F]{40}|[0-9a-f]{64}|[0-9A-F]{64}|[0-9a-f]{128}|[0-9A-F]{128}` +
		// UUIDs
		`|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}` +
		// subresource integrity and go.sum hashes
		`|sha(?:256|384|512)-[A-Za-z0-9+/]{40,}={0,2}|h1:[A-Za-z0-9+/]{43}=` +
		`)$`)
})

// genericNotSecret reports whether a generic rule's secret is a hash, an
// identifier or a data URI rather than a secret.
func genericNotSecret(r *rules.Rule, secret []byte) bool {
	if !r.IsGeneric() {
		return false
	}
	if bytes.HasPrefix(secret, []byte("data:")) {
		return true
	}
	return notSecretShapes().Match(secret)
}

package validate

import (
	"bytes"
	"sort"
)

// Verdict is a validator's answer about one secret.
type Verdict int

// Verdicts. Unknown is the zero value: the validator cannot tell, and the
// finding is kept as if no validator had run.
const (
	// Unknown: the secret has a shape the validator does not recognise.
	Unknown Verdict = iota
	// Valid: the secret's structure (checksum, encoding, key) checks out.
	Valid
	// Invalid: the secret has the recognised shape but fails its check, so
	// the issuer cannot have produced it (a placeholder, a typo, a
	// fabricated example).
	Invalid
)

func (v Verdict) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	default:
		return "unknown"
	}
}

// Func validates one secret. A Func never modifies secret, is safe for
// concurrent use and does no I/O.
type Func func(secret []byte) Verdict

var registry = map[string]Func{
	"github-token":            GitHubToken,
	"npm-token":               NPMToken,
	"gitlab-routable":         GitLabRoutable,
	"grafana-service-account": GrafanaServiceAccount,
	"age-secret-key":          AgeSecretKey,
	"pypi-macaroon":           PyPIMacaroon,
	"private-key":             PrivateKey,
	"jwt":                     JWT,
	"jwt-base64":              JWTBase64,
	"basic-auth":              BasicAuth,
	"base64-private-key":      Base64PrivateKey,
}

// Lookup returns the validator registered under name.
func Lookup(name string) (Func, bool) {
	f, ok := registry[name]
	return f, ok
}

// Names returns the registered validator names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// byRule maps gitleaks' default rule ids to the validator that applies to
// their secrets. leakguard's own rules name their validator in the rule's
// validate field instead.
var byRule = map[string]string{
	"github-pat":           "github-token",
	"github-oauth":         "github-token",
	"github-app-token":     "github-token",
	"github-refresh-token": "github-token",
	"npm-access-token":     "npm-token",
	"gitlab-pat-routable":  "gitlab-routable",
	"gitlab-runner-authentication-token-routable": "gitlab-routable",
	"grafana-service-account-token":               "grafana-service-account",
	"age-secret-key":                              "age-secret-key",
	"pypi-upload-token":                           "pypi-macaroon",
	"private-key":                                 "private-key",
	"jwt":                                         "jwt",
	"jwt-base64":                                  "jwt-base64",
}

// ForRule returns the name of the validator for one of gitleaks' default
// rule ids, or "" when none applies.
func ForRule(ruleID string) string {
	return byRule[ruleID]
}

// trim removes whitespace and the quotes a regex's secret group may have
// kept around a secret.
func trim(b []byte) []byte {
	return bytes.Trim(b, " \t\r\n\"'`")
}

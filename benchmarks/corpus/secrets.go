package corpus

import (
	"math"
	"math/rand/v2"
	"strings"
)

// A Kind is one format of fake secret the generator plants, named by the id
// of the gitleaks default rule that must report it.
type Kind struct {
	// Rule is the gitleaks rule id that matches the planted lines.
	Rule string
	// lines returns the text to insert, one element per line, with no
	// newlines inside. The secret starts on the first line.
	lines func(r *rand.Rand) []string
}

// Lines generates one planted snippet of this kind from r.
func (k Kind) Lines(r *rand.Rand) []string { return k.lines(r) }

const (
	base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digits      = "0123456789"
	// noVowels has no vowels (and no y), so a random string of it cannot
	// spell the English stopwords of gitleaks' generic-api-key rule.
	noVowels = "BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz123456789"
)

// genericStopwords are the entries of generic-api-key's stopword list that
// can be spelled with noVowels; candidates containing one are rejected.
var genericStopwords = []string{"html", "http", "md5", "mqtt", "smtp", "vpn", "xmpp", "xxxxxx"}

// Kinds returns the planted secret formats, in the order the generator
// cycles through them. Each kind's lines match its rule in gitleaks'
// default configuration (regex, entropy threshold, allowlists and
// stopwords) and no other rule.
func Kinds() []Kind {
	return []Kind{
		{Rule: "aws-access-token", lines: func(r *rand.Rand) []string {
			// The rule's allowlist drops ids ending in EXAMPLE; entropy >= 3.
			id := until(r, func(r *rand.Rand) string { return "AKIA" + random(r, base32Upper, 16) },
				func(s string) bool { return entropy(s) >= 3.2 && !strings.HasSuffix(s, "EXAMPLE") })
			return []string{`aws_principal = "` + id + `"`}
		}},
		{Rule: "github-pat", lines: func(r *rand.Rand) []string {
			tok := until(r, githubPAT, minEntropy(3.2))
			return []string{`github_pat = "` + tok + `"`}
		}},
		{Rule: "slack-bot-token", lines: func(r *rand.Rand) []string {
			tok := until(r, func(r *rand.Rand) string {
				return "xoxb-" + random(r, "123456789", 1) + random(r, digits, 11) + "-" +
					random(r, "123456789", 1) + random(r, digits, 12) + "-" + random(r, alnum, 24)
			}, minEntropy(3.2))
			return []string{`slack_bot = "` + tok + `"`}
		}},
		{Rule: "gitlab-pat", lines: func(r *rand.Rand) []string {
			tok := until(r, func(r *rand.Rand) string { return "glpat-" + random(r, alnum, 20) }, minEntropy(3.2))
			return []string{`gitlab_pat = "` + tok + `"`}
		}},
		{Rule: "stripe-access-token", lines: func(r *rand.Rand) []string {
			tok := until(r, func(r *rand.Rand) string { return "sk_" + "live_" + random(r, alnum, 24) }, minEntropy(2.5))
			return []string{`stripe_live = "` + tok + `"`}
		}},
		{Rule: "generic-api-key", lines: func(r *rand.Rand) []string {
			v := until(r, func(r *rand.Rand) string { return random(r, noVowels, 32) }, genericOK)
			return []string{`api_key = "` + v + `"`}
		}},
		{Rule: "private-key", lines: rsaKeyPEMLines},
	}
}

func genericOK(s string) bool {
	if entropy(s) < 4 || !strings.ContainsAny(s, digits) || !strings.ContainsAny(s, "BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz") {
		return false
	}
	low := strings.ToLower(s)
	for _, w := range genericStopwords {
		if strings.Contains(low, w) {
			return false
		}
	}
	return true
}

func minEntropy(min float64) func(string) bool {
	return func(s string) bool { return entropy(s) >= min }
}

// until draws from gen until ok accepts. Every kind's acceptance test passes
// for the overwhelming majority of draws, so the loop ends quickly.
func until(r *rand.Rand, gen func(*rand.Rand) string, ok func(string) bool) string {
	for {
		if s := gen(r); ok(s) {
			return s
		}
	}
}

func random(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// entropy is the Shannon entropy of s in bits per byte, as gitleaks
// computes it for a rule's entropy threshold.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	var h float64
	n := float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// StdinSample returns a two-line input for latency measurements: a GitHub
// token assignment generated from seed (valid checksum) and a plain line.
func StdinSample(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0x737464696e)) // "stdin"
	return []byte(`github_pat = "` + githubPAT(r) + "\"\nnothing to see here\n")
}

package validate

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func check(t *testing.T, f Func, in string, want Verdict) {
	t.Helper()
	if got := f([]byte(in)); got != want {
		t.Errorf("%q: got %v, want %v", in, got, want)
	}
}

func TestGitHubTokenPublishedExample(t *testing.T) {
	// The example token from the base62-token write-up of GitHub's format.
	tok := "ghp_" + "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ" + "0mLq17"
	check(t, GitHubToken, tok, Valid)
	check(t, GitHubToken, corrupt(tok, 39), Invalid)
}

func TestGitHubToken(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"} {
		for i := 0; i < 50; i++ {
			tok := fakeGitHub(r, p)
			check(t, GitHubToken, tok, Valid)
			check(t, GitHubToken, `"`+tok+`"`, Valid)
			check(t, GitHubToken, corrupt(tok, 4+r.IntN(36)), Invalid)
		}
	}
	tests := []struct {
		name string
		in   string
		want Verdict
	}{
		{"all x", "ghp_" + strings.Repeat("x", 36), Invalid},
		{"too short", "ghp_" + strings.Repeat("a", 35), Unknown},
		{"non base62", "ghp_" + strings.Repeat("a", 35) + "-", Unknown},
		{"other prefix", "ghx_" + strings.Repeat("a", 36), Unknown},
		{"fine-grained", "github_pat_" + strings.Repeat("a", 82), Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, GitHubToken, tt.in, tt.want) })
	}
}

func TestNPMToken(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50; i++ {
		tok := fakeGitHub(r, "npm_")
		check(t, NPMToken, tok, Valid)
		check(t, NPMToken, corrupt(tok, 4+r.IntN(36)), Invalid)
		check(t, GitHubToken, tok, Unknown)
	}
	check(t, NPMToken, "npm_"+strings.Repeat("0", 36), Invalid)
}

func fakeGrafana(r *rand.Rand) string {
	key := "glsa_" + randAlnum(r, 32)
	c := crc32.ChecksumIEEE([]byte(key))
	return fmt.Sprintf("%s_%02x%02x%02x%02x", key, byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
}

func TestGrafanaServiceAccount(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 50; i++ {
		tok := fakeGrafana(r)
		check(t, GrafanaServiceAccount, tok, Valid)
		check(t, GrafanaServiceAccount, corrupt(tok, 5+r.IntN(32)), Invalid)
	}
	check(t, GrafanaServiceAccount, "glsa_"+strings.Repeat("a", 32)+"_zzzzzzzz", Unknown)
}

// fakeGitLab builds a routable token following GitLab's generator:
// versioned selects the post-April-2025 layout with ".01".
func fakeGitLab(r *rand.Rand, prefix string, versioned bool) string {
	random := make([]byte, 16)
	for i := range random {
		random[i] = byte(r.IntN(256))
	}
	payload := "o:" + strconv.FormatInt(int64(r.IntN(1e6)), 36) + "\nu:" + strconv.FormatInt(int64(r.IntN(1e6)), 36)
	enc := base64.RawURLEncoding.EncodeToString(append(append(random, payload...), byte(len(payload))))
	l := strconv.FormatInt(int64(len(enc)), 36)
	if len(l) < 2 {
		l = "0" + l
	}
	s := prefix + enc + "."
	if versioned {
		s += "01."
	}
	s += l
	c := strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(s))), 36)
	return s + strings.Repeat("0", 7-len(c)) + c
}

func TestGitLabRoutable(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, prefix := range []string{"glpat-", "glrt-t1_"} {
		for _, versioned := range []bool{true, false} {
			for i := 0; i < 30; i++ {
				tok := fakeGitLab(r, prefix, versioned)
				check(t, GitLabRoutable, tok, Valid)
				check(t, GitLabRoutable, corrupt(tok, len(prefix)+r.IntN(20)), Invalid)
			}
		}
	}
	check(t, GitLabRoutable, "glpat-"+strings.Repeat("a", 20), Unknown)
	check(t, GitLabRoutable, "glpat-"+strings.Repeat("a", 40)+".01.141234567", Invalid)
}

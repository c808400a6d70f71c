package quality

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakguard/leakguard/detectors/validate"
	"golang.org/x/crypto/ssh"
)

func smallCorpus(t *testing.T) *Corpus {
	t.Helper()
	return Generate(Options{Seed: 7, FilesPerContext: 3})
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := smallCorpus(t), smallCorpus(t)
	if diff := cmp.Diff(a.Labels, b.Labels); diff != "" {
		t.Fatalf("labels differ between runs (-first +second):\n%s", diff)
	}
	for i := range a.Files {
		if !bytes.Equal(a.Files[i].Data, b.Files[i].Data) {
			t.Fatalf("file %s differs between runs", a.Files[i].Path)
		}
	}
	c := Generate(Options{Seed: 8, FilesPerContext: 3})
	if cmp.Equal(a.Labels, c.Labels) {
		t.Error("seeds 7 and 8 gave the same labels")
	}
}

// TestLabelsPointAtText checks every label against its file: the secret
// starts on the labelled line and spans the labelled lines.
func TestLabelsPointAtText(t *testing.T) {
	c := smallCorpus(t)
	files := map[string]string{}
	for _, f := range c.Files {
		files[f.Path] = string(f.Data)
	}
	seenCtx := map[string]bool{}
	for _, l := range c.Labels {
		seenCtx[l.Context] = true
		data, ok := files[l.File]
		if !ok {
			t.Fatalf("label for missing file %s", l.File)
		}
		lines := strings.SplitAfter(data, "\n")
		if l.Line < 1 || l.EndLine > len(lines) || l.EndLine < l.Line {
			t.Fatalf("%s:%d-%d: lines out of range (file has %d)", l.File, l.Line, l.EndLine, len(lines))
		}
		span := strings.Join(lines[l.Line-1:l.EndLine], "")
		if !strings.Contains(span, l.Secret) {
			t.Errorf("%s:%d: secret %.20q... not on lines %d-%d", l.File, l.Line, l.Secret, l.Line, l.EndLine)
		}
		if strings.Count(l.Secret, "\n") != l.EndLine-l.Line {
			t.Errorf("%s:%d: EndLine %d does not match the secret's %d newlines", l.File, l.Line, l.EndLine, strings.Count(l.Secret, "\n"))
		}
	}
	for _, name := range Contexts() {
		if !seenCtx[name] {
			t.Errorf("context %s has no labels", name)
		}
	}
}

// TestSecretsHaveValidStructure checks fake secrets against leakguard's
// validators: checksummed formats carry valid checksums, keys parse.
func TestSecretsHaveValidStructure(t *testing.T) {
	g := newGen(3)
	byType := map[string]string{
		"github-pat": "github-token", "github-oauth": "github-token", "npm-token": "npm-token",
		"gitlab-routable-pat": "gitlab-routable", "grafana-sa-token": "grafana-service-account",
		"age-secret-key": "age-secret-key", "pypi-token": "pypi-macaroon", "jwt": "jwt",
		"private-key": "private-key", "basic-auth-header": "basic-auth",
	}
	seen := map[string]int{}
	for i := 0; i < 600; i++ {
		it := g.positive()
		name, ok := byType[it.typ]
		if !ok {
			continue
		}
		seen[it.typ]++
		f, _ := validate.Lookup(name)
		if v := f([]byte(it.value)); v != validate.Valid {
			t.Errorf("%s %.16q...: validator %s says %v", it.typ, it.value, name, v)
		}
		if strings.Contains(it.value, "OPENSSH") {
			if _, err := ssh.ParseRawPrivateKey([]byte(it.value)); err != nil {
				t.Errorf("OpenSSH key does not parse: %v", err)
			}
		}
	}
	for typ := range byType {
		if seen[typ] == 0 {
			t.Errorf("no %s generated in 600 draws", typ)
		}
	}
	for i := 0; i < 200; i++ {
		if it := g.negative("go"); it.typ == "github-pat-bad-checksum" {
			f, _ := validate.Lookup("github-token")
			if f([]byte(it.value)) == validate.Valid {
				t.Errorf("bad-checksum negative %q has a valid checksum", it.value)
			}
		}
	}
}

// TestDefaultCorpusCoversEveryType checks that the default corpus holds
// every secret type and every kind of hard negative, in every context.
func TestDefaultCorpusCoversEveryType(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full corpus")
	}
	c := Generate(Options{Seed: 1})
	types, negs := map[string]int{}, map[string]int{}
	for _, l := range c.Labels {
		if l.Negative {
			negs[l.Type]++
		} else {
			types[l.Type]++
		}
	}
	wantTypes := []string{
		"age-secret-key", "anthropic-api-key", "aws-access-key-id", "aws-secret-access-key",
		"basic-auth-header", "bearer-token-header", "connection-uri-password", "gcp-api-key",
		"github-fine-grained-pat", "github-oauth", "github-pat", "gitlab-pat", "gitlab-routable-pat",
		"google-oauth-client-secret", "grafana-sa-token", "huggingface-token", "jwt", "npm-token",
		"openai-api-key", "password", "private-key", "pypi-token", "sendgrid-api-key",
		"slack-bot-token", "slack-webhook-url", "stripe-secret-key", "url-userinfo-password",
	}
	for _, typ := range wantTypes {
		if types[typ] < 5 {
			t.Errorf("secret type %s: %d labels, want at least 5", typ, types[typ])
		}
	}
	if len(types) != len(wantTypes) {
		t.Errorf("got %d secret types, want %d: %v", len(types), len(wantTypes), types)
	}
	wantNegs := []string{
		"placeholder", "env-reference", "aws-example-key", "git-sha", "sri-integrity", "go-sum-hash",
		"uuid", "public-key", "certificate", "data-uri", "github-pat-bad-checksum",
		"private-key-placeholder", "sha256-hex", "uri-without-secret",
	}
	for _, typ := range wantNegs {
		if negs[typ] < 5 {
			t.Errorf("negative kind %s: %d labels, want at least 5", typ, negs[typ])
		}
	}
}

package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidRegexNotQuoted: a config whose regex holds a secret and does
// not compile used to have the secret quoted on stderr and in the audit
// log.
func TestInvalidRegexNotQuoted(t *testing.T) {
	secret := "AK" + "IA" + strings.Repeat("QX7Z", 4)
	for name, toml := range map[string]string{
		"rule regex":      "[[rules]]\nid = \"x\"\nregex = '''(" + secret + "'''\n",
		"rule path":       "[[rules]]\nid = \"x\"\npath = '''(" + secret + "'''\n",
		"allowlist regex": "[[rules]]\nid = \"x\"\nregex = '''abc'''\n[[rules.allowlists]]\nregexes = ['''(" + secret + "''']\n",
		"global paths":    "[[rules]]\nid = \"x\"\nregex = '''abc'''\n[allowlist]\npaths = ['''[" + secret + "''']\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "c.toml")
			os.WriteFile(p, []byte(toml), 0o600)
			_, err := ResolveEnv(p, "", func(string) string { return "" })
			if err == nil {
				t.Fatal("no error for an invalid regex")
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:12]) {
				t.Errorf("error quotes the secret: %v", err)
			}
			if !strings.Contains(err.Error(), "missing closing") {
				t.Errorf("error does not say what is wrong: %v", err)
			}
		})
	}
}

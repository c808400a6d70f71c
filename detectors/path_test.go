package detectors

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/rules"
)

// TestPathPrefilterAgrees: the literal prefilter never changes the answer
// of the global path allowlist, on the Go tree's paths and on paths each
// default pattern is meant to match.
func TestPathPrefilterAgrees(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"a/b.PNG", "img/x.jpeg", "fonts/f.woff2", "doc/x.PDF", "go.mod", "x/go.sum", "go.work.sum",
		"vendor/modules.txt", "vendor/github.com/x/y.go", "node_modules/a/b.js", "package-lock.json",
		"web/jquery-3.1.min.js", "web/swagger-ui.js.map", "venv/lib/python3.11/site.py",
		"lib/python3.11/os.py", "x/requests-2.31.0.dist-info/METADATA", "vendor/bundle/ruby/x.rb",
		"a.gem", "x/.git", "gradlew", "mvnw.cmd", "config/gitleaks.toml", "poetry.lock", "yarn.lock",
		"src/main.go", "README.md", "Venv/Lib/x", "a/B.Gif",
	}
	paths = append(paths, goTreePaths(20000)...)
	allowed := 0
	for _, r := range set.Allowlists {
		a := newAllowlist(r)
		if !a.HasPaths() {
			continue
		}
		a.pathOnce.Do(func() { a.pathLits, a.litPats, a.pathRes = pathLiterals(a.PathPatterns()) })
		if a.pathLits == nil {
			t.Logf("allowlist %q has a pattern without a literal: no prefilter", a.Description)
		}
		for _, p := range paths {
			want := a.PathAllowed(p)
			if got := a.pathAllowed(p); got != want {
				t.Errorf("allowlist %q, path %q: prefilter says %v, regex says %v", a.Description, p, got, want)
			}
			if want {
				allowed++
			}
		}
	}
	if allowed < 20 {
		t.Errorf("only %d paths allowed; the test paths should exercise the patterns", allowed)
	}
}

func TestTopLevelFlags(t *testing.T) {
	tests := []struct{ in, want string }{
		{`(?i)\.(?:png)$`, "(?i)"},
		{`(?:(?i)x)y`, ""},
		{`a[(?i)]b(?s)c`, "(?s)"},
		{`\(?i)`, ""},
		{`(?i:abc)`, ""},
	}
	for _, tt := range tests {
		if got := topLevelFlags(tt.in); got != tt.want {
			t.Errorf("topLevelFlags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPathFlagLeak: a (?i) at the top of one pattern makes the patterns
// after it case-insensitive in gitleaks' joined alternation; the
// prefiltered check agrees.
func TestPathFlagLeak(t *testing.T) {
	cfg := "[[allowlists]]\npaths = ['''(?i)\\.png$''', '''\\.lock$''']\n"
	set, err := rules.Parse([]byte(cfg), "t.toml")
	if err != nil {
		t.Fatal(err)
	}
	a := newAllowlist(set.Allowlists[0])
	for _, p := range []string{"x/Y.LOCK", "a.PNG", "b.lock", "c.txt"} {
		if got, want := a.pathAllowed(p), a.PathAllowed(p); got != want {
			t.Errorf("path %q: prefilter %v, regex %v", p, got, want)
		}
	}
	if !a.pathAllowed("x/Y.LOCK") {
		t.Error("the leaked (?i) should make Y.LOCK allowed, as in gitleaks")
	}
}

// TestRulePathPrefilterAgrees: the literal prefilter in front of each
// rule's path regexp never changes its answer, on the Go tree's paths and
// on paths the default path rules are written for, in any ASCII case.
func TestRulePathPrefilterAgrees(t *testing.T) {
	d := defaultDetector(t, Options{})
	paths := []string{
		".pypirc", "home/u/.PYPIRC", "x/gradle.properties", "winscp.ini", "a/WinSCP.INI", "rclone.conf",
		".kube/config", "dev.kubeconfig", "kube_config.yaml", "kubeconfig-prod", ".s3cfg",
		"etc/wpa_supplicant.conf", "x/home.nmconnection", "etc/netplan/01-net.yaml", "hostapd.conf",
		"a/b.jks", "A/B.KEYSTORE", "x.ppk", "vault.kdbx", "ntds.dit", "NTDS.DIT", "lsass.dmp",
		"config/master.key", "config/credentials/production.key", "x.keytab", "tmp/krb5cc_1000",
		"a.ccache", "a.kirbi", "certs/x.p12", "certs/x.PFX", ".git-credentials", "id_rsa",
		"src/main.go", "README.md", "pypirc", "gradle.properties.bak", "keytab", "a/.kube/config.d",
	}
	paths = append(paths, goTreePaths(20000)...)
	for _, p := range paths[:40] {
		paths = append(paths, strings.ToUpper(p), strings.ToLower(p))
	}
	rulesWithPath, filtered, matched := 0, 0, 0
	for _, c := range d.rules {
		if c.r.Path == nil {
			continue
		}
		rulesWithPath++
		for _, p := range paths {
			want := c.r.Path.MatchString(p)
			if got := c.pathMatches(p); got != want {
				t.Errorf("rule %q, path %q: prefiltered %v, regexp %v", c.r.ID, p, got, want)
			}
			if want {
				matched++
			}
		}
		if c.pathLits != nil {
			filtered++
		}
	}
	if rulesWithPath < 10 || matched < 30 {
		t.Errorf("%d path rules, %d matching paths: the test should exercise the default path rules", rulesWithPath, matched)
	}
	if filtered < rulesWithPath/2 {
		t.Errorf("only %d of %d path rules have a prefilter", filtered, rulesWithPath)
	}
}

// goTreePaths returns up to n slash-separated paths of the Go toolchain's
// src tree, relative to it: real paths for the path-prefilter tests.
func goTreePaths(n int) []string {
	root := filepath.Join(goroot(), "src")
	var paths []string
	_ = filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil || len(paths) > n {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		paths = append(paths, filepath.ToSlash(rel))
		return nil
	})
	return paths
}

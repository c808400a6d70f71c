package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/cmd/leakguard/internal/cli"
	"github.com/leakguard/leakguard/internal/fake"
)

// multitool finds SARIF Multitool's executable: $LEAKGUARD_SARIF_MULTITOOL
// (what .ci/run installs from npm's @microsoft/sarif-multitool), else
// sarif-multitool on PATH. Without it the test is skipped, unless
// $LEAKGUARD_REQUIRE_TOOLS is set (CI, once the install worked).
func multitool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LEAKGUARD_SARIF_MULTITOOL"); p != "" {
		return p
	}
	if p, err := exec.LookPath("sarif-multitool"); err == nil {
		return p
	}
	if os.Getenv("LEAKGUARD_REQUIRE_TOOLS") != "" {
		t.Fatal("SARIF Multitool not found: set LEAKGUARD_SARIF_MULTITOOL (.ci/run installs it with npm)")
	}
	t.Skip("SARIF Multitool not installed (npm install @microsoft/sarif-multitool; .ci/run does it)")
	return ""
}

// run runs leakguard in this process and returns its exit status and its
// stdout and stderr together.
func run(t *testing.T, dir, stdin string, args ...string) (int, string) {
	t.Helper()
	code, out, errOut := runEnv(t, dir, stdin, args...)
	return code, out + errOut
}

// runEnv runs leakguard in this process, its state directory under dir.
func runEnv(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cli.Env{In: strings.NewReader(stdin), Out: &out, Err: &errb, Version: "0.1.0",
		Getenv: func(k string) string {
			if k == "XDG_STATE_HOME" {
				return filepath.Join(dir, ".state")
			}
			return ""
		}}
	code := cli.Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com",
		"GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestSARIFValidates writes SARIF for every kind of scan root (an absolute
// directory, a relative one, stdin, git history with a secret in a commit
// message, a diff, a transcript, an incomplete scan, an empty one) and runs
// SARIF Multitool's validate over them: no error and no warning. Absolute
// roots used to write artifactLocation.uri "/usr/..." (SARIF1004).
func TestSARIFValidates(t *testing.T) {
	tool := multitool(t)
	dir := t.TempDir()
	key := fake.AWSKeyID(int64(31))
	tree := filepath.Join(dir, "tree")
	for name, body := range map[string]string{
		"config.ini":                   "aws_access_key_id = " + key + "\n",
		"dir with space/a,b:c%.sh":     "export AWS_ACCESS_KEY_ID=" + key + "\n",
		"unicodé/ключ.env":             "# 🔑 é\nAWS_ACCESS_KEY_ID=\"" + key + "\"\n",
		"sessions/s1.jsonl":            `{"type":"user","message":{"content":"key \"` + key + `\" here"}}` + "\n",
		"repo/app.env":                 "AWS=" + key + "\n",
		"patch.diff":                   "--- a/x.env\n+++ b/x.env\n@@ -0,0 +1 @@\n+AWS=" + key + "\n",
		"clean/readme.md":              "nothing\n",
		"repo/.keep":                   "",
		"unreadable/locked/secret.txt": "AWS=" + key + "\n",
	} {
		p := filepath.Join(tree, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	repo := filepath.Join(tree, "repo")
	gitIn(t, repo, "init", "-q")
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-q", "-m", "add config\n\ntoken "+key)

	out := filepath.Join(dir, "sarif")
	os.MkdirAll(out, 0o755)
	f := func(name string) string { return filepath.Join(out, name+".sarif") }
	cases := []struct {
		name  string
		wd    string
		stdin string
		args  []string
		code  int
	}{
		{"absolute", dir, "", []string{"scan", tree}, 1},
		{"relative", tree, "", []string{"scan", "."}, 1},
		{"relative-subdir", dir, "", []string{"scan", "tree/dir with space"}, 1},
		{"several-paths", tree, "", []string{"scan", "config.ini", filepath.Join(tree, "unicodé")}, 1},
		{"absolute-outside-cwd", filepath.Join(tree, "clean"), "", []string{"scan", filepath.Join(tree, "config.ini"), filepath.Join(tree, "dir with space")}, 1},
		{"stdin", dir, "id " + key + "\n", []string{"scan", "-"}, 1},
		{"git", repo, "", []string{"git", "."}, 1},
		{"git-absolute", dir, "", []string{"git", repo}, 1},
		{"diff", tree, "", []string{"diff", "patch.diff"}, 1},
		{"transcript", tree, "", []string{"transcript", "sessions/s1.jsonl"}, 1},
		{"gitleaks-dir", tree, "", []string{"dir", ".", "--report-format", "sarif", "--report-path", f("gitleaks-dir")}, 1},
		{"empty", tree, "", []string{"scan", "clean"}, 0},
		{"incomplete", tree, "", []string{"scan", "clean", "missing-dir"}, 2},
	}
	var files []string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(c.wd)
			args := append([]string{c.args[0], "--no-progress"}, c.args[1:]...)
			if c.name != "gitleaks-dir" {
				args = append(args, "-f", "sarif", "-o", f(c.name))
			}
			code, msg := run(t, dir, c.stdin, args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d:\n%s", code, c.code, msg)
			}
			b, err := os.ReadFile(f(c.name))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(key)) {
				t.Error("the SARIF holds the secret in full")
			}
			files = append(files, f(c.name))
		})
	}
	result := filepath.Join(dir, "validation.sarif")
	cmd := exec.Command(tool, append([]string{"validate", "--output", result}, files...)...)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s validate: %v\n%s", tool, err, msg)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Message struct{ Text string }
				}
			}
		}
	}
	b, err := os.ReadFile(result)
	if err != nil {
		t.Fatalf("no validation log: %v\n%s", err, msg)
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range log.Runs {
		for _, inv := range r.Invocations {
			if !inv.ExecutionSuccessful {
				t.Errorf("the validator did not run cleanly: %+v", inv.ToolExecutionNotifications)
			}
		}
		for _, res := range r.Results {
			n++
			where := ""
			if len(res.Locations) > 0 {
				where = filepath.Base(res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
			}
			// Every result of validate is an error or a warning to fix.
			t.Errorf("%s: %s %s: %s", where, res.Level, res.RuleID, res.Message.Text)
		}
	}
	t.Logf("SARIF Multitool validated %d files: %d problems", len(files), n)
}

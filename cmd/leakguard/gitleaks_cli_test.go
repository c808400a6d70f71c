package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	glreport "github.com/zricethezav/gitleaks/v8/report"

	"github.com/leakguard/leakguard/internal/fake"
)

// gitleaksFixture is a work area with a git repository (two commits, each
// adding a key; a staged key; an unstaged key), a plain directory holding a
// key, a clean directory, and files for stdin.
type gitleaksFixture struct {
	dir, repo     string
	keys          []string
	commit1       string
	commit2       string
	staged, dirty string // the keys staged and changed in the work tree
	stdinDirty    string
	customConfig  string
}

func newGitleaksFixture(t *testing.T) *gitleaksFixture {
	t.Helper()
	fx := &gitleaksFixture{dir: t.TempDir()}
	for i := 0; i < 5; i++ {
		fx.keys = append(fx.keys, fake.AWSKeyID(int64(100+i)))
	}
	write := func(rel, body string) {
		p := filepath.Join(fx.dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fx.repo = filepath.Join(fx.dir, "repo")
	write("repo/config.ini", "[default]\naws_access_key_id = "+fx.keys[0]+"\n")
	gitIn(t, fx.repo, "init", "-q", "-b", "main")
	gitIn(t, fx.repo, "add", ".")
	gitIn(t, fx.repo, "commit", "-q", "-m", "config")
	write("repo/app.env", "AWS_ACCESS_KEY_ID="+fx.keys[1]+"\n")
	gitIn(t, fx.repo, "add", ".")
	gitIn(t, fx.repo, "commit", "-q", "-m", "app")
	fx.commit1, fx.commit2 = revParse(t, fx.repo, "HEAD~1"), revParse(t, fx.repo, "HEAD")
	write("repo/staged.env", "KEY="+fx.keys[2]+"\n")
	gitIn(t, fx.repo, "add", "staged.env")
	write("repo/app.env", "AWS_ACCESS_KEY_ID="+fx.keys[1]+"\nOTHER="+fx.keys[3]+"\n") // unstaged
	fx.staged, fx.dirty = fx.keys[2], fx.keys[3]
	write("plain/deploy/config.ini", "aws_access_key_id = "+fx.keys[4]+"\n")
	write("clean/readme.md", "nothing here\n")
	fx.stdinDirty = "export AWS_ACCESS_KEY_ID=" + fx.keys[4] + "\n"
	write("custom.toml", "[extend]\nuseDefault = true\ndisabledRules = [\"aws-access-token\"]\n")
	fx.customConfig = filepath.Join(fx.dir, "custom.toml")
	return fx
}

func revParse(t *testing.T, dir, rev string) string {
	t.Helper()
	cmd := exec.Command("git", "rev-parse", rev)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// invocation is one command line from gitleaks' documentation.
type invocation struct {
	name  string
	where string // "repo", "plain", or "" for the fixture's root
	stdin string
	args  []string
	code  int
	// report is the file --report-path writes, checked as gitleaks' format
	// named by its extension; want is the findings it must hold, as
	// rule:file:line (file relative as the tool writes it).
	report string
	want   []string
	// stdout must hold these, and never the secrets when redacted.
	stdout   []string
	redacted bool
	// quiet: nothing on stdout (gitleaks writes no report there without
	// -v or --report-path -).
	quiet bool
	// leakguardOnly marks a case where leakguard differs from gitleaks on
	// purpose (documented in the README).
	leakguardOnly bool
}

func gitleaksInvocations(fx *gitleaksFixture) []invocation {
	return []invocation{
		// README, "Usage" and "Commands".
		{name: "git -v", where: "repo", args: []string{"git", "-v"}, code: 1, stdout: []string{"aws-access-token"}},
		{name: "git . ", where: "repo", args: []string{"git", "."}, code: 1},
		{name: "git -v --log-opts range", args: []string{"git", "-v", "--log-opts=--all " + fx.commit1 + ".." + fx.commit2, "repo"}, code: 1, stdout: []string{"app.env"}},
		{name: "dir -v", args: []string{"dir", "-v", "plain"}, code: 1, stdout: []string{"config.ini"}},
		{name: "dir file", args: []string{"dir", "plain/deploy/config.ini"}, code: 1, quiet: true},
		{name: "dir report file, stdout quiet", args: []string{"dir", "plain", "-r", "quiet.json"}, code: 1, quiet: true,
			report: "quiet.json", want: []string{"aws-access-token:plain/deploy/config.ini:1"}},
		{name: "files alias", args: []string{"files", "plain"}, code: 1},
		{name: "dir clean", args: []string{"dir", "clean"}, code: 0},
		{name: "-v stdin", stdin: fx.stdinDirty, args: []string{"-v", "stdin"}, code: 1, stdout: []string{"aws-access-token"}},
		{name: "stdin clean", stdin: "nothing\n", args: []string{"stdin"}, code: 0},
		{name: "git --report-path", where: "repo", args: []string{"git", "--report-path", "gitleaks-report.json"}, code: 1,
			report: "gitleaks-report.json", want: []string{"aws-access-token:app.env:1", "aws-access-token:config.ini:2"}},
		{name: "git --baseline-path --report-path", where: "repo", args: []string{"git", "--baseline-path", "gitleaks-report.json", "--report-path", "findings.json"}, code: 0,
			report: "findings.json", want: []string{}},
		{name: "git --config", where: "repo", args: []string{"git", "--config", fx.customConfig, "."}, code: 0},
		{name: "dir report template", args: []string{"dir", "plain", "--report-path", "report.json", "--report-format", "template", "--report-template", "x.tmpl"}, code: 2, leakguardOnly: true},
		// .pre-commit-hooks.yaml: entry gitleaks git --pre-commit --redact --staged --verbose
		{name: "pre-commit hook", where: "repo", args: []string{"git", "--pre-commit", "--redact", "--staged", "--verbose"}, code: 1, stdout: []string{"staged.env"}, redacted: true},
		// The deprecated commands (detect.go's translation table).
		{name: "detect --source", args: []string{"detect", "--source=repo"}, code: 1},
		{name: "protect --source", args: []string{"protect", "--source=repo", "-v"}, code: 1, stdout: []string{"app.env"}},
		{name: "protect --staged --source", args: []string{"protect", "--staged", "--source=repo", "-v"}, code: 1, stdout: []string{"staged.env"}},
		{name: "detect --no-git --source", args: []string{"detect", "--no-git", "--source=plain", "-r", "d.json"}, code: 1,
			report: "d.json", want: []string{"aws-access-token:plain/deploy/config.ini:1"}},
		{name: "detect --no-git --pipe", stdin: fx.stdinDirty, args: []string{"detect", "--no-git", "--pipe"}, code: 1},
		// Flags from the usage text.
		{name: "--redact=50", args: []string{"dir", "plain", "--redact=50", "-f", "json", "-r", "r50.json"}, code: 1,
			report: "r50.json", want: []string{"aws-access-token:plain/deploy/config.ini:1"}},
		{name: "--redact -v", args: []string{"dir", "plain", "--redact", "-v"}, code: 1, stdout: []string{"REDACTED"}, redacted: true},
		{name: "--exit-code", args: []string{"dir", "plain", "--exit-code", "3"}, code: 3},
		{name: "--enable-rule", args: []string{"dir", "plain", "--enable-rule", "generic-api-key"}, code: 0},
		{name: "--max-target-megabytes", args: []string{"dir", "plain", "--max-target-megabytes", "1"}, code: 1},
		{name: "--no-banner --log-level", args: []string{"--no-banner", "-l", "error", "dir", "plain"}, code: 1},
		{name: "--timeout", args: []string{"dir", "plain", "--timeout", "60"}, code: 1},
		{name: "--gitleaks-ignore-path", args: []string{"dir", "plain", "--gitleaks-ignore-path", "ignore"}, code: 0},
		{name: "-i folder", args: []string{"dir", "plain", "-i", "ignoredir"}, code: 0},
		{name: "csv report", args: []string{"dir", "plain", "-r", "r.csv"}, code: 1, report: "r.csv", want: []string{"aws-access-token:plain/deploy/config.ini:1"}},
		{name: "sarif report", args: []string{"dir", "plain", "-r", "r.sarif"}, code: 1, report: "r.sarif"},
		{name: "report to stdout", args: []string{"dir", "plain", "-r", "-", "-f", "json"}, code: 1, stdout: []string{`"RuleID"`}},
		{name: "version", args: []string{"version"}, code: 0},
	}
}

// TestGitleaksInvocations runs the command lines gitleaks documents (its
// README, its pre-commit manifest, the deprecated commands' translations)
// against leakguard: each must exit as gitleaks would, with a report that
// gitleaks' own report type reads, holding the same findings. With
// $LEAKGUARD_GITLEAKS_BIN (benchmarks/gitleaks-cli.sh builds gitleaks
// v8.30.1 from the module proxy) the same table runs against gitleaks too,
// so the expectations are checked against the real thing.
func TestGitleaksInvocations(t *testing.T) {
	tools := []string{"leakguard"}
	if bin := os.Getenv("LEAKGUARD_GITLEAKS_BIN"); bin != "" {
		tools = append(tools, bin)
	}
	for _, tool := range tools {
		fx := newGitleaksFixture(t)
		os.WriteFile(filepath.Join(fx.dir, "ignore"), []byte("plain/deploy/config.ini:aws-access-token:1\n"), 0o644)
		os.MkdirAll(filepath.Join(fx.dir, "ignoredir"), 0o755)
		os.WriteFile(filepath.Join(fx.dir, "ignoredir", ".gitleaksignore"), []byte("plain/deploy/config.ini:aws-access-token:1\n"), 0o644)
		for _, inv := range gitleaksInvocations(fx) {
			if tool != "leakguard" && inv.leakguardOnly {
				continue
			}
			t.Run(filepath.Base(tool)+"/"+inv.name, func(t *testing.T) {
				wd := filepath.Join(fx.dir, inv.where)
				code, stdout, stderr := runTool(t, tool, fx.dir, wd, inv.stdin, inv.args)
				if code != inv.code {
					t.Fatalf("%q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", inv.args, code, inv.code, stdout, stderr)
				}
				if inv.quiet && stdout != "" {
					t.Errorf("stdout, want nothing there:\n%s", stdout)
				}
				for _, s := range inv.stdout {
					if !strings.Contains(stdout, s) {
						t.Errorf("stdout lacks %q:\n%s", s, stdout)
					}
				}
				if inv.redacted {
					for _, k := range fx.keys {
						if strings.Contains(stdout+stderr, k) {
							t.Errorf("a secret is printed in full with --redact:\n%s%s", stdout, stderr)
						}
					}
				}
				if inv.report != "" {
					checkGitleaksReport(t, filepath.Join(wd, inv.report), inv, fx)
				}
			})
		}
	}
}

// runTool runs leakguard in this process, or the gitleaks binary, in wd.
func runTool(t *testing.T, tool, state, wd, stdin string, args []string) (int, string, string) {
	t.Helper()
	if tool == "leakguard" {
		t.Chdir(wd)
		code, out, errOut := runSplit(t, state, stdin, args...)
		return code, out, errOut
	}
	cmd := exec.Command(tool, args...)
	cmd.Dir = wd
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// checkGitleaksReport reads a report the way tools built for gitleaks do.
func checkGitleaksReport(t *testing.T, path string, inv invocation, fx *gitleaksFixture) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no report: %v", err)
	}
	var got []string
	switch filepath.Ext(path) {
	case ".json":
		var fs []glreport.Finding
		if err := json.Unmarshal(b, &fs); err != nil {
			t.Fatalf("gitleaks' report.Finding cannot read the report: %v\n%s", err, b)
		}
		for _, f := range fs {
			got = append(got, f.RuleID+":"+filepath.ToSlash(f.File)+":"+itoa(f.StartLine))
			if inv.name == "--redact=50" {
				full := fx.keys[4]
				if want := full[:len(full)/2] + "..."; f.Secret != want {
					t.Errorf("--redact=50 secret %q, want %q", f.Secret, want)
				}
			}
			if inv.where == "repo" && f.Commit == "" {
				t.Errorf("git finding without a commit: %+v", f)
			}
			if f.Fingerprint == "" {
				t.Errorf("finding without a fingerprint: %+v", f)
			}
		}
	case ".csv":
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(rows) < 1 {
			t.Fatalf("csv: %v\n%s", err, b)
		}
		head := []string{"RuleID", "Commit", "File", "SymlinkFile", "Secret", "Match", "StartLine", "EndLine", "StartColumn", "EndColumn", "Author", "Message", "Date", "Email", "Fingerprint", "Tags"}
		if len(rows[0]) < len(head) || strings.Join(rows[0][:len(head)], ",") != strings.Join(head, ",") {
			t.Errorf("csv header %q, want gitleaks' %q first", rows[0], head)
		}
		for _, r := range rows[1:] {
			got = append(got, r[0]+":"+r[2]+":"+r[6])
		}
	case ".sarif":
		var log struct {
			Version string
			Runs    []struct{ Results []json.RawMessage }
		}
		if err := json.Unmarshal(b, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
			t.Errorf("sarif: %v, version %q, %d runs\n%s", err, log.Version, len(log.Runs), b)
		}
		return
	}
	sort.Strings(got)
	want := append([]string(nil), inv.want...)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %q, want %q", got, want)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// runSplit runs leakguard in this process with stdout and stderr apart.
func runSplit(t *testing.T, state, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(t, state, stdin, args...)
}

package hooks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuditRecordLineShape(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "leakguard", "audit.jsonl")
	a := &Audit{Path: path}
	when := time.Date(2026, 11, 25, 21, 4, 5, 0, time.FixedZone("CET", 3600))
	events := []AuditEvent{
		{Time: when, Repo: "/src/app", Hook: "pre-commit", Tree: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
			Decision: DecisionBlocked, Agent: true, AgentName: "claude-code", Signal: "env:CLAUDECODE",
			SponsorName: "Ann", SponsorEmail: "ann@example.com", RuleIDs: []string{"github-pat"},
			Fingerprints: []string{"config.go:github-pat:12"}},
		{Time: when, Repo: "/src/app", Hook: "pre-push", Commit: "0123abcd", Decision: DecisionAllowed},
		{Time: when, Hook: "commit-msg", Decision: DecisionError, Error: "read config:\nbad"},
		{Time: when, Hook: "proxy", Decision: DecisionRedacted, Agent: true, AgentName: "claude-cli", Session: "s-1",
			RuleIDs: []string{"github-pat"}, Fingerprints: []string{"[REDACTED:github-pat:0a1b2c3d]"}},
	}
	for _, ev := range events {
		if err := a.Record(ev); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		`{"time":"2026-11-25T20:04:05Z","repo":"/src/app","hook":"pre-commit","tree":"4b825dc642cb6eb9a060e54bf8d69288fbee4904",` +
			`"decision":"blocked","agent":true,"agentName":"claude-code","signal":"env:CLAUDECODE","sponsorName":"Ann",` +
			`"sponsorEmail":"ann@example.com","ruleIds":["github-pat"],"fingerprints":["config.go:github-pat:12"]}`,
		`{"time":"2026-11-25T20:04:05Z","repo":"/src/app","hook":"pre-push","commit":"0123abcd","decision":"allowed","agent":false}`,
		`{"time":"2026-11-25T20:04:05Z","hook":"commit-msg","decision":"error","agent":false,"error":"read config:\nbad"}`,
		`{"time":"2026-11-25T20:04:05Z","hook":"proxy","decision":"redacted","agent":true,"agentName":"claude-cli","session":"s-1",` +
			`"ruleIds":["github-pat"],"fingerprints":["[REDACTED:github-pat:0a1b2c3d]"]}`,
	}
	got := strings.Split(strings.TrimSuffix(readFile(t, path), "\n"), "\n")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, want 0700", di.Mode().Perm())
	}
}

func TestAuditConcurrentRecordsStayWhole(t *testing.T) {
	a := &Audit{Path: filepath.Join(t.TempDir(), "audit.jsonl")}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fps := []string{fmt.Sprintf("f%d:%s", i, strings.Repeat("x", 300))}
			if err := a.Record(AuditEvent{Hook: "pre-commit", Decision: DecisionBlocked, Fingerprints: fps}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(readFile(t, a.Path), "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("got %d lines, want 50", len(lines))
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("line %q: %v", l, err)
		}
	}
}

func TestAuditDisabledAndInvalid(t *testing.T) {
	var nilAudit *Audit
	if err := nilAudit.Record(AuditEvent{Decision: DecisionAllowed}); err != nil {
		t.Errorf("nil audit: %v", err)
	}
	off := false
	if a, err := (AuditConfig{Enabled: &off}).Audit(); a != nil || err != nil {
		t.Errorf("disabled: got %v, %v", a, err)
	}
	a := &Audit{Path: filepath.Join(t.TempDir(), "a.jsonl")}
	if err := a.Record(AuditEvent{Decision: "maybe"}); err == nil {
		t.Errorf("invalid decision recorded")
	}
}

func TestAuditDefaultPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", "")
	tests := []struct {
		name string
		cfg  AuditConfig
		xdg  string
		want string
	}{
		{"default", AuditConfig{}, "", filepath.Join(home, ".local", "state", "leakguard", "audit.jsonl")},
		{"xdg", AuditConfig{}, "/xdg/state", "/xdg/state/leakguard/audit.jsonl"},
		{"configured", AuditConfig{Path: "~/logs/lg.jsonl"}, "/xdg/state", filepath.Join(home, "logs", "lg.jsonl")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_STATE_HOME", tc.xdg)
			a, err := tc.cfg.Audit()
			if err != nil {
				t.Fatal(err)
			}
			if a.Path != tc.want {
				t.Errorf("got %q, want %q", a.Path, tc.want)
			}
		})
	}
}

// TestAuditConcurrentWritersNeverInterleave has four processes append 300
// long records each to one log at once: every line must be one whole
// record.
func TestAuditConcurrentWritersNeverInterleave(t *testing.T) {
	if p := os.Getenv("LEAKGUARD_AUDIT_WRITER"); p != "" {
		a := &Audit{Path: p}
		fps := make([]string, 200) // ~8 KB a line
		for i := range fps {
			fps[i] = fmt.Sprintf("src/some/long/path/file%03d.go:generic-api-key:%d", i, i)
		}
		for i := 0; i < 300; i++ {
			if err := a.Record(AuditEvent{Hook: "agent-hook", Decision: DecisionBlocked, Agent: true, AgentName: "claude-code",
				Session: os.Getenv("LEAKGUARD_AUDIT_ID"), Event: "PreToolUse", Fingerprints: fps}); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	var cmds []*exec.Cmd
	for i := 0; i < 4; i++ {
		c := exec.Command(os.Args[0], "-test.run=^TestAuditConcurrentWritersNeverInterleave$")
		c.Env = append(os.Environ(), "LEAKGUARD_AUDIT_WRITER="+path, fmt.Sprintf("LEAKGUARD_AUDIT_ID=w%d", i))
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, c)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 1200 {
		t.Fatalf("%d lines, want 1200", len(lines))
	}
	per := map[string]int{}
	for i, l := range lines {
		ev, err := ParseAuditLine([]byte(l))
		if err != nil || len(ev.Fingerprints) != 200 {
			t.Fatalf("line %d is not one whole record (%v): %.200s", i+1, err, l)
		}
		per[ev.Session]++
	}
	for i := 0; i < 4; i++ {
		if n := per[fmt.Sprintf("w%d", i)]; n != 300 {
			t.Errorf("writer %d: %d records, want 300", i, n)
		}
	}
}

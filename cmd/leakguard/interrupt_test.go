//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/fake"
)

// leakguardProcess starts this test binary as leakguard (see TestMain) with
// args, stdin from a pipe the test keeps open.
func leakguardProcess(t *testing.T, args ...string) (*exec.Cmd, io.WriteCloser, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "LEAKGUARD_TEST_MAIN=1", "XDG_STATE_HOME="+t.TempDir())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill() })
	return cmd, in, &stdout, &stderr
}

// TestInterruptWritesPartialReport sends SIGINT and SIGTERM to a real
// leakguard scanning a stdin that never ends: it must stop within a second,
// write the report of what it found so far, marked partial, and exit 130
// (143). It used to print "context canceled", exit 2 and write nothing.
func TestInterruptWritesPartialReport(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, 130, "SIGINT"}, {syscall.SIGTERM, 143, "SIGTERM"}} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.json")
			cmd, in, _, stderr := leakguardProcess(t, "scan", "--no-progress", "-f", "json", "-o", out, "-")
			// 3 MiB with a secret near the start, then the pipe stays open. The
			// write returns once leakguard has read all but the pipe's buffer,
			// so the first pieces have reached the detector.
			var data bytes.Buffer
			data.WriteString("aws_access_key_id = " + fake.AWSKeyID(21) + "\n")
			for data.Len() < 3<<20 {
				data.WriteString("nothing to see on this line, nothing at all, move along please\n")
			}
			if _, err := in.Write(data.Bytes()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			start := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 5 s after %s; stderr:\n%s", tc.name, stderr)
			}
			took := time.Since(start)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit: %v, want status %d; stderr:\n%s", err, tc.code, stderr)
			}
			if took > time.Second {
				t.Errorf("stopped %v after the signal, want within a second", took)
			}
			t.Logf("stopped %v after %s", took.Round(time.Millisecond), tc.name)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("no report: %v; stderr:\n%s", err, stderr)
			}
			var rep struct {
				Findings []struct{ RuleID string }
				Summary  struct {
					Partial       bool
					PartialReason string
				}
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatalf("report is not JSON: %v\n%s", err, b)
			}
			if !rep.Summary.Partial || !strings.Contains(rep.Summary.PartialReason, tc.name) {
				t.Errorf("summary %+v, want partial, interrupted by %s", rep.Summary, tc.name)
			}
			if len(rep.Findings) != 1 || rep.Findings[0].RuleID != "aws-access-token" {
				t.Errorf("findings %+v, want the key found before the signal", rep.Findings)
			}
			if !strings.Contains(stderr.String(), "PARTIAL REPORT (interrupted by "+tc.name+")") {
				t.Errorf("stderr does not say the report is partial:\n%s", stderr)
			}
			if fi, err := os.Stat(out); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
			}
		})
	}
}

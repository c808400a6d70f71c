package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/fake"
)

// clientBin is the pinned npm packages' node_modules/.bin.
func clientBin(t *testing.T, name string) string {
	t.Helper()
	d := os.Getenv("LEAKGUARD_AGENT_CLIENTS")
	if d == "" {
		t.Skip("LEAKGUARD_AGENT_CLIENTS is not set: .ci/gateway-e2e.sh installs the pinned clients from npm and runs these tests")
	}
	p := filepath.Join(d, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is not installed in %s: %v", name, d, err)
	}
	return p
}

var (
	buildOnce sync.Once
	leakguard string
	buildErr  error
)

func leakguardBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "leakguard-gateway-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		leakguard = filepath.Join(dir, "leakguard")
		out, err := exec.Command("go", "build", "-o", leakguard, "github.com/leakguard/leakguard/cmd/leakguard").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return leakguard
}

// Fake secrets, made at test time so that the repository holds none.
func fakeGitHubToken(seed int64) string { return fake.GitHubPAT(seed) }

func fakeAWS(seed int64) string { return fake.AWSKeyID(seed) }

// baseEnv is a clean environment for a child: its own HOME and state.
func baseEnv(home string) []string {
	return []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"TERM=dumb", "NO_COLOR=1", "CI=true",
	}
}

func run(ctx context.Context, dir string, env []string, name string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = strings.NewReader("")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	return o.String(), e.String(), err
}

// auditLines reads a JSONL audit log.
func auditLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Errorf("audit line is not JSON: %v", err)
			continue
		}
		out = append(out, m)
	}
	return out
}

func tail(s string) string {
	if len(s) > 3000 {
		return "..." + s[len(s)-3000:]
	}
	return s
}

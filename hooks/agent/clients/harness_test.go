package clients

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// binDir is where the pinned clients are installed (node_modules/.bin);
// .ci/agent-clients.sh sets it.
func binDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("LEAKGUARD_AGENT_CLIENTS")
	if d == "" {
		t.Skip("LEAKGUARD_AGENT_CLIENTS is not set: run .ci/agent-clients.sh, which installs the pinned agent clients from npm and runs these tests")
	}
	return d
}

var (
	buildOnce sync.Once
	leakguard string
	buildErr  error
)

// leakguardBin builds the leakguard binary once for the package.
func leakguardBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "leakguard-clients-")
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

// fakeAWS builds a fake AWS access key id at test time (the repository
// must scan clean).
func fakeAWS(seed int64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	b := []byte("AK" + "IA")
	for i := 0; i < 16; i++ {
		b = append(b, alpha[rng.Intn(len(alpha))])
	}
	return string(b)
}

// world is one run's directories: a git project and a HOME.
type world struct {
	t       *testing.T
	project string
	home    string
	bin     string // leakguard
	env     []string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	root := t.TempDir()
	w := &world{t: t, project: filepath.Join(root, "project"), home: filepath.Join(root, "home"), bin: leakguardBin(t)}
	for _, d := range []string{w.project, w.home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.env = []string{
		"HOME=" + w.home,
		"PATH=" + filepath.Dir(w.bin) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"XDG_STATE_HOME=" + filepath.Join(w.home, ".state"),
		"XDG_CONFIG_HOME=" + filepath.Join(w.home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"TERM=dumb", "NO_COLOR=1", "CI=true",
	}
	w.git("init", "-q")
	w.git("config", "user.email", "sponsor@example.com")
	w.git("config", "user.name", "Sponsor")
	w.write(".gitignore", ".claude/\n.codex/\n.gemini/\n.github/hooks/\n")
	w.git("add", ".gitignore")
	w.git("commit", "-qm", "init")
	return w
}

func (w *world) path(rel string) string {
	if rest, ok := strings.CutPrefix(rel, "~/"); ok {
		return filepath.Join(w.home, rest)
	}
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(w.project, rel)
}

func (w *world) write(rel, content string) {
	w.t.Helper()
	p := w.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) exists(rel string) bool {
	_, err := os.Stat(w.path(rel))
	return err == nil
}

func (w *world) read(rel string) string {
	b, _ := os.ReadFile(w.path(rel))
	return string(b)
}

func (w *world) run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = w.project
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (w *world) git(args ...string) {
	w.t.Helper()
	if out, err := w.run("git", args...); err != nil {
		w.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// install runs `leakguard agent-hook install AGENT` in the project.
func (w *world) install(agent string, extra ...string) {
	w.t.Helper()
	args := append([]string{"agent-hook", "install", agent}, extra...)
	if out, err := w.run(w.bin, args...); err != nil {
		w.t.Fatalf("leakguard %v: %v\n%s", args, err, out)
	}
}

// client runs an agent client with extra environment, bounded in time.
func (w *world) client(timeout time.Duration, env []string, name string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = w.project
	cmd.Env = append(append([]string(nil), w.env...), env...)
	cmd.Stdin = strings.NewReader("")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s: %w", timeout, err)
	}
	return o.String(), e.String(), err
}

// Action is what the scripted model asks the agent to do, in neutral
// terms; each client maps it to its own tool.
type Action struct {
	Shell     string            // run a shell command
	Read      string            // read a file (path relative to the project, or absolute)
	Write     [2]string         // path, content
	Edit      [3]string         // path, old, new
	MCP       string            // call this tool of the test MCP server
	MCPArgs   map[string]string // its arguments
	Text      string            // just answer
	Unchecked bool              // the client may refuse the action on its own: do not require a hook decision
}

// scenario is one end-to-end case.
type scenario struct {
	name   string
	prompt string
	setup  func(w *world)
	do     []Action
	// skip says why a case cannot run for an agent ("" runs it).
	skip func(t *testing.T, agent string) string
	// check asserts on the world and the stand-in after the run; out is
	// the client's stdout.
	check func(t checker, w *world, s *standin.Server, out string)
}

func skipIfNotLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the pinned clients are installed for linux only")
	}
}

// unseen fails when any of texts reached the model.
func unseen(t checker, s *standin.Server, what string, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if s.Saw(x) {
			t.Errorf("%s reached the model", what)
		}
	}
}

// absent fails when a denied command left its mark.
func absent(t checker, w *world, rel string) {
	t.Helper()
	if w.exists(rel) {
		t.Errorf("%s exists: a command that should have been denied ran", rel)
	}
}

// lastMessages shows the end of a model request's conversation, for
// failure logs: the last two messages (Anthropic, Chat), input items
// (Responses) or contents (Gemini).
func lastMessages(r *standin.Request) string {
	var b struct {
		Messages []json.RawMessage `json:"messages"`
		Input    []json.RawMessage `json:"input"`
		Contents []json.RawMessage `json:"contents"`
	}
	_ = json.Unmarshal(r.Body, &b)
	list := append(append(b.Messages, b.Input...), b.Contents...)
	if len(list) > 2 {
		list = list[len(list)-2:]
	}
	var out []string
	for _, m := range list {
		s := string(m)
		if len(s) > 1500 {
			s = s[:1500] + "..."
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n    ")
}

// checker is what a scenario's check needs of a *testing.T.
type checker interface {
	Helper()
	Errorf(format string, args ...any)
}

// probe is a checker that only records whether a check failed.
type probe struct{ failed bool }

func (p *probe) Helper()               {}
func (p *probe) Errorf(string, ...any) { p.failed = true }

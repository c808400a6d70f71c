package clients

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/standin"
)

var (
	mcpOnce sync.Once
	mcpBin  string
	mcpErr  error
)

func mcpServer(t *testing.T) string {
	t.Helper()
	mcpOnce.Do(func() {
		mcpBin = filepath.Join(filepath.Dir(leakguardBin(t)), "mcpserver")
		out, err := exec.Command("go", "build", "-o", mcpBin, "./testdata/mcpserver").CombinedOutput()
		if err != nil {
			mcpErr = fmt.Errorf("build mcpserver: %v\n%s", err, out)
		}
	})
	if mcpErr != nil {
		t.Fatal(mcpErr)
	}
	return mcpBin
}

// mcpSecret is what the fake MCP server's lookup("secret") returns.
var mcpSecret = fakeAWS(77)

func (w *world) mcpLog() string { return filepath.Join(w.home, "mcp-calls.log") }

func (w *world) mcpEnv() map[string]string {
	return map[string]string{"MCP_LOG": w.mcpLog(), "MCP_SECRET": mcpSecret}
}

// mcpConfig writes Claude Code's --mcp-config file.
func (w *world) mcpConfig() string {
	w.t.Helper()
	cfg := map[string]any{"mcpServers": map[string]any{"fake": map[string]any{
		"type": "stdio", "command": mcpServer(w.t), "args": []string{}, "env": w.mcpEnv(),
	}}}
	b, _ := json.Marshal(cfg)
	p := filepath.Join(w.home, "mcp.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		w.t.Fatal(err)
	}
	return p
}

func commits(w *world) int {
	out, err := w.run("git", "rev-list", "--count", "HEAD")
	if err != nil {
		return -1
	}
	var n int
	fmt.Sscan(out, &n)
	return n
}

// commonScenarios are the cases every client is run through.
func commonScenarios() []scenario {
	key := fakeAWS(1)
	fileKey := fakeAWS(2)
	ini := "[default]\naws_access_key_id = " + fileKey + "\n"
	secretFile := func(w *world) { w.write("config/app.ini", ini) }
	denied := func(rel string) func(t checker, w *world, s *standin.Server, out string) {
		return func(t checker, w *world, s *standin.Server, out string) { absent(t, w, rel) }
	}
	b64Cmd := "echo " + base64.StdEncoding.EncodeToString([]byte("aws_access_key_id="+key)) + " | base64 -d > ran.txt"
	hexCmd := "echo " + hex.EncodeToString([]byte("aws_access_key_id="+key)) + " | xxd -r -p > ran.txt"
	notRead := func(t checker, w *world, s *standin.Server, out string) {
		unseen(t, s, "the key in the file", fileKey)
	}
	return []scenario{
		{name: "prompt", prompt: "deploy with aws_access_key_id " + key,
			check: func(t checker, w *world, s *standin.Server, out string) {
				unseen(t, s, "the key in the prompt", key)
			}},
		{name: "clean command runs", prompt: "make a file", do: []Action{{Shell: "echo hello > ok.txt && echo made-it"}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				if w.read("ok.txt") != "hello\n" {
					t.Errorf("the clean command did not run")
				}
				if !s.Saw("made-it") {
					t.Errorf("the clean command's output did not reach the model")
				}
			}},
		{name: "shell plain", prompt: "do the task", do: []Action{{Shell: "echo " + key + " > ran.txt"}}, check: denied("ran.txt")},
		{name: "shell base64", prompt: "do the task", do: []Action{{Shell: b64Cmd}}, check: denied("ran.txt"), skip: pipelineMisses(b64Cmd)},
		{name: "shell hex", prompt: "do the task", do: []Action{{Shell: hexCmd}}, check: denied("ran.txt"), skip: pipelineMisses(hexCmd)},
		{name: "shell heredoc", prompt: "do the task", do: []Action{{Shell: "cat > ran.txt <<'EOF'\n[default]\naws_access_key_id = " + key + "\nEOF"}}, check: denied("ran.txt")},
		{name: "shell env assignment", prompt: "do the task", do: []Action{{Shell: "AWS_ACCESS_KEY_ID=" + key + " sh -c 'touch ran.txt'"}}, check: denied("ran.txt")},
		{name: "shell output redacted", prompt: "do the task", do: []Action{{Shell: "printf '%s%s\\n' AK" + " IA" + key[4:] + " | tr -d ' '"}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				unseen(t, s, "the key the command printed", "AKIA"+key[4:])
			}},
		{name: "cat secret file", prompt: "do the task", setup: secretFile, do: []Action{{Shell: "cat config/app.ini"}}, check: notRead},
		{name: "head secret file", prompt: "do the task", setup: secretFile, do: []Action{{Shell: "head -n 5 config/app.ini | tail -n 3"}}, check: notRead},
		{name: "grep -r secrets", prompt: "do the task", setup: secretFile, do: []Action{{Shell: "grep -r aws_access_key_id ."}}, check: notRead},
		{name: "source secret file", prompt: "do the task", setup: func(w *world) { w.write("creds.sh", "export AWS_ACCESS_KEY_ID="+fileKey+"\n") },
			do: []Action{{Shell: ". ./creds.sh && echo $AWS_ACCESS_KEY_ID"}}, check: notRead},
		{name: "cp secret file", prompt: "do the task", setup: secretFile, do: []Action{{Shell: "cp config/app.ini copied.ini"}},
			check: func(t checker, w *world, s *standin.Server, out string) { absent(t, w, "copied.ini") }},
		{name: "read .env", prompt: "do the task", setup: func(w *world) { w.write(".env", "AWS_ACCESS_KEY_ID="+fakeAWS(3)+"\n") }, do: []Action{{Read: ".env"}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				unseen(t, s, "the key in .env", fakeAWS(3))
			}},
		{name: "read secret file", prompt: "do the task", setup: secretFile, do: []Action{{Read: "config/app.ini"}}, check: notRead},
		{name: "read aws credentials", prompt: "do the task", setup: func(w *world) { w.write(filepath.Join(w.home, ".aws", "credentials"), ini) },
			do: []Action{{Read: "~/.aws/credentials"}}, check: notRead},
		{name: "write key", prompt: "do the task", do: []Action{{Write: [2]string{"settings.py", "AWS_KEY = '" + key + "'\n"}}}, check: denied("settings.py")},
		{name: "edit adds key", prompt: "do the task", setup: func(w *world) { w.write("settings.py", "AWS_KEY = ''\n") },
			do: []Action{{Edit: [3]string{"settings.py", "AWS_KEY = ''", "AWS_KEY = '" + key + "'"}}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				if strings.Contains(w.read("settings.py"), key) {
					t.Errorf("the edit that adds a key was applied")
				}
			}},
		{name: "mcp arguments", prompt: "do the task", do: []Action{{MCP: "lookup", MCPArgs: map[string]string{"query": "aws_access_key_id=" + key}}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				if strings.Contains(w.read(w.mcpLog()), key) {
					t.Errorf("the MCP server received the key")
				}
			}},
		{name: "mcp result", prompt: "do the task", do: []Action{{MCP: "lookup", MCPArgs: map[string]string{"query": "secret"}}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				if !strings.Contains(w.read(w.mcpLog()), "secret") {
					t.Errorf("the MCP tool was never called")
				}
				unseen(t, s, "the key in the MCP result", mcpSecret)
			}},
		{name: "git commit --no-verify", prompt: "do the task", setup: func(w *world) { w.write("a.txt", "x\n") },
			do: []Action{{Shell: "git add a.txt && git commit --no-verify -qm skip"}},
			check: func(t checker, w *world, s *standin.Server, out string) {
				if n := commits(w); n != 1 {
					t.Errorf("got %d commits, want 1: the --no-verify commit ran", n)
				}
			}},
	}
}

// pipelineMisses skips a case whose secret the scanning pipeline itself
// does not find yet (an encoding it does not decode): the agent hook
// scans through the pipeline, so it cannot do better, and the case starts
// to count the day the pipeline finds it.
func pipelineMisses(text string) func(t *testing.T, agent string) string {
	return func(t *testing.T, agent string) string {
		cmd := exec.Command(leakguardBin(t), "scan", "--no-progress", "-")
		cmd.Stdin = strings.NewReader(text)
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 {
			return ""
		}
		return "leakguard scan does not find this encoded secret yet (decoding in the pipeline, issue 9): nothing for the agent hook to act on"
	}
}

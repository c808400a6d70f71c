package transcript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAgentLogFixtures scans the real-shaped session logs in
// testdata/transcripts (Claude Code, Codex, Gemini CLI, an OpenAI messages
// export), with fake secrets filled in at test time: a private key escaped
// once, and twice inside a JSON string, and AWS keys in tool arguments and
// results.
func TestAgentLogFixtures(t *testing.T) {
	key, aws := fakePEM(t), fakeAWS(7)
	esc := mustJSON(t, key)
	esc = esc[1 : len(esc)-1]
	esc2 := mustJSON(t, esc)
	esc2 = esc2[1 : len(esc2)-1]
	fill := strings.NewReplacer("{{AWS}}", aws, "{{PEM_ESC}}", esc, "{{PEM_ESC2}}", esc2)
	tests := []struct {
		file string
		want []hit
	}{
		{"claude-code.jsonl", []hit{
			{3, "private-key", "/message/content/1/input/content", "assistant", "Write", "5f0c-claude"},
			{4, "private-key", "/toolUseResult/content", "user", "Write", "5f0c-claude"},
			{6, "aws-access-token", "/message/content/0/content/0/text", "tool", "Bash", "5f0c-claude"},
		}},
		{"codex.jsonl", []hit{
			{3, "aws-access-token", "/payload/arguments#/command/2", "assistant", "shell", "0199a-codex"},
			{4, "private-key", "/payload/output#/output", "tool", "shell", "0199a-codex"},
		}},
		{"gemini-cli.json", []hit{
			{11, "aws-access-token", "/messages/1/toolCalls/0/result/0/functionResponse/response/output", "gemini", "read_file", "gem-42"},
		}},
		{"openai-messages.json", []hit{
			{8, "aws-access-token", "/messages/2/tool_calls/0/function/arguments#/token", "assistant", "login", ""},
			{10, "aws-access-token", "/messages/3/content#/session", "tool", "login", ""},
		}},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tmpl, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "transcripts", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(fill.Replace(string(tmpl))), 0o600); err != nil {
				t.Fatal(err)
			}
			got, notes := scanTranscript(t, &Source{Paths: []string{path}})
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
			if len(notes) != 0 {
				t.Errorf("notes: %q", notes)
			}
		})
	}
}

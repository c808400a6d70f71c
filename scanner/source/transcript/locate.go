package transcript

import (
	"os"
	"path/filepath"
	"sort"
)

// AgentLogDir is a directory where an installed agent keeps session logs.
type AgentLogDir struct {
	Agent string
	Dir   string
}

// AgentLogDirs returns the session-log directories of the agents installed
// under home that exist, in a fixed order:
//
//   - Claude Code: $CLAUDE_CONFIG_DIR or ~/.claude, projects/<project>/<session>.jsonl
//   - Codex: $CODEX_HOME or ~/.codex, sessions/YYYY/MM/DD/rollout-*.jsonl (and archived_sessions)
//   - Cursor agent: ~/.cursor/projects/<project>/agent-transcripts/<id>/<id>.jsonl
//     (Cursor's SQLite chat stores are not read)
//   - Gemini CLI: $GEMINI_CLI_HOME or ~/.gemini, tmp/<project-hash>/chats/session-*.json(l)
//     and tmp/<project-hash>/logs.json
func AgentLogDirs(home string, getenv func(string) string) []AgentLogDir {
	env := func(k, def string) string {
		if getenv != nil {
			if v := getenv(k); v != "" {
				return v
			}
		}
		return def
	}
	claude := env("CLAUDE_CONFIG_DIR", filepath.Join(home, ".claude"))
	codex := env("CODEX_HOME", filepath.Join(home, ".codex"))
	gemini := env("GEMINI_CLI_HOME", filepath.Join(home, ".gemini"))
	if filepath.Base(gemini) != ".gemini" {
		gemini = filepath.Join(gemini, ".gemini")
	}
	var out []AgentLogDir
	add := func(agent string, dirs ...string) {
		sort.Strings(dirs)
		for _, d := range dirs {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				out = append(out, AgentLogDir{Agent: agent, Dir: d})
			}
		}
	}
	add("claude-code", filepath.Join(claude, "projects"))
	add("codex", filepath.Join(codex, "sessions"), filepath.Join(codex, "archived_sessions"))
	cursor, _ := filepath.Glob(filepath.Join(home, ".cursor", "projects", "*", "agent-transcripts"))
	add("cursor", cursor...)
	geminiTmp, _ := filepath.Glob(filepath.Join(gemini, "tmp", "*"))
	add("gemini-cli", geminiTmp...)
	return out
}

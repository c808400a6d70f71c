package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Scope says which settings file an install goes to.
type Scope string

// The scopes.
const (
	ScopeProject Scope = "project"
	ScopeUser    Scope = "user"
)

// SettingsPath returns the settings file leakguard's hooks go into:
//   - Claude Code: <project>/.claude/settings.json or ~/.claude/settings.json
//   - Codex: <project>/.codex/hooks.json or ~/.codex/hooks.json
//   - Cursor: <project>/.cursor/hooks.json or ~/.cursor/hooks.json
func SettingsPath(a Agent, scope Scope, project, home string) (string, error) {
	base := project
	switch scope {
	case ScopeProject:
	case ScopeUser:
		base = home
	default:
		return "", fmt.Errorf("agent: unknown scope %q (want project or user)", scope)
	}
	switch a {
	case ClaudeCode:
		return filepath.Join(base, ".claude", "settings.json"), nil
	case Codex:
		return filepath.Join(base, ".codex", "hooks.json"), nil
	case Cursor:
		return filepath.Join(base, ".cursor", "hooks.json"), nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownAgent, a)
}

// hookEvents are the events leakguard hooks, with their matcher ("" for
// none).
func hookEvents(a Agent) [][2]string {
	switch a {
	case ClaudeCode:
		return [][2]string{{"UserPromptSubmit", ""}, {"PreToolUse", "*"}, {"PostToolUse", "*"}}
	case Codex:
		return [][2]string{{"UserPromptSubmit", ""}, {"PreToolUse", ""}, {"PostToolUse", ""}}
	case Cursor:
		return [][2]string{{"beforeSubmitPrompt", ""}, {"beforeShellExecution", ""}, {"beforeMCPExecution", ""}, {"beforeReadFile", ""}, {"afterFileEdit", ""}}
	}
	return nil
}

// ours reports whether a hook command is leakguard's agent hook.
func ours(cmd string) bool {
	return strings.Contains(cmd, "leakguard") && strings.Contains(cmd, "agent-hook")
}

// ErrSettings means a settings file is not the JSON object expected.
var ErrSettings = errors.New("agent: settings file is not a JSON object with a hooks object")

// Install merges leakguard's hook entries (running command) into the
// settings file at path, creating it if needed. Everything else in the
// file is kept; running it again changes nothing (an entry of ours with
// another command is updated). It reports whether the file changed.
func Install(path string, a Agent, command string) (bool, error) {
	return edit(path, a, func(hooks map[string]any) {
		for _, em := range hookEvents(a) {
			hooks[em[0]] = installEvent(a, hooks[em[0]], em[1], command)
		}
	})
}

// Uninstall removes leakguard's entries from the settings file at path,
// and the groups and events they leave empty, and nothing else.
func Uninstall(path string, a Agent) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return edit(path, a, func(hooks map[string]any) {
		for ev, v := range hooks {
			list, ok := v.([]any)
			if !ok {
				continue
			}
			if out := uninstallEvent(a, list); len(out) > 0 {
				hooks[ev] = out
			} else {
				delete(hooks, ev)
			}
		}
	})
}

func installEvent(a Agent, v any, matcher, command string) []any {
	list, _ := v.([]any)
	entry := map[string]any{"command": command}
	if a != Cursor {
		entry["type"] = "command"
	}
	for _, item := range list {
		m, _ := item.(map[string]any)
		if m == nil {
			continue
		}
		if a == Cursor {
			if c, _ := m["command"].(string); ours(c) {
				m["command"] = command
				return list
			}
			continue
		}
		hs, _ := m["hooks"].([]any)
		for _, h := range hs {
			if hm, _ := h.(map[string]any); hm != nil {
				if c, _ := hm["command"].(string); ours(c) {
					hm["command"] = command
					return list
				}
			}
		}
	}
	if a == Cursor {
		return append(list, entry)
	}
	group := map[string]any{"hooks": []any{entry}}
	if matcher != "" {
		group["matcher"] = matcher
	}
	return append(list, group)
}

func uninstallEvent(a Agent, list []any) []any {
	var out []any
	for _, item := range list {
		m, _ := item.(map[string]any)
		if m == nil {
			out = append(out, item)
			continue
		}
		if a == Cursor {
			if c, _ := m["command"].(string); ours(c) {
				continue
			}
			out = append(out, item)
			continue
		}
		hs, ok := m["hooks"].([]any)
		if !ok {
			out = append(out, item)
			continue
		}
		var keep []any
		for _, h := range hs {
			if hm, _ := h.(map[string]any); hm != nil {
				if c, _ := hm["command"].(string); ours(c) {
					continue
				}
			}
			keep = append(keep, h)
		}
		if len(keep) == 0 {
			continue
		}
		m["hooks"] = keep
		out = append(out, m)
	}
	return out
}

// edit reads the settings file (an empty object if it does not exist),
// lets change edit its hooks object, and writes it back atomically if it
// changed.
func edit(path string, a Agent, change func(hooks map[string]any)) (bool, error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	root := map[string]any{}
	if len(bytes.TrimSpace(old)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(old))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return false, fmt.Errorf("%s: %w: %v", path, ErrSettings, err)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return false, fmt.Errorf("%s: %w", path, ErrSettings)
		}
		root = m
	}
	hooks, ok := root["hooks"].(map[string]any)
	if root["hooks"] != nil && !ok {
		return false, fmt.Errorf("%s: %w", path, ErrSettings)
	}
	if hooks == nil {
		hooks = map[string]any{}
	}
	before, _ := json.Marshal(hooks)
	change(hooks)
	if after, _ := json.Marshal(hooks); bytes.Equal(before, after) {
		return false, nil
	}
	if len(hooks) > 0 {
		root["hooks"] = hooks
	} else {
		delete(root, "hooks")
	}
	if a == Cursor && len(hooks) > 0 {
		if _, ok := root["version"]; !ok {
			root["version"] = 1
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := writeAtomic(path, buf.Bytes()); err != nil {
		return false, err
	}
	return true, nil
}

func writeAtomic(path string, data []byte) error {
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".leakguard-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), perm)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

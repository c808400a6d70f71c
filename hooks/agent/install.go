package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Scope says which settings file an install goes to.
type Scope string

// The scopes.
const (
	ScopeProject Scope = "project"
	ScopeUser    Scope = "user"
)

// DefaultTimeout is the hook timeout install writes, in seconds: an agent
// that waits longer than this for leakguard treats the hook as failed
// (which blocks where the agent has a fail-closed setting).
const DefaultTimeout = 10

// format is how an agent's settings hold hooks.
type format int

const (
	// nested: "hooks": {EVENT: [{"matcher": M, "hooks": [ENTRY]}]}
	// (Claude Code, Codex, Gemini CLI, Junie).
	nested format = iota
	// flat: "hooks": {EVENT: [ENTRY]} (Cursor, Windsurf, Kiro, and
	// Copilot's own file).
	flat
	// scripts: one executable file per event, named after it (Cline).
	scripts
)

type hookEvent struct{ name, matcher string }

// spec is how leakguard installs into one agent.
type spec struct {
	format        format
	project, user string // settings file (or scripts directory) relative to the project / home
	// own means the file is leakguard's alone (Copilot's hooks directory
	// takes one file per hook set): uninstall removes it.
	own    bool
	events []hookEvent
	// entry is one hook entry running command for an event.
	entry func(command string, ev hookEvent) ordered
	// group wraps entries for nested formats.
	group func(ev hookEvent, entries []any) ordered
	// top are keys the file must have (Cursor's and Copilot's "version"),
	// added with the hooks object when install creates it.
	top ordered
}

func claudeGroup(ev hookEvent, entries []any) ordered {
	var g ordered
	if ev.matcher != "" {
		g = append(g, kv{"matcher", ev.matcher})
	}
	return append(g, kv{"hooks", entries})
}

func commandEntry(timeout any, extra ...kv) func(string, hookEvent) ordered {
	return func(cmd string, _ hookEvent) ordered {
		e := ordered{{"type", "command"}, {"command", cmd}}
		if timeout != nil {
			e = append(e, kv{"timeout", timeout})
		}
		return append(e, extra...)
	}
}

var specs = map[Agent]spec{
	ClaudeCode: {format: nested, project: ".claude/settings.json", user: ".claude/settings.json",
		events: []hookEvent{{"UserPromptSubmit", ""}, {"PreToolUse", "*"}, {"PostToolUse", "*"}},
		// Claude Code (2.1.295+): "onFailure": "block" on a command entry
		// makes a hook that fails (a missing binary, a crash) or times out
		// block instead of letting the call through.
		entry: commandEntry(DefaultTimeout, kv{"onFailure", "block"}), group: claudeGroup},
	Codex: {format: nested, project: ".codex/hooks.json", user: ".codex/hooks.json",
		events: []hookEvent{{"UserPromptSubmit", ""}, {"PreToolUse", ""}, {"PostToolUse", ""}},
		entry:  commandEntry(DefaultTimeout), group: claudeGroup},
	Gemini: {format: nested, project: ".gemini/settings.json", user: ".gemini/settings.json",
		events: []hookEvent{{"BeforeAgent", ""}, {"BeforeModel", ""}, {"BeforeTool", ".*"}, {"AfterTool", ".*"}},
		entry: func(cmd string, _ hookEvent) ordered {
			return ordered{{"name", "leakguard"}, {"type", "command"}, {"command", cmd}, {"timeout", DefaultTimeout * 1000}}
		},
		group: claudeGroup},
	Junie: {format: nested, project: ".junie/config.json", user: ".junie/config.json",
		events: []hookEvent{{"UserPromptSubmit", ""}, {"PreToolUse", "*"}},
		entry:  commandEntry(DefaultTimeout), group: claudeGroup},
	Cursor: {format: flat, project: ".cursor/hooks.json", user: ".cursor/hooks.json", top: ordered{{"version", 1}},
		events: []hookEvent{{"beforeSubmitPrompt", ""}, {"beforeShellExecution", ""}, {"beforeMCPExecution", ""}, {"beforeReadFile", ""}, {"afterFileEdit", ""}},
		entry:  func(cmd string, _ hookEvent) ordered { return ordered{{"command", cmd}} }},
	Windsurf: {format: flat, project: ".windsurf/hooks.json", user: ".codeium/windsurf/hooks.json",
		events: []hookEvent{{"pre_user_prompt", ""}, {"pre_read_code", ""}, {"pre_write_code", ""}, {"pre_run_command", ""}, {"pre_mcp_tool_use", ""}},
		entry:  func(cmd string, _ hookEvent) ordered { return ordered{{"command", cmd}, {"show_output", true}} }},
	Kiro: {format: flat, project: ".kiro/agents/default.json", user: ".kiro/agents/default.json",
		events: []hookEvent{{"userPromptSubmit", ""}, {"preToolUse", "*"}, {"postToolUse", "*"}},
		entry: func(cmd string, ev hookEvent) ordered {
			e := ordered{}
			if ev.matcher != "" {
				e = append(e, kv{"matcher", ev.matcher})
			}
			return append(e, kv{"command", cmd}, kv{"timeout_ms", DefaultTimeout * 1000})
		}},
	Copilot: {format: flat, own: true, project: ".github/hooks/leakguard.json", user: ".copilot/hooks/leakguard.json", top: ordered{{"version", 1}},
		events: []hookEvent{{"userPromptSubmitted", ""}, {"preToolUse", ""}, {"postToolUse", ""}},
		entry: func(cmd string, ev hookEvent) ordered {
			return ordered{{"type", "command"}, {"bash", cmd + " --event " + ev.name}, {"timeoutSec", DefaultTimeout}}
		}},
	Cline: {format: scripts, project: ".clinerules/hooks", user: "Documents/Cline/Rules/Hooks",
		events: []hookEvent{{"UserPromptSubmit", ""}, {"PreToolUse", ""}, {"PostToolUse", ""}}},
}

// SettingsPath returns the file (for Cline, the directory) leakguard's
// hooks go into, for the project or the user.
func SettingsPath(a Agent, scope Scope, project, home string) (string, error) {
	s, ok := specs[a]
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownAgent, a)
	}
	switch scope {
	case ScopeProject:
		return filepath.Join(project, filepath.FromSlash(s.project)), nil
	case ScopeUser:
		return filepath.Join(home, filepath.FromSlash(s.user)), nil
	}
	return "", fmt.Errorf("agent: unknown scope %q (want project or user)", scope)
}

// hookSettingsSuffixes are the settings paths (relative, slash-separated;
// a trailing "*" means anything in that directory) where agents read
// hooks: writing them would switch a gate off.
func hookSettingsSuffixes() []string {
	out := []string{".claude/settings.local.json", ".codex/config.toml", ".gemini/settings.json"}
	for _, a := range Agents {
		s := specs[a]
		for _, p := range []string{s.project, s.user} {
			switch {
			case s.format == scripts || s.own || a == Kiro:
				out = append(out, filepath.ToSlash(filepath.Dir(p))+"/*")
				if s.format == scripts {
					out = append(out, p+"/*")
				}
			default:
				out = append(out, p)
			}
		}
	}
	return out
}

// ours reports whether a hook command is leakguard's agent hook: it names
// leakguard and agent-hook, or (a renamed binary) runs "agent-hook AGENT".
func ours(cmd string) bool {
	if strings.Contains(cmd, "leakguard") && strings.Contains(cmd, "agent-hook") {
		return true
	}
	f := strings.Fields(cmd)
	for i := 1; i+1 < len(f); i++ {
		if f[i] == "agent-hook" {
			if _, err := ParseAgent(f[i+1]); err == nil {
				return true
			}
		}
	}
	return false
}

// Ours reports whether a hook command is one install would recognise as
// leakguard's (and so uninstall would remove).
func Ours(cmd string) bool { return ours(cmd) }

// ErrSettings means a settings file is not the JSON object expected.
var ErrSettings = errors.New("agent: settings file is not a JSON object with a hooks object")

// Install merges leakguard's hook entries (running command, which should
// name leakguard by absolute path) into the agent's settings at path,
// creating the file if needed. Everything else in the file is kept byte for
// byte (key order, formatting); running it again changes nothing, and an
// entry of ours with another command is updated. It reports whether the
// file changed.
func Install(path string, a Agent, command string) (bool, error) {
	s, ok := specs[a]
	if !ok {
		return false, fmt.Errorf("%w %q", ErrUnknownAgent, a)
	}
	if s.format == scripts {
		return installScripts(path, s, command)
	}
	return editSettings(path, func(d *jdoc) error { return s.install(d, command) })
}

// Uninstall removes leakguard's entries from the agent's settings at path,
// and the groups, events and hooks object they leave empty, and nothing
// else; a file leakguard created and that holds nothing else is removed.
func Uninstall(path string, a Agent) (bool, error) {
	s, ok := specs[a]
	if !ok {
		return false, fmt.Errorf("%w %q", ErrUnknownAgent, a)
	}
	if s.format == scripts {
		return uninstallScripts(path, s)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	changed, err := editSettings(path, func(d *jdoc) error { return s.uninstall(d) })
	if err != nil || !changed {
		return changed, err
	}
	// Remove the file when nothing but our top keys is left.
	b, err := os.ReadFile(path)
	if err != nil {
		return changed, nil
	}
	var left map[string]json.RawMessage
	if json.Unmarshal(b, &left) == nil {
		for _, t := range s.top {
			if v, _ := json.Marshal(t.v); string(left[t.k]) == string(v) {
				delete(left, t.k)
			}
		}
		if len(left) == 0 {
			if err := os.Remove(path); err != nil {
				return changed, fmt.Errorf("remove %s: %w", path, err)
			}
		}
	}
	return changed, nil
}

func (s spec) entries(command string, ev hookEvent) []any {
	return []any{s.entry(command, ev)}
}

// item is what install puts in an event's array.
func (s spec) item(command string, ev hookEvent) ordered {
	if s.format == nested {
		return s.group(ev, s.entries(command, ev))
	}
	return s.entry(command, ev)
}

func (s spec) install(d *jdoc, command string) error {
	root := d.root
	if root.kind != '{' {
		return ErrSettings
	}
	hooks, _ := root.member("hooks")
	var add ordered
	for _, t := range s.top {
		if n, _ := root.member(t.k); n == nil {
			add = append(add, t)
		}
	}
	var all ordered
	for _, ev := range s.events {
		all = append(all, kv{ev.name, []any{s.item(command, ev)}})
	}
	switch {
	case hooks == nil && len(root.vals) == 0:
		d.replace(root, 0, append(add, kv{"hooks", all}))
		return nil
	case hooks == nil:
		for _, m := range append(add, kv{"hooks", all}) {
			d.addMember(root, 0, m.k, m.v)
		}
		d.coalesce()
		return nil
	case hooks.kind != '{':
		return ErrSettings
	}
	if len(hooks.vals) == 0 {
		d.edits = append(d.edits, jedit{hooks.start, hooks.end, d.render(all, 1, d.multiline(root))})
		d.coalesce()
		return nil
	}
	for _, ev := range s.events {
		arr, _ := hooks.member(ev.name)
		if arr == nil {
			d.addMember(hooks, 1, ev.name, []any{s.item(command, ev)})
			continue
		}
		if arr.kind != '[' {
			return fmt.Errorf("%w: hooks.%s is not an array", ErrSettings, ev.name)
		}
		if !s.update(d, arr, command, ev) {
			d.addItem(arr, 2, s.item(command, ev))
		}
	}
	d.coalesce()
	return nil
}

// update finds our entry in an event's array and brings it up to date; it
// reports whether there was one.
func (s spec) update(d *jdoc, arr *jnode, command string, ev hookEvent) bool {
	for _, it := range arr.vals {
		if it.kind != '{' {
			continue
		}
		if s.format == flat {
			if d.ours(it) {
				if !d.same(it, s.entry(command, ev)) {
					d.replace(it, 3, s.entry(command, ev))
				}
				return true
			}
			continue
		}
		hs, _ := it.member("hooks")
		if hs == nil || hs.kind != '[' {
			continue
		}
		for _, h := range hs.vals {
			if !d.ours(h) {
				continue
			}
			if len(hs.vals) == 1 {
				// Our own group: keep it as install writes it (matcher,
				// onFailure, entry).
				if !d.same(it, s.item(command, ev)) {
					d.replace(it, 3, s.item(command, ev))
				}
			} else if !d.same(h, s.entry(command, ev)) {
				d.replace(h, 5, s.entry(command, ev))
			}
			return true
		}
	}
	return false
}

func (s spec) uninstall(d *jdoc) error {
	root := d.root
	if root.kind != '{' {
		return ErrSettings
	}
	hooks, hi := root.member("hooks")
	if hooks == nil {
		return nil
	}
	if hooks.kind != '{' {
		return ErrSettings
	}
	var emptied []int
	for i, arr := range hooks.vals {
		if arr.kind != '[' {
			continue
		}
		var drop []int
		for gi, it := range arr.vals {
			if it.kind != '{' {
				continue
			}
			if s.format == flat {
				if d.ours(it) {
					drop = append(drop, gi)
				}
				continue
			}
			hs, _ := it.member("hooks")
			if hs == nil || hs.kind != '[' {
				continue
			}
			var mine []int
			for hj, h := range hs.vals {
				if d.ours(h) {
					mine = append(mine, hj)
				}
			}
			switch {
			case len(mine) == 0:
			case len(mine) == len(hs.vals):
				drop = append(drop, gi)
			default:
				d.removeMany(hs, mine)
			}
		}
		if len(drop) > 0 && len(drop) == len(arr.vals) {
			emptied = append(emptied, i)
		} else {
			d.removeMany(arr, drop)
		}
	}
	if len(emptied) > 0 && len(emptied) == len(hooks.vals) {
		// The hooks object goes, and with it the top keys install adds
		// (Cursor's "version": 1), which only matter beside hooks.
		drop := []int{hi}
		for _, t := range s.top {
			if n, i := root.member(t.k); n != nil && d.same(n, t.v) {
				drop = append(drop, i)
			}
		}
		sort.Ints(drop)
		d.removeMany(root, drop)
	} else {
		d.removeMany(hooks, emptied)
	}
	return nil
}

// ours reports whether a hook entry runs leakguard's agent hook.
func (d *jdoc) ours(n *jnode) bool {
	for _, k := range []string{"command", "bash"} {
		if c, _ := n.member(k); c != nil && ours(d.str(c)) {
			return true
		}
	}
	return false
}

// same reports whether a value in the file is v (compared as compact JSON).
func (d *jdoc) same(n *jnode, v any) bool {
	var a bytes.Buffer
	if json.Compact(&a, d.raw(n)) != nil {
		return false
	}
	var b bytes.Buffer
	_ = json.Compact(&b, []byte(d.render(v, 0, false)))
	return bytes.Equal(a.Bytes(), b.Bytes())
}

// coalesce merges insertions at one offset into one edit, in the order
// they were made.
func (d *jdoc) coalesce() {
	var out []jedit
	at := map[int]int{}
	for _, e := range d.edits {
		if e.start == e.end {
			if i, ok := at[e.start]; ok && out[i].start == out[i].end {
				out[i].text += e.text
				continue
			}
			at[e.start] = len(out)
		}
		out = append(out, e)
	}
	d.edits = out
}

// editSettings reads the settings file (an empty object if it does not
// exist), lets change edit it, and writes it back atomically if it
// changed.
func editSettings(path string, change func(d *jdoc) error) (bool, error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	d, err := newJDoc(old)
	if err != nil {
		return false, fmt.Errorf("%s: %w: %v", path, ErrSettings, err)
	}
	if err := change(d); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	out := d.bytes()
	if bytes.Equal(out, old) || len(d.edits) == 0 {
		return false, nil
	}
	if len(old) == 0 || old[len(old)-1] == '\n' {
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
	}
	if !json.Valid(out) {
		return false, fmt.Errorf("%s: internal error: the edited settings are not valid JSON; the file was left as it was", path)
	}
	if err := writeAtomic(path, out); err != nil {
		return false, err
	}
	return true, nil
}

// scriptMarker is in every Cline hook script leakguard writes.
const scriptMarker = "# installed by leakguard agent-hook install cline"

func installScripts(dir string, s spec, command string) (bool, error) {
	changed := false
	for _, ev := range s.events {
		p := filepath.Join(dir, ev.name)
		want := "#!/bin/sh\n" + scriptMarker + "\nexec " + command + "\n"
		old, err := os.ReadFile(p)
		switch {
		case err == nil && !bytes.Contains(old, []byte(scriptMarker)):
			return changed, fmt.Errorf("%s exists and is not leakguard's: add '%s' to it yourself", p, command)
		case err == nil && string(old) == want:
			continue
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return changed, fmt.Errorf("read %s: %w", p, err)
		}
		if err := writeAtomic(p, []byte(want)); err != nil {
			return changed, err
		}
		if err := os.Chmod(p, 0o755); err != nil {
			return changed, fmt.Errorf("chmod %s: %w", p, err)
		}
		changed = true
	}
	return changed, nil
}

func uninstallScripts(dir string, s spec) (bool, error) {
	changed := false
	for _, ev := range s.events {
		p := filepath.Join(dir, ev.name)
		old, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(old, []byte(scriptMarker)) {
			continue
		}
		if err := os.Remove(p); err != nil {
			return changed, fmt.Errorf("remove %s: %w", p, err)
		}
		changed = true
	}
	return changed, nil
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

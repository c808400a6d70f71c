package agent

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// toolCall is what one tool call does, whichever agent makes it: the shell
// command it runs, the files it reads and writes (absolute), and the gates
// it would switch off.
type toolCall struct {
	Name      string
	Shell     string
	Reads     []string
	Recursive []string
	Writes    []string
	Bypass    []string
}

// Tool names by what they do, across the agents (Claude Code, Codex,
// Gemini CLI, Copilot CLI, Kiro, Cline, Windsurf's actions).
var (
	shellTools = set("Bash", "bash", "shell", "local_shell", "exec_command", "shell_command", "run_shell_command",
		"execute_bash", "execute_command", "run_command", "run_commands", "run_in_terminal", "terminal", "powershell", "unified_exec")
	readTools = set("Read", "read", "read_file", "read_files", "read_many_files", "view", "fs_read", "readFile", "NotebookRead",
		"open_file", "read_code", "view_file", "str_replace_based_edit_tool")
	writeTools = set("Write", "Edit", "MultiEdit", "NotebookEdit", "write_file", "replace", "edit", "create",
		"str_replace_editor", "fs_write", "write_to_file", "replace_in_file", "write_code", "apply_patch", "edit_file",
		"str_replace_based_edit_tool")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// toolInput is the union of the argument names the agents' tools use for
// commands and paths.
type toolInput struct {
	Command      json.RawMessage `json:"command"` // a string, or Codex local_shell's argv
	Cmd          json.RawMessage `json:"cmd"`
	Commands     []string        `json:"commands"` // Cline CLI's run_commands
	CommandLine  string          `json:"command_line"`
	FilePath     string          `json:"file_path"`
	Path         string          `json:"path"`
	AbsolutePath string          `json:"absolute_path"`
	FilePathC    string          `json:"filePath"`
	TargetFile   string          `json:"target_file"`
	NotebookPath string          `json:"notebook_path"`
	Paths        []string        `json:"paths"`
	Operations   []struct {
		Path string `json:"path"`
	} `json:"operations"`
	Files []struct {
		Path string `json:"path"`
	} `json:"files"` // Cline CLI's read_files
	Input string `json:"input"` // Codex apply_patch (free-form)
	Patch string `json:"patch"`
	Dir   string `json:"dir_path"`
	Wd    string `json:"workdir"`
}

func rawString(r json.RawMessage) string {
	if len(r) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	var argv []string
	if json.Unmarshal(r, &argv) == nil {
		// ["bash","-lc","cmd"] runs cmd; any other argv is the command.
		if len(argv) == 3 && (argv[1] == "-lc" || argv[1] == "-c") {
			return argv[2]
		}
		return strings.Join(argv, " ")
	}
	return ""
}

// patchFiles finds the files an apply_patch envelope touches.
var patchFiles = regexp.MustCompile(`(?m)^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$`)

// callOf reads the tool call of an event, resolving paths against the
// event's directory.
func (g *Guard) callOf(ev *event) *toolCall {
	tc := &toolCall{Name: ev.Tool}
	var in toolInput
	_ = json.Unmarshal(ev.Input, &in)
	cwd := ev.Cwd
	if in.Wd != "" {
		cwd = g.abs(cwd, in.Wd)
	}
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	name := ev.Tool
	switch {
	case ev.Command != "" && ev.Event == "beforeShellExecution":
		tc.Shell = ev.Command
	case in.CommandLine != "":
		tc.Shell = in.CommandLine
	case shellTools[name]:
		tc.Shell = firstOf(rawString(in.Command), rawString(in.Cmd), strings.Join(in.Commands, "\n"))
	}
	if tc.Shell != "" {
		fx := analyzeShell(tc.Shell, g.opts.Home)
		for _, p := range fx.Reads {
			tc.Reads = append(tc.Reads, g.glob(cwd, p)...)
		}
		for _, p := range fx.Recursive {
			tc.Recursive = append(tc.Recursive, g.glob(cwd, p)...)
		}
		for _, p := range fx.Writes {
			tc.Writes = append(tc.Writes, g.abs(cwd, p))
		}
		tc.Bypass = fx.Bypass
	}
	paths := []string{in.FilePath, in.AbsolutePath, in.FilePathC, in.TargetFile, in.NotebookPath}
	if rawString(in.Command) == "" {
		paths = append(paths, in.Path) // str_replace_editor's path goes with a command word
	}
	paths = append(paths, in.Paths...)
	for _, op := range in.Operations {
		paths = append(paths, op.Path)
	}
	for _, f := range in.Files {
		paths = append(paths, f.Path)
	}
	if ev.FilePath != "" {
		paths = append(paths, ev.FilePath)
	}
	var named []string
	for _, p := range paths {
		if p != "" {
			named = append(named, g.abs(cwd, p))
		}
	}
	if name == "apply_patch" || strings.Contains(in.Input+in.Patch, "*** Begin Patch") {
		for _, m := range patchFiles.FindAllStringSubmatch(in.Input+in.Patch+rawString(in.Command), -1) {
			named = append(named, g.abs(cwd, strings.TrimSpace(m[1]+m[2])))
		}
	}
	isRead := readTools[name] || ev.Event == "beforeReadFile" || ev.Event == "beforeTabFileRead" || ev.Event == "pre_read_code"
	isWrite := writeTools[name] || ev.Event == "pre_write_code" || ev.Event == "afterFileEdit"
	if name == "str_replace_based_edit_tool" || name == "str_replace_editor" {
		// One tool for both: "view" reads, the other commands write.
		isRead, isWrite = rawString(in.Command) == "view", rawString(in.Command) != "view"
		if in.Path != "" {
			named = append(named, g.abs(cwd, in.Path))
		}
	}
	switch {
	case isRead:
		tc.Reads = append(tc.Reads, named...)
	case isWrite:
		tc.Writes = append(tc.Writes, named...)
	}
	return tc
}

// abs resolves p (with ~ expanded) against dir.
func (g *Guard) abs(dir, p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		p = filepath.Join(g.opts.Home, p[1:])
	}
	if !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// maxGlob bounds the files one glob in a command expands to.
const maxGlob = 256

// glob resolves p and expands it when it is a pattern.
func (g *Guard) glob(dir, p string) []string {
	p = g.abs(dir, p)
	if !strings.ContainsAny(p, "*?[") {
		return []string{p}
	}
	m, err := filepath.Glob(p)
	if err != nil || len(m) == 0 {
		return nil
	}
	if len(m) > maxGlob {
		m = m[:maxGlob]
	}
	return m
}

// Bounds of a recursive read check (grep -r, cp -r, rsync).
const (
	maxWalkFiles = 5000
	maxWalkBytes = 256 << 20
)

// readHits scans the files a call reads, and names the known secret stores
// among them even when nothing in them is recognised.
func (g *Guard) readHits(tc *toolCall) []Hit {
	var hits []Hit
	seen := map[string]bool{}
	file := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		fh := g.scanFile(p)
		if len(fh) == 0 && isSecretStore(p, g.opts.Home) {
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				fh = []Hit{{Rule: "secret-store", Secret: "(a known secret store)", Where: p}}
			}
		}
		hits = append(hits, fh...)
	}
	for _, p := range tc.Reads {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			continue
		}
		file(p)
	}
	files, size := 0, int64(0)
	for _, root := range tc.Recursive {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if n := d.Name(); p != root && (n == ".git" || n == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if files >= maxWalkFiles || size >= maxWalkBytes {
				return filepath.SkipAll
			}
			if fi, err := d.Info(); err == nil {
				size += min(fi.Size(), g.opts.MaxFileSize)
			}
			files++
			file(p)
			return nil
		})
	}
	return hits
}

// isSecretStore reports whether path is a well-known place for
// credentials: .env files (not their templates), ~/.aws/credentials, SSH
// private keys, .netrc, .docker/config.json, kubeconfigs, .git-credentials,
// .pgpass, .npmrc, .pypirc.
func isSecretStore(path, home string) bool {
	base := filepath.Base(path)
	dir := filepath.Base(filepath.Dir(path))
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env."):
		for _, t := range []string{".example", ".sample", ".template", ".dist", ".defaults"} {
			if strings.HasSuffix(base, t) {
				return false
			}
		}
		return true
	case base == ".netrc" || base == "_netrc" || base == ".git-credentials" || base == ".pgpass" || base == ".npmrc" || base == ".pypirc":
		return true
	case dir == ".aws" && (base == "credentials" || base == "config"):
		return true
	case dir == ".docker" && base == "config.json":
		return true
	case dir == ".kube" && base == "config", base == "kubeconfig" || strings.HasSuffix(base, ".kubeconfig"):
		return true
	case strings.HasPrefix(base, "id_") && !strings.HasSuffix(base, ".pub") && (dir == ".ssh" || base == "id_rsa" || base == "id_ed25519" || base == "id_ecdsa" || base == "id_dsa"):
		return true
	}
	return false
}

// protected reports whether writing path would switch a gate off: git's
// hooks directory, or a file where an agent's hooks are configured.
func (g *Guard) protected(path string) (string, bool) {
	slash := filepath.ToSlash(path)
	if strings.Contains(slash, "/.git/hooks/") || strings.HasSuffix(slash, "/.git/hooks") || strings.HasPrefix(slash, ".git/hooks") {
		return "git's hooks directory", true
	}
	for _, s := range hookSettingsSuffixes() {
		if strings.HasSuffix(slash, "/"+s) || strings.Contains(slash, "/"+strings.TrimSuffix(s, "*")) && strings.HasSuffix(s, "*") {
			return "an agent's hook settings (" + s + ")", true
		}
	}
	return "", false
}

// bypass lists how a call would switch a gate off.
func (g *Guard) bypass(tc *toolCall) []string {
	out := append([]string(nil), tc.Bypass...)
	for _, p := range tc.Writes {
		if what, ok := g.protected(p); ok {
			out = append(out, "writes "+what+": "+p)
		}
	}
	return out
}

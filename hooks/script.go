package hooks

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// ScriptVersion is the version of the hook scripts this package writes. A script
// with a lower version is rewritten by Install.
const ScriptVersion = 2

// Marker is the header line that identifies a hook script as leakguard's.
const Marker = "# leakguard-hook v"

// Suffixes of the files kept beside a hook that leakguard's hook replaced.
const (
	ChainedSuffix = ".leakguard-chained" // run first by our hook; restored on uninstall
	BackupSuffix  = ".leakguard-backup"  // replaced with Force; restored on uninstall
)

// DefaultHooks are the hooks Install writes when InstallOptions.Hooks is empty.
var DefaultHooks = []string{"pre-commit", "commit-msg", "pre-push"}

// stdinHooks are the hooks git feeds on standard input; a chained hook and
// leakguard must both see that input.
var stdinHooks = map[string]bool{
	"pre-push": true, "pre-receive": true, "post-receive": true, "post-rewrite": true,
	"reference-transaction": true, "proc-receive": true,
}

var hookNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z-]*$`) })

// scriptSpec is what a generated hook script needs to know.
type scriptSpec struct {
	Hook       string
	Binary     string // absolute path of leakguard at install time, may be empty
	RunLocal   bool   // global install: also run the repository's own .git/hooks/<hook>
	stdinShare bool
}

// shQuote quotes s for POSIX sh as one word.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// renderScript returns the POSIX sh script for one hook. The script finds the
// leakguard binary ($LEAKGUARD_BIN, then the install-time path, then PATH) and
// fails closed (exit 1) with directions when there is none. It runs the chained
// hook first, when there is one, with the same arguments and standard input, and
// stops when that hook fails. Then it runs `leakguard hook run <hook> "$@"`.
func renderScript(s scriptSpec) string {
	s.stdinShare = stdinHooks[s.Hook]
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("#!/bin/sh")
	w("%s%d", Marker, ScriptVersion)
	w("# hook: %s", s.Hook)
	w("# Written by `leakguard hook install`; `leakguard hook uninstall` removes it and")
	w("# restores the hook it replaced. Changes to this file are lost on reinstall.")
	w("")
	w("hook_name=%s", shQuote(s.Hook))
	w("install_bin=%s", shQuote(s.Binary))
	w(`hook_dir=$(dirname -- "$0")`)
	w(`chained="$hook_dir/$hook_name%s"`, ChainedSuffix)
	w("")
	w(`lg_bin=`)
	w(`if [ -n "${LEAKGUARD_BIN:-}" ]; then`)
	w(`	lg_bin=$LEAKGUARD_BIN`)
	w(`	case "$lg_bin" in */*) ;; *) lg_bin=$(command -v "$lg_bin" 2>/dev/null || echo "$lg_bin") ;; esac`)
	w(`elif [ -n "$install_bin" ] && [ -x "$install_bin" ]; then`)
	w(`	lg_bin=$install_bin`)
	w(`elif command -v leakguard >/dev/null 2>&1; then`)
	w(`	lg_bin=$(command -v leakguard)`)
	w(`fi`)
	w(`if [ -z "$lg_bin" ] || [ ! -x "$lg_bin" ]; then`)
	w(`	{`)
	w(`		echo "leakguard: the $hook_name hook cannot find the leakguard program${lg_bin:+ ($lg_bin is not executable)},"`)
	w(`		echo "leakguard: so it stops here (fail closed). To fix it, do one of:"`)
	w(`		echo "leakguard:   - install it: go install github.com/leakguard/leakguard/cmd/leakguard@latest"`)
	w(`		echo "leakguard:   - put leakguard on PATH, or set LEAKGUARD_BIN=/path/to/leakguard"`)
	uninstall := "leakguard hook uninstall"
	if s.RunLocal {
		uninstall += " --global"
	}
	w(`		echo "leakguard:   - remove these hooks: %s"`, uninstall)
	w(`	} >&2`)
	w(`	exit 1`)
	w(`fi`)
	w("")
	// run_first runs one hook that must pass before leakguard runs.
	w(`run_first() {`)
	w(`	[ -f "$1" ] && [ -x "$1" ] || return 0`)
	w(`	first=$1`)
	w(`	shift`)
	if s.stdinShare {
		w(`	"$first" "$@" <"$lg_input"`)
	} else {
		w(`	"$first" "$@"`)
	}
	w(`	st=$?`)
	w(`	if [ "$st" -ne 0 ]; then`)
	w(`		echo "leakguard: $first failed (exit $st); $hook_name stops." >&2`)
	w(`		exit "$st"`)
	w(`	fi`)
	w(`}`)
	w("")
	if s.stdinShare {
		// git writes this hook's input once; keep a copy so every hook reads all of it.
		w(`lg_input=$(mktemp "${TMPDIR:-/tmp}/leakguard-$hook_name.XXXXXX") || exit 1`)
		w(`trap 'rm -f "$lg_input"' EXIT`)
		w(`trap 'exit 1' HUP INT TERM`)
		w(`cat >"$lg_input" || exit 1`)
	}
	if s.RunLocal {
		// A global core.hooksPath hides each repository's own hooks; run them too.
		w(`if lg_common=$(git rev-parse --git-common-dir 2>/dev/null); then`)
		w(`	lg_local="$lg_common/hooks/$hook_name"`)
		w(`	if grep -q '^%s' "$lg_local" 2>/dev/null; then`, Marker)
		w(`		run_first "$lg_local%s" "$@" # a local leakguard install: run what it chained`, ChainedSuffix)
		w(`	else`)
		w(`		run_first "$lg_local" "$@"`)
		w(`	fi`)
		w(`fi`)
	}
	w(`run_first "$chained" "$@"`)
	w("")
	// A hung leakguard must not hang the commit, and any exit status but
	// 0 (pass) and 1 (blocked, with leakguard's own message) blocks with a
	// message: a crash is not a pass.
	w(`lg_timeout=${LEAKGUARD_HOOK_TIMEOUT:-%d}`, DefaultHookTimeout)
	w(`lg_run() {`)
	w(`	if [ "$lg_timeout" != 0 ] && command -v timeout >/dev/null 2>&1; then`)
	w(`		timeout -k 5 "$lg_timeout" "$lg_bin" hook run "$hook_name" "$@"`)
	w(`	else`)
	w(`		"$lg_bin" hook run "$hook_name" "$@"`)
	w(`	fi`)
	w(`}`)
	if s.stdinShare {
		w(`lg_run "$@" <"$lg_input"`)
	} else {
		w(`lg_run "$@"`)
	}
	w(`st=$?`)
	w(`case $st in`)
	w(`0 | 1) exit "$st" ;;`)
	w(`124 | 137) echo "leakguard: the $hook_name hook did not finish within ${lg_timeout}s, so it stops here (fail closed); set LEAKGUARD_HOOK_TIMEOUT (seconds, 0 for none) to change the limit." >&2 ;;`)
	w(`*) if [ "$st" -gt 128 ]; then`)
	w(`		echo "leakguard: the $hook_name hook crashed (leakguard killed by signal $((st - 128))), so it stops here (fail closed)." >&2`)
	w(`	else`)
	w(`		echo "leakguard: the $hook_name hook failed (leakguard exited with status $st), so it stops here (fail closed)." >&2`)
	w(`	fi ;;`)
	w(`esac`)
	w(`exit 1`)
	return b.String()
}

// DefaultHookTimeout is how many seconds a hook script lets leakguard run
// before it stops it and blocks ($LEAKGUARD_HOOK_TIMEOUT changes it).
const DefaultHookTimeout = 300

// scriptInfo is what a hook file's header says about it.
type scriptInfo struct {
	Ours    bool
	Version int
	Hook    string
	Binary  string
}

// parseScript reads the header of a hook file. A file is ours when one of its
// first lines is the marker line.
func parseScript(data []byte) scriptInfo {
	var info scriptInfo
	sc := bufio.NewScanner(bytes.NewReader(data))
	for i := 0; i < 12 && sc.Scan(); i++ {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, Marker); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				info.Ours, info.Version = true, n
			}
			continue
		}
		if v, ok := strings.CutPrefix(line, "# hook: "); ok {
			info.Hook = strings.TrimSpace(v)
			continue
		}
		if v, ok := strings.CutPrefix(line, "install_bin="); ok {
			info.Binary = shUnquote(v)
		}
	}
	return info
}

// shUnquote reverses shQuote.
func shUnquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return s
	}
	return strings.ReplaceAll(s[1:len(s)-1], `'\''`, "'")
}

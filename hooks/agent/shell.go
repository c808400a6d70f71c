package agent

import (
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// shellEffects is what a shell command does that the gate cares about,
// found by parsing it (pipes, redirects, lists, subshells, command
// substitutions, heredocs, wrappers such as sudo, env and xargs).
type shellEffects struct {
	// Reads are the files the command reads whose content can reach the
	// output or leave the machine (cat, grep, source, cp, curl -d @file...),
	// as written: "~/" is expanded, relative paths are relative to the
	// command's directory. Recursive names a directory read whole.
	Reads     []string
	Recursive []string
	// Writes are files the command writes, moves or removes.
	Writes []string
	// Bypass says how the command switches a gate off (git --no-verify, a
	// core.hooksPath override, leakguard hook uninstall), one entry each.
	Bypass []string
}

// shellParser parses bash; a Parser is not safe for concurrent use, so
// each analysis makes its own (it is a small struct).
func parseShell(cmd string) (*syntax.File, error) {
	return syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(cmd), "")
}

// analyzeShell finds a command's reads, writes and gate bypasses. A command
// that does not parse is read as one simple command split on blanks, so a
// syntax error never hides a read.
func analyzeShell(cmd, home string) shellEffects {
	var fx shellEffects
	f, err := parseShell(cmd)
	if err != nil {
		for _, seg := range strings.FieldsFunc(cmd, func(r rune) bool { return strings.ContainsRune(";|&\n(){}`", r) }) {
			words := strings.Fields(seg)
			for len(words) > 0 && shellKeywords[words[0]] {
				words = words[1:]
			}
			for i, w := range words {
				words[i] = strings.Trim(w, `"'`)
			}
			fx.call(words, nil, home)
		}
		return fx
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			for _, r := range n.Redirs {
				fx.redirect(r, home)
			}
		case *syntax.CallExpr:
			args := make([]string, 0, len(n.Args))
			for _, w := range n.Args {
				s, _ := literal(w, home)
				args = append(args, s)
			}
			var env []string
			for _, a := range n.Assigns {
				if a.Name != nil && a.Value != nil {
					v, _ := literal(a.Value, home)
					env = append(env, a.Name.Value+"="+v)
				}
			}
			fx.call(args, env, home)
		}
		return true
	})
	return fx
}

var shellKeywords = map[string]bool{"if": true, "then": true, "else": true, "elif": true, "do": true, "while": true, "until": true, "!": true, "time": true}

// literal returns the text of a word when it is known without running
// anything: literal parts, quotes, $HOME and a leading ~. ok is false (and
// the text has a NUL where the unknown part was) otherwise.
func literal(w *syntax.Word, home string) (string, bool) {
	var b strings.Builder
	ok := true
	var parts func(ps []syntax.WordPart)
	parts = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				parts(p.Parts)
			case *syntax.ParamExp:
				if p.Param != nil && p.Param.Value == "HOME" && home != "" && p.Exp == nil && p.Repl == nil && p.Slice == nil && !p.Length && p.Index == nil {
					b.WriteString(home)
					continue
				}
				b.WriteByte(0)
				ok = false
			default:
				b.WriteByte(0)
				ok = false
			}
		}
	}
	parts(w.Parts)
	s := b.String()
	if home != "" && len(w.Parts) > 0 {
		if l, isLit := w.Parts[0].(*syntax.Lit); isLit && (l.Value == "~" || strings.HasPrefix(l.Value, "~/")) {
			s = home + s[1:]
		}
	}
	return s, ok
}

func (fx *shellEffects) redirect(r *syntax.Redirect, home string) {
	if r.Word == nil {
		return
	}
	target, _ := literal(r.Word, home)
	switch r.Op {
	case syntax.RdrIn, syntax.RdrInOut:
		fx.addRead(target)
	case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.AppClob, syntax.RdrAll, syntax.AppAll, syntax.RdrAllClob, syntax.AppAllClob:
		fx.addWrite(target)
	}
}

func (fx *shellEffects) addRead(p string) {
	if p != "" && p != "-" && !strings.ContainsRune(p, 0) {
		fx.Reads = append(fx.Reads, p)
	}
}

func (fx *shellEffects) addWrite(p string) {
	if p != "" && p != "-" && p != "/dev/null" && !strings.ContainsRune(p, 0) {
		fx.Writes = append(fx.Writes, p)
	}
}

// wrappers run the command that follows them; the value is the options
// that take an argument.
var wrappers = map[string]string{
	"sudo": "ugUChDprtT", "doas": "uC", "env": "uSC", "command": "", "exec": "a", "nice": "n",
	"nohup": "", "time": "f", "timeout": "sk", "stdbuf": "ioe", "xargs": "aIdEnLPs", "builtin": "",
	"ionice": "cnp", "chronic": "", "unbuffer": "",
}

// operands drops options from args: "-x" and "--long" flags, and the value
// after any short option listed in withArg (or a long one in longArg).
// Everything after "--" is an operand.
func operands(args []string, withArg string, longArg ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(out, args[i+1:]...)
		case strings.HasPrefix(a, "--"):
			name, _, hasVal := strings.Cut(a[2:], "=")
			for _, l := range longArg {
				if l == name && !hasVal {
					i++
				}
			}
		case len(a) > 1 && a[0] == '-':
			// -n5 carries its value; -n 5 takes the next argument.
			for j := 1; j < len(a); j++ {
				if strings.IndexByte(withArg, a[j]) >= 0 {
					if j == len(a)-1 {
						i++
					}
					break
				}
			}
		default:
			out = append(out, a)
		}
	}
	return out
}

// optValues returns the values of an option given as -x V, -xV, --long V
// or --long=V.
func optValues(args []string, short byte, long ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			for _, l := range long {
				if name != l {
					continue
				}
				if hasVal {
					out = append(out, val)
				} else if i+1 < len(args) {
					out = append(out, args[i+1])
					i++
				}
			}
			continue
		}
		if short != 0 && len(a) >= 2 && a[0] == '-' && a[1] == short {
			if len(a) > 2 {
				out = append(out, a[2:])
			} else if i+1 < len(args) {
				out = append(out, args[i+1])
				i++
			}
		}
	}
	return out
}

func hasFlag(args []string, short byte, long ...string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if strings.HasPrefix(a, "--") {
			name, _, _ := strings.Cut(a[2:], "=")
			for _, l := range long {
				if name == l {
					return true
				}
			}
			continue
		}
		if short != 0 && len(a) > 1 && a[0] == '-' && strings.IndexByte(a[1:], short) >= 0 {
			return true
		}
	}
	return false
}

// plainReaders print (or encode) the files named as operands.
var plainReaders = map[string]string{
	"cat": "", "tac": "", "nl": "bdfhilnsvw", "less": "bhjkoOpPtTxyz", "more": "n", "most": "", "head": "nc", "tail": "ncs",
	"base64": "w", "base32": "w", "basenc": "w", "xxd": "cglos", "od": "AjNtw", "hexdump": "eFnos", "strings": "nteo",
	"sort": "kto", "uniq": "fsw", "cut": "bcdf", "fold": "w", "rev": "", "paste": "d", "diff": "", "cmp": "in",
	"bat": "lmr", "batcat": "lmr", "column": "cst", "fmt": "w", "pr": "", "expand": "t", "iconv": "ft", "md5sum": "",
	"openssl": "", "gpg": "", "zcat": "", "gunzip": "", "bzcat": "", "xzcat": "", "vim": "", "vi": "", "nano": "", "view": "",
}

// call records the effects of one simple command.
func (fx *shellEffects) call(args, env []string, home string) {
	for _, e := range env {
		name, val, _ := strings.Cut(e, "=")
		if strings.HasPrefix(name, "GIT_CONFIG") && strings.Contains(strings.ToLower(val), "hookspath") {
			fx.Bypass = append(fx.Bypass, "core.hooksPath set through "+name)
		}
	}
	for len(args) > 0 {
		name := filepath.Base(args[0])
		opts, isWrapper := wrappers[name]
		if !isWrapper {
			break
		}
		rest := args[1:]
		if name == "xargs" {
			fx.files(optValues(rest, 'a', "arg-file"), false)
		}
		// Skip the wrapper's options and, for env, its assignments.
		i := 0
		for i < len(rest) {
			a := rest[i]
			if a == "--" {
				i++
				break
			}
			if name == "env" && strings.Contains(a, "=") && !strings.HasPrefix(a, "-") {
				fx.call(nil, []string{a}, home)
				i++
				continue
			}
			if len(a) > 1 && a[0] == '-' {
				if len(a) == 2 && strings.IndexByte(opts, a[1]) >= 0 {
					i++
				}
				i++
				continue
			}
			break
		}
		if name == "timeout" && i < len(rest) {
			i++ // the duration
		}
		args = rest[i:]
	}
	if len(args) == 0 {
		return
	}
	name, rest := filepath.Base(args[0]), args[1:]
	// Options that name files whatever the command.
	fx.files(optValues(rest, 0, "env-file"), false)
	if opts, ok := plainReaders[name]; ok {
		fx.files(operands(rest, opts), false)
		return
	}
	switch name {
	case "grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep", "git-grep":
		ops := operands(rest, "ABCDdefmX", "file", "regexp", "max-count", "context", "after-context", "before-context", "type", "glob")
		explicit := len(optValues(rest, 'e', "regexp"))+len(optValues(rest, 'f', "file")) > 0
		fx.files(optValues(rest, 'f', "file"), false)
		if !explicit && len(ops) > 0 {
			ops = ops[1:]
		}
		recursive := name == "rg" || name == "ag" || name == "ack" || hasFlag(rest, 'r', "recursive") || hasFlag(rest, 'R', "dereference-recursive")
		if recursive && len(ops) == 0 {
			ops = []string{"."}
		}
		fx.files(ops, recursive)
	case "sed", "gsed":
		ops := operands(rest, "efl", "expression", "file", "line-length")
		explicit := len(optValues(rest, 'e', "expression"))+len(optValues(rest, 'f', "file")) > 0
		if !explicit && len(ops) > 0 {
			ops = ops[1:]
		}
		fx.files(ops, false)
		if hasFlag(rest, 'i', "in-place") {
			for _, p := range ops {
				fx.addWrite(p)
			}
		}
	case "awk", "gawk", "mawk", "nawk":
		ops := operands(rest, "fvF")
		if len(optValues(rest, 'f', "file")) == 0 && len(ops) > 0 {
			ops = ops[1:]
		}
		var files []string
		for _, p := range ops {
			if !strings.Contains(p, "=") {
				files = append(files, p)
			}
		}
		fx.files(files, false)
	case "source", ".":
		if len(rest) > 0 {
			fx.files(rest[:1], false)
		}
	case "cp", "scp", "rsync", "install", "ln", "mv":
		ops := operands(rest, "tSopPiFe", "target-directory", "suffix", "rsh", "exclude", "include", "filter", "chmod", "chown")
		if len(ops) < 2 {
			return
		}
		for _, p := range ops[:len(ops)-1] {
			if !remote(p) && name != "ln" {
				fx.files([]string{p}, name == "rsync" || hasFlag(rest, 'r', "recursive") || hasFlag(rest, 'R') || hasFlag(rest, 'a', "archive"))
			}
			if name == "mv" {
				fx.addWrite(p)
			}
		}
		if dst := ops[len(ops)-1]; !remote(dst) {
			fx.addWrite(dst)
		}
	case "curl":
		for _, v := range optValues(rest, 'd', "data", "data-binary", "data-urlencode", "data-ascii", "json") {
			if i := strings.IndexByte(v, '@'); i >= 0 {
				fx.files([]string{v[i+1:]}, false)
			}
		}
		for _, v := range optValues(rest, 'F', "form") {
			if _, val, ok := strings.Cut(v, "="); ok && (strings.HasPrefix(val, "@") || strings.HasPrefix(val, "<")) {
				f, _, _ := strings.Cut(val[1:], ";")
				fx.files([]string{f}, false)
			}
		}
		fx.files(optValues(rest, 'T', "upload-file"), false)
		fx.files(optValues(rest, 'K', "config"), false)
	case "wget":
		fx.files(optValues(rest, 0, "post-file", "body-file"), false)
	case "dd":
		for _, a := range rest {
			if v, ok := strings.CutPrefix(a, "if="); ok {
				fx.files([]string{v}, false)
			}
			if v, ok := strings.CutPrefix(a, "of="); ok {
				fx.addWrite(v)
			}
		}
	case "tee", "rm", "unlink", "shred", "truncate", "chmod", "chown", "touch":
		ops := operands(rest, "s", "size", "reference")
		if name == "chmod" || name == "chown" {
			if len(ops) > 0 {
				ops = ops[1:]
			}
		}
		for _, p := range ops {
			fx.addWrite(p)
		}
	case "git":
		fx.git(rest)
	case "leakguard":
		ops := operands(rest, "c", "config", "scope")
		if len(ops) >= 2 && (ops[0] == "hook" || ops[0] == "agent-hook") && ops[1] == "uninstall" {
			fx.Bypass = append(fx.Bypass, "leakguard "+ops[0]+" uninstall")
		}
	}
}

// git records git's bypasses: --no-verify, commit -n, core.hooksPath set
// by -c, --config-env or git config.
func (fx *shellEffects) git(args []string) {
	i := 0
	for i < len(args) {
		a := args[i]
		switch {
		case a == "-c" || a == "--config-env":
			if i+1 < len(args) && strings.Contains(strings.ToLower(args[i+1]), "hookspath") {
				fx.Bypass = append(fx.Bypass, "git "+a+" "+args[i+1])
			}
			i += 2
			continue
		case strings.HasPrefix(a, "--config-env=") || strings.HasPrefix(a, "-ccore."):
			if strings.Contains(strings.ToLower(a), "hookspath") {
				fx.Bypass = append(fx.Bypass, "git "+a)
			}
		case a == "-C" || a == "--git-dir" || a == "--work-tree" || a == "--namespace":
			i += 2
			continue
		case strings.HasPrefix(a, "-"):
		default:
			sub := a
			rest := args[i+1:]
			if hasFlag(rest, 0, "no-verify") {
				fx.Bypass = append(fx.Bypass, "git "+sub+" --no-verify")
			}
			if sub == "commit" || sub == "merge" || sub == "am" || sub == "rebase" || sub == "cherry-pick" || sub == "revert" {
				for _, r := range rest {
					if r == "--" {
						break
					}
					if len(r) > 1 && r[0] == '-' && r[1] != '-' && strings.IndexByte(r[1:], 'n') >= 0 && sub == "commit" {
						fx.Bypass = append(fx.Bypass, "git commit "+r+" (no-verify)")
						break
					}
				}
			}
			if sub == "config" {
				for _, r := range rest {
					if strings.EqualFold(r, "core.hooksPath") {
						fx.Bypass = append(fx.Bypass, "git config core.hooksPath")
					}
				}
			}
			return
		}
		i++
	}
}

// remote reports whether an scp/rsync operand names another host.
func remote(p string) bool {
	i := strings.IndexByte(p, ':')
	return i > 0 && !strings.Contains(p[:i], "/")
}

func (fx *shellEffects) files(ps []string, recursive bool) {
	for _, p := range ps {
		if recursive {
			if p != "" && !strings.ContainsRune(p, 0) {
				fx.Recursive = append(fx.Recursive, p)
			}
			continue
		}
		fx.addRead(p)
	}
}

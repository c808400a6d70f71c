package hooks

import (
	"regexp"
	"strings"
)

// AgentSignals is the evidence DetectAgent weighs. Every field may be empty: at
// pre-commit time there is no message yet, and pre-push has no environment of
// the commit's author.
type AgentSignals struct {
	Env           func(string) string // environment lookup (os.Getenv); nil means none
	CommitMessage string
	AuthorName    string
	AuthorEmail   string
	// Patterns are configured regular expressions matched against
	// "AuthorName <AuthorEmail>". Invalid patterns are skipped: ParsePolicyConfig
	// rejects them before they get here.
	Patterns []string
}

// Agent is DetectAgent's answer.
type Agent struct {
	IsAgent bool
	Name    string // canonical agent name ("claude-code", "cursor", "codex", ...), or what it called itself
	Signal  string // the evidence: "trailer:Co-Authored-By", "env:CLAUDECODE", "author:email", "author-pattern", ...
}

// EnvMap returns an environment lookup backed by m, for tests and for callers
// that hold an environment as a map.
func EnvMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// DetectAgent decides whether a commit is being made by an AI coding agent. The
// evidence is checked strongest first: trailers in the commit message, an agent's
// "Generated with" footer, the environment the agent set, the author's identity,
// then the configured author patterns. The first match decides Name and Signal.
func DetectAgent(in AgentSignals) Agent {
	if a, ok := agentFromMessage(in.CommitMessage); ok {
		return a
	}
	if a, ok := agentFromEnv(in.Env); ok {
		return a
	}
	if a, ok := agentFromAuthor(in.AuthorName, in.AuthorEmail); ok {
		return a
	}
	if len(in.Patterns) > 0 && (in.AuthorName != "" || in.AuthorEmail != "") {
		ident := in.AuthorName + " <" + in.AuthorEmail + ">"
		for _, p := range in.Patterns {
			re, err := regexp.Compile(p)
			if err != nil {
				continue
			}
			if re.MatchString(ident) {
				name := identify(in.AuthorName, in.AuthorEmail, true)
				if name == "" {
					name = "configured"
				}
				return Agent{IsAgent: true, Name: name, Signal: "author-pattern"}
			}
		}
	}
	return Agent{}
}

func agentFromEnv(env func(string) string) (Agent, bool) {
	if env == nil {
		return Agent{}, false
	}
	if v := strings.TrimSpace(env(aiAgentVar)); v != "" {
		return Agent{IsAgent: true, Name: normaliseSelfName(v), Signal: "env:" + aiAgentVar}, true
	}
	for _, s := range agentEnv {
		v := env(s.Var)
		if v == "" || (s.Value != "" && !strings.EqualFold(strings.TrimSpace(v), s.Value)) {
			continue
		}
		return Agent{IsAgent: true, Name: s.Agent, Signal: "env:" + s.Var}, true
	}
	return Agent{}, false
}

// normaliseSelfName turns a name an agent gave itself (AI_AGENT, a Generated-By
// trailer) into a canonical name when it is a known agent, and into a short,
// printable lowercase token otherwise.
func normaliseSelfName(v string) string {
	if n := identify(v, "", true); n != "" {
		return n
	}
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, "@ :/("); i > 0 {
		v = v[:i] // "devin@1" -> "devin", "Claude:claude-3-opus sparse" -> "Claude"
	}
	if n := identify(v, "", true); n != "" {
		return n
	}
	v = strings.ToLower(v)
	var b strings.Builder
	for _, r := range v {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		}
		if b.Len() >= 40 {
			break
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}

// agentFromAuthor recognises an agent's own commit identity: its bot account or
// noreply address, or aider's "(aider)" name suffix. A person who happens to be
// called Claude or Devin is not matched on the name alone.
func agentFromAuthor(name, email string) (Agent, bool) {
	if n := identify("", email, false); n != "" {
		return Agent{IsAgent: true, Name: n, Signal: "author:email"}, true
	}
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(name)), "(aider)") {
		return Agent{IsAgent: true, Name: "aider", Signal: "author:name"}, true
	}
	if n := botName(name); n != "" {
		return Agent{IsAgent: true, Name: n, Signal: "author:name"}, true
	}
	return Agent{}, false
}

package hooks

import (
	"regexp"
	"strings"
	"sync"
)

// trailerKind says how a trailer key identifies an agent.
type trailerKind int

const (
	// trailerNamesAgent: the value must name a known agent ("Co-authored-by:
	// Claude <noreply@anthropic.com>"; a person co-author is no signal).
	trailerNamesAgent trailerKind = iota
	// trailerIsAgent: the key alone says a tool generated the commit; the value
	// names it ("Generated-By: my-bot").
	trailerIsAgent
	// trailerFixed: the key belongs to one agent.
	trailerFixed
)

type trailerRule struct {
	Key   string // canonical spelling, used in Agent.Signal
	Kind  trailerKind
	Agent string // for trailerFixed
}

// agentTrailers, by lowercase key. Co-authored-by is what Claude Code, Codex,
// aider, Cursor and Copilot write; Made-with: Cursor is Cursor's own; Assisted-by
// is the Linux kernel's convention for AI tools ("Assisted-by: Claude:model
// tools"); Agent-Logs-Url is added by the Copilot cloud agent; Generated-By,
// X-Agent and AI-Agent are used by agent wrappers and commit-attribution tools.
var agentTrailers = map[string]trailerRule{
	"co-authored-by": {Key: "Co-Authored-By", Kind: trailerNamesAgent},
	"assisted-by":    {Key: "Assisted-By", Kind: trailerNamesAgent},
	"made-with":      {Key: "Made-With", Kind: trailerNamesAgent},
	"generated-by":   {Key: "Generated-By", Kind: trailerIsAgent},
	"x-generated-by": {Key: "X-Generated-By", Kind: trailerIsAgent},
	"generated-with": {Key: "Generated-With", Kind: trailerIsAgent},
	"x-agent":        {Key: "X-Agent", Kind: trailerIsAgent},
	"ai-agent":       {Key: "AI-Agent", Kind: trailerIsAgent},
	"x-ai-agent":     {Key: "X-AI-Agent", Kind: trailerIsAgent},
	"ai-assisted":    {Key: "AI-Assisted", Kind: trailerIsAgent},
	"agent-logs-url": {Key: "Agent-Logs-Url", Kind: trailerFixed, Agent: "copilot"},
}

var (
	trailerLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*\S)\s*$`) })
	// footerRE matches an agent's own footer line, such as Claude Code's
	// "🤖 Generated with [Claude Code](https://claude.com/claude-code)" or
	// "Generated with [Codex]": at the start of a line, after at most a few
	// symbols, so that prose about agents does not count.
	footerRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?im)^[^\p{L}\p{N}\n]{0,8}(?:generated|created|written|authored)\s+(?:with|by|using)\s+\[?` +
			`(claude code|claude|openai codex|codex|cursor agent|cursor|aider|gemini cli|gemini|github copilot|copilot|devin ai|devin|jules|windsurf|opencode|amp|openhands|goose)\b`)
	})
)

const scissors = "# ------------------------ >8 ------------------------"

// agentFromMessage looks for agent trailers in the message's last paragraph,
// then for an agent footer line, then for aider's "aider: " subject prefix.
func agentFromMessage(msg string) (Agent, bool) {
	if strings.TrimSpace(msg) == "" {
		return Agent{}, false
	}
	msg = cleanMessage(msg)
	paras := paragraphs(msg)
	if len(paras) > 1 {
		for _, line := range paras[len(paras)-1] {
			m := trailerLineRE().FindStringSubmatch(line)
			if m == nil {
				continue
			}
			rule, ok := agentTrailers[strings.ToLower(m[1])]
			if !ok {
				continue
			}
			sig := "trailer:" + rule.Key
			switch rule.Kind {
			case trailerFixed:
				return Agent{IsAgent: true, Name: rule.Agent, Signal: sig}, true
			case trailerIsAgent:
				if rule.Key == "AI-Assisted" && !truthy(m[2]) {
					continue
				}
				name := normaliseSelfName(m[2])
				if rule.Key == "AI-Assisted" {
					name = "unknown"
				}
				return Agent{IsAgent: true, Name: name, Signal: sig}, true
			case trailerNamesAgent:
				if n := identifyTrailer(m[2]); n != "" {
					return Agent{IsAgent: true, Name: n, Signal: sig}, true
				}
			}
		}
	}
	if m := footerRE().FindStringSubmatch(msg); m != nil {
		return Agent{IsAgent: true, Name: identify(m[1], "", true), Signal: "message:generated-with"}, true
	}
	if first, _, _ := strings.Cut(msg, "\n"); strings.HasPrefix(strings.ToLower(first), "aider: ") {
		return Agent{IsAgent: true, Name: "aider", Signal: "message:aider-prefix"}, true
	}
	return Agent{}, false
}

// identifyTrailer names the agent in a trailer value such as "Claude
// <noreply@anthropic.com>" or "Claude:claude-3-opus coccinelle sparse".
func identifyTrailer(v string) string {
	if n := identify(v, "", true); n != "" {
		return n
	}
	if strings.Contains(v, "<") {
		return "" // a name and address that are not an agent's: a person
	}
	if i := strings.IndexAny(v, " :/("); i > 0 {
		return identify(v[:i], "", true)
	}
	return ""
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "1", "y":
		return true
	}
	return false
}

// cleanMessage drops what git strips from a message being edited: everything
// after the scissors line, and comment lines.
func cleanMessage(msg string) string {
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	if i := strings.Index(msg, scissors); i >= 0 {
		msg = msg[:i]
	}
	var b strings.Builder
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// paragraphs splits a message into runs of non-blank lines.
func paragraphs(msg string) [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.Split(msg, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

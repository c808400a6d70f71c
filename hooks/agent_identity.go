package hooks

import (
	"regexp"
	"strings"
	"sync"
)

// agentIdentity is how an agent signs commits: the addresses in its co-author
// trailers and commits, and the names it uses there.
type agentIdentity struct {
	Name     string
	Emails   []string       // exact addresses, or "@domain" for a whole domain; lowercase
	NameExpr *regexp.Regexp // names it uses; specific enough not to match a person
}

// agentIdentities: the addresses are the ones the agents write themselves
// (Claude Code "Claude <noreply@anthropic.com>", Cursor "Cursor Agent
// <cursoragent@cursor.com>", Codex "Codex <noreply@openai.com>", aider
// "aider (model) <noreply@aider.chat>", Copilot "Copilot
// <...+Copilot@users.noreply.github.com>"), as seen in their repositories' commits
// and attribution settings.
// It is built on first use: compiling its expressions at package
// initialisation would cost every leakguard command, hooks or not.
var agentIdentities = sync.OnceValue(func() []agentIdentity {
	return []agentIdentity{
		{"claude-code", []string{"noreply@anthropic.com", "claude@anthropic.com"},
			regexp.MustCompile(`(?i)^claude(\s+(code|opus|sonnet|haiku)\b.*)?$`)},
		{"cursor", []string{"cursoragent@cursor.com", "agent@cursor.com", "sos@cursor.sh"},
			regexp.MustCompile(`(?i)^(cursor(\s+agent)?|cursor-ai|cursor-agent)$`)},
		{"copilot", []string{"copilot@github.com"},
			regexp.MustCompile(`(?i)^(github\s+)?copilot(\s+(agent|cli|coding agent))?$`)},
		{"codex", []string{"noreply@openai.com", "codex@openai.com"},
			regexp.MustCompile(`(?i)^((openai\s+)?codex(\s+cli)?|chatgpt)$`)},
		{"aider", []string{"@aider.chat"}, regexp.MustCompile(`(?i)^aider(\s*\(.*\))?$`)},
		{"gemini-cli", []string{"gemini-cli@google.com", "gemini@google.com"},
			regexp.MustCompile(`(?i)^(gemini(\s+(cli|code\s+assist))?|gemini-cli)$`)},
		{"devin", []string{"devin@cognition.ai", "devin@cognition-labs.com"}, regexp.MustCompile(`(?i)^devin\s+ai$`)},
		{"windsurf", []string{"@codeium.com", "@windsurf.com"}, regexp.MustCompile(`(?i)^(windsurf|codeium)(\s+agent)?$`)},
		{"amp", []string{"amp@ampcode.com"}, regexp.MustCompile(`(?i)^amp(\s+agent)?$`)},
		{"opencode", []string{"noreply@opencode.ai", "opencode@sst.dev"}, regexp.MustCompile(`(?i)^opencode$`)},
		{"openhands", []string{"openhands@all-hands.dev"}, regexp.MustCompile(`(?i)^openhands(\s+agent)?$`)},
		{"goose", nil, regexp.MustCompile(`(?i)^goose(\s+agent)?$`)},
		{"cline", nil, regexp.MustCompile(`(?i)^cline$`)},
		{"amazon-q", nil, regexp.MustCompile(`(?i)^amazon\s+q(\s+developer)?$`)},
		{"jules", nil, regexp.MustCompile(`(?i)^(google\s+)?jules(\s+(agent|bot))?$`)},
	}
})

// agentBots maps GitHub App slugs of coding agents to agent names. Their commits
// and trailers use "<slug>[bot]" and "<id>+<slug>[bot]@users.noreply.github.com".
// Each slug was seen as a commit author or co-author in public repositories
// (copilot-swe-agent and Copilot: the Copilot coding agent; claude: Claude's
// GitHub app; cursor: Cursor's background agent; chatgpt-codex-connector and
// openai-codex: Codex cloud; devin-ai-integration; google-labs-jules;
// gemini-code-assist; amazonq and amazon-q-developer).
var agentBots = map[string]string{
	"copilot-swe-agent":       "copilot",
	"copilot":                 "copilot",
	"claude":                  "claude-code",
	"cursor":                  "cursor",
	"chatgpt-codex-connector": "codex",
	"openai-codex":            "codex",
	"devin-ai-integration":    "devin",
	"google-labs-jules":       "jules",
	"gemini-code-assist":      "gemini-cli",
	"amazon-q-developer":      "amazon-q",
	"amazonq":                 "amazon-q",
}

var (
	botEmailRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:\d+\+)?([a-z0-9-]+)(\[bot\])?@users\.noreply\.github\.com$`)
	})
	botNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^([a-z0-9-]+)\[bot\]$`) })
)

// identify names the agent behind a name and address, or returns "". A value
// "Name <email>" in name is split. Names are only trusted when useNames is set:
// a co-author trailer naming "Claude" is the agent, an author called Claude is
// more likely a person.
func identify(name, email string, useNames bool) string {
	name = strings.TrimSpace(name)
	if email == "" {
		if i := strings.LastIndex(name, "<"); i >= 0 && strings.HasSuffix(name, ">") {
			name, email = strings.TrimSpace(name[:i]), name[i+1:len(name)-1]
		}
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if email != "" {
		if m := botEmailRE().FindStringSubmatch(email); m != nil {
			if n, ok := agentBots[m[1]]; ok && (m[2] != "" || m[1] == "copilot") {
				return n
			}
		}
		for _, id := range agentIdentities() {
			for _, e := range id.Emails {
				if email == e || (strings.HasPrefix(e, "@") && strings.HasSuffix(email, e)) {
					return id.Name
				}
			}
		}
	}
	if n := botName(name); n != "" {
		return n
	}
	if useNames && name != "" {
		for _, id := range agentIdentities() {
			if id.NameExpr.MatchString(name) {
				return id.Name
			}
		}
	}
	return ""
}

// botName recognises "<slug>[bot]" names of coding-agent GitHub Apps.
func botName(name string) string {
	if m := botNameRE().FindStringSubmatch(strings.TrimSpace(name)); m != nil {
		return agentBots[strings.ToLower(m[1])]
	}
	return ""
}

package hooks

// envSignal is one environment variable that an AI coding agent sets in the
// processes it starts (and so in git and the hooks git runs).
type envSignal struct {
	Var   string
	Value string // the value required; "" means any non-empty value
	Agent string
}

// agentEnv lists what each agent is known to set when it runs shell commands,
// strongest evidence first. Each entry says how sure we are and where it was
// confirmed (checked in November 2026 against the agents' own repositories,
// documentation and issue trackers, and against the detectors other CLIs ship).
// A variable that is also set in a person's terminal is deliberately absent:
// CURSOR_TRACE_ID (every Cursor integrated terminal), TERM_PROGRAM=vscode,
// REPL_ID (every Replit shell), GOOSE_PROVIDER (configuration, not a running agent).
var agentEnv = []envSignal{
	// Amp: AGENT=amp (Amp's manual, cited in vercel#15350); Goose: AGENT=goose
	// (block/goose#7017). Fairly sure. AGENT is a generic name, so only these
	// values count (GitButler allowlists the same way). Amp also sets CLAUDECODE,
	// so AGENT=amp is checked first (GitHub CLI orders them the same way).
	{Var: "AGENT", Value: "amp", Agent: "amp"},
	{Var: "AGENT", Value: "goose", Agent: "goose"},

	// Claude Code: CLAUDECODE=1 in every Bash tool command. Sure: asked for in
	// anthropics/claude-code#531, where a maintainer answered that v0.2.47 sets it;
	// listed in the Claude Code environment-variable reference; relied on by
	// GitHub CLI, Databricks CLI and Vercel's detect-agent.
	{Var: "CLAUDECODE", Agent: "claude-code"},
	// CLAUDE_CODE: fairly unsure. No first-party documentation; GitHub CLI and
	// Vercel check it alongside CLAUDECODE.
	{Var: "CLAUDE_CODE", Agent: "claude-code"},

	// OpenAI Codex CLI. Sure for CODEX_SANDBOX_NETWORK_DISABLED=1 and
	// CODEX_SANDBOX=seatbelt: openai/codex's own AGENTS.md says the shell tool sets
	// the first whenever its sandbox is on, and that Seatbelt children get the
	// second. Fairly sure for CODEX_THREAD_ID and CODEX_CI: GitHub CLI's detector
	// cites them in codex-rs (exec_env.rs, unified_exec) but they are undocumented.
	{Var: "CODEX_SANDBOX", Agent: "codex"},
	{Var: "CODEX_SANDBOX_NETWORK_DISABLED", Agent: "codex"},
	{Var: "CODEX_THREAD_ID", Agent: "codex"},
	{Var: "CODEX_CI", Agent: "codex"},

	// Cursor. CURSOR_AGENT=1: fairly sure; Cursor's agent/terminal docs describe it
	// for agent sessions (cited in VerifyTests/DiffEngine#671) and the cursor-agent
	// CLI sets it (Cursor forum thread cited by databricks/cli#4287).
	// CURSOR_EXTENSION_HOST_ROLE=agent-exec: fairly sure; the in-IDE agent's shells,
	// adopted by Vercel's detect-agent (vercel#15879) and GitButler after testing.
	{Var: "CURSOR_AGENT", Agent: "cursor"},
	{Var: "CURSOR_EXTENSION_HOST_ROLE", Value: "agent-exec", Agent: "cursor"},

	// Gemini CLI: GEMINI_CLI=1 in shell tool commands. Sure: documented in
	// gemini-cli docs/tools/shell.md, and shown by `env` run through the tool in
	// gitlab-org/cli MR 3293.
	{Var: "GEMINI_CLI", Agent: "gemini-cli"},

	// GitHub Copilot in VS Code agent terminals: COPILOT_AGENT=1. Sure: added by
	// microsoft/vscode#316267 (merged), kept beside AI_AGENT by #320129.
	{Var: "COPILOT_AGENT", Agent: "copilot"},
	// GitHub Copilot CLI: COPILOT_CLI. Unsure: GitHub CLI checks it but notes
	// there are no first-party docs.
	{Var: "COPILOT_CLI", Agent: "copilot"},

	// OpenCode: OPENCODE=1. Fairly sure: GitHub CLI cites the line in opencode's
	// source that sets it.
	{Var: "OPENCODE", Agent: "opencode"},
	// Amp thread id: unsure; listed in microsoft/vscode#311734's table only.
	{Var: "AMP_CURRENT_THREAD_ID", Agent: "amp"},
	// Cline (VS Code extension): CLINE_ACTIVE. Fairly sure: GitButler checked it
	// against Cline's source (gitbutler#14651); its CLI does not set it.
	{Var: "CLINE_ACTIVE", Agent: "cline"},
	// Augment and Antigravity: unsure; GitHub CLI checks them without
	// first-party docs.
	{Var: "AUGMENT_AGENT", Agent: "augment"},
	{Var: "ANTIGRAVITY_AGENT", Agent: "antigravity"},
	// Not detectable from the environment, as far as we could confirm:
	// Aider (no variable found; detected by its "(aider)" author suffix and
	// co-author trailer), Devin (only a /opt/.devin directory), Jules and the
	// Copilot cloud agent (they commit as GitHub bot accounts: detected by author).
}

// aiAgentVar is the cross-vendor self-identification variable (AI_AGENT=<name>),
// checked before agentEnv. Sure that it is set by VS Code's Copilot agent
// terminals (AI_AGENT=github_copilot_vscode_agent, microsoft/vscode#320129) and
// promoted by Vercel's detect-agent; any agent may set it.
const aiAgentVar = "AI_AGENT"

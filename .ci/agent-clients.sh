#!/usr/bin/env bash
# Agent-hook end-to-end tests with the real agent clients from npm: Claude
# Code, Codex CLI, Gemini CLI and Copilot CLI, each run headless against a
# scripted stand-in for its model API on loopback (internal/standin), with
# leakguard's hooks installed by `leakguard agent-hook install`. Installs
# the pinned versions (once, into a cache directory) and runs
# ./hooks/agent/clients. Skips, saying so, only when npm or its registry
# cannot be reached.
#
# Time (measured 2026-12-02 on the shared 2-core machine at load average
# ~20): 9 min 6 s in all, npm install 90 s (once; cached after) and the
# -short tests 455 s (Claude Code and Codex: all 20 scenarios; Gemini CLI
# and Copilot CLI, which take 15-40 s a run there: the 8 core ones; plus the
# fail-closed tests). LEAKGUARD_AGENT_E2E=full runs every scenario for
# every client (Gemini alone took 384 s at that load). The clients mostly
# wait, so the scenarios run 3 at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

CLAUDE_CODE=2.1.332
CODEX=0.171.0
GEMINI_CLI=0.61.0
COPILOT=1.0.102

if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null) || true
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "agent clients e2e: SKIPPED: npm is not installed and could not be installed"
  exit 0
fi
if ! npm ping >/dev/null 2>&1; then
  echo "agent clients e2e: SKIPPED: the npm registry cannot be reached"
  exit 0
fi
dir="${LEAKGUARD_AGENT_NPM:-${XDG_CACHE_HOME:-$HOME/.cache}/leakguard/agent-clients}"
mkdir -p "$dir"
start=$(date +%s)
(cd "$dir" && npm install --no-audit --no-fund --silent \
  "@anthropic-ai/claude-code@$CLAUDE_CODE" "@openai/codex@$CODEX" \
  "@google/gemini-cli@$GEMINI_CLI" "@github/copilot@$COPILOT")
node --version
bin="$dir/node_modules/.bin"
"$bin/claude" --version
"$bin/codex" --version
"$bin/gemini" --version
"$bin/copilot" --version | head -1
echo "agent clients e2e: npm install took $(( $(date +%s) - start ))s"
short="-short"
[ "${LEAKGUARD_AGENT_E2E:-}" = full ] && short=""
start=$(date +%s)
LEAKGUARD_AGENT_CLIENTS="$bin" go test -count=1 -timeout 40m -parallel 3 $short ./hooks/agent/clients/
echo "agent clients e2e: tests took $(( $(date +%s) - start ))s"

#!/usr/bin/env bash
# Gateway end-to-end tests with real clients and servers from npm: Claude
# Code through `leakguard proxy`, the official filesystem MCP server wrapped
# by `leakguard mcp`. Installs the pinned packages (once, into a cache
# directory) and runs ./proxy/e2e. Skips, saying so, only when npm or its
# registry cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/.."

CLAUDE_CODE=2.1.332
MCP_FILESYSTEM=2026.8.31

if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null) || true
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "gateway e2e: SKIPPED: npm is not installed and could not be installed"
  exit 0
fi
if ! npm ping >/dev/null 2>&1; then
  echo "gateway e2e: SKIPPED: the npm registry cannot be reached"
  exit 0
fi
dir="${LEAKGUARD_GATEWAY_NPM:-${XDG_CACHE_HOME:-$HOME/.cache}/leakguard/gateway-e2e}"
mkdir -p "$dir"
(cd "$dir" && npm install --no-audit --no-fund --silent \
  "@anthropic-ai/claude-code@$CLAUDE_CODE" "@modelcontextprotocol/server-filesystem@$MCP_FILESYSTEM")
node --version
"$dir/node_modules/.bin/claude" --version
LEAKGUARD_AGENT_CLIENTS="$dir/node_modules/.bin" go test -count=1 ./proxy/e2e/

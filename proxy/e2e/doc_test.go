// Package e2e runs the gateways (leakguard proxy, leakguard mcp) with real
// clients and servers from npm: Claude Code through the proxy to the
// scripted stand-in model API (internal/standin), and the official
// filesystem MCP server wrapped by leakguard mcp. The pinned packages are
// installed by .ci/gateway-e2e.sh, which sets LEAKGUARD_AGENT_CLIENTS to
// their node_modules/.bin; without it the tests skip.
package e2e

package mcp

import (
	"encoding/json"
	"regexp"
	"sync"
)

// idAtStart finds a message's id near its start: all there is of a
// message too long to read whole.
var idAtStart = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`"id"\s*:\s*("(?:[^"\\]|\\.){0,256}"|-?[0-9]{1,20})`)
})

func leadingID(head []byte) json.RawMessage {
	m := idAtStart().FindSubmatch(head)
	if m == nil {
		return nil
	}
	return json.RawMessage(m[1])
}

func errorReply(id json.RawMessage, code int, msg string) []byte {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "error": map[string]any{"code": code, "message": msg}})
	return b
}

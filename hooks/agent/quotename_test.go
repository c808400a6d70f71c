package agent

import (
	"strings"
	"testing"
)

// TestUnknownEventNameNotEchoed: an unknown event's name is quoted back
// only when it looks like an event name; a token (which fits in 40 bytes)
// is not echoed.
func TestUnknownEventNameNotEchoed(t *testing.T) {
	secret := "gh" + "p_" + strings.Repeat("a1B2", 9)
	for _, name := range []string{secret, secret + " x", "UserPrompt " + secret, strings.Repeat("A", 41)} {
		if got := quoteName(name); strings.Contains(got, secret[:12]) || strings.Contains(got, name) {
			t.Errorf("quoteName(%q) = %q echoes it", name, got)
		}
	}
	if got := quoteName("Teleport"); got != `"Teleport"` {
		t.Errorf("quoteName(Teleport) = %s, want it quoted", got)
	}
}

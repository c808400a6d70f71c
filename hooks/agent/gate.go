package agent

import (
	"strings"
)

// verdict is the gate's decision on a call, before it is put in an agent's
// words.
type verdict struct {
	kind   string // "" (go ahead, nothing found), Allowed, Blocked, Asked
	reason string
	hits   []Hit
}

// preTool decides a tool call before it runs: a secret in its arguments
// denies it; so does a call that would switch a gate off (when the policy
// says so); a call that reads files holding secrets, or known secret
// stores, gets the read policy.
func (g *Guard) preTool(ev *event, hits []Hit) verdict {
	label := "the " + toolLabel(ev.Tool) + " call"
	if hits = dropRemoved(hits); len(hits) > 0 {
		return verdict{kind: Blocked, reason: reason(label, hits, "The call was denied. "+advice), hits: hits}
	}
	tc := g.callOf(ev)
	if g.opts.DenyBypass {
		if b := g.bypass(tc); len(b) > 0 {
			var bh []Hit
			for _, x := range b {
				bh = append(bh, Hit{Rule: "gate-bypass", Secret: "", Where: x})
			}
			r := "leakguard: " + label + " would switch off a secrets gate (" + strings.Join(b, "; ") +
				"). The agent policy denies it: commit and push with the hooks running, and ask the person you work for if a hook is wrong."
			return verdict{kind: Blocked, reason: r, hits: bh}
		}
	}
	return g.readVerdict(label, tc)
}

// readVerdict applies the read policy to the files a call reads.
func (g *Guard) readVerdict(label string, tc *toolCall) verdict {
	fh := g.readHits(tc)
	if len(fh) == 0 {
		return verdict{}
	}
	what := label + " (files it reads)"
	switch g.opts.ReadPolicy {
	case Allow:
		return verdict{kind: Allowed, reason: reason(what, fh, "Read allowed by --read-policy allow."), hits: fh}
	case Deny:
		return verdict{kind: Blocked, reason: reason(what, fh, "Reading them would put the secrets in the conversation; the call was denied."), hits: fh}
	}
	return verdict{kind: Asked, reason: reason(what, fh, "Reading them would put the secrets in the conversation."), hits: fh}
}

// observe is the answer to an event that cannot be blocked.
func observe(ev *event, hits []Hit, note string) verdict {
	if len(hits) == 0 {
		return verdict{}
	}
	return verdict{kind: Allowed, reason: reason("the "+ev.Event+" event", hits, note), hits: hits}
}

func toolLabel(name string) string {
	if name == "" {
		return "tool"
	}
	return name
}

// dropRemoved drops the hits in the text an edit replaces (Edit's and
// MultiEdit's old_string, Gemini's replace): an edit that takes a secret
// out of a file is what should happen, and denying it would keep the
// secret there.
func dropRemoved(hits []Hit) []Hit {
	out := hits[:0:0]
	for _, h := range hits {
		if strings.HasSuffix(h.Where, "/old_string") || strings.Contains(h.Where, "/old_string#") || strings.HasSuffix(h.Where, "/old_str") {
			continue
		}
		out = append(out, h)
	}
	return out
}

const advice = "Remove the secret, or pass it through an environment variable or a secrets manager instead of the conversation."

var empty = []byte("{}\n")

package quality

import (
	"fmt"
	"strings"
)

// minjsFile writes a bundle on a few very long lines, with secrets inline
// in object literals.
func (g *gen) minjsFile(b *builder, items []item) {
	chunk := func() string {
		var sb strings.Builder
		for n := 200 + g.r.IntN(400); n > 0; n-- {
			fmt.Fprintf(&sb, "function %s(e,t){return e.%s(t)||%d}", g.pick(lowerSet, 2), g.oneOf("map", "filter", "reduce", "concat"), g.r.IntN(1000))
			sb.WriteString(";var " + g.pick(lowerSet, 1) + "=\"" + g.pick(alnumSet, 8+g.r.IntN(24)) + "\";")
		}
		return sb.String()
	}
	b.raw("!function(){\"use strict\";" + chunk())
	for i, it := range items {
		name := camel(it.key)
		switch it.form {
		case fCode:
			b.place(";const "+name+"=", it, nil, ";")
		default:
			b.place(";var c={"+name+":\"", it, jsonEsc, "\",retries:3};")
		}
		b.raw(chunk())
		if i%3 == 2 {
			b.raw("\n")
		}
	}
	b.raw("}();\n")
}

// markdownFile writes documentation: mostly placeholders, with the odd
// real value pasted into an example.
func (g *gen) markdownFile(b *builder, items []item) {
	b.ln("# Configuration")
	b.ln("")
	b.ln("Set the following variables before you start the service.")
	b.ln("")
	for _, it := range items {
		b.ln("")
		b.ln(fmt.Sprintf("## %s", strings.ReplaceAll(lower(it.key), "_", " ")))
		b.ln("")
		switch it.form {
		case fPEM:
			b.place("```\n", it, nil, "```\n")
		case fCode:
			b.place("```\n"+upper(it.key)+"=", it, nil, "\n```\n")
		default:
			b.place("```sh\nexport "+upper(it.key)+"=", it, nil, "\n```\n")
		}
	}
}

package quality

import (
	"strings"
)

// Source-code contexts: Go, Python, JavaScript.

var goFiller = []string{
	"func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {",
	"\tw.WriteHeader(http.StatusOK)",
	"}",
	"\tif err := validatePassword(input); err != nil {",
	"\t\treturn fmt.Errorf(\"refresh token: %w\", err)",
	"\t}",
	"\t// The token is rotated by the vault agent; never log it.",
	"\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)",
	"\tdefer cancel()",
	"\ttokenURL := cfg.BaseURL + \"/oauth/token\"",
	"\tlog.Printf(\"loaded %d keys\", len(keys))",
	"\tvar passwordMinLength = 12",
}

func (g *gen) goFile(b *builder, items []item) {
	b.ln("package config")
	b.ln("")
	b.ln("import (\n\t\"net/http\"\n\t\"os\"\n)")
	b.ln("")
	for _, it := range items {
		g.filler(b, goFiller, "", 0, 4)
		q := func(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }
		switch it.form {
		case fCode:
			b.place("\t"+camel(it.key)+" := ", it, nil, "\n")
		case fPEM:
			b.place("var "+camel(it.key)+" = `", it, nil, "`\n")
		case fURI:
			b.place("\tdsn := \"", it, q, "\"\n")
		case fHeader:
			b.place("\treq.Header.Set(\"Authorization\", \"", it, q, "\")\n")
		case fPassword:
			b.place("\tcfg := Config{User: \"svc\", Password: \"", it, q, "\"}\n")
		default:
			switch g.r.IntN(3) {
			case 0:
				b.place("const "+camel(it.key)+" = \"", it, q, "\"\n")
			case 1:
				b.place("\tos.Setenv(\""+upper(it.key)+"\", \"", it, q, "\")\n")
			default:
				b.place("\tclient := api.NewClient(\"", it, q, "\")\n")
			}
		}
	}
	g.filler(b, goFiller, "", 1, 5)
}

var pyFiller = []string{
	"def refresh_token(session):",
	"    \"\"\"Refresh the OAuth token before it expires.\"\"\"",
	"    return session.post(TOKEN_URL, timeout=10)",
	"import logging",
	"logger = logging.getLogger(__name__)",
	"if not check_password(user, form.password.data):",
	"    raise PermissionError(\"bad credentials\")",
	"MAX_RETRIES = 3",
	"for key in sorted(config):",
	"    print(key)",
}

func (g *gen) pythonFile(b *builder, items []item) {
	b.ln("import os")
	b.ln("")
	for _, it := range items {
		g.filler(b, pyFiller, "", 0, 4)
		q := func(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }
		switch it.form {
		case fCode:
			b.place(lower(it.key)+" = ", it, nil, "\n")
		case fPEM:
			b.place(upper(it.key)+" = \"\"\"", it, nil, "\"\"\"\n")
		case fURI:
			b.place("engine = create_engine(\"", it, q, "\")\n")
		case fHeader:
			b.place("headers = {\"Authorization\": \"", it, q, "\"}\n")
		case fPassword:
			b.place(lower(it.key)+" = \"", it, q, "\"\n")
		default:
			switch g.r.IntN(3) {
			case 0:
				b.place(upper(it.key)+" = \"", it, q, "\"\n")
			case 1:
				if it.typ == "git-sha" || it.typ == "sha256-hex" || it.typ == "uuid" {
					// A hash or an id under a token= key is a secret by
					// its key: keep the item's own key.
					b.place(upper(it.key)+" = \"", it, q, "\"\n")
				} else {
					b.place("client = Client(token='", it, nil, "')\n")
				}
			default:
				b.place("settings[\""+lower(it.key)+"\"] = \"", it, q, "\"\n")
			}
		}
	}
	g.filler(b, pyFiller, "", 1, 5)
}

var jsFiller = []string{
	"export async function refreshToken(session) {",
	"  const res = await fetch(`${API}/token`, { method: 'POST' });",
	"  return res.json();",
	"}",
	"const passwordInput = document.querySelector('#password');",
	"// keys are loaded from the environment at build time",
	"module.exports = { retries: 3 };",
	"if (!token) throw new Error('missing token');",
}

func (g *gen) jsFile(b *builder, items []item) {
	b.ln("'use strict';")
	for _, it := range items {
		g.filler(b, jsFiller, "", 0, 4)
		q := func(s string) string { return strings.ReplaceAll(s, `'`, `\'`) }
		switch it.form {
		case fCode:
			b.place("const "+camel(it.key)+" = ", it, nil, ";\n")
		case fPEM:
			b.place("const "+camel(it.key)+" = `", it, nil, "`;\n")
		case fURI:
			b.place("const pool = new Pool({ connectionString: '", it, q, "' });\n")
		case fHeader:
			b.place("const headers = { Authorization: '", it, q, "' };\n")
		case fPassword:
			b.place("  "+camel(it.key)+": '", it, q, "',\n")
		default:
			if g.r.IntN(2) == 0 {
				b.place("const "+camel(it.key)+" = '", it, q, "';\n")
			} else {
				b.place("  "+camel(it.key)+": \"", it, jsonEsc, "\",\n")
			}
		}
	}
	g.filler(b, jsFiller, "", 1, 5)
}

// filler writes between lo and hi-1 lines drawn from lines.
func (g *gen) filler(b *builder, lines []string, prefix string, lo, hi int) {
	for n := lo + g.r.IntN(hi-lo); n > 0; n-- {
		b.ln(prefix + lines[g.r.IntN(len(lines))])
	}
}

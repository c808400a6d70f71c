package quality

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Configuration and data contexts.

var yamlFiller = []string{
	"  replicas: 3",
	"  image: registry.corp.example/app:1.4.2",
	"  timeout: 30s",
	"  token_ttl: 3600",
	"  password_policy: strict",
	"  log_level: info",
}

func (g *gen) yamlFile(b *builder, items []item) {
	b.ln("service:")
	for _, it := range items {
		g.filler(b, yamlFiller, "", 0, 3)
		switch it.form {
		case fPEM:
			b.place("  "+lower(it.key)+": |\n    ", it, func(s string) string { return indent(s, "    ") }, "\n")
		case fURI:
			b.place("  url: ", it, nil, "\n")
		case fHeader:
			b.place("  headers:\n    Authorization: \"", it, nil, "\"\n")
		default:
			if g.r.IntN(2) == 0 {
				b.place("  "+lower(it.key)+": ", it, nil, "\n")
			} else {
				b.place("  "+lower(it.key)+": \"", it, nil, "\"\n")
			}
		}
	}
}

var envFiller = []string{"NODE_ENV=production", "PORT=8080", "LOG_LEVEL=debug", "TOKEN_TTL=3600", "# rotate keys quarterly", "FEATURE_FLAGS=search,export"}

func (g *gen) envFile(b *builder, items []item) {
	for _, it := range items {
		g.filler(b, envFiller, "", 0, 3)
		switch it.form {
		case fPEM:
			b.place(upper(it.key)+"=\"", it, nlEsc, "\"\n")
		case fHeader:
			b.place("AUTH_HEADER=\"", it, nil, "\"\n")
		default:
			b.place(upper(it.key)+"=", it, nil, "\n")
		}
	}
}

func (g *gen) jsonFile(b *builder, items []item) {
	b.ln("{")
	b.ln("  \"name\": \"orders-service\",")
	for _, it := range items {
		key := lower(it.key)
		switch it.form {
		case fURI:
			key = "connection_string"
		case fHeader:
			key = "authorization"
		}
		b.place("  \""+key+"\": \"", it, jsonEsc, "\",\n")
	}
	b.ln("  \"version\": \"1.0.0\"")
	b.ln("}")
}

func (g *gen) propertiesFile(b *builder, items []item) {
	b.ln("# application.properties")
	for _, it := range items {
		b.ln("server.port=8080")
		key := "app." + strings.ReplaceAll(lower(it.key), "_", ".")
		switch it.form {
		case fURI:
			key = "spring.datasource.url"
		case fHeader:
			key = "http.client.auth-header"
		}
		b.place(key+"=", it, nlEsc, "\n")
	}
}

func (g *gen) diffFile(b *builder, items []item) {
	b.ln("diff --git a/deploy/app.env b/deploy/app.env")
	b.ln("index 3f2a1c4..9be07d2 100644")
	b.ln("--- a/deploy/app.env")
	b.ln("+++ b/deploy/app.env")
	b.ln(fmt.Sprintf("@@ -1,4 +1,%d @@", 4+len(items)))
	b.ln(" NODE_ENV=production")
	for _, it := range items {
		switch it.form {
		case fPEM:
			b.place("+"+upper(it.key)+"=\"", it, func(s string) string {
				return strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n+")
			}, "\"\n")
		case fHeader:
			b.place("+AUTH_HEADER=", it, nil, "\n")
		default:
			b.place("+"+upper(it.key)+"=", it, nil, "\n")
		}
		if g.r.IntN(3) == 0 {
			b.ln("-" + upper(it.key) + "=")
		}
	}
	b.ln(" PORT=8080")
}

// jsonlFile writes an agent session transcript: one JSON object a line,
// secrets inside escaped strings, some of them JSON inside JSON.
func (g *gen) jsonlFile(b *builder, items []item) {
	b.ln(`{"type":"user","message":{"role":"user","content":"deploy the service to staging"}}`)
	for i, it := range items {
		switch g.r.IntN(3) {
		case 0:
			b.place(fmt.Sprintf(`{"type":"assistant","message":{"content":[{"type":"tool_use","id":"toolu_%02d","name":"Bash","input":{"command":"export %s=`, i, upper(it.key)), it, jsonEsc, ` && ./deploy.sh"}}]}}`+"\n")
		case 1:
			b.place(fmt.Sprintf(`{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"toolu_%02d","content":"cat .env\n%s=`, i, upper(it.key)), it, jsonEsc, `\nPORT=8080\n"}]}}`+"\n")
		default:
			b.place(fmt.Sprintf(`{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"toolu_%02d","content":"{\"%s\": \"`, i, lower(it.key)), it, jsonEsc2, `\", \"region\": \"eu-west-1\"}"}]}}`+"\n")
		}
	}
	b.ln(`{"type":"assistant","message":{"content":[{"type":"text","text":"Deployed."}]}}`)
}

// logFile writes access and application logs with URL-encoded values.
func (g *gen) logFile(b *builder, items []item) {
	ts := func(i int) string { return fmt.Sprintf("2025-03-%02dT10:%02d:%02dZ", 1+i%28, i%60, (i*7)%60) }
	for i, it := range items {
		b.ln(ts(i) + " INFO GET /healthz 200 1ms")
		switch it.form {
		case fHeader:
			b.place(ts(i)+" DEBUG outgoing request headers: Authorization: ", it, nil, "\n")
		case fPEM:
			b.place(ts(i)+" ERROR could not parse key: ", it, nlEsc, "\n")
		case fURI:
			b.place(ts(i)+" INFO connecting to ", it, nil, " (attempt 1)\n")
		case fPassword:
			b.place(ts(i)+" DEBUG POST /login body=username%3Dadmin%26"+lower(it.key)+"%3D", it, urlEsc, " 302\n")
		default:
			b.place(ts(i)+" INFO GET /oauth/callback?state=af31&"+lower(it.key)+"=", it, urlEsc, "&next=%2Fhome 302\n")
		}
	}
}

// k8sFile writes a Kubernetes Secret manifest: data values in base64,
// stringData values plain.
func (g *gen) k8sFile(b *builder, items []item) {
	b.ln("apiVersion: v1")
	b.ln("kind: Secret")
	b.ln("metadata:")
	b.ln("  name: app-credentials")
	b.ln("type: Opaque")
	b.ln("data:")
	var plain []item
	for _, it := range items {
		if it.form != fPEM && g.r.IntN(3) == 0 {
			plain = append(plain, it)
			continue
		}
		enc := it
		enc.text = ""
		enc.value = base64.StdEncoding.EncodeToString([]byte(it.value))
		b.place("  "+strings.ReplaceAll(lower(it.key), "_", "-")+": ", enc, nil, "\n")
		b.labels[len(b.labels)-1].Plain = it.value // the label keeps the raw secret
	}
	if len(plain) > 0 {
		b.ln("stringData:")
		for _, it := range plain {
			b.place("  "+lower(it.key)+": \"", it, jsonEsc, "\"\n")
		}
	}
}

package quality

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// form says how an item is written into a file.
type form int

const (
	fToken    form = iota // an opaque value, assigned to a key
	fPassword             // a password, assigned to a password-named key
	fURI                  // a URI whose userinfo holds the secret (text)
	fPEM                  // a multi-line block
	fHeader               // an HTTP Authorization header value (text)
	fCode                 // a code expression, written unquoted (negatives)
)

// item is one planted string: value is what the label records, text (if
// set) is the larger string written in its place, containing value.
type item struct {
	typ   string
	value string
	text  string
	key   string
	form  form
	neg   bool
}

func (it item) shown() string {
	if it.text != "" {
		return it.text
	}
	return it.value
}

// positive returns a random fake secret.
func (g *gen) positive() item {
	switch g.r.IntN(30) {
	case 0, 1:
		return item{typ: "github-pat", value: g.checksummed("ghp_"), key: "GITHUB_TOKEN"}
	case 2:
		return item{typ: "github-oauth", value: g.checksummed("gho_"), key: "GH_OAUTH_TOKEN"}
	case 3:
		return item{typ: "github-fine-grained-pat", value: "github_pat_" + g.pick(alnumSet, 22) + "_" + g.pick(alnumSet, 59), key: "GH_PAT"}
	case 4:
		return item{typ: "npm-token", value: g.checksummed("npm_"), key: "NPM_TOKEN"}
	case 5:
		return item{typ: "gitlab-pat", value: "glpat-" + g.pick(urlSet, 20), key: "GITLAB_TOKEN"}
	case 6:
		return item{typ: "gitlab-routable-pat", value: g.gitlabRoutable(), key: "GITLAB_TOKEN"}
	case 7:
		return item{typ: "aws-access-key-id", value: "AKIA" + g.pick(upperSet+"234567", 16), key: "AWS_ACCESS_KEY_ID"}
	case 8:
		return item{typ: "aws-secret-access-key", value: g.pick(alnumSet+"+/", 40), key: "AWS_SECRET_ACCESS_KEY"}
	case 9:
		return item{typ: "slack-bot-token", value: "xoxb-" + g.pick(digitSet, 11) + "-" + g.pick(digitSet, 12) + "-" + g.pick(alnumSet, 24), key: "SLACK_BOT_TOKEN"}
	case 10:
		return item{typ: "slack-webhook-url", value: "https://hooks.slack.com/services/T" + g.pick(upperSet+digitSet, 8) + "/B" + g.pick(upperSet+digitSet, 10) + "/" + g.pick(alnumSet, 24), key: "SLACK_WEBHOOK_URL"}
	case 11:
		return item{typ: "stripe-secret-key", value: "sk_" + "live_" + g.pick(alnumSet, 24+g.r.IntN(20)), key: "STRIPE_SECRET_KEY"}
	case 12:
		return item{typ: "openai-api-key", value: "sk-proj-" + g.pick(urlSet, 74) + "T3Blbk" + "FJ" + g.pick(urlSet, 74), key: "OPENAI_API_KEY"}
	case 13:
		return item{typ: "anthropic-api-key", value: "sk-ant-" + "api03-" + g.pick(urlSet, 93) + "AA", key: "ANTHROPIC_API_KEY"}
	case 14:
		return item{typ: "gcp-api-key", value: "AI" + "za" + g.pick(urlSet, 35), key: "GOOGLE_API_KEY"}
	case 15:
		return item{typ: "sendgrid-api-key", value: "SG." + g.pick(urlSet, 22) + "." + g.pick(urlSet, 43), key: "SENDGRID_API_KEY"}
	case 16:
		return item{typ: "huggingface-token", value: "hf_" + g.pick(upperSet+lowerSet, 34), key: "HF_TOKEN"}
	case 17:
		return item{typ: "jwt", value: g.jwt(), key: "AUTH_TOKEN"}
	case 18:
		return item{typ: "pypi-token", value: g.pypi(), key: "PYPI_TOKEN"}
	case 19:
		return item{typ: "age-secret-key", value: g.age(), key: "SOPS_AGE_KEY"}
	case 20:
		return item{typ: "grafana-sa-token", value: g.grafana(), key: "GRAFANA_TOKEN"}
	case 21:
		return item{typ: "google-oauth-client-secret", value: "GOCSPX-" + g.pick(urlSet, 28), key: "GOOGLE_CLIENT_SECRET"}
	case 22, 23:
		text, _ := g.privateKey()
		return item{typ: "private-key", value: text, key: g.oneOf("PRIVATE_KEY", "TLS_KEY", "SIGNING_KEY"), form: fPEM}
	case 24, 25:
		return item{typ: "password", value: g.password(), key: g.oneOf("DB_PASSWORD", "password", "SMTP_PASSWORD", "admin_pass", "redis_password", "KEYSTORE_PASSWORD"), form: fPassword}
	case 26, 27:
		pw := g.urlPassword()
		user := g.oneOf("app", "svc_orders", "report_ro", "ingest", "admin")
		host := g.oneOf("db.internal", "pg-primary.prod.svc", "10.20.0.15", "cache.internal", "cluster0.x1y2z.mongodb.net")
		uri := g.oneOf("postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqps") + "://" + user + ":" + pw + "@" + host + g.oneOf(":5432/app", "/orders", ":6379/0", "/prod?retryWrites=true")
		return item{typ: "connection-uri-password", value: pw, text: uri, key: "DATABASE_URL", form: fURI}
	case 28:
		pw := g.urlPassword()
		uri := "https://" + g.oneOf("deploy", "ci-bot", "jenkins") + ":" + pw + "@" + g.oneOf("git.corp.example", "artifacts.internal", "registry.corp.example") + "/team/app.git"
		return item{typ: "url-userinfo-password", value: pw, text: uri, key: "REPO_URL", form: fURI}
	default:
		tok := g.pick(alnumSet, 32+g.r.IntN(16))
		if g.r.IntN(2) == 0 {
			cred := base64.StdEncoding.EncodeToString([]byte(g.oneOf("deploy", "ci", "svc") + ":" + g.password()))
			return item{typ: "basic-auth-header", value: cred, text: "Basic " + cred, key: "AUTH_HEADER", form: fHeader}
		}
		return item{typ: "bearer-token-header", value: tok, text: "Bearer " + tok, key: "AUTH_HEADER", form: fHeader}
	}
}

// negative returns a hard negative suited to the context: something a
// scanner may mistake for a secret.
func (g *gen) negative(ctx string) item {
	keys := []string{"API_KEY", "api_token", "DB_PASSWORD", "client_secret", "GITHUB_TOKEN", "password", "SECRET_KEY"}
	key := keys[g.r.IntN(len(keys))]
	switch g.r.IntN(16) {
	case 0, 1:
		return item{typ: "placeholder", key: key, value: g.oneOf("your-api-key-here", "xxxxxxxxxxxxxxxxxxxxxxxx", "<REDACTED>", "changeme", "<your-token>", "REPLACE_ME", "********", "your_password_here", "sk_"+"live_"+strings.Repeat("x", 24), "ghp_"+strings.Repeat("x", 36)), neg: true}
	case 2, 3:
		return g.reference(ctx, key)
	case 4:
		if g.r.IntN(2) == 0 {
			return item{typ: "aws-example-key", key: "AWS_ACCESS_KEY_ID", value: "AKIA" + "IOSFODNN7" + "EXAMPLE", neg: true}
		}
		return item{typ: "aws-example-key", key: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY", neg: true}
	case 5:
		return item{typ: "git-sha", key: g.oneOf("commit", "revision", "sha", "head_sha"), value: g.pick(hexSet, 40), neg: true}
	case 6:
		return item{typ: "sri-integrity", key: "integrity", value: g.oneOf("sha512-", "sha384-", "sha256-") + base64.StdEncoding.EncodeToString(g.bytes(48)), neg: true}
	case 7:
		return item{typ: "go-sum-hash", key: "hash", value: "h1:" + base64.StdEncoding.EncodeToString(g.bytes(32)), neg: true}
	case 8:
		b := g.bytes(16)
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		u := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
		return item{typ: "uuid", key: g.oneOf("request_id", "tenant_id", "client_id", "trace_id"), value: u, neg: true}
	case 9:
		return item{typ: "public-key", key: "authorized_key", value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + base64.StdEncoding.EncodeToString(g.bytes(32))[:43] + " deploy@ci", neg: true}
	case 10:
		return item{typ: "certificate", key: "TLS_CERT", value: pemText("CERTIFICATE", g.bytes(400)), form: fPEM, neg: true}
	case 11:
		return item{typ: "data-uri", key: "icon", value: "data:image/png;base64," + base64.StdEncoding.EncodeToString(g.bytes(120)), neg: true}
	case 12:
		// Right shape, wrong CRC32: GitHub cannot have issued it.
		v := g.checksummed("ghp_")
		v = v[:34] + g.pick(alnumSet, 6)
		return item{typ: "github-pat-bad-checksum", key: "GITHUB_TOKEN", value: v, neg: true}
	case 13:
		body := g.oneOf("...", "MIIEpAIBAAKCAQEA...(truncated)...", "<REDACTED>", "YOUR_PRIVATE_KEY_HERE")
		return item{typ: "private-key-placeholder", key: "PRIVATE_KEY", value: "-----BEGIN RSA " + "PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n", form: fPEM, neg: true}
	case 14:
		return item{typ: "sha256-hex", key: g.oneOf("checksum", "sha256", "digest"), value: g.pick(hexSet, 64), neg: true}
	default:
		host := g.oneOf("db.internal", "localhost", "postgres")
		uri := g.oneOf(
			"postgres://app@"+host+":5432/app",
			"postgres://app:${DB_PASSWORD}@"+host+"/app",
			"postgres://postgres:postgres@localhost:5432/postgres",
			"mongodb://user:<password>@"+host+":27017",
			"redis://"+host+":6379/0",
		)
		return item{typ: "uri-without-secret", key: "DATABASE_URL", value: uri, neg: true}
	}
}

// reference returns an environment or template reference in the syntax
// of the context.
func (g *gen) reference(ctx, key string) item {
	up := strings.ToUpper(key)
	it := item{typ: "env-reference", key: key, neg: true}
	switch ctx {
	case "go":
		it.value, it.form = `os.Getenv("`+up+`")`, fCode
	case "python":
		it.value, it.form = `os.environ["`+up+`"]`, fCode
	case "js", "minjs":
		it.value, it.form = "process.env."+up, fCode
	case "yaml", "k8s":
		it.value = g.oneOf("${{ secrets."+up+" }}", "{{ .Values."+strings.ToLower(key)+" }}", "${"+up+"}")
	default:
		it.value = g.oneOf("${"+up+"}", "$"+up, "%("+strings.ToLower(key)+")s")
	}
	return it
}

package detectors

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
)

var (
	pipelineOnce sync.Once
	pipelineDet  *Detector
	pipelineErr  error
)

// defaultPipeline is the default rule set with the default options
// (validation and decoding on), as every command runs it.
func defaultPipeline(t *testing.T) *Detector {
	t.Helper()
	pipelineOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			pipelineErr = err
			return
		}
		pipelineDet, pipelineErr = Compile(set, DefaultOptions())
	})
	if pipelineErr != nil {
		t.Fatal(pipelineErr)
	}
	return pipelineDet
}

const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// TestGenericFalsePositives holds lines of real code on which a generic or
// assignment rule reported a secret where there is none: the Go toolchain,
// the module cache, terraform, ansible and babel (benchmarks/precision),
// and the unseen corpus. Nothing may be reported on them.
func TestGenericFalsePositives(t *testing.T) {
	uuid := strings.ToUpper(fake.Hex(11, 8) + "-" + fake.Hex(12, 4) + "-4" + fake.Hex(13, 3) + "-a" + fake.Hex(14, 3) + "-" + fake.Hex(15, 12))
	// A line of a binary dumped as base64 that ends in what square-access-token matches.
	dump := fake.Chars(3, base32Alphabet+"abcdefghijklmnopqrstuvwxyz01+/", 36) + "Dx+" + "EAAA" + "AAABIqQcAAAAPhesDAACAPTHADQ" + fake.Chars(4, "ABCDEFGHabcdefgh0123", 6)
	for _, tt := range []struct{ name, path, text string }{
		// generic-password-assignment-unquoted on Go identifiers
		{"address of a variable", "cmd/compile/internal/ssa/func_test.go", "\tf.pass = &emptyPass\n"},
		{"struct field set to a variable", "cmd/internal/script/state.go", "\t\tpwd:     absWork,\n"},
		{"struct field set to its namesake", "crypto/tls/handshake_client.go", "\t\t\tearlySecret:  earlySecret,\n"},
		{"field in a diff", "change.diff", "+\t\t\tpwd:  oldwd,\n"},
		{"field in a transcript", "session.jsonl", `{"type":"tool_result","content":"x := T{\n\t\tearlySecret: earlySecret,\n\t\tToken: token,\n}"}` + "\n"},
		{"lowerCamel variable in a diff", "change.diff", "+\tpwd: oldDir\n"},
		{"dereference", "internal/backend/remote-state/azure/backend.go", "\t\tClientSecret:              *clientSecret,\n"},
		{"same name, digits", "os/user/user_windows_test.go", "\t\t\tPassword: password16,\n"},
		{"Python variable", "lib/ansible/plugins/connection/paramiko_ssh.py", "            password=conn_password\n"},
		{"TypeScript field", "packages/babel-core/src/config/full.ts", "      pass: pluginPasses,\n"},
		// generic-password-assignment on a concatenation and a format string
		{"Go concatenation", "client.go", "\tu := \"https://api.example.com/v1/items?token=\"+realToken+\"&page=2\"\n"},
		{"Python format string", "lib/ansible/vars/manager.py", "        self._omit_token = '__omit_place_holder__%s' % sha1(os.urandom(64)).hexdigest()\n"},
		{"template variable", "test/lib/ansible_test/config/cloud-config-vcenter.ini.template", "esxi1_password: @ESXI1_PASSWORD\nvcenter_password: @VMWARE_PASSWORD\n"},
		// generic-shell-env-secret on a call and a subscript
		{"subscript in Python", "cloud/aws.py", "            SECURITY_TOKEN=credentials['session_token'],\n"},
		{"call in Python", "cloud/cloudscale.py", "            CLOUDSCALE_API_TOKEN=parser.get('default', 'cloudscale_api_token'),\n"},
		// generic-url-query-secret on minified JavaScript
		{"minified JS property", "internal/trace/traceviewer/static/webcomponents.min.js", ";DOMTokenList.prototype.add=function(){o(this,s,arguments)},DOMTokenList.prototype.remove=function(){o(this,s,arguments)};\n"},
		{"minified JS assignment", "dist/yarn.cjs", "if(n.username&&e.password=t.password){return r}\n"},
		{"negation in TypeScript", "packages/babel-core/src/config/config-descriptors.ts", "      ownPass: !!ownPass,\n"},
		{"text between string literals", ".yarn/releases/yarn.cjs", `C=en.question(e,"input new password: "),E=n.limitMessage;!S;)n.limit=h,n.limitMessage=E,C=en.question(e,n),n.limit=[C,"x"]` + "\n"},
		{"chained assignment in minified JS", ".yarn/releases/yarn.cjs", "Object.defineProperty(yg,\"__esModule\",{value:!0});yg.Signature=yg.Envelope=void 0;\n"},
		{"WebDAV lock token", "golang.org/x/net@v0.62.0/webdav/if_test.go", "\t\tToken: `urn:uuid:" + fake.Hex(31, 8) + "-" + fake.Hex(32, 4) + "`,\n\t\tToken: `DAV:no-lock`,\n"},
		// generic-api-key
		{"lexer token kind", "github.com/hashicorp/hcl@v1.0.0/hcl/scanner/scanner_test.go", "\t{token.FLOAT, \"0123456789e+10\"},\n\t{token.NUMBER, \"0x1234567890abcdef\"},\n"},
		{"module path in an escaped string", "large-file-concise/input.js", `$A.run({"co":"function(){ $A.addModule('markup://interop:uiDuplicatesApi', \"interop/uiDuplicatesApi\",[]) }"});` + "\n"},
		{"base32 list across a newline, API inside a random string", "crypto/internal/fips140test/mldsa_test.go",
			"\t\"" + fake.Chars(1, base32Alphabet, 19) + "APIY2A6\",\n\t\"" + fake.Chars(2, base32Alphabet, 26) + "\",\n"},
		{"Go identifier", "crypto/tls/fips140_test.go", "\tserverConfig.Certificates[0].PrivateKey = testRSA2048PrivateKey\n"},
		{"identifier in a string", "crypto/internal/fips140/mlkem/generate1024.go", "\t\"encryptionKey\":        \"encryptionKey1024\",\n"},
		{"JS declarations", "output.js", "let _initProto, _computedKey, _computedKey2;\n"},
		{"identifier ending a sentence", "detectors/generic.go", "// words and digits: encryptionKey1024, NewEncapsulationKey768.\n"},
		{"call arguments", "internal/trace/trace_test.go", "\t{trace.EventLog, trace.TaskID(1), []string{\"key0\", \"0123456789abcdef\"}},\n"},
		{"documentation's example UUID", "detectors/validate_stage_test.go", "\t\t{\"generic-api-key\", \"123e4567-e89b-12d3-a456-426614174000\", true},\n"},
		{"UUID under a map key", "testing/equivalence-tests/outputs/nested_map/plan.json", "  \"first_key\": \"" + uuid + "\",\n"},
		{"stylesheet token in an escaped string", "large-file-concise/input.js", `$A.run({"co":"function(){L.stylesheetToken=\"lwc-7eubp5ml88f\";return L}"});` + "\n"},
		{"git SHA under a commit key", "build.env", "COMMIT_SHA=" + fake.Hex(5, 40) + "\n"},
		{"token with a wrong checksum, generic rule under it", "app/settings.py", "client = Client(token='" + "ghp_" + fake.Alnum(6, 30) + "zzzzzz')\n"},
		// square-access-token in a binary dumped as base64
		{"provider shape inside a base64 dump", "debug/buildinfo/testdata/go117/go117.base64", dump + "\n" + dump + "\n"},
		// authorization-basic-credentials on the RFC 7617 example
		{"RFC 7617 example", "net/http/request.go", "// \"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\" returns (\"Aladdin\", \"open sesame\", true).\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.text)
			for _, m := range defaultPipeline(t).Detect(data, Target{Path: tt.path}) {
				t.Errorf("%s: %s reported %q", tt.path, m.Rule.ID, m.Secret(data))
			}
		})
	}
}

// TestContextSecrets holds secrets that only their key tells from a hash,
// and percent-encoded values, which must be reported whole and decoded, at
// their encoded span.
func TestContextSecrets(t *testing.T) {
	hex40, hex64 := fake.Hex(21, 40), fake.Hex(22, 64)
	uuid := fake.Hex(23, 8) + "-" + fake.Hex(24, 4) + "-4" + fake.Hex(25, 3) + "-8" + fake.Hex(26, 3) + "-" + fake.Hex(27, 12)
	pw := "Ab1" + "&sSMjNX" + "&UxVq?8X4"
	enc := strings.NewReplacer("&", "%26", "?", "%3F").Replace(pw)
	for _, tt := range []struct {
		name, path, text, secret string
		// encoded is the text the finding must cover (default: secret)
		encoded string
	}{
		{"40 hex under API_KEY in .env", "service.env", "API_KEY=" + hex40 + "\n", hex40, ""},
		{"64 hex in a diff", "change.diff", "+SECRET_TOKEN=" + hex64 + "\n", hex64, ""},
		{"40 hex in a transcript", "s.jsonl", `{"type":"user","content":"export API_KEY=` + hex40 + `"}` + "\n", hex40, ""},
		{"40 hex quoted in Python", "settings.py", "API_KEY = \"" + hex40 + "\"\n", hex40, ""},
		{"UUID under an API key", "deploy.env", "HEROKU_API_KEY=" + uuid + "\n", uuid, ""},
		{"percent-encoded query value", "access.log", `10.0.0.1 - - "GET /login?user=bob&password=` + enc + `&next=%2Fhome HTTP/1.1" 302` + "\n", pw, enc},
		{"percent-encoded URL userinfo", "notes.txt", "clone https://jane:" + enc + "@git.corp.example.org/x.git\n", pw, enc},
		{"doubly percent-encoded form body", "access.log", "POST /api?body=username%3Dadmin%26db_password%3D" + strings.NewReplacer("&", "%2526", "?", "%253F").Replace(pw) + " HTTP/1.1\n", pw, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.text)
			ms := defaultPipeline(t).Detect(data, Target{Path: tt.path})
			var got []string
			for _, m := range ms {
				got = append(got, fmt.Sprintf("%s %q", m.Rule.ID, m.Secret(data)))
				if string(m.Secret(data)) != tt.secret {
					continue
				}
				s, e := m.Span()
				if tt.encoded != "" && !bytes.Contains(data[s:e], []byte(tt.encoded)) {
					t.Errorf("%s: span %q does not cover the encoded value %q", m.Rule.ID, data[s:e], tt.encoded)
				}
				return
			}
			t.Errorf("secret %q not reported; got %v", tt.secret, got)
		})
	}
}

package validate

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestBasicAuth(t *testing.T) {
	e := base64.StdEncoding.EncodeToString
	tests := []struct {
		name string
		in   string
		want Verdict
	}{
		{"user and password", e([]byte("deploy:s3cr3t-Pa55")), Valid},
		{"unpadded", base64.RawStdEncoding.EncodeToString([]byte("u:pw")), Valid},
		{"no colon", e([]byte("justatoken")), Invalid},
		{"empty password", e([]byte("user:")), Invalid},
		{"binary", e([]byte{0, 1, 2, ':', 3}), Invalid},
		{"not base64", "!!!!", Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, BasicAuth, tt.in, tt.want) })
	}
}

func TestBase64PrivateKey(t *testing.T) {
	keys := pemKeys(t)
	for name, k := range keys {
		enc := base64.StdEncoding.EncodeToString([]byte(k))
		check(t, Base64PrivateKey, enc, Valid)
		if name == "rsa" {
			lines := strings.Split(k, "\n")
			damaged := strings.Join(append(lines[:3:3], lines[4:]...), "\n")
			check(t, Base64PrivateKey, base64.StdEncoding.EncodeToString([]byte(damaged)), Invalid)
		}
	}
	cert := "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n"
	check(t, Base64PrivateKey, base64.StdEncoding.EncodeToString([]byte(cert)), Invalid)
}

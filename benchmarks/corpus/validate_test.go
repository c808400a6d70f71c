package corpus_test

import (
	"crypto/x509"
	"encoding/pem"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/benchmarks/corpus"
	"github.com/leakguard/leakguard/detectors/validate"
)

// secretOf extracts the secret from a planted snippet: the quoted value of
// a one-line assignment, or the whole PEM block.
func secretOf(lines []string) string {
	if len(lines) > 1 {
		return strings.Join(lines, "\n") + "\n"
	}
	l := lines[0]
	return l[strings.Index(l, `"`)+1 : strings.LastIndex(l, `"`)]
}

// TestPlantedSecretsPassStructuralValidation keeps the benchmark about
// detection: leakguard drops matches that fail its offline validators
// (checksums, key structure) unless asked, so a planted secret must be
// Valid for every validator its rule has.
func TestPlantedSecretsPassStructuralValidation(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, k := range corpus.Kinds() {
		t.Run(k.Rule, func(t *testing.T) {
			name := validate.ForRule(k.Rule)
			if name == "" {
				t.Skipf("leakguard has no validator for %s", k.Rule)
			}
			check, ok := validate.Lookup(name)
			if !ok {
				t.Fatalf("validator %q of %s not found", name, k.Rule)
			}
			for i := range 3 {
				if got := check([]byte(secretOf(k.Lines(r)))); got != validate.Valid {
					t.Errorf("draw %d: validator %s says %v, want %v", i, name, got, validate.Valid)
				}
			}
		})
	}
}

func TestPlantedRSAKeyParses(t *testing.T) {
	for _, k := range corpus.Kinds() {
		if k.Rule != "private-key" {
			continue
		}
		blk, rest := pem.Decode([]byte(secretOf(k.Lines(rand.New(rand.NewPCG(1, 2))))))
		if blk == nil || len(rest) != 0 {
			t.Fatalf("not one PEM block (rest %q)", rest)
		}
		key, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
		if err != nil {
			t.Fatalf("ParsePKCS1PrivateKey: %v", err)
		}
		if err := key.Validate(); err != nil || key.N.BitLen() != 2048 {
			t.Errorf("key: %d bits, Validate: %v; want a valid 2048-bit key", key.N.BitLen(), err)
		}
	}
}

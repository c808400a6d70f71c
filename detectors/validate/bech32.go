package validate

import (
	"bytes"
	"strings"
)

// bech32Charset maps 5-bit values to characters (BIP-173).
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32Polymod is BIP-173's checksum: a BCH code over GF(32).
func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// bech32HRPExpand spreads the human-readable part into 5-bit values, high
// bits first, a zero, then low bits.
func bech32HRPExpand(hrp string) []byte {
	out := make([]byte, 0, 2*len(hrp)+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// bech32Decode splits s into its human-readable part and 5-bit data
// (checksum removed) and verifies the Bech32 checksum (constant 1, not
// Bech32m). Unlike BIP-173 it allows strings longer than 90 characters, as
// age does. ok is false for mixed case, bad characters or a bad checksum.
func bech32Decode(s string) (hrp string, data []byte, ok bool) {
	if strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return "", nil, false
	}
	s = strings.ToLower(s)
	pos := strings.LastIndexByte(s, '1')
	if pos < 1 || pos+7 > len(s) {
		return "", nil, false
	}
	hrp = s[:pos]
	for i := 0; i < len(hrp); i++ {
		if hrp[i] < 33 || hrp[i] > 126 {
			return "", nil, false
		}
	}
	for i := pos + 1; i < len(s); i++ {
		d := strings.IndexByte(bech32Charset, s[i])
		if d < 0 {
			return "", nil, false
		}
		data = append(data, byte(d))
	}
	if bech32Polymod(append(bech32HRPExpand(hrp), data...)) != 1 {
		return "", nil, false
	}
	return hrp, data[:len(data)-6], true
}

// convert5to8 regroups 5-bit values into bytes; the left-over bits must be
// fewer than 5 and zero.
func convert5to8(data []byte) ([]byte, bool) {
	var acc uint32
	bits := 0
	var out []byte
	for _, v := range data {
		acc = acc<<5 | uint32(v)
		bits += 5
		for bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 {
		return nil, false
	}
	return out, true
}

// AgeSecretKey validates an age X25519 identity: Bech32 with the
// human-readable part "age-secret-key-" carrying a 32-byte key, written in
// upper case ("AGE-SECRET-KEY-1" + 58 characters).
func AgeSecretKey(secret []byte) Verdict {
	tok := trim(secret)
	if !bytes.HasPrefix(bytes.ToUpper(tok), []byte("AGE-SECRET-KEY-1")) {
		return Unknown
	}
	hrp, data, ok := bech32Decode(string(tok))
	if !ok || hrp != "age-secret-key-" {
		return Invalid
	}
	key, ok := convert5to8(data)
	if !ok || len(key) != 32 {
		return Invalid
	}
	return Valid
}

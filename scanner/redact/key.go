package redact

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// KeyFile is the name of the placeholder key in the state directory.
const KeyFile = "placeholder.key"

// keySize is the length of a placeholder key.
const keySize = 32

var (
	keyMu     sync.Mutex
	theKey    []byte
	keyLoader func() []byte
)

// Placeholder returns the text that replaces secret, found by rule ruleID:
// [REDACTED:<rule-id>:<8 hex digits>], the digits being the first four
// bytes of HMAC-SHA256(key, secret). The same secret gets the same
// placeholder wherever it is, under one key; without the key, nobody can
// test a guess at the secret against a placeholder. The key is the one
// given to SetKey, or else the one the function given to SetKeyLoader
// returns on first use (the CLI's loads the user's key with LoadKey); with
// neither, a random key of this process is used. Placeholder is safe for
// concurrent use.
func Placeholder(ruleID, secret string) string {
	mac := hmac.New(sha256.New, currentKey())
	mac.Write([]byte(secret))
	return "[REDACTED:" + ruleID + ":" + hex.EncodeToString(mac.Sum(nil)[:4]) + "]"
}

// SetKey sets the key Placeholder uses from now on (at least 16 bytes).
func SetKey(key []byte) error {
	if len(key) < 16 {
		return errors.New("redact: placeholder key shorter than 16 bytes")
	}
	keyMu.Lock()
	defer keyMu.Unlock()
	theKey = bytes.Clone(key)
	return nil
}

// SetKeyLoader sets a function that returns the key on the first call of
// Placeholder, so that a program loads its key only if it redacts. A nil
// or short key from it means a random key of this process.
func SetKeyLoader(load func() []byte) {
	keyMu.Lock()
	defer keyMu.Unlock()
	keyLoader = load
}

func currentKey() []byte {
	keyMu.Lock()
	defer keyMu.Unlock()
	if theKey == nil && keyLoader != nil {
		if k := keyLoader(); len(k) >= 16 {
			theKey = bytes.Clone(k)
		}
	}
	if theKey == nil {
		theKey = make([]byte, keySize)
		if _, err := rand.Read(theKey); err != nil {
			panic("redact: no randomness for a placeholder key: " + err.Error())
		}
	}
	return theKey
}

// LoadKey returns the per-user placeholder key kept in dir (the state
// directory), creating it, 32 random bytes with mode 0600, when there is
// none. A key file that others can read is made private. Two processes
// creating it at once end up with the same key.
func LoadKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, KeyFile)
	if key, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("placeholder key: %w", err)
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("placeholder key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+KeyFile+"-*")
	if err != nil {
		return nil, fmt.Errorf("placeholder key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write([]byte(hex.EncodeToString(key) + "\n"))
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("placeholder key: %w", werr)
	}
	// Link, not rename: if another process made the key meanwhile, its
	// key wins and is read back.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("placeholder key: %w", err)
	}
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return nil, fmt.Errorf("placeholder key %s is readable by others and cannot be made private: %w", path, err)
		}
	}
	b := make([]byte, 2*keySize+2)
	n, _ := f.Read(b)
	key, err := hex.DecodeString(string(bytes.TrimSpace(b[:n])))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("placeholder key %s is malformed; delete it to make a new one", path)
	}
	return key, nil
}

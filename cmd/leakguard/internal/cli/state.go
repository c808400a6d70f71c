package cli

import (
	"fmt"
	"sync"

	"github.com/leakguard/leakguard/internal/statedir"
	"github.com/leakguard/leakguard/scanner/redact"
)

// stateDir returns (creating it, mode 0700) the sub-directory sub of
// leakguard's state directory: $XDG_STATE_HOME/leakguard or
// ~/.local/state/leakguard.
func stateDir(env *Env, sub string) (string, error) {
	return statedir.Ensure(env.Getenv, sub)
}

// useStateKey makes redaction placeholders use the user's key, kept in the
// state directory (created on first use, mode 0600). When it cannot be
// read or made, placeholders use a key of this run only, and stderr says
// so once.
func useStateKey(env *Env) {
	var once sync.Once
	redact.SetKeyLoader(func() []byte {
		var key []byte
		once.Do(func() {
			dir, err := stateDir(env, "")
			if err == nil {
				key, err = redact.LoadKey(dir)
			}
			if err != nil {
				fmt.Fprintf(env.Err, "leakguard: %v; placeholders use a key of this run only\n", err)
			}
		})
		return key
	})
}

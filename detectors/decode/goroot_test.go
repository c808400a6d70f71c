package decode

import (
	"os/exec"
	"strings"
)

// goroot returns the Go toolchain's root, whose sources several tests and
// benchmarks use as real text.
func goroot() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

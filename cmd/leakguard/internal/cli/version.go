package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// versionLine says which leakguard this is: the version set at link time
// (-ldflags "-X .../cli.Version=v0.1.0"), else the module version Go
// recorded (a tag for 'go install ...@v0.1.0', a pseudo-version for a
// build in a clone), the commit and its time, "modified" when the work
// tree had changes, and the Go version:
//
//	leakguard v0.1.0 (commit 1a2b3c4d5e6f, 2026-11-26T06:00:00Z, go1.26.0)
func versionLine(linked string) string {
	version, details := linked, []string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if (version == "" || version == "dev") && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		var rev, at string
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			details = append(details, "commit "+rev)
		}
		if at != "" {
			details = append(details, at)
		}
		if modified {
			details = append(details, "modified")
		}
	}
	if version == "" {
		version = "dev"
	}
	details = append(details, runtime.Version())
	return "leakguard " + version + " (" + strings.Join(details, ", ") + ")"
}

// toolVersion is the version reports record: numeric, as SARIF asks
// ("0.1.0", "0.1.1-0.20261126060000-1a2b3c4d5e6f"), or "0.0.0-dev" for a
// build that knows none.
func toolVersion(linked string) string {
	v := linked
	if v == "" || v == "dev" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "0.0.0-dev"
	}
	return v
}

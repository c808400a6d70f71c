// Package rules is the bottom stage of leakguard's pipeline: the rule model
// in gitleaks' TOML schema. It parses a configuration file into raw syntax
// structs and compiles them into validated, immutable Rules and Allowlists;
// it finds a user's configuration the way gitleaks does and provides the
// default rule set (gitleaks' own default config, read from the
// github.com/zricethezav/gitleaks/v8 module, plus leakguard's own rules),
// precompiled at build time (zz_default.bin, `go generate ./rules`) so that
// a process gets it without parsing TOML.
//
// It imports only the standard library and a TOML decoder; gitleaks' config
// package is imported by the generator (internal/gendefault) and by tests
// only, so that the leakguard binary does not link it or viper. It never
// imports detectors, scanner or the CLI.
package rules

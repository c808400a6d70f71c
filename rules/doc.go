// Package rules is the bottom stage of leakguard's pipeline: the rule model
// in gitleaks' TOML schema. It parses a configuration file into raw syntax
// structs and compiles them into validated, immutable Rules and Allowlists;
// it finds a user's configuration the way gitleaks does and provides the
// default rule set (gitleaks' own default config, read from the
// github.com/zricethezav/gitleaks/v8 module, plus leakguard's own rules).
//
// It imports only the standard library, a TOML decoder and gitleaks'
// config package (for its embedded default configuration). It never imports
// detectors, scanner or the CLI.
package rules

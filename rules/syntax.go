package rules

// The raw syntax of a configuration file, as gitleaks reads it. Keys are
// matched case-insensitively, as viper does for gitleaks.

type fileSyntax struct {
	Title       string            `toml:"title"`
	Description string            `toml:"description"`
	MinVersion  string            `toml:"minVersion"`
	Extend      extendSyntax      `toml:"extend"`
	Rules       []ruleSyntax      `toml:"rules"`
	AllowList   *globalAllowlist  `toml:"allowlist"` // deprecated form
	Allowlists  []globalAllowlist `toml:"allowlists"`
}

type extendSyntax struct {
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	UseDefault    bool     `toml:"useDefault"`
	DisabledRules []string `toml:"disabledRules"`
}

type ruleSyntax struct {
	ID          string             `toml:"id"`
	Description string             `toml:"description"`
	Path        string             `toml:"path"`
	Regex       string             `toml:"regex"`
	SecretGroup int                `toml:"secretGroup"`
	Entropy     float64            `toml:"entropy"`
	Keywords    []string           `toml:"keywords"`
	Tags        []string           `toml:"tags"`
	AllowList   *allowlistSyntax   `toml:"allowlist"` // deprecated form
	Allowlists  []*allowlistSyntax `toml:"allowlists"`
	Required    []requiredSyntax   `toml:"required"`
	SkipReport  bool               `toml:"skipReport"`

	// leakguard extensions, ignored by gitleaks.
	Validate   string   `toml:"validate"`
	Examples   []string `toml:"examples"`
	Negatives  []string `toml:"negatives"`
	MinVersion string   `toml:"minVersion"`
	Provider   string   `toml:"provider"`
	Severity   string   `toml:"severity"`
	Docs       string   `toml:"docs"`
	Revoke     string   `toml:"revoke"`
}

type requiredSyntax struct {
	ID            string `toml:"id"`
	WithinLines   *int   `toml:"withinLines"`
	WithinColumns *int   `toml:"withinColumns"`
}

type allowlistSyntax struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
}

type globalAllowlist struct {
	TargetRules []string `toml:"targetRules"`
	allowlistSyntax
}

package quality

import (
	"fmt"
)

// Options control corpus generation.
type Options struct {
	Seed uint64
	// FilesPerContext is how many files each context gets (default 20).
	FilesPerContext int
}

// context is one kind of file the corpus holds.
type context struct {
	name   string
	path   string // fmt pattern taking the file index
	render func(g *gen, b *builder, items []item)
	// min and max items a file holds.
	min, max int
}

var contexts = []context{
	{"go", "src/config%03d.go", (*gen).goFile, 2, 6},
	{"python", "app/settings%03d.py", (*gen).pythonFile, 2, 6},
	{"js", "web/client%03d.js", (*gen).jsFile, 2, 6},
	{"yaml", "config/app%03d.yaml", (*gen).yamlFile, 2, 6},
	{"env", "env/service%03d.env", (*gen).envFile, 2, 6},
	{"json", "config/settings%03d.json", (*gen).jsonFile, 2, 6},
	{"properties", "config/application%03d.properties", (*gen).propertiesFile, 2, 5},
	{"diff", "patches/change%03d.patch", (*gen).diffFile, 1, 5},
	{"jsonl", "transcripts/session%03d.jsonl", (*gen).jsonlFile, 2, 8},
	{"log", "logs/access%03d.log", (*gen).logFile, 2, 6},
	{"k8s", "deploy/secret%03d.yaml", (*gen).k8sFile, 1, 5},
	{"minjs", "dist/bundle%03d.min.js", (*gen).minjsFile, 3, 9},
	{"markdown", "docs/setup%03d.md", (*gen).markdownFile, 2, 6},
}

// Contexts returns the names of the contexts a corpus covers.
func Contexts() []string {
	names := make([]string, len(contexts))
	for i, c := range contexts {
		names[i] = c.name
	}
	return names
}

// Generate builds a corpus. The same options always give the same corpus.
func Generate(opts Options) *Corpus {
	if opts.FilesPerContext <= 0 {
		opts.FilesPerContext = 20
	}
	g := newGen(opts.Seed)
	c := &Corpus{Seed: opts.Seed}
	for i := 0; i < opts.FilesPerContext; i++ {
		for _, ctx := range contexts {
			n := ctx.min + g.r.IntN(ctx.max-ctx.min+1)
			items := make([]item, 0, n)
			for j := 0; j < n; j++ {
				// Markdown is mostly placeholders; elsewhere about 60% are secrets.
				pos := g.r.IntN(10) < 6
				if ctx.name == "markdown" {
					pos = g.r.IntN(10) < 2
				}
				if pos {
					items = append(items, g.positive())
				} else {
					items = append(items, g.negative(ctx.name))
				}
			}
			b := newBuilder(fmt.Sprintf(ctx.path, i), ctx.name)
			ctx.render(g, b, items)
			c.Files = append(c.Files, b.done())
			c.Labels = append(c.Labels, b.labels...)
		}
	}
	return c
}

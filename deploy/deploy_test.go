// Package deploy holds the manifests that run leakguard's history sweeps
// on batch engines (a Kubernetes Indexed Job, a GitHub Actions matrix);
// its test checks that they are what they claim and runs the Kubernetes
// shards' own shell scripts, on this machine, against real repositories.
package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/leakguard/leakguard/internal/fake"
)

func readYAML(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// get walks a path of keys and list indices through decoded YAML.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no %q in %v", k, v)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("no [%d] in %v", k, v)
			}
			v = l[k]
		}
	}
	return v
}

func job(t *testing.T, docs []map[string]any, name string) map[string]any {
	t.Helper()
	for _, d := range docs {
		if d["kind"] == "Job" && get(t, d, "metadata", "name") == name {
			return d
		}
	}
	t.Fatalf("no Job %s", name)
	return nil
}

var shardArg = regexp.MustCompile(`--shard "\$i/(\d+)"`)

func shellCheck(t *testing.T, script string) {
	t.Helper()
	cmd := exec.Command("sh", "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v: %s\n%s", err, out, script)
	}
}

// TestKubernetesIndexedJob: the sweep is an Indexed Job whose shard count
// is its completions and parallelism, each index retried alone; the
// scripts of the sweep and merge Jobs, run here for each index against
// real repositories (paths of the volumes mapped to temporary
// directories), give a merged report with every finding of a sweep of the
// whole list by one process.
func TestKubernetesIndexedJob(t *testing.T) {
	docs := readYAML(t, filepath.Join("kubernetes", "history-sweep.yaml"))
	sweep := job(t, docs, "leakguard-sweep")
	spec := get(t, sweep, "spec").(map[string]any)
	if spec["completionMode"] != "Indexed" {
		t.Errorf("completionMode %v, want Indexed", spec["completionMode"])
	}
	if spec["completions"] != spec["parallelism"] {
		t.Errorf("completions %v, parallelism %v", spec["completions"], spec["parallelism"])
	}
	if n, _ := spec["backoffLimitPerIndex"].(int); n < 1 {
		t.Errorf("backoffLimitPerIndex %v: a failing shard should be retried alone", spec["backoffLimitPerIndex"])
	}
	ctr := get(t, spec, "template", "spec", "containers", 0)
	script := get(t, ctr, "args", 0).(string)
	shellCheck(t, script)
	m := shardArg.FindStringSubmatch(script)
	if m == nil || m[1] != fmt.Sprint(spec["completions"]) {
		t.Fatalf("--shard in the script %v, completions %v", m, spec["completions"])
	}
	if !strings.Contains(script, `i="$JOB_COMPLETION_INDEX"`) {
		t.Error("the shard index does not come from JOB_COMPLETION_INDEX")
	}
	merge := job(t, readYAML(t, filepath.Join("kubernetes", "history-sweep-merge.yaml")), "leakguard-sweep-merge")
	mergeScript := get(t, merge, "spec", "template", "spec", "containers", 0, "args", 0).(string)
	shellCheck(t, mergeScript)

	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "leakguard"), "../cmd/leakguard")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Five repositories, each with a key built here.
	var list []string
	for i := 0; i < 5; i++ {
		r := filepath.Join(dir, fmt.Sprintf("r%d", i))
		key := fake.AWSKeyID(int64(61 + i))
		for _, c := range [][]string{{"init", "-q", r}, {"-C", r, "config", "user.email", "t@example.invalid"}, {"-C", r, "config", "user.name", "t"}} {
			if out, err := exec.Command("git", c...).CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v %s", c, err, out)
			}
		}
		if err := os.WriteFile(filepath.Join(r, "app.env"), []byte("aws_access_key_id = "+key+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][]string{{"-C", r, "add", "-A"}, {"-C", r, "commit", "-qm", "key"}} {
			if out, err := exec.Command("git", c...).CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v %s", c, err, out)
			}
		}
		list = append(list, r)
	}
	for _, d := range []string{"config", "reports", "state"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "config", "repos.txt"), []byte(strings.Join(list, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	local := func(s string) string {
		for _, d := range []string{"/config/", "/reports/", "/state/"} {
			s = strings.ReplaceAll(s, d, filepath.Join(dir, d)+"/")
		}
		return s
	}
	run := func(script string, env ...string) {
		t.Helper()
		cmd := exec.Command("sh", "-c", local(script))
		cmd.Env = append(append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+dir), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("script: %v\n%s", err, out)
		}
	}
	for i := 0; i < spec["completions"].(int); i++ {
		run(script, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i))
	}
	run(mergeScript)
	one := exec.Command(filepath.Join(bin, "leakguard"), "git", "--no-progress", "--repos", filepath.Join(dir, "config", "repos.txt"), "-f", "json", "-o", filepath.Join(dir, "one.json"))
	if err := one.Run(); err == nil || one.ProcessState.ExitCode() != 1 {
		t.Fatalf("one process: %v (want exit 1: findings)", err)
	}
	count := func(path string) (int, bool) {
		var r struct {
			Findings []struct {
				Repository string `json:"repository"`
			} `json:"findings"`
			Summary struct {
				Partial bool `json:"partial"`
			} `json:"summary"`
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return len(r.Findings), r.Summary.Partial
	}
	nAll, partial := count(filepath.Join(dir, "reports", "all.json"))
	nOne, _ := count(filepath.Join(dir, "one.json"))
	if nAll != 5 || nOne != 5 || partial {
		t.Errorf("merged shards: %d findings (partial %v), one process: %d; want 5 and 5", nAll, partial, nOne)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "all.sarif")); err != nil {
		t.Error(err)
	}
}

// TestActionsMatrix: the workflow's matrix lists shards 0 to SHARDS-1, no
// shard cancels another, every shard's report is uploaded whatever
// happened, and the merge runs even when shards failed.
func TestActionsMatrix(t *testing.T) {
	wf := readYAML(t, filepath.Join("github", "history-sweep.yml"))[0]
	n := get(t, wf, "env", "SHARDS").(int)
	sweep := get(t, wf, "jobs", "sweep")
	shards := get(t, sweep, "strategy", "matrix", "shard").([]any)
	if len(shards) != n {
		t.Fatalf("matrix has %d shards, SHARDS is %d", len(shards), n)
	}
	for i, s := range shards {
		if s != i {
			t.Errorf("matrix shard %d is %v", i, s)
		}
	}
	if get(t, sweep, "strategy", "fail-fast") != false {
		t.Error("fail-fast: one shard's failure would cancel the others")
	}
	sawSweep, sawUpload := false, false
	for _, st := range get(t, sweep, "steps").([]any) {
		step := st.(map[string]any)
		if script, ok := step["run"].(string); ok {
			if strings.Contains(script, "--shard") {
				sawSweep = true
				if !strings.Contains(script, `--shard "${{ matrix.shard }}/$SHARDS"`) {
					t.Errorf("the sweep step's --shard: %s", script)
				}
			}
			shellCheck(t, strings.NewReplacer("${{ matrix.shard }}", "0", "${{ steps.sweep.outputs.status }}", "2").Replace(script))
		}
		if uses, _ := step["uses"].(string); strings.HasPrefix(uses, "actions/upload-artifact") {
			sawUpload = step["if"] == "always()"
		}
	}
	if !sawSweep || !sawUpload {
		t.Errorf("sweep step %v, report uploaded always %v", sawSweep, sawUpload)
	}
	merge := get(t, wf, "jobs", "merge")
	if get(t, merge, "needs") != "sweep" || get(t, merge, "if") != "always()" {
		t.Error("the merge job must run after the sweep, even when shards failed")
	}
}

// Package hostile is the hostile-input suite: leakguard's binary run on
// inputs and faults built to break it (issue 16). Each case checks the
// exit status, that the report was written (marked partial where part of
// the input could not be read), that no planted finding was lost and that
// no secret leaked into stderr or a file left behind; the big cases also
// record time and peak RSS.
//
// go test -short runs the CI share (small sizes, ~20 s on 2 cores);
// benchmarks/hostile/run.sh runs the full sizes (LG_HOSTILE=full). Every
// case logs one line "case | exit | report | findings | time | rss" that
// README's Reliability table is made from.
package hostile

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/fake"
)

var bin string // the leakguard binary under test

// timeBin is GNU time, when installed: peak RSS of each run.
var timeBin = func() string {
	if p, err := exec.LookPath("/usr/bin/time"); err == nil {
		return p
	}
	return ""
}()

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hostile-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Chmod(dir, 0o755) // some cases run it as nobody
	bin = filepath.Join(dir, "leakguard")
	if b := os.Getenv("LG_HOSTILE_BIN"); b != "" {
		bin = b
	} else if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/leakguard").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	statSources()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// statSources stats every Go file of the module, so that go test's cache
// (which keys on the files a test looks at) reruns the suite when the
// binary it builds would change.
func statSources() {
	filepath.WalkDir("../..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum" {
			os.Stat(p)
		}
		return nil
	})
}

// full is set by run.sh: the big sizes.
func full() bool { return os.Getenv("LG_HOSTILE") == "full" }

// size picks the CI size or the full one.
func size(ci, big int64) int64 {
	if full() {
		return big
	}
	return ci
}

type result struct {
	code           int
	stdout, stderr string
	dur            time.Duration
	rssKB          int64
}

type runOpt struct {
	dir     string
	stdin   []byte
	env     []string
	asUser  bool // run as nobody when we are root (permissions apply)
	timeout time.Duration
	dnfOK   bool // a run past timeout is recorded (code -1), not fatal
}

func run(t *testing.T, o runOpt, args ...string) result {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 2 * time.Minute
		if full() {
			o.timeout = 30 * time.Minute
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	// Peak RSS comes from /usr/bin/time, whose child starts small: a
	// process forked from this test inherits the test's own high-water
	// mark (Linux keeps ru_maxrss across exec), so the test's rusage of
	// its child would count the test's input buffers.
	rssFile := ""
	cmd := exec.CommandContext(ctx, bin, args...)
	if timeBin != "" && !o.asUser {
		rssFile = filepath.Join(t.TempDir(), "rss")
		cmd = exec.CommandContext(ctx, timeBin, append([]string{"-q", "-f", "%M", "-o", rssFile, bin}, args...)...)
	}
	cmd.Dir = o.dir
	state := t.TempDir()
	if o.asUser {
		state = openDir(t)
	}
	// Nothing goes to the real home's state (audit log) either.
	cmd.Env = append(os.Environ(), "LEAKGUARD_STATE_DIR="+state, "XDG_STATE_HOME="+state, "HOME="+state, "NO_COLOR=1")
	cmd.Env = append(cmd.Env, o.env...)
	if o.stdin != nil {
		cmd.Stdin = bytes.NewReader(o.stdin)
	}
	// Its own process group, killed whole on timeout (time's child too).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if o.asUser && os.Getuid() == 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: so.String(), stderr: se.String(), dur: time.Since(start)}
	if ctx.Err() != nil {
		if o.dnfOK {
			return result{code: -1, stderr: "did not finish within " + o.timeout.String(), dur: r.dur}
		}
		t.Fatalf("leakguard %q did not finish within %v", args, o.timeout)
	}
	if cmd.ProcessState == nil {
		t.Fatalf("leakguard %q: %v", args, err)
	}
	r.code = cmd.ProcessState.ExitCode()
	if b, err := os.ReadFile(rssFile); err == nil {
		// time writes "Command exited with non-zero status N" first.
		f := strings.Fields(string(b))
		if len(f) > 0 {
			fmt.Sscan(f[len(f)-1], &r.rssKB)
		}
	}
	return r
}

// report is the part of a JSON report the suite reads.
type report struct {
	Findings []struct {
		RuleID string `json:"ruleId"`
		Path   string `json:"path"`
		Line   int    `json:"startLine"`
		Column int    `json:"startColumn"`
	} `json:"findings"`
	Summary struct {
		Partial       bool   `json:"partial"`
		PartialReason string `json:"partialReason"`
		Errors        int64  `json:"errors"`
	} `json:"summary"`
}

func readReport(t *testing.T, path string) (report, bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return report{}, false
	}
	var r report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report %s is not JSON: %v\n%.400s", path, err, data)
	}
	if s := strings.Index(string(data), `"summary"`); s >= 0 {
		var w struct {
			Summary map[string]any `json:"summary"`
		}
		_ = json.Unmarshal(data, &w)
		r.Summary.Partial, _ = w.Summary["partial"].(bool)
		r.Summary.PartialReason, _ = w.Summary["partialReason"].(string)
	}
	return r, true
}

// row is one line of the results table.
var (
	rowsMu sync.Mutex
	rows   []string
)

func record(t *testing.T, name string, r result, rep report, wrote bool, found, planted int) {
	t.Helper()
	status := "report written"
	if !wrote {
		status = "no report"
	} else if rep.Summary.Partial {
		status = "partial report"
	}
	line := fmt.Sprintf("%s | exit %d | %s | %d/%d findings | %.2fs | %d MB", name, r.code, status, found, planted, r.dur.Seconds(), r.rssKB/1024)
	rowsMu.Lock()
	rows = append(rows, line)
	rowsMu.Unlock()
	t.Log("RESULT " + line)
}

// secretLine is a line holding one fake AWS key id (seeded by n).
func key(n int) string { return fake.AWSKeyID(int64(1000 + n)) }

func noLeak(t *testing.T, where, text string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if strings.Contains(text, k) {
			t.Errorf("%s holds a secret in full: %.300s", where, text)
		}
	}
}

// openDir is a temporary directory nobody can use (cases run as nobody):
// t.TempDir's parent is 0700.
func openDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "hostile")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(d, 0o777)
	t.Cleanup(func() {
		filepath.Walk(d, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(d)
	})
	return d
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// scanCase scans target in dir to a JSON report and checks exit, report
// and that want findings came out.
func scanCase(t *testing.T, name string, o runOpt, want, wantCode int, wantPartial bool, args ...string) (result, report) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.json")
	if o.asUser {
		out = filepath.Join(o.dir, ".r.json")
	}
	r := run(t, o, append([]string{"--no-progress", "-f", "json", "-o", out}, args...)...)
	rep, wrote := readReport(t, out)
	record(t, name, r, rep, wrote, len(rep.Findings), want)
	if !wrote {
		t.Fatalf("no report written (exit %d)\n%s", r.code, r.stderr)
	}
	if r.code != wantCode {
		t.Errorf("exit %d, want %d\n%s", r.code, wantCode, r.stderr)
	}
	if len(rep.Findings) != want {
		t.Errorf("%d findings, want %d: %+v\n%s", len(rep.Findings), want, rep.Findings, r.stderr)
	}
	if rep.Summary.Partial != wantPartial {
		t.Errorf("partial %v, want %v (%s)", rep.Summary.Partial, wantPartial, rep.Summary.PartialReason)
	}
	return r, rep
}

func TestFiles(t *testing.T) {
	k := key(1)
	line := func(n int) []byte { return []byte(fmt.Sprintf("aws_key = \"%s\"\n", key(n))) }

	t.Run("invalid-utf8-around-secret", func(t *testing.T) {
		d := t.TempDir()
		write(t, filepath.Join(d, "a.txt"), []byte("\xff\xfe\x80 k=\""+k+"\" \xc3\x28\xed\xa0\x80\n"))
		r, _ := scanCase(t, "invalid UTF-8 around a secret", runOpt{dir: d}, 1, 1, false, "scan", "a.txt")
		noLeak(t, "stderr", r.stderr, k)
	})
	t.Run("nul-byte-in-text", func(t *testing.T) {
		d := t.TempDir()
		write(t, filepath.Join(d, "a.txt"), append([]byte("log line\x00 stray NUL\n"), line(1)...))
		scanCase(t, "one NUL byte in a text file", runOpt{dir: d}, 1, 1, false, "scan", "a.txt")
	})
	t.Run("symlink-to-directory", func(t *testing.T) {
		d := t.TempDir()
		write(t, filepath.Join(d, "real", "a.txt"), line(1))
		if err := os.Symlink("real", filepath.Join(d, "link")); err != nil {
			t.Fatal(err)
		}
		_, rep := scanCase(t, "scan LINK (a symlink to a directory)", runOpt{dir: d}, 1, 1, false, "scan", "link")
		if len(rep.Findings) == 1 && rep.Findings[0].Path != "link/a.txt" {
			t.Errorf("path %q, want link/a.txt", rep.Findings[0].Path)
		}
	})
	t.Run("symlink-loops-fifos-devices", func(t *testing.T) {
		d := t.TempDir()
		write(t, filepath.Join(d, "t", "a.txt"), line(1))
		for _, l := range [][2]string{{".", "t/loop"}, {"..", "t/up"}, {"/dev/urandom", "t/rand"}, {"/dev/zero", "t/zero"}, {"fifo", "t/fifolink"}} {
			if err := os.Symlink(l[0], filepath.Join(d, l[1])); err != nil {
				t.Fatal(err)
			}
		}
		if err := syscall.Mkfifo(filepath.Join(d, "t", "fifo"), 0o644); err != nil {
			t.Fatal(err)
		}
		scanCase(t, "symlink loops, FIFO, /dev/urandom, /dev/zero in the tree", runOpt{dir: d, timeout: 20 * time.Second}, 1, 1, false, "scan", "t")
		scanCase(t, "the same with --follow-symlinks", runOpt{dir: d, timeout: 20 * time.Second}, 1, 1, false, "scan", "--follow-symlinks", "t")
		r := run(t, runOpt{dir: d, timeout: 20 * time.Second}, "scan", "--no-progress", "t/zero")
		if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "skipped") {
			t.Errorf("scan /dev/zero by name: exit %d, %s", r.code, r.stderr)
		}
	})
	t.Run("unreadable-file-and-dir", func(t *testing.T) {
		d := openDir(t)
		write(t, filepath.Join(d, "ok.txt"), line(1))
		write(t, filepath.Join(d, "secret.txt"), line(2))
		write(t, filepath.Join(d, "closed", "x.txt"), line(3))
		os.Chmod(filepath.Join(d, "secret.txt"), 0)
		os.Chmod(filepath.Join(d, "closed"), 0)
		// Exit 1 (secrets found) outranks 2; the summary counts the two
		// inputs not read and stderr names them.
		r, rep := scanCase(t, "unreadable file and directory (run as nobody)", runOpt{dir: d, asUser: true}, 1, 1, false, "scan", ".")
		if rep.Summary.Errors != 2 || !strings.Contains(r.stderr, "INCOMPLETE") {
			t.Errorf("summary errors %d (want 2)\n%s", rep.Summary.Errors, r.stderr)
		}
		for _, p := range []string{"secret.txt", "closed"} {
			if !strings.Contains(r.stderr, p) {
				t.Errorf("stderr does not name %s:\n%s", p, r.stderr)
			}
		}
	})
	t.Run("deleted-and-growing-during-scan", func(t *testing.T) {
		d := t.TempDir()
		n := int(size(3000, 50000))
		for i := 0; i < n; i++ {
			write(t, filepath.Join(d, "gone", fmt.Sprintf("f%05d.txt", i)), []byte("nothing here\n"))
		}
		write(t, filepath.Join(d, "keep.txt"), line(1))
		write(t, filepath.Join(d, "grow.log"), line(2))
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // delete while the scan lists and reads
			defer wg.Done()
			for i := n - 1; i >= 0; i-- {
				os.Remove(filepath.Join(d, "gone", fmt.Sprintf("f%05d.txt", i)))
			}
		}()
		go func() { // append to a log while it is read
			defer wg.Done()
			f, _ := os.OpenFile(filepath.Join(d, "grow.log"), os.O_APPEND|os.O_WRONLY, 0)
			defer f.Close()
			for {
				select {
				case <-stop:
					return
				default:
					f.Write(bytes.Repeat([]byte("ordinary log line\n"), 64))
					time.Sleep(time.Millisecond)
				}
			}
		}()
		out := filepath.Join(t.TempDir(), "r.json")
		r := run(t, runOpt{dir: d, timeout: time.Minute}, "scan", "--no-progress", "-f", "json", "-o", out, ".")
		close(stop)
		wg.Wait()
		rep, wrote := readReport(t, out)
		record(t, "files deleted and growing during the scan", r, rep, wrote, len(rep.Findings), 2)
		if !wrote || r.code != 1 || len(rep.Findings) != 2 {
			t.Errorf("exit %d, report %v, %d findings (want 1, a report, 2)\n%.2000s", r.code, wrote, len(rep.Findings), r.stderr)
		}
	})
	t.Run("deep-nesting", func(t *testing.T) {
		d := t.TempDir()
		p := d
		for i := 0; i < 1000; i++ {
			p = filepath.Join(p, "d")
		}
		write(t, filepath.Join(p, "a.txt"), line(1))
		scanCase(t, "1,000-level directory nesting", runOpt{dir: d}, 1, 1, false, "scan", ".")
	})
	t.Run("odd-path-names", func(t *testing.T) {
		d := t.TempDir()
		write(t, filepath.Join(d, "new\nline.txt"), line(1))
		write(t, filepath.Join(d, "bad\xff\xfename.txt"), line(2))
		r, rep := scanCase(t, "path names with a newline and invalid UTF-8", runOpt{dir: d}, 2, 1, false, "scan", ".")
		noLeak(t, "stderr", r.stderr, key(1), key(2))
		_ = rep
		txt := run(t, runOpt{dir: d}, "scan", "--no-progress", ".")
		if strings.Contains(txt.stdout, "new\nline.txt") {
			t.Errorf("text report prints a raw newline inside a path:\n%s", txt.stdout)
		}
	})
	t.Run("json-nested-100000-deep", func(t *testing.T) {
		d := t.TempDir()
		deep := strings.Repeat(`{"a":[`, 100000) + `"` + k + `"` + strings.Repeat(`]}`, 100000)
		write(t, filepath.Join(d, "deep.json"), []byte(deep+"\n"))
		scanCase(t, "JSON nested 100,000 deep (scan)", runOpt{dir: d}, 1, 1, false, "scan", "deep.json")
		// redact --json parses it.
		r := run(t, runOpt{dir: d, stdin: []byte(deep)}, "redact", "--json", "-")
		noLeak(t, "redact --json output", r.stdout+r.stderr, k)
		t.Logf("RESULT JSON nested 100,000 deep (redact --json) | exit %d | %d bytes out", r.code, len(r.stdout))
		if r.code != 1 && r.code != 2 {
			t.Errorf("redact --json on deep JSON: exit %d\n%.500s", r.code, r.stderr)
		}
	})
	t.Run("big-inputs", func(t *testing.T) {
		d := t.TempDir()
		filler := func(n int64, nl bool) []byte {
			unit := []byte("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ")
			if nl {
				unit[len(unit)-1] = '\n'
			}
			return bytes.Repeat(unit, int(n/int64(len(unit)))+1)[:n]
		}
		// One line: secrets at the start, past a chunk, at the end.
		one := size(8<<20, 1<<30)
		f, err := os.Create(filepath.Join(d, "oneline.txt"))
		if err != nil {
			t.Fatal(err)
		}
		third := filler(one/3, false)
		for i := 0; i < 3; i++ {
			fmt.Fprintf(f, " aws_key=%q ", key(10+i))
			f.Write(third)
		}
		f.Write([]byte("\n"))
		f.Close()
		_, rep := scanCase(t, fmt.Sprintf("a %d MB single-line file (3 secrets)", one>>20), runOpt{dir: d}, 3, 1, false, "scan", "oneline.txt")
		// Columns count from the line's start, past every chunk: the
		// i-th key is at i*(32+len(third)) + 10, 1-based.
		cols := map[int]bool{}
		for _, f := range rep.Findings {
			cols[f.Column] = true
		}
		for i := 0; i < 3; i++ {
			if want := i*(32+len(third)) + 11; !cols[want] {
				t.Errorf("no finding at column %d on the long line (columns %v)", want, cols)
			}
		}
		gitleaks(t, d, "oneline.txt")
		os.Remove(filepath.Join(d, "oneline.txt"))

		many := size(16<<20, 2<<30)
		f, _ = os.Create(filepath.Join(d, "big.txt"))
		block := filler(many/4, true)
		for i := 0; i < 4; i++ {
			f.Write(block)
			fmt.Fprintf(f, "aws_key = %q\n", key(20+i))
		}
		f.Close()
		scanCase(t, fmt.Sprintf("a %d MB file (4 secrets)", many>>20), runOpt{dir: d}, 4, 1, false, "scan", "big.txt")
		gitleaks(t, d, "big.txt")
		os.Remove(filepath.Join(d, "big.txt"))

		n := int(size(2000, 100000))
		td := filepath.Join(d, "tiny")
		for i := 0; i < n; i++ {
			data := []byte("x\n")
			if i%(n/5) == 0 {
				data = line(30 + i/(n/5))
			}
			write(t, filepath.Join(td, fmt.Sprintf("%03d", i%100), fmt.Sprintf("%d.txt", i)), data)
		}
		scanCase(t, fmt.Sprintf("%d tiny files (5 secrets)", n), runOpt{dir: d}, 5, 1, false, "scan", "tiny")
		gitleaks(t, d, "tiny")
		os.RemoveAll(td)

		jl := size(8<<20, 500<<20)
		var b bytes.Buffer
		b.WriteString(`{"type":"user","message":{"role":"user","content":"aws_key=` + key(40) + ` `)
		b.Write(filler(jl, false))
		b.WriteString(` aws_key=` + key(41) + `"}}` + "\n")
		write(t, filepath.Join(d, "s.jsonl"), b.Bytes())
		b.Reset()
		scanCase(t, fmt.Sprintf("a %d MB JSONL line (transcript, 2 secrets)", jl>>20), runOpt{dir: d}, 2, 1, false, "transcript", "s.jsonl")
		os.Remove(filepath.Join(d, "s.jsonl"))
	})
}

// gitleaks times gitleaks on the same input when run.sh asks for it
// (LG_HOSTILE_GITLEAKS=BINARY): time, peak RSS and findings, for the
// table's comparison column.
func gitleaks(t *testing.T, dir, target string) {
	t.Helper()
	gl := os.Getenv("LG_HOSTILE_GITLEAKS")
	if gl == "" {
		return
	}
	out := filepath.Join(t.TempDir(), "gl.json")
	limit := 10 * time.Minute
	if v, err := time.ParseDuration(os.Getenv("LG_HOSTILE_GITLEAKS_TIMEOUT")); err == nil {
		limit = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	glArgs := []string{"dir", "--no-banner", "--exit-code", "0", "-f", "json", "-r", out, target}
	cmd := exec.CommandContext(ctx, gl, glArgs...)
	rssFile := filepath.Join(t.TempDir(), "rss")
	if timeBin != "" {
		cmd = exec.CommandContext(ctx, timeBin, append([]string{"-q", "-f", "%M", "-o", rssFile, gl}, glArgs...)...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Dir = dir
	start := time.Now()
	err := cmd.Run()
	el := time.Since(start)
	var rss int64
	if b, err := os.ReadFile(rssFile); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			fmt.Sscan(f[len(f)-1], &rss)
		}
	}
	var fs []any
	b, _ := os.ReadFile(out)
	_ = json.Unmarshal(b, &fs)
	if ctx.Err() != nil {
		err = fmt.Errorf("did not finish within %v", limit)
	}
	t.Logf("RESULT   gitleaks on %s | err %v | %d findings | %.2fs | %d MB", target, err, len(fs), el.Seconds(), rss/1024)
}

func TestDecoding(t *testing.T) {
	k := key(800)
	t.Run("utf16", func(t *testing.T) {
		d := t.TempDir()
		text := "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\x]\r\n\"aws_key\"=\"" + k + "\"\r\n"
		enc := func(be, bom bool) []byte {
			var b []byte
			if bom {
				if be {
					b = append(b, 0xfe, 0xff)
				} else {
					b = append(b, 0xff, 0xfe)
				}
			}
			for _, r := range text {
				if be {
					b = append(b, 0, byte(r))
				} else {
					b = append(b, byte(r), 0)
				}
			}
			return b
		}
		for _, c := range []struct {
			name    string
			be, bom bool
		}{{"le-bom", false, true}, {"le", false, false}, {"be-bom", true, true}, {"be", true, false}} {
			write(t, filepath.Join(d, c.name+".reg"), enc(c.be, c.bom))
			scanCase(t, "UTF-16 text, "+c.name, runOpt{dir: d}, 1, 1, false, "scan", c.name+".reg")
		}
	})
	t.Run("secret-across-every-chunk-boundary", func(t *testing.T) {
		// One file per offset: the key starts 0..len(key) bytes before
		// the 1 MiB chunk boundary, on a long line and on a short one.
		d := t.TempDir()
		const chunk = 1 << 20
		planted := 0
		for shift := 0; shift <= len(k)+10; shift += 3 {
			for _, nl := range []bool{false, true} {
				pad := bytes.Repeat([]byte("a"), chunk-shift-len("aws_key = \""))
				if nl {
					for i := 80; i < len(pad); i += 81 {
						pad[i] = '\n'
					}
				}
				var b bytes.Buffer
				b.Write(pad)
				fmt.Fprintf(&b, "aws_key = \"%s\"\n", k)
				b.Write(bytes.Repeat([]byte("tail\n"), 1000))
				write(t, filepath.Join(d, fmt.Sprintf("s%02d-%v.txt", shift, nl)), b.Bytes())
				planted++
			}
		}
		scanCase(t, fmt.Sprintf("a secret across the chunk boundary at %d offsets", planted), runOpt{dir: d}, planted, 1, false, "scan", ".")
	})
	t.Run("decoding-bombs", func(t *testing.T) {
		d := t.TempDir()
		depth := int(size(16, 50))
		v := []byte("aws_key = \"" + k + "\"")
		for i := 0; i < depth; i++ {
			v = []byte(base64.StdEncoding.EncodeToString(v))
		}
		write(t, filepath.Join(d, "nested.txt"), append([]byte("blob = "), append(v, '\n')...))
		v = nil
		out := filepath.Join(t.TempDir(), "r.json")
		r := run(t, runOpt{dir: d}, "scan", "--no-progress", "-f", "json", "-o", out, "nested.txt")
		rep, wrote := readReport(t, out)
		record(t, fmt.Sprintf("base64 nested %d deep (past --max-decode-depth 5: not expected)", depth), r, rep, wrote, len(rep.Findings), 0)
		if !wrote {
			t.Errorf("no report: exit %d\n%s", r.code, r.stderr)
		}
		os.Remove(filepath.Join(d, "nested.txt"))
		// One big base64 blob of text holding keys, 76 columns.
		blob := size(4<<20, 100<<20)
		var plain bytes.Buffer
		n := 0
		for int64(plain.Len())*4/3 < blob {
			if plain.Len()%(256<<10) < 64 && plain.Len() > 0 || plain.Len() == 0 {
				fmt.Fprintf(&plain, "aws_key = \"%s\"\n", key(900+n))
				n++
			}
			plain.WriteString("some ordinary configuration text that is not a secret at all\n")
		}
		enc := base64.StdEncoding.EncodeToString(plain.Bytes())
		var wrapped bytes.Buffer
		for i := 0; i < len(enc); i += 76 {
			wrapped.WriteString(enc[i:min(i+76, len(enc))])
			wrapped.WriteByte('\n')
		}
		write(t, filepath.Join(d, "blob.b64"), wrapped.Bytes())
		scanCase(t, fmt.Sprintf("a %d MB base64 blob, 76 columns (%d keys)", blob>>20, n), runOpt{dir: d}, n, 1, false, "scan", "blob.b64")
		gitleaks(t, d, "blob.b64")
	})
	t.Run("keyword-floods", func(t *testing.T) {
		// Inputs built for keyword hits, against ordinary text of the same
		// size: time and memory are recorded (CI: 256 KB; run.sh: 4 MB,
		// 10 minutes each at most, past that recorded as not finished);
		// the suite checks each that finishes writes its report.
		d := t.TempDir()
		n := size(256<<10, 4<<20)
		for _, c := range []struct{ name, unit string }{
			{"ordinary text", "the quick brown fox jumps over the lazy dog\n"},
			{"key=key=", "key=key="},
			{"token token", "token token "},
			{"-----BEGIN without END", "-----BEGIN PRIVATE KEY-----\n"},
			{"api_key = ... x many", "api_key = \"abcdefghijklmnop\"\n"},
		} {
			data := bytes.Repeat([]byte(c.unit), int(n)/len(c.unit))
			write(t, filepath.Join(d, "flood.txt"), data)
			out := filepath.Join(t.TempDir(), "r.json")
			r := run(t, runOpt{dir: d, dnfOK: true, timeout: 10 * time.Minute}, "scan", "--no-progress", "-f", "json", "-o", out, "flood.txt")
			rep, wrote := readReport(t, out)
			record(t, fmt.Sprintf("%d KB of %s (%.2f MB/s)", n>>10, c.name, float64(n)/1e6/r.dur.Seconds()), r, rep, wrote, len(rep.Findings), 0)
			if r.code == -1 {
				continue
			}
			if !wrote || r.code == 2 {
				t.Errorf("%s: exit %d, report %v\n%.500s", c.name, r.code, wrote, r.stderr)
			}
		}
	})
}

func TestReports(t *testing.T) {
	k := key(2)
	d := t.TempDir()
	write(t, filepath.Join(d, "a.txt"), []byte("aws_key = \""+k+"\"\n"))

	t.Run("report-mode-0600", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "r.sarif")
		r := run(t, runOpt{dir: d}, "scan", "--no-progress", "-f", "sarif", "-o", out, "a.txt")
		fi, err := os.Stat(out)
		if err != nil || fi.Mode().Perm() != 0o600 || r.code != 1 {
			t.Fatalf("report %v mode %v exit %d", err, fi, r.code)
		}
		t.Logf("RESULT report file mode | exit %d | mode %v", r.code, fi.Mode().Perm())
	})
	t.Run("disk-full", func(t *testing.T) {
		r := run(t, runOpt{dir: d}, "scan", "--no-progress", "-f", "json", "-o", "/dev/full", "a.txt")
		t.Logf("RESULT report to /dev/full | exit %d | %s", r.code, strings.TrimSpace(r.stderr))
		if r.code != 2 || !strings.Contains(r.stderr, "space") {
			t.Errorf("report to /dev/full: exit %d, %s", r.code, r.stderr)
		}
		noLeak(t, "stderr", r.stderr, k)
		// A small tmpfs, full: the report and redact --in-place fail
		// with a clear error and leave the original as it was.
		mnt := t.TempDir()
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a tmpfs (%v %s): /dev/full only", err, out)
		}
		defer exec.Command("umount", mnt).Run()
		big := bytes.Repeat([]byte("aws_key = \""+k+"\"\n"), 2000) // ~70 KB
		big = big[:60<<10]
		write(t, filepath.Join(mnt, "s.txt"), big)
		fill, _ := os.Create(filepath.Join(mnt, "fill"))
		fill.Write(make([]byte, 64<<10))
		fill.Close()
		r = run(t, runOpt{dir: mnt}, "scan", "--no-progress", "-f", "json", "-o", "r.json", "s.txt")
		t.Logf("RESULT report on a full tmpfs | exit %d | %s", r.code, strings.TrimSpace(r.stderr))
		if r.code != 2 {
			t.Errorf("report on a full tmpfs: exit %d\n%s", r.code, r.stderr)
		}
		r = run(t, runOpt{dir: mnt}, "redact", "--in-place", "s.txt")
		after, _ := os.ReadFile(filepath.Join(mnt, "s.txt"))
		t.Logf("RESULT redact --in-place on a full tmpfs | exit %d | original kept %v", r.code, bytes.Equal(after, big))
		if r.code != 2 || !bytes.Equal(after, big) {
			t.Errorf("redact on a full tmpfs: exit %d, original kept %v\n%s", r.code, bytes.Equal(after, big), r.stderr)
		}
		ents, _ := os.ReadDir(mnt)
		for _, e := range ents {
			if e.Name() != "s.txt" && e.Name() != "fill" {
				t.Errorf("left behind on the full tmpfs: %s", e.Name())
			}
		}
		noLeak(t, "stderr", r.stderr, k)
	})
	t.Run("read-only-directory", func(t *testing.T) {
		ro := openDir(t)
		write(t, filepath.Join(ro, "a.txt"), []byte("aws_key = \""+k+"\"\n"))
		os.Chmod(filepath.Join(ro, "a.txt"), 0o666)
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
		r := run(t, runOpt{dir: ro, asUser: true}, "scan", "--no-progress", "-f", "json", "-o", "r.json", "a.txt")
		t.Logf("RESULT report into a read-only directory (nobody) | exit %d | %s", r.code, strings.TrimSpace(r.stderr))
		if r.code != 2 {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
		r = run(t, runOpt{dir: ro, asUser: true}, "redact", "--in-place", "a.txt")
		after, _ := os.ReadFile(filepath.Join(ro, "a.txt"))
		t.Logf("RESULT redact --in-place in a read-only directory (nobody) | exit %d | redacted %v", r.code, !strings.Contains(string(after), k))
		if r.code == 0 {
			t.Errorf("redact in a read-only directory: exit 0\n%s", r.stderr)
		}
		ents, _ := os.ReadDir(ro)
		if len(ents) != 1 {
			t.Errorf("left behind: %v", ents)
		}
	})
	t.Run("redact-in-place-symlink", func(t *testing.T) {
		dd := t.TempDir()
		target := filepath.Join(dd, "t.txt")
		write(t, target, []byte("aws_key = \""+k+"\"\n"))
		os.Chmod(target, 0o640)
		os.Chown(target, 1234, 4321)
		os.Symlink("t.txt", filepath.Join(dd, "l.txt"))
		state := t.TempDir()
		r := run(t, runOpt{dir: dd, env: []string{"LEAKGUARD_STATE_DIR=" + state}}, "redact", "--in-place", "l.txt")
		li, _ := os.Lstat(filepath.Join(dd, "l.txt"))
		ti, _ := os.Stat(target)
		data, _ := os.ReadFile(target)
		st := ti.Sys().(*syscall.Stat_t)
		t.Logf("RESULT redact --in-place LINK | exit %d | link kept %v | target redacted %v | mode %v owner %d:%d", r.code, li.Mode()&os.ModeSymlink != 0, !strings.Contains(string(data), k), ti.Mode().Perm(), st.Uid, st.Gid)
		if r.code != 1 || li.Mode()&os.ModeSymlink == 0 || strings.Contains(string(data), k) || ti.Mode().Perm() != 0o640 || (os.Getuid() == 0 && (st.Uid != 1234 || st.Gid != 4321)) {
			t.Errorf("redact --in-place on a symlink went wrong\n%s", r.stderr)
		}
		noLeak(t, "stderr", r.stderr, k)
		// Nothing holding the secret is left anywhere: next to the file,
		// or in the state directory (no --backup).
		for _, dir := range []string{dd, state} {
			filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
				if err == nil && fi.Mode().IsRegular() {
					if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(k)) {
						t.Errorf("%s holds the redacted secret", p)
					}
				}
				return nil
			})
		}
		// --backup keeps the original, mode 0600, outside the folder.
		os.WriteFile(target, []byte("aws_key = \""+k+"\"\n"), 0o644)
		run(t, runOpt{dir: dd, env: []string{"LEAKGUARD_STATE_DIR=" + state}}, "redact", "--in-place", "--backup", "l.txt")
		filepath.Walk(state, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(k)) {
					t.Errorf("backup %s holds the secret at mode %v", p, fi.Mode().Perm())
				}
			}
			return nil
		})
		if ents, _ := os.ReadDir(dd); len(ents) != 2 {
			t.Errorf("--backup left files next to the target: %v", ents)
		}
	})
	t.Run("interrupt-writes-partial-report", func(t *testing.T) {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			out := filepath.Join(t.TempDir(), "r.json")
			cmd := exec.Command(bin, "scan", "--no-progress", "-f", "json", "-o", out, "-")
			cmd.Env = append(os.Environ(), "LEAKGUARD_STATE_DIR="+t.TempDir())
			w, _ := cmd.StdinPipe()
			var se bytes.Buffer
			cmd.Stderr = &se
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// One secret, then more than a chunk so that it is scanned,
			// and stdin left open.
			fmt.Fprintf(w, "aws_key = %q\n", k)
			w.Write(bytes.Repeat([]byte("filler line of text\n"), 3<<16))
			time.Sleep(time.Second)
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("%v: not stopped within 20 s", sig)
			}
			w.Close()
			rep, wrote := readReport(t, out)
			r := result{code: cmd.ProcessState.ExitCode(), stderr: se.String(), dur: time.Second}
			record(t, "scan - interrupted by "+sig.String(), r, rep, wrote, len(rep.Findings), 1)
			want := 130
			if sig == syscall.SIGTERM {
				want = 143
			}
			if !wrote || !rep.Summary.Partial || len(rep.Findings) != 1 || r.code != want {
				t.Errorf("%v: exit %d, report %v partial %v, %d findings\n%s", sig, r.code, wrote, rep.Summary.Partial, len(rep.Findings), r.stderr)
			}
		}
	})
}

// gitRepo makes a repository in a new directory with the given files
// committed one commit each, messages as given.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.invalid", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func commit(t *testing.T, dir, file, content, msg string) string {
	t.Helper()
	write(t, filepath.Join(dir, file), []byte(content))
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "--no-verify", "-m", msg)
	return git(t, dir, "rev-parse", "HEAD")
}

func newRepo(t *testing.T, commits int) string {
	t.Helper()
	d := t.TempDir()
	git(t, d, "init", "-q", "-b", "main")
	for i := 0; i < commits; i++ {
		commit(t, d, fmt.Sprintf("f%d.txt", i), fmt.Sprintf("aws_key = %q\n", key(100+i)), fmt.Sprintf("commit %d", i))
	}
	return d
}

func TestGit(t *testing.T) {
	t.Run("corrupt-missing-object", func(t *testing.T) {
		d := newRepo(t, 3)
		// Remove the blob of the second commit's file.
		blob := git(t, d, "rev-parse", "HEAD~1:f1.txt")
		os.Remove(filepath.Join(d, ".git", "objects", blob[:2], blob[2:]))
		for _, eng := range []string{"", "--engine=diff", "--engine=blob"} {
			args := []string{"git"}
			if eng != "" {
				args = append(args, eng)
			}
			r, _ := scanCase(t, "corrupt repository: a missing blob "+eng, runOpt{dir: d}, 2, 2, true, append(args, ".")...)
			if !strings.Contains(r.stderr, "f1.txt") && !strings.Contains(r.stderr, blob[:7]) {
				t.Errorf("stderr does not name what is missing:\n%s", r.stderr)
			}
		}
	})
	t.Run("corrupt-truncated-pack", func(t *testing.T) {
		d := newRepo(t, 3)
		git(t, d, "repack", "-a", "-d", "-q")
		packs, _ := filepath.Glob(filepath.Join(d, ".git", "objects", "pack", "*.pack"))
		if len(packs) != 1 {
			t.Fatalf("packs: %v", packs)
		}
		fi, _ := os.Stat(packs[0])
		os.Truncate(packs[0], fi.Size()/2)
		out := filepath.Join(t.TempDir(), "r.json")
		r := run(t, runOpt{dir: d}, "git", "--no-progress", "-f", "json", "-o", out, ".")
		rep, wrote := readReport(t, out)
		record(t, "corrupt repository: a pack cut in half", r, rep, wrote, len(rep.Findings), 3)
		if r.code != 2 || !wrote || !rep.Summary.Partial {
			t.Errorf("exit %d, report %v, partial %v (want 2, written, partial)\n%s", r.code, wrote, rep.Summary.Partial, r.stderr)
		}
	})
	t.Run("corrupt-bad-ref", func(t *testing.T) {
		d := newRepo(t, 2)
		write(t, filepath.Join(d, ".git", "refs", "heads", "broken"), []byte("0123456789abcdef0123456789abcdef01234567\n"))
		// The ref costs itself only: the others' history is scanned, the
		// report is partial and names the ref (every engine).
		for _, eng := range []string{"--engine=auto", "--engine=pack", "--engine=diff", "--engine=blob"} {
			r, _ := scanCase(t, "corrupt repository: a ref to a missing commit "+eng, runOpt{dir: d}, 2, 2, true, "git", eng, ".")
			if !strings.Contains(r.stderr, "refs/heads/broken") {
				t.Errorf("the broken ref is not named:\n%s", r.stderr)
			}
		}
	})
	t.Run("shallow-clone", func(t *testing.T) {
		src := newRepo(t, 3)
		d := filepath.Join(t.TempDir(), "c")
		git(t, filepath.Dir(d), "clone", "-q", "--depth", "1", "file://"+src, d)
		scanCase(t, "shallow clone (depth 1)", runOpt{dir: d}, 3, 1, false, "git", ".")
	})
	t.Run("10MB-commit-message", func(t *testing.T) {
		d := newRepo(t, 1)
		k := key(200)
		msg := "subject\n\n" + strings.Repeat("a long body line of the message\n", 10<<20/32) + "aws_key = " + k + "\n"
		write(t, filepath.Join(d, "msg"), []byte(msg))
		write(t, filepath.Join(d, "g.txt"), []byte("x\n"))
		git(t, d, "add", "g.txt")
		git(t, d, "commit", "-q", "--no-verify", "-F", "msg")
		os.Remove(filepath.Join(d, "msg"))
		r, _ := scanCase(t, "a 10 MB commit message (secret at its end)", runOpt{dir: d}, 2, 1, false, "git", ".")
		noLeak(t, "stderr", r.stderr, k)
		// --no-messages: no format carries the message's secret (a
		// small repository: the formats, not the size, are checked).
		d = newRepo(t, 1)
		commit(t, d, "g.txt", "x\n", "subject\n\naws_key = "+k+"\n")
		for _, f := range []string{"json", "sarif", "csv", "gitleaks-json", "text", "junit", "github"} {
			r := run(t, runOpt{dir: d}, "git", "--no-progress", "--no-messages", "-f", f, ".")
			noLeak(t, "--no-messages -f "+f, r.stdout+r.stderr, k)
			r = run(t, runOpt{dir: d}, "git", "--no-progress", "-f", f, ".")
			noLeak(t, "-f "+f, r.stdout+r.stderr, k)
		}
	})
	t.Run("range-is-never-an-option", func(t *testing.T) {
		d := newRepo(t, 2)
		victim := filepath.Join(t.TempDir(), "victim")
		os.WriteFile(victim, []byte("keep\n"), 0o644)
		for _, arg := range []string{"--range=--output=" + victim, "--range=-o" + victim} {
			r := run(t, runOpt{dir: d}, "git", "--no-progress", arg, ".")
			b, _ := os.ReadFile(victim)
			t.Logf("RESULT git %s | exit %d | victim kept %v", arg, r.code, string(b) == "keep\n")
			if r.code != 2 || string(b) != "keep\n" {
				t.Errorf("%s: exit %d, victim %q\n%s", arg, r.code, b, r.stderr)
			}
		}
	})
	t.Run("pr-cannot-allowlist-itself", func(t *testing.T) {
		d := newRepo(t, 1)
		base := git(t, d, "rev-parse", "HEAD")
		write(t, filepath.Join(d, ".gitleaks.toml"), []byte("[allowlist]\nregexes = ['''.*''']\npaths = ['''.*''']\n"))
		write(t, filepath.Join(d, ".gitleaksignore"), []byte("*\n"))
		commit(t, d, "new.txt", fmt.Sprintf("aws_key = %q\n", key(300)), "add")
		r, _ := scanCase(t, "a PR adds .gitleaks.toml allowlisting .* (--range)", runOpt{dir: d}, 1, 1, false, "git", "--range", base+"..HEAD", ".")
		if !strings.Contains(r.stderr, ".gitleaks.toml") {
			t.Errorf("the change to the config is not reported:\n%s", r.stderr)
		}
	})
}

func TestErrorsKeepSecrets(t *testing.T) {
	k := key(400)
	d := t.TempDir()
	write(t, filepath.Join(d, "bad.toml"), []byte("[[rules]]\nid = \"x\"\nregex = '''(("+k+"'''\n"))
	write(t, filepath.Join(d, "a.txt"), []byte("nothing\n"))
	r := run(t, runOpt{dir: d}, "scan", "--no-progress", "-c", "bad.toml", "a.txt")
	t.Logf("RESULT invalid config regex holding a secret (scan) | exit %d", r.code)
	if r.code != 2 {
		t.Errorf("exit %d", r.code)
	}
	noLeak(t, "stderr (invalid regex)", r.stderr, k)
	ev := []byte(`{"hook_event_name":"UserPromptSubmit","prompt":"hi"}`)
	// Whatever the hook writes (audit log, state) goes under st.
	st := t.TempDir()
	stEnv := []string{"LEAKGUARD_STATE_DIR=" + st, "XDG_STATE_HOME=" + st, "HOME=" + st}
	r = run(t, runOpt{dir: d, stdin: ev, env: stEnv}, "agent-hook", "claude-code", "-c", "bad.toml")
	t.Logf("RESULT invalid config regex (agent-hook) | exit %d | blocked %v", r.code, strings.Contains(r.stdout, "block"))
	if !strings.Contains(r.stdout, `"block"`) {
		t.Errorf("agent-hook with a bad config did not block: %s", r.stdout)
	}
	noLeak(t, "agent-hook answer and stderr", r.stdout+r.stderr, k)
	files := 0
	filepath.Walk(st, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			files++
			b, _ := os.ReadFile(p)
			noLeak(t, p, string(b), k)
		}
		return nil
	})
	t.Logf("%d files written by the hook checked", files)
	r = run(t, runOpt{dir: d, stdin: []byte(`{"hook_event_name":"Bogus` + k + `","prompt":"x"}`)}, "agent-hook", "claude-code")
	t.Logf("RESULT unknown agent event name holding a secret | exit %d | blocked %v", r.code, strings.Contains(r.stdout, "block"))
	noLeak(t, "unknown event answer", r.stdout+r.stderr, k)
	if !strings.Contains(r.stdout, `"block"`) {
		t.Errorf("unknown event not blocked: %s", r.stdout)
	}
	// A malformed hunk header quoting a secret: not on stderr, and the
	// findings of the files around it are kept.
	patch := fmt.Sprintf("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+aws_key = %q\n+k\n@@ -1,%s +1 @@\n+v\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -0,0 +1 @@\n+aws_key = %q\n", key(401), k, key(402))
	write(t, filepath.Join(d, "bad.diff"), []byte(patch))
	r, _ = scanCase(t, "a malformed hunk header holding a secret (diff)", runOpt{dir: d}, 2, 2, true, "diff", "bad.diff")
	noLeak(t, "stderr (malformed hunk)", r.stderr, k)
}

func TestAgentGates(t *testing.T) {
	k := key(500)
	t.Run("stdin-never-closes", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			max  time.Duration
		}{{nil, 7 * time.Second}, {[]string{"--stdin-timeout", "1s"}, 3 * time.Second}} {
			cmd := exec.Command(bin, append([]string{"agent-hook", "claude-code"}, c.args...)...)
			cmd.Env = append(os.Environ(), "LEAKGUARD_STATE_DIR="+t.TempDir())
			w, _ := cmd.StdinPipe()
			var so bytes.Buffer
			cmd.Stdout = &so
			start := time.Now()
			cmd.Start()
			fmt.Fprintf(w, `{"hook_event_name":"UserPromptSubmit","prompt":"%s"`, k)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("agent-hook with an open stdin did not answer within 30 s")
			}
			el := time.Since(start)
			w.Close()
			t.Logf("RESULT agent-hook, stdin never closed %v | exit %d | %s | %.1fs", c.args, cmd.ProcessState.ExitCode(), strings.TrimSpace(so.String()), el.Seconds())
			if !strings.Contains(so.String(), `"block"`) || el > c.max {
				t.Errorf("open stdin %v: answer %q after %v (want block within %v)", c.args, so.String(), el, c.max)
			}
			noLeak(t, "answer", so.String(), k)
		}
	})
	t.Run("installed-hook-without-leakguard-on-path", func(t *testing.T) {
		home := t.TempDir()
		r := run(t, runOpt{dir: home, env: []string{"HOME=" + home}}, "agent-hook", "install", "claude-code", "--scope", "user")
		if r.code != 0 {
			t.Fatalf("install: %d %s", r.code, r.stderr)
		}
		var s struct {
			Hooks map[string][]struct {
				Hooks []struct {
					Command string `json:"command"`
				} `json:"hooks"`
			} `json:"hooks"`
		}
		b, _ := os.ReadFile(filepath.Join(home, ".claude", "settings.json"))
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		command := s.Hooks["PreToolUse"][0].Hooks[0].Command
		cmd := exec.Command("/bin/sh", "-c", command)
		cmd.Env = []string{"PATH=/nonexistent", "HOME=" + home}
		cmd.Stdin = strings.NewReader(fmt.Sprintf(`{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo %s"}}`, k))
		out, _ := cmd.Output()
		t.Logf("RESULT installed agent hook run with PATH=/nonexistent | exit %d | %s", cmd.ProcessState.ExitCode(), strings.TrimSpace(string(out)))
		if !filepath.IsAbs(strings.Fields(command)[0]) || !strings.Contains(string(out), "deny") {
			t.Errorf("installed command %q without leakguard on PATH: %s", command, out)
		}
	})
}

func TestAgentAuditUnwritable(t *testing.T) {
	d := t.TempDir()
	write(t, filepath.Join(d, ".leakguard.toml"), []byte("[extend]\nuseDefault = true\n[hooks]\naudit = { path = \"/dev/full\", enabled = true }\n"))
	ev := fmt.Sprintf(`{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"cat x"},"tool_response":{"stdout":"k=%s"}}`, key(700))
	r := run(t, runOpt{dir: d, stdin: []byte(ev)}, "agent-hook", "claude-code")
	t.Logf("RESULT agent-hook, audit log unwritable (/dev/full) | exit %d | %s", r.code, strings.TrimSpace(r.stdout))
	if r.code != 2 || !strings.Contains(r.stdout, `"block"`) {
		t.Errorf("unwritable audit log: exit %d %s", r.code, r.stdout)
	}
	noLeak(t, "answer", r.stdout+r.stderr, key(700))
}

func TestGitHooksFailClosed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sh hooks")
	}
	k := key(600)
	d := newRepo(t, 1)
	env := []string{"HOME=" + d}
	r := run(t, runOpt{dir: d, env: env}, "hook", "install")
	if r.code != 0 {
		t.Fatalf("hook install: %s", r.stderr)
	}
	write(t, filepath.Join(d, "s.txt"), []byte(fmt.Sprintf("aws_key = %q\n", k)))
	git(t, d, "add", "s.txt")
	try := func(name string, extra ...string) string {
		t.Helper()
		cmd := exec.Command("git", "commit", "-q", "-m", "x")
		cmd.Dir = d
		// The hook finds the binary under test by LEAKGUARD_BIN (later
		// entries win: the stubs below replace it).
		cmd.Env = append(append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.invalid", "HOME="+d, "LEAKGUARD_BIN="+bin), extra...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		code := 0
		if err != nil {
			code = cmd.ProcessState.ExitCode()
		}
		t.Logf("RESULT git commit, %s | exit %d | %.1fs | %s", name, code, time.Since(start).Seconds(), firstLine(string(out)))
		if code == 0 {
			t.Errorf("%s: the commit went through\n%s", name, out)
			git(t, d, "reset", "-q", "--soft", "HEAD~1")
		}
		noLeak(t, name, string(out), k)
		return string(out)
	}
	try("secret staged")
	stub := filepath.Join(t.TempDir(), "hang")
	os.WriteFile(stub, []byte("#!/bin/sh\nsleep 60\n"), 0o755)
	try("leakguard hangs (LEAKGUARD_HOOK_TIMEOUT=2)", "LEAKGUARD_BIN="+stub, "LEAKGUARD_HOOK_TIMEOUT=2")
	crash := filepath.Join(t.TempDir(), "crash")
	os.WriteFile(crash, []byte("#!/bin/sh\nkill -SEGV $$\n"), 0o755)
	if out := try("leakguard crashes (SIGSEGV)", "LEAKGUARD_BIN="+crash); !strings.Contains(out, "crashed (leakguard killed by signal 11)") {
		t.Errorf("a crash blocks without saying so:\n%s", out)
	}
	try("leakguard missing", "LEAKGUARD_BIN=/nonexistent/leakguard")
	write(t, filepath.Join(d, ".leakguard.toml"), []byte("[[rules]\nbroken"))
	try("malformed config")
	write(t, filepath.Join(d, ".leakguard.toml"), []byte("[hooks]\naudit = { path = \"/dev/full\", enabled = true }\n"))
	try("audit log unwritable (/dev/full)")
	os.Remove(filepath.Join(d, ".leakguard.toml"))

	// pre-push over a range with an object git cannot read blocks.
	git(t, d, "reset", "-q", "--hard")
	base := git(t, d, "rev-parse", "HEAD")
	tip := commit(t, d, "clean.txt", "nothing\n", "clean")
	blob := git(t, d, "rev-parse", "HEAD:clean.txt")
	os.Remove(filepath.Join(d, ".git", "objects", blob[:2], blob[2:]))
	cmd := exec.Command(filepath.Join(d, ".git", "hooks", "pre-push"), "origin", "file:///nowhere")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "HOME="+d, "LEAKGUARD_BIN="+bin)
	cmd.Stdin = strings.NewReader(fmt.Sprintf("refs/heads/main %s refs/heads/main %s\n", tip, base))
	out, _ := cmd.CombinedOutput()
	t.Logf("RESULT pre-push over a range with a missing object | exit %d | %s", cmd.ProcessState.ExitCode(), firstLine(string(out)))
	if cmd.ProcessState.ExitCode() == 0 {
		t.Errorf("pre-push over an unreadable range went ahead:\n%s", out)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Command agenthook times `leakguard agent-hook claude-code` from process
// start to exit on 10 KB PreToolUse events, for one or more leakguard
// binaries, alternating them run by run so that machine load hits all
// alike:
//
//	go run ./benchmarks/agenthook -runs 41 OLD_BINARY NEW_BINARY
//
// Cases: "clean" (a Write of 10 KB of prose: the answer must be {}),
// "deny" (the same with one Authorization: Bearer header, built at run
// time: the answer must deny), and "deny-aws" (an AWS key id in a 10 KB
// Bash command). A binary that answers otherwise fails the run (exit 1).
// Prints a markdown table of medians (and the 10th/90th percentiles) in
// milliseconds. The audit log goes to a temporary directory.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func token(rng *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

func events(dir string) map[string][]byte {
	rng := rand.New(rand.NewSource(1))
	prose := strings.Repeat("lorem ipsum dolor sit amet, consectetur adipiscing elit\n", 90)
	ev := func(tool string, input map[string]string) []byte {
		b, _ := json.Marshal(map[string]any{"session_id": "bench", "transcript_path": "/t.jsonl", "cwd": dir,
			"hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": input, "tool_use_id": "toolu_1"})
		return b
	}
	// Mixed letters and digits, as real tokens are.
	var bearer strings.Builder
	for i := 0; i < 14; i++ {
		bearer.WriteString(token(rng, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz", 1))
		bearer.WriteString(token(rng, "23456789", 1))
	}
	aws := "AK" + "IA" + token(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	return map[string][]byte{
		"clean":    ev("Write", map[string]string{"file_path": filepath.Join(dir, "x.txt"), "content": prose + prose}),
		"deny":     ev("Write", map[string]string{"file_path": filepath.Join(dir, "x.py"), "content": prose + "headers = {\"Authorization\": \"Bearer " + bearer.String() + "\"}\n" + prose}),
		"deny-aws": ev("Bash", map[string]string{"command": "aws configure set aws_access_key_id " + aws + " # " + prose + prose}),
	}
}

func run(bin string, in []byte, env []string) (time.Duration, []byte, error) {
	cmd := exec.Command(bin, "agent-hook", "claude-code")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	err := cmd.Run()
	return time.Since(start), out.Bytes(), err
}

func pct(d []time.Duration, p float64) float64 {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000
}

func main() {
	runs := flag.Int("runs", 41, "timed runs per binary and case")
	flag.Parse()
	bins := flag.Args()
	if len(bins) == 0 {
		fmt.Fprintln(os.Stderr, "usage: agenthook [-runs N] BINARY...")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "agenthook-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer os.RemoveAll(dir)
	env := append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	evs := events(dir)
	fmt.Println("| case | binary | median ms | p10 | p90 |")
	fmt.Println("|---|---|---:|---:|---:|")
	failed := false
	for _, name := range []string{"clean", "deny", "deny-aws"} {
		times := make([][]time.Duration, len(bins))
		for r := -3; r < *runs; r++ { // 3 warm-up runs
			for i, b := range bins {
				d, out, err := run(b, evs[name], env)
				denied := bytes.Contains(out, []byte(`"permissionDecision":"deny"`))
				if err != nil || denied != (name != "clean") {
					fmt.Fprintf(os.Stderr, "%s on %s: wrong answer (%v): %.200s\n", b, name, err, out)
					failed = true
				}
				if r >= 0 {
					times[i] = append(times[i], d)
				}
			}
		}
		for i, b := range bins {
			fmt.Printf("| %s | %s | %.1f | %.1f | %.1f |\n", name, filepath.Base(b), pct(times[i], 0.5), pct(times[i], 0.1), pct(times[i], 0.9))
		}
	}
	if failed {
		os.Exit(1)
	}
}

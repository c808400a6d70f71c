package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenAndScoreExitStatus(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"gen", "-seed", "3", "-files", "1", dir}, &out, &errb); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "13 contexts") {
		t.Errorf("gen output: got %q, want the context count", out.String())
	}
	report := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(report, []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	labels := filepath.Join(dir, "labels.json")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"plain", []string{"score", "-labels", labels, report}, 0},
		{"below min recall", []string{"score", "-labels", labels, "-min-recall", "0.5", report}, 1},
		{"missing labels", []string{"score", report}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o, e bytes.Buffer
			if got := run(tt.args, &o, &e); got != tt.want {
				t.Errorf("exit status: got %d, want %d (stderr %q)", got, tt.want, e.String())
			}
		})
	}
}

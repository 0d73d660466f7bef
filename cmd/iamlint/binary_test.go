package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/iamlint/iamlint/reports"
)

// TestBinaryFormatsAndExitCodes builds the iamlint binary and runs it on
// the examples (findings: exit 1), on a clean folder (exit 0) and on a
// file that does not parse (exit 2), in every output format.
func TestBinaryFormatsAndExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "iamlint")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := filepath.Join("..", "..")
	cases := []struct {
		name string
		path string
		want int
	}{
		{"examples", filepath.Join(root, "examples"), 1},
		{"clean", filepath.Join(root, "testdata", "e2e", "clean"), 0},
		{"malformed", filepath.Join(root, "testdata", "e2e", "malformed"), 2},
	}
	for _, format := range reports.Formats() {
		for _, c := range cases {
			t.Run(format+"/"+c.name, func(t *testing.T) {
				cmd := exec.Command(bin, "check", "--now", "2025-06-15", "--format", format, c.path)
				cmd.Env = append(os.Environ(), "NO_COLOR=1")
				out, err := cmd.Output()
				code := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != c.want {
					t.Errorf("exit %d, want %d", code, c.want)
				}
				if len(out) == 0 {
					t.Errorf("no output")
				}
			})
		}
	}
}

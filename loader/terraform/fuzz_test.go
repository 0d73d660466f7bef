package terraform

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// FuzzLoad writes the input as main.tf of a fresh folder and loads it.
// Loading must never panic, and must never need the evaluator's panic
// recovery (an "Internal error" diagnostic is a bug too).
func FuzzLoad(f *testing.F) {
	filepath.WalkDir(fixtures, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Add([]byte("locals {\n  a = local.a\n}\n"))
	f.Add([]byte("resource \"aws_iam_policy\" \"p\" {\n  policy = <<-EOT\n    {\"Statement\": ${jsonencode([1])}}\n  EOT\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		// A load that takes this long is looping: fail with the stacks.
		tm := time.AfterFunc(20*time.Second, func() {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			panic("load did not finish:\n" + string(buf[:n]))
		})
		m, diags := Load(context.Background(), []string{dir}, Options{Roots: []string{dir}})
		tm.Stop()
		if m == nil {
			t.Fatal("nil model")
		}
		for _, d := range diags {
			if d.Summary == "Internal error" {
				t.Fatalf("recovered panic: %s", d.Detail)
			}
		}
	})
}

package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDiffCorpus times a whole `iamlint diff` of the shared benchmark
// corpus's account dump: both states loaded, analysed and checked by the
// built-in rules, compared, and written as JSON. "same" compares the
// folder with itself; "one-change" with a copy whose gaad.json gives its
// first user a new inline statement (iam:PassRole and
// lambda:CreateFunction on "*"), the shape of a typical pull request.
// With -cpuprofile it is the way to profile a diff; see benchCorpus for
// which corpus it reads.
func BenchmarkDiffCorpus(b *testing.B) {
	dir := benchCorpus(b)
	run := func(b *testing.B, head string) {
		app := &App{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
		args := []string{"diff", "--no-config", "--format", "json", dir, head}
		b.ReportAllocs()
		for b.Loop() {
			if code := app.Run(context.Background(), args); code == ExitFailure {
				b.Fatalf("diff exited %d", code)
			}
		}
	}
	b.Run("same", func(b *testing.B) { run(b, dir) })
	b.Run("one-change", func(b *testing.B) {
		gaad, err := os.ReadFile(filepath.Join(dir, "gaad.json"))
		if err != nil {
			b.Skipf("no gaad.json in %s: %v", dir, err)
		}
		// A member inserted before the first user's name (member order
		// does not matter in JSON).
		at := bytes.Index(gaad, []byte(`"UserName"`))
		if at < 0 {
			b.Skipf("no user in %s/gaad.json", dir)
		}
		head := filepath.Join(b.TempDir(), "aws")
		if err := os.CopyFS(head, os.DirFS(dir)); err != nil {
			b.Fatal(err)
		}
		const inline = `"UserPolicyList": [{"PolicyName": "bench-change", "PolicyDocument": {"Version": "2012-10-17",
			"Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}]}}],
			`
		changed := append(append(gaad[:at:at], inline...), gaad[at:]...)
		if err := os.WriteFile(filepath.Join(head, "gaad.json"), changed, 0o644); err != nil {
			b.Fatal(err)
		}
		run(b, head)
	})
}

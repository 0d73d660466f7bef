package cli

import (
	"context"
	"io"
	"os"
	"testing"
)

// BenchmarkCheckCorpus times a whole `iamlint check` of the shared
// benchmark corpus's account dump: loading, the analysis, every built-in
// rule and the JSON report. With -cpuprofile it is the way to profile a
// check; see benchCorpus for which corpus it reads.
func BenchmarkCheckCorpus(b *testing.B) {
	dir := benchCorpus(b)
	app := &App{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	args := []string{"check", "--no-config", "--now", "2026-06-01", "--format", "json", dir}
	b.ReportAllocs()
	for b.Loop() {
		if code := app.Run(context.Background(), args); code == ExitFailure {
			b.Fatalf("check exited %d", code)
		}
	}
}

// benchCorpus returns the folder of the shared benchmark corpus's account
// dump that the command benchmarks read: $IAMLINT_CORPUS, by default
// /tmp/iamlint-corpus/n1000/aws (generate it with scripts/bench-corpus, or
// point it at n10000/aws for the large account). It skips the benchmark
// when the folder is absent.
func benchCorpus(b *testing.B) string {
	dir := os.Getenv("IAMLINT_CORPUS")
	if dir == "" {
		dir = "/tmp/iamlint-corpus/n1000/aws"
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		b.Skipf("no corpus at %s: generate it with scripts/bench-corpus, or set IAMLINT_CORPUS", dir)
	}
	return dir
}

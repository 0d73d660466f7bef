package rego

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

// corpusInput loads the shared benchmark corpus's account dump
// (scripts/bench-corpus; IAMLINT_CORPUS_GAAD names another copy) from its
// folder, as `iamlint check gaad.json` run there would, or skips.
func corpusInput(tb testing.TB) *rules.Input {
	path := os.Getenv("IAMLINT_CORPUS_GAAD")
	if path == "" {
		path = "/tmp/iamlint-corpus/n10000/aws/gaad.json"
	}
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("no corpus at %s: generate it with scripts/bench-corpus", path)
	}
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples", "rego"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Setenv("IAMLINT_EXAMPLES_REGO", examples)
	tb.Chdir(filepath.Dir(path))
	m, diags := loader.Load(context.Background(), []string{filepath.Base(path)}, loader.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	in := rules.NewInput(m, diags)
	// A default check computes these for the built-in rules (IAM150–IAM152
	// need the escalations); the custom rules share them.
	in.Analysis().Escalations()
	return in
}

// BenchmarkExampleRules times what the five example rules add to a check
// of the corpus: loading and compiling them, building the input document
// and evaluating each rule, reporting included.
func BenchmarkExampleRules(b *testing.B) {
	in := corpusInput(b)
	dir := os.Getenv("IAMLINT_EXAMPLES_REGO")
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var findings int
	for b.Loop() {
		set, err := Load(ctx, []string{dir}, Options{Known: builtin.All()})
		if err != nil {
			b.Fatal(err)
		}
		fs, err := (&rules.Runner{Rules: set.Rules, Now: now}).Run(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		findings = len(fs)
	}
	b.ReportMetric(float64(findings), "findings")
}

// TestCorpusTiming prints, with IAMLINT_BENCH=1, the phases of the example
// rules on the corpus: compile, input document (build and conversion, with
// its size as JSON), and each rule's evaluation.
func TestCorpusTiming(t *testing.T) {
	if os.Getenv("IAMLINT_BENCH") != "1" {
		t.Skip("IAMLINT_BENCH=1 runs it")
	}
	in := corpusInput(t)
	dir := os.Getenv("IAMLINT_EXAMPLES_REGO")
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	t0 := time.Now()
	set, err := Load(ctx, []string{dir}, Options{Known: builtin.All()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load and compile %d rules: %v (sections %08b)", len(set.Rules), time.Since(t0), set.Sections())
	t0 = time.Now()
	doc := BuildInput(in, now, set.Sections())
	t1 := time.Now()
	v := toValue(doc)
	t.Logf("input document: build %v, AST %v", t1.Sub(t0), time.Since(t1))
	_ = v
	for _, s := range []Sections{set.Sections(), AllSections} {
		t0 = time.Now()
		n := jsonSize(t, BuildInput(in, now, s))
		t.Logf("input document with sections %08b: %.1f MB of JSON (%v to build and encode)", s, float64(n)/1e6, time.Since(t0))
	}
	total := time.Duration(0)
	for _, r := range set.Rules {
		t0 = time.Now()
		fs, err := (&rules.Runner{Rules: []*rules.Rule{r}, Now: now}).Run(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		d := time.Since(t0)
		total += d
		t.Logf("%s %-28s %4d findings %v", r.ID, r.Slug, len(fs), d)
	}
	t.Logf("total of the rule runs (the first builds the input): %v", total)
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func jsonSize(t *testing.T, doc *Input) int {
	w := &countingWriter{}
	if err := json.NewEncoder(w).Encode(doc); err != nil {
		t.Fatal(err)
	}
	return w.n
}

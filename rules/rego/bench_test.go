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
// folder, as `iamlint check gaad.json` run there would, or skips. It
// returns the input and the absolute path of examples/rego.
func corpusInput(tb testing.TB) (*rules.Input, string) {
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
	tb.Chdir(filepath.Dir(path))
	m, diags := loader.Load(context.Background(), []string{filepath.Base(path)}, loader.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	in := rules.NewInput(m, diags)
	// A default check computes these for the built-in rules (IAM150–IAM152
	// need the escalations); the custom rules share them.
	in.Analysis().Escalations()
	return in, examples
}

// BenchmarkExampleRules times what the five example rules add to a check
// of the corpus: loading and compiling them, building the input document
// and evaluating each rule, reporting included.
func BenchmarkExampleRules(b *testing.B) {
	in, dir := corpusInput(b)
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

// TestCorpusTiming prints, with IAMLINT_BENCH=1, what the example rules
// add to a check of the corpus once its built-in rules have run (they
// compute the effective permissions and escalations the custom rules
// share), phase by phase: loading and compiling the rules, the input
// document (built with the sections they refer to and converted to AST),
// and each rule's evaluation and reporting. It measures one run, as a
// check makes it: run it several times to see the spread.
func TestCorpusTiming(t *testing.T) {
	if os.Getenv("IAMLINT_BENCH") != "1" {
		t.Skip("IAMLINT_BENCH=1 runs it")
	}
	in, dir := corpusInput(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	set, err := Load(ctx, []string{dir}, Options{Known: builtin.All()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load and compile %d rules: %v", len(set.Rules), time.Since(start))
	t0 := time.Now()
	set.state(in, now)
	t.Logf("input document (sections %08b), built and converted to AST: %v", set.Sections(), time.Since(t0))
	for _, r := range set.Rules {
		t0 = time.Now()
		fs, err := (&rules.Runner{Rules: []*rules.Rule{r}, Now: now}).Run(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %-26s %v, %d findings", r.ID, r.Slug, time.Since(t0), len(fs))
	}
	t.Logf("added to the check: %v", time.Since(start))
	t0 = time.Now()
	doc := BuildInput(in, now, set.Sections())
	t1 := time.Now()
	toValue(doc)
	t.Logf("for comparison, the same sections built and converted whole: build %v, AST %v; %.1f MB as JSON", t1.Sub(t0), time.Since(t1), float64(jsonSize(t, doc))/1e6)
	t0 = time.Now()
	all := BuildInput(in, now, AllSections)
	t.Logf("every section (inspect --format rego-input): built in %v, %.1f MB as JSON", time.Since(t0), float64(jsonSize(t, all))/1e6)
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

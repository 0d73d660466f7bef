package analyzer

import (
	"context"
	"os"
	"testing"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/loader"
)

// BenchmarkBuild times building the graph of the shared benchmark corpus
// and the policy set of every principal in it. The corpus is loaded once,
// outside the timer.
func BenchmarkBuild(b *testing.B) {
	m := loadCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g := Build(m)
		n := 0
		for _, p := range g.Principals() {
			set, _ := g.PolicySet(p)
			n += len(set.Identity)
		}
		if n == 0 {
			b.Fatal("no identity policies in the corpus")
		}
	}
	b.StopTimer()
	g := Build(m)
	b.ReportMetric(float64(len(g.Principals())), "principals")
	b.ReportMetric(float64(len(g.Nodes)), "nodes")
	b.ReportMetric(float64(len(g.Edges)), "edges")
}

// BenchmarkAnalyze times the effective permissions of every principal of
// the shared benchmark corpus (graph building included).
func BenchmarkAnalyze(b *testing.B) {
	m := loadCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	var a *Analysis
	for b.Loop() {
		a = Analyze(Build(m))
	}
	b.StopTimer()
	admins := 0
	for _, p := range a.perms {
		if p.Admin != 0 {
			admins++
		}
	}
	b.ReportMetric(float64(len(a.perms)), "principals")
	b.ReportMetric(float64(admins), "admins")
}

// loadCorpus loads the corpus account dump, or skips the benchmark.
func loadCorpus(b *testing.B) *iam.Model {
	path := os.Getenv("IAMLINT_CORPUS_GAAD")
	if path == "" {
		path = "/tmp/iamlint-corpus/n10000/aws/gaad.json"
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("no corpus at %s: generate it with scripts/bench-corpus", path)
	}
	m, diags := loader.Load(context.Background(), []string{path}, loader.Options{})
	if diags.HasErrors() {
		b.Fatalf("loading %s: %s", path, diags)
	}
	return m
}

func TestCorpusAssumptionCount(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	path := "/tmp/iamlint-corpus/n10000/aws/gaad.json"
	if _, err := os.Stat(path); err != nil {
		t.Skip()
	}
	m, _ := loader.Load(context.Background(), []string{path}, loader.Options{})
	a := Analyze(Build(m))
	n, maybe := 0, 0
	for _, l := range a.assumers {
		n += len(l)
		for _, as := range l {
			if as.Allowed == iam.Maybe {
				maybe++
			}
		}
	}
	t.Logf("%d assumption edges (%d conditional) into %d roles", n, maybe, len(a.assumers))
}

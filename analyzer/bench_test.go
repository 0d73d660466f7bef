package analyzer

import (
	"context"
	"os"
	"testing"

	"github.com/iamlint/iamlint/loader"
)

// BenchmarkBuild times building the graph of the shared benchmark corpus
// and the policy set of every principal in it. The corpus is loaded once,
// outside the timer.
func BenchmarkBuild(b *testing.B) {
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

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
	edges := 0
	for _, l := range a.assumers {
		edges += len(l)
	}
	b.ReportMetric(float64(len(a.perms)), "principals")
	b.ReportMetric(float64(admins), "admins")
	b.ReportMetric(float64(edges), "can-assume")
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

// BenchmarkEscalations times the escalation search over the corpus, the
// effective permissions and can-assume edges computed beforehand.
func BenchmarkEscalations(b *testing.B) {
	m := loadCorpus(b)
	g := Build(m)
	base := Analyze(g)
	b.ReportAllocs()
	b.ResetTimer()
	var a *Analysis
	for b.Loop() {
		b.StopTimer()
		a = &Analysis{Graph: g, cat: base.cat, perms: base.perms, docs: base.docs, assumers: base.assumers, assumable: base.assumable, roleServices: base.roleServices, trustees: base.trustees}
		b.StartTimer()
		a.Escalations()
	}
	b.StopTimer()
	admin := 0
	for _, e := range a.Escalations() {
		if e.Admin != iam.No {
			admin++
		}
	}
	b.ReportMetric(float64(len(a.Escalations())), "escalations")
	b.ReportMetric(float64(admin), "to-admin")
}

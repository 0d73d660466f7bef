package iam_test

import (
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/simcase"
)

// TestConformance replays every stored conformance case — requests with the
// decision the reference oracle gave (scripts/oracle-check re-asks it) —
// through the evaluator. known-deviations.json holds the few cases where
// AWS's documented behaviour differs from the oracle; there "expect" is
// AWS's answer.
func TestConformance(t *testing.T) {
	total, failed := 0, 0
	for f, c := range conformanceCases(t) {
		total++
		got := iam.Evaluate(&c.Request, &c.Set)
		if got.Decision.String() != c.Expect {
			failed++
			t.Errorf("%s:%d: case %s: got %s (%s), want %s", f, c.Range.Start.Line, c.ID, got.Decision, got.Reason, c.Expect)
		}
	}
	t.Logf("conformance: %d/%d cases agree", total-failed, total)
}

// conformanceCases yields every stored case with the file it is in.
func conformanceCases(t *testing.T) iter.Seq2[string, *simcase.Case] {
	t.Helper()
	var files []string
	err := filepath.WalkDir("../testdata/conformance", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no conformance cases found under testdata/conformance")
	}
	var all []*simcase.Case
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases, diags := simcase.Parse(data, filepath.ToSlash(f))
		for _, d := range diags {
			if d.Severity == 1 && strings.HasPrefix(d.Summary, "Unknown case field") {
				t.Errorf("%s: %s", f, d.Error())
			}
		}
		for _, c := range cases {
			if c.Expect == "" {
				t.Errorf("%s: case %s has no expected decision", f, c.ID)
				continue
			}
			all = append(all, c)
			names = append(names, f)
		}
	}
	return func(yield func(string, *simcase.Case) bool) {
		for i, c := range all {
			if !yield(names[i], c) {
				return
			}
		}
	}
}

package reports

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

// TestBaselineGolden writes the shared findings as a baseline.
func TestBaselineGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := NewBaseline(Tool{Name: "iamlint", Version: "test"}, loadReport(t).Findings, "").Write(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "golden", "baseline.golden"), buf.String())
}

// TestBaselineRoundTrip: a baseline written from findings holds all of
// them; each suppressed finding points at its entry.
func TestBaselineRoundTrip(t *testing.T) {
	fs := loadReport(t).Findings
	var buf bytes.Buffer
	if err := NewBaseline(Tool{Name: "iamlint", Version: "test"}, fs, "").Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline("base.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	kept, baselined, stale := b.Apply(fs)
	if len(kept) != 0 || len(stale) != 0 || len(baselined) != len(fs) {
		t.Fatalf("kept %d, baselined %d, stale %d; want 0, %d, 0", len(kept), len(baselined), len(stale), len(fs))
	}
	lines := strings.Split(buf.String(), "\n")
	for _, f := range baselined {
		s := f.Suppressed
		if s == nil || !s.External || s.Reason != "in the baseline base.json" || s.Range.Filename != "base.json" {
			t.Fatalf("%s: suppression %+v", f.Fingerprint, s)
		}
		line := lines[s.Range.Start.Line-1]
		if got := line[s.Range.Start.Column-1 : s.Range.End.Column-1]; got != `"`+f.Fingerprint+`"` {
			t.Errorf("%s: the suppression's range holds %q", f.Fingerprint, got)
		}
	}
}

func TestBaselineApply(t *testing.T) {
	f := func(rule, fp string) rules.Finding {
		return rules.Finding{RuleID: rule, Severity: rules.High, Fingerprint: fp, Message: "m " + fp, Path: "p.json", Range: hcl.Range{Filename: "p.json"}}
	}
	b := NewBaseline(Tool{Name: "iamlint"}, []rules.Finding{f("IAM101", "aa"), f("IAM101", "bb"), f("IAM102", "cc")}, "")
	b.name = "b.json"
	kept, baselined, stale := b.Apply([]rules.Finding{
		f("IAM101", "aa"), f("IAM101", "aa"), // one entry matches one finding
		f("IAM102", "bb"), // the fingerprint of another rule
		f("IAM102", "cc"),
	})
	fps := func(fs []rules.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.RuleID+"/"+f.Fingerprint)
		}
		return out
	}
	if d := cmp.Diff([]string{"IAM101/aa", "IAM102/bb"}, fps(kept)); d != "" {
		t.Errorf("kept (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"IAM101/aa", "IAM102/cc"}, fps(baselined)); d != "" {
		t.Errorf("baselined (-want +got):\n%s", d)
	}
	if len(stale) != 1 || stale[0].Fingerprint != "bb" || stale[0].RuleID != "IAM101" {
		t.Errorf("stale = %+v", stale)
	}
}

// TestBaselinePortable: names below the working folder are written
// relative to it.
func TestBaselinePortable(t *testing.T) {
	dir := filepath.Join(string(filepath.Separator)+"home", "me", "repo")
	fd := rules.Finding{RuleID: "IAM000", Fingerprint: "aa",
		Path:    filepath.Join(dir, "p.json"),
		Message: "cannot read " + filepath.Join(dir, "p.json") + ": denied"}
	b := NewBaseline(Tool{Name: "iamlint"}, []rules.Finding{fd}, dir)
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), dir) {
		t.Errorf("the baseline holds %s:\n%s", dir, buf.String())
	}
	if e := b.Findings[0]; e.Path != "p.json" || e.Message != "cannot read p.json: denied" {
		t.Errorf("entry %+v", e)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`[]`, "is not a baseline file"},
		{`{"findings": []}`, "has no version"},
		{`{"version": 2, "findings": []}`, "is version 2; this iamlint reads version 1"},
		{`{"version": 1, "findings": [{"ruleId": "IAM101"}]}`, "entry 1 has no ruleId or fingerprint"},
	} {
		_, err := ReadBaseline("b.json", []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "b.json") {
			t.Errorf("%s: error %v, want one with %q", tc.data, err, tc.want)
		}
	}
	b, err := ReadBaseline("b.json", []byte(`{"version": 1, "tool": {"name": "iamlint", "version": "v9"}, "findings": []}`))
	if err != nil || len(b.Findings) != 0 {
		t.Errorf("empty baseline: %v %+v", err, b)
	}
}

package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/rules"
)

func TestGitHubEscaping(t *testing.T) {
	if got, want := ghData("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad"; got != want {
		t.Errorf("ghData = %q, want %q", got, want)
	}
	if got, want := ghProperty("100% a:b, c\r\nd"), "100%25 a%3Ab%2C c%0D%0Ad"; got != want {
		t.Errorf("ghProperty = %q, want %q", got, want)
	}
	r := &Report{
		Rules: []*rules.Rule{{Meta: rules.Meta{ID: "IAM101", Slug: "full-admin"}}},
		Findings: []rules.Finding{{RuleID: "IAM101", Severity: rules.Low, Message: "50% of\nit",
			Range: rng("a,b/c:d.tf", 2, 3, 4, 5)}},
	}
	var buf bytes.Buffer
	if err := (GitHub{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := "::notice file=a%2Cb/c%3Ad.tf,line=2,col=3,endLine=4,endColumn=5,title=IAM101 full-admin::50%25 of%0Ait\n"
	if got := strings.SplitAfter(buf.String(), "\n")[0]; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestGitHubLeavesOutSuppressed: a suppressed finding is no annotation.
func TestGitHubLeavesOutSuppressed(t *testing.T) {
	r := loadReport(t)
	var buf bytes.Buffer
	if err := (GitHub{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Suppressed {
		if strings.Contains(buf.String(), f.Message) {
			t.Errorf("suppressed finding %q annotated", f.Message)
		}
	}
	if n := strings.Count(buf.String(), "\n::") + 1; n != len(r.Findings)+len(r.Diagnostics) {
		t.Errorf("%d commands, want %d", n, len(r.Findings)+len(r.Diagnostics))
	}
}

package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/iamlint/iamlint/rules"
)

// TestMarkdownLimit: a report too large for one comment is cut in the
// collapsed list, with a note, and stays within the limit.
func TestMarkdownLimit(t *testing.T) {
	r := &Report{Tool: Tool{Name: "iamlint", Version: "test"}, Files: 1}
	long := strings.Repeat("x", 200)
	for i := range 2000 {
		r.Findings = append(r.Findings, rules.Finding{RuleID: "IAM110", Severity: rules.Medium,
			Message: fmt.Sprintf("finding %d %s", i, long), Range: rng("p.json", i+1, 1, i+1, 5)})
	}
	for _, limit := range []int{0, 20000} {
		var buf bytes.Buffer
		if err := (&Markdown{MaxLen: limit}).Report(&buf, r); err != nil {
			t.Fatal(err)
		}
		max := limit
		if max == 0 {
			max = GitHubCommentLimit
		}
		out := buf.String()
		if len(out) > max {
			t.Errorf("limit %d: %d bytes", max, len(out))
		}
		if !strings.Contains(out, "left out to keep this comment under GitHub's size limit") || !strings.HasSuffix(out, "</details>\n\n<sub>iamlint test</sub>\n") {
			t.Errorf("limit %d: no note, or the list is not closed:\n%s", max, out[len(out)-300:])
		}
	}
}

// TestMarkdownVerdict: the heading fails at FailOn, warns below it, passes
// without findings.
func TestMarkdownVerdict(t *testing.T) {
	low := rules.Finding{RuleID: "IAM306", Severity: rules.Low, Message: "m", Range: rng("p.json", 1, 1, 1, 2)}
	for _, tc := range []struct {
		failOn rules.Severity
		fs     []rules.Finding
		want   string
	}{
		{0, nil, "## ✅ "},
		{0, []rules.Finding{low}, "## ❌ "},
		{rules.High, []rules.Finding{low}, "## ⚠️ "},
	} {
		var buf bytes.Buffer
		if err := (&Markdown{FailOn: tc.failOn}).Report(&buf, &Report{Files: 1, Findings: tc.fs}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "\n"+tc.want) {
			t.Errorf("fail on %v with %d findings: want %q in\n%s", tc.failOn, len(tc.fs), tc.want, buf.String())
		}
	}
}

func TestMarkdownLinks(t *testing.T) {
	m := &Markdown{Repo: GitHubRepo{ServerURL: "https://github.example/", Repository: "o/r", Commit: "abc"}}
	for _, tc := range []struct {
		file string
		want string
	}{
		{"./infra/a b.tf", "[`./infra/a b.tf:3:1`](https://github.example/o/r/blob/abc/infra/a%20b.tf#L3-L4)"},
		{"../outside.tf", "`../outside.tf:3:1`"},
		{"/abs/x.tf", "`/abs/x.tf:3:1`"},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", "`arn:aws:iam::aws:policy/ReadOnlyAccess:3:1`"},
	} {
		if got := m.link(rng(tc.file, 3, 1, 4, 2)); got != tc.want {
			t.Errorf("link(%s) = %s, want %s", tc.file, got, tc.want)
		}
	}
}

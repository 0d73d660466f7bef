package accessdiff

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/rules"
)

const reportBase = `resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_role" "admin" {
  name = "admin"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_user.ops.arn }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`

// reportHead lets dev assume the administrator role (a new trust
// relationship, can-assume edge and escalation path, and the action
// sts:AssumeRole) and gives ops an AWS managed policy.
var reportHead = strings.Replace(reportBase, "{ AWS = aws_iam_user.ops.arn }", "{ AWS = [aws_iam_user.ops.arn, aws_iam_user.dev.arn] }", 1) + `
resource "aws_iam_user_policy_attachment" "ops" {
  user       = aws_iam_user.ops.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"
}

resource "aws_iam_user_policy" "dev" {
  name = "dev"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.admin.arn }]
  })
}
`

// results lists a report's results of changes of access as
// "RULE line:col: message" and their related locations indented.
func results(fs []rules.Finding) []string {
	var out []string
	for _, f := range fs {
		if !strings.HasPrefix(f.RuleID, "diff/") {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s:%d:%d", f.RuleID, filepath.Base(f.Range.Filename), f.Range.Start.Line, f.Range.Start.Column))
		for _, r := range f.Related {
			out = append(out, fmt.Sprintf("  %d:%d %s", r.Range.Start.Line, r.Range.Start.Column, r.Message))
		}
	}
	return out
}

// TestReport: every growth of access is a result at what grants it in
// head's files; an escalation path --allow-new permits is suppressed;
// head's new findings follow as their rules reported them.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	base := load(t, dir, "base", map[string]string{"main.tf": reportBase})
	head := load(t, dir, "head", map[string]string{"main.tf": reportHead})
	d := Compare(base, head)

	r := d.Report(nil, d.Violations(nil), nil)
	want := []string{
		// dev's own statement, the trust statement that admits it.
		"diff/new-assume main.tf:14:18",
		"diff/new-escalation-path main.tf:14:18",
		"  9:1 step 1 gains the permissions of role admin",
		"  1:1 user dev is declared here",
		// The principal the trust policy names.
		"diff/new-trust main.tf:16:50",
		"  9:1 role admin is declared here",
		// The attachment that brings an AWS managed policy.
		"diff/new-access main.tf:27:1",
		// The Action value.
		"diff/new-access main.tf:37:47",
	}
	if diff := cmp.Diff(want, results(r.Findings)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if len(r.Suppressed) != 0 {
		t.Errorf("%d suppressed results, want none", len(r.Suppressed))
	}
	for _, f := range r.Findings {
		if !strings.HasPrefix(f.Range.Filename, head.Root) {
			t.Errorf("%s: located in %s, not in head", f.RuleID, f.Range.Filename)
		}
		if f.Fingerprint == "" {
			t.Errorf("%s at %s: no fingerprint", f.RuleID, f.Range)
		}
	}
	if i := slices.IndexFunc(r.Findings, func(f rules.Finding) bool { return f.RuleID == "IAM150" }); i < 0 {
		t.Error("head's new IAM150 finding is not reported")
	}
	esc := r.Findings[slices.IndexFunc(r.Findings, func(f rules.Finding) bool { return f.RuleID == RuleNewEscalation })]
	if esc.Severity != rules.Critical || esc.Path != "aws_iam_user.dev → sts-assume-role → aws_iam_role.admin" {
		t.Errorf("escalation: severity %s, path %q", esc.Severity, esc.Path)
	}
	// Fingerprints name the result, not its place: distinct, and the
	// same in another run.
	seen := map[string]string{}
	for _, f := range r.Findings {
		if other, dup := seen[f.Fingerprint]; dup && strings.HasPrefix(f.RuleID, "diff/") {
			t.Errorf("%s and %s share the fingerprint %s", f.RuleID, other, f.Fingerprint)
		}
		seen[f.Fingerprint] = f.RuleID
	}
	again := Compare(base, head).Report(nil, d.Violations(nil), nil)
	for i := range again.Findings {
		if again.Findings[i].Fingerprint != r.Findings[i].Fingerprint {
			t.Errorf("%s: fingerprint %s, then %s", r.Findings[i].RuleID, r.Findings[i].Fingerprint, again.Findings[i].Fingerprint)
		}
	}

	// Permitted growth: ops's actions are no result, dev's escalation path
	// a suppressed one that names the entry.
	var allow []Allow
	for _, s := range []string{"ops:*", "dev:escalation"} {
		a, err := ParseAllow(s)
		if err != nil {
			t.Fatal(err)
		}
		allow = append(allow, a)
	}
	r = d.Report(allow, d.Violations(allow), nil)
	if got := results(r.Findings); slices.ContainsFunc(got, func(s string) bool {
		return strings.HasPrefix(s, RuleNewEscalation) || s == "diff/new-access main.tf:27:1"
	}) {
		t.Errorf("permitted growth reported:\n%s", strings.Join(got, "\n"))
	}
	if len(r.Suppressed) != 1 || r.Suppressed[0].RuleID != RuleNewEscalation ||
		r.Suppressed[0].Suppressed == nil || !r.Suppressed[0].Suppressed.External ||
		r.Suppressed[0].Suppressed.Reason != "permitted by --allow-new dev:escalation" {
		t.Errorf("suppressed: %+v", r.Suppressed)
	}
}

// TestReportRules: the rules of the results are described and documented
// where their link points.
func TestReportRules(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(DiffDocURL, "#sarif-for-code-scanning") || !strings.Contains(string(doc), "\n### SARIF for code scanning\n") {
		t.Errorf("%s names no section of docs/ci.md", DiffDocURL)
	}
	ids := map[string]bool{}
	for _, r := range Rules() {
		m := r.Meta
		if ids[m.ID] || m.Title == "" || len(m.Title) > 60 || strings.HasSuffix(m.Title, ".") || m.Rationale == "" || m.Severity == 0 {
			t.Errorf("%s: a duplicate or incomplete description: %+v", m.ID, m)
		}
		ids[m.ID] = true
		if len(m.References) == 0 || m.References[0] != DiffDocURL {
			t.Errorf("%s: references %v, want %s first", m.ID, m.References, DiffDocURL)
		}
		if !strings.Contains(string(doc), "`"+m.ID+"`") {
			t.Errorf("%s is not in docs/ci.md", m.ID)
		}
	}
}

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

func parse(t *testing.T, src string) (*Config, hcl.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	return Parse([]byte(src), file, builtin.All())
}

func TestTemplateParses(t *testing.T) {
	c, diags := parse(t, Template)
	if len(diags) > 0 {
		t.Fatalf("the init template has problems: %s", diags)
	}
	if len(c.Rules)+len(c.Ignores)+len(c.Exclude) != 0 || c.FailOn != 0 {
		t.Errorf("the template must change nothing until edited: %+v", c)
	}
	// Uncommenting every setting must give a valid file too.
	var b strings.Builder
	for _, line := range strings.Split(Template, "\n") {
		if strings.HasPrefix(line, "# ") && (strings.Contains(line, "=") || strings.HasSuffix(line, "{") || strings.HasSuffix(line, "}") || strings.HasPrefix(line, "# }")) && !strings.Contains(line, "(") {
			line = strings.TrimPrefix(line, "# ")
		}
		b.WriteString(line + "\n")
	}
	c, diags = parse(t, b.String())
	if len(diags) > 0 {
		t.Fatalf("the template with its settings uncommented has problems: %s\n%s", diags, b.String())
	}
	if c.FailOn != rules.Low || len(c.Rules) != 1 || len(c.Ignores) != 1 || c.Now.IsZero() {
		t.Errorf("uncommented template not read in full: %+v", c)
	}
}

func TestParse(t *testing.T) {
	c, diags := parse(t, `
fail_on = "high"
now     = "2026-11-01"
exclude = ["legacy", "*.bak.json"]
policy_kinds = { "org/scps" = "scp", "trust/*.json" = "trust" }
rule "IAM3*" { severity = "low" }
rule "missing-version" { enabled = false }
rule "IAM306" { severity = "critical" }
ignore {
  rules     = ["IAM302"]
  paths     = ["vendor"]
  addresses = ["aws_iam_role.legacy"]
  reason    = "vendor policy, reviewed in SEC-1"
}
`)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if c.FailOn != rules.High || c.Now.Format("2006-01-02") != "2026-11-01" {
		t.Errorf("fail_on/now: %v %v", c.FailOn, c.Now)
	}
	sel := c.Select(builtin.All())
	sev := map[string]rules.Severity{}
	for _, r := range sel {
		sev[r.ID] = r.Severity
	}
	if sev["IAM301"] != rules.Low || sev["IAM306"] != 0 && sev["IAM306"] != rules.Critical {
		t.Errorf("severities: %v", sev)
	}
	if _, on := sev["IAM306"]; on {
		t.Errorf("IAM306 disabled by slug but selected")
	}
	if _, on := sev["IAM000"]; !on {
		t.Errorf("IAM000 untouched but not selected")
	}
	// The originals are not modified.
	for _, r := range builtin.All() {
		if r.ID == "IAM301" && r.Severity == rules.Low {
			t.Errorf("Select modified the input rules")
		}
	}
	in := func(p string) string { return filepath.Join(c.Dir, p) }
	for p, want := range map[string]bool{"legacy/a.json": true, "legacy": true, "x.bak.json": true, "sub/x.bak.json": false, "main.tf": false} {
		if got := c.Excluded(in(p)); got != want {
			t.Errorf("Excluded(%s) = %v", p, got)
		}
	}
	if c.KindOf(in("org/scps/deny.json")) != iam.KindSCP || c.KindOf(in("trust/a.json")) != iam.KindTrust || c.KindOf(in("a.json")) != iam.KindUnknown {
		t.Errorf("policy_kinds not applied")
	}
	ig := c.Ignores[0]
	if !ig.External || ig.Reason == "" {
		t.Errorf("ignore: %+v", ig)
	}
	f := &rules.Finding{RuleID: "IAM302", Range: hcl.Range{Filename: in("vendor/p.json")}, Path: "aws_iam_role.legacy → inline policy \"x\" → Statement[0]"}
	if !ig.Match(f) {
		t.Errorf("the ignore does not match a finding in its path and address")
	}
	f.Path = "aws_iam_role.legacy2 → Statement[0]"
	if ig.Match(f) {
		t.Errorf("the ignore matches another address that merely shares a prefix")
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`fail_onn = "high"`, `config.hcl:1,1-9: Unsupported argument; An argument named "fail_onn" is not expected here. Did you mean "fail_on"?`},
		{`fail_on = "severe"`, `config.hcl:1,11-19: Invalid fail_on; unknown severity "severe"`},
		{`now = "01/11/2026"`, `config.hcl:1,7-19: Invalid now; "01/11/2026" is not a date`},
		{"rule \"IAM30\" {\n}", `config.hcl:1,6-13: Unknown rule; "IAM30" is no rule's ID or slug and matches none as a glob (did you mean "IAM301"?)`},
		{"rule \"missing-versoin\" {}", `(did you mean "missing-version"?)`},
		{"rule \"IAM306\" {\n  options = { days = 3 }\n}", `config.hcl:2,13-25: Unknown rule option; no rule matching "IAM306" has an option "days" (they have no options).`},
		{"rule \"IAM306\" {\n  colour = 1\n}", `config.hcl:2,3-9: Unsupported argument`},
		{"ignore {\n  rules = [\"IAM302\"]\n  paths = [\"x\"]\n  reason = \"\"\n}", `Ignore without a reason`},
		{"ignore {\n  rules = [\"IAM302\"]\n  reason = \"ok\"\n}", `Ignore without a scope`},
		{`policy_kinds = { "x" = "scpp" }`, `Invalid policy_kinds; unknown policy kind "scpp"`},
		{`exclude = ["[a"]`, `Invalid exclude pattern`},
	} {
		_, diags := Parse([]byte(c.src), "config.hcl", builtin.All())
		got := ""
		for _, d := range diags {
			got += d.Error() + "\n"
		}
		if !strings.Contains(got, c.want) && !strings.Contains(got, strings.TrimPrefix(c.want, "config.hcl:")) {
			t.Errorf("%s\ngot:  %s\nwant: %s", c.src, got, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "repo", "infra", "iam")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "repo", ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A config above the repository root is not used.
	if err := os.WriteFile(filepath.Join(root, FileName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find(deep); got != "" {
		t.Errorf("Find crossed the repository root: %s", got)
	}
	want := filepath.Join(root, "repo", "infra", FileName)
	if err := os.WriteFile(want, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := Find(filepath.Join(deep, "main.tf")); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
}

func TestRulesDirsOf(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	// A rule block names a custom rule the built-ins do not know: reading
	// rules_dirs alone must not care.
	src := "rules_dirs = [\"policy/rego\", \"/abs/rules\"]\n\nrule \"IAM901\" {\n  severity = \"low\"\n}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	dirs, diags := RulesDirsOf(file)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []string{filepath.Join(dir, "policy", "rego"), "/abs/rules"}
	if strings.Join(dirs, "|") != strings.Join(want, "|") {
		t.Errorf("dirs %q, want %q", dirs, want)
	}
	if err := os.WriteFile(file, []byte("rules_dirs = \"one\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, diags := RulesDirsOf(file); !diags.HasErrors() {
		t.Error("a string is not a list of folders")
	}
}

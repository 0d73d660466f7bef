package rego

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
	"github.com/iamlint/iamlint/rules/builtin"
)

// writeFiles writes files (name → content) under a new temporary folder,
// makes it the working folder, and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// header is a valid metadata block for a rule module.
func header(id, pkg string) string {
	return "# METADATA\n# title: A test rule\n# description: Reports things.\n# custom:\n#   id: " + id + "\n#   severity: medium\npackage iamlint.rules." + pkg + "\n\n"
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // a regular expression the error must match
	}{
		{"syntax error", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tf := \n}\n"},
			`^r/a\.rego:\d+:\d+: `},
		{"no metadata", map[string]string{"r/a.rego": "package iamlint.rules.a\n\nfindings contains f if { f := 1 }\n"},
			`r/a\.rego:1:1: package iamlint\.rules\.a has no # METADATA block`},
		{"no id", map[string]string{"r/a.rego": "# METADATA\n# title: T\n# description: D\n# custom:\n#   severity: low\npackage iamlint.rules.a\nfindings contains 1\n"},
			`r/a\.rego:1:1: .*no custom\.id .*IAM900–IAM999`},
		{"bad id", map[string]string{"r/a.rego": header("IAM90", "a") + "findings contains 1\n"},
			`custom\.id IAM90 of iamlint\.rules\.a is not IAM plus three digits`},
		{"built-in id", map[string]string{"r/a.rego": header("IAM101", "a") + "findings contains 1\n"},
			`r/a\.rego:1:1: IAM101 is taken by the built-in rule IAM101; custom rules take IDs in IAM900–IAM999`},
		{"built-in slug", map[string]string{"r/a.rego": header("IAM901", "full_admin") + "findings contains 1\n"},
			`full-admin is taken by the built-in rule IAM101`},
		{"duplicate id", map[string]string{
			"r/a.rego": header("IAM901", "a") + "findings contains 1\n",
			"r/b.rego": header("IAM901", "b") + "findings contains 1\n"},
			`r/b\.rego:1:1: IAM901 is taken by IAM901 \(r/a\.rego\)`},
		{"bad severity", map[string]string{"r/a.rego": strings.Replace(header("IAM901", "a"), "medium", "severe", 1) + "findings contains 1\n"},
			`custom\.severity of iamlint\.rules\.a: unknown severity "severe"`},
		{"title", map[string]string{"r/a.rego": strings.Replace(header("IAM901", "a"), "A test rule", "A test rule.", 1) + "findings contains 1\n"},
			`the title of iamlint\.rules\.a ends with a period`},
		{"no findings", map[string]string{"r/a.rego": header("IAM901", "a") + "violations contains 1\n"},
			`r/a\.rego:7:1: package iamlint\.rules\.a has no findings rule`},
		{"findings not a set", map[string]string{"r/a.rego": header("IAM901", "a") + "findings := [1]\n"},
			`r/a\.rego:9:1: findings must be a set of objects`},
		{"nested package", map[string]string{"r/a.rego": "package iamlint.rules.a.b\n\nx := 1\n"},
			`r/a\.rego:1:1: package iamlint\.rules\.a\.b: a rule's package is iamlint\.rules\.NAME`},
		{"http.send", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tr := http.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n\tf := {\"msg\": r.body, \"node\": \"x\"}\n}\n"},
			`r/a\.rego:10:7: http\.send is not available to iamlint rules: rules run offline`},
		{"net.lookup_ip_addr", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tnet.lookup_ip_addr(\"example.com\")\n\tf := 1\n}\n"},
			`r/a\.rego:10:2: net\.lookup_ip_addr is not available to iamlint rules: rules run offline`},
		{"opa.runtime", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains opa.runtime().env.HOME\n"},
			`opa\.runtime is not available to iamlint rules: rules do not see the environment`},
		{"time.now_ns", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains time.now_ns()\n"},
			`time\.now_ns is not available to iamlint rules: rules are deterministic: input\.now`},
		{"rand.intn", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains rand.intn(\"x\", 10)\n"},
			`rand\.intn is not available to iamlint rules: rules are deterministic`},
		{"compile error", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tf := {\"msg\": x, \"node\": \"n\"}\n}\n"},
			`r/a\.rego:10:\d+: var x is unsafe`},
		{"wrong arguments", map[string]string{"r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tiamlint.allows(\"p\", \"s3:GetObject\") == \"yes\"\n\tf := 1\n}\n"},
			`r/a\.rego:10:2: .*iamlint\.allows`},
		{"no rule files", map[string]string{"r/README.md": "no rules\n"},
			`no \.rego rule files in r`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeFiles(t, tc.files)
			_, err := Load(context.Background(), []string{"r"}, Options{Known: builtin.All()})
			if err == nil {
				t.Fatal("no error")
			}
			if !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("error:\n%v\nwant a match for %s", err, tc.want)
			}
		})
	}
}

// model is a small account: a role with an inline policy whose statement
// 1 grants s3:* on every resource, a role that trusts another account,
// and one that trusts that role.
const model = `
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "app" {
  name = "app"
  tags = { team = "app" }
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "data"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Read", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/*" },
      { Sid = "Everything", Effect = "Allow", Action = ["sqs:SendMessage", "s3:*"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::444455556666:root" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_role.vendor.arn }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "vendor" {
  name = "assume-app"
  role = aws_iam_role.vendor.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }]
  })
}
`

// run loads the rules of dir and runs them on the model, from the
// working folder writeFiles made.
func run(t *testing.T, opts Options) ([]rules.Finding, error) {
	t.Helper()
	opts.Known = builtin.All()
	set, err := Load(context.Background(), []string{"r"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	in := rules.NewInput(loader.Load(context.Background(), []string{"m"}, loader.Options{}))
	return (&rules.Runner{Rules: set.Rules, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}).Run(context.Background(), in)
}

func TestFindingsMapToSource(t *testing.T) {
	writeFiles(t, map[string]string{
		"m/main.tf": model,
		"r/wildcard.rego": header("IAM901", "wildcard") + `findings contains f if {
	some p in input.principals
	some ref in p.policies
	some s in input.documents[ref.document].statements
	some i, a in s.actions
	endswith(a, "*")
	f := {"msg": sprintf("%s is granted %s", [p.name, a]), "node": s.id, "element": sprintf("Action[%d]", [i]), "related": [p.id, {"node": s.id, "element": "Resource[0]", "msg": "on every resource"}]}
}

findings contains f if {
	some p in input.principals
	p.tags.team == "app"
	f := {"msg": "an app role", "node": p.id}
}
`,
	})
	fs, err := run(t, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type out struct {
		ID, Sev, Pos, Msg, Path string
		Related                 []string
	}
	var got []out
	for _, f := range fs {
		o := out{f.RuleID, f.Severity.String(), f.Range.String(), f.Message, f.Path, nil}
		for _, r := range f.Related {
			o.Related = append(o.Related, fmt.Sprintf("%s:%d,%d-%d %s", r.Range.Filename, r.Range.Start.Line, r.Range.Start.Column, r.Range.End.Column, r.Message))
		}
		got = append(got, o)
	}
	want := []out{
		{"IAM901", "medium", "m/main.tf:7,1-30", "an app role", "aws_iam_role.app", nil},
		{"IAM901", "medium", "m/main.tf:23,76-82", "app is granted s3:*", `aws_iam_role.app → aws_iam_role_policy.app → Statement["Everything"] → Action[1]`,
			[]string{"m/main.tf:7,1-30 role app", "m/main.tf:23,96-99 on every resource"}},
	}
	for i := range got {
		got[i].Pos = regexp.MustCompile(`\(.*\)`).ReplaceAllString(got[i].Pos, "")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

func TestMalformedFindings(t *testing.T) {
	for _, tc := range []struct{ finding, want string }{
		{`"just a string"`, `r/a\.rego:9: a finding must be an object`},
		{`{"node": "aws_iam_role.app"}`, `r/a\.rego:9: finding .* has no msg`},
		{`{"msg": "m"}`, `has no node`},
		{`{"msg": "m", "node": "aws_iam_role.nope"}`, `no node of the input has the ID "aws_iam_role.nope"`},
		{`{"msg": "m", "node": "aws_iam_role.app", "mesage": "typo"}`, `a finding has msg, node and optionally element, key and related, not "mesage"`},
		{`{"msg": "m", "node": "aws_iam_role_policy.app#Statement[0]", "element": "Action[7]"}`, `has no element Action\[7\]`},
		{`{"msg": "m", "node": "aws_iam_role_policy.app#Statement[0]", "element": "Actions"}`, `unknown element "Actions"`},
		{`{"msg": "m", "node": "aws_iam_role.app", "related": "aws_iam_role.vendor"}`, `related must be an array`},
		{`{"msg": 3, "node": "aws_iam_role.app"}`, `msg must be a string, not 3`},
	} {
		t.Run(tc.finding, func(t *testing.T) {
			writeFiles(t, map[string]string{"m/main.tf": model, "r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tf := " + tc.finding + "\n}\n"})
			_, err := run(t, Options{})
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("error %v, want a match for %s", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "rule IAM901 (a) failed") {
				t.Errorf("error %v does not name the rule", err)
			}
		})
	}
}

func TestTimeLimit(t *testing.T) {
	writeFiles(t, map[string]string{"m/main.tf": model, "r/slow.rego": header("IAM901", "slow") + `findings contains f if {
	n := count([x | some x in numbers.range(1, 1000000000); x % 7 == 3])
	f := {"msg": sprintf("%d", [n]), "node": "aws_iam_role.app"}
}
`})
	t0 := time.Now()
	_, err := run(t, Options{Timeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "rule IAM901 (slow) failed: r/slow.rego:9: the evaluation was stopped at the time limit of 200ms") {
		t.Errorf("error %v, want the time limit", err)
	}
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("the rule ran %v", d)
	}
}

func TestBuiltins(t *testing.T) {
	writeFiles(t, map[string]string{"m/main.tf": model, "r/ask.rego": header("IAM901", "ask") + `answers := {
	"allows read": iamlint.allows("aws_iam_role.app", "s3:GetObject", "arn:aws:s3:::data/x"),
	"allows sqs": iamlint.allows("aws_iam_role.app", "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:q"),
	"allows iam": iamlint.allows("aws_iam_role.app", "iam:PassRole", "*"),
	"holds s3": iamlint.holds("aws_iam_role.app", "s3:*"),
	"holds sqs": iamlint.holds("aws_iam_role.app", "sqs:*"),
	"granted": iamlint.granted("aws_iam_role.app", "sqs:Send*"),
	"holders": iamlint.holders("s3:*"),
	"admin": iamlint.can_reach_admin("aws_iam_role.app"),
	"reachable": iamlint.reachable_roles("aws_iam_role.vendor"),
	"reachable from both": iamlint.reachable_roles({"aws_iam_role.vendor", "aws_iam_role.app"}),
	"assumers": iamlint.assumers("aws_iam_role.reader"),
	"who can": iamlint.who_can("sqs:SendMessage", ""),
	"actions": iamlint.actions("sqs:*Message"),
	"level": iamlint.access_level("s3:PutObject"),
	"level unknown": iamlint.access_level("s3:Fly"),
	"types": iamlint.resource_types("s3:GetObject"),
	"no types": iamlint.resource_types("s3:ListAllMyBuckets"),
	"admin perms": iamlint.permissions("aws_iam_role.app").admin,
	"sqs perms": iamlint.permissions("aws_iam_role.app").services.sqs.write.yes,
}

findings contains {"msg": json.marshal(answers), "node": "aws_iam_role.app"}
`})
	fs, err := run(t, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("%d findings", len(fs))
	}
	got := map[string]any{}
	if err := json.Unmarshal([]byte(fs[0].Message), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"allows read": "yes", "allows sqs": "yes", "allows iam": "no",
		"holds s3": "yes", "holds sqs": "no",
		"granted":             []any{"sqs:SendMessage"},
		"holders":             map[string]any{"aws_iam_role.app": "yes"},
		"admin":               "no",
		"reachable":           map[string]any{"aws_iam_role.reader": "aws_iam_role.vendor"},
		"reachable from both": map[string]any{"aws_iam_role.reader": "aws_iam_role.vendor"},
		"assumers":            []any{map[string]any{"from": "aws_iam_role.vendor", "allowed": "yes", "mfa": false, "external_id": false}},
		"who can":             []any{map[string]any{"principal": "aws_iam_role.app", "allowed": "yes"}},
		"actions":             []any{"sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage"},
		"level":               "write", "level unknown": "unknown",
		"types":       []any{"s3:accesspointobject", "s3:object"},
		"no types":    []any{},
		"admin perms": "no",
		"sqs perms":   []any{"sqs:SendMessage"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("answers (-want +got):\n%s", d)
	}
}

func TestBuiltinErrors(t *testing.T) {
	for _, tc := range []struct{ call, want string }{
		{`iamlint.allows("aws_iam_role.nope", "s3:GetObject", "*")`, `iamlint\.allows: no user or role has the ID "aws_iam_role\.nope"`},
		{`iamlint.allows("aws_iam_role.app", "s3:Get*", "*")`, `"s3:Get\*" is a pattern, not an action`},
		{`iamlint.holds("aws_iam_role.app", "s4:*")`, `the pattern "s4:\*" matches no action`},
		{`iamlint.assumers("aws_iam_role_policy.app")`, `no role has the ID`},
	} {
		t.Run(tc.call, func(t *testing.T) {
			writeFiles(t, map[string]string{"m/main.tf": model, "r/a.rego": header("IAM901", "a") + "findings contains f if {\n\tx := " + tc.call + "\n\tf := {\"msg\": sprintf(\"%v\", [x]), \"node\": \"aws_iam_role.app\"}\n}\n"})
			_, err := run(t, Options{})
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("error %v, want a match for %s", err, tc.want)
			}
			if err != nil && !regexp.MustCompile(`r/a\.rego:10:\d+`).MatchString(err.Error()) {
				t.Errorf("error %v does not name the call's position", err)
			}
		})
	}
}

func TestSections(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want Sections
	}{
		{"x := input.principals", SectionPrincipals},
		{"x := input.documents[_].statements", SectionDocuments},
		{"x := input.version", 0},
		{"x if { some p in input.principals; input.permissions[p.id].admin == \"yes\" }", SectionPrincipals | SectionPermissions},
		{"x := input", AllSections},
		{"x := input[k]", AllSections},
		{"import input.escalations\nx := escalations", SectionEscalations},
		{"x := data.other", 0},
	} {
		m, err := ast.ParseModuleWithOpts("a.rego", "package p\n"+tc.src+"\n", parseOptions())
		if err != nil {
			t.Fatal(err)
		}
		if got := sectionsOf(map[string]*ast.Module{"a.rego": m}); got != tc.want {
			t.Errorf("%q: sections %08b, want %08b", tc.src, got, tc.want)
		}
	}
}

func TestCapabilities(t *testing.T) {
	caps := capabilities()
	if caps.AllowNet == nil || len(caps.AllowNet) != 0 {
		t.Errorf("AllowNet = %v, want empty", caps.AllowNet)
	}
	names := map[string]bool{}
	for _, b := range caps.Builtins {
		names[b.Name] = true
		if b.Nondeterministic {
			t.Errorf("%s is non-deterministic", b.Name)
		}
	}
	for _, n := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "rand.intn", "time.now_ns", "uuid.rfc4122", "json.match_schema"} {
		if names[n] {
			t.Errorf("%s is available", n)
		}
	}
	for _, b := range Builtins() {
		if !names[b.Name] {
			t.Errorf("%s is missing", b.Name)
		}
	}
}

// TestBuiltinsDocumented checks that docs/custom-rules.md lists every
// built-in function with its arguments.
func TestBuiltinsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/custom-rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range Builtins() {
		if !strings.Contains(string(doc), "`"+b.Signature()+"`") {
			t.Errorf("docs/custom-rules.md does not list %s", b.Signature())
		}
	}
}

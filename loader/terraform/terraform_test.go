package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamlint/iamlint/iam"
)

func TestJSONEncode(t *testing.T) {
	m, diags := loadCase(t, "jsonencode", Options{})
	golden(t, "jsonencode", m, diags)
}

func TestHeredoc(t *testing.T) {
	m, diags := loadCase(t, "heredoc", Options{})
	golden(t, "heredoc", m, diags)
}

func TestFiles(t *testing.T) {
	m, diags := loadCase(t, "files", Options{})
	golden(t, "files", m, diags)
}

func TestPolicyDocument(t *testing.T) {
	m, diags := loadCase(t, "policydoc", Options{})
	golden(t, "policydoc", m, diags)
}

func TestLocals(t *testing.T) {
	m, diags := loadCase(t, "locals", Options{})
	golden(t, "locals", m, diags)
}

func TestVariables(t *testing.T) {
	m, diags := loadCase(t, "variables", Options{
		VarFiles: []string{fixtures + "/variables-files/env.tfvars"},
		Vars:     []string{"e=from-cli", `f=["s3:GetObject", "s3:PutObject"]`, "nowhere=1"},
	})
	golden(t, "variables", m, diags)
}

func TestCount(t *testing.T) {
	m, diags := loadCase(t, "count", Options{})
	golden(t, "count", m, diags)
}

func TestForEach(t *testing.T) {
	m, diags := loadCase(t, "foreach", Options{})
	golden(t, "foreach", m, diags)
}

func TestModules(t *testing.T) {
	m, diags := loadCase(t, "modules", Options{})
	golden(t, "modules", m, diags)
}

func TestModuleCycle(t *testing.T) {
	m, diags := loadCase(t, "modcycle", Options{})
	golden(t, "modcycle", m, diags)
}

func TestUnresolved(t *testing.T) {
	m, diags := loadCase(t, "unresolved", Options{})
	golden(t, "unresolved", m, diags)
}

func TestSyntaxError(t *testing.T) {
	m, diags := loadCase(t, "syntax", Options{})
	golden(t, "syntax", m, diags)
}

func TestCycle(t *testing.T) {
	m, diags := loadCase(t, "cycle", Options{})
	golden(t, "cycle", m, diags)
}

func TestBadJSON(t *testing.T) {
	m, diags := loadCase(t, "badjson", Options{})
	golden(t, "badjson", m, diags)
}

func TestResources(t *testing.T) {
	m, diags := loadCase(t, "resources", Options{})
	golden(t, "resources", m, diags)
}

// TestPositions checks, independently of the golden files, that policy
// elements point where the user wrote them in every form a policy takes.
func TestPositions(t *testing.T) {
	tests := []struct {
		name, kase, owner, text, want string
	}{
		// jsonencode: the string in the object, or in the local it came from
		{"jsonencode resource", "jsonencode", "aws_iam_policy.read", "arn:aws:s3:::reports/*", "main.tf:39:53"},
		{"jsonencode action from local", "jsonencode", "aws_iam_policy.read", "s3:ListBucket", "main.tf:9:34"},
		{"jsonencode for expression", "jsonencode", "aws_iam_policy.read", "sns:Get*", "main.tf:43:47"},
		{"jsonencode for statement", "jsonencode", "aws_iam_policy.generated", "sns:Publish", "main.tf:63:34"},
		{"jsonencode principal", "jsonencode", "aws_iam_role.app", "ec2.amazonaws.com", "main.tf:20:31"},
		{"jsonencode condition number", "jsonencode", "aws_iam_role.app", "3600", "main.tf:23:56"},
		// heredocs: the character inside the heredoc, with <<- indentation
		{"heredoc", "heredoc", "aws_iam_user_policy.plain", "s3:PutObject", "main.tf:18:34"},
		{"heredoc interpolated", "heredoc", "aws_iam_user_policy.plain", "arn:aws:s3:::logs/home/${aws:username}/*", "main.tf:19:19"},
		{"flush heredoc", "heredoc", "aws_iam_user_policy.flush", "iam:*", "main.tf:34:19"},
		{"escaped string", "heredoc", "aws_iam_user_policy.quoted", "ec2:Describe*", "main.tf:44:89"},
		// files and templates: the position in the file
		{"file", "files", "aws_iam_policy.from_file", "dynamodb:Query", "policies/read.json:7:38"},
		{"templatefile", "files", "aws_iam_policy.from_template", "arn:aws:s3:::invoices/*", "policies/bucket.json.tpl:9:9"},
		// policy document data source: the list element; merged statements
		// keep their own; dynamic statements find their for_each strings
		{"data source action", "policydoc", "aws_iam_role_policy.main", "s3:GetBucketLocation", "main.tf:36:35"},
		{"source document statement", "policydoc", "aws_iam_role_policy.main", "s3:ListAllMyBuckets", "main.tf:11:18"},
		{"override document statement", "policydoc", "aws_iam_role_policy.main", "arn:aws:s3:::home/${aws:username}/*", "main.tf:26:18"},
		{"dynamic statement", "policydoc", "aws_iam_role_policy.main", "s3:PutObject", "main.tf:4:32"},
		{"principal identifier", "policydoc", "aws_iam_role.ci", "arn:aws:iam::444455556666:role/deploy", "main.tf:64:59"},
		{"condition value", "policydoc", "aws_iam_role.ci", "c", "main.tf:78:19"},
		// module inputs point into the calling module
		{"module input", "modules", `module.ci.aws_iam_role_policy.deploy["prod"]`, "ecr:BatchGetImage", "main.tf:4:43"},
	}
	models := map[string]*iam.Model{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := models[tt.kase]
			if m == nil {
				m, _ = loadCase(t, tt.kase, Options{})
				models[tt.kase] = m
			}
			base := filepath.Join(fixtures, tt.kase)
			var found []string
			for _, d := range documentsOf(m, tt.owner) {
				for _, v := range allValues(d) {
					if v.Text == tt.text {
						found = append(found, pos(base, v.Range))
					}
				}
			}
			if len(found) == 0 {
				t.Fatalf("%s: no value %q", tt.owner, tt.text)
			}
			if found[0] != tt.want {
				t.Errorf("%s: %q at %s, want %s", tt.owner, tt.text, found[0], tt.want)
			}
		})
	}
}

// documentsOf returns the documents an object of the model owns, by
// address (its own, or the address of an inline policy).
func documentsOf(m *iam.Model, addr string) []*iam.Document {
	var out []*iam.Document
	add := func(pd *iam.PolicyDocument) {
		if pd != nil && pd.Doc != nil {
			out = append(out, pd.Doc)
		}
	}
	for _, r := range m.Roles {
		if r.Addr == addr {
			add(r.Trust)
		}
		for _, ip := range r.Inline {
			if ip.Addr == addr {
				add(&ip.PolicyDocument)
			}
		}
	}
	for _, u := range m.Users {
		for _, ip := range u.Inline {
			if ip.Addr == addr {
				add(&ip.PolicyDocument)
			}
		}
	}
	for _, p := range m.Policies {
		if p.Addr == addr {
			add(p.Default)
		}
	}
	return out
}

func allValues(d *iam.Document) []iam.Value {
	var out []iam.Value
	for _, s := range d.Statements {
		for _, l := range []iam.List{s.Action, s.NotAction, s.Resource, s.NotResource} {
			out = append(out, l.Values...)
		}
		for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
			if p != nil {
				for _, e := range p.Entries {
					out = append(out, e.Values...)
				}
			}
		}
		for _, c := range s.Condition.Clauses {
			out = append(out, c.Values...)
		}
	}
	return out
}

// Heredocs keep exact positions with CRLF line ends, tab indentation that
// <<- strips, and template directives with strip markers; what a
// directive produces points at the directive.
func TestHeredocCRLFAndDirectives(t *testing.T) {
	dir := t.TempDir()
	src := "resource \"aws_iam_policy\" \"p\" {\r\n" +
		"  name = \"p\"\r\n" +
		"  policy = <<-EOT\r\n" +
		"\t\t{\r\n" +
		"\t\t  \"Version\": \"2012-10-17\",\r\n" +
		"\t\t  \"Statement\": [\r\n" +
		"\t\t  %{ for a in [\"s3:A\", \"s3:B\"] ~}\r\n" +
		"\t\t    {\"Effect\": \"Allow\", \"Action\": \"${a}\", \"Resource\": \"*\"},\r\n" +
		"\t\t  %{ endfor ~}\r\n" +
		"\t\t    {\"Effect\": \"Deny\", \"Action\": \"iam:*\", \"Resource\": \"*\"}\r\n" +
		"\t\t  ]\r\n" +
		"\t\t}\r\n" +
		"\tEOT\r\n" +
		"}\r\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, diags := Load(context.Background(), []string{dir}, Options{})
	if len(diags) > 0 || len(m.Policies) != 1 || m.Policies[0].Default.Doc == nil {
		t.Fatalf("load: %v", diags)
	}
	var got []string
	for _, v := range allValues(m.Policies[0].Default.Doc) {
		got = append(got, v.Text+"@"+pos(dir, v.Range))
	}
	want := []string{"s3:A@main.tf:7:5", "*@main.tf:7:5", "s3:B@main.tf:7:5", "*@main.tf:7:5", "iam:*@main.tf:10:36", "*@main.tf:10:57"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("positions (-want +got):\n%s", d)
	}
	if v := m.Policies[0].Default.Doc.VersionRange; pos(dir, v) != "main.tf:5:16" {
		t.Errorf("Version at %s, want main.tf:5:16", pos(dir, v))
	}
}

// The default aws provider's region answers aws_region data sources, its
// default_tags are merged under each resource's tags, and OIDC and SAML
// providers have the ARNs the provider gives them.
func TestProvider(t *testing.T) {
	m, diags := loadCase(t, "provider", Options{})
	golden(t, "provider", m, diags)
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s: %s", d.Summary, d.Detail)
	}
	var ci *iam.Role
	for _, r := range m.Roles {
		if r.Addr == "aws_iam_role.ci" {
			ci = r
		}
	}
	if ci == nil || ci.Trust == nil || ci.Trust.Doc == nil || len(ci.Inline) != 1 || ci.Inline[0].Doc == nil {
		t.Fatalf("aws_iam_role.ci not loaded with its trust and inline policy")
	}
	if d := cmp.Diff(map[string]string{"owner": "platform", "team": "ci", "cost-center": "42"}, ci.Tags); d != "" {
		t.Errorf("role tags (-want +got):\n%s", d)
	}
	if len(m.Users) != 1 {
		t.Fatalf("%d users, want 1", len(m.Users))
	}
	if d := cmp.Diff(map[string]string{"owner": "platform", "team": "shared", "cost-center": "42"}, m.Users[0].Tags); d != "" {
		t.Errorf("user tags (-want +got):\n%s", d)
	}
	var fed []string
	for _, v := range allValues(ci.Trust.Doc) {
		if v.Unknown {
			t.Errorf("trust value %q is unknown", v.Text)
		}
		if strings.HasPrefix(v.Text, "arn:") {
			fed = append(fed, v.Text)
		}
	}
	want := []string{
		"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam::111122223333:saml-provider/okta",
	}
	if d := cmp.Diff(want, fed); d != "" {
		t.Errorf("federated principals (-want +got):\n%s", d)
	}
	var res []string
	for _, v := range ci.Inline[0].Doc.Statements[0].Resource.Values {
		if v.Unknown {
			t.Errorf("resource %q is unknown", v.Text)
		}
		res = append(res, v.Text)
	}
	want = []string{
		"arn:aws:ssm:eu-west-1:111122223333:parameter/ci/*",
		"arn:aws:ssm:eu-west-1:111122223333:parameter/platform/*",
		"arn:aws:ssm:ap-southeast-2:111122223333:parameter/ci/*",
	}
	if d := cmp.Diff(want, res); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
}

// Without a known provider region, default tags or provider URL, the
// values stay symbolic and unknown.
func TestProviderUnknown(t *testing.T) {
	dir := t.TempDir()
	src := `variable "region" {}
variable "tags" {}
variable "url" {}

provider "aws" {
  region = var.region
  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

data "aws_region" "current" {}

resource "aws_iam_openid_connect_provider" "idp" {
  url = var.url
}

resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Principal = { Federated = aws_iam_openid_connect_provider.idp.arn } }]
  })
  inline_policy {
    name   = "p"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b-${data.aws_region.current.name}/*" }] })
  }
  tags = { team = "x" }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _ := Load(context.Background(), []string{dir}, Options{})
	if len(m.Roles) != 1 || len(m.Roles[0].Inline) != 1 || m.Roles[0].Inline[0].Doc == nil || m.Roles[0].Trust.Doc == nil {
		t.Fatalf("role not loaded with its policies")
	}
	r := m.Roles[0]
	if r.Tags != nil || !r.IsUnknown("Tags") {
		t.Errorf("tags = %v, unknown %v; want unknown", r.Tags, r.Unknown)
	}
	res := r.Inline[0].Doc.Statements[0].Resource.Values[0]
	if res.Text != "arn:aws:s3:::b-${data.aws_region.current.name}/*" || !res.Unknown {
		t.Errorf("resource %q (unknown %v), want the symbolic region", res.Text, res.Unknown)
	}
	fed := r.Trust.Doc.Statements[0].Principal.Entries[0].Values[0]
	if !fed.Unknown {
		t.Errorf("federated principal %q is known", fed.Text)
	}
}

func TestExternal(t *testing.T) {
	m, diags := loadCase(t, "external", Options{})
	golden(t, "external", m, diags)
	roles := map[string]*iam.Role{}
	for _, r := range m.Roles {
		roles[r.Addr] = r
	}
	ro := roles[`external role "existing-role"`]
	if ro == nil || !ro.External || ro.Name != "existing-role" || ro.Path != "/" || !ro.IsUnknown("Path") {
		t.Fatalf("external role stub: %+v", ro)
	}
	if len(ro.Inline) != 1 || ro.Inline[0].Name != "extra" || ro.Inline[0].Doc == nil {
		t.Errorf("inline policies of the stub: %+v", ro.Inline)
	}
	if len(ro.Attached) != 1 || ro.Attached[0].PolicyRef != "arn:aws:iam::aws:policy/AdministratorAccess" ||
		ro.Attached[0].Addr != "aws_iam_role_policy_attachment.existing_admin" || ro.Attached[0].Range.Start.Line != 21 {
		t.Errorf("attachments of the stub: %+v", ro.Attached)
	}
	if ro.Range.Start.Line != 13 {
		t.Errorf("stub range %v, want the first reference (line 13)", ro.Range)
	}
	cross := roles[`external role "arn:aws:iam::210987654321:role/ops/deployer"`]
	if cross == nil || cross.Name != "deployer" || cross.Path != "/ops/" || cross.Account != "210987654321" || cross.IsUnknown("Path") {
		t.Errorf("cross-account stub: %+v", cross)
	}
	var bob *iam.User
	for _, u := range m.Users {
		if u.Name == "bob" {
			bob = u
		}
	}
	if bob == nil || !bob.External || len(bob.Groups) != 2 || len(bob.AccessKeys) != 1 {
		t.Fatalf("external user stub: %+v", bob)
	}
	if bob.Range.Start.Line != 33 {
		t.Errorf("user stub range %v, want the first reference in source order (line 33)", bob.Range)
	}
	if g := bob.Groups[1].Group; g == nil || !g.External || g.Name != "legacy-admins" {
		t.Errorf("external group stub: %+v", bob.Groups[1])
	}
}

// Workloads: every type, count and for_each, a module, references to
// roles and instance profiles declared in another file, undeclared, only
// known at apply, or in another account; and the ARNs, known or symbolic,
// that references to workloads read.
func TestWorkloads(t *testing.T) {
	m, diags := loadCase(t, "workloads", Options{})
	golden(t, "workloads", m, diags)
}

// What the loader does not read of a workload is evaluated only when
// something refers to it, as for any other resource, and a workload used
// whole is unknown.
func TestWorkloadArgumentsNotRead(t *testing.T) {
	dir := t.TempDir()
	src := `variable "env" {
  type = map(string)
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "app"
  handler       = "index.handler"
  environment {
    variables = var.env
  }
}

locals {
  whole = aws_lambda_function.f
}

resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "lambda:InvokeFunction"
      Resource = [
        aws_lambda_function.f.arn,
        "${aws_lambda_function.f.arn}:${aws_lambda_function.f.handler}",
        aws_lambda_function.f.qualified_arn,
        local.whole.function_name,
      ]
    }]
  })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, diags := Load(context.Background(), []string{dir}, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{
		"Unresolved value: ${aws_lambda_function.f.qualified_arn} cannot be determined statically; the policy keeps it as unknown text, and it never matches anything by accident.",
		"Unresolved value: ${local.whole.function_name} cannot be determined statically; the policy keeps it as unknown text, and it never matches anything by accident.",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
	if len(m.Policies) != 1 || m.Policies[0].Default.Doc == nil || len(m.Workloads) != 1 {
		t.Fatalf("policy or workload not loaded")
	}
	got = nil
	for _, v := range m.Policies[0].Default.Doc.Statements[0].Resource.Values {
		got = append(got, fmt.Sprintf("%s unknown=%v", v.Text, v.Unknown))
	}
	arn := "arn:aws:lambda:${region:" + dir + "}:${account:" + dir + "}:function:f"
	want = []string{
		arn + " unknown=true",
		arn + ":index.handler unknown=true",
		"${aws_lambda_function.f.qualified_arn} unknown=true",
		"${local.whole.function_name} unknown=true",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
	if w := m.Workloads[0]; w.ARN != arn || w.RoleRef != "app" || w.Role != nil {
		t.Errorf("workload %+v", w)
	}
}

package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/iamlint/iamlint/iam"
)

func TestSeverity(t *testing.T) {
	for _, s := range Severities() {
		got, err := ParseSeverity(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("JSON round trip of %s: %s → %v, %v", s, b, back, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity(severe) succeeded")
	}
	if Info >= Low || High >= Critical {
		t.Error("severities are not ordered")
	}
}

const policy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "A", "Effect": "Allow", "Action": ["s3:GetObject", "s4:x"], "Resource": "*"},
    {"Effect": "Allow", "Action": "s4:y", "Resource": "*"}
  ]
}`

// reportActions reports every Action value; it stands in for a rule.
func reportActions(p *Pass) error {
	for _, d := range p.Input.Policies() {
		for _, s := range d.Policy.Doc.Statements {
			for _, v := range s.Action.Values {
				p.Reportf(d, v.Range, "action %q", v.Text)
			}
		}
	}
	return nil
}

// parse decodes a JSON policy the way a loader would.
func parse(t *testing.T, name, src string, kind iam.Kind) *iam.PolicyDocument {
	t.Helper()
	doc, diags := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: name, Kind: kind})
	if doc == nil {
		t.Fatalf("%s: %v", name, diags)
	}
	return &iam.PolicyDocument{Node: iam.Node{Addr: name, Range: doc.Range}, Doc: doc, Diags: diags}
}

// standalone is the input of one standalone policy file.
func standalone(t *testing.T, name, src string) *Input {
	t.Helper()
	m := &iam.Model{Documents: []*iam.StandaloneDocument{{PolicyDocument: *parse(t, name, src, iam.KindIdentity), Kind: iam.KindIdentity}}}
	return NewInput(m, nil)
}

func run(t *testing.T, src string, rs ...*Rule) ([]Finding, error) {
	t.Helper()
	r := Runner{Rules: rs}
	return r.Run(context.Background(), standalone(t, "p.json", src))
}

func TestRunner(t *testing.T) {
	good := &Rule{Meta: Meta{ID: "IAM900", Slug: "actions", Severity: Low}, Check: reportActions}
	panics := &Rule{Meta: Meta{ID: "IAM901", Slug: "panics"}, Check: func(*Pass) error { panic("boom") }}
	fails := &Rule{Meta: Meta{ID: "IAM902", Slug: "fails"}, Check: func(*Pass) error { return errors.New("broken") }}
	fs, err := run(t, policy, panics, good, fails)
	if len(fs) != 3 {
		t.Fatalf("got %d findings, want 3 from the healthy rule", len(fs))
	}
	var re *RuleError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "IAM901 (panics) failed: panic: boom") ||
		!strings.Contains(err.Error(), "IAM902 (fails) failed: broken") {
		t.Errorf("err = %v", err)
	}
	f := fs[0]
	if f.RuleID != "IAM900" || f.Severity != Low || f.Message != `action "s3:GetObject"` {
		t.Errorf("first finding = %+v", f)
	}
	if want := `p.json → Statement["A"] → Action[0]`; f.Path != want {
		t.Errorf("path = %q, want %q", f.Path, want)
	}
	if want := "p.json → Statement[1] → Action[0]"; fs[2].Path != want {
		t.Errorf("path of a string Action = %q, want %q", fs[2].Path, want)
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	rule := &Rule{Meta: Meta{ID: "IAM900", Slug: "actions", Severity: Low}, Check: reportActions}
	before, _ := run(t, policy, rule)
	// Move everything down, put a statement before the one with a Sid,
	// put a value before s4:x and write s4:y as an array.
	moved := strings.Replace(policy, `"Statement": [`, `"Statement": [

    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},`, 1)
	moved = strings.Replace(moved, `"s3:GetObject", "s4:x"`, `"s3:GetObject", "s3:PutObject", "s4:x"`, 1)
	moved = strings.Replace(moved, `"Action": "s4:y"`, `"Action": ["s4:y"]`, 1)
	after, _ := run(t, moved, rule)
	fp := map[string]string{}
	for _, f := range after {
		fp[f.Message] = f.Fingerprint
	}
	for _, f := range before[:2] {
		if fp[f.Message] != f.Fingerprint {
			t.Errorf("fingerprint of %s changed although its statement has a Sid", f.Message)
		}
	}
	if after[0].Range.Start.Line == before[0].Range.Start.Line {
		t.Error("the edit did not move the finding")
	}
	seen := map[string]bool{}
	for _, f := range after {
		if seen[f.Fingerprint] {
			t.Errorf("duplicate fingerprint %s", f.Fingerprint)
		}
		seen[f.Fingerprint] = true
	}

	// Without a Sid the statement's index counts; the value's form does
	// not.
	stringForm, _ := run(t, `{"Statement": [{"Effect": "Allow", "Action": "s4:y", "Resource": "*"}]}`, rule)
	arrayForm, _ := run(t, `{"Statement": [
	  {"Effect": "Allow", "Action": ["s4:y"], "Resource": "*"}]}`, rule)
	if stringForm[0].Fingerprint != arrayForm[0].Fingerprint {
		t.Error("writing a value as a one-element array changed its fingerprint")
	}

	// The same value twice in one list: two findings, two fingerprints.
	twice, _ := run(t, `{"Statement": [{"Effect": "Allow", "Action": ["s4:y", "s4:y"], "Resource": "*"}]}`, rule)
	if len(twice) != 2 || twice[0].Fingerprint == twice[1].Fingerprint {
		t.Errorf("repeated value: %+v", twice)
	}
}

func TestSortFindings(t *testing.T) {
	at := func(file string, line, col int, id string) Finding {
		return Finding{RuleID: id, Range: hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: col}}}
	}
	fs := []Finding{at("b", 1, 1, "IAM1"), at("a", 2, 1, "IAM1"), at("a", 1, 5, "IAM2"), at("a", 1, 5, "IAM1"), at("a", 1, 2, "IAM9")}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Range.Filename+f.RuleID)
	}
	if want := "aIAM9 aIAM1 aIAM2 aIAM1 bIAM1"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}

func TestLocate(t *testing.T) {
	src := `{"Version": "2012-10-17", "Statement": [{"Sid": "S", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
	  "Condition": {"StringEquals": {"aws:PrincipalTag/a~b": ["x", "y"]}}}, {"Sid": "S", "Effect": "Deny", "NotAction": "s3:*", "Resource": "*",
	  "Principal": {"AWS": ["a", "b"]}}]}`
	p := parse(t, "p.json", src, iam.KindUnknown)
	doc := p.Doc
	s0, s1 := doc.Statements[0], doc.Statements[1]
	c := s0.Condition.Clauses[0]
	inside := c.Values[1].Range
	inside.Start.Byte++
	inside.End.Byte--
	elsewhere := hcl.Range{Filename: "other.json", Start: c.KeyRange.Start, End: c.KeyRange.End}
	x := newElementIndex(doc)
	for _, tc := range []struct {
		rng          hcl.Range
		show, stable string
	}{
		{doc.Range, "", ""},
		{doc.VersionRange, "Version", "Version"},
		{s0.Range, "Statement[0]", "Statement[0]"}, // the Sid is not unique
		{s0.EffectRange, "Statement[0] → Effect", "Statement[0] → Effect"},
		{s0.Action.KeyRange, "Statement[0] → Action", "Statement[0] → Action"},
		{s0.Action.Values[0].Range, "Statement[0] → Action[0]", `Statement[0] → Action["s3:GetObject"]`},
		{c.OperatorRange, "Statement[0] → Condition → StringEquals", "Statement[0] → Condition → StringEquals"},
		{c.KeyRange, "Statement[0] → Condition → StringEquals → aws:PrincipalTag/a~b", "Statement[0] → Condition → StringEquals → aws:PrincipalTag/a~b"},
		{c.Values[1].Range, "Statement[0] → Condition → StringEquals → aws:PrincipalTag/a~b[1]", `Statement[0] → Condition → StringEquals → aws:PrincipalTag/a~b["y"]`},
		{inside, "Statement[0] → Condition → StringEquals → aws:PrincipalTag/a~b[1]", `Statement[0] → Condition → StringEquals → aws:PrincipalTag/a~b["y"]`},
		{s1.NotAction.Values[0].Range, "Statement[1] → NotAction[0]", `Statement[1] → NotAction["s3:*"]`},
		{s1.Principal.Entries[0].Values[1].Range, "Statement[1] → Principal → AWS[1]", `Statement[1] → Principal → AWS["b"]`},
		{elsewhere, "", ""},
	} {
		got := x.locate(tc.rng)
		if show, stable := got.render(false), got.render(true); show != tc.show || stable != tc.stable {
			t.Errorf("locate(%d-%d) = %q, %q; want %q, %q", tc.rng.Start.Byte, tc.rng.End.Byte, show, stable, tc.show, tc.stable)
		}
	}
}

// TestLocateSharedRange: a loader that cannot map positions inside an
// embedded document gives its elements the attribute's range; a finding
// there is the statement's or the statement list's, not a guess among
// values.
func TestLocateSharedRange(t *testing.T) {
	attr := hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 3, Column: 12, Byte: 40}, End: hcl.Pos{Line: 3, Column: 60, Byte: 88}}
	stmt := &iam.Statement{Range: attr, Effect: iam.Allow, EffectRange: attr,
		Action:   iam.List{Present: true, KeyRange: attr, Range: attr, Values: []iam.Value{{Text: "s3:GetObject", Range: attr}, {Text: "s4:x", Range: attr}}},
		Resource: iam.List{Present: true, KeyRange: attr, Range: attr, Values: []iam.Value{{Text: "*", Range: attr}}}}
	doc := &iam.Document{Range: attr, StatementKeyRange: attr, Statements: []*iam.Statement{stmt}}
	if got := newElementIndex(doc).locate(attr).render(false); got != "Statement[0]" {
		t.Errorf("shared range located at %q, want the statement", got)
	}
	other := *stmt
	other.Index = 1
	doc.Statements = append(doc.Statements, &other)
	if got := newElementIndex(doc).locate(attr).render(false); got != "Statement" {
		t.Errorf("shared range located at %q, want the statement list", got)
	}
}

// TestNewInput enumerates the documents of a model with every kind of
// owner.
func TestNewInput(t *testing.T) {
	doc := func(addr, file string) *iam.PolicyDocument {
		d := parse(t, file, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, iam.KindIdentity)
		d.Addr = addr
		return d
	}
	inline := func(name, addr string) *iam.InlinePolicy {
		return &iam.InlinePolicy{PolicyDocument: *doc(addr, "main.tf"), Name: name}
	}
	node := func(addr string) iam.Node { return iam.Node{Addr: addr, Range: hcl.Range{Filename: "main.tf"}} }
	gaadDefault := &iam.PolicyVersion{PolicyDocument: *doc("gaad.json#Policies[0].PolicyVersionList[0]", "gaad.json"), VersionID: "v2", IsDefault: true}
	m := &iam.Model{
		Users:  []*iam.User{{Identity: iam.Identity{Node: node("aws_iam_user.ci"), Inline: []*iam.InlinePolicy{inline("deploy", "aws_iam_user.ci")}}}},
		Groups: []*iam.Group{{Node: node("aws_iam_group.devs"), Inline: []*iam.InlinePolicy{inline("read", "aws_iam_group_policy.read")}}},
		Roles: []*iam.Role{{
			Identity: iam.Identity{Node: node("aws_iam_role.app"), Inline: []*iam.InlinePolicy{inline("logs", "aws_iam_role.app.inline_policy[0]")}},
			Trust:    doc("data.aws_iam_policy_document.assume", "main.tf"),
		}, {
			Identity: iam.Identity{Node: node("aws_iam_role.plain")},
			Trust:    doc("aws_iam_role.plain", "main.tf"),
		}},
		Policies: []*iam.ManagedPolicy{
			{Node: node("aws_iam_policy.admin"), Default: doc("", "main.tf")},
			{Node: node("aws_iam_policy.data"), Default: doc("data.aws_iam_policy_document.data", "main.tf")},
			{Node: node("gaad.json#Policies[0]"), Default: &gaadDefault.PolicyDocument, Versions: []*iam.PolicyVersion{
				{PolicyDocument: *doc("gaad.json#Policies[0].PolicyVersionList[1]", "gaad.json"), VersionID: "v1"}, gaadDefault}},
			{Node: iam.Node{Addr: "arn:aws:iam::aws:policy/ReadOnlyAccess"}, AWSManaged: true, Default: doc("arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess")},
		},
		OrgPolicies: []*iam.OrgPolicy{{PolicyDocument: *doc("aws_organizations_policy.guard", "org.tf"), Kind: iam.KindSCP}},
		Documents:   []*iam.StandaloneDocument{{PolicyDocument: *doc("policies/app.json", "policies/app.json"), Kind: iam.KindResource}},
	}
	in := NewInput(m, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "x", Subject: &hcl.Range{Filename: "broken.tf"}}})
	var got []string
	for _, d := range in.Documents {
		got = append(got, d.Addr+" | "+d.Owner+" | "+d.Kind.String())
	}
	want := []string{
		`aws_iam_user.ci → inline policy "deploy" | aws_iam_user.ci | identity`,
		`aws_iam_group.devs → aws_iam_group_policy.read | aws_iam_group.devs | identity`,
		`aws_iam_role.app → inline policy "logs" | aws_iam_role.app | identity`,
		`aws_iam_role.app → data.aws_iam_policy_document.assume | aws_iam_role.app | trust`,
		`aws_iam_role.plain → trust policy | aws_iam_role.plain | trust`,
		`aws_iam_policy.admin | aws_iam_policy.admin | identity`,
		`aws_iam_policy.data → data.aws_iam_policy_document.data | aws_iam_policy.data | identity`,
		`gaad.json#Policies[0] → version v1 | gaad.json#Policies[0] | identity`,
		`gaad.json#Policies[0] → version v2 (default) | gaad.json#Policies[0] | identity`,
		`aws_organizations_policy.guard | aws_organizations_policy.guard | scp`,
		`policies/app.json |  | resource`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("documents (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"broken.tf", "gaad.json", "main.tf", "org.tf", "policies/app.json"}, in.Files()); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	if n := len(NewInput(nil, nil).Documents); n != 0 {
		t.Errorf("a nil model has %d documents", n)
	}
}

// TestSharedDocument: a document two roles use is reported once, with
// the other role as a related location.
func TestSharedDocument(t *testing.T) {
	trust := parse(t, "main.tf", `{"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRol"}}`, iam.KindTrust)
	trust.Addr = "data.aws_iam_policy_document.assume"
	second := *trust
	m := &iam.Model{Roles: []*iam.Role{
		{Identity: iam.Identity{Node: iam.Node{Addr: "aws_iam_role.a", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 5}}}}, Trust: trust},
		{Identity: iam.Identity{Node: iam.Node{Addr: "aws_iam_role.b", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 9}}}}, Trust: &second},
	}}
	rule := &Rule{Meta: Meta{ID: "IAM900", Slug: "actions", Severity: Low}, Check: reportActions}
	fs, err := (&Runner{Rules: []*Rule{rule}}).Run(context.Background(), NewInput(m, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
	}
	f := fs[0]
	if want := "aws_iam_role.a → data.aws_iam_policy_document.assume → Statement[0] → Action[0]"; f.Path != want {
		t.Errorf("path %q, want %q", f.Path, want)
	}
	if len(f.Related) != 1 || f.Related[0].Range.Start.Line != 9 ||
		f.Related[0].Message != "also used by aws_iam_role.b → data.aws_iam_policy_document.assume" {
		t.Errorf("related = %+v", f.Related)
	}
}

// TestNoDocument: a finding in no document is addressed by its file and
// told apart by its message.
func TestNoDocument(t *testing.T) {
	rng := hcl.Range{Filename: "broken.json", Start: hcl.Pos{Line: 3, Column: 5, Byte: 20}}
	rule := &Rule{Meta: Meta{ID: "IAM900", Slug: "load"}, Check: func(p *Pass) error {
		p.Reportf(nil, rng, "first")
		p.Reportf(nil, rng, "second")
		return nil
	}}
	fs, _ := (&Runner{Rules: []*Rule{rule}}).Run(context.Background(), NewInput(nil, nil))
	if len(fs) != 2 || fs[0].Path != "broken.json" || fs[0].Fingerprint == fs[1].Fingerprint {
		t.Errorf("findings %+v", fs)
	}
}

func TestMarkdown(t *testing.T) {
	m := Meta{ID: "IAM900", Slug: "x", Title: "A title", Severity: High, Default: true, Rationale: "Why.", Bad: "{}", Good: "{}",
		References: []string{"https://example.com"}}
	md := m.Markdown()
	for _, want := range []string{"# IAM900: A title", "| Severity | high |", "## Rationale\n\nWhy.", "## Avoid", "## Prefer", "- <https://example.com>"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if Lookup([]*Rule{{Meta: m}}, "x") == nil || Lookup([]*Rule{{Meta: m}}, "iam900") == nil {
		t.Error("Lookup by slug or ID failed")
	}
}

func TestOptionsAndReportAt(t *testing.T) {
	var got []string
	r := &Rule{Meta: Meta{ID: "IAM999", Slug: "test", Severity: Low, Options: []Option{
		{Name: "days", Type: "int", Default: "90", Description: "d"},
		{Name: "accounts", Type: "[]string", Default: `["111122223333"]`, Description: "a"},
	}}}
	r.Check = func(p *Pass) error {
		got = append(got, fmt.Sprintf("%d %v %s", p.IntOption("days"), p.StringsOption("accounts"), p.Now().Format("2006-01-02")))
		for _, line := range []int{3, 30} {
			p.ReportAt("aws_iam_user.a", "aws_iam_user.a → group", "k", hcl.Range{Filename: "m.tf", Start: hcl.Pos{Line: line, Byte: line * 10}}, nil, "user a")
		}
		return nil
	}
	now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	fs1, err := (&Runner{Rules: []*Rule{r}, Now: now}).Run(context.Background(), NewInput(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	opts := func(_ *Rule, name string) (cty.Value, bool) {
		if name == "days" {
			return cty.NumberIntVal(30), true
		}
		return cty.NilVal, false
	}
	if _, err := (&Runner{Rules: []*Rule{r}, Now: now, Options: opts}).Run(context.Background(), NewInput(nil, nil)); err != nil {
		t.Fatal(err)
	}
	if want := "90 [111122223333] 2026-01-02|30 [111122223333] 2026-01-02"; strings.Join(got, "|") != want {
		t.Errorf("options: %s, want %s", strings.Join(got, "|"), want)
	}
	if len(fs1) != 2 || fs1[0].Fingerprint == fs1[1].Fingerprint || fs1[0].Path != "aws_iam_user.a → group" {
		t.Errorf("ReportAt findings: %+v", fs1)
	}
}

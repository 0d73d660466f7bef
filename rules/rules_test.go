package rules

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

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
	for _, f := range p.Input.Policies() {
		for _, s := range f.Doc.Statements {
			for _, v := range s.Action.Values {
				p.Reportf(v.Range, "action %q", v.Text)
			}
		}
	}
	return nil
}

func run(t *testing.T, src string, rs ...*Rule) ([]Finding, error) {
	t.Helper()
	f, ok := ParseJSON("p.json", []byte(src), JSONOptions{DetectKind: true})
	if !ok {
		t.Fatal("not a policy")
	}
	r := Runner{Rules: rs}
	return r.Run(context.Background(), &Input{Files: []*PolicyFile{f}})
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
	if f.Path != "p.json#/Statement/0/Action/0" {
		t.Errorf("path = %q", f.Path)
	}
	if fs[2].Path != "p.json#/Statement/1/Action" {
		t.Errorf("path of a string Action = %q", fs[2].Path)
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	rule := &Rule{Meta: Meta{ID: "IAM900", Slug: "actions", Severity: Low}, Check: reportActions}
	before, _ := run(t, policy, rule)
	// Move everything down, and put a statement before the one with a Sid.
	moved := strings.Replace(policy, `"Statement": [`, `"Statement": [

    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},`, 1)
	after, _ := run(t, moved, rule)
	fp := map[string]string{}
	for _, f := range after {
		fp[f.Message] = f.Fingerprint
	}
	if fp[before[0].Message] != before[0].Fingerprint {
		t.Errorf("fingerprint of %s changed although its statement has a Sid", before[0].Message)
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

func TestDetectKind(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want iam.Kind
	}{
		{`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`, iam.KindIdentity},
		{`{"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}`, iam.KindTrust},
		{`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole", "sts:TagSession"]},
		                 {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:SetSourceIdentity"}]}`, iam.KindTrust},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}`, iam.KindResource},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:*"}]}`, iam.KindResource},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}`, iam.KindResource},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`, iam.KindIdentity},
		{`{"Statement": []}`, iam.KindIdentity},
	} {
		f, _ := ParseJSON("p.json", []byte(tc.doc), JSONOptions{DetectKind: true})
		if f.Kind != tc.want {
			t.Errorf("%s: kind %s, want %s", tc.doc, f.Kind, tc.want)
		}
	}
}

func TestParseJSON(t *testing.T) {
	for _, tc := range []struct {
		doc              string
		isPolicy, syntax bool
	}{
		{`{"Statement": []}`, true, false},
		{`{"name": "x"}`, false, false},
		{`[1, 2]`, false, false},
		{`{"Statement": [}`, true, true},
	} {
		f, ok := ParseJSON("p.json", []byte(tc.doc), JSONOptions{DetectKind: true})
		if ok != tc.isPolicy || f.SyntaxError() != tc.syntax {
			t.Errorf("%s: isPolicy %v syntax %v, want %v %v", tc.doc, ok, f.SyntaxError(), tc.isPolicy, tc.syntax)
		}
	}
}

func TestPointer(t *testing.T) {
	src := `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
	  "Condition": {"StringEquals": {"aws:PrincipalTag/a~b": ["x", "y"]}}}]}`
	f, _ := ParseJSON("p.json", []byte(src), JSONOptions{DetectKind: true})
	c := f.Doc.Statements[0].Condition.Clauses[0]
	for _, tc := range []struct {
		rng  hcl.Range
		want string
	}{
		{f.Doc.Range, ""},
		{c.OperatorRange, "/Statement/0/Condition/StringEquals"},
		{c.KeyRange, "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1a~0b"},
		{c.Values[1].Range, "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1a~0b/1"},
		{hcl.Range{Start: hcl.Pos{Byte: c.Values[1].Range.Start.Byte + 1}, End: hcl.Pos{Byte: c.Values[1].Range.Start.Byte + 2}},
			"/Statement/0/Condition/StringEquals/aws:PrincipalTag~1a~0b/1"},
	} {
		if got := f.Pointer(tc.rng); got != tc.want {
			t.Errorf("Pointer = %q, want %q", got, tc.want)
		}
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

// Package rules is iamlint's rule framework: what a rule is (Meta and a
// Check function), what it sees (Input, through a Pass), what it reports
// (Finding), and the Runner that applies a set of rules to an input.
//
// Rules are data. A rule is a Rule value whose Meta holds everything the
// documentation, the reporters and `iamlint explain` need, and whose Check
// reports findings through Pass.Reportf. A rule never writes its own ID,
// severity or position: the pass fills them in from the rule's Meta and the
// range of the element at fault.
package rules

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Severity ranks findings. The zero value is not a valid severity.
type Severity uint8

// Severities, from least to most severe.
const (
	Info Severity = 1 + iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{Info: "info", Low: "low", Medium: "medium", High: "high", Critical: "critical"}

// Severities returns every severity, least severe first.
func Severities() []Severity { return []Severity{Info, Low, Medium, High, Critical} }

func (s Severity) String() string {
	if s >= Info && s <= Critical {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// ParseSeverity reads a severity name ("high"), ignoring case.
func ParseSeverity(name string) (Severity, error) {
	for _, s := range Severities() {
		if strings.EqualFold(name, severityNames[s]) {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", name)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Info || s > Critical {
		return nil, fmt.Errorf("invalid severity %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Meta describes a rule. It is the single source of the rule's
// documentation: docs/rules, `iamlint explain` and the reporters all read it.
type Meta struct {
	ID       string   // "IAM301"; IAM + three digits, never reused
	Slug     string   // "unknown-service"; lower-case words joined by '-'
	Title    string   // at most 60 characters, no trailing period
	Severity Severity // of every finding the rule reports
	Default  bool     // enabled unless configured otherwise
	Since    string   // the release that introduced the rule
	// Rationale explains, in Markdown, what the rule finds and why it
	// matters, and how to fix it.
	Rationale string
	// Bad and Good are examples: Bad must make the rule report and Good
	// must not; the tests run both. An example is a JSON policy, or a
	// txtar archive of files ("-- main.tf --" ...) for rules about
	// Terraform, accounts or credential reports; an archive's comment may
	// say "kind: trust" to set the kind of its standalone policies.
	Bad, Good string
	// References are AWS documentation URLs.
	References []string
	// Source is the file that defines a custom rule (a Rego module, see
	// rules/rego); "" for the built-in rules, documented in docs/rules.
	Source string
	// Options are the rule's settings; none of the built-in rules has any
	// yet.
	Options []Option
}

// Option documents one setting of a rule.
type Option struct {
	Name string
	// Type is "int", "string", "bool" or "[]string".
	Type string
	// Default is the value when none is configured, written as HCL
	// would: 90, "us-east-1", true, ["111122223333"].
	Default     string
	Description string
}

// DefaultValue parses Default as its Type.
func (o Option) DefaultValue() (cty.Value, error) {
	expr, diags := hclsyntax.ParseExpression([]byte(o.Default), "default", hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	want := map[string]func(cty.Type) bool{
		"int":      func(t cty.Type) bool { return t == cty.Number },
		"string":   func(t cty.Type) bool { return t == cty.String },
		"bool":     func(t cty.Type) bool { return t == cty.Bool },
		"[]string": func(t cty.Type) bool { return t.IsTupleType() || t.IsListType() },
	}[o.Type]
	if want == nil || !want(v.Type()) {
		return cty.NilVal, fmt.Errorf("default %s is not of type %q", o.Default, o.Type)
	}
	return v, nil
}

// Rule is a rule: its metadata and the function that checks an input.
// Check reports through the pass and returns an error only when the rule
// itself fails; the runner turns a panic into such an error too.
type Rule struct {
	Meta
	Check func(*Pass) error
}

// Finding is one problem a rule reported.
type Finding struct {
	RuleID   string
	Severity Severity
	// Message is one lower-case sentence without a trailing period that
	// names the concrete action, resource or key at fault.
	Message string
	// Range is the element at fault.
	Range hcl.Range
	// Related points at other elements that explain the finding.
	Related []Related
	// Path is the logical address of the element: the document's address
	// (its file, or its owner and what it is there), the statement and the
	// element, joined with " → ":
	//
	//	aws_iam_role.app → inline policy "read" → Statement[1] → Action[0]
	//	policy.json → Statement["AllowVPN"] → Condition → IpAddress → aws:SourceIp[1]
	//
	// A statement is named by its Sid when the Sid is unique in the
	// document, else by its index. A finding in no document (a file that
	// did not load) has the file name as its path.
	Path string
	// Fingerprint identifies the finding across edits that move it: a hash
	// of the rule ID and the logical address, in which list values are
	// named by their text rather than their index, never line numbers. The
	// n-th finding of a rule at one address also hashes n; a finding in no
	// document hashes its message.
	Fingerprint string
	// Suppressed is set on a finding an iamlint:ignore comment or a
	// configuration entry silenced; reporters show it as suppressed.
	Suppressed *Suppressed `json:",omitempty"`
}

// Related is a secondary location of a finding.
type Related struct {
	Range   hcl.Range
	Message string
}

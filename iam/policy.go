// Package iam is iamlint's vocabulary for the AWS IAM policy language:
// documents, statements, action and resource patterns, principals and
// condition blocks, each carrying the exact source range it came from, plus
// the matching rules and the request evaluator AWS applies to them.
package iam

import (
	"github.com/hashicorp/hcl/v2"
)

// Policy language versions.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is a statement's Effect.
type Effect uint8

// Effects. EffectInvalid marks a missing or misspelled Effect; such a
// statement never applies.
const (
	EffectInvalid Effect = iota
	Allow
	Deny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "invalid"
}

// Kind is the role a policy document plays; it decides which elements are
// required or forbidden.
type Kind uint8

// Policy kinds.
const (
	KindUnknown  Kind = iota // no kind-specific checks
	KindIdentity             // managed or inline policy on a user, group or role
	KindResource             // resource-based policy (bucket, key, queue, ...)
	KindTrust                // a role's trust policy (a resource-based policy on sts)
	KindBoundary             // permissions boundary
	KindSCP                  // service control policy
	KindRCP                  // resource control policy
	KindSession              // session policy
)

var kindNames = [...]string{"unknown", "identity", "resource", "trust", "boundary", "scp", "rcp", "session"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// ParseKind maps a kind name ("identity", "trust", ...) to a Kind.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return KindUnknown, false
}

// hasPrincipal reports whether statements of this kind name a principal.
func (k Kind) hasPrincipal() bool { return k == KindResource || k == KindTrust }

// Value is one string of a policy element with its source range. Values
// written as JSON numbers or booleans (common in conditions) keep their
// literal text; JSONKind records how they were written.
type Value struct {
	Text     string
	Range    hcl.Range
	JSONKind ValueKind
	// Unknown marks a value a loader could not determine statically (a
	// Terraform variable without a value, a data source lookup); Text then
	// holds its symbolic form, such as "${var.bucket_arn}". Matching treats
	// such text literally, so an unknown never grants by accident.
	Unknown bool
}

// ValueKind records the JSON type a value was written as.
type ValueKind uint8

// Value kinds.
const (
	StringValue ValueKind = iota
	NumberValue
	BoolValue
)

// List is a string-or-array element (Action, Resource, ...). Present is
// false when the element is absent.
type List struct {
	Present  bool
	KeyRange hcl.Range // the element's key
	Range    hcl.Range // the element's value (string or array)
	Values   []Value
}

// Texts returns the values' strings.
func (l List) Texts() []string {
	out := make([]string, len(l.Values))
	for i, v := range l.Values {
		out[i] = v.Text
	}
	return out
}

// Document is one policy document.
type Document struct {
	Kind         Kind
	Range        hcl.Range
	Version      string
	VersionRange hcl.Range // zero when Version is absent
	HasVersion   bool
	ID           string
	Statements   []*Statement
	// StatementKeyRange is the "Statement" key; useful when the list is
	// empty or missing (then it is the document's range).
	StatementKeyRange hcl.Range

	cache compiledCache // matchers, built on first evaluation
}

// VariablesEnabled reports whether ${...} policy variables are substituted
// in this document: only under Version 2012-10-17. Under 2008-10-17 or with
// no Version they are literal text.
func (d *Document) VariablesEnabled() bool { return d.Version == Version2012 }

// Statement is one statement of a document.
type Statement struct {
	Index       int // position in the document's Statement list
	Range       hcl.Range
	Sid         string
	SidRange    hcl.Range
	Effect      Effect
	EffectRange hcl.Range

	Action, NotAction     List
	Resource, NotResource List

	Principal, NotPrincipal *Principal
	Condition               Conditions
}

// Actions returns the action list in use and whether it is NotAction.
func (s *Statement) Actions() (List, bool) {
	if s.NotAction.Present {
		return s.NotAction, true
	}
	return s.Action, false
}

// Resources returns the resource list in use and whether it is NotResource.
func (s *Statement) Resources() (List, bool) {
	if s.NotResource.Present {
		return s.NotResource, true
	}
	return s.Resource, false
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	KeyRange hcl.Range
	Range    hcl.Range
	// Any is true for the string form "*" (everyone). {"AWS": "*"} is an
	// entry and means the same; use MatchesAnyone to ask.
	Any     bool
	Entries []PrincipalEntry
}

// PrincipalEntry is one principal type with its values, e.g.
// "AWS": ["arn:aws:iam::111122223333:root"].
type PrincipalEntry struct {
	Type      string // AWS, Service, Federated, CanonicalUser
	TypeRange hcl.Range
	Values    []Value
}

// Principal types.
const (
	PrincipalAWS           = "AWS"
	PrincipalService       = "Service"
	PrincipalFederated     = "Federated"
	PrincipalCanonicalUser = "CanonicalUser"
)

// MatchesAnyone reports whether the element grants to everyone: "*" or
// {"AWS": "*"}.
func (p *Principal) MatchesAnyone() bool {
	if p == nil {
		return false
	}
	if p.Any {
		return true
	}
	for _, e := range p.Entries {
		if e.Type != PrincipalAWS {
			continue
		}
		for _, v := range e.Values {
			if v.Text == "*" {
				return true
			}
		}
	}
	return false
}

// Conditions is a statement's Condition block: every clause must hold.
type Conditions struct {
	Present  bool
	KeyRange hcl.Range
	Range    hcl.Range
	Clauses  []*Condition
}

// Condition is one operator/key pair of a Condition block with its values.
type Condition struct {
	Operator      Operator
	OperatorRange hcl.Range
	Key           string
	KeyRange      hcl.Range
	Values        []Value
	ValuesRange   hcl.Range
}

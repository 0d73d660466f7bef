package iam

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// ParseOptions says where a document comes from and what it is.
type ParseOptions struct {
	Filename string
	// Base is the outer-file position of the document's first byte, for
	// JSON embedded in another file (a heredoc, a string in a dump).
	Base hcl.Pos
	// Locate, when set, maps byte offsets of the document to outer
	// positions (JSON decoded from an escaped string); it overrides Base.
	Locate func(offset int) hcl.Pos
	Kind   Kind
}

// ParsePolicy parses a policy document from JSON. It returns a document
// whenever the JSON itself is well formed, even if the policy has
// structural problems; those are reported as diagnostics with the range of
// the element at fault.
func ParsePolicy(data []byte, opts ParseOptions) (*Document, hcl.Diagnostics) {
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: opts.Filename, Base: opts.Base, Locate: opts.Locate})
	if diags.HasErrors() {
		return nil, diags
	}
	doc, more := DecodePolicy(v, opts.Kind)
	return doc, append(diags, more...)
}

// DecodePolicy turns an already parsed JSON value into a Document.
func DecodePolicy(v *jsonpos.Value, kind Kind) (*Document, hcl.Diagnostics) {
	d := &decoder{kind: kind}
	doc := d.document(v)
	return doc, d.diags
}

type decoder struct {
	kind  Kind
	diags hcl.Diagnostics
}

func (d *decoder) errorf(rng hcl.Range, summary, detailFormat string, args ...any) {
	r := rng
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detailFormat, args...),
		Subject:  &r,
	})
}

func (d *decoder) warnf(rng hcl.Range, summary, detailFormat string, args ...any) {
	r := rng
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  summary,
		Detail:   fmt.Sprintf(detailFormat, args...),
		Subject:  &r,
	})
}

// members walks an object's members, reporting duplicate keys and keys
// not in known (matched exactly; a case-insensitive match is suggested).
func (d *decoder) members(v *jsonpos.Value, what string, known []string, visit func(m jsonpos.Member)) {
	firsts := firstOccurrences(v.Members, false)
	for i, m := range v.Members {
		if f := firsts[i]; f != i {
			d.errorf(m.KeyRange, "Duplicate key",
				"%q appears more than once in this %s (first at line %d); AWS rejects such documents. Keep one and merge the values.",
				m.Key, what, v.Members[f].KeyRange.Start.Line)
			continue
		}
		if !contains(known, m.Key) {
			if s := foldMatch(known, m.Key); s != "" {
				d.errorf(m.KeyRange, "Misspelled policy element",
					"Policy element names are case-sensitive: write %q, not %q.", s, m.Key)
			} else {
				d.errorf(m.KeyRange, "Unknown policy element",
					"%q is not an element of a %s; expected one of %s.", m.Key, what, strings.Join(known, ", "))
			}
			continue
		}
		visit(m)
	}
}

var (
	documentKeys  = []string{"Version", "Id", "Statement"}
	statementKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)

func (d *decoder) document(v *jsonpos.Value) *Document {
	doc := &Document{Kind: d.kind, Range: v.Range, StatementKeyRange: v.Range}
	if v.Kind != jsonpos.Object {
		d.errorf(v.Range, "Policy document is not an object",
			"A policy document is a JSON object with \"Version\" and \"Statement\"; found %s.", v.Kind.Phrase())
		return doc
	}
	var stmtVal *jsonpos.Value
	d.members(v, "policy document", documentKeys, func(m jsonpos.Member) {
		switch m.Key {
		case "Version":
			doc.VersionRange = m.Value.Range
			doc.HasVersion = true
			if m.Value.Kind != jsonpos.String {
				d.errorf(m.Value.Range, "Invalid Version", "Version must be the string %q; found %s.", Version2012, m.Value.Kind.Phrase())
				return
			}
			doc.Version = m.Value.Str
			if doc.Version != Version2012 && doc.Version != Version2008 {
				d.errorf(m.Value.Range, "Invalid Version",
					"%q is not a policy language version; use %q.", doc.Version, Version2012)
			}
		case "Id":
			if m.Value.Kind != jsonpos.String {
				d.errorf(m.Value.Range, "Invalid Id", "Id must be a string; found %s.", m.Value.Kind.Phrase())
				return
			}
			doc.ID = m.Value.Str
		case "Statement":
			doc.StatementKeyRange = m.KeyRange
			stmtVal = m.Value
		}
	})
	if stmtVal == nil {
		d.errorf(v.Range, "Missing Statement", "A policy document needs a \"Statement\" element holding one statement object or an array of them.")
		return doc
	}
	switch stmtVal.Kind {
	case jsonpos.Object:
		doc.Statements = append(doc.Statements, d.statement(stmtVal, 0))
	case jsonpos.Array:
		if len(stmtVal.Elems) == 0 {
			d.errorf(stmtVal.Range, "Empty Statement", "The Statement array is empty; a policy needs at least one statement.")
		}
		for i, e := range stmtVal.Elems {
			if e.Kind != jsonpos.Object {
				d.errorf(e.Range, "Statement is not an object", "Each statement must be a JSON object; found %s.", e.Kind.Phrase())
				continue
			}
			doc.Statements = append(doc.Statements, d.statement(e, i))
		}
	default:
		d.errorf(stmtVal.Range, "Invalid Statement", "Statement must be an object or an array of objects; found %s.", stmtVal.Kind.Phrase())
	}
	d.checkSids(doc)
	return doc
}

func (d *decoder) checkSids(doc *Document) {
	seen := map[string]bool{}
	for _, s := range doc.Statements {
		if s.Sid == "" {
			continue
		}
		if seen[s.Sid] {
			d.errorf(s.SidRange, "Duplicate Sid", "Sid %q is used by more than one statement; statement IDs must be unique within a policy.", s.Sid)
		}
		seen[s.Sid] = true
	}
}

func (d *decoder) statement(v *jsonpos.Value, index int) *Statement {
	s := &Statement{Index: index, Range: v.Range}
	effectSeen := false
	d.members(v, "statement", statementKeys, func(m jsonpos.Member) {
		switch m.Key {
		case "Sid":
			s.SidRange = m.Value.Range
			if m.Value.Kind != jsonpos.String {
				d.errorf(m.Value.Range, "Invalid Sid", "Sid must be a string; found %s.", m.Value.Kind.Phrase())
				return
			}
			s.Sid = m.Value.Str
		case "Effect":
			effectSeen = true
			s.EffectRange = m.Value.Range
			switch {
			case m.Value.Kind != jsonpos.String:
				d.errorf(m.Value.Range, "Invalid Effect", "Effect must be \"Allow\" or \"Deny\"; found %s.", m.Value.Kind.Phrase())
			case m.Value.Str == "Allow":
				s.Effect = Allow
			case m.Value.Str == "Deny":
				s.Effect = Deny
			case strings.EqualFold(m.Value.Str, "allow") || strings.EqualFold(m.Value.Str, "deny"):
				d.errorf(m.Value.Range, "Invalid Effect", "Effect is case-sensitive: write %q.", titleCase(m.Value.Str))
			default:
				d.errorf(m.Value.Range, "Invalid Effect", "Effect must be \"Allow\" or \"Deny\", not %q.", m.Value.Str)
			}
		case "Action":
			s.Action = d.list(m, "Action")
		case "NotAction":
			s.NotAction = d.list(m, "NotAction")
		case "Resource":
			s.Resource = d.list(m, "Resource")
		case "NotResource":
			s.NotResource = d.list(m, "NotResource")
		case "Principal":
			s.Principal = d.principal(m)
		case "NotPrincipal":
			s.NotPrincipal = d.principal(m)
		case "Condition":
			s.Condition = d.conditions(m)
		}
	})
	if !effectSeen {
		d.errorf(v.Range, "Missing Effect", "Every statement needs \"Effect\": \"Allow\" or \"Deny\".")
	}
	d.exclusive(v, s.Action, s.NotAction, "Action", "NotAction", true)
	switch d.kind {
	case KindTrust:
		for _, l := range []List{s.Resource, s.NotResource} {
			if l.Present {
				d.errorf(l.KeyRange, "Resource in a trust policy",
					"A role trust policy applies to the role itself and must not have Resource or NotResource; remove it.")
			}
		}
	case KindUnknown:
		d.exclusive(v, s.Resource, s.NotResource, "Resource", "NotResource", false)
	default:
		d.exclusive(v, s.Resource, s.NotResource, "Resource", "NotResource", true)
	}
	if s.Principal != nil && s.NotPrincipal != nil {
		d.errorf(s.NotPrincipal.KeyRange, "Both Principal and NotPrincipal",
			"A statement may have Principal or NotPrincipal, not both.")
	}
	if d.kind == KindRCP {
		// Resource control policies apply to every caller of the
		// resource: AWS requires "Principal": "*" (NotPrincipal is not
		// supported) and only Deny statements.
		switch {
		case s.NotPrincipal != nil:
			d.errorf(s.NotPrincipal.KeyRange, "NotPrincipal in an RCP", "Resource control policies do not support NotPrincipal; use \"Principal\": \"*\" with conditions.")
		case s.Principal == nil:
			d.errorf(v.Range, "Missing Principal", "Every resource control policy statement needs \"Principal\": \"*\".")
		case !s.Principal.Any:
			d.errorf(s.Principal.Range, "Invalid Principal", "A resource control policy statement must have \"Principal\": \"*\"; narrow it with conditions such as aws:PrincipalOrgID.")
		}
		if s.Effect == Allow {
			d.errorf(s.EffectRange, "Allow in an RCP", "Resource control policies only take Deny statements (AWS attaches RCPFullAWSAccess itself).")
		}
	} else if d.kind.hasPrincipal() {
		if s.Principal == nil && s.NotPrincipal == nil {
			d.errorf(v.Range, "Missing Principal",
				"%s policy statement must name who it applies to with \"Principal\" (or \"NotPrincipal\").", capitalize(kindPhrase(d.kind)))
		}
		if s.NotPrincipal != nil && s.Effect == Allow {
			d.errorf(s.NotPrincipal.KeyRange, "NotPrincipal with Allow",
				"AWS rejects NotPrincipal in an Allow statement: it would grant access to everyone not listed. Name the principals with Principal instead.")
		}
	} else if d.kind != KindUnknown {
		for _, p := range []*Principal{s.Principal, s.NotPrincipal} {
			if p != nil {
				d.errorf(p.KeyRange, "Principal in "+kindPhrase(d.kind)+" policy",
					"Only resource-based and trust policies name principals; %s policy applies to whoever it is attached to. Remove the element.", kindPhrase(d.kind))
			}
		}
	}
	return s
}

// exclusive reports when both or (if required) neither of a pair is set.
func (d *decoder) exclusive(stmt *jsonpos.Value, a, b List, an, bn string, required bool) {
	switch {
	case a.Present && b.Present:
		d.errorf(b.KeyRange, "Both "+an+" and "+bn, "A statement may have %s or %s, not both.", an, bn)
	case !a.Present && !b.Present && required:
		d.errorf(stmt.Range, "Missing "+an, "This statement needs %s (or %s).", an, bn)
	}
}

// list decodes a string-or-array-of-strings element.
func (d *decoder) list(m jsonpos.Member, name string) List {
	l := List{Present: true, KeyRange: m.KeyRange, Range: m.Value.Range}
	switch m.Value.Kind {
	case jsonpos.String:
		l.Values = []Value{{Text: m.Value.Str, Range: m.Value.Range}}
	case jsonpos.Array:
		if len(m.Value.Elems) == 0 {
			d.errorf(m.Value.Range, "Empty "+name, "%s is an empty list; AWS rejects it. List at least one value or remove the element.", name)
		}
		for _, e := range m.Value.Elems {
			if e.Kind != jsonpos.String {
				d.errorf(e.Range, "Invalid "+name+" value", "%s values must be strings; found %s.", name, e.Kind.Phrase())
				continue
			}
			l.Values = append(l.Values, Value{Text: e.Str, Range: e.Range})
		}
	default:
		d.errorf(m.Value.Range, "Invalid "+name, "%s must be a string or an array of strings; found %s.", name, m.Value.Kind.Phrase())
	}
	return l
}

var principalTypes = []string{PrincipalAWS, PrincipalService, PrincipalFederated, PrincipalCanonicalUser}

func (d *decoder) principal(m jsonpos.Member) *Principal {
	p := &Principal{KeyRange: m.KeyRange, Range: m.Value.Range}
	switch m.Value.Kind {
	case jsonpos.String:
		if m.Value.Str == "*" {
			p.Any = true
		} else {
			d.errorf(m.Value.Range, "Invalid "+m.Key,
				"The only string form of %s is \"*\"; name principals as {\"AWS\": %q} (or \"Service\", \"Federated\", \"CanonicalUser\").", m.Key, m.Value.Str)
		}
	case jsonpos.Object:
		d.members(m.Value, m.Key+" element", principalTypes, func(pm jsonpos.Member) {
			l := d.list(pm, m.Key+" "+pm.Key)
			p.Entries = append(p.Entries, PrincipalEntry{Type: pm.Key, TypeRange: pm.KeyRange, Values: l.Values})
		})
	default:
		d.errorf(m.Value.Range, "Invalid "+m.Key, "%s must be \"*\" or an object such as {\"AWS\": [...]}; found %s.", m.Key, m.Value.Kind.Phrase())
	}
	return p
}

func (d *decoder) conditions(m jsonpos.Member) Conditions {
	c := Conditions{Present: true, KeyRange: m.KeyRange, Range: m.Value.Range}
	if m.Value.Kind != jsonpos.Object {
		d.errorf(m.Value.Range, "Invalid Condition", "Condition must be an object of operators, e.g. {\"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}}; found %s.", m.Value.Kind.Phrase())
		return c
	}
	opFirsts := firstOccurrences(m.Value.Members, false)
	for i, om := range m.Value.Members {
		if opFirsts[i] != i {
			d.errorf(om.KeyRange, "Duplicate key", "Operator %q appears more than once in this Condition; AWS rejects the document. Merge the keys under one operator.", om.Key)
			continue
		}
		op, ok := ParseOperator(om.Key)
		switch {
		case !ok:
			d.errorf(om.KeyRange, "Unknown condition operator", "%q is not a condition operator (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, with optional IfExists and ForAllValues:/ForAnyValue:).", om.Key)
		case op.String() != om.Key:
			d.warnf(om.KeyRange, "Condition operator in unusual case", "IAM reads operator names without regard to case, but write %q as documented so tools and readers recognise it.", op.String())
		}
		if om.Value.Kind != jsonpos.Object {
			d.errorf(om.Value.Range, "Invalid condition", "Operator %s must map condition keys to values; found %s.", om.Key, om.Value.Kind.Phrase())
			continue
		}
		keyFirsts := firstOccurrences(om.Value.Members, true)
		for j, km := range om.Value.Members {
			if keyFirsts[j] != j {
				d.errorf(km.KeyRange, "Duplicate key", "Condition key %q appears more than once under %s (key names are case-insensitive); merge the values.", km.Key, om.Key)
				continue
			}
			cond := &Condition{Operator: op, OperatorRange: om.KeyRange, Key: km.Key, KeyRange: km.KeyRange, ValuesRange: km.Value.Range}
			cond.Values = d.conditionValues(km.Value)
			if ok {
				c.Clauses = append(c.Clauses, cond)
			}
		}
	}
	return c
}

func (d *decoder) conditionValues(v *jsonpos.Value) []Value {
	one := func(e *jsonpos.Value) (Value, bool) {
		switch e.Kind {
		case jsonpos.String:
			return Value{Text: e.Str, Range: e.Range}, true
		case jsonpos.Number:
			return Value{Text: e.Str, Range: e.Range, JSONKind: NumberValue}, true
		case jsonpos.Bool:
			return Value{Text: e.Str, Range: e.Range, JSONKind: BoolValue}, true
		}
		d.errorf(e.Range, "Invalid condition value", "Condition values must be strings, numbers or booleans; found %s.", e.Kind.Phrase())
		return Value{}, false
	}
	if v.Kind == jsonpos.Array {
		out := make([]Value, 0, len(v.Elems))
		for _, e := range v.Elems {
			if val, ok := one(e); ok {
				out = append(out, val)
			}
		}
		return out
	}
	if val, ok := one(v); ok {
		return []Value{val}
	}
	return nil
}

// firstOccurrences returns, for each member, the index of the first
// member with the same key (ignoring case when fold is set); a member that
// is not a duplicate maps to itself. Small objects — all real policies —
// are scanned; large ones use a map, so hostile input stays linear.
func firstOccurrences(members []jsonpos.Member, fold bool) []int {
	out := make([]int, len(members))
	key := func(i int) string {
		if fold {
			return strings.ToLower(members[i].Key)
		}
		return members[i].Key
	}
	if len(members) <= 16 {
		for i := range members {
			out[i] = i
			for j := 0; j < i; j++ {
				if members[j].Key == members[i].Key || fold && strings.EqualFold(members[j].Key, members[i].Key) {
					out[i] = j
					break
				}
			}
		}
		return out
	}
	seen := make(map[string]int, len(members))
	for i := range members {
		k := key(i)
		if f, ok := seen[k]; ok {
			out[i] = f
			continue
		}
		seen[k] = i
		out[i] = i
	}
	return out
}

// kindPhrase names a policy kind with its article, for messages:
// "an identity", "an SCP".
func kindPhrase(k Kind) string {
	switch k {
	case KindIdentity:
		return "an identity"
	case KindResource:
		return "a resource-based"
	case KindTrust:
		return "a trust"
	case KindBoundary:
		return "a permissions boundary"
	case KindSCP:
		return "an SCP"
	case KindRCP:
		return "an RCP"
	case KindSession:
		return "a session"
	}
	return "a"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func foldMatch(list []string, s string) string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return x
		}
	}
	return ""
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// SortDiagnostics orders diagnostics by file, line and column so output is
// deterministic.
func SortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
}

// Package simcase reads simulation cases: a request plus the policies that
// bear on it, in the JSON shape shared by `iamlint simulate --cases` and
// the conformance suite (the same shape the test oracle reads).
//
//	{
//	  "id": "label", "expect": "Allowed", "note": "free text",
//	  "identityPolicies": [DOC, {"name": "n", "policy": DOC}],
//	  "permissionBoundary": DOC,
//	  "scps": [[DOC, ...], ...], "rcps": [[DOC]],     // one list per level
//	  "resourcePolicy": DOC, "sessionPolicy": DOC,
//	  "request": {"principal": ARN, "action": "s3:GetObject", "resource": ARN,
//	              "resourceAccount": "111122223333", "context": {"key": "v" | ["v", ...]}}
//	}
package simcase

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// Case is one decoded simulation case.
type Case struct {
	ID      string
	Expect  string // "" when the case states no expectation
	Range   hcl.Range
	Request iam.Request
	Set     iam.PolicySet
}

// Parse reads one case object or an array of cases. Policy positions refer
// to filename. Errors concern the case format; problems in the policies
// are warnings (the policies are evaluated as written). Cases with errors
// are still returned when their request could be read.
func Parse(data []byte, filename string) ([]*Case, hcl.Diagnostics) {
	v, diags := jsonpos.Parse(data, jsonpos.Options{Filename: filename})
	if diags.HasErrors() {
		return nil, diags
	}
	var items []*jsonpos.Value
	switch v.Kind {
	case jsonpos.Array:
		items = v.Elems
	case jsonpos.Object:
		items = []*jsonpos.Value{v}
	default:
		return nil, append(diags, errorAt(v.Range, "Invalid cases file", "expected a case object or an array of cases"))
	}
	var out []*Case
	for i, item := range items {
		c, d := decodeCase(item, i)
		diags = append(diags, d...)
		if c != nil {
			out = append(out, c)
		}
	}
	return out, diags
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	r := rng
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r}
}

func decodeCase(v *jsonpos.Value, index int) (*Case, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if v.Kind != jsonpos.Object {
		return nil, hcl.Diagnostics{errorAt(v.Range, "Invalid case", "each case must be an object")}
	}
	c := &Case{ID: fmt.Sprintf("#%d", index), Range: v.Range}
	str := func(m *jsonpos.Member) string {
		if m.Value.Kind != jsonpos.String {
			diags = append(diags, errorAt(m.Value.Range, "Invalid "+m.Key, m.Key+" must be a string"))
			return ""
		}
		return m.Value.Str
	}
	doc := func(v *jsonpos.Value, name string, kind iam.Kind) iam.Policy {
		if v.Kind == jsonpos.Object {
			if p := v.Lookup("policy"); p != nil && v.Lookup("Statement") == nil {
				if n := v.Lookup("name"); n != nil && n.Value.Kind == jsonpos.String {
					name = n.Value.Str
				}
				v = p.Value
			}
		}
		d, dd := iam.DecodePolicy(v, iam.KindUnknown)
		// A policy AWS would reject is still evaluated as written (its
		// broken statements never apply); its problems are warnings here,
		// so errors mean the case file itself is malformed.
		for _, x := range dd {
			x.Severity = hcl.DiagWarning
		}
		diags = append(diags, dd...)
		d.Kind = kind
		return iam.Policy{Name: name, Doc: d}
	}
	list := func(m *jsonpos.Member) []*jsonpos.Value {
		if m.Value.Kind == jsonpos.Array {
			return m.Value.Elems
		}
		return []*jsonpos.Value{m.Value}
	}
	levels := func(m *jsonpos.Member, prefix string, kind iam.Kind) [][]iam.Policy {
		var out [][]iam.Policy
		for i, lv := range list(m) {
			var level []iam.Policy
			items := []*jsonpos.Value{lv}
			if lv.Kind == jsonpos.Array {
				items = lv.Elems
			}
			for j, p := range items {
				level = append(level, doc(p, fmt.Sprintf("%s%d-%d", prefix, i, j), kind))
			}
			out = append(out, level)
		}
		return out
	}
	var req *jsonpos.Value
	for _, m := range v.Members {
		switch m.Key {
		case "id":
			if m.Value.Kind == jsonpos.String {
				c.ID = m.Value.Str
			} else {
				c.ID = m.Value.Str // numbers keep their literal text
			}
		case "expect":
			c.Expect = str(&m)
		case "note", "comment", "reason", "doc", "oracle":
			// Free text for readers of the case file (known-deviations.json
			// records the oracle's answer and the AWS documentation it contradicts).
		case "identityPolicies":
			for i, p := range list(&m) {
				c.Set.Identity = append(c.Set.Identity, doc(p, fmt.Sprintf("identity%d", i), iam.KindIdentity))
			}
		case "permissionBoundary":
			c.Set.Boundary = []iam.Policy{doc(m.Value, "boundary", iam.KindBoundary)}
		case "scps":
			c.Set.SCPs = levels(&m, "scp", iam.KindSCP)
		case "rcps":
			c.Set.RCPs = levels(&m, "rcp", iam.KindRCP)
		case "resourcePolicy":
			p := doc(m.Value, "resource", iam.KindResource)
			c.Set.Resource = &p
		case "sessionPolicy":
			p := doc(m.Value, "session", iam.KindSession)
			c.Set.Session = &p
		case "request":
			req = m.Value
		default:
			diags = append(diags, errorAt(m.KeyRange, "Unknown case field", fmt.Sprintf("%q is not a case field", m.Key)))
		}
	}
	if req == nil || req.Kind != jsonpos.Object {
		diags = append(diags, errorAt(v.Range, "Missing request", "a case needs a \"request\" object"))
		return nil, diags
	}
	for _, m := range req.Members {
		switch m.Key {
		case "principal":
			c.Request.Principal = str(&m)
		case "action":
			c.Request.Action = str(&m)
		case "resource":
			c.Request.Resource = str(&m)
		case "resourceAccount":
			c.Request.ResourceAccount = str(&m)
		case "context":
			c.Request.Context = decodeContext(m.Value, &diags)
		default:
			diags = append(diags, errorAt(m.KeyRange, "Unknown request field", fmt.Sprintf("%q is not a request field", m.Key)))
		}
	}
	if c.Request.Action == "" {
		diags = append(diags, errorAt(req.Range, "Missing action", "the request needs an \"action\""))
	}
	return c, diags
}

func decodeContext(v *jsonpos.Value, diags *hcl.Diagnostics) *iam.Context {
	ctx := &iam.Context{}
	if v.Kind != jsonpos.Object {
		*diags = append(*diags, errorAt(v.Range, "Invalid context", "context must be an object of keys to a string or a list of strings"))
		return ctx
	}
	for _, m := range v.Members {
		switch m.Value.Kind {
		case jsonpos.Array:
			vals := make([]string, 0, len(m.Value.Elems))
			for _, e := range m.Value.Elems {
				vals = append(vals, e.Str)
			}
			ctx.SetMulti(m.Key, vals)
		case jsonpos.Object, jsonpos.Null:
			*diags = append(*diags, errorAt(m.Value.Range, "Invalid context value", "a context value is a string or a list of strings"))
		default:
			ctx.Set(m.Key, m.Value.Str)
		}
	}
	return ctx
}

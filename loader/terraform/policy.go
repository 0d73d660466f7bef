package terraform

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

// docResult is the JSON a string holds, positioned: doc is nil when the
// string is unknown (ok) or is not valid JSON (not ok, and diags say why).
type docResult struct {
	doc   *pnode
	ok    bool
	diags hcl.Diagnostics
}

// docTree reads the JSON held by a string node with positions: a
// document built here (jsonencode, a policy document data source), a
// template rendered with its source map, a file, or else a plain string
// whose every part gets the string's own range (the fallback when nothing
// finer is known). The diagnostics are the JSON's syntax errors.
func (l *loader) docTree(n *pnode) (*pnode, bool, hcl.Diagnostics) {
	if n == nil {
		return nil, true, nil
	}
	switch {
	case n.doc != nil:
		return n.doc, true, nil
	case n.tmpl != nil:
		t := n.tmpl
		if !t.done {
			t.done = true
			t.result = l.parseTemplateJSON(t)
		}
		return t.result.doc, t.result.ok, t.result.diags
	case n.file != nil:
		v, diags := jsonpos.Parse(n.file.data, jsonpos.Options{Filename: n.file.name})
		if diags.HasErrors() {
			return nil, false, diags
		}
		return fromJSON(v, nil, nil), true, nil
	case n.kind != jsonpos.String:
		return n, true, nil
	case n.unknown:
		return nil, true, nil
	}
	v, diags := jsonpos.Parse([]byte(n.str), jsonpos.Options{Filename: n.rng.Filename})
	if diags.HasErrors() {
		for _, d := range diags {
			r := n.rng
			d.Subject = &r
			d.Detail = "The string is not valid JSON: " + d.Detail
		}
		return nil, false, diags
	}
	flat := n.rng
	return fromJSON(v, nil, &flat), true, nil
}

func (l *loader) parseTemplateJSON(t *tmplSrc) docResult {
	r := l.render(t)
	v, diags := jsonpos.Parse([]byte(r.text), jsonpos.Options{Filename: r.filename, Locate: r.locate})
	if diags.HasErrors() {
		return docResult{ok: false, diags: diags}
	}
	return docResult{doc: fromJSON(v, r, nil), ok: true}
}

// fromJSON converts a parsed JSON value to a pnode. With r, strings
// containing an unknown interpolation are unknown, and zero-width ranges
// (text produced by an interpolation) widen to the interpolation. With
// flat, every range is flat.
func fromJSON(v *jsonpos.Value, r *rendered, flat *hcl.Range) *pnode {
	rng := v.Range
	fix := func(rg hcl.Range) hcl.Range {
		if flat != nil {
			return *flat
		}
		if r != nil && rg.Start.Byte == rg.End.Byte {
			if fr, ok := r.frozen[rg.Start.Byte]; ok {
				return fr
			}
		}
		return rg
	}
	rng = fix(rng)
	n := &pnode{rng: rng, str: v.Str}
	switch v.Kind {
	case jsonpos.Object:
		n.kind = jsonpos.Object
		n.members = make([]pmember, len(v.Members))
		for i, m := range v.Members {
			n.members[i] = pmember{key: m.Key, keyRng: fix(m.KeyRange), val: fromJSON(m.Value, r, flat)}
		}
	case jsonpos.Array:
		n.kind = jsonpos.Array
		n.elems = make([]*pnode, len(v.Elems))
		for i, e := range v.Elems {
			n.elems[i] = fromJSON(e, r, flat)
		}
	default:
		n.kind = v.Kind
		if v.Kind == jsonpos.String && r != nil {
			for _, u := range r.unknowns {
				if u.Filename == rng.Filename && u.Start.Byte >= rng.Start.Byte && u.End.Byte <= rng.End.Byte {
					n.unknown = true
					break
				}
			}
		}
	}
	return n
}

type unkKey struct {
	rng  hcl.Range
	text string
}

// toJSON converts a pnode tree to the jsonpos form DecodePolicy reads,
// recording the unknown leaves.
func toJSON(n *pnode, unk map[unkKey]bool, unkRanges map[hcl.Range]bool) *jsonpos.Value {
	v := &jsonpos.Value{Kind: n.kind, Range: n.rng, Str: n.str}
	switch n.kind {
	case jsonpos.Object:
		if len(n.members) > 0 {
			v.Members = make([]jsonpos.Member, len(n.members))
			for i, m := range n.members {
				v.Members[i] = jsonpos.Member{Key: m.key, KeyRange: m.keyRng, Value: toJSON(m.val, unk, unkRanges)}
			}
		}
	case jsonpos.Array:
		if len(n.elems) > 0 {
			v.Elems = make([]*jsonpos.Value, len(n.elems))
			for i, e := range n.elems {
				v.Elems[i] = toJSON(e, unk, unkRanges)
			}
		}
	case jsonpos.Bool:
		v.Bool = n.str == "true"
	}
	if n.unknown {
		v.Kind = jsonpos.String
		unk[unkKey{n.rng, n.str}] = true
		unkRanges[n.rng] = true
	}
	return v
}

// decodeDoc turns a positioned document into an iam.Document and the
// problems AWS would reject it for (which stay with the document, in
// PolicyDocument.Diags). Values standing for something unknown are marked
// Unknown and reported once each, as load warnings; structural complaints
// about them (an unknown Statement is not an array) are dropped, since the
// unresolved notice says why.
func (l *loader) decodeDoc(n *pnode, kind iam.Kind) (*iam.Document, hcl.Diagnostics) {
	unk := map[unkKey]bool{}
	unkRanges := map[hcl.Range]bool{}
	doc, diags := iam.DecodePolicy(toJSON(n, unk, unkRanges), kind)
	var kept hcl.Diagnostics
	for _, d := range diags {
		if d.Subject != nil && unkRanges[*d.Subject] {
			continue
		}
		kept = append(kept, d)
	}
	mark := func(vs []iam.Value) {
		for i := range vs {
			if unk[unkKey{vs[i].Range, vs[i].Text}] || isSymbolic(vs[i].Text) {
				vs[i].Unknown = true
			}
		}
	}
	for _, s := range doc.Statements {
		for _, lst := range []*iam.List{&s.Action, &s.NotAction, &s.Resource, &s.NotResource} {
			mark(lst.Values)
		}
		for _, p := range []*iam.Principal{s.Principal, s.NotPrincipal} {
			if p != nil {
				for i := range p.Entries {
					mark(p.Entries[i].Values)
				}
			}
		}
		for _, c := range s.Condition.Clauses {
			mark(c.Values)
		}
	}
	keys := make([]unkKey, 0, len(unk))
	for k := range unk {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.rng.Start.Byte != b.rng.Start.Byte {
			return a.rng.Start.Byte < b.rng.Start.Byte
		}
		return a.text < b.text
	})
	for _, k := range keys {
		l.warnf(k.rng, "Unresolved value",
			"%s cannot be determined statically; the policy keeps it as unknown text, and it never matches anything by accident.", k.text)
	}
	return doc, kept
}

// renderJSON renders a fully known tree as JSON the way the AWS provider
// renders policy documents (indent "  " for json, "" for minified_json).
func renderJSON(n *pnode, indent string) (string, bool) {
	var b strings.Builder
	if !writeJSON(&b, n, indent, "") {
		return "", false
	}
	return b.String(), true
}

func writeJSON(b *strings.Builder, n *pnode, indent, prefix string) bool {
	if n.unknown {
		return false
	}
	nl := func(p string) {
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(p)
		}
	}
	switch n.kind {
	case jsonpos.String:
		q, _ := json.Marshal(n.str)
		b.Write(q)
	case jsonpos.Number, jsonpos.Bool, jsonpos.Null:
		b.WriteString(n.str)
	case jsonpos.Array:
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(prefix + indent)
			if !writeJSON(b, e, indent, prefix+indent) {
				return false
			}
		}
		if len(n.elems) > 0 {
			nl(prefix)
		}
		b.WriteByte(']')
	case jsonpos.Object:
		b.WriteByte('{')
		for i, m := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(prefix + indent)
			q, _ := json.Marshal(m.key)
			b.Write(q)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			if !writeJSON(b, m.val, indent, prefix+indent) {
				return false
			}
		}
		if len(n.members) > 0 {
			nl(prefix)
		}
		b.WriteByte('}')
	}
	return true
}

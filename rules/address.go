package rules

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// This file maps a finding's range to the logical address of the element
// at fault, by walking the decoded document: the same for JSON, HCL and
// YAML, since every element of an iam.Document keeps its range.
//
// An address is a list of segments. A selector segment ("[2]",
// `["ReadLogs"]`) attaches to the segment before it, others are joined
// with " → ":
//
//	Statement[1] → Action[3]
//	Statement["AllowVPN"] → Condition → IpAddress → aws:SourceIp[1]
//
// Each segment has a form to show and a stable form for fingerprints. They
// differ only for list values: shown by index, fingerprinted by text, so
// inserting or reordering values in a list keeps the fingerprints of the
// others. A statement is named by its Sid when the Sid is unique in the
// document, else by its index, in both forms.

// pathSep joins the segments of a path.
const pathSep = " → "

type segment struct{ show, stable string }

func plain(s string) segment { return segment{s, s} }

// elementPath is the address of an element within a document.
type elementPath []segment

func (p elementPath) render(stable bool) string {
	var b strings.Builder
	for i, s := range p {
		text := s.show
		if stable {
			text = s.stable
		}
		if i > 0 && !strings.HasPrefix(text, "[") {
			b.WriteString(pathSep)
		}
		b.WriteString(text)
	}
	return b.String()
}

// hasPrefix reports whether q is p or an ancestor of p.
func (p elementPath) hasPrefix(q elementPath) bool {
	if len(q) > len(p) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// element is one addressable part of a document.
type element struct {
	rng  hcl.Range
	path elementPath
}

// elementIndex lists the elements of a document, outer before inner.
type elementIndex struct{ elems []element }

func newElementIndex(doc *iam.Document) *elementIndex {
	x := &elementIndex{}
	if doc == nil {
		return x
	}
	x.add(doc.Range, nil)
	if doc.HasVersion {
		x.add(doc.VersionRange, elementPath{plain("Version")})
	}
	if doc.StatementKeyRange != doc.Range {
		x.add(doc.StatementKeyRange, elementPath{plain("Statement")})
	}
	sids := map[string]int{}
	for _, s := range doc.Statements {
		if s.Sid != "" {
			sids[s.Sid]++
		}
	}
	for _, s := range doc.Statements {
		sel := "[" + strconv.Itoa(s.Index) + "]"
		if s.Sid != "" && sids[s.Sid] == 1 {
			sel = "[" + strconv.Quote(s.Sid) + "]"
		}
		x.statement(s, elementPath{plain("Statement"), plain(sel)})
	}
	return x
}

func (x *elementIndex) add(rng hcl.Range, path elementPath) {
	if rng == (hcl.Range{}) {
		return // an absent element
	}
	x.elems = append(x.elems, element{rng, path})
}

// child extends a path without sharing its backing array.
func child(p elementPath, segs ...segment) elementPath {
	out := make(elementPath, 0, len(p)+len(segs))
	return append(append(out, p...), segs...)
}

func (x *elementIndex) statement(s *iam.Statement, at elementPath) {
	x.add(s.Range, at)
	x.add(s.SidRange, child(at, plain("Sid")))
	x.add(s.EffectRange, child(at, plain("Effect")))
	for _, l := range []struct {
		name string
		list iam.List
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
		if !l.list.Present {
			continue
		}
		p := child(at, plain(l.name))
		x.add(l.list.KeyRange, p)
		x.add(l.list.Range, p)
		x.values(p, l.list.Values)
	}
	for _, pr := range []struct {
		name string
		p    *iam.Principal
	}{{"Principal", s.Principal}, {"NotPrincipal", s.NotPrincipal}} {
		if pr.p == nil {
			continue
		}
		p := child(at, plain(pr.name))
		x.add(pr.p.KeyRange, p)
		x.add(pr.p.Range, p)
		for _, e := range pr.p.Entries {
			ep := child(p, plain(e.Type))
			x.add(e.TypeRange, ep)
			x.values(ep, e.Values)
		}
	}
	if s.Condition.Present {
		p := child(at, plain("Condition"))
		x.add(s.Condition.KeyRange, p)
		x.add(s.Condition.Range, p)
		for _, c := range s.Condition.Clauses {
			op := child(p, plain(c.Operator.String()))
			x.add(c.OperatorRange, op)
			key := child(op, plain(c.Key))
			x.add(c.KeyRange, key)
			x.add(c.ValuesRange, key)
			x.values(key, c.Values)
		}
	}
}

func (x *elementIndex) values(p elementPath, vals []iam.Value) {
	for i, v := range vals {
		x.add(v.Range, child(p, segment{"[" + strconv.Itoa(i) + "]", "[" + strconv.Quote(v.Text) + "]"}))
	}
}

// locate returns the address of the element at rng.
//
// When elements share the range exactly, the innermost wins if the others
// are its ancestors (a one-value list written as a string: Action and
// Action[0]); when unrelated elements share it (a loader that could not
// map positions inside an embedded document and gave them all the
// attribute's range), their common ancestor is the honest answer. A range
// that is no element's gets the innermost element that contains it (a
// duplicate or misspelled key, a character inside a value). A range
// outside the document is the document's.
func (x *elementIndex) locate(rng hcl.Range) elementPath {
	var exact []elementPath
	for _, e := range x.elems {
		if sameSpan(e.rng, rng) {
			exact = append(exact, e.path)
		}
	}
	if len(exact) > 0 {
		deepest := exact[0]
		for _, p := range exact[1:] {
			if len(p) >= len(deepest) {
				deepest = p
			}
		}
		common := deepest
		for _, p := range exact {
			if !deepest.hasPrefix(p) {
				common = commonPrefix(common, p)
			}
		}
		return common
	}
	var best *element
	for i := range x.elems {
		e := &x.elems[i]
		if !contains(e.rng, rng) {
			continue
		}
		if best == nil || span(e.rng) <= span(best.rng) {
			best = e
		}
	}
	if best == nil {
		return nil
	}
	return best.path
}

func commonPrefix(p, q elementPath) elementPath {
	n := 0
	for n < len(p) && n < len(q) && p[n] == q[n] {
		n++
	}
	return p[:n]
}

func sameSpan(a, b hcl.Range) bool {
	return a.Filename == b.Filename && a.Start.Byte == b.Start.Byte && a.End.Byte == b.End.Byte
}

func contains(outer, inner hcl.Range) bool {
	return outer.Filename == inner.Filename && outer.Start.Byte <= inner.Start.Byte && inner.End.Byte <= outer.End.Byte
}

func span(r hcl.Range) int { return r.End.Byte - r.Start.Byte }

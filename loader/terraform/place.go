package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iamlint/iamlint/iam/jsonpos"
)

// pnode is a value with the source range of every part of it: what an
// evaluated cty.Value cannot tell. Policy documents are built as pnode
// trees and handed to iam.DecodePolicy as jsonpos values, so documents
// from HCL get exactly the structure and checks JSON ones get.
//
// pnodes are never modified once built; trees share subtrees freely.
type pnode struct {
	kind    jsonpos.Kind
	unknown bool   // the value is not known statically; str is its symbolic form
	str     string // text of a string, number or bool
	rng     hcl.Range
	members []pmember
	elems   []*pnode
	// ref is the address of the resource instance the value was read
	// from (aws_iam_policy.p for aws_iam_policy.p.arn), when it was.
	ref string
	// For strings holding JSON: where to read it with positions.
	doc  *pnode   // the document, already positioned (jsonencode, a policy document data source)
	tmpl *tmplSrc // a template (heredoc, quoted string, templatefile)
	file *fileSrc // a file read with file()
}

type pmember struct {
	key    string
	keyRng hcl.Range
	val    *pnode
}

type fileSrc struct {
	name string
	data []byte
}

func (n *pnode) member(key string) *pnode {
	for _, m := range n.members {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// withRef returns n marked as read from ref (a copy when needed).
func (n *pnode) withRef(ref string) *pnode {
	if ref == "" || n.ref == ref {
		return n
	}
	c := *n
	c.ref = ref
	return &c
}

// placer builds pnodes for expressions of one evaluation context.
type placer struct {
	in    *instance
	ctx   *hcl.EvalContext
	inst  *resInst          // the block being read, for each.value
	hints []*pnode          // trees whose strings may be where a value was written
	vars  map[string]*pnode // trees of for expression variables in scope
	each  func() *pnode     // each.value of a module call being placed
	depth int
}

const maxPlaceDepth = 64

// place returns the positioned form of v, the value of e.
func (p *placer) place(e hcl.Expression, v cty.Value) *pnode {
	if p.depth > maxPlaceDepth || e == nil {
		return p.generic(v, exprRange(e), e, nil)
	}
	p.depth++
	defer func() { p.depth-- }()
	switch x := hcl.UnwrapExpression(e).(type) {
	case *hclsyntax.TemplateWrapExpr:
		return p.place(x.Wrapped, v)
	case *hclsyntax.ParenthesesExpr:
		return p.place(x.Expression, v)
	case *hclsyntax.ObjectConsExpr:
		return p.object(x, v)
	case *hclsyntax.TupleConsExpr:
		return p.tuple(x, v)
	case *hclsyntax.TemplateExpr:
		n := p.generic(v, x.Range(), x, nil)
		if n.kind == jsonpos.String {
			c := *n
			c.tmpl = &tmplSrc{e: x, ctx: p.ctx, raw: !isQuoted(p.in.r.l.files[x.Range().Filename], x.Range())}
			return &c
		}
		return n
	case *hclsyntax.ScopeTraversalExpr:
		return p.traversal(x, x.Traversal, v)
	case *hclsyntax.RelativeTraversalExpr:
		return p.conform(v, navigate(p.sub(x.Source), x.Traversal), x)
	case *hclsyntax.IndexExpr:
		key, ok := p.eval(x.Key)
		if !ok || !key.IsKnown() || key.IsNull() {
			return p.generic(v, x.Range(), x, p.sub(x.Collection))
		}
		if st, isTrav := hcl.UnwrapExpression(x.Collection).(*hclsyntax.ScopeTraversalExpr); isTrav {
			t := append(append(hcl.Traversal(nil), st.Traversal...), hcl.TraverseIndex{Key: key, SrcRange: x.Key.Range()})
			return p.traversal(x, t, v)
		}
		return p.conform(v, navigate(p.sub(x.Collection), hcl.Traversal{hcl.TraverseIndex{Key: key}}), x)
	case *hclsyntax.FunctionCallExpr:
		return p.call(x, v)
	case *hclsyntax.ConditionalExpr:
		c, ok := p.eval(x.Condition)
		if ok && c.IsKnown() && !c.IsNull() {
			if c, err := convert.Convert(c, cty.Bool); err == nil && !c.IsNull() {
				if c.True() {
					return p.place(x.TrueResult, v)
				}
				return p.place(x.FalseResult, v)
			}
		}
		return p.generic(v, x.Range(), x, p.sub(x.TrueResult), p.sub(x.FalseResult))
	case *hclsyntax.ForExpr:
		if n := p.forTuple(x, v); n != nil {
			return n
		}
		// Elements made by a for expression point at its value
		// expression, unless they are strings written somewhere the
		// collection came from.
		return p.generic(v, x.ValExpr.Range(), x, p.sub(x.CollExpr))
	case *hclsyntax.SplatExpr:
		src := p.sub(x.Source)
		if rt, ok := x.Each.(*hclsyntax.RelativeTraversalExpr); ok && src != nil && src.kind == jsonpos.Array &&
			v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == len(src.elems) {
			if _, anon := rt.Source.(*hclsyntax.AnonSymbolExpr); anon {
				elems := make([]*pnode, len(src.elems))
				i := 0
				for it := v.ElementIterator(); it.Next(); i++ {
					_, ev := it.Element()
					elems[i] = p.conform(ev, navigate(src.elems[i], rt.Traversal), x)
				}
				return &pnode{kind: jsonpos.Array, rng: x.Range(), elems: elems}
			}
		}
		return p.generic(v, x.Range(), x, src)
	}
	return p.generic(v, exprRange(e), e, nil)
}

func exprRange(e hcl.Expression) hcl.Range {
	if e == nil {
		return hcl.Range{}
	}
	return e.Range()
}

// maxForElements bounds the for expressions placed element by element,
// which re-evaluates the value expression per element; forBudget (on the
// loader) bounds the elements placed so in a whole load, so nested for
// expressions cannot make placement quadratic.
const (
	maxForElements = 1024
	forBudget      = 1 << 16
)

// forTuple places a [for ...] expression element by element: the value
// expression is placed once per element of the collection, with the
// iteration variables bound both in the evaluation context and as trees
// (so "s.actions" points into the collection where s was written). nil
// when the result cannot be matched with the collection.
func (p *placer) forTuple(x *hclsyntax.ForExpr, v cty.Value) *pnode {
	if x.KeyExpr != nil || p.ctx == nil || !v.IsKnown() || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
		return nil
	}
	coll, ok := p.eval(x.CollExpr)
	if !ok || !coll.IsWhollyKnown() || coll.IsNull() || !coll.CanIterateElements() || coll.LengthInt() > maxForElements {
		return nil
	}
	l := p.in.r.l
	if l.forBudget < coll.LengthInt() {
		return nil
	}
	l.forBudget -= coll.LengthInt()
	collTree := p.place(x.CollExpr, coll)
	results := v.AsValueSlice()
	n := &pnode{kind: jsonpos.Array, rng: x.Range()}
	i := 0
	for it := coll.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		vars := map[string]cty.Value{x.ValVar: ev}
		if x.KeyVar != "" {
			vars[x.KeyVar] = k
		}
		child := p.ctx.NewChild()
		child.Variables = vars
		if x.CondExpr != nil {
			c, diags := x.CondExpr.Value(child)
			if diags.HasErrors() || !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
				return nil
			}
			if c.False() {
				continue
			}
		}
		if i >= len(results) {
			return nil
		}
		sub := *p
		sub.ctx = child
		sub.vars = map[string]*pnode{}
		for name, val := range p.vars {
			sub.vars[name] = val
		}
		sub.vars[x.ValVar] = element(collTree, k)
		if x.KeyVar != "" {
			sub.vars[x.KeyVar] = nil
		}
		n.elems = append(n.elems, sub.place(x.ValExpr, results[i]))
		i++
	}
	if i != len(results) {
		return nil
	}
	return n
}

// eval evaluates a part of the expression being placed; diagnostics are
// dropped (the whole was evaluated, and reported, already).
func (p *placer) eval(e hcl.Expression) (cty.Value, bool) {
	if p.ctx == nil {
		return cty.DynamicVal, false
	}
	v, diags := e.Value(p.ctx)
	if diags.HasErrors() {
		return cty.DynamicVal, false
	}
	return v, true
}

// sub places a part of the expression being placed, or returns nil.
func (p *placer) sub(e hcl.Expression) *pnode {
	v, ok := p.eval(e)
	if !ok {
		return nil
	}
	return p.place(e, v)
}

func (p *placer) object(x *hclsyntax.ObjectConsExpr, v cty.Value) *pnode {
	ty := v.Type()
	if !v.IsKnown() || v.IsNull() || !(ty.IsObjectType() || ty.IsMapType()) {
		return p.generic(v, x.Range(), x, nil)
	}
	items := map[string]hclsyntax.ObjectConsItem{}
	for _, it := range x.Items {
		var key string
		if k, ok := it.KeyExpr.(*hclsyntax.ObjectConsKeyExpr); ok && !k.ForceNonLiteral {
			key = hcl.ExprAsKeyword(k.Wrapped)
		}
		if key == "" {
			kv, ok := p.eval(it.KeyExpr)
			if !ok || !kv.IsKnown() || kv.IsNull() {
				continue
			}
			kv, err := convert.Convert(kv, cty.String)
			if err != nil {
				continue
			}
			key = kv.AsString()
		}
		items[key] = it
	}
	n := &pnode{kind: jsonpos.Object, rng: x.Range()}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		key := k.AsString()
		if item, ok := items[key]; ok {
			n.members = append(n.members, pmember{key: key, keyRng: item.KeyExpr.Range(), val: p.place(item.ValueExpr, ev)})
		} else {
			n.members = append(n.members, pmember{key: key, keyRng: x.Range(), val: p.generic(ev, x.Range(), x, nil)})
		}
	}
	return n
}

func (p *placer) tuple(x *hclsyntax.TupleConsExpr, v cty.Value) *pnode {
	ty := v.Type()
	if v.IsKnown() && !v.IsNull() && (ty.IsTupleType() || ty.IsListType()) && v.LengthInt() == len(x.Exprs) {
		n := &pnode{kind: jsonpos.Array, rng: x.Range(), elems: make([]*pnode, len(x.Exprs))}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			n.elems[i] = p.place(x.Exprs[i], ev)
		}
		return n
	}
	hints := make([]*pnode, 0, len(x.Exprs))
	for _, e := range x.Exprs {
		hints = append(hints, p.sub(e))
	}
	return p.generic(v, x.Range(), x, hints...)
}

// traversal places a reference, following it to where the value was
// written when that is configuration iamlint reads: a local value, a
// module input given by the calling module, a module output, a policy
// document data source, each.value of the block. Root module variables are
// not followed: their values come from outside (tfvars, the command line),
// so elements taken from them point at the reference.
func (p *placer) traversal(e hcl.Expression, t hcl.Traversal, v cty.Value) *pnode {
	in := p.in
	var base *pnode
	var rest hcl.Traversal
	ref := ""
	root := t.RootName()
	if vt, ok := p.vars[root]; ok {
		if vt == nil {
			return p.generic(v, e.Range(), e, nil)
		}
		return p.conform(v, navigate(vt, t[1:]), e)
	}
	switch root {
	case "local":
		if s := in.slots["local."+stepName(t, 1)]; s != nil {
			base, rest = s.treeOf(), t[2:]
		}
	case "var":
		if s := in.slots["var."+stepName(t, 1)]; s != nil && in.parent != nil && s.in == in.parent {
			base, rest = s.treeOf(), t[2:]
		}
	case "module":
		if ms := in.mods[stepName(t, 1)]; ms != nil && ms.ok {
			child, next := pickInstance(ms.exp, len(ms.insts), t, 2)
			if child >= 0 {
				if s := ms.insts[child].slots["output."+stepName(t, next)]; s != nil && stepName(t, next) != "" {
					base, rest = s.treeOf(), t[next+1:]
				}
			}
		}
	case "each":
		switch {
		case stepName(t, 1) != "value":
		case p.inst != nil:
			base, rest = p.inst.eachValueTree(), t[2:]
		case p.each != nil:
			base, rest = p.each(), t[2:]
		}
	case "count", "path", "terraform", "self":
	case "data":
		key := "data." + stepName(t, 1) + "." + stepName(t, 2)
		if rs := in.res[key]; rs != nil && len(t) == 3 && stepName(t, 1) == "aws_iam_policy_document" {
			// The data source itself (for_each = data.aws_iam_policy_document.x):
			// its instances with their documents.
			base, rest = p.policyDocuments(rs, e.Range()), nil
			break
		}
		if rs := in.res[key]; rs != nil {
			i, next := pickInstance(rs.exp, len(rs.insts), t, 3)
			if i >= 0 {
				inst := rs.insts[i]
				ref = inst.addr
				if attr := stepName(t, next); stepName(t, 1) == "aws_iam_policy_document" && (next == len(t) || attr == "json" || attr == "minified_json") {
					base, rest = p.policyDocObject(inst, e.Range()), t[next:]
				}
			}
		}
	default:
		if rs := in.res[root+"."+stepName(t, 1)]; rs != nil {
			if i, _ := pickInstance(rs.exp, len(rs.insts), t, 2); i >= 0 {
				ref = rs.insts[i].addr
			}
		}
	}
	if base == nil {
		return p.generic(v, e.Range(), e, nil).withRef(ref)
	}
	return p.conform(v, navigate(base, rest), e).withRef(ref)
}

// policyDocuments is an aws_iam_policy_document block as a whole: each
// instance an object whose json and minified_json hold its document.
func (p *placer) policyDocuments(rs *resState, rng hcl.Range) *pnode {
	objs := make([]*pnode, len(rs.insts))
	for i, inst := range rs.insts {
		objs[i] = p.policyDocObject(inst, rng)
	}
	switch rs.exp.mode {
	case expSingle:
		if len(objs) == 1 {
			return objs[0]
		}
	case expCount:
		return &pnode{kind: jsonpos.Array, rng: rng, elems: objs}
	case expForEach:
		n := &pnode{kind: jsonpos.Object, rng: rng}
		for i, k := range rs.exp.keys {
			n.members = append(n.members, pmember{key: k.AsString(), keyRng: rng, val: objs[i]})
		}
		return n
	}
	return nil
}

// policyDocObject is one aws_iam_policy_document instance: an object
// whose json and minified_json hold its document.
func (p *placer) policyDocObject(inst *resInst, rng hcl.Range) *pnode {
	o := &pnode{kind: jsonpos.Object, rng: rng, ref: inst.addr}
	if inst.doc != nil {
		inst.used = true
		for _, k := range []string{"json", "minified_json"} {
			o.members = append(o.members, pmember{key: k, keyRng: rng,
				val: &pnode{kind: jsonpos.String, unknown: true, str: "${" + inst.addr + "." + k + "}", rng: rng, doc: inst.doc, ref: inst.addr}})
		}
	}
	return o
}

// pickInstance finds which instance a traversal names: the only one, or
// the one whose key is the index step at position i. It returns the
// instance's position and the position of the step after the index.
func pickInstance(e expansion, n int, t hcl.Traversal, i int) (int, int) {
	switch e.mode {
	case expSingle:
		if n == 1 {
			return 0, i
		}
	case expCount, expForEach:
		if i >= len(t) {
			return -1, i
		}
		ix, ok := t[i].(hcl.TraverseIndex)
		if !ok || !ix.Key.IsKnown() || ix.Key.IsNull() {
			return -1, i
		}
		for k, key := range e.keys {
			if e.mode == expCount {
				if kn, err := convert.Convert(ix.Key, cty.Number); err == nil && !kn.IsNull() && kn.Equals(key).True() {
					return k, i + 1
				}
			} else if ks, err := convert.Convert(ix.Key, cty.String); err == nil && !ks.IsNull() && ks.AsString() == key.AsString() {
				return k, i + 1
			}
		}
	}
	return -1, i
}

// navigate follows attribute and index steps into a tree; nil when a step
// does not lead anywhere known. A resource reference carries over to
// what is read from it.
func navigate(n *pnode, steps hcl.Traversal) *pnode {
	for _, s := range steps {
		if n == nil || n.unknown {
			return nil
		}
		ref := n.ref
		var next *pnode
		switch s := s.(type) {
		case hcl.TraverseAttr:
			next = n.member(s.Name)
		case hcl.TraverseIndex:
			k := s.Key
			if !k.IsKnown() || k.IsNull() {
				return nil
			}
			switch {
			case n.kind == jsonpos.Object:
				if ks, err := convert.Convert(k, cty.String); err == nil {
					next = n.member(ks.AsString())
				}
			case n.kind == jsonpos.Array:
				if kn, err := convert.Convert(k, cty.Number); err == nil {
					if i, acc := kn.AsBigFloat().Int64(); acc == 0 && i >= 0 && int(i) < len(n.elems) {
						next = n.elems[i]
					}
				}
			}
		default:
			return nil
		}
		if next == nil {
			return nil
		}
		n = next.withRef(ref)
	}
	return n
}

// conform returns n, the tree a reference led to, checked against v, the
// value the reference has here; where they differ (a type conversion
// reordered a set, a default was applied) the value is rebuilt from v,
// still using n's strings for positions.
func (p *placer) conform(v cty.Value, n *pnode, e hcl.Expression) *pnode {
	if n == nil {
		return p.generic(v, e.Range(), e, nil)
	}
	if !v.IsKnown() {
		if n.unknown || n.doc != nil || n.tmpl != nil {
			return n
		}
		return &pnode{kind: jsonpos.String, unknown: true, str: p.symbolic(e), rng: e.Range(), ref: n.ref}
	}
	if v.IsNull() {
		if n.kind == jsonpos.Null {
			return n
		}
		return &pnode{kind: jsonpos.Null, str: "null", rng: n.rng, ref: n.ref}
	}
	ty := v.Type()
	switch {
	case ty.IsPrimitiveType():
		text, kind := primitiveText(v)
		if kind == jsonpos.String && (n.doc != nil || n.tmpl != nil || n.file != nil) {
			// A string holding a document: keep where the document is.
			c := *n
			c.kind, c.str, c.unknown = jsonpos.String, text, false
			return &c
		}
		if !n.unknown && n.str == text && (n.kind == kind || n.kind == jsonpos.String || kind == jsonpos.String) {
			if n.kind == kind {
				return n
			}
			c := *n
			c.kind = kind
			return &c
		}
	case ty.IsListType() || ty.IsTupleType():
		if n.kind == jsonpos.Array && len(n.elems) == v.LengthInt() {
			out := &pnode{kind: jsonpos.Array, rng: n.rng, ref: n.ref, elems: make([]*pnode, len(n.elems))}
			i := 0
			for it := v.ElementIterator(); it.Next(); i++ {
				_, ev := it.Element()
				out.elems[i] = p.conform(ev, n.elems[i].withRef(n.ref), e)
			}
			return out
		}
	case ty.IsMapType() || ty.IsObjectType():
		if n.kind == jsonpos.Object {
			out := &pnode{kind: jsonpos.Object, rng: n.rng, ref: n.ref}
			for it := v.ElementIterator(); it.Next(); {
				k, ev := it.Element()
				key := k.AsString()
				m := pmember{key: key, keyRng: n.rng}
				for _, nm := range n.members {
					if nm.key == key {
						m.keyRng = nm.keyRng
						m.val = p.conform(ev, nm.val.withRef(n.ref), e)
						break
					}
				}
				if m.val == nil {
					m.val = p.generic(ev, n.rng, e, n)
				}
				out.members = append(out.members, m)
			}
			return out
		}
	}
	return p.generic(v, e.Range(), e, n).withRef(n.ref)
}

func primitiveText(v cty.Value) (string, jsonpos.Kind) {
	switch v.Type() {
	case cty.String:
		return v.AsString(), jsonpos.String
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), jsonpos.Number
	case cty.Bool:
		if v.True() {
			return "true", jsonpos.Bool
		}
		return "false", jsonpos.Bool
	}
	return "", jsonpos.Null
}

// generic renders v with every part at rng, except strings found in the
// hint trees (or the placer's own hints), which keep the range where they
// were written.
func (p *placer) generic(v cty.Value, rng hcl.Range, e hcl.Expression, hints ...*pnode) *pnode {
	var h map[string]*pnode
	lookup := func(s string) *pnode {
		if h == nil {
			h = map[string]*pnode{}
			for _, t := range hints {
				collectStrings(t, h)
			}
			for _, t := range p.hints {
				collectStrings(t, h)
			}
		}
		return h[s]
	}
	return p.fromCty(v, rng, e, lookup)
}

func collectStrings(n *pnode, into map[string]*pnode) {
	if n == nil {
		return
	}
	switch n.kind {
	case jsonpos.String:
		if !n.unknown {
			if _, ok := into[n.str]; !ok {
				into[n.str] = n
			}
		}
	case jsonpos.Array:
		for _, e := range n.elems {
			collectStrings(e.withRef(n.ref), into)
		}
	case jsonpos.Object:
		for _, m := range n.members {
			collectStrings(m.val.withRef(n.ref), into)
		}
	}
}

func (p *placer) fromCty(v cty.Value, rng hcl.Range, e hcl.Expression, lookup func(string) *pnode) *pnode {
	v, _ = v.Unmark()
	if !v.IsKnown() {
		return &pnode{kind: jsonpos.String, unknown: true, str: p.symbolic(e), rng: rng}
	}
	if v.IsNull() {
		return &pnode{kind: jsonpos.Null, str: "null", rng: rng}
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s := v.AsString()
		if n := lookup(s); n != nil {
			return n
		}
		return &pnode{kind: jsonpos.String, str: s, rng: rng}
	case ty.IsPrimitiveType():
		text, kind := primitiveText(v)
		return &pnode{kind: kind, str: text, rng: rng}
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		n := &pnode{kind: jsonpos.Array, rng: rng}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			n.elems = append(n.elems, p.fromCty(ev, rng, e, lookup))
		}
		return n
	case ty.IsMapType() || ty.IsObjectType():
		n := &pnode{kind: jsonpos.Object, rng: rng}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			n.members = append(n.members, pmember{key: k.AsString(), keyRng: rng, val: p.fromCty(ev, rng, e, lookup)})
		}
		return n
	}
	return &pnode{kind: jsonpos.String, unknown: true, str: p.symbolic(e), rng: rng}
}

// call places a function call. Calls that make or read JSON keep the
// positions of the document (jsonencode, jsondecode, file, templatefile);
// calls that combine collections keep their elements' positions (concat,
// merge); others point at strings found in their arguments, or at the
// call.
func (p *placer) call(x *hclsyntax.FunctionCallExpr, v cty.Value) *pnode {
	args := make([]*pnode, len(x.Args))
	placeArgs := func() {
		for i, a := range x.Args {
			args[i] = p.sub(a)
		}
	}
	switch x.Name {
	case "jsonencode":
		if len(x.Args) == 1 && !x.ExpandFinal {
			if av, ok := p.eval(x.Args[0]); ok {
				n := *p.generic(v, x.Range(), x)
				n.doc = p.place(x.Args[0], av)
				return &n
			}
		}
	case "jsondecode":
		if len(x.Args) == 1 && !x.ExpandFinal {
			if d, _, _ := p.in.r.l.docTree(p.sub(x.Args[0])); d != nil {
				return p.conform(v, d, x)
			}
		}
	case "file":
		if len(x.Args) == 1 && !x.ExpandFinal {
			if pv, ok := p.eval(x.Args[0]); ok && pv.IsKnown() && pv.Type() == cty.String && !pv.IsNull() {
				if rr := p.in.r.readFile(pv.AsString()); rr.err == nil {
					n := *p.generic(v, x.Range(), x)
					n.file = &fileSrc{name: rr.display, data: rr.data}
					return &n
				}
			}
		}
	case "templatefile":
		if len(x.Args) == 2 && !x.ExpandFinal {
			pv, ok1 := p.eval(x.Args[0])
			vars, ok2 := p.eval(x.Args[1])
			if ok1 && ok2 && pv.IsKnown() && pv.Type() == cty.String && !pv.IsNull() {
				funcs := p.in.r.funcs
				if t, ctx, err := p.in.r.template(pv.AsString(), vars, funcs); err == nil {
					n := *p.generic(v, x.Range(), x)
					n.tmpl = &tmplSrc{e: t, ctx: ctx, raw: true}
					return &n
				}
			}
		}
	case "concat":
		placeArgs()
		total := 0
		ok := !x.ExpandFinal
		for _, a := range args {
			if a == nil || a.kind != jsonpos.Array {
				ok = false
				break
			}
			total += len(a.elems)
		}
		if ok && v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == total {
			n := &pnode{kind: jsonpos.Array, rng: x.Range()}
			for _, a := range args {
				for _, el := range a.elems {
					n.elems = append(n.elems, el.withRef(a.ref))
				}
			}
			return p.conform(v, n, x)
		}
		return p.generic(v, x.Range(), x, args...)
	case "merge":
		placeArgs()
		if !x.ExpandFinal && v.IsKnown() && !v.IsNull() {
			n := &pnode{kind: jsonpos.Object, rng: x.Range()}
			idx := map[string]int{}
			for _, a := range args {
				if a == nil || a.kind != jsonpos.Object {
					continue
				}
				for _, m := range a.members {
					m.val = m.val.withRef(a.ref)
					if i, seen := idx[m.key]; seen {
						n.members[i] = m
					} else {
						idx[m.key] = len(n.members)
						n.members = append(n.members, m)
					}
				}
			}
			return p.conform(v, n, x)
		}
		return p.generic(v, x.Range(), x, args...)
	}
	placeArgs()
	return p.generic(v, x.Range(), x, args...)
}

// symbolic is the text an unknown value stands as: "${expression}" as the
// user wrote it, or for a string template the template with its known
// parts filled in ("arn:aws:s3:::${var.bucket}/*").
func (p *placer) symbolic(e hcl.Expression) string {
	l := p.in.r.l
	if e == nil {
		return "${?}"
	}
	switch x := hcl.UnwrapExpression(e).(type) {
	case *hclsyntax.TemplateExpr:
		if len(x.Parts) == 1 {
			if _, lit := x.Parts[0].(*hclsyntax.LiteralValueExpr); lit {
				break
			}
		}
		var b strings.Builder
		for _, part := range x.Parts {
			if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() {
				b.WriteString(lit.Val.AsString())
				continue
			}
			if v, ok := p.eval(part); ok && v.IsKnown() && !v.IsNull() {
				if sv, err := convert.Convert(v, cty.String); err == nil {
					b.WriteString(sv.AsString())
					continue
				}
			}
			b.WriteString("${" + l.srcText(part.Range()) + "}")
		}
		return b.String()
	case *hclsyntax.TemplateWrapExpr:
		return "${" + l.srcText(x.Wrapped.Range()) + "}"
	}
	return "${" + l.srcText(e.Range()) + "}"
}

// srcText is the source of a range with runs of white space (line breaks
// and indentation) shown as one space.
func (l *loader) srcText(rng hcl.Range) string {
	data := l.files[rng.Filename]
	if rng.Start.Byte < 0 || rng.End.Byte > len(data) || rng.Start.Byte >= rng.End.Byte {
		return "?"
	}
	s := string(data[rng.Start.Byte:rng.End.Byte])
	if strings.ContainsAny(s, "\n\t\r") || strings.Contains(s, "  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	const max = 200
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// treeOf is the positioned form of a slot's value, built once.
func (s *slot) treeOf() *pnode {
	if s.state != stateDone || s.expr == nil || s.in == nil {
		return nil
	}
	switch s.treeState {
	case stateBusy:
		return nil
	case stateDone:
		return s.tree
	}
	s.treeState = stateBusy
	v := s.val
	if s.conv {
		v = s.raw
	}
	p := &placer{in: s.in, ctx: s.ctx, each: s.each}
	s.tree = p.place(s.expr, v)
	s.treeState = stateDone
	return s.tree
}

// eachValueTree is the positioned each.value of a for_each instance: the
// element of the for_each collection the instance was made from.
func (inst *resInst) eachValueTree() *pnode {
	if inst.eachState != stateNew {
		return inst.eachTree
	}
	inst.eachState = stateBusy
	defer func() { inst.eachState = stateDone }()
	inst.eachTree = eachElement(inst.in, inst.decl.forEach, inst.ext["each"])
	return inst.eachTree
}

// eachElement places the for_each expression fe (of a block in in) and
// returns the element each (the instance's each object) was made from.
func eachElement(in *instance, fe hclsyntax.Expression, each cty.Value) *pnode {
	if fe == nil || each == cty.NilVal || !each.IsKnown() {
		return nil
	}
	key := each.GetAttr("key")
	if !key.IsKnown() || key.IsNull() {
		return nil
	}
	ctx := in.ctxFor(exprRefs(fe), nil)
	v, diags := fe.Value(ctx)
	if diags.HasErrors() {
		return nil
	}
	coll := (&placer{in: in, ctx: ctx}).place(fe, v)
	if coll == nil {
		return nil
	}
	k := key.AsString()
	switch coll.kind {
	case jsonpos.Object:
		return coll.member(k)
	case jsonpos.Array:
		for _, e := range coll.elems {
			if e.kind == jsonpos.String && !e.unknown && e.str == k {
				return e
			}
		}
	}
	return nil
}

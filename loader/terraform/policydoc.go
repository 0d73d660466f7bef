package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/jsonpos"
)

var (
	statementSchema = withBlocks(attrsSchema("sid", "effect", "actions", "not_actions", "resources", "not_resources"),
		"principals", "not_principals", "condition")
	principalsSchema = attrsSchema("type", "identifiers")
	conditionSchema  = attrsSchema("test", "variable", "values")
)

// renderPolicyDocument renders an aws_iam_policy_document instance the
// way the AWS provider does, as a positioned tree:
//
//   - Version defaults to 2012-10-17; Id comes from policy_id.
//   - Each statement renders Sid (when not empty), Effect (default Allow),
//     Action, NotAction, Resource, NotResource, Principal, NotPrincipal and
//     Condition, in that order. The action and resource arguments are
//     sets: duplicates go and the provider writes them in reverse
//     lexical order, a single value as a plain string.
//   - principals blocks of the same type merge; a "*" type makes the
//     element the string "*". condition blocks with the same test and
//     variable merge; values keep their order.
//   - "&{" is written for the IAM policy variable "${" (Terraform would
//     interpolate "${"), except under Version 2008-10-17.
//   - source_policy_documents (and the older source_json) are merged in
//     order, their Sids must be unique; this document's statements then
//     replace source statements with the same Sid and the others are
//     appended; override_policy_documents (and override_json) are merged
//     last, in order, each replacing statements with the same Sid.
//
// Statements keep the range of where they were written, wherever they are
// merged.
func (in *instance) renderPolicyDocument(inst *resInst) *pnode {
	l := in.r.l
	c := inst.content
	p := &placer{in: in, ctx: inst.ctx, inst: inst}
	def := inst.decl.defRange
	syntax := map[hcl.Range]*hclsyntax.Block{}
	indexBlocks(inst.decl.syntax().Body, syntax)

	eval := func(a *hcl.Attribute) cty.Value {
		v, diags := a.Expr.Value(inst.ctx)
		if diags.HasErrors() {
			return cty.DynamicVal
		}
		return v
	}
	doc := &pnode{kind: jsonpos.Object, rng: inst.decl.srcRange()}
	version := &pnode{kind: jsonpos.String, str: iam.Version2012, rng: def}
	versionKey := def
	if a := c.Attributes["version"]; a != nil {
		if v := eval(a); !v.IsKnown() || !v.IsNull() {
			version, versionKey = p.place(a.Expr, v), a.NameRange
		}
	}
	vars := !(version.kind == jsonpos.String && !version.unknown && version.str == iam.Version2008)
	var id *pnode
	idKey := def
	if a := c.Attributes["policy_id"]; a != nil {
		if v := eval(a); !v.IsKnown() || !v.IsNull() {
			id, idKey = p.place(a.Expr, v), a.NameRange
		}
	}

	var current []*pnode
	stmtKey := def
	dyn := map[hcl.Range]*dynState{}
	for _, b := range c.Blocks {
		if b.Type != "statement" {
			continue
		}
		if len(current) == 0 {
			stmtKey = b.TypeRange
		}
		current = append(current, p.statement(b, syntax, dyn, vars))
	}

	var merged []*pnode
	seenSource := map[string]bool{}
	for _, name := range []string{"source_json", "source_policy_documents"} {
		for _, src := range p.documents(c.Attributes[name], eval) {
			for _, s := range statementsOf(src) {
				if sid := sidOf(s); sid != "" {
					if seenSource[sid] {
						l.errorf(sidRange(s), "Duplicate Sid in source documents",
							"Sid %q appears in more than one statement of %s; the AWS provider rejects this. Remove the Sid or make it unique.", sid, name)
					}
					seenSource[sid] = true
				}
				merged = mergeStatement(merged, s)
			}
		}
	}
	seenCurrent := map[string]bool{}
	for _, s := range current {
		if sid := sidOf(s); sid != "" {
			if seenCurrent[sid] {
				l.errorf(sidRange(s), "Duplicate Sid", "Sid %q is used by more than one statement block; the AWS provider rejects this.", sid)
			}
			seenCurrent[sid] = true
		}
		merged = mergeStatement(merged, s)
	}
	for _, name := range []string{"override_json", "override_policy_documents"} {
		for _, ov := range p.documents(c.Attributes[name], eval) {
			// A later document's Version and Id win; an equal value keeps
			// the position it already has.
			if v := ov.member("Version"); v != nil && !sameText(v, version) {
				version, versionKey = v, memberKeyRange(ov, "Version")
			}
			if v := ov.member("Id"); v != nil && !sameText(v, id) {
				id, idKey = v, memberKeyRange(ov, "Id")
			}
			for _, s := range statementsOf(ov) {
				merged = mergeStatement(merged, s)
			}
		}
	}

	doc.members = append(doc.members, pmember{key: "Version", keyRng: versionKey, val: version})
	if id != nil {
		doc.members = append(doc.members, pmember{key: "Id", keyRng: idKey, val: id})
	}
	stmts := &pnode{kind: jsonpos.Array, rng: inst.decl.srcRange(), elems: merged}
	doc.members = append(doc.members, pmember{key: "Statement", keyRng: stmtKey, val: stmts})
	return doc
}

// indexBlocks maps the definition range of every nested block (dynamic
// ones included) to its syntax, to find whole-block ranges and dynamic
// for_each expressions from decoded blocks.
func indexBlocks(b *hclsyntax.Body, into map[hcl.Range]*hclsyntax.Block) {
	for _, blk := range b.Blocks {
		into[blk.DefRange()] = blk
		indexBlocks(blk.Body, into)
	}
}

// documents returns the documents a list (or single string) of JSON
// policies holds, positioned.
func (p *placer) documents(a *hcl.Attribute, eval func(*hcl.Attribute) cty.Value) []*pnode {
	if a == nil {
		return nil
	}
	l := p.in.r.l
	v := eval(a)
	if v.IsKnown() && v.IsNull() {
		return nil
	}
	n := p.place(a.Expr, v)
	var items []*pnode
	if n.kind == jsonpos.Array {
		items = n.elems
	} else {
		items = []*pnode{n}
	}
	var out []*pnode
	for _, it := range items {
		d, ok, diags := l.docTree(it)
		l.diags = append(l.diags, diags...)
		switch {
		case d != nil && d.kind == jsonpos.Object:
			out = append(out, d)
		case d != nil:
			l.errorf(d.rng, "Invalid policy document", "%s must hold policy documents (JSON objects).", a.Name)
		case ok:
			l.warnf(it.rng, "Unresolved value", "The policy document %s cannot be determined statically; its statements are not merged.", it.str)
		}
	}
	return out
}

func sameText(a, b *pnode) bool {
	return a != nil && b != nil && !a.unknown && !b.unknown && a.kind == b.kind && a.str == b.str
}

func statementsOf(doc *pnode) []*pnode {
	s := doc.member("Statement")
	switch {
	case s == nil:
		return nil
	case s.kind == jsonpos.Array:
		return s.elems
	}
	return []*pnode{s}
}

func sidOf(s *pnode) string {
	if s.kind != jsonpos.Object {
		return ""
	}
	if v := s.member("Sid"); v != nil && v.kind == jsonpos.String && !v.unknown {
		return v.str
	}
	return ""
}

func sidRange(s *pnode) hcl.Range {
	if v := s.member("Sid"); v != nil {
		return v.rng
	}
	return s.rng
}

func memberKeyRange(n *pnode, key string) hcl.Range {
	for _, m := range n.members {
		if m.key == key {
			return m.keyRng
		}
	}
	return n.rng
}

// mergeStatement adds s to list: it replaces the statement with the same
// (non-empty) Sid, or is appended.
func mergeStatement(list []*pnode, s *pnode) []*pnode {
	if sid := sidOf(s); sid != "" {
		for i, x := range list {
			if sidOf(x) == sid {
				out := append([]*pnode(nil), list...)
				out[i] = s
				return out
			}
		}
	}
	return append(list, s)
}

// statement renders one statement block.
func (p *placer) statement(b *hcl.Block, syntax map[hcl.Range]*hclsyntax.Block, dyn map[hcl.Range]*dynState, vars bool) *pnode {
	l := p.in.r.l
	rng := b.DefRange
	sp := *p
	if sb := syntax[b.DefRange]; sb != nil {
		rng = sb.Range()
		if sb.Type == "dynamic" {
			st := dyn[b.DefRange]
			if st == nil {
				st = p.dynamic(sb)
				dyn[b.DefRange] = st
			}
			st.bind(&sp)
		}
	}
	sc, _, diags := b.Body.PartialContent(statementSchema)
	l.diags = append(l.diags, diags...)
	n := &pnode{kind: jsonpos.Object, rng: rng}
	if a := sc.Attributes["sid"]; a != nil {
		v := sp.value(a)
		if !(v.IsKnown() && (v.IsNull() || v.Type() == cty.String && v.AsString() == "")) {
			n.members = append(n.members, pmember{key: "Sid", keyRng: a.NameRange, val: sp.place(a.Expr, v)})
		}
	}
	effect := &pnode{kind: jsonpos.String, str: "Allow", rng: b.DefRange}
	effectKey := b.DefRange
	if a := sc.Attributes["effect"]; a != nil {
		if v := sp.value(a); !(v.IsKnown() && v.IsNull()) {
			effect, effectKey = sp.place(a.Expr, v), a.NameRange
		}
	}
	n.members = append(n.members, pmember{key: "Effect", keyRng: effectKey, val: effect})
	for _, f := range []struct {
		attr, key string
		vars      bool
	}{{"actions", "Action", false}, {"not_actions", "NotAction", false}, {"resources", "Resource", vars}, {"not_resources", "NotResource", vars}} {
		a := sc.Attributes[f.attr]
		if a == nil {
			continue
		}
		elems := sp.stringSet(a, true, f.vars)
		if len(elems) == 0 {
			continue
		}
		n.members = append(n.members, pmember{key: f.key, keyRng: a.NameRange, val: oneOrList(elems, a.Expr.Range())})
	}
	for _, f := range []struct{ block, key string }{{"principals", "Principal"}, {"not_principals", "NotPrincipal"}} {
		if pr := sp.principals(sc.Blocks, f.block, vars); pr != nil {
			n.members = append(n.members, pmember{key: f.key, keyRng: pr.rng, val: pr})
		}
	}
	if cond, key := sp.conditions(sc.Blocks, vars); cond != nil {
		n.members = append(n.members, pmember{key: "Condition", keyRng: key, val: cond})
	}
	return n
}

func (p *placer) value(a *hcl.Attribute) cty.Value {
	v, diags := a.Expr.Value(p.ctx)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

// stringSet reads a list or set of strings argument as positioned
// strings. As a set (the provider's schema for actions, resources and
// principal identifiers) duplicates are dropped and the values ordered as
// the provider writes them, in reverse lexical order; unknown values come
// last. vars turns "&{" into "${".
func (p *placer) stringSet(a *hcl.Attribute, set, vars bool) []*pnode {
	v := p.value(a)
	if v.IsKnown() && v.IsNull() {
		return nil
	}
	n := p.place(a.Expr, v)
	var items []*pnode
	switch {
	case n.kind == jsonpos.Array:
		items = n.elems
	default:
		items = []*pnode{n}
	}
	var known, unknown []*pnode
	seen := map[string]bool{}
	for _, it := range items {
		if it.kind == jsonpos.Null {
			continue
		}
		if it.unknown {
			unknown = append(unknown, it)
			continue
		}
		if it.kind != jsonpos.String && it.kind != jsonpos.Number && it.kind != jsonpos.Bool {
			p.in.r.l.errorf(it.rng, "Invalid value", "%s must hold strings.", a.Name)
			continue
		}
		if it.kind != jsonpos.String || vars && strings.Contains(it.str, "&{") {
			c := *it
			c.kind = jsonpos.String
			if vars {
				c.str = strings.ReplaceAll(c.str, "&{", "${")
			}
			it = &c
		}
		if set {
			if seen[it.str] {
				continue
			}
			seen[it.str] = true
		}
		known = append(known, it)
	}
	if set {
		sort.SliceStable(known, func(i, j int) bool { return known[i].str > known[j].str })
	}
	return append(known, unknown...)
}

// oneOrList is the provider's rendering of a string list: one value as a
// string, several as an array.
func oneOrList(elems []*pnode, rng hcl.Range) *pnode {
	if len(elems) == 1 {
		return elems[0]
	}
	return &pnode{kind: jsonpos.Array, rng: rng, elems: elems}
}

// principals renders the principals (or not_principals) blocks of a
// statement; nil when there are none.
func (p *placer) principals(blocks hcl.Blocks, typ string, vars bool) *pnode {
	l := p.in.r.l
	type entry struct {
		keyRng hcl.Range
		rng    hcl.Range
		values []*pnode
	}
	byType := map[string]*entry{}
	var order []string
	var star *pnode
	var first hcl.Range
	for _, b := range blocks {
		if b.Type != typ {
			continue
		}
		if first.Filename == "" {
			first = b.TypeRange
		}
		pc, _, diags := b.Body.PartialContent(principalsSchema)
		l.diags = append(l.diags, diags...)
		ta, ia := pc.Attributes["type"], pc.Attributes["identifiers"]
		if ta == nil || ia == nil {
			l.errorf(b.DefRange, "Incomplete principals block", "A %s block needs type and identifiers.", typ)
			continue
		}
		tv := p.value(ta)
		if !tv.IsKnown() || tv.IsNull() {
			l.warnf(ta.Expr.Range(), "Unresolved value", "The principal type %s cannot be determined statically; this %s block is left out.", p.symbolic(ta.Expr), typ)
			continue
		}
		tv, err := convert.Convert(tv, cty.String)
		if err != nil {
			continue
		}
		t := tv.AsString()
		ids := p.stringSet(ia, true, vars)
		if t == "*" {
			if star == nil {
				star = &pnode{kind: jsonpos.String, str: "*", rng: ia.Expr.Range()}
				if len(ids) == 1 && ids[0].str == "*" {
					star = ids[0]
				}
			}
			continue
		}
		e := byType[t]
		if e == nil {
			e = &entry{keyRng: ta.Expr.Range(), rng: ia.Expr.Range()}
			byType[t] = e
			order = append(order, t)
		}
		e.values = append(e.values, ids...)
	}
	if star != nil {
		return star
	}
	if len(order) == 0 {
		return nil
	}
	sort.Strings(order)
	n := &pnode{kind: jsonpos.Object, rng: first}
	for _, t := range order {
		e := byType[t]
		n.members = append(n.members, pmember{key: t, keyRng: e.keyRng, val: oneOrList(e.values, e.rng)})
	}
	return n
}

// conditions renders the condition blocks of a statement.
func (p *placer) conditions(blocks hcl.Blocks, vars bool) (*pnode, hcl.Range) {
	l := p.in.r.l
	type key struct{ test, variable string }
	type entry struct {
		testRng, varRng, valRng hcl.Range
		values                  []*pnode
	}
	entries := map[key]*entry{}
	var keys []key
	var first hcl.Range
	for _, b := range blocks {
		if b.Type != "condition" {
			continue
		}
		if first.Filename == "" {
			first = b.TypeRange
		}
		cc, _, diags := b.Body.PartialContent(conditionSchema)
		l.diags = append(l.diags, diags...)
		ta, va, vals := cc.Attributes["test"], cc.Attributes["variable"], cc.Attributes["values"]
		if ta == nil || va == nil || vals == nil {
			l.errorf(b.DefRange, "Incomplete condition block", "A condition block needs test, variable and values.")
			continue
		}
		tv, vv := p.value(ta), p.value(va)
		if !tv.IsKnown() || !vv.IsKnown() || tv.IsNull() || vv.IsNull() {
			l.warnf(b.DefRange, "Unresolved value", "The test or variable of this condition cannot be determined statically; the condition is left out.")
			continue
		}
		tv, err1 := convert.Convert(tv, cty.String)
		vv, err2 := convert.Convert(vv, cty.String)
		if err1 != nil || err2 != nil {
			continue
		}
		k := key{tv.AsString(), vv.AsString()}
		e := entries[k]
		if e == nil {
			e = &entry{testRng: ta.Expr.Range(), varRng: va.Expr.Range(), valRng: vals.Expr.Range()}
			entries[k] = e
			keys = append(keys, k)
		}
		e.values = append(e.values, p.stringSet(vals, false, vars)...)
	}
	if len(keys) == 0 {
		return nil, first
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].test != keys[j].test {
			return keys[i].test < keys[j].test
		}
		return keys[i].variable < keys[j].variable
	})
	out := &pnode{kind: jsonpos.Object, rng: first}
	var op *pnode
	for _, k := range keys {
		e := entries[k]
		if op == nil || out.members[len(out.members)-1].key != k.test {
			op = &pnode{kind: jsonpos.Object, rng: e.testRng}
			out.members = append(out.members, pmember{key: k.test, keyRng: e.testRng, val: op})
		}
		op.members = append(op.members, pmember{key: k.variable, keyRng: e.varRng, val: oneOrList(e.values, e.valRng)})
	}
	return out, first
}

// dynState follows the blocks a dynamic block expanded into: dynblock
// makes them in the order of the for_each collection, so the n-th block
// of a dynamic block is its n-th element.
type dynState struct {
	iter string
	tree *pnode // the for_each collection, positioned
	keys []cty.Value
	vals []cty.Value
	next int
}

func (p *placer) dynamic(sb *hclsyntax.Block) *dynState {
	st := &dynState{iter: sb.Labels[0]}
	if a := sb.Body.Attributes["iterator"]; a != nil {
		if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(t) == 1 {
			st.iter = t.RootName()
		}
	}
	a := sb.Body.Attributes["for_each"]
	if a == nil {
		return st
	}
	coll, ok := p.eval(a.Expr)
	if !ok || !coll.IsKnown() || coll.IsNull() || !coll.CanIterateElements() {
		return st
	}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		st.keys = append(st.keys, k)
		st.vals = append(st.vals, v)
	}
	st.tree = p.place(a.Expr, coll)
	return st
}

// bind gives the placer of the next expanded block its iterator, both as
// a value (so parts of its expressions evaluate) and as a tree (so its
// elements point into the for_each collection). The collection's strings
// are hints besides.
func (st *dynState) bind(sp *placer) {
	sp.hints = append(append([]*pnode(nil), sp.hints...), st.tree)
	i := st.next
	st.next++
	if i >= len(st.keys) || sp.ctx == nil {
		return
	}
	k, v := st.keys[i], st.vals[i]
	child := sp.ctx.NewChild()
	child.Variables = map[string]cty.Value{st.iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
	sp.ctx = child
	vars := map[string]*pnode{}
	for name, t := range sp.vars {
		vars[name] = t
	}
	vars[st.iter] = &pnode{kind: jsonpos.Object, rng: st.tree.rng, members: []pmember{
		{key: "key", keyRng: st.tree.rng, val: sp.fromCty(k, st.tree.rng, nil, func(string) *pnode { return nil })},
		{key: "value", keyRng: st.tree.rng, val: element(st.tree, k)},
	}}
	sp.vars = vars
}

// element returns the element of a positioned collection an iteration
// key names: a member, a list index, or (for a set, whose keys are its
// elements) the element with that text.
func element(coll *pnode, key cty.Value) *pnode {
	if coll != nil && coll.kind == jsonpos.Array && key.Type() == cty.String {
		for _, e := range coll.elems {
			if e.kind == jsonpos.String && !e.unknown && e.str == key.AsString() {
				return e
			}
		}
		return nil
	}
	return navigate(coll, hcl.Traversal{hcl.TraverseIndex{Key: key}})
}

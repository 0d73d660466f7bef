package terraform

import (
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// What refers to what.
//
// Once a modelled block is built, what other blocks read of it is its
// object (and, for a policy document, its positioned document); on large
// configurations these values are, after the syntax, most of the memory a
// load needs. Which blocks refer to which is known from the syntax before
// anything is evaluated, so each value is kept only as long as something
// may still read it:
//
//   - a modelled block finishes (instance.finish) when its instances are
//     evaluated and built: nothing evaluates or places its expressions
//     again;
//   - a block's values are dropped once it has finished and so has every
//     modelled block referring to it (in the same module instance);
//   - a block something else refers to — a local, an output, a module
//     call, a provider, a workload or a resource iamlint does not model,
//     whose arguments are evaluated whenever something reads them — is
//     pinned: its values are kept;
//   - until it is dropped, a block's object keeps only the attributes its
//     referrers read (all of it when one uses the object as a whole).
//
// References are found the way the evaluator finds them (hclsyntax
// Variables of every expression, meta-arguments included), so the sets
// here always hold what evaluation asks for.

// ref is a reference to a resource or data block: its key and the
// attribute read of it; attr is "" when the object is used as a whole.
type ref struct{ key, attr string }

// refUse is what the expressions of a folder read of one block.
type refUse struct {
	referrers int32 // modelled blocks referring to it, or pinned
	all       bool
	attrs     []string
}

// pinned marks a block something other than a modelled block refers to.
const pinned = -1

// use records the references of one block, expression or set of them: of
// the modelled block by when not nil, else of something that pins what
// it refers to.
func (c *config) use(refs []ref, by *resDecl) {
	var keys []string
	for _, r := range refs {
		u := c.uses[r.key]
		if u == nil {
			u = &refUse{}
			c.uses[r.key] = u
		}
		switch {
		case r.attr == "":
			u.all = true
		case !slices.Contains(u.attrs, r.attr):
			u.attrs = append(u.attrs, r.attr)
		}
		if slices.Contains(keys, r.key) {
			continue
		}
		keys = append(keys, r.key)
		switch {
		case by == nil:
			u.referrers = pinned
		case u.referrers != pinned:
			u.referrers++
		}
	}
	if by != nil {
		c.refKeys[by] = keys
	}
}

// resolveRefs moves what the folder reads onto its blocks, once all are
// decoded.
func (c *config) resolveRefs() {
	for _, d := range c.resources {
		if u := c.uses[d.key]; u != nil {
			d.referrers, d.needAll, d.needs = u.referrers, u.all, u.attrs
		}
		for _, k := range c.refKeys[d] {
			if t := c.resources[k]; t != nil && modelled(t) && workload(t) == nil {
				d.refs = append(d.refs, t)
			}
		}
	}
	c.uses, c.refKeys = nil, nil
}

// bodyRefList appends to refs the references the arguments of b and of
// the blocks inside it make. Iterator names of dynamic blocks may appear
// too, as keys no block has.
func bodyRefList(b *hclsyntax.Body, refs []ref) []ref {
	for _, name := range sortedAttrNames(b) {
		refs = exprRefList(b.Attributes[name].Expr, refs)
	}
	for _, blk := range b.Blocks {
		refs = bodyRefList(blk.Body, refs)
	}
	return refs
}

// exprRefList appends to refs the references e makes, each once. The
// attribute is the one ctxFor's need records for the same traversal.
func exprRefList(e hclsyntax.Expression, refs []ref) []ref {
	for _, t := range hclsyntax.Variables(e) {
		var r ref
		var next int
		switch root := t.RootName(); root {
		case "var", "local", "module", "path", "terraform", "count", "each", "self":
			continue
		case "data":
			typ, name := stepName(t, 1), stepName(t, 2)
			if typ == "" || name == "" {
				continue
			}
			r.key, next = "data."+typ+"."+name, 3
		default:
			name := stepName(t, 1)
			if name == "" {
				continue
			}
			r.key, next = root+"."+name, 2
		}
		var n need
		n.add(t, next)
		if !n.all {
			for a := range n.attrs {
				r.attr = a
			}
		}
		if !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
	}
	return refs
}

// finish records that block d of this instance is evaluated and built,
// and drops or trims the values nothing will read.
func (in *instance) finish(d *resDecl) {
	if in.r.l.keepAll {
		return
	}
	for _, t := range d.refs {
		if in.doneRefs == nil {
			in.doneRefs = map[*resDecl]int32{}
		}
		in.doneRefs[t]++
		in.drop(t)
	}
	rs := in.res[d.key]
	if rs == nil {
		return
	}
	rs.built = true
	for _, inst := range rs.insts {
		inst.eachTree = nil // read only when the block's own arguments are placed
	}
	if !in.drop(d) {
		in.trim(d, rs)
	}
}

// drop forgets the values of block d once it has finished and every
// modelled block referring to it has too. A policy document no model
// object used is kept: it becomes a standalone document at the end of
// the build.
func (in *instance) drop(d *resDecl) bool {
	rs := in.res[d.key]
	if rs == nil || !rs.built || workload(d) != nil {
		return false
	}
	if d.referrers == pinned || in.doneRefs[d] < d.referrers {
		return false
	}
	for _, inst := range rs.insts {
		inst.obj = cty.NilVal
		if inst.used {
			inst.doc = nil
		}
	}
	return true
}

// trim keeps of the objects of a finished block only the attributes its
// referrers read, when none uses an object as a whole.
func (in *instance) trim(d *resDecl, rs *resState) {
	if d.needAll || workload(d) != nil {
		return
	}
	for _, inst := range rs.insts {
		if inst.obj == cty.NilVal || !inst.obj.Type().IsObjectType() {
			continue
		}
		m := make(map[string]cty.Value, len(d.needs))
		for _, a := range d.needs {
			if inst.obj.Type().HasAttribute(a) {
				m[a] = inst.obj.GetAttr(a)
			}
		}
		inst.obj = cty.ObjectVal(m)
	}
}

package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// config is one module folder, parsed. Several module instances may share
// it; nothing in it depends on input values.
type config struct {
	dir string // as shown in ranges: the path given, or parent + source
	abs string

	vars      map[string]*varDecl
	locals    map[string]*hclsyntax.Attribute
	outputs   map[string]*hclsyntax.Attribute // the value attribute of each output
	calls     map[string]*moduleCall
	resources map[string]*resDecl // "type.name" for managed, "data.type.name" for data
	providers []*hclsyntax.Block

	varOrder, localOrder, callOrder, resOrder []string
	firstFile                                 string

	// uses collects, while the folder is decoded, what its expressions
	// read of each block (see refs.go); resolveRefs then moves it onto
	// the blocks.
	uses    map[string]*refUse
	refKeys map[*resDecl][]string

	instances int // module instances of this folder in the root being built
}

type varDecl struct {
	name     string
	block    *hclsyntax.Block
	def      hclsyntax.Expression // nil when there is no default
	typ      cty.Type             // cty.DynamicPseudoType when not given
	typed    bool
	defaults *typeexpr.Defaults
	nullable bool
}

type moduleCall struct {
	name        string
	block       *hclsyntax.Block
	source      string
	sourceRange hcl.Range
	local       bool
	args        map[string]*hclsyntax.Attribute
	count       hclsyntax.Expression
	forEach     hclsyntax.Expression
}

type resDecl struct {
	data      bool
	typ, name string
	key       string // "aws_iam_role.app" or "data.aws_iam_policy_document.x"
	// The syntax of the block is not kept from the parse of its file: it
	// is parsed again from src when first needed (see syntax) and dropped
	// once the block is evaluated and built (see release).
	block    *hclsyntax.Block // nil until parsed again, and after release
	released bool
	pf       *prefetcher      // parsing the block ahead of the builder, if any
	pstate   int8             // the block's state in pf (guarded by pf.mu)
	pblock   *hclsyntax.Block // the tree pf parsed (guarded by pf.mu)
	src      []byte           // the text of the block, in its file's data
	start    hcl.Pos          // where src starts
	defRange hcl.Range
	end      hcl.Pos // where src ends
	count    hclsyntax.Expression
	forEach  hclsyntax.Expression
	// What refers to what (see refs.go): the blocks a modelled block
	// refers to, the number of modelled blocks that refer to this one
	// (pinned when something else does) and the attributes all read.
	refs       []*resDecl
	referrers  int32
	needAll    bool
	needs      []string
	iterators  map[string]bool // names of dynamic block iterators inside
	traversals []hcl.Traversal // every reference the body makes
	travDone   bool
	done       int // module instances whose instances of this block are finished
}

// moduleMeta are the arguments of a module block that are not inputs.
var moduleMeta = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

// config parses the folder dir once; nil when it has no readable .tf file.
func (l *loader) config(dir string) *config {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	if c, ok := l.configs[abs]; ok {
		return c
	}
	l.configs[abs] = nil // a folder being parsed is not parsed again
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	c := &config{
		dir: dir, abs: abs,
		vars: map[string]*varDecl{}, locals: map[string]*hclsyntax.Attribute{},
		outputs: map[string]*hclsyntax.Attribute{}, calls: map[string]*moduleCall{},
		resources: map[string]*resDecl{}, uses: map[string]*refUse{}, refKeys: map[*resDecl][]string{},
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".tf") || strings.HasPrefix(n, ".") {
			continue
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	var files []source
	for _, n := range names {
		path := filepath.Join(dir, n)
		if n == "override.tf" || strings.HasSuffix(n, "_override.tf") {
			l.diags = append(l.diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Override file not merged",
				Detail:   fmt.Sprintf("%s is a Terraform override file; iamlint does not merge override files, so it is skipped.", path),
				Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
			})
			continue
		}
		data, err := l.readLimited(path)
		if err != nil {
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read file", Detail: err.Error(),
				Subject: &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}})
			continue
		}
		l.files[path] = data
		files = append(files, source{name: path, data: data})
	}
	shrink := shrinkBody
	if l.keepAll {
		shrink = nil
	}
	for i, p := range parseFilesWith(files, shrink) {
		l.diags = append(l.diags, p.diags...)
		if p.diags.HasErrors() {
			// Terraform refuses a configuration with a syntax error; iamlint
			// reports it and reads the other files, skipping this one so no
			// half-parsed block yields misleading objects.
			continue
		}
		if c.firstFile == "" {
			c.firstFile = files[i].name
		}
		l.decodeFile(c, p.body, p.refs)
	}
	c.resolveRefs()
	for _, m := range []struct {
		order *[]string
		keys  func() []string
	}{
		{&c.varOrder, func() []string { return keysOf(c.vars) }},
		{&c.localOrder, func() []string { return keysOf(c.locals) }},
		{&c.callOrder, func() []string { return keysOf(c.calls) }},
		{&c.resOrder, func() []string { return keysOf(c.resources) }},
	} {
		*m.order = m.keys()
	}
	l.configs[abs] = c
	return c
}

func keysOf[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var blockLabels = map[string]int{
	"variable": 1, "locals": 0, "output": 1, "module": 1, "resource": 2, "data": 2, "provider": 1,
}

// decodeFile adds the blocks of a file to c. refs are the references of
// the resource and data blocks shrinkBody shrank.
func (l *loader) decodeFile(c *config, body *hclsyntax.Body, refs map[*hclsyntax.Block][]ref) {
	for _, b := range body.Blocks {
		want, known := blockLabels[b.Type]
		if !known {
			continue // terraform, moved, import, check, removed, ...
		}
		if len(b.Labels) != want {
			l.errorf(b.DefRange(), "Invalid block", "A %s block needs %d label(s).", b.Type, want)
			continue
		}
		switch b.Type {
		case "variable":
			l.decodeVariable(c, b)
		case "locals":
			for _, name := range sortedAttrNames(b.Body) {
				a := b.Body.Attributes[name]
				if prev, dup := c.locals[name]; dup {
					l.errorf(a.NameRange, "Duplicate local value", "local.%s was already defined at %s.", name, prev.NameRange)
					continue
				}
				c.locals[name] = a
				c.use(exprRefList(a.Expr, nil), nil)
			}
		case "output":
			if a := b.Body.Attributes["value"]; a != nil {
				if _, dup := c.outputs[b.Labels[0]]; dup {
					l.errorf(b.DefRange(), "Duplicate output", "output %q is declared twice.", b.Labels[0])
					continue
				}
				c.outputs[b.Labels[0]] = a
				c.use(exprRefList(a.Expr, nil), nil)
			}
		case "module":
			l.decodeModuleCall(c, b)
			c.use(bodyRefList(b.Body, nil), nil)
		case "resource", "data":
			d := &resDecl{data: b.Type == "data", defRange: b.DefRange(), start: b.TypeRange.Start, end: b.CloseBraceRange.End}
			if data := l.files[b.TypeRange.Filename]; b.CloseBraceRange.End.Byte <= len(data) {
				d.src = data[b.TypeRange.Start.Byte:b.CloseBraceRange.End.Byte]
			}
			if l.keepAll {
				d.block = b
			}
			// The type and name are kept as parts of the key.
			typ, name := b.Labels[0], b.Labels[1]
			d.key = typ + "." + name
			if d.data {
				d.key = "data." + d.key
			}
			nameAt := len(d.key) - len(name)
			d.typ, d.name = d.key[nameAt-1-len(typ):nameAt-1], d.key[nameAt:]
			if a := b.Body.Attributes["count"]; a != nil {
				d.count = a.Expr
			}
			if a := b.Body.Attributes["for_each"]; a != nil {
				d.forEach = a.Expr
			}
			if d.count != nil && d.forEach != nil {
				l.errorf(b.DefRange(), "Invalid combination of count and for_each", "%s sets both count and for_each; only the count is used.", d.key)
				d.forEach = nil
			}
			if prev, dup := c.resources[d.key]; dup {
				l.errorf(b.DefRange(), "Duplicate "+b.Type+" block", "%s was already declared at %s.", d.key, prev.defRange)
				continue
			}
			c.resources[d.key] = d
			rs, ok := refs[b]
			if !ok {
				rs = bodyRefList(b.Body, nil)
			}
			if modelled(d) && workload(d) == nil {
				c.use(rs, d)
			} else {
				c.use(rs, nil)
			}
		case "provider":
			c.providers = append(c.providers, b)
			c.use(bodyRefList(b.Body, nil), nil)
		}
	}
}

func (l *loader) decodeVariable(c *config, b *hclsyntax.Block) {
	name := b.Labels[0]
	if _, dup := c.vars[name]; dup {
		l.errorf(b.DefRange(), "Duplicate variable", "variable %q is declared twice.", name)
		return
	}
	v := &varDecl{name: name, block: b, typ: cty.DynamicPseudoType, nullable: true}
	if a := b.Body.Attributes["default"]; a != nil {
		v.def = a.Expr
	}
	if a := b.Body.Attributes["type"]; a != nil {
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		l.diags = append(l.diags, diags...)
		if !diags.HasErrors() {
			v.typ, v.defaults, v.typed = ty, defaults, true
		}
	}
	if a := b.Body.Attributes["nullable"]; a != nil {
		if val, diags := a.Expr.Value(nil); !diags.HasErrors() && val.Type() == cty.Bool && val.IsKnown() && !val.IsNull() {
			v.nullable = val.True()
		}
	}
	c.vars[name] = v
}

func (l *loader) decodeModuleCall(c *config, b *hclsyntax.Block) {
	mc := &moduleCall{name: b.Labels[0], block: b, args: map[string]*hclsyntax.Attribute{}}
	if _, dup := c.calls[mc.name]; dup {
		l.errorf(b.DefRange(), "Duplicate module call", "module %q is declared twice.", mc.name)
		return
	}
	for name, a := range b.Body.Attributes {
		switch name {
		case "source":
			mc.sourceRange = a.Expr.Range()
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
				l.errorf(a.Expr.Range(), "Invalid module source", "The source of module %q must be a literal string.", mc.name)
				continue
			}
			mc.source = v.AsString()
		case "count":
			mc.count = a.Expr
		case "for_each":
			mc.forEach = a.Expr
		default:
			if !moduleMeta[name] {
				mc.args[name] = a
			}
		}
	}
	mc.local = strings.HasPrefix(mc.source, "./") || strings.HasPrefix(mc.source, "../") ||
		mc.source == "." || mc.source == ".."
	c.calls[mc.name] = mc
}

func sortedAttrNames(b *hclsyntax.Body) []string {
	return keysOf(b.Attributes)
}

// Meta-arguments whose expressions are not evaluated as values.
var (
	metaAttrs  = map[string]bool{"depends_on": true, "provider": true, "providers": true, "count": true, "for_each": true}
	metaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true, "precondition": true, "postcondition": true}
)

// bodyRefs returns every reference the body of d makes (not counting
// meta-arguments and dynamic block iterators; for a workload, only those
// of the arguments read), computed once.
func (d *resDecl) bodyRefs() []hcl.Traversal {
	if d.travDone {
		return d.traversals
	}
	d.travDone = true
	iterators := map[string]bool{}
	collectIterators(d.syntax().Body, iterators)
	if len(iterators) > 0 {
		d.iterators = iterators
	}
	// A workload is evaluated for the arguments the loader reads; the
	// others are evaluated when something refers to them.
	read := func(string) bool { return true }
	if w := workload(d); w != nil {
		read = w.reads
	}
	var out []hcl.Traversal
	var walk func(b *hclsyntax.Body, top bool)
	walk = func(b *hclsyntax.Body, top bool) {
		for _, name := range sortedAttrNames(b) {
			if top && (metaAttrs[name] || !read(name)) {
				continue
			}
			for _, t := range hclsyntax.Variables(b.Attributes[name].Expr) {
				if !d.iterators[t.RootName()] {
					out = append(out, t)
				}
			}
		}
		for _, blk := range b.Blocks {
			if top && metaBlocks[blk.Type] {
				continue
			}
			if name := blk.Type; top && !read(name) && !(name == "dynamic" && len(blk.Labels) == 1 && read(blk.Labels[0])) {
				continue
			}
			walk(blk.Body, false)
		}
	}
	walk(d.syntax().Body, true)
	d.traversals = out
	return out
}

// shrinkBody replaces each resource and data block of a freshly parsed
// piece of a file by its header and its count and for_each arguments,
// all that decodeFile reads of it, and returns the references each made.
// On large configurations the syntax trees are most of the memory a load
// needs (about twelve times the size of the text); this way the trees of
// all blocks are never held at once: a block is parsed again when it is
// evaluated (resDecl.syntax) and dropped once it is built (release).
func shrinkBody(body *hclsyntax.Body) map[*hclsyntax.Block][]ref {
	refs := map[*hclsyntax.Block][]ref{}
	for i, b := range body.Blocks {
		if b.Type != "resource" && b.Type != "data" || len(b.Labels) != 2 {
			continue
		}
		rs := bodyRefList(b.Body, nil)
		attrs := hclsyntax.Attributes{}
		for _, name := range []string{"count", "for_each"} {
			if a := b.Body.Attributes[name]; a != nil {
				attrs[name] = a
			}
		}
		body.Blocks[i] = &hclsyntax.Block{
			Type: b.Type, Labels: b.Labels, TypeRange: b.TypeRange, LabelRanges: b.LabelRanges,
			OpenBraceRange: b.OpenBraceRange, CloseBraceRange: b.CloseBraceRange,
			Body: &hclsyntax.Body{Attributes: attrs, SrcRange: b.Body.SrcRange, EndRange: b.Body.EndRange},
		}
		refs[body.Blocks[i]] = rs
	}
	return refs
}

// syntax is the block's syntax tree, parsed again from its text on first
// use: the same bytes, from the same position, as in the parse of the
// whole file (which had no error), so the same tree with the same ranges.
// A released block reads as one without arguments.
func (d *resDecl) syntax() *hclsyntax.Block {
	if d.block != nil {
		return d.block
	}
	if d.released {
		rng := d.srcRange()
		return &hclsyntax.Block{Type: d.blockType(), Labels: []string{d.typ, d.name},
			Body: &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: rng, EndRange: hcl.Range{Filename: rng.Filename, Start: rng.End, End: rng.End}}}
	}
	if pf := d.pf; pf != nil {
		d.pf = nil
		d.block = pf.take(d)
	}
	if d.block == nil {
		d.block = d.parse()
	}
	if d.block == nil {
		panic(d.key + " no longer parses on its own")
	}
	return d.block
}

// parse parses the block from its text; nil if that fails, which cannot
// happen for the text of a block of a file without errors. It reads only
// what does not change once the folder is decoded, so the prefetcher may
// call it on another goroutine.
func (d *resDecl) parse() *hclsyntax.Block {
	file, diags := hclsyntax.ParseConfig(d.src, d.defRange.Filename, d.start)
	body, _ := file.Body.(*hclsyntax.Body)
	if diags.HasErrors() || body == nil || len(body.Blocks) != 1 || body.Blocks[0].Type != d.blockType() {
		return nil
	}
	return body.Blocks[0]
}

// srcRange is the range of the whole block.
func (d *resDecl) srcRange() hcl.Range {
	return hcl.Range{Filename: d.defRange.Filename, Start: d.start, End: d.end}
}

func (d *resDecl) blockType() string {
	if d.data {
		return "data"
	}
	return "resource"
}

// release drops the syntax of a block whose instances are evaluated and
// turned into model objects: only its ranges are needed from then on.
//
// The block is shared by every instance of its module folder (and by every
// root using the folder), so it is only dropped once all are finished.
func (l *loader) release(c *config, d *resDecl) {
	if d.done++; d.done < c.instances || l.rootUses[c.abs] > 1 {
		return
	}
	if d.pf != nil { // never evaluated (count = 0, a cycle): drop what was parsed ahead
		d.pf.take(d)
		d.pf = nil
	}
	d.block, d.released = nil, true
	d.traversals = nil
}

// collectIterators finds the iterator names dynamic blocks introduce.
func collectIterators(b *hclsyntax.Body, into map[string]bool) {
	for _, blk := range b.Blocks {
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			name := blk.Labels[0]
			if a := blk.Body.Attributes["iterator"]; a != nil {
				if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(t) == 1 {
					name = t.RootName()
				}
			}
			into[name] = true
		}
		collectIterators(blk.Body, into)
	}
}

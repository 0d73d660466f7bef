package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/iamlint/iamlint/iam"
)

// loader is the state of one Load call.
type loader struct {
	ctx     context.Context
	opts    Options
	files   map[string][]byte  // every file read, by the name ranges use
	configs map[string]*config // parsed module folders by absolute path
	diags   hcl.Diagnostics
	model   *iam.Model
	allowed []string // folders file() may read below (absolute, real)
	reads   map[string]readResult

	stack  []frame // what is being evaluated, innermost last
	cycles map[string]bool

	cliVars   []cliVar
	varFiles  []varFile
	varsUsed  map[string]bool // names of --var/--var-file values some root declares
	rootUses  map[string]int  // how many roots use each folder
	forBudget int             // for expression elements still to place one by one

	base map[string]function.Function // functions that read no files

	externals map[string]any // external principal stubs by kind, account and name

	keepAll bool // see load
}

func newLoader(ctx context.Context, opts Options) *loader {
	return &loader{
		ctx: ctx, opts: opts,
		files: map[string][]byte{}, configs: map[string]*config{}, externals: map[string]any{},
		model: &iam.Model{}, reads: map[string]readResult{},
		cycles: map[string]bool{}, varsUsed: map[string]bool{}, rootUses: map[string]int{},
		base: baseFunctions(), forBudget: forBudget,
	}
}

// frame is one evaluation in progress: a named value whose evaluation
// needs others.
type frame struct {
	name string
	rng  hcl.Range
}

// Evaluation states of slots, resources and module calls.
const (
	stateNew int8 = iota
	stateBusy
	stateDone
)

// enter starts evaluating name; it reports false (and the cycle) when name
// is already being evaluated. Every successful enter is paired with a
// deferred leave, so a panic unwinding through evaluations leaves each
// finished (its value unknown) rather than forever in progress.
func (l *loader) enter(state *int8, name string, rng hcl.Range) bool {
	switch *state {
	case stateDone:
		return false
	case stateBusy:
		l.reportCycle(name)
		return false
	}
	*state = stateBusy
	l.stack = append(l.stack, frame{name: name, rng: rng})
	return true
}

func (l *loader) leave(state *int8) {
	l.stack = l.stack[:len(l.stack)-1]
	*state = stateDone
}

func (l *loader) reportCycle(name string) {
	start := len(l.stack) - 1
	for start >= 0 && l.stack[start].name != name {
		start--
	}
	if start < 0 {
		return
	}
	var names []string
	for _, f := range l.stack[start:] {
		names = append(names, f.name)
	}
	key := append([]string(nil), names...)
	sort.Strings(key)
	if l.cycles[strings.Join(key, "\x00")] {
		return
	}
	l.cycles[strings.Join(key, "\x00")] = true
	subject := l.stack[start].rng
	l.errorf(subject, "Reference cycle", "These values depend on each other: %s → %s. Each is treated as unknown.",
		strings.Join(names, " → "), name)
}

// protect runs f, turning a panic into an error diagnostic naming what was
// being evaluated; values left half-evaluated are unknown.
func (l *loader) protect(what string, rng hcl.Range, f func()) {
	depth := len(l.stack)
	defer func() {
		if p := recover(); p != nil {
			l.stack = l.stack[:depth]
			l.errorf(rng, "Internal error", "iamlint failed while evaluating %s (%v); the block is skipped. Please report this.", what, p)
		}
	}()
	f()
}

// root is one root configuration: a root module and the modules it calls,
// applied to one account.
type root struct {
	l         *loader
	cfg       *config
	top       *instance
	vals      map[string]rootValue
	funcs     map[string]function.Function
	account   string // a 12-digit ID or the symbolic form
	symbolic  bool   // account is symbolic
	acctRange hcl.Range
	partition string
	// region is the default aws provider's region, "" when not known.
	region string
	// symRegion stands for the default provider's region in workload ARNs
	// when it is not known (see symbolicRegion).
	symRegion string
	// aliasRegions are the known regions of aliased aws providers.
	aliasRegions map[string]string
	// defaultTags is the tags argument of the default aws provider's
	// default_tags block, cty.NilVal when there is none.
	defaultTags cty.Value
	collected   bool // every module instance is known (cfg.instances is final)
}

type rootValue struct {
	val cty.Value
	rng hcl.Range
}

// instance is one module instance: the root module, or one instance of a
// module call.
type instance struct {
	r      *root
	cfg    *config
	prefix string // "" or "module.ci." or `module.ci["x"].module.y.`
	parent *instance
	call   *moduleCall
	ext    map[string]cty.Value // count/each of the call instance
	dirs   map[string]bool      // folders of this instance and its ancestors
	path   string               // path.module, relative to the root folder

	slots map[string]*slot
	mods  map[string]*modState
	res   map[string]*resState

	eachTree  *pnode // each.value of the module call, positioned
	eachState int8

	doneRefs map[*resDecl]int32 // finished blocks referring to each (see finish)
}

// eachValueTree is the positioned each.value of a module instance made by
// for_each: the element of the call's for_each it was made from.
func (in *instance) eachValueTree() *pnode {
	if in.eachState != stateNew || in.call == nil || in.call.forEach == nil {
		return in.eachTree
	}
	in.eachState = stateBusy
	defer func() { in.eachState = stateDone }()
	in.eachTree = eachElement(in.parent, in.call.forEach, in.ext["each"])
	return in.eachTree
}

// slot memoises one named value: a variable, local or output.
type slot struct {
	state int8
	val   cty.Value
	raw   cty.Value // a module input before type conversion
	expr  hcl.Expression
	ctx   *hcl.EvalContext
	in    *instance     // where expr is evaluated
	conv  bool          // val is raw converted to a declared type
	each  func() *pnode // each.value of the module call, for its arguments

	tree      *pnode
	treeState int8
}

func (in *instance) qualify(name string) string { return in.prefix + name }

func (in *instance) slot(key string) *slot {
	s := in.slots[key]
	if s == nil {
		s = &slot{}
		in.slots[key] = s
	}
	return s
}

// eval evaluates expr in this instance with the extra variables ext
// (count, each, template variables).
func (in *instance) eval(expr hcl.Expression, ext map[string]cty.Value) (cty.Value, *hcl.EvalContext) {
	ctx := in.ctxFor(exprRefs(expr), ext)
	v, diags := expr.Value(ctx)
	in.r.l.diags = append(in.r.l.diags, diags...)
	if diags.HasErrors() {
		return cty.DynamicVal, ctx
	}
	return v, ctx
}

// exprRefs lists the references of expr.
func exprRefs(expr hcl.Expression) []hcl.Traversal {
	var ts []hcl.Traversal
	if se, ok := expr.(hclsyntax.Expression); ok {
		ts = hclsyntax.Variables(se)
	} else {
		ts = expr.Variables()
	}
	return ts
}

// local returns local.name.
func (in *instance) local(name string, rng hcl.Range) cty.Value {
	a := in.cfg.locals[name]
	if a == nil {
		in.r.l.errorf(rng, "Reference to undeclared local value", "No local value named %q is declared in %s.", name, in.where())
		return cty.DynamicVal
	}
	s := in.slot("local." + name)
	in.fill(s, "local."+name, a.SrcRange, func() {
		s.expr, s.in = a.Expr, in
		s.val, s.ctx = in.eval(a.Expr, nil)
	})
	return s.value()
}

func (s *slot) value() cty.Value {
	if s.state != stateDone || s.val == cty.NilVal {
		return cty.DynamicVal
	}
	return s.val
}

// fill evaluates a slot once, detecting cycles.
func (in *instance) fill(s *slot, name string, rng hcl.Range, f func()) {
	l := in.r.l
	if !l.enter(&s.state, in.qualify(name), rng) {
		return
	}
	defer l.leave(&s.state)
	f()
}

func (in *instance) where() string {
	if in.prefix == "" {
		return "the root module (" + in.cfg.dir + ")"
	}
	return strings.TrimSuffix(in.prefix, ".")
}

// variable returns var.name.
func (in *instance) variable(name string, rng hcl.Range) cty.Value {
	d := in.cfg.vars[name]
	if d == nil {
		in.r.l.errorf(rng, "Reference to undeclared input variable", "No variable named %q is declared in %s.", name, in.where())
		return cty.DynamicVal
	}
	s := in.slot("var." + name)
	in.fill(s, "var."+name, d.block.DefRange(), func() {
		l := in.r.l
		switch {
		case in.parent != nil && in.call.args[name] != nil:
			a := in.call.args[name]
			s.expr, s.in, s.each = a.Expr, in.parent, in.eachValueTree
			s.raw, s.ctx = in.parent.eval(a.Expr, in.ext)
			s.val = l.convertVar(d, s.raw, a.Expr.Range())
			s.conv = true
		case in.parent == nil && in.r.vals[name].val != cty.NilVal:
			rv := in.r.vals[name]
			s.val = l.convertVar(d, rv.val, rv.rng)
		case d.def != nil:
			v, diags := d.def.Value(nil)
			l.diags = append(l.diags, diags...)
			if diags.HasErrors() {
				v = cty.DynamicVal
			}
			s.val = l.convertVar(d, v, d.def.Range())
		case in.parent != nil:
			l.errorf(in.call.block.DefRange(), "Missing required argument",
				"Module %q has no value for its required variable %q; values depending on it are unknown.", in.call.name, name)
			s.val = cty.UnknownVal(d.typ)
		default:
			l.warnf(d.block.DefRange(), "Unresolved value",
				"Variable %q has no default and no value was given (--var, --var-file or a tfvars file); everything derived from it is unknown.", name)
			s.val = cty.UnknownVal(d.typ)
		}
	})
	return s.value()
}

func (l *loader) convertVar(d *varDecl, v cty.Value, rng hcl.Range) cty.Value {
	if v.IsNull() && !d.nullable && d.def != nil {
		if dv, diags := d.def.Value(nil); !diags.HasErrors() {
			v = dv
		}
	}
	if d.defaults != nil && v.IsWhollyKnown() {
		v = d.defaults.Apply(v)
	}
	if !d.typed {
		return v
	}
	cv, err := convert.Convert(v, d.typ)
	if err != nil {
		l.errorf(rng, "Invalid value for variable", "The value of variable %q does not fit its type: %s.", d.name, err)
		return cty.UnknownVal(d.typ)
	}
	return cv
}

// output returns output.name of this (child) instance.
func (in *instance) output(name string, rng hcl.Range) cty.Value {
	a := in.cfg.outputs[name]
	if a == nil {
		in.r.l.errorf(rng, "Unsupported attribute", "Module %s has no output named %q.", strings.TrimSuffix(in.prefix, "."), name)
		return cty.DynamicVal
	}
	s := in.slot("output." + name)
	in.fill(s, "output."+name, a.SrcRange, func() {
		s.expr, s.in = a.Expr, in
		s.val, s.ctx = in.eval(a.Expr, nil)
	})
	return s.value()
}

// need records which attributes of an object an expression reads; all
// means the object itself is used.
type need struct {
	all   bool
	attrs map[string]bool
	rng   hcl.Range
}

func (n *need) add(t hcl.Traversal, i int) {
	if n.attrs == nil {
		n.attrs = map[string]bool{}
	}
	if i < len(t) {
		if _, isIndex := t[i].(hcl.TraverseIndex); isIndex {
			i++
		}
	}
	if i < len(t) {
		if a, ok := t[i].(hcl.TraverseAttr); ok {
			n.attrs[a.Name] = true
			return
		}
	}
	n.all = true
}

func stepName(t hcl.Traversal, i int) string {
	if i < len(t) {
		if a, ok := t[i].(hcl.TraverseAttr); ok {
			return a.Name
		}
	}
	return ""
}

// ctxFor builds the evaluation context for the given references: only
// the values they name are evaluated and put in it.
func (in *instance) ctxFor(travs []hcl.Traversal, ext map[string]cty.Value) *hcl.EvalContext {
	l := in.r.l
	vars := map[string]cty.Value{}
	varVals := map[string]cty.Value{}
	localVals := map[string]cty.Value{}
	mods := map[string]*need{}
	objs := map[string]map[string]*need{} // "aws_iam_role" or "data.aws_region" → name → need
	getNeed := func(m map[string]*need, name string, rng hcl.Range) *need {
		n := m[name]
		if n == nil {
			n = &need{rng: rng}
			m[name] = n
		}
		return n
	}
	for _, t := range travs {
		root := t.RootName()
		rng := t.SourceRange()
		if v, ok := ext[root]; ok {
			vars[root] = v
			continue
		}
		switch root {
		case "var":
			if name := stepName(t, 1); name != "" {
				if _, done := varVals[name]; !done {
					varVals[name] = in.variable(name, rng)
				}
			}
		case "local":
			if name := stepName(t, 1); name != "" {
				if _, done := localVals[name]; !done {
					localVals[name] = in.local(name, rng)
				}
			}
		case "module":
			if name := stepName(t, 1); name != "" {
				getNeed(mods, name, rng).add(t, 2)
			}
		case "data":
			typ, name := stepName(t, 1), stepName(t, 2)
			if typ != "" && name != "" {
				m := objs["data."+typ]
				if m == nil {
					m = map[string]*need{}
					objs["data."+typ] = m
				}
				getNeed(m, name, rng).add(t, 3)
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(in.path), "root": cty.StringVal("."), "cwd": cty.StringVal(in.r.cfg.abs),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "count", "each":
			l.errorf(rng, "Invalid reference", "%s is only available in a block that sets %s.", root,
				map[string]string{"count": "count", "each": "for_each"}[root])
			vars[root] = cty.DynamicVal
		case "self":
			vars["self"] = cty.DynamicVal
		default:
			if name := stepName(t, 1); name != "" {
				m := objs[root]
				if m == nil {
					m = map[string]*need{}
					objs[root] = m
				}
				getNeed(m, name, rng).add(t, 2)
			}
		}
	}
	if len(varVals) > 0 {
		vars["var"] = cty.ObjectVal(varVals)
	}
	if len(localVals) > 0 {
		vars["local"] = cty.ObjectVal(localVals)
	}
	if len(mods) > 0 {
		m := map[string]cty.Value{}
		for name, n := range mods {
			m[name] = in.moduleValue(name, n)
		}
		vars["module"] = cty.ObjectVal(m)
	}
	data := map[string]cty.Value{}
	for typ, names := range objs {
		m := map[string]cty.Value{}
		for name, n := range names {
			m[name] = in.resourceValue(typ+"."+name, n)
		}
		if t, ok := strings.CutPrefix(typ, "data."); ok {
			data[t] = cty.ObjectVal(m)
		} else {
			vars[typ] = cty.ObjectVal(m)
		}
	}
	if len(data) > 0 {
		vars["data"] = cty.ObjectVal(data)
	}
	return &hcl.EvalContext{Variables: vars, Functions: in.r.funcs}
}

// expansion is the result of a count or for_each argument.
type expansion struct {
	mode expMode
	keys []cty.Value // numbers (count) or strings (for_each)
	vals []cty.Value // each.value (for_each)
}

type expMode uint8

const (
	expSingle expMode = iota
	expCount
	expForEach
	expUnknownCount   // count not known statically: one symbolic instance
	expUnknownForEach // for_each not known statically: one symbolic instance
	expInvalid
)

// maxInstances bounds count and for_each, so a hostile configuration
// cannot make the evaluator build millions of instances.
const maxInstances = 10000

// expand evaluates count or for_each of a resource or module call.
func (in *instance) expand(count, forEach hclsyntax.Expression, what string) expansion {
	l := in.r.l
	switch {
	case count != nil:
		v, _ := in.eval(count, nil)
		if !v.IsKnown() {
			l.warnf(count.Range(), "Unresolved value", "The count of %s is not known statically; it is modelled as one instance with an unknown index, %s[*].", what, what)
			return expansion{mode: expUnknownCount}
		}
		n, err := convert.Convert(v, cty.Number)
		if err != nil || n.IsNull() {
			l.errorf(count.Range(), "Invalid count argument", "The count of %s must be a whole number.", what)
			return expansion{mode: expInvalid}
		}
		bf := n.AsBigFloat()
		c, acc := bf.Int64()
		if !bf.IsInt() || acc != 0 || c < 0 || c > maxInstances {
			l.errorf(count.Range(), "Invalid count argument", "The count of %s must be a whole number between 0 and %d.", what, maxInstances)
			return expansion{mode: expInvalid}
		}
		e := expansion{mode: expCount}
		for i := int64(0); i < c; i++ {
			e.keys = append(e.keys, cty.NumberIntVal(i))
		}
		return e
	case forEach != nil:
		v, _ := in.eval(forEach, nil)
		v, _ = v.UnmarkDeep()
		// Keys must be known; the values of a map may be unknown (a map of
		// resource objects with computed attributes is fine).
		if !v.IsKnown() || v.Type().IsSetType() && !v.IsWhollyKnown() || v.Type() == cty.DynamicPseudoType {
			l.warnf(forEach.Range(), "Unresolved value", "The for_each of %s is not known statically; it is modelled as one instance with an unknown key, %s[*].", what, what)
			return expansion{mode: expUnknownForEach}
		}
		if v.IsNull() {
			l.errorf(forEach.Range(), "Invalid for_each argument", "The for_each of %s is null.", what)
			return expansion{mode: expInvalid}
		}
		ty := v.Type()
		if v.CanIterateElements() && v.LengthInt() > maxInstances {
			l.errorf(forEach.Range(), "Invalid for_each argument", "The for_each of %s has more than %d elements; iamlint does not expand it.", what, maxInstances)
			return expansion{mode: expInvalid}
		}
		e := expansion{mode: expForEach}
		switch {
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, val := it.Element()
				e.keys = append(e.keys, k)
				e.vals = append(e.vals, val)
			}
		case ty.IsSetType():
			for it := v.ElementIterator(); it.Next(); {
				_, val := it.Element()
				if val.IsNull() || !val.Type().Equals(cty.String) {
					sv, err := convert.Convert(val, cty.String)
					if err != nil || sv.IsNull() {
						l.errorf(forEach.Range(), "Invalid for_each argument", "The for_each set of %s must hold strings.", what)
						return expansion{mode: expInvalid}
					}
					val = sv
				}
				e.keys = append(e.keys, val)
				e.vals = append(e.vals, val)
			}
		default:
			l.errorf(forEach.Range(), "Invalid for_each argument",
				"The for_each of %s must be a map or a set of strings, not %s; convert a list with toset().", what, ty.FriendlyName())
			return expansion{mode: expInvalid}
		}
		return e
	}
	return expansion{mode: expSingle, keys: []cty.Value{cty.NilVal}}
}

// instances returns the instance keys of an expansion with the count/each
// values each instance sees, and the address suffix of each.
func (e expansion) instances() (suffixes []string, exts []map[string]cty.Value) {
	switch e.mode {
	case expSingle:
		return []string{""}, []map[string]cty.Value{nil}
	case expCount:
		for i, k := range e.keys {
			suffixes = append(suffixes, fmt.Sprintf("[%d]", i))
			exts = append(exts, map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": k})})
		}
	case expForEach:
		for i, k := range e.keys {
			suffixes = append(suffixes, "["+strconv.Quote(k.AsString())+"]")
			exts = append(exts, map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": e.vals[i]})})
		}
	case expUnknownCount:
		return []string{"[*]"}, []map[string]cty.Value{{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}
	case expUnknownForEach:
		return []string{"[*]"}, []map[string]cty.Value{{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}}
	}
	return suffixes, exts
}

// shape assembles per-instance values the way Terraform exposes them: the
// value itself, a tuple (count) or an object by key (for_each).
func (e expansion) shape(vals []cty.Value) cty.Value {
	switch e.mode {
	case expSingle:
		if len(vals) == 1 {
			return vals[0]
		}
	case expCount:
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case expForEach:
		if len(vals) == 0 {
			return cty.EmptyObjectVal
		}
		m := make(map[string]cty.Value, len(vals))
		for i, k := range e.keys {
			m[k.AsString()] = vals[i]
		}
		return cty.ObjectVal(m)
	}
	return cty.DynamicVal
}

// modState is a module call expanded into instances.
type modState struct {
	call  *moduleCall
	state int8
	exp   expansion
	insts []*instance
	ok    bool // the module was loaded
}

// module expands the module call name of this instance.
func (in *instance) module(name string) *modState {
	if ms := in.mods[name]; ms != nil {
		if ms.state == stateBusy {
			in.r.l.reportCycle(in.qualify("module." + name))
		}
		return ms
	}
	call := in.cfg.calls[name]
	if call == nil {
		return nil
	}
	l := in.r.l
	ms := &modState{call: call}
	in.mods[name] = ms
	if !l.enter(&ms.state, in.qualify("module."+name), call.block.DefRange()) {
		return ms
	}
	defer l.leave(&ms.state)
	addr := in.qualify("module." + name)
	if !call.local {
		if call.source != "" {
			l.warnf(call.sourceRange, "Remote module not loaded",
				"%s uses the module %q, which is not a local folder; iamlint does not download modules, so the IAM objects it declares are not analysed and its outputs are unknown.", addr, call.source)
		}
		return ms
	}
	dir := filepath.Join(in.cfg.dir, call.source)
	abs, _ := filepath.Abs(dir)
	if in.dirs[abs] {
		var chain []string
		for a := in; a != nil; a = a.parent {
			chain = append([]string{a.cfg.dir}, chain...)
		}
		chain = append(chain, filepath.Clean(dir))
		l.errorf(call.sourceRange, "Module cycle",
			"%s would load %s again: %s. The call is not followed.", addr, filepath.Clean(dir), strings.Join(chain, " → "))
		return ms
	}
	cfg := l.config(dir)
	if cfg == nil {
		l.errorf(call.sourceRange, "Module folder not found", "%s: the folder %s does not exist or holds no .tf file.", addr, dir)
		return ms
	}
	l.addAllowed(cfg.dir)
	ms.exp = in.expand(call.count, call.forEach, addr)
	suffixes, exts := ms.exp.instances()
	dirs := map[string]bool{cfg.abs: true}
	for d := range in.dirs {
		dirs[d] = true
	}
	for i, sfx := range suffixes {
		ms.insts = append(ms.insts, &instance{
			r: in.r, cfg: cfg, prefix: addr + sfx + ".", parent: in, call: call, ext: exts[i], dirs: dirs,
			path:  filepath.ToSlash(filepath.Join(in.path, call.source)),
			slots: map[string]*slot{}, mods: map[string]*modState{}, res: map[string]*resState{},
		})
	}
	ms.ok = true
	return ms
}

// moduleValue is module.name as an expression sees it.
func (in *instance) moduleValue(name string, n *need) cty.Value {
	ms := in.module(name)
	if ms == nil {
		in.r.l.errorf(n.rng, "Reference to undeclared module", "No module call named %q is declared in %s.", name, in.where())
		return cty.DynamicVal
	}
	if !ms.ok || ms.state == stateBusy {
		return cty.DynamicVal
	}
	vals := make([]cty.Value, len(ms.insts))
	for i, child := range ms.insts {
		outs := map[string]cty.Value{}
		if n.all {
			for oname := range child.cfg.outputs {
				outs[oname] = child.output(oname, n.rng)
			}
		}
		for oname := range n.attrs {
			outs[oname] = child.output(oname, n.rng)
		}
		vals[i] = cty.ObjectVal(outs)
	}
	return ms.exp.shape(vals)
}

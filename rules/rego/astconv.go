package rego

import (
	"encoding/json"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

// The input document is converted to an AST value the way encoding/json
// would write it (json tags, omitempty, nil slices, maps and pointers as
// null), without the JSON round trip ast.InterfaceToValue makes for
// structs: on a big account the input is much of a rule run's cost. AST
// terms are immutable, so empty lists and strings, null, booleans and the
// PolicyRefs a group's members share are converted once and shared.

// toValue converts a value of the input document's types.
func toValue(x any) ast.Value {
	return newConverter().term(reflect.ValueOf(x)).Value
}

// runInput is the input document of a rule run, as an AST value, with the
// sections s. The principals, which rules iterate, are built and
// converted up front. The sections that rules mostly read by ID
// (input.documents[ref.document], input.permissions[p.id]: documents,
// groups, policies, accounts, permissions, escalations) are OPA's lazy
// objects: an entry is built and converted when a rule first reads it,
// and all of them only when a rule iterates the section. On a big
// account, where most documents are never looked at, that is most of the
// input's cost saved.
func runInput(in *rules.Input, now time.Time, s Sections) ast.Value {
	b := newBuilder(in)
	// The document itself is a lazy object too: an object made with
	// ast.NewObject hashes its values, which would force the lazy ones.
	// (Its entries are AST values, which OPA's json.marshal does not
	// render as plain JSON: a rule marshals a section, not input whole.)
	top := map[string]any{"version": InputVersion, "now": now.Format(time.DateOnly)}
	section := func(key string, bit Sections, v func() ast.Value) {
		top[key] = nil
		if s&bit != 0 {
			top[key] = v()
		}
	}
	lazy := func(kinds []analyzer.NodeKind, build func(n *analyzer.Node) any) func() ast.Value {
		return func() ast.Value {
			entries := map[string]any{}
			for _, n := range b.g.Nodes {
				if slices.Contains(kinds, n.Kind) {
					entries[n.ID] = thunk{func() any { return build(n) }}
				}
			}
			return ast.LazyObject(entries)
		}
	}
	section("accounts", SectionAccounts, lazy([]analyzer.NodeKind{analyzer.KindAccount}, func(n *analyzer.Node) any { return b.account(n) }))
	section("principals", SectionPrincipals, func() ast.Value {
		// Built and converted on every CPU, then put together.
		ns := b.g.Principals()
		kvs := make([][2]*ast.Term, len(ns))
		workers := max(1, min(runtime.GOMAXPROCS(0), len(ns)/1000))
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				c := newConverter()
				for i := w; i < len(ns); i += workers {
					kvs[i] = [2]*ast.Term{ast.StringTerm(ns[i].ID), c.term(reflect.ValueOf(b.principal(ns[i])))}
				}
			})
		}
		wg.Wait()
		return ast.NewObject(kvs...)
	})
	section("groups", SectionGroups, lazy([]analyzer.NodeKind{analyzer.KindGroup}, func(n *analyzer.Node) any { return b.group(n) }))
	section("policies", SectionPolicies, lazy([]analyzer.NodeKind{analyzer.KindPolicy}, func(n *analyzer.Node) any { return b.policy(n) }))
	section("documents", SectionDocuments, lazy([]analyzer.NodeKind{analyzer.KindDocument}, func(n *analyzer.Node) any { return b.document(n) }))
	section("permissions", SectionPermissions, lazy([]analyzer.NodeKind{analyzer.KindUser, analyzer.KindRole}, func(n *analyzer.Node) any {
		return permissionsOf(b.a.Permissions(n))
	}))
	section("assumptions", SectionAssumptions, func() ast.Value {
		doc := BuildInput(in, now, SectionAssumptions)
		return newConverter().term(reflect.ValueOf(doc.Assumptions)).Value
	})
	section("escalations", SectionEscalations, func() ast.Value {
		entries := map[string]any{}
		for _, e := range b.a.Escalations() {
			entries[e.Principal.ID] = thunk{func() any { return escalationOf(e) }}
		}
		return ast.LazyObject(entries)
	})
	return ast.LazyObject(top)
}

// thunk is an entry of a lazy section, built when a rule first reads it:
// OPA converts the entries of its lazy objects through JSON (of the
// value: util.Reference dereferences pointers).
type thunk struct{ build func() any }

func (t thunk) MarshalJSON() ([]byte, error) { return json.Marshal(t.build()) }

type field struct {
	index     int
	name      *ast.Term
	omitEmpty bool
}

// converter caches the fields of each struct type and the terms of shared
// PolicyRefs, for one conversion.
type converter struct {
	fields map[reflect.Type][]field
	shared map[*PolicyRef]*ast.Term
}

func newConverter() *converter {
	return &converter{fields: map[reflect.Type][]field{}, shared: map[*PolicyRef]*ast.Term{}}
}

var policyRefType = reflect.TypeFor[*PolicyRef]()

func (c *converter) fieldsOf(t reflect.Type) []field {
	if fs, ok := c.fields[t]; ok {
		return fs
	}
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out = append(out, field{index: i, name: ast.StringTerm(name), omitEmpty: strings.Contains(opts, "omitempty")})
	}
	c.fields[t] = out
	return out
}

func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int64:
		return v.Int() == 0
	}
	return false
}

// str returns a string's term: a new one but for the empty string (a map
// of every string costs more than it saves).
func (c *converter) str(s string) *ast.Term {
	if s == "" {
		return ast.InternedEmptyString
	}
	return ast.StringTerm(s)
}

func (c *converter) term(v reflect.Value) *ast.Term {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.InternedNullTerm
		}
		if v.Type() == policyRefType {
			ref := v.Interface().(*PolicyRef)
			if t, ok := c.shared[ref]; ok {
				return t
			}
			t := c.term(v.Elem())
			c.shared[ref] = t
			return t
		}
		return c.term(v.Elem())
	case reflect.Struct:
		fs := c.fieldsOf(v.Type())
		kvs := make([][2]*ast.Term, 0, len(fs))
		for _, f := range fs {
			fv := v.Field(f.index)
			if f.omitEmpty && empty(fv) {
				continue
			}
			kvs = append(kvs, [2]*ast.Term{f.name, c.term(fv)})
		}
		return ast.NewTerm(ast.NewObject(kvs...))
	case reflect.Map:
		switch {
		case v.IsNil():
			return ast.InternedNullTerm
		case v.Len() == 0:
			return ast.InternedEmptyObject
		}
		kvs := make([][2]*ast.Term, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			kvs = append(kvs, [2]*ast.Term{c.str(it.Key().String()), c.term(it.Value())})
		}
		return ast.NewTerm(ast.NewObject(kvs...))
	case reflect.Slice:
		switch {
		case v.IsNil():
			return ast.InternedNullTerm
		case v.Len() == 0:
			return ast.InternedEmptyArray
		}
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			terms[i] = c.term(v.Index(i))
		}
		return ast.ArrayTerm(terms...)
	case reflect.String:
		return c.str(v.String())
	case reflect.Bool:
		return ast.InternedTerm(v.Bool())
	case reflect.Int, reflect.Int64:
		return ast.InternedTerm(int(v.Int()))
	}
	panic("rego: cannot convert a " + v.Type().String())
}

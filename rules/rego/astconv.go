package rego

import (
	"reflect"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toValue converts a value of the input document's types to an AST value
// the way encoding/json would write it (json tags, omitempty, nil slices,
// maps and pointers as null), without the JSON round trip
// ast.InterfaceToValue makes for structs: on a big account the input is
// most of a rule run's cost.
func toValue(x any) ast.Value {
	c := &converter{fields: map[reflect.Type][]field{}, shared: map[*PolicyRef]ast.Value{}}
	return c.convert(reflect.ValueOf(x))
}

// converter caches the fields of each struct type for one conversion,
// and the values of shared PolicyRefs.
type converter struct {
	fields map[reflect.Type][]field
	shared map[*PolicyRef]ast.Value
}

var policyRefType = reflect.TypeFor[*PolicyRef]()

type field struct {
	index     int
	name      *ast.Term
	omitEmpty bool
}

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

func (c *converter) convert(v reflect.Value) ast.Value {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.NullValue
		}
		if v.Type() == policyRefType {
			ref := v.Interface().(*PolicyRef)
			if x, ok := c.shared[ref]; ok {
				return x
			}
			x := c.convert(v.Elem())
			c.shared[ref] = x
			return x
		}
		return c.convert(v.Elem())
	case reflect.Struct:
		fs := c.fieldsOf(v.Type())
		kvs := make([][2]*ast.Term, 0, len(fs))
		for _, f := range fs {
			fv := v.Field(f.index)
			if f.omitEmpty && empty(fv) {
				continue
			}
			kvs = append(kvs, [2]*ast.Term{f.name, ast.NewTerm(c.convert(fv))})
		}
		return ast.NewObject(kvs...)
	case reflect.Map:
		if v.IsNil() {
			return ast.NullValue
		}
		kvs := make([][2]*ast.Term, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			kvs = append(kvs, [2]*ast.Term{ast.StringTerm(it.Key().String()), ast.NewTerm(c.convert(it.Value()))})
		}
		return ast.NewObject(kvs...)
	case reflect.Slice:
		if v.IsNil() {
			return ast.NullValue
		}
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			terms[i] = ast.NewTerm(c.convert(v.Index(i)))
		}
		return ast.NewArray(terms...)
	case reflect.String:
		return ast.String(v.String())
	case reflect.Bool:
		return ast.Boolean(v.Bool())
	case reflect.Int, reflect.Int64:
		return ast.IntNumberTerm(int(v.Int())).Value
	}
	panic("rego: cannot convert a " + v.Type().String())
}

// Command schemagen writes docs/rego-input.schema.json, the JSON Schema of
// the input document of custom Rego rules, from the Go types of
// rules/rego/input.go: their json tags, their doc comments (the
// descriptions), and the schema and enum tags (nullable fields, the
// values a string takes). Run it with go generate ./rules/...
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	in := flag.String("in", "input.go", "the Go `file` of the input document's types")
	out := flag.String("out", "../../docs/rego-input.schema.json", "output `file`")
	flag.Parse()
	src, err := os.ReadFile(*in)
	if err != nil {
		fail(err)
	}
	schema, err := generate(src)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, schema, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "schemagen:", err)
	os.Exit(1)
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// generator holds the parsed types.
type generator struct {
	types  map[string]*ast.StructType
	docs   map[string]string
	order  []string
	consts map[string]string
}

// generate renders the schema of the Input type declared in src.
func generate(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "input.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	g := &generator{types: map[string]*ast.StructType{}, docs: map[string]string{}, consts: map[string]string{}}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				st, ok := s.Type.(*ast.StructType)
				if !ok {
					continue
				}
				doc := s.Doc
				if doc == nil {
					doc = gd.Doc
				}
				g.types[s.Name.Name] = st
				g.docs[s.Name.Name] = text(doc)
				g.order = append(g.order, s.Name.Name)
			case *ast.ValueSpec:
				for i, n := range s.Names {
					if i < len(s.Values) {
						if lit, ok := s.Values[i].(*ast.BasicLit); ok {
							g.consts[n.Name] = lit.Value
						}
					}
				}
			}
		}
	}
	if g.types["Input"] == nil {
		return nil, fmt.Errorf("no Input type")
	}
	version, err := strconv.Atoi(g.consts["InputVersion"])
	if err != nil {
		return nil, fmt.Errorf("InputVersion: %v", err)
	}
	defs := obj{}
	for _, name := range g.order {
		if name == "Input" {
			continue
		}
		s, err := g.object(name, 0)
		if err != nil {
			return nil, err
		}
		defs = append(defs, kv{name, s})
	}
	root, err := g.object("Input", version)
	if err != nil {
		return nil, err
	}
	schema := obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", "https://github.com/iamlint/iamlint/blob/main/docs/rego-input.schema.json"},
		{"title", fmt.Sprintf("iamlint Rego input document, version %d", version)},
		{"description", "The input document of iamlint's custom Rego rules (docs/custom-rules.md), as `iamlint inspect --format rego-input` prints it. Generated from rules/rego/input.go by go generate ./rules/...; do not edit.\n\n" + g.docs["Input"]},
	}
	schema = append(schema, root[1:]...) // its description is above
	schema = append(schema, kv{"$defs", defs})
	out, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// text joins a comment's lines into paragraphs.
func text(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	paras := strings.Split(strings.TrimSpace(cg.Text()), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
}

var goName = regexp.MustCompile(`^[A-Z][A-Za-z]*\b`)

// object renders a struct type; version, when not 0, is the const of a
// "version" field.
func (g *generator) object(name string, version int) (obj, error) {
	st := g.types[name]
	props := obj{}
	var required []string
	prevDoc := ""
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 || f.Tag == nil {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		jname, opts, _ := strings.Cut(tag.Get("json"), ",")
		if jname == "" || jname == "-" {
			continue
		}
		doc := text(f.Doc)
		if doc == "" && strings.Contains(prevDoc, f.Names[0].Name) {
			doc = prevDoc // "A and B are ..." documents both
		}
		if doc == "" && f.Comment != nil {
			doc = text(f.Comment)
		}
		if doc != "" {
			prevDoc = doc
		}
		s, err := g.schemaOf(f.Type, tag.Get("schema") == "nullable")
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %v", name, f.Names[0].Name, err)
		}
		if e := tag.Get("enum"); e != "" {
			s = append(s, kv{"enum", strings.Split(e, ",")})
		}
		if jname == "version" && version != 0 {
			s = obj{{"const", version}}
		}
		if doc != "" {
			doc = goName.ReplaceAllStringFunc(doc, func(w string) string {
				if w == f.Names[0].Name {
					return jname
				}
				return w
			})
			s = append(obj{{"description", doc}}, s...)
		}
		props = append(props, kv{jname, s})
		if !strings.Contains(opts, "omitempty") {
			required = append(required, jname)
		}
	}
	out := obj{{"description", g.docs[name]}, {"type", "object"}, {"additionalProperties", false}}
	if len(required) > 0 {
		out = append(out, kv{"required", required})
	}
	return append(out, kv{"properties", props}), nil
}

// schemaOf renders a field's type.
func (g *generator) schemaOf(e ast.Expr, nullable bool) (obj, error) {
	null := func(s obj) obj {
		if !nullable {
			return s
		}
		return obj{{"anyOf", []any{s, obj{{"type", "null"}}}}}
	}
	switch t := e.(type) {
	case *ast.Ident:
		switch t.Name {
		case "string":
			return obj{{"type", "string"}}, nil
		case "bool":
			return obj{{"type", "boolean"}}, nil
		case "int":
			return obj{{"type", "integer"}}, nil
		}
		if g.types[t.Name] != nil {
			return null(obj{{"$ref", "#/$defs/" + t.Name}}), nil
		}
	case *ast.StarExpr:
		inner, err := g.schemaOf(t.X, false)
		if err != nil {
			return nil, err
		}
		return obj{{"anyOf", []any{inner, obj{{"type", "null"}}}}}, nil
	case *ast.ArrayType:
		items, err := g.schemaOf(elem(t.Elt), false)
		if err != nil {
			return nil, err
		}
		return null(obj{{"type", "array"}, {"items", items}}), nil
	case *ast.MapType:
		if k, ok := t.Key.(*ast.Ident); !ok || k.Name != "string" {
			return nil, fmt.Errorf("map keys must be strings")
		}
		vals, err := g.schemaOf(elem(t.Value), false)
		if err != nil {
			return nil, err
		}
		return null(obj{{"type", "object"}, {"additionalProperties", vals}}), nil
	}
	return nil, fmt.Errorf("unsupported type %T", e)
}

// elem drops the pointer of a list's or map's element type: the builder
// never puts null in them.
func elem(e ast.Expr) ast.Expr {
	if s, ok := e.(*ast.StarExpr); ok {
		return s.X
	}
	return e
}

package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// baseFunctions are Terraform's built-in functions that read no files:
// go-cty's stdlib, hcl's try/can, go-cty-funcs for encodings and CIDR
// arithmetic, and a few written here. Functions whose result Terraform
// only knows at apply time (timestamp, uuid, bcrypt) return unknowns.
func baseFunctions() map[string]function.Function {
	unknownString := function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true},
		Type:     function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(cty.String), nil
		},
	})
	identity := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
		Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
	})
	return map[string]function.Function{
		"abs":                               stdlib.AbsoluteFunc,
		"alltrue":                           allAnyFunc(true),
		"anytrue":                           allAnyFunc(false),
		"base64decode":                      encoding.Base64DecodeFunc,
		"base64encode":                      encoding.Base64EncodeFunc,
		"base64sha256":                      hashFunc(sha256.New, true),
		"base64sha512":                      hashFunc(sha512.New, true),
		"bcrypt":                            unknownString,
		"can":                               tryfunc.CanFunc,
		"ceil":                              stdlib.CeilFunc,
		"chomp":                             stdlib.ChompFunc,
		"chunklist":                         stdlib.ChunklistFunc,
		"cidrhost":                          cidr.HostFunc,
		"cidrnetmask":                       cidr.NetmaskFunc,
		"cidrsubnet":                        cidr.SubnetFunc,
		"cidrsubnets":                       cidr.SubnetsFunc,
		"coalesce":                          collection.CoalesceFunc,
		"coalescelist":                      stdlib.CoalesceListFunc,
		"compact":                           stdlib.CompactFunc,
		"concat":                            stdlib.ConcatFunc,
		"contains":                          stdlib.ContainsFunc,
		"csvdecode":                         stdlib.CSVDecodeFunc,
		"distinct":                          stdlib.DistinctFunc,
		"element":                           stdlib.ElementFunc,
		"endswith":                          stringPredicate(strings.HasSuffix),
		"ephemeralasnull":                   identity,
		"flatten":                           stdlib.FlattenFunc,
		"floor":                             stdlib.FloorFunc,
		"format":                            stdlib.FormatFunc,
		"formatdate":                        stdlib.FormatDateFunc,
		"formatlist":                        stdlib.FormatListFunc,
		"indent":                            stdlib.IndentFunc,
		"index":                             indexFunc,
		"join":                              stdlib.JoinFunc,
		"jsondecode":                        stdlib.JSONDecodeFunc,
		"jsonencode":                        stdlib.JSONEncodeFunc,
		"keys":                              stdlib.KeysFunc,
		"length":                            lengthFunc,
		"log":                               stdlib.LogFunc,
		"lookup":                            stdlib.LookupFunc,
		"lower":                             stdlib.LowerFunc,
		"max":                               stdlib.MaxFunc,
		"md5":                               hashFunc(md5.New, false),
		"merge":                             stdlib.MergeFunc,
		"min":                               stdlib.MinFunc,
		"nonsensitive":                      identity,
		"one":                               oneFunc,
		"parseint":                          stdlib.ParseIntFunc,
		"plantimestamp":                     unknownString,
		"pow":                               stdlib.PowFunc,
		"range":                             stdlib.RangeFunc,
		"regex":                             stdlib.RegexFunc,
		"regexall":                          stdlib.RegexAllFunc,
		"replace":                           replaceFunc,
		"reverse":                           stdlib.ReverseListFunc,
		"sensitive":                         identity,
		"setintersection":                   stdlib.SetIntersectionFunc,
		"setproduct":                        stdlib.SetProductFunc,
		"setsubtract":                       stdlib.SetSubtractFunc,
		"setunion":                          stdlib.SetUnionFunc,
		"sha1":                              hashFunc(sha1.New, false),
		"sha256":                            hashFunc(sha256.New, false),
		"sha512":                            hashFunc(sha512.New, false),
		"signum":                            stdlib.SignumFunc,
		"slice":                             stdlib.SliceFunc,
		"sort":                              stdlib.SortFunc,
		"split":                             stdlib.SplitFunc,
		"startswith":                        stringPredicate(strings.HasPrefix),
		"strcontains":                       stringPredicate(strings.Contains),
		"strrev":                            stdlib.ReverseFunc,
		"substr":                            stdlib.SubstrFunc,
		"sum":                               sumFunc,
		"timeadd":                           stdlib.TimeAddFunc,
		"timestamp":                         unknownString,
		"title":                             stdlib.TitleFunc,
		"tobool":                            stdlib.MakeToFunc(cty.Bool),
		"tolist":                            stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":                             stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":                          stdlib.MakeToFunc(cty.Number),
		"toset":                             stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":                          stdlib.MakeToFunc(cty.String),
		"transpose":                         transposeFunc,
		"trim":                              stdlib.TrimFunc,
		"trimprefix":                        stdlib.TrimPrefixFunc,
		"trimspace":                         stdlib.TrimSpaceFunc,
		"trimsuffix":                        stdlib.TrimSuffixFunc,
		"try":                               tryfunc.TryFunc,
		"upper":                             stdlib.UpperFunc,
		"urlencode":                         encoding.URLEncodeFunc,
		"uuid":                              unknownString,
		"uuidv5":                            unknownString,
		"values":                            stdlib.ValuesFunc,
		"zipmap":                            stdlib.ZipmapFunc,
		"basename":                          pathFunc(filepath.Base),
		"dirname":                           pathFunc(filepath.Dir),
		"issensitive":                       function.New(&function.Spec{Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true}}, Type: function.StaticReturnType(cty.Bool), Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.False, nil }}),
		"provider::aws::arn_build":          arnBuildFunc,
		"provider::aws::arn_parse":          arnParseFunc,
		"provider::aws::trim_iam_role_path": trimRolePathFunc,
	}
}

// functions returns the function table of a root configuration: the
// base functions plus those reading files, which resolve relative paths
// from the root module folder (Terraform's working directory) and refuse
// anything outside the folders being analysed.
func (r *root) functions() map[string]function.Function {
	table := make(map[string]function.Function, len(r.l.base)+12)
	for k, v := range r.l.base {
		table[k] = v
	}
	str1 := func(impl func(string) (cty.Value, error), ret cty.Type) function.Function {
		return function.New(&function.Spec{
			Params: []function.Parameter{{Name: "path", Type: cty.String}},
			Type:   function.StaticReturnType(ret),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return impl(args[0].AsString())
			},
		})
	}
	table["file"] = str1(func(p string) (cty.Value, error) {
		rr := r.readFile(p)
		if rr.err != nil {
			return cty.DynamicVal, rr.err
		}
		if !utf8.Valid(rr.data) {
			return cty.DynamicVal, fmt.Errorf("%s is not valid UTF-8; use filebase64 for binary files", rr.display)
		}
		return cty.StringVal(string(rr.data)), nil
	}, cty.String)
	table["filebase64"] = str1(func(p string) (cty.Value, error) {
		rr := r.readFile(p)
		if rr.err != nil {
			return cty.DynamicVal, rr.err
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(rr.data)), nil
	}, cty.String)
	table["fileexists"] = str1(func(p string) (cty.Value, error) {
		abs, _, err := r.resolve(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return cty.False, nil
			}
			return cty.DynamicVal, err
		}
		st, err := os.Stat(abs)
		return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
	}, cty.Bool)
	for name, h := range map[string]func() hash.Hash{"filemd5": md5.New, "filesha1": sha1.New, "filesha256": sha256.New, "filesha512": sha512.New} {

		table[name] = str1(func(p string) (cty.Value, error) {
			rr := r.readFile(p)
			if rr.err != nil {
				return cty.DynamicVal, rr.err
			}
			s := h()
			s.Write(rr.data)
			return cty.StringVal(hex.EncodeToString(s.Sum(nil))), nil
		}, cty.String)
	}
	table["abspath"] = str1(func(p string) (cty.Value, error) {
		if filepath.IsAbs(p) {
			return cty.StringVal(filepath.ToSlash(filepath.Clean(p))), nil
		}
		return cty.StringVal(filepath.ToSlash(filepath.Join(r.cfg.abs, p))), nil
	}, cty.String)
	table["pathexpand"] = str1(func(string) (cty.Value, error) {
		return cty.DynamicVal, errors.New("iamlint does not expand home directories")
	}, cty.String)
	table["fileset"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return r.fileset(args[0].AsString(), args[1].AsString())
		},
	})
	withoutTemplate := make(map[string]function.Function, len(table))
	for k, v := range table {
		withoutTemplate[k] = v
	}
	table["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			t, ctx, err := r.template(args[0].AsString(), args[1], withoutTemplate)
			if err != nil {
				return cty.DynamicVal, err
			}
			v, diags := t.Value(ctx)
			if diags.HasErrors() {
				return cty.DynamicVal, errors.New(diags.Error())
			}
			return convert.Convert(v, cty.String)
		},
	})
	return table
}

// template parses a template file and builds the context templatefile
// renders it in.
func (r *root) template(p string, vars cty.Value, funcs map[string]function.Function) (*hclsyntax.TemplateExpr, *hcl.EvalContext, error) {
	rr := r.readFile(p)
	if rr.err != nil {
		return nil, nil, rr.err
	}
	ty := vars.Type()
	if !vars.IsWhollyKnown() {
		return nil, nil, errUnknownTemplateVars
	}
	if vars.IsNull() || !(ty.IsObjectType() || ty.IsMapType()) {
		return nil, nil, errors.New("the vars argument of templatefile must be an object or a map")
	}
	m := map[string]cty.Value{}
	for k, v := range vars.AsValueMap() {
		if !hclsyntax.ValidIdentifier(k) {
			return nil, nil, fmt.Errorf("template variable %q is not a valid identifier", k)
		}
		m[k] = v
	}
	e, diags := hclsyntax.ParseTemplate(rr.data, rr.display, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nil, errors.New(diags.Error())
	}
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		// A template that is a single interpolation parses as a wrapper;
		// re-wrap it so callers see one shape.
		t = &hclsyntax.TemplateExpr{Parts: []hclsyntax.Expression{e}, SrcRange: e.Range()}
	}
	return t, &hcl.EvalContext{Variables: m, Functions: funcs}, nil
}

var errUnknownTemplateVars = errors.New("template variables are not known statically")

type readResult struct {
	data    []byte
	display string
	err     error
}

// resolve maps a path as a configuration writes it to an absolute path
// and the name to show, refusing paths outside the analysed folders.
func (r *root) resolve(p string) (abs, display string, err error) {
	display = p
	if !filepath.IsAbs(p) {
		display = filepath.Join(r.cfg.dir, p)
	}
	abs, err = filepath.Abs(display)
	if err != nil {
		return "", "", err
	}
	if !r.l.mayRead(abs) {
		return "", display, fmt.Errorf("refusing to read %s: it is outside the folders being analysed", p)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", display, fmt.Errorf("no file %s (relative paths are resolved from the root module folder %s, as Terraform does from its working directory; use path.module for files beside a module): %w", display, r.cfg.dir, fs.ErrNotExist)
		}
		return "", display, err
	}
	if !r.l.mayRead(real) {
		return "", display, fmt.Errorf("refusing to read %s: it is outside the folders being analysed", p)
	}
	return real, filepath.Clean(display), nil
}

// mayRead reports whether path is below a folder file() may read.
func (l *loader) mayRead(path string) bool {
	for _, a := range l.allowed {
		if within(a, path) {
			return true
		}
	}
	return false
}

// readFile reads a file for file() and friends, once per path.
func (r *root) readFile(p string) readResult {
	abs, display, err := r.resolve(p)
	if err != nil {
		return readResult{display: display, err: err}
	}
	if rr, ok := r.l.reads[abs]; ok {
		return rr
	}
	data, err := r.l.readLimited(abs)
	rr := readResult{data: data, display: display, err: err}
	if err == nil {
		if prev, ok := r.l.files[display]; !ok || string(prev) == string(data) {
			r.l.files[display] = data
		}
	}
	r.l.reads[abs] = rr
	return rr
}

// fileset lists the files below dir whose slash-separated path relative
// to dir matches pattern (with *, ?, [...] and ** as Terraform allows).
func (r *root) fileset(dir, pattern string) (cty.Value, error) {
	abs, _, err := r.resolve(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return cty.SetValEmpty(cty.String), nil
		}
		return cty.DynamicVal, err
	}
	var out []cty.Value
	n := 0
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if n++; n > 100000 {
			return errors.New("fileset: too many files")
		}
		rel, err := filepath.Rel(abs, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if globMatch(strings.Split(pattern, "/"), strings.Split(rel, "/")) {
			out = append(out, cty.StringVal(rel))
		}
		return nil
	})
	if err != nil {
		return cty.DynamicVal, err
	}
	if len(out) == 0 {
		return cty.SetValEmpty(cty.String), nil
	}
	return cty.SetVal(out), nil
}

// globMatch matches path segments against pattern segments; "**" matches
// any number of segments.
func globMatch(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if globMatch(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))), nil
		case ty == cty.String:
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			return stdlib.Strlen(v)
		case ty.IsListType() || ty.IsSetType() || ty.IsMapType():
			return v.Length(), nil
		}
		return cty.UnknownVal(cty.Number), errors.New("argument must be a string, a collection, or a structural type")
	},
})

var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		l := args[0]
		if !(l.Type().IsListType() || l.Type().IsTupleType()) {
			return cty.NilVal, errors.New("argument must be a list or tuple")
		}
		if !l.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		for it := l.ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq, err := stdlib.Equal(v, args[1])
			if err != nil {
				return cty.NilVal, err
			}
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			if ets := ty.TupleElementTypes(); len(ets) == 1 {
				return ets[0], nil
			} else if len(ets) == 0 {
				return cty.DynamicPseudoType, nil
			}
		}
		return cty.NilType, errors.New("must be a list, set or tuple with zero or one element")
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(ret), nil
		}
		switch n := v.LengthInt(); n {
		case 0:
			return cty.NullVal(ret), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, errors.New("must be a list, set or tuple with zero or one element")
	},
})

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if !v.CanIterateElements() || v.LengthInt() == 0 {
			return cty.NilVal, errors.New("cannot sum an empty or non-collection value")
		}
		total := new(big.Float)
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n, err := convert.Convert(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, errors.New("every element must be a number")
			}
			total.Add(total, n.AsBigFloat())
		}
		return cty.NumberVal(total), nil
	},
})

func allAnyFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			if !v.IsWhollyKnown() {
				return cty.UnknownVal(cty.Bool), nil
			}
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.IsNull() {
					continue
				}
				if e.True() != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

func stringPredicate(f func(s, x string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "other", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

func pathFunc(f func(string) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(filepath.ToSlash(f(args[0].AsString()))), nil
		},
	})
}

func hashFunc(h func() hash.Hash, b64 bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s := h()
			s.Write([]byte(args[0].AsString()))
			if b64 {
				return cty.StringVal(base64.StdEncoding.EncodeToString(s.Sum(nil))), nil
			}
			return cty.StringVal(hex.EncodeToString(s.Sum(nil))), nil
		},
	})
}

// replaceFunc is Terraform's replace: a substring, or a regular expression
// when the search string is wrapped in slashes.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "search", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, search, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(search) > 1 && search[0] == '/' && search[len(search)-1] == '/' {
			re, err := regexp.Compile(search[1 : len(search)-1])
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(re.ReplaceAllString(str, repl)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, search, repl)), nil
	},
})

var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.Map(cty.List(cty.String))), nil
		}
		out := map[string][]string{}
		for k, l := range v.AsValueMap() {
			for _, e := range l.AsValueSlice() {
				if e.IsNull() {
					return cty.NilVal, errors.New("lists must not contain null values")
				}
				out[e.AsString()] = append(out[e.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		m := map[string]cty.Value{}
		for k, ks := range out {
			sort.Strings(ks)
			vals := make([]cty.Value, len(ks))
			for i, s := range ks {
				vals[i] = cty.StringVal(s)
			}
			m[k] = cty.ListVal(vals)
		}
		return cty.MapVal(m), nil
	},
})

var arnObjectType = cty.Object(map[string]cty.Type{
	"partition": cty.String, "service": cty.String, "region": cty.String, "account_id": cty.String, "resource": cty.String,
})

// arnBuildFunc and arnParseFunc are the AWS provider's functions of the
// same names.
var arnBuildFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "partition", Type: cty.String}, {Name: "service", Type: cty.String},
		{Name: "region", Type: cty.String}, {Name: "account_id", Type: cty.String}, {Name: "resource", Type: cty.String}},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.AsString()
		}
		return cty.StringVal("arn:" + strings.Join(parts, ":")), nil
	},
})

var arnParseFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "arn", Type: cty.String}},
	Type:   function.StaticReturnType(arnObjectType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		parts := strings.SplitN(args[0].AsString(), ":", 6)
		if len(parts) != 6 || parts[0] != "arn" {
			return cty.NilVal, fmt.Errorf("%q is not an ARN", args[0].AsString())
		}
		return cty.ObjectVal(map[string]cty.Value{
			"partition": cty.StringVal(parts[1]), "service": cty.StringVal(parts[2]), "region": cty.StringVal(parts[3]),
			"account_id": cty.StringVal(parts[4]), "resource": cty.StringVal(parts[5]),
		}), nil
	},
})

var trimRolePathFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "arn", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s := args[0].AsString()
		i := strings.Index(s, ":role/")
		if i < 0 {
			return cty.NilVal, fmt.Errorf("%q is not a role ARN", s)
		}
		name := s[strings.LastIndexByte(s, '/')+1:]
		return cty.StringVal(s[:i] + ":role/" + name), nil
	},
})

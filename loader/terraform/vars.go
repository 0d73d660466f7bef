package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

type cliVar struct{ name, raw string }

type varFile struct {
	name  string
	attrs hcl.Attributes
}

// parseVarOptions reads --var-file files and splits --var values once;
// they apply to every root configuration.
func (l *loader) parseVarOptions() {
	for _, f := range l.opts.VarFiles {
		if vf, ok := l.readVarFile(f); ok {
			l.varFiles = append(l.varFiles, vf)
		}
	}
	for _, s := range l.opts.Vars {
		name, raw, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || !hclsyntax.ValidIdentifier(name) {
			l.errorf(hcl.Range{}, "Invalid --var option", "%q is not NAME=VALUE with NAME a variable name.", s)
			continue
		}
		l.cliVars = append(l.cliVars, cliVar{name: name, raw: raw})
	}
}

func (l *loader) readVarFile(path string) (varFile, bool) {
	data, err := l.readLimited(path)
	if err != nil {
		l.errorf(hcl.Range{Filename: path}, "Cannot read variables file", "%s", err)
		return varFile{}, false
	}
	l.files[path] = data
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(path, ".json") {
		f, diags = hcljson.Parse(data, path)
	} else {
		f, diags = hclsyntax.ParseConfig(data, path, hcl.InitialPos)
	}
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return varFile{}, false
	}
	attrs, diags := f.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	return varFile{name: path, attrs: attrs}, true
}

// rootValues computes the values of a root module's variables in
// Terraform's order of precedence, later sources winning: terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars and *.auto.tfvars.json in lexical
// order, then --var-file and --var options. (Terraform also reads TF_VAR_
// environment variables; iamlint does not, so results do not depend on the
// environment. Terraform applies --var-file and --var in their command-line
// order; here all files come before all single values.)
func (r *root) rootValues() map[string]rootValue {
	l := r.l
	vals := map[string]rootValue{}
	set := func(name string, a *hcl.Attribute, warnUndeclared bool) {
		if r.cfg.vars[name] == nil {
			if warnUndeclared {
				l.warnf(a.NameRange, "Value for undeclared variable", "The root module %s declares no variable %q; the value is ignored.", r.cfg.dir, name)
			}
			return
		}
		l.varsUsed[name] = true
		v, diags := a.Expr.Value(nil)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			v = cty.DynamicVal
		}
		vals[name] = rootValue{val: v, rng: a.Expr.Range()}
	}
	var auto []string
	if entries, err := os.ReadDir(r.cfg.dir); err == nil {
		for _, e := range entries {
			n := e.Name()
			if e.Type().IsRegular() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				auto = append(auto, n)
			}
		}
	}
	sort.Strings(auto)
	for _, n := range append([]string{"terraform.tfvars", "terraform.tfvars.json"}, auto...) {
		path := filepath.Join(r.cfg.dir, n)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		vf, ok := l.readVarFile(path)
		if !ok {
			continue
		}
		for _, name := range keysOf(vf.attrs) {
			set(name, vf.attrs[name], true)
		}
	}
	for _, vf := range l.varFiles {
		for _, name := range keysOf(vf.attrs) {
			set(name, vf.attrs[name], false)
		}
	}
	for _, cv := range l.cliVars {
		d := r.cfg.vars[cv.name]
		if d == nil {
			continue
		}
		l.varsUsed[cv.name] = true
		rng := d.block.DefRange()
		if !d.typed || d.typ.IsPrimitiveType() {
			// Terraform takes a --var value literally for a variable of a
			// primitive type or of no declared type.
			vals[cv.name] = rootValue{val: cty.StringVal(cv.raw), rng: rng}
			continue
		}
		expr, diags := hclsyntax.ParseExpression([]byte(cv.raw), "--var "+cv.name, hcl.InitialPos)
		if !diags.HasErrors() {
			var v cty.Value
			v, diags = expr.Value(nil)
			if !diags.HasErrors() {
				vals[cv.name] = rootValue{val: v, rng: rng}
				continue
			}
		}
		l.errorf(rng, "Invalid --var value", "The value given for %s is not a valid HCL value: %s", cv.name, diags.Error())
	}
	return vals
}

// checkUnusedVars warns about --var and --var-file values no root
// configuration declares.
func (l *loader) checkUnusedVars() {
	for _, cv := range l.cliVars {
		if !l.varsUsed[cv.name] {
			l.warnf(hcl.Range{}, "Value for undeclared variable", "--var %s: no root module declares a variable %q.", cv.name, cv.name)
		}
	}
	for _, vf := range l.varFiles {
		for _, name := range keysOf(vf.attrs) {
			if !l.varsUsed[name] {
				a := vf.attrs[name]
				l.warnf(a.NameRange, "Value for undeclared variable", "No root module declares a variable %q.", name)
			}
		}
	}
}

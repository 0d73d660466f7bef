// Package rego runs custom rules written in Rego (Open Policy Agent's
// language) as ordinary iamlint rules: each rule module becomes a
// *rules.Rule, so configuration, suppressions, severity overrides,
// `iamlint explain` and every report format treat it as a built-in.
//
// A rule is a package under iamlint.rules with a # METADATA block (title,
// description, custom.id, custom.severity) and a partial set rule
// findings whose elements are {"msg": ..., "node": ID}. Rules see the
// input document (input.go) and ask the analyzer through iamlint's
// built-in functions (builtins.go); iamlint maps each finding's node back
// to its source range and logical path. docs/custom-rules.md walks through
// writing one.
//
// Every module is parsed and compiled once, with capabilities that leave
// out network and non-deterministic built-ins (capabilities.go), and each
// rule's query is prepared once; an evaluation runs under a time limit.
package rego

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/iamlint/iamlint/rules"
)

// DefaultTimeout is the time limit of one rule's evaluation.
const DefaultTimeout = 10 * time.Second

// Options configure Load.
type Options struct {
	// Timeout limits each rule's evaluation; 0 means DefaultTimeout.
	Timeout time.Duration
	// Known are the rules custom rules may not collide with, by ID or
	// slug: the built-in rules.
	Known []*rules.Rule
}

// Error is a problem in a rule file, at a position when there is one.
type Error struct {
	File     string
	Row, Col int
	Message  string
}

func (e *Error) Error() string {
	switch {
	case e.File == "":
		return e.Message
	case e.Row == 0:
		return e.File + ": " + e.Message
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Row, e.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Row, e.Col, e.Message)
}

// Errors are the problems found loading rules, in file order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// sortErrors orders errors by file and position.
func sortErrors(errs Errors) {
	slices.SortStableFunc(errs, func(a, b *Error) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Col, b.Col))
	})
}

func errAt(loc *ast.Location, format string, args ...any) *Error {
	e := &Error{Message: fmt.Sprintf(format, args...)}
	if loc != nil {
		e.File, e.Row, e.Col = loc.File, loc.Row, loc.Col
	}
	return e
}

// astErrors turns OPA's errors (parse, compile) into Errors.
func astErrors(err error) Errors {
	var aes ast.Errors
	if !errors.As(err, &aes) {
		return Errors{{Message: err.Error()}}
	}
	var out Errors
	for _, e := range aes {
		out = append(out, errAt(e.Location, "%s", e.Message))
	}
	return out
}

// Set is the custom rules of a run, compiled and prepared.
type Set struct {
	// Rules are the custom rules, sorted by ID.
	Rules []*rules.Rule

	compiler *ast.Compiler
	sections Sections
	timeout  time.Duration

	mu     sync.Mutex
	run    *runState
	evalMu sync.Mutex
}

// ruleDef is one rule module.
type ruleDef struct {
	pkg      string // "iamlint.rules.no_iam_star"
	file     string // the file that holds the metadata
	findings *ast.Location
	pq       rego.PreparedEvalQuery
}

// IDPattern is the form of a rule ID.
var IDPattern = regexp.MustCompile(`^IAM[0-9]{3}$`)

// rulePrefix is the package every rule module is under.
var rulePrefix = ast.MustParseRef("data.iamlint.rules")

// Load reads, checks and compiles the rule modules (*.rego, tests left
// out) of the folders, searched recursively, and prepares each rule's
// query. It returns every problem it finds, each with its file and
// position: a syntax error, a refused built-in, a module without metadata
// or without a findings rule, a bad or taken ID.
func Load(ctx context.Context, dirs []string, opts Options) (*Set, error) {
	files, err := regoFiles(dirs, false)
	if err != nil {
		return nil, err
	}
	mods, errs := parseFiles(files)
	return compileSet(ctx, mods, opts, errs)
}

// regoFiles lists the .rego files of the folders (a file is taken as
// is), sorted, without duplicates; tests are the _test.rego files.
func regoFiles(dirs []string, tests bool) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, dir := range dirs {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		var found []string
		if !st.IsDir() {
			found = append(found, dir)
		} else {
			err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() && path != dir && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				if !d.IsDir() && strings.HasSuffix(path, ".rego") {
					found = append(found, path)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("rules: %w", err)
			}
		}
		n := 0
		for _, f := range found {
			if strings.HasSuffix(f, "_test.rego") != tests {
				continue
			}
			n++
			abs, _ := filepath.Abs(f)
			if !seen[abs] {
				seen[abs] = true
				out = append(out, f)
			}
		}
		if n == 0 && !tests {
			return nil, fmt.Errorf("rules: no .rego rule files in %s", dir)
		}
	}
	slices.Sort(out)
	return out, nil
}

// parseOptions are the parser's: Rego v1, annotations read.
func parseOptions() ast.ParserOptions {
	return ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1, Capabilities: capabilities()}
}

// parseFiles parses the files and refuses the calls of refused
// built-ins.
func parseFiles(files []string) (map[string]*ast.Module, Errors) {
	mods := map[string]*ast.Module{}
	var errs Errors
	popts := parseOptions()
	refused := refusedBuiltins()
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, &Error{File: f, Message: err.Error()})
			continue
		}
		m, err := ast.ParseModuleWithOpts(f, string(src), popts)
		if err != nil {
			errs = append(errs, astErrors(err)...)
			continue
		}
		errs = append(errs, refusedCalls(m, refused)...)
		mods[f] = m
	}
	return mods, errs
}

// refusedCalls finds the calls of refused built-ins in a module.
func refusedCalls(m *ast.Module, refused map[string]string) Errors {
	var out Errors
	check := func(op *ast.Term) {
		name := op.String()
		if r, ok := op.Value.(ast.Ref); ok {
			name = r.String()
		}
		if why, ok := refused[name]; ok {
			out = append(out, errAt(op.Location, "%s is not available to iamlint rules: %s", name, why))
		}
	}
	ast.WalkExprs(m, func(e *ast.Expr) bool {
		if e.IsCall() {
			check(e.OperatorTerm())
		}
		return false
	})
	ast.WalkTerms(m, func(t *ast.Term) bool {
		if c, ok := t.Value.(ast.Call); ok && len(c) > 0 {
			check(c[0])
		}
		return false
	})
	return out
}

// compileSet checks the rule modules, then compiles them with the helper
// modules and makes their rules. prior are the errors of the files that
// did not parse, reported with the problems of the others.
func compileSet(ctx context.Context, mods map[string]*ast.Module, opts Options, prior Errors) (*Set, error) {
	set := &Set{timeout: opts.Timeout}
	if set.timeout <= 0 {
		set.timeout = DefaultTimeout
	}
	var errs Errors
	defs, metas := map[string]*ruleDef{}, map[string]*rules.Meta{}
	var pkgs []string
	files := slices.Sorted(func(yield func(string) bool) {
		for f := range mods {
			if !yield(f) {
				return
			}
		}
	})
	for _, f := range files {
		m := mods[f]
		path := m.Package.Path
		if !path.HasPrefix(rulePrefix) {
			continue // a library module
		}
		if len(path) != len(rulePrefix)+1 {
			errs = append(errs, errAt(m.Package.Location, "package %s: a rule's package is iamlint.rules.NAME, one level below iamlint.rules", strings.TrimPrefix(path.String(), "data.")))
			continue
		}
		pkg := strings.TrimPrefix(path.String(), "data.")
		d := defs[pkg]
		if d == nil {
			d = &ruleDef{pkg: pkg}
			defs[pkg] = d
			pkgs = append(pkgs, pkg)
		}
		for _, r := range m.Rules {
			if r.Head.Ref().Equal(ast.Ref{ast.VarTerm("findings")}) && d.findings == nil {
				d.findings = r.Location
				if r.Head.RuleKind() != ast.MultiValue {
					errs = append(errs, errAt(r.Location, "findings must be a set of objects: findings contains f if { ... }"))
				}
			}
		}
		for _, a := range m.Annotations {
			if a.Scope != "package" {
				continue
			}
			if metas[pkg] != nil {
				errs = append(errs, errAt(a.Location, "package %s has a # METADATA block in %s already", pkg, d.file))
				continue
			}
			meta, e := ruleMeta(pkg, a)
			errs = append(errs, e...)
			metas[pkg], d.file = meta, f
		}
	}
	ids := map[string]string{} // ID or slug → who holds it
	for _, r := range opts.Known {
		ids[r.ID], ids[r.Slug] = "the built-in rule "+r.ID, "the built-in rule "+r.ID
	}
	for _, pkg := range pkgs {
		d, meta := defs[pkg], metas[pkg]
		m := modOf(mods, pkg)
		if meta == nil {
			errs = append(errs, errAt(m.Package.Location, "package %s has no # METADATA block: a rule needs title, description, custom.id and custom.severity (see docs/custom-rules.md)", pkg))
			continue
		}
		if d.findings == nil {
			errs = append(errs, errAt(m.Package.Location, "package %s has no findings rule: findings contains f if { ... }", pkg))
		}
		for _, key := range []string{meta.ID, meta.Slug} {
			if key == "" {
				continue
			}
			if who, taken := ids[key]; taken {
				hint := ""
				if key == meta.ID {
					hint = "; custom rules take IDs in IAM900–IAM999"
				}
				errs = append(errs, errAt(locOf(mods[d.file]), "%s is taken by %s%s", key, who, hint))
				continue
			}
			ids[key] = fmt.Sprintf("%s (%s)", meta.ID, d.file)
		}
	}
	if errs = append(prior, errs...); len(errs) > 0 {
		sortErrors(errs)
		return nil, errs
	}
	caps := capabilities()
	c := ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(false).WithDefaultRegoVersion(ast.RegoV1)
	if c.Compile(mods); c.Failed() {
		return nil, astErrors(c.Errors)
	}
	set.compiler = c
	set.sections = sectionsOf(mods)
	opts2 := builtinOptions()
	for _, pkg := range pkgs {
		d, meta := defs[pkg], metas[pkg]
		q := append([]func(*rego.Rego){
			rego.Compiler(c), rego.Query("data." + pkg + ".findings"), rego.Capabilities(caps), rego.StrictBuiltinErrors(true),
		}, opts2...)
		pq, err := rego.New(q...).PrepareForEval(ctx)
		if err != nil {
			errs = append(errs, &Error{File: d.file, Message: err.Error()})
			continue
		}
		d.pq = pq
		r := &rules.Rule{Meta: *meta}
		r.Check = set.check(d)
		set.Rules = append(set.Rules, r)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	slices.SortFunc(set.Rules, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return set, nil
}

func builtinOptions() []func(*rego.Rego) {
	var out []func(*rego.Rego)
	for _, b := range Builtins() {
		out = append(out, b.option())
	}
	return out
}

// modOf returns the first module (by file) of a package.
func modOf(mods map[string]*ast.Module, pkg string) *ast.Module {
	var best string
	for f, m := range mods {
		if strings.TrimPrefix(m.Package.Path.String(), "data.") == pkg && (best == "" || f < best) {
			best = f
		}
	}
	return mods[best]
}

func locOf(m *ast.Module) *ast.Location {
	if m == nil {
		return nil
	}
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			return a.Location
		}
	}
	return m.Package.Location
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ruleMeta reads a rule's metadata from its package annotations.
func ruleMeta(pkg string, a *ast.Annotations) (*rules.Meta, Errors) {
	var errs Errors
	bad := func(format string, args ...any) { errs = append(errs, errAt(a.Location, format, args...)) }
	seg := pkg[strings.LastIndexByte(pkg, '.')+1:]
	m := &rules.Meta{Slug: strings.ReplaceAll(seg, "_", "-"), Title: strings.TrimSpace(a.Title), Default: true}
	if !slugPattern.MatchString(m.Slug) {
		bad("package %s: the last name makes the rule's slug (%q): use lower-case words joined by _", pkg, m.Slug)
	}
	switch {
	case m.Title == "":
		bad("the # METADATA block of %s has no title", pkg)
	case len([]rune(m.Title)) > 60:
		bad("the title of %s is longer than 60 characters", pkg)
	case strings.HasSuffix(m.Title, "."):
		bad("the title of %s ends with a period", pkg)
	}
	desc := strings.TrimSpace(a.Description)
	if desc == "" {
		bad("the # METADATA block of %s has no description", pkg)
	}
	m.Rationale = desc
	if a.Location != nil {
		m.Source = filepath.ToSlash(a.Location.File)
	}
	id, _ := a.Custom["id"].(string)
	switch {
	case a.Custom["id"] == nil:
		bad("the # METADATA block of %s has no custom.id (IAM plus three digits; custom rules take IAM900–IAM999)", pkg)
	case !IDPattern.MatchString(id):
		bad("custom.id %v of %s is not IAM plus three digits (custom rules take IAM900–IAM999)", a.Custom["id"], pkg)
	}
	m.ID = id
	sev, _ := a.Custom["severity"].(string)
	if a.Custom["severity"] == nil {
		bad("the # METADATA block of %s has no custom.severity (critical, high, medium, low or info)", pkg)
	} else if s, err := rules.ParseSeverity(sev); err != nil {
		bad("custom.severity of %s: %v", pkg, err)
	} else {
		m.Severity = s
	}
	for _, rr := range a.RelatedResources {
		m.References = append(m.References, rr.Ref.String())
	}
	return m, errs
}

// sectionsOf says which sections of the input document the modules
// refer to: input.NAME for each NAME, or all of them when a module uses
// input as a whole.
func sectionsOf(mods map[string]*ast.Module) Sections {
	var s Sections
	note := func(r ast.Ref) {
		if len(r) == 0 || !r[0].Equal(ast.InputRootDocument) {
			return
		}
		if len(r) == 1 {
			s = AllSections
			return
		}
		key, ok := r[1].Value.(ast.String)
		if !ok {
			s = AllSections
			return
		}
		s |= sectionNamed(string(key))
	}
	var visit func(x any) bool
	visit = func(x any) bool {
		switch x := x.(type) {
		case ast.Ref:
			note(x)
			for _, t := range x[1:] {
				ast.NewGenericVisitor(visit).Walk(t)
			}
			return true
		case ast.Var:
			if ast.InputRootDocument.Value.Compare(x) == 0 {
				s = AllSections // input as a whole
			}
		}
		return false
	}
	for _, m := range mods {
		ast.NewGenericVisitor(visit).Walk(m)
	}
	return s
}

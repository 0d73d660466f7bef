package rego

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/iamlint/iamlint/loader"
	"github.com/iamlint/iamlint/rules"
)

// Testing custom rules: `iamlint rules test DIR...` runs the tests of the
// _test.rego files under the folders with OPA's tester, against inputs
// built from fixture folders.
//
// A fixture is a folder DIR/fixtures/NAME/ of inputs iamlint reads
// (Terraform, policy JSON, account dumps, ...). Loaded with iamlint's
// loader and analyzed, it becomes the input document
// data.fixtures.NAME (data.fixtures["NAME"] when NAME is not an
// identifier), so a test evaluates a rule on it with
//
//	findings := my_rule.findings with input as data.fixtures.NAME
//
// The built-in functions (iamlint.allows, ...) answer about the fixture
// the test refers to, so a test may refer to one fixture (directly, or
// through the helper rules of its package); tests that refer to none
// cannot call them.

// DefaultTestTimeout is the time limit of one test.
const DefaultTestTimeout = 10 * time.Second

// TestOptions configure Test.
type TestOptions struct {
	// Timeout limits each test; 0 means DefaultTestTimeout.
	Timeout time.Duration
	// Now is the reference date of the fixtures' input documents; zero
	// means today.
	Now time.Time
	// Known are the built-in rules, whose IDs and slugs custom rules may
	// not take.
	Known []*rules.Rule
}

// TestResult is the outcome of one test.
type TestResult struct {
	// Name is the test's full name: data.PACKAGE.test_NAME.
	Name     string
	File     string
	Row      int
	Fixture  string // "" when the test uses none
	Pass     bool
	Skip     bool
	Err      error // the test could not be evaluated
	Output   []byte
	Duration time.Duration
	FailedAt string // the expression that was false, with its position
}

// fixturePrefix is where fixtures are in data.
var fixturePrefix = ast.MustParseRef("data.fixtures")

// Test runs the tests of the folders' _test.rego files. The rules of the
// folders are checked as Load checks them; an error is returned for
// problems with the rules, tests or fixtures, results for tests that ran.
func Test(ctx context.Context, dirs []string, opts TestOptions) ([]*TestResult, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTestTimeout
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	ruleFiles, err := regoFiles(dirs, false)
	if err != nil {
		return nil, err
	}
	testFiles, err := regoFiles(dirs, true)
	if err != nil {
		return nil, err
	}
	if len(testFiles) == 0 {
		return nil, fmt.Errorf("rules: no _test.rego files in %s", strings.Join(dirs, ", "))
	}
	ruleMods, errs := parseFiles(ruleFiles)
	testMods, terrs := parseFiles(testFiles)
	if _, err := compileSet(ctx, ruleMods, Options{Known: opts.Known}, append(errs, terrs...)); err != nil {
		return nil, err
	}
	fixtures, err := fixtureDirs(dirs)
	if err != nil {
		return nil, err
	}
	tests, err := testFixtures(testMods)
	if err != nil {
		return nil, err
	}
	// Load the fixtures the tests use.
	data := map[string]any{}
	byFixture := map[string]*facts{}
	for _, t := range tests {
		name := t.fixture
		if name == "" || byFixture[name] != nil {
			continue
		}
		dir, ok := fixtures[name]
		if !ok {
			return nil, errAt(t.loc, "%s uses the fixture %q, but there is no folder fixtures/%s in %s", t.name, name, name, strings.Join(dirs, ", "))
		}
		in, doc, err := loadFixture(ctx, dir, opts.Now)
		if err != nil {
			return nil, err
		}
		data[name] = doc
		byFixture[name] = newFacts(in)
	}
	store := inmem.NewFromObject(map[string]any{"fixtures": data})
	all := map[string]*ast.Module{}
	for f, m := range ruleMods {
		all[f] = m
	}
	for f, m := range testMods {
		all[f] = m
	}
	// One run of the tester per fixture: the built-ins read the fixture's
	// facts from the context.
	groups := map[string][]string{}
	for _, t := range tests {
		groups[t.fixture] = append(groups[t.fixture], regexp.QuoteMeta(t.name)+`(#\d+)?`)
	}
	var out []*TestResult
	for _, fixture := range slices.Sorted(func(yield func(string) bool) {
		for k := range groups {
			if !yield(k) {
				return
			}
		}
	}) {
		caps := capabilities()
		var builtins []*tester.Builtin
		for _, b := range Builtins() {
			builtins = append(builtins, &tester.Builtin{Decl: b.decl(), Func: b.option()})
		}
		r := tester.NewRunner().
			SetCompiler(ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(true).WithDefaultRegoVersion(ast.RegoV1)).
			SetStore(store).
			SetModules(cloneModules(all)).
			AddCustomBuiltins(builtins).
			SetTimeout(opts.Timeout).
			CapturePrintOutput(true).
			RaiseBuiltinErrors(true).
			SetParallel(1).
			Filter("^(?:" + strings.Join(groups[fixture], "|") + ")$")
		rctx := ctx
		if f := byFixture[fixture]; f != nil {
			rctx = withFacts(ctx, f)
		}
		ch, err := r.RunTests(rctx, nil)
		if err != nil {
			return nil, astErrors(err)
		}
		for res := range ch {
			tr := &TestResult{Name: res.Package + "." + res.Name, Fixture: fixture, Pass: res.Pass(), Skip: res.Skip, Err: res.Error, Output: res.Output, Duration: res.Duration}
			if res.Location != nil {
				tr.File, tr.Row = res.Location.File, res.Location.Row
			}
			if tr.Err != nil {
				tr.Pass = false
			}
			out = append(out, tr)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Row < out[j].Row
	})
	return out, nil
}

// cloneModules copies the modules, which a compiler rewrites.
func cloneModules(mods map[string]*ast.Module) map[string]*ast.Module {
	out := make(map[string]*ast.Module, len(mods))
	for f, m := range mods {
		out[f] = m.Copy()
	}
	return out
}

// fixtureDirs finds the fixture folders: DIR/fixtures/NAME for each DIR.
func fixtureDirs(dirs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(filepath.Join(dir, "fixtures"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			p := filepath.Join(dir, "fixtures", e.Name())
			if prev, dup := out[e.Name()]; dup {
				return nil, fmt.Errorf("rules: two fixtures are named %q: %s and %s", e.Name(), prev, p)
			}
			out[e.Name()] = p
		}
	}
	return out, nil
}

// loadFixture loads a fixture folder as iamlint check would, and returns
// its rule input and its input document as plain JSON values.
func loadFixture(ctx context.Context, dir string, now time.Time) (*rules.Input, any, error) {
	m, diags := loader.Load(ctx, []string{dir}, loader.Options{})
	if diags.HasErrors() {
		var errs Errors
		for _, d := range diags {
			if d.Severity != hcl.DiagError {
				continue
			}
			e := &Error{File: dir, Message: "fixture: " + d.Summary}
			if d.Detail != "" {
				e.Message += ": " + d.Detail
			}
			if d.Subject != nil {
				e.File, e.Row, e.Col = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
			}
			errs = append(errs, e)
		}
		return nil, nil, errs
	}
	in := rules.NewInput(m, diags)
	if len(in.Files()) == 0 {
		return nil, nil, fmt.Errorf("rules: the fixture %s holds no input iamlint reads", dir)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(BuildInput(in, now, AllSections)); err != nil {
		return nil, nil, err
	}
	var doc any
	if err := util.UnmarshalJSON(buf.Bytes(), &doc); err != nil {
		return nil, nil, err
	}
	return in, doc, nil
}

// testRef is a test rule and the fixture it uses.
type testRef struct {
	name    string // full name, data.pkg.test_x
	fixture string
	loc     *ast.Location
}

// testFixtures finds the test rules and the fixture each refers to,
// directly or through the other rules of its package.
func testFixtures(mods map[string]*ast.Module) ([]testRef, error) {
	var out []testRef
	var errs Errors
	for _, f := range slices.Sorted(func(yield func(string) bool) {
		for k := range mods {
			if !yield(k) {
				return
			}
		}
	}) {
		m := mods[f]
		pkg := m.Package.Path.String()
		// The fixtures and the same-package rules each rule refers to.
		direct := map[string]map[string]bool{}
		deps := map[string]map[string]bool{}
		names := map[string]bool{}
		for _, r := range m.Rules {
			names[ruleName(r)] = true
		}
		for _, r := range m.Rules {
			n := ruleName(r)
			if direct[n] == nil {
				direct[n], deps[n] = map[string]bool{}, map[string]bool{}
			}
			ast.NewGenericVisitor(func(x any) bool {
				switch x := x.(type) {
				case ast.Ref:
					if x.HasPrefix(fixturePrefix) && len(x) > len(fixturePrefix) {
						if s, ok := x[len(fixturePrefix)].Value.(ast.String); ok {
							direct[n][string(s)] = true
						} else {
							direct[n]["*"] = true
						}
					}
				case ast.Var:
					if names[string(x)] && string(x) != n {
						deps[n][string(x)] = true
					}
				}
				return false
			}).Walk(r)
		}
		for _, r := range m.Rules {
			n := ruleName(r)
			if !strings.HasPrefix(n, tester.TestPrefix) {
				continue
			}
			used := map[string]bool{}
			seen := map[string]bool{}
			var walk func(string)
			walk = func(name string) {
				if seen[name] {
					return
				}
				seen[name] = true
				for fx := range direct[name] {
					used[fx] = true
				}
				for d := range deps[name] {
					walk(d)
				}
			}
			walk(n)
			list := slices.Sorted(func(yield func(string) bool) {
				for k := range used {
					if !yield(k) {
						return
					}
				}
			})
			full := pkg + "." + n
			switch {
			case slices.Contains(list, "*"):
				errs = append(errs, errAt(r.Location, "%s names a fixture with a variable: name it, data.fixtures.NAME, so that the built-ins know which model to answer about", full))
				continue
			case len(list) > 1:
				errs = append(errs, errAt(r.Location, "%s uses the fixtures %s: a test uses one fixture, which the built-ins answer about", full, strings.Join(list, " and ")))
				continue
			}
			t := testRef{name: full, loc: r.Location}
			if len(list) == 1 {
				t.fixture = list[0]
			}
			if i := slices.IndexFunc(out, func(o testRef) bool { return o.name == t.name }); i >= 0 && out[i].fixture != t.fixture {
				errs = append(errs, errAt(r.Location, "%s is also the name of a test that uses another fixture: rename one", full))
				continue
			}
			out = append(out, t)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// ruleName is the first name of a rule's head: "test_x" for
// test_x if { ... }.
func ruleName(r *ast.Rule) string {
	ref := r.Head.Ref()
	if len(ref) == 0 {
		return ""
	}
	switch v := ref[0].Value.(type) {
	case ast.Var:
		return string(v)
	case ast.String:
		return string(v)
	}
	return ""
}

package builtin

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/tools/txtar"

	"github.com/iamlint/iamlint/rules"
)

// TestAccountConfiguredCases runs the account rules (IAM350–IAM399) on the
// cases in testdata/<ID>/configured/, which need what the shared harness
// (TestRules) cannot give yet:
//
//   - a reference date: a comment line "now: 2025-06-15" (TestRules runs
//     with today's date, so age-based rules can only be tested there with
//     dates far in the past or the future);
//   - rule options: comment lines "option: days = 30" (HCL values);
//   - inputs whose files the loader merges away (a password policy or an
//     account summary joined to the account of a credential report leaves
//     no object of its own, which TestRules' load check rejects).
//
// Expectations are written as in TestRules.
func TestAccountConfiguredCases(t *testing.T) {
	for _, rule := range accountRules() {
		paths, err := filepath.Glob(filepath.Join("testdata", rule.ID, "configured", "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			t.Run(rule.ID+"/"+strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
				ar, err := txtar.ParseFile(path)
				if err != nil {
					t.Fatal(err)
				}
				var now time.Time
				opts := map[string]cty.Value{}
				for _, line := range strings.Split(string(ar.Comment), "\n") {
					line = strings.TrimSpace(line)
					if v, ok := strings.CutPrefix(line, "now:"); ok {
						if now, err = time.Parse("2006-01-02", strings.TrimSpace(v)); err != nil {
							t.Fatalf("%s: now: %v", path, err)
						}
					}
					if v, ok := strings.CutPrefix(line, "option:"); ok {
						name, val, _ := strings.Cut(v, "=")
						expr, diags := hclsyntax.ParseExpression([]byte(strings.TrimSpace(val)), path, hcl.InitialPos)
						if diags.HasErrors() {
							t.Fatalf("%s: option: %v", path, diags)
						}
						cv, diags := expr.Value(nil)
						if diags.HasErrors() {
							t.Fatalf("%s: option: %v", path, diags)
						}
						opts[strings.TrimSpace(name)] = cv
					}
				}
				c := caseOf(t, path, ar, true)
				for _, w := range c.wants {
					if w.id != rule.ID {
						t.Errorf("want %s names another rule", w.text)
					}
				}
				in := c.load(t)
				for _, d := range in.Diags {
					if d.Severity == hcl.DiagError {
						t.Errorf("%s: load error: %s", path, d.Error())
					}
				}
				r := rules.Runner{Rules: []*rules.Rule{rule}, Now: now,
					Options: func(_ *rules.Rule, name string) (cty.Value, bool) {
						v, ok := opts[name]
						return v, ok
					}}
				fs, err := r.Run(context.Background(), in)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range fs {
					checkMessage(t, f)
				}
				compare(t, fs, c.wants)
			})
		}
	}
}

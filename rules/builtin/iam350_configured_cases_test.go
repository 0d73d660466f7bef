package builtin

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/tools/txtar"
)

// TestAccountConfiguredCases runs the account rules (IAM350–IAM399) on the
// cases in testdata/<ID>/configured/: inputs whose files the loader merges
// away (a password policy or an account summary joined to the account of
// a credential report leaves no object of its own, which TestRules' load
// check rejects). Dates and options are set as in TestRules.
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
				compare(t, runCase(t, c, in, rule), c.wants)
			})
		}
	}
}

package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/iamlint/iamlint/rules/builtin"
	"github.com/iamlint/iamlint/rules/rego"
)

// newRulesTestCmd is `iamlint rules test`: the custom rules' tests.
func newRulesTestCmd(app *App) *cobra.Command {
	var now string
	var timeout time.Duration
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run the tests of custom Rego rules",
		Long: `test runs the tests (test_* rules) of the _test.rego files in each DIR and
its subfolders with OPA's tester, after checking the rules as 'iamlint check
--rules DIR' does.

Tests evaluate rules on fixtures: each folder DIR/fixtures/NAME holds inputs
iamlint reads (Terraform, policy JSON, account dumps, credential reports),
which iamlint loads and analyzes into the input document data.fixtures.NAME:

  test_unbounded_ci_role if {
      some f in ci_role_boundary.findings with input as data.fixtures.ci_roles
      f.node == "aws_iam_role.deploy"
  }

iamlint's built-in functions (iamlint.allows, ...) answer about the fixture
the test uses, so a test uses one fixture. See docs/custom-rules.md.

Exit status: 0 when every test passes, 1 when one fails or errs, 2 when the
rules, tests or fixtures have mistakes.`,
		Example: `  iamlint rules test examples/rego
  iamlint rules test -v policy/iamlint`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			opts := rego.TestOptions{Timeout: timeout, Known: builtin.All()}
			if now != "" {
				d, err := time.Parse(time.DateOnly, now)
				if err != nil {
					return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--now %s: not a date; write it as YYYY-MM-DD", now)}
				}
				opts.Now = d
			}
			results, err := rego.Test(cmd.Context(), dirs, opts)
			if err != nil {
				var errs rego.Errors
				if errors.As(err, &errs) {
					err = fmt.Errorf("the custom rules have mistakes:\n  %s", strings.ReplaceAll(errs.Error(), "\n", "\n  "))
				}
				return &ExitError{Code: ExitFailure, Err: err}
			}
			return app.printTestResults(results, verbose)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&now, "now", "", "reference `DATE` (YYYY-MM-DD) of the fixtures' input documents (input.now; default today)")
	fl.DurationVar(&timeout, "timeout", rego.DefaultTestTimeout, "time limit of each test")
	fl.BoolVarP(&verbose, "verbose", "v", false, "list every test, not only the failures")
	return cmd
}

func (app *App) printTestResults(results []*rego.TestResult, verbose bool) error {
	pass, fail, skip := 0, 0, 0
	for _, r := range results {
		fixture := ""
		if r.Fixture != "" {
			fixture = " [fixture " + r.Fixture + "]"
		}
		status := "PASS"
		switch {
		case r.Skip:
			status = "SKIP"
			skip++
		case r.Err != nil:
			status = "ERROR"
			fail++
		case !r.Pass:
			status = "FAIL"
			fail++
		default:
			pass++
		}
		if status == "PASS" && !verbose {
			continue
		}
		fmt.Fprintf(app.Stdout, "%s %s (%s:%d)%s\n", status, r.Name, r.File, r.Row, fixture)
		if r.Err != nil {
			fmt.Fprintf(app.Stdout, "  %s\n", strings.ReplaceAll(r.Err.Error(), "\n", "\n  "))
		}
		if len(r.Output) > 0 && status != "PASS" {
			fmt.Fprintf(app.Stdout, "  output:\n    %s\n", strings.ReplaceAll(strings.TrimRight(string(r.Output), "\n"), "\n", "\n    "))
		}
	}
	summary := fmt.Sprintf("%d passed, %d failed", pass, fail)
	if skip > 0 {
		summary += fmt.Sprintf(", %d skipped", skip)
	}
	fmt.Fprintf(app.Stdout, "%s (%d tests)\n", summary, len(results))
	if fail > 0 {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

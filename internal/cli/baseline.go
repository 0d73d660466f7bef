package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/iamlint/iamlint/reports"
	"github.com/iamlint/iamlint/rules"
)

// This file holds check's --baseline and --write-baseline (see
// reports.Baseline for the file).

// readBaseline reads the --baseline file; a file that is missing or not a
// baseline is a usage error.
func readBaseline(name string) (*reports.Baseline, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, usageError(fmt.Errorf("--baseline: %v (write one with 'iamlint check --write-baseline %s PATH...')", err, name))
	}
	b, err := reports.ReadBaseline(name, data)
	if err != nil {
		return nil, usageError(err)
	}
	return b, nil
}

// applyBaseline moves the findings the baseline holds to the suppressed
// ones, and warns about its entries that matched nothing.
func applyBaseline(b *reports.Baseline, name string, findings, suppressed []rules.Finding, diags []reports.Diagnostic) ([]rules.Finding, []rules.Finding, []reports.Diagnostic) {
	kept, old, stale := b.Apply(findings)
	if len(old) > 0 {
		suppressed = append(suppressed, old...)
		rules.SortFindings(suppressed)
	}
	if n := len(stale); n > 0 {
		diags = append(diags, reports.Diagnostic{Severity: reports.DiagWarning, Message: fmt.Sprintf(
			"the baseline %s holds %d %s that no longer %s (fixed, or moved to another address); 'iamlint check --write-baseline %s' with the same paths rewrites it",
			name, n, plural(n, "finding", "findings"), plural(n, "occurs", "occur"), name)})
	}
	return kept, suppressed, diags
}

// writeBaseline records the findings in the file name ("-": standard
// output) instead of reporting them. It fails (exit 2) when inputs did
// not load or a rule failed, since the baseline would then miss their
// findings; it is written all the same, and the problems are listed on
// standard error.
func (app *App) writeBaseline(name string, in *rules.Input, findings []rules.Finding, diags []reports.Diagnostic) error {
	dir, _ := os.Getwd()
	b := reports.NewBaseline(reports.Tool{Name: "iamlint", Version: Version()}, findings, dir)
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if name == "-" {
		if _, err := app.Stdout.Write(buf.Bytes()); err != nil {
			return &ExitError{Code: ExitFailure, Err: err}
		}
	} else if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--write-baseline: %v", err)}
	}
	failed := in.Diags.HasErrors()
	for _, f := range findings {
		if f.RuleID == "IAM000" {
			fmt.Fprintf(app.Stderr, "%s: error: %s\n", findingPos(f), f.Message)
		}
	}
	for _, d := range diags {
		if d.Severity != reports.DiagError {
			continue
		}
		failed = true
		loc := ""
		if d.Range != nil {
			loc = fmt.Sprintf("%s:%d:%d: ", d.Range.Filename, d.Range.Start.Line, d.Range.Start.Column)
		}
		fmt.Fprintf(app.Stderr, "%serror: %s\n", loc, d.Message)
	}
	where := name
	if name == "-" {
		where = "standard output"
	}
	fmt.Fprintf(app.Stderr, "iamlint: recorded %d %s in %s\n", len(findings), plural(len(findings), "finding", "findings"), where)
	if failed {
		fmt.Fprintln(app.Stderr, "iamlint: some inputs did not load or a rule failed; the baseline lacks their findings")
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

func findingPos(f rules.Finding) string {
	return fmt.Sprintf("%s:%d:%d", f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column)
}

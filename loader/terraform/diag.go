package terraform

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

func (l *loader) diag(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, format string, args ...any) {
	d := &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: fmt.Sprintf(format, args...)}
	if rng.Filename != "" {
		r := rng
		d.Subject = &r
	}
	l.diags = append(l.diags, d)
}

func (l *loader) errorf(rng hcl.Range, summary, format string, args ...any) {
	l.diag(hcl.DiagError, rng, summary, format, args...)
}

// warnf reports a warning. hcl has no informational severity, so the
// notices the loader gives about what it could not resolve (an unresolved
// value, a remote module) are warnings with a fixed summary.
func (l *loader) warnf(rng hcl.Range, summary, format string, args ...any) {
	l.diag(hcl.DiagWarning, rng, summary, format, args...)
}

// finishDiags removes duplicates (a block evaluated once per instance
// reports the same problem each time), turns calls of functions iamlint
// does not implement into warnings (the value is then unknown, which is
// not the configuration's fault) and sorts by position.
func (l *loader) finishDiags() hcl.Diagnostics {
	type key struct {
		sev             hcl.DiagnosticSeverity
		summary, detail string
		rng             hcl.Range
	}
	seen := map[key]bool{}
	out := make(hcl.Diagnostics, 0, len(l.diags))
	for _, d := range l.diags {
		if d == nil {
			continue
		}
		if d.Severity == hcl.DiagError && d.Summary == "Call to unknown function" {
			c := *d
			c.Severity = hcl.DiagWarning
			c.Summary = "Unsupported function"
			c.Detail = l.unknownFunction(d.Detail) + " iamlint does not implement it; values depending on it are unknown."
			d = &c
		}
		k := key{sev: d.Severity, summary: d.Summary, detail: d.Detail}
		if d.Subject != nil {
			k.rng = *d.Subject
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		// Diagnostics keep references to evaluation contexts and
		// expressions for rich rendering; drop them so the model does not
		// pin the whole evaluation in memory.
		c := *d
		c.Expression, c.EvalContext = nil, nil
		out = append(out, &c)
	}
	iam.SortDiagnostics(out)
	return out
}

// unknownFunctionDetail is hclsyntax's text for a call of a function the
// evaluation context lacks, with its suggestion.
var unknownFunctionDetail = regexp.MustCompile(`^There is no function named "([^"]*)"\.(?: Did you mean "[^"]*"\?)?$`)

// unknownFunction rewrites that text with a suggestion of its own:
// hclsyntax offers the first close name in map order, so two runs could
// suggest different functions. This one is the closest, ties broken
// alphabetically.
func (l *loader) unknownFunction(detail string) string {
	detail = strings.TrimSpace(detail)
	m := unknownFunctionDetail.FindStringSubmatch(detail)
	if m == nil {
		return detail
	}
	name := m[1]
	names := slices.Sorted(maps.Keys((&root{l: l}).functions()))
	best, bestDist := "", 3 // hclsyntax's threshold: fewer than 3 edits
	for _, n := range names {
		if d := catalog.EditDistance(name, n, bestDist); d < bestDist {
			best, bestDist = n, d
		}
	}
	out := fmt.Sprintf("There is no function named %q.", name)
	if best != "" {
		out += fmt.Sprintf(" Did you mean %q?", best)
	}
	return out
}

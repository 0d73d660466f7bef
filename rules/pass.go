package rules

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/catalog"
)

// Pass is one rule's view of one run: the input, the service catalog, and
// the way to report.
type Pass struct {
	Context context.Context
	Rule    *Rule
	Input   *Input
	Catalog *catalog.Catalog

	findings []Finding
	files    map[string]*PolicyFile // Input.Files by path
}

// Reportf reports a finding at rng, the element at fault. The message is
// one lower-case sentence without a trailing period naming the concrete
// action, resource or key.
func (p *Pass) Reportf(rng hcl.Range, format string, args ...any) {
	p.ReportRelatedf(rng, nil, format, args...)
}

// ReportRelatedf is Reportf with related locations that explain the
// finding (the statement's Action element, the Version, ...).
func (p *Pass) ReportRelatedf(rng hcl.Range, related []Related, format string, args ...any) {
	f := Finding{
		RuleID:   p.Rule.ID,
		Severity: p.Rule.Severity,
		Message:  fmt.Sprintf(format, args...),
		Range:    rng,
		Related:  related,
	}
	path, stable, text := rng.Filename, rng.Filename, ""
	if file := p.files[rng.Filename]; file != nil {
		path += "#" + file.Pointer(rng)
		stable += "#" + file.stablePointer(rng)
		text = file.text(rng)
	}
	f.Path = path
	f.Fingerprint = fingerprint(p.Rule.ID, stable, text)
	p.findings = append(p.findings, f)
}

func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Runner applies rules to inputs.
type Runner struct {
	Rules   []*Rule
	Catalog *catalog.Catalog // catalog.Default() when nil
}

// RuleError is the failure of one rule: an error it returned or a panic.
type RuleError struct {
	RuleID, Slug string
	Err          error
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("rule %s (%s) failed: %v", e.RuleID, e.Slug, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// Run runs every rule on in and returns the findings sorted by file, line,
// column and rule ID. A failing rule does not stop the others: its
// findings are dropped and its failure is one *RuleError in the returned
// error (an errors.Join of all failures).
func (r *Runner) Run(ctx context.Context, in *Input) ([]Finding, error) {
	cat := r.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	files := make(map[string]*PolicyFile, len(in.Files))
	for _, f := range in.Files {
		files[f.Path] = f
	}
	var all []Finding
	var errs []error
	for _, rule := range r.Rules {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pass := &Pass{Context: ctx, Rule: rule, Input: in, Catalog: cat, files: files}
		if err := runOne(pass); err != nil {
			errs = append(errs, &RuleError{RuleID: rule.ID, Slug: rule.Slug, Err: err})
			continue
		}
		all = append(all, pass.findings...)
	}
	SortFindings(all)
	return all, errors.Join(errs...)
}

func runOne(p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	if p.Rule.Check == nil {
		return errors.New("rule has no Check function")
	}
	return p.Rule.Check(p)
}

// SortFindings orders findings by file, line, column and rule ID, then by
// message, so that output is deterministic.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.Range.Filename != b.Range.Filename:
			return a.Range.Filename < b.Range.Filename
		case a.Range.Start.Line != b.Range.Start.Line:
			return a.Range.Start.Line < b.Range.Start.Line
		case a.Range.Start.Column != b.Range.Start.Column:
			return a.Range.Start.Column < b.Range.Start.Column
		case a.RuleID != b.RuleID:
			return a.RuleID < b.RuleID
		}
		return a.Message < b.Message
	})
}

// Enabled returns the rules enabled by default, in order.
func Enabled(rs []*Rule) []*Rule {
	var out []*Rule
	for _, r := range rs {
		if r.Default {
			out = append(out, r)
		}
	}
	return out
}

// Lookup finds a rule by ID or slug, ignoring case.
func Lookup(rs []*Rule, name string) *Rule {
	for _, r := range rs {
		if strings.EqualFold(r.ID, name) || strings.EqualFold(r.Slug, name) {
			return r
		}
	}
	return nil
}

package rules

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/iamlint/iamlint/iam/catalog"
)

// Pass is one rule's view of one run: the input, the service catalog, and
// the way to report.
type Pass struct {
	Context context.Context
	Rule    *Rule
	Input   *Input // Input.Model is the whole model
	Catalog *catalog.Catalog

	findings []Finding
	docs     []*Document    // the document of each finding, nil for none
	seen     map[string]int // findings per stable address, for fingerprints
	options  func(r *Rule, name string) (cty.Value, bool)
	now      time.Time
	root     string // see Runner.Root
}

// Now is the date age-based rules measure from: the configured one
// (--now, or now in .iamlint.hcl), else the current day in UTC.
func (p *Pass) Now() time.Time {
	if !p.now.IsZero() {
		return p.now
	}
	return time.Now().UTC().Truncate(24 * time.Hour)
}

// Option returns a rule option: its configured value, else its default
// from the rule's Meta.Options. It panics on an option the rule does not
// declare, which the rule tests catch.
func (p *Pass) Option(name string) cty.Value {
	if p.options != nil {
		if v, ok := p.options(p.Rule, name); ok {
			return v
		}
	}
	for _, o := range p.Rule.Options {
		if o.Name == name {
			v, err := o.DefaultValue()
			if err != nil {
				panic(fmt.Sprintf("rule %s: option %s: %v", p.Rule.ID, name, err))
			}
			return v
		}
	}
	panic(fmt.Sprintf("rule %s has no option %q", p.Rule.ID, name))
}

// IntOption is Option for a whole number; a configured value that is not
// one yields the default.
func (p *Pass) IntOption(name string) int {
	v := p.Option(name)
	if v.Type() == cty.Number && v.IsKnown() && !v.IsNull() {
		if n, acc := v.AsBigFloat().Int64(); acc == 0 {
			return int(n)
		}
	}
	d, _ := p.defaultOf(name).(int)
	return d
}

// StringsOption is Option for a list of strings.
func (p *Pass) StringsOption(name string) []string {
	v := p.Option(name)
	if !v.IsKnown() || v.IsNull() || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
		d, _ := p.defaultOf(name).([]string)
		return d
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.Type() == cty.String && e.IsKnown() && !e.IsNull() {
			out = append(out, e.AsString())
		}
	}
	return out
}

func (p *Pass) defaultOf(name string) any {
	for _, o := range p.Rule.Options {
		if o.Name == name {
			v, _ := o.DefaultValue()
			switch {
			case v.Type() == cty.Number:
				n, _ := v.AsBigFloat().Int64()
				return int(n)
			case v.Type().IsListType() || v.Type().IsTupleType():
				var out []string
				for it := v.ElementIterator(); it.Next(); {
					_, e := it.Element()
					out = append(out, e.AsString())
				}
				return out
			}
		}
	}
	return nil
}

// Reportf reports a finding at rng, the element at fault in doc. The
// message is one lower-case sentence without a trailing period naming the
// concrete action, resource or key. doc is nil for a finding that belongs
// to no document (a file that did not load).
func (p *Pass) Reportf(doc *Document, rng hcl.Range, format string, args ...any) {
	p.ReportRelatedf(doc, rng, nil, format, args...)
}

// ReportRelatedf is Reportf with related locations that explain the
// finding (the statement's Action element, the Version, ...).
func (p *Pass) ReportRelatedf(doc *Document, rng hcl.Range, related []Related, format string, args ...any) {
	f := Finding{
		RuleID:   p.Rule.ID,
		Severity: p.Rule.Severity,
		Message:  fmt.Sprintf(format, args...),
		Range:    rng,
		Related:  related,
	}
	var stable string
	if doc == nil {
		// No element to name: the file and the message identify it.
		f.Path = rng.Filename
		stable = rng.Filename + "\x00" + f.Message
	} else {
		el := doc.elements().locate(rng)
		f.Path, stable = doc.Addr, doc.Addr
		if len(el) > 0 {
			f.Path += pathSep + el.render(false)
			stable += pathSep + el.render(true)
		}
	}
	stable = TrimRoot(p.root, stable)
	// The n-th finding of this rule at the same address gets n in its
	// fingerprint, so that fingerprints stay unique.
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	n := p.seen[stable]
	p.seen[stable]++
	f.Fingerprint = fingerprint(p.Rule.ID, stable, strconv.Itoa(n))
	p.findings = append(p.findings, f)
	p.docs = append(p.docs, doc)
}

// ReportAt reports a finding about a model object rather than a policy
// element: a principal, an account, a credential. addr is the object's
// address and path the chain that explains the finding (principal →
// group → attachment → policy → statement; addr alone when there is
// none); key tells several findings of the rule on one object apart (an
// action, a technique) and, with addr, makes the fingerprint, so it must
// not hold line numbers or dates.
func (p *Pass) ReportAt(addr, path, key string, rng hcl.Range, related []Related, format string, args ...any) {
	f := Finding{
		RuleID:   p.Rule.ID,
		Severity: p.Rule.Severity,
		Message:  fmt.Sprintf(format, args...),
		Range:    rng,
		Related:  related,
		Path:     path,
	}
	if f.Path == "" {
		f.Path = addr
	}
	stable := TrimRoot(p.root, addr+"\x00"+key)
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	n := p.seen[stable]
	p.seen[stable]++
	f.Fingerprint = fingerprint(p.Rule.ID, stable, strconv.Itoa(n))
	p.findings = append(p.findings, f)
	p.docs = append(p.docs, nil)
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
	// Options returns the configured value of a rule option, if any
	// (from .iamlint.hcl); nil means every option has its default.
	Options func(r *Rule, name string) (cty.Value, bool)
	// Now is the date age-based rules measure from; zero means today.
	Now time.Time
	// Root, when set, is the folder the inputs were read from: the
	// fingerprints hash file names (and Terraform module folders) relative
	// to it, so that the findings of two copies of a tree match (iamlint
	// diff). Ranges, paths and messages keep the names as read.
	Root string
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
//
// A document several owners share (one policy document data source used
// by two roles) is checked once per owner; findings that are the same
// (rule, range and message) are reported once, at the first owner, with
// the other owners as related locations.
func (r *Runner) Run(ctx context.Context, in *Input) ([]Finding, error) {
	cat := r.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	// The rules are independent and read a shared input whose lazy parts
	// (the analysis, each document's element index) are built once under
	// sync.Once: run them side by side, and gather in rule order so that
	// the result does not depend on scheduling.
	passes := make([]*Pass, len(r.Rules))
	errs := make([]error, len(r.Rules))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(r.Rules)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				rule := r.Rules[i]
				pass := &Pass{Context: ctx, Rule: rule, Input: in, Catalog: cat, options: r.Options, now: r.Now, root: r.Root}
				if err := runOne(pass); err != nil {
					errs[i] = &RuleError{RuleID: rule.ID, Slug: rule.Slug, Err: err}
					continue
				}
				passes[i] = pass
			}
		}()
	}
	for i := range r.Rules {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []Finding
	var docs []*Document
	for _, pass := range passes {
		if pass != nil {
			all = append(all, pass.findings...)
			docs = append(docs, pass.docs...)
		}
	}
	all = mergeShared(all, docs)
	SortFindings(all)
	return all, errors.Join(errs...)
}

// mergeShared folds findings that are the same into the first one; docs
// holds the document of each finding.
func mergeShared(fs []Finding, docs []*Document) []Finding {
	type key struct {
		rule, file, msg string
		start, end      int
	}
	first := map[key]int{} // index in out
	out := fs[:0:0]
	var outDocs []*Document
	for i, f := range fs {
		k := key{f.RuleID, f.Range.Filename, f.Message, f.Range.Start.Byte, f.Range.End.Byte}
		j, dup := first[k]
		if !dup {
			first[k] = len(out)
			out = append(out, f)
			outDocs = append(outDocs, docs[i])
			continue
		}
		d, kept := docs[i], outDocs[j]
		if d != nil && kept != nil && d.Addr != kept.Addr {
			out[j].Related = append(slices.Clip(out[j].Related), Related{Range: d.ownerRange, Message: "also used by " + d.Addr})
		}
	}
	return out
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

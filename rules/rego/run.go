package rego

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/iamlint/iamlint/rules"
)

// runState is what the rules of a run share: the input document (built
// once, as an AST value, with the sections the rules refer to), the
// facts the built-ins answer from, and the locator of the findings.
type runState struct {
	in    *rules.Input
	now   time.Time
	input ast.Value
	facts *facts
	loc   *locator
}

// state returns the shared state for an input, built on the first call.
func (s *Set) state(in *rules.Input, now time.Time) *runState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run != nil && s.run.in == in && s.run.now.Equal(now) {
		return s.run
	}
	s.run = &runState{in: in, now: now, facts: newFacts(in), input: runInput(in, now, s.sections), loc: newLocator(in)}
	return s.run
}

// Sections returns the sections of the input document the rules refer
// to.
func (s *Set) Sections() Sections { return s.sections }

// check is a rule's Check: evaluate its findings under the time limit,
// then report each at its node.
func (s *Set) check(d *ruleDef) func(*rules.Pass) error {
	return func(p *rules.Pass) error {
		st := s.state(p.Input, p.Now())
		// The input's lazy sections fill in as rules read them: one
		// evaluation at a time (the rules of a run go side by side). The
		// time limit starts once this rule's turn comes.
		s.evalMu.Lock()
		ctx, cancel := context.WithTimeout(p.Context, s.timeout)
		rs, err := d.pq.Eval(withFacts(ctx, st.facts), rego.EvalParsedInput(st.input))
		cancel()
		s.evalMu.Unlock()
		switch {
		case err != nil && ctx.Err() == context.DeadlineExceeded && p.Context.Err() == nil:
			return fmt.Errorf("%s: the evaluation was stopped at the time limit of %s (--rule-timeout)", d.where(), s.timeout)
		case err != nil:
			return fmt.Errorf("%s: %w", d.where(), evalError(err))
		}
		if len(rs) == 0 || len(rs[0].Expressions) == 0 {
			return nil // findings is undefined: no finding
		}
		list, ok := rs[0].Expressions[0].Value.([]any)
		if !ok {
			return fmt.Errorf("%s: findings is not a set", d.where())
		}
		var fs []*result
		for _, v := range list {
			r, err := parseResult(v)
			if err != nil {
				return fmt.Errorf("%s: %v", d.where(), err)
			}
			fs = append(fs, r)
		}
		// Report in a fixed order whatever the set's: the n-th finding at
		// one address is fingerprinted with n.
		slices.SortFunc(fs, func(a, b *result) int {
			return strings.Compare(a.node+"\x00"+a.element+"\x00"+a.msg, b.node+"\x00"+b.element+"\x00"+b.msg)
		})
		for _, r := range fs {
			if err := report(p, st.loc, r); err != nil {
				return fmt.Errorf("%s: %v", d.where(), err)
			}
		}
		return nil
	}
}

// where names the rule's findings rule, file:row.
func (d *ruleDef) where() string {
	if d.findings != nil {
		return fmt.Sprintf("%s:%d", d.findings.File, d.findings.Row)
	}
	return d.file
}

// evalError shortens OPA's evaluation errors to their message with its
// position.
func evalError(err error) error {
	var te *topdown.Error
	if errors.As(err, &te) {
		if te.Location != nil {
			return fmt.Errorf("%s:%d:%d: %s", te.Location.File, te.Location.Row, te.Location.Col, te.Message)
		}
		return errors.New(te.Message)
	}
	return err
}

// result is one element of a rule's findings.
type result struct {
	msg, node, element, key string
	related                 []relatedRef
}

type relatedRef struct{ node, element, msg string }

// parseResult checks the shape of a finding: {"msg": string, "node": ID}
// with optional "element" (a statement's element: "Action[1]"), "key"
// (tells several findings on one node apart in fingerprints; the message
// by default) and "related" (IDs, or objects {"node", "msg",
// "element"}).
func parseResult(v any) (*result, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a finding must be an object {\"msg\": ..., \"node\": ...}, not %s", show(v))
	}
	r := &result{}
	for k, x := range obj {
		var err error
		switch k {
		case "msg":
			r.msg, err = stringField(x, k)
		case "node":
			r.node, err = stringField(x, k)
		case "element":
			r.element, err = stringField(x, k)
		case "key":
			r.key, err = stringField(x, k)
		case "related":
			r.related, err = relatedOf(x)
		default:
			err = fmt.Errorf("a finding has msg, node and optionally element, key and related, not %q", k)
		}
		if err != nil {
			return nil, fmt.Errorf("%v in finding %s", err, show(v))
		}
	}
	switch {
	case strings.TrimSpace(r.msg) == "":
		return nil, fmt.Errorf("finding %s has no msg", show(v))
	case r.node == "":
		return nil, fmt.Errorf("finding %s has no node (the ID of the node at fault)", show(v))
	}
	return r, nil
}

func stringField(x any, name string) (string, error) {
	s, ok := x.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string, not %s", name, show(x))
	}
	return s, nil
}

func relatedOf(x any) ([]relatedRef, error) {
	list, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("related must be an array of IDs or {\"node\", \"msg\"} objects, not %s", show(x))
	}
	var out []relatedRef
	for _, e := range list {
		switch e := e.(type) {
		case string:
			out = append(out, relatedRef{node: e})
		case map[string]any:
			var r relatedRef
			for k, v := range e {
				var err error
				switch k {
				case "node":
					r.node, err = stringField(v, k)
				case "msg":
					r.msg, err = stringField(v, k)
				case "element":
					r.element, err = stringField(v, k)
				default:
					err = fmt.Errorf("a related entry has node and optionally msg and element, not %q", k)
				}
				if err != nil {
					return nil, err
				}
			}
			if r.node == "" {
				return nil, fmt.Errorf("related entry %s has no node", show(e))
			}
			out = append(out, r)
		default:
			return nil, fmt.Errorf("related entries are IDs or {\"node\", \"msg\"} objects, not %s", show(e))
		}
	}
	return out, nil
}

// show renders a value of a result as Rego would.
func show(v any) string {
	t, err := ast.InterfaceToValue(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := t.String()
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// report reports one finding at its node.
func report(p *rules.Pass, l *locator, r *result) error {
	at, err := l.locate(r.node, r.element)
	if err != nil {
		return err
	}
	var related []rules.Related
	for _, rr := range r.related {
		loc, err := l.locate(rr.node, rr.element)
		if err != nil {
			return fmt.Errorf("related: %v", err)
		}
		if loc.rng.Filename == "" {
			continue
		}
		msg := rr.msg
		if msg == "" {
			msg = loc.label
		}
		related = append(related, rules.Related{Range: loc.rng, Message: msg})
	}
	if at.rng.Filename == "" && len(related) > 0 {
		// No position of its own (an AWS managed policy): the first
		// related one.
		at.rng, related = related[0].Range, related[1:]
	}
	if at.doc != nil {
		p.ReportRelatedf(at.doc, at.rng, related, "%s", r.msg)
		return nil
	}
	key := r.key
	if key == "" {
		key = r.msg
	}
	p.ReportAt(at.addr, at.addr, r.element+"\x00"+key, at.rng, related, "%s", r.msg)
	return nil
}

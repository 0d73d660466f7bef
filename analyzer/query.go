package analyzer

import "github.com/iamlint/iamlint/iam"

// MoveFinder finds the Become moves between users and roles — role
// assumption and the escalation techniques by which one principal gains
// another's permissions — for queries that walk them themselves (who can
// reach a given principal, the shortest path between two), as the
// escalation search does: backwards, from the principal reached.
type MoveFinder struct {
	c       *checker
	holders map[string][]*Node
}

// MoveFinder returns a finder for the analysis.
func (a *Analysis) MoveFinder() *MoveFinder {
	c := &checker{a: a, cat: a.cat}
	return &MoveFinder{c: c, holders: c.holders(a.Graph.Principals())}
}

// Into returns the moves by which the principals that want accepts gain
// q's permissions, in no particular order.
func (f *MoveFinder) Into(q *Node, want func(*Node) bool) []*Move {
	if f.c.a.perms[q] == nil {
		return nil
	}
	return f.c.into(q, f.holders, want)
}

// DecideStep decides a step of a move again for the principal that makes
// it (the move's From), with the condition keys the technique settles,
// and returns the evaluator's answer: its statements say what enables the
// step. An sts:AssumeRole step of a can-assume move is better explained
// by Explain, which includes the trust policy.
func (p *Permissions) DecideStep(s Step) iam.PartialResult {
	return p.decideWith(s.Action, s.Resource, s.Context)
}

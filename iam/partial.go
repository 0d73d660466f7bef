package iam

import (
	"strings"

	"github.com/iamlint/iamlint/iam/glob"
)

// Tri is a three-valued answer: a request is allowed in every context that
// agrees with what is known, in none, or in some.
type Tri uint8

// Three-valued answers.
const (
	No Tri = iota
	Maybe
	Yes
)

func (t Tri) String() string {
	switch t {
	case Yes:
		return "yes"
	case Maybe:
		return "conditional"
	}
	return "no"
}

func and(a, b Tri) Tri { return min(a, b) }
func or(a, b Tri) Tri  { return max(a, b) }
func not(a Tri) Tri    { return Yes - a }

// PartialResult is the outcome of EvaluatePartial.
type PartialResult struct {
	// Allowed is Yes when the request is allowed whatever the unknown
	// parts of the request turn out to be, No when it is allowed in no
	// case, Maybe when that depends on them.
	Allowed Tri
	// Best is the decision when every statement that may apply does so
	// for allows and not for denies; Worst the reverse. They are equal
	// unless Allowed is Maybe.
	Best, Worst Result
}

// EvaluatePartial decides a request whose context is only partly known:
// what a static analysis knows about a principal (its ARN, account, tags)
// but not what a caller will send (MFA, source IP, request tags).
//
// known reports whether a condition key is settled by req.Context: its
// value there, or its absence, is what every real request would carry. A
// clause on any other key may hold or not. Values the loaders could not
// determine (Value.Unknown, such as "${var.bucket_arn}") may match
// whatever their symbolic parts could stand for, and match for sure only
// when the request holds the same text. With known nil every key is
// known and the result is Evaluate's.
//
// A statement that may apply counts towards allowing the request in Best
// and against it in Worst; the request is allowed for sure (Yes) when even
// Worst allows it. Statements are weighed independently, so two
// statements on the same condition can leave a Maybe where a human would
// see the outcome is fixed; the answer errs that way, never the other.
func EvaluatePartial(req *Request, set *PolicySet, known func(key string) bool) PartialResult {
	r := newRequestView(req)
	if r.action == "sts:getcalleridentity" {
		return PartialResult{Allowed: Yes, Best: callerIdentityResult, Worst: callerIdentityResult}
	}
	if known == nil {
		res := r.decide(set, r.collect(set), modeExact)
		t := No
		if res.Decision == Allowed {
			t = Yes
		}
		return PartialResult{Allowed: t, Best: res, Worst: res}
	}
	r.known = known
	ev := r.collect(set)
	out := PartialResult{Best: r.decide(set, ev, modeOptimistic), Worst: r.decide(set, ev, modePessimistic)}
	switch {
	case out.Worst.Decision == Allowed:
		out.Allowed = Yes
	case out.Best.Decision == Allowed:
		out.Allowed = Maybe
	}
	return out
}

// appliesTri is applies for a partly known request.
func (r *requestView) appliesTri(cs *compiledStmt, vars bool) Tri {
	if cs.st.Effect == EffectInvalid {
		return No
	}
	act := No
	for i := range cs.actions {
		a := &cs.actions[i]
		if a.service != "" && a.service != r.actionService && !a.unknown {
			continue
		}
		act = or(act, a.matchTri(r.action))
		if act == Yes {
			break
		}
	}
	if cs.notAction {
		act = not(act)
	}
	if act == No {
		return No
	}
	if cs.hasResource {
		res, unsettled := No, false
		for i := range cs.resources {
			c := &cs.resources[i]
			m, ok := r.resourceTri(c, vars)
			if !ok && cs.notResource {
				return No
			}
			// A variable without a settled value may turn out to have
			// none, which makes a NotResource statement inapplicable.
			unsettled = unsettled || (vars && !c.static && !c.unknown && !r.allKnown(c.text))
			res = or(res, m)
			if res == Yes {
				break
			}
		}
		if cs.notResource {
			res = not(res)
			if unsettled {
				res = min(res, Maybe)
			}
		}
		act = and(act, res)
		if act == No {
			return No
		}
	}
	for _, c := range cs.st.Condition.Clauses {
		act = and(act, r.conditionTri(c, vars))
		if act == No {
			return No
		}
	}
	return act
}

// matchTri matches an action pattern; a value the loader could not
// determine may match whatever its symbolic parts stand for.
func (a *compiledAction) matchTri(action string) Tri {
	if a.pat.Match(action, false) {
		return Yes
	}
	if a.unknown && a.loose.Match(action, false) {
		return Maybe
	}
	return No
}

// resourceTri matches one Resource entry; ok is false when a variable
// settled by the context has no value (see compiledResource.match).
func (r *requestView) resourceTri(c *compiledResource, vars bool) (t Tri, ok bool) {
	if c.unknown {
		switch {
		case c.text == r.resource:
			return Yes, true
		case c.loose.Match(r.resource, false):
			return Maybe, true
		}
		return No, true
	}
	if vars && !c.static && !r.allKnown(c.text) {
		if c.loose.Match(r.resource, false) {
			return Maybe, true
		}
		return No, true
	}
	m, ok := c.match(r.resource, r.ctx, vars)
	if m {
		return Yes, ok
	}
	return No, ok
}

// conditionTri decides one clause when its key, and every variable in its
// values, is settled; otherwise it may hold or not.
func (r *requestView) conditionTri(c *Condition, vars bool) Tri {
	if !r.known(c.Key) {
		return Maybe
	}
	for _, v := range c.Values {
		if v.Unknown || (vars && HasVariable(v.Text) && !r.allKnown(v.Text)) {
			return Maybe
		}
	}
	if EvalCondition(c, r.ctx, vars) {
		return Yes
	}
	return No
}

// allKnown reports whether every policy variable in text is a settled key.
func (r *requestView) allKnown(text string) bool {
	for _, key := range VariableKeys(text) {
		if !r.known(key) {
			return false
		}
	}
	return true
}

// VariableKeys lists the keys of the policy variables in text, skipping
// the ${*}, ${?} and ${$} escapes.
func VariableKeys(text string) []string {
	var keys []string
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			return keys
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return keys
		}
		inner := text[i+2 : i+j]
		text = text[i+j+1:]
		if inner != "*" && inner != "?" && inner != "$" {
			key, _, _ := parseVariable(inner)
			keys = append(keys, key)
		}
	}
}

// Loose replaces every ${...} of text (a symbolic part a loader could not
// determine, or a policy variable) with '*': the wildcard pattern of what
// the text may stand for.
func Loose(text string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		j := -1
		if i >= 0 {
			j = strings.IndexByte(text[i:], '}')
		}
		if j < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		b.WriteByte('*')
		text = text[i+j+1:]
	}
}

// loosePattern compiles Loose(text).
func loosePattern(text string) glob.Pattern { return glob.Compile(Loose(text)) }

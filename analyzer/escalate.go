package analyzer

import (
	"strings"
	"sync"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

// TechniqueKind says what a privilege-escalation technique achieves.
type TechniqueKind uint8

// Technique kinds.
const (
	// Become: the actor gains the permissions of another principal (its
	// credentials, a session, or code running as it).
	Become TechniqueKind = iota
	// Empower: the actor can give a principal (itself, or one it can
	// become) any permissions it likes.
	Empower
)

func (k TechniqueKind) String() string {
	if k == Empower {
		return "empower"
	}
	return "become"
}

// Technique is a known way to gain permissions. ID is stable and never
// reused; Refs name it in the public catalogues (Rhino Security Labs'
// numbered methods, BishopFox iam-vulnerable's privesc paths).
type Technique struct {
	ID          string
	Name        string
	Kind        TechniqueKind
	Actions     []string
	Description string
	Refs        []string
}

// Step is one permission a move needs, as the actor's policies decide it.
type Step struct {
	Action   string
	Resource string
	// Context holds the condition keys the technique itself settles
	// (iam:PassedToService, iam:PolicyARN), in pairs.
	Context []string
	Allowed iam.Tri
}

// Move is one hop of an escalation path: From uses a technique to gain
// the permissions of To (Become) or to give To any permissions (Empower;
// To may be From itself).
type Move struct {
	From, To  *Node
	Technique *Technique
	// Allowed is the weakest of the steps: Yes when every step is
	// certainly allowed, Maybe when some depend on the request.
	Allowed iam.Tri
	Steps   []Step
	// Via is the object the technique works through, when there is one: a
	// group, a managed policy, a workload, an instance profile.
	Via *Node
	// Assumption is set for sts:AssumeRole moves.
	Assumption *Assumption
}

// Escalation is a principal's shortest way to more permissions.
type Escalation struct {
	Principal *Node
	// Moves run from Principal to the principal whose permissions it
	// ends up with; the last move may be an Empower, which makes its
	// target an administrator.
	Moves []*Move
	// Admin says the path ends with administrator permissions (Maybe:
	// under conditions); No means it ends at a principal that merely has
	// permissions the start lacks, listed in Gains.
	Admin iam.Tri
	Gains catalog.Set
}

// Allowed is the weakest of the moves.
func (e *Escalation) Allowed() iam.Tri {
	t := iam.Yes
	for _, m := range e.Moves {
		t = min(t, m.Allowed)
	}
	return t
}

// Target is the principal whose permissions the path ends with.
func (e *Escalation) Target() *Node {
	if len(e.Moves) == 0 {
		return e.Principal
	}
	return e.Moves[len(e.Moves)-1].To
}

// checker decides technique steps for one analysis.
type checker struct {
	a   *Analysis
	cat *catalog.Catalog
	// own caches the steps of a technique that do not depend on the
	// target (creating the function, the stack, ...), per actor.
	own sync.Map // ownKey → []Step
	// out caches each principal's Become moves for the forward search.
	out sync.Map // *Node → []*Move
	// free caches decisions that do not depend on the resource.
	free sync.Map // freeKey → iam.Tri
}

type ownKey struct {
	p *Permissions
	t *technique
}

// step decides one permission of an actor, with the keys the technique
// settles. The action sets answer most questions without the evaluator.
func (c *checker) step(p *Permissions, action, resource string, kv ...string) Step {
	st := Step{Action: action, Resource: resource, Context: kv}
	act := c.cat.Action(action)
	if act != nil && !p.Actions.Has(act.Index) {
		return st
	}
	if act != nil && p.Full.Has(act.Index) {
		st.Allowed = iam.Yes
		return st
	}
	if act != nil && !p.mayCover(act, resource) {
		return st
	}
	if act != nil && p.resourceFree(act) {
		// Every statement on the action applies to every resource: the
		// answer is the same whatever the resource, so decide it once.
		key := freeKey{p, act.Index, strings.Join(kv, "\x00")}
		if v, ok := c.free.Load(key); ok {
			st.Allowed = v.(iam.Tri)
			return st
		}
		st.Allowed = p.decideWith(action, resource, kv).Allowed
		c.free.Store(key, st.Allowed)
		return st
	}
	st.Allowed = p.decideWith(action, resource, kv).Allowed
	return st
}

type freeKey struct {
	p      *Permissions
	action int
	kv     string
}

// resourceFree reports whether every statement of p that may cover the
// action applies to every resource, so that its decisions on that action
// do not depend on the resource.
func (p *Permissions) resourceFree(act *catalog.Action) bool {
	for _, list := range [][]*Grant{p.Allows, p.Denies, p.Bounds} {
		for _, g := range list {
			if g.sets.possible.Has(act.Index) && !g.sets.allResources {
				return false
			}
		}
	}
	return true
}

// mayCover reports whether some allow statement of p for the action may
// match the resource: a cheap test that spares the evaluator most
// (principal, target) pairs.
func (p *Permissions) mayCover(act *catalog.Action, resource string) bool {
	for _, g := range p.Allows {
		if !g.sets.possible.Has(act.Index) {
			continue
		}
		res, not := g.Statement.Resources()
		if g.sets.allResources || not {
			return true
		}
		for _, v := range res.Values {
			switch {
			case v.Unknown:
				if iam.MatchResource(loose(v.Text), resource, nil, false) {
					return true
				}
			case iam.HasVariable(v.Text):
				if iam.MatchResource(v.Text, resource, p.known, true) ||
					(!p.settles(v.Text) && iam.MatchResource(loose(v.Text), resource, nil, false)) {
					return true
				}
			case iam.MatchResource(v.Text, resource, nil, false):
				return true
			}
		}
	}
	return false
}

// settles reports whether the principal settles every policy variable in
// text.
func (p *Permissions) settles(text string) bool {
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			return true
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return true
		}
		key, _, _ := strings.Cut(text[i+2:i+j], ",")
		if key != "*" && key != "?" && key != "$" && !p.knownKey(key) {
			return false
		}
		text = text[i+j+1:]
	}
}

// stepAny decides an action on a resource the actor creates and may name
// as it likes (a new function, stack or pipeline): the best answer over
// "*" and a witness of each resource pattern that grants the action.
func (c *checker) stepAny(p *Permissions, action string, kv ...string) Step {
	best := c.step(p, action, "*", kv...)
	act := c.cat.Action(action)
	if act == nil || best.Allowed == iam.Yes || !p.Actions.Has(act.Index) {
		return best
	}
	for _, g := range p.Allows {
		if !g.sets.possible.Has(act.Index) {
			continue
		}
		res, not := g.Statement.Resources()
		if not {
			continue
		}
		for _, v := range res.Values {
			w := witness(v.Text)
			if st := c.step(p, action, w, kv...); st.Allowed > best.Allowed {
				best = st
			}
		}
	}
	return best
}

// witness is a resource name a wildcard pattern matches: every wildcard
// (and symbolic part) filled with a fixed word.
func witness(pattern string) string {
	s := loose(pattern)
	s = strings.ReplaceAll(s, "*", "iamlint")
	return strings.ReplaceAll(s, "?", "x")
}

// decideWith is Decide with condition keys the caller settles.
func (p *Permissions) decideWith(action, resource string, kv []string) iam.PartialResult {
	if len(kv) == 0 {
		return p.Decide(action, resource)
	}
	id := identityOf(p.Principal)
	ctx := p.known.Clone()
	extra := map[string]bool{}
	for i := 0; i+1 < len(kv); i += 2 {
		ctx.Set(kv[i], kv[i+1])
		extra[strings.ToLower(kv[i])] = true
	}
	req := &iam.Request{Principal: id.ARN, Action: action, Resource: resource, Context: ctx, ResourceAccount: accountOf(id)}
	set := p.Set
	set.Resource = delegation(accountOf(id))
	return iam.EvaluatePartial(req, &set, func(k string) bool { return extra[strings.ToLower(k)] || p.knownKey(k) })
}

// move builds a move from steps; nil when a step is not allowed.
func move(t *Technique, from, to, via *Node, steps ...Step) *Move {
	m := &Move{From: from, To: to, Technique: t, Via: via, Allowed: iam.Yes, Steps: steps}
	for _, s := range steps {
		m.Allowed = min(m.Allowed, s.Allowed)
	}
	if m.Allowed == iam.No {
		return nil
	}
	return m
}

// best returns the first of the alternatives with the strongest answer.
func best(alts ...Step) Step {
	b := alts[0]
	for _, s := range alts[1:] {
		if s.Allowed > b.Allowed {
			b = s
		}
	}
	return b
}

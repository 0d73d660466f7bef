package analyzer

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/iam/glob"
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
	// (iam:PassedToService, iam:PolicyARN, iam:PermissionsBoundary), in
	// pairs; an empty value says the request does not carry the key.
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
	// ends up with. The path ends with the Empower moves that make that
	// principal an administrator, if any: one Empower (or a guardrail
	// taken off, then possibly an Empower) on the principal itself, or an
	// Empower on another principal followed by the Become move onto it.
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
	// target (creating the function, the stack, ...), by technique and
	// the actor's node index; filled on first use.
	ownOnce sync.Once
	own     [][]atomic.Pointer[[]Step]
	// keys holds the catalog indexes of each technique's key actions, by
	// technique index; filled on first use.
	keysOnce sync.Once
	keys     [][]int
	// out caches each principal's Become moves for the forward search.
	out sync.Map // *Node → []*Move
	// free caches decisions that do not depend on the resource.
	free sync.Map // freeKey → iam.Tri
}

// ownSteps returns the steps of a technique that creates a resource
// (see created), decided once per actor.
func (c *checker) ownSteps(p *Permissions, t *technique, specs []string) []Step {
	if p.derived {
		return c.created(p, specs) // not a principal's own permissions: not cached
	}
	c.ownOnce.Do(func() {
		c.own = make([][]atomic.Pointer[[]Step], len(techniqueByID))
		for _, t := range techniqueByID {
			if t.service != "" {
				c.own[t.index] = make([]atomic.Pointer[[]Step], len(c.a.Graph.Nodes))
			}
		}
	})
	slot := &c.own[t.index][p.Principal.index]
	if v := slot.Load(); v != nil {
		return *v
	}
	steps := c.created(p, specs)
	slot.Store(&steps)
	return steps
}

// step decides one permission of an actor, with the keys the technique
// settles. The action sets answer most questions without the evaluator.
func (c *checker) step(p *Permissions, action, resource string, kv ...string) Step {
	st := Step{Action: action, Resource: resource, Context: kv}
	act := c.cat.Action(action)
	if act != nil && !p.Actions.Has(act.Index) {
		return st
	}
	if foreign(p, resource) {
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

// foreign reports whether a resource is in another account than the
// actor's, both known. Decide answers as if the resource's policy let the
// actor's account in, but the techniques act on IAM resources, which have
// no resource-based policy (a role cannot even be passed to another
// account), and on workloads whose resource policies the model does not
// hold; by default none of them accepts another account's calls.
func foreign(p *Permissions, resource string) bool {
	theirs := iam.AccountOf(resource)
	if theirs == "" {
		return false
	}
	mine := accountOf(identityOf(p.Principal))
	return iam.IsAccountID(mine) && mine != theirs
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
		// Patterns without variables match as plain globs, which need
		// no compiling.
		for _, v := range res.Values {
			switch {
			case v.Unknown:
				if glob.MatchString(iam.Loose(v.Text), resource, false) {
					return true
				}
			case iam.HasVariable(v.Text):
				if iam.MatchResource(v.Text, resource, p.known, true) ||
					(!p.settles(v.Text) && glob.MatchString(iam.Loose(v.Text), resource, false)) {
					return true
				}
			case glob.MatchString(v.Text, resource, false):
				return true
			}
		}
	}
	return false
}

// settles reports whether the principal settles every policy variable in
// text.
func (p *Permissions) settles(text string) bool {
	for _, key := range iam.VariableKeys(text) {
		if !p.knownKey(key) {
			return false
		}
	}
	return true
}

// created decides the steps of a technique that creates a resource and
// then acts on it (a function it creates and invokes, a pipeline it
// creates, defines and activates): each spec is an action, or "a|b" when
// either will do, and every step is decided on the same resource, which
// the actor may name as it likes. The candidates are "*" and a witness of
// each resource pattern that allows one of the actions; the answer is the
// candidate whose weakest step is strongest, so actions granted on
// disjoint names (create build-*, invoke test-*) do not add up.
func (c *checker) created(p *Permissions, specs []string) []Step {
	cands := []string{"*"}
	for _, spec := range specs {
		for _, a := range strings.Split(spec, "|") {
			act := c.cat.Action(a)
			if act == nil || !p.Actions.Has(act.Index) {
				continue
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
					if w := witness(v.Text); !slices.Contains(cands, w) {
						cands = append(cands, w)
					}
				}
			}
		}
	}
	var out []Step
	weakest := iam.No
	for _, r := range cands {
		steps := make([]Step, len(specs))
		t := iam.Yes
		for i, spec := range specs {
			var alts []Step
			for _, a := range strings.Split(spec, "|") {
				alts = append(alts, c.step(p, a, r))
			}
			steps[i] = best(alts...)
			t = min(t, steps[i].Allowed)
		}
		if out == nil || t > weakest {
			out, weakest = steps, t
		}
		if t == iam.Yes {
			break
		}
	}
	return out
}

// witness is a resource name a wildcard pattern matches: every wildcard
// (and symbolic part) filled with a fixed word.
func witness(pattern string) string {
	s := iam.Loose(pattern)
	s = strings.ReplaceAll(s, "*", "iamlint")
	return strings.ReplaceAll(s, "?", "x")
}

// decideWith is Decide with condition keys the caller settles.
func (p *Permissions) decideWith(action, resource string, kv []string) iam.PartialResult {
	id := identityOf(p.Principal)
	set := p.Set
	set.Resource = delegation(accountOf(id))
	req := &iam.Request{Principal: id.ARN, Action: action, Resource: resource, Context: p.known, ResourceAccount: accountOf(id)}
	if len(kv) == 0 {
		return iam.EvaluatePartial(req, &set, p.knownKey)
	}
	ctx := p.known.Clone()
	extra := map[string]bool{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			ctx.Set(kv[i], kv[i+1])
		}
		extra[strings.ToLower(kv[i])] = true
	}
	req.Context = ctx
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

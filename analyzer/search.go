package analyzer

import (
	"slices"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

// Techniques returns every escalation technique the analyzer knows.
func Techniques() []*Technique {
	out := make([]*Technique, len(techniques))
	for i, t := range techniques {
		out[i] = &t.Technique
	}
	return out
}

// techniqueByID indexes techniques; filled by init, since the techniques'
// own functions look themselves up here.
var techniqueByID map[string]*technique

func init() {
	techniqueByID = make(map[string]*technique, len(techniques))
	for _, t := range techniques {
		if techniqueByID[t.ID] != nil {
			panic("analyzer: duplicate technique " + t.ID)
		}
		techniqueByID[t.ID] = t
	}
}

func (c *checker) tech(id string) *Technique {
	t := techniqueByID[id]
	if t == nil {
		panic("analyzer: unknown technique " + id)
	}
	return &t.Technique
}

// Escalations returns, for every principal that can gain permissions it
// does not have, its shortest escalation path, in principal order. It is
// computed on first use.
func (a *Analysis) Escalations() []*Escalation {
	a.escOnce.Do(a.search)
	return a.escalations
}

// EscalationOf returns a principal's escalation, or nil.
func (a *Analysis) EscalationOf(n *Node) *Escalation {
	a.escOnce.Do(a.search)
	return a.escByNode[n]
}

// terminal is how a principal ends up an administrator by itself: it is
// one, or it can give itself (or a role it assumes) any permissions.
type terminal struct {
	admin iam.Tri
	moves []*Move
}

// search finds the escalations: terminals first, then a breadth-first
// search backwards from them over Become moves, so every principal gets
// its shortest path to administrator; then, for principals with no such
// path, a bounded forward search for a principal with permissions they
// lack.
func (a *Analysis) search() {
	c := &checker{a: a, cat: a.cat}
	principals := a.Graph.Principals()
	terms := make([]*terminal, len(principals))
	parallel(len(principals), func(i int) { terms[i] = c.terminal(a.perms[principals[i]]) })

	type visit struct {
		next  *Move // first move of the path; nil at a terminal
		term  *terminal
		depth int
	}
	seen := map[*Node]*visit{}
	var queue []*Node
	for i, n := range principals {
		if terms[i] != nil {
			seen[n] = &visit{term: terms[i]}
			queue = append(queue, n)
		}
	}
	holders := c.holders(principals)
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		v := seen[q]
		for _, m := range c.into(q, holders, func(n *Node) bool { return seen[n] == nil }) {
			if seen[m.From] != nil {
				continue
			}
			seen[m.From] = &visit{next: m, term: v.term, depth: v.depth + 1}
			queue = append(queue, m.From)
		}
	}

	a.escByNode = map[*Node]*Escalation{}
	for _, n := range principals {
		v := seen[n]
		if v == nil {
			continue
		}
		if v.next == nil && v.term.moves == nil {
			continue // an administrator already: nothing to gain
		}
		e := &Escalation{Principal: n, Admin: v.term.admin}
		for cur := n; seen[cur].next != nil; cur = seen[cur].next.To {
			e.Moves = append(e.Moves, seen[cur].next)
		}
		e.Moves = append(e.Moves, v.term.moves...)
		a.escByNode[n] = e
	}
	// Principals with no path to administrator: the nearest principal
	// with more permissions, through at least one escalation technique.
	var rest []*Node
	for _, n := range principals {
		if seen[n] == nil {
			rest = append(rest, n)
		}
	}
	found := make([]*Escalation, len(rest))
	parallel(len(rest), func(i int) { found[i] = c.gain(rest[i], holders) })
	for i, e := range found {
		if e != nil {
			a.escByNode[rest[i]] = e
		}
	}
	for _, n := range principals {
		if e := a.escByNode[n]; e != nil {
			a.escalations = append(a.escalations, e)
		}
	}
}

// holders indexes, for each technique's key action, the principals whose
// policies may allow it.
func (c *checker) holders(principals []*Node) map[string][]*Node {
	out := map[string][]*Node{}
	for _, t := range techniques {
		if t.key == "" || out[t.key] != nil {
			continue
		}
		act := c.cat.Action(t.key)
		list := []*Node{}
		for _, n := range principals {
			if act != nil && c.a.perms[n].Actions.Has(act.Index) {
				list = append(list, n)
			}
		}
		out[t.key] = list
	}
	return out
}

// into returns the Become moves by which a principal that want accepts
// gains q's permissions.
func (c *checker) into(q *Node, holders map[string][]*Node, want func(*Node) bool) []*Move {
	var out []*Move
	for _, as := range c.a.assumers[q] {
		if want(as.From) {
			m := move(c.tech("sts-assume-role"), as.From, q, nil, Step{Action: "sts:AssumeRole", Resource: identityOf(q).ARN, Allowed: as.Allowed})
			m.Assumption = as
			out = append(out, m)
		}
	}
	for _, t := range techniques {
		if t.Kind != Become || t.key == "" || !c.isCandidate(t, q) {
			continue
		}
		for _, p := range holders[t.key] {
			if p != q && want(p) {
				out = append(out, t.check(c, c.a.perms[p], q)...)
			}
		}
	}
	return out
}

func targets(t *technique, q *Node) bool {
	switch t.target {
	case KindUser:
		return q.User != nil
	case KindRole:
		return q.Role != nil
	}
	return q.User != nil || q.Role != nil
}

// terminal decides whether p is, or can make itself, an administrator.
func (c *checker) terminal(p *Permissions) *terminal {
	if p.Admin != iam.No {
		return &terminal{admin: p.Admin}
	}
	var best *terminal
	consider := func(moves []*Move, admin iam.Tri) {
		for _, m := range moves {
			admin = min(admin, m.Allowed)
		}
		if admin != iam.No && (best == nil || admin > best.admin) {
			best = &terminal{admin: admin, moves: moves}
		}
	}
	self := p.Principal
	for _, t := range techniques {
		if t.Kind != Empower || !targets(t, self) || !c.mayUse(p, t) {
			continue
		}
		for _, m := range t.check(c, p, self) {
			admin, extra := c.ceiling(p, self)
			m.Steps = append(m.Steps, extra...)
			consider([]*Move{m}, admin)
		}
	}
	if best != nil && best.admin == iam.Yes {
		return best
	}
	// Empower a role the principal can assume, then assume it.
	for _, as := range c.a.assumable[self] {
		for _, t := range techniques {
			if t.Kind != Empower || !targets(t, as.Role) || !c.mayUse(p, t) {
				continue
			}
			for _, m := range t.check(c, p, as.Role) {
				admin, extra := c.ceiling(p, as.Role)
				m.Steps = append(m.Steps, extra...)
				assume := move(c.tech("sts-assume-role"), self, as.Role, nil, Step{Action: "sts:AssumeRole", Resource: identityOf(as.Role).ARN, Allowed: as.Allowed})
				assume.Assumption = as
				consider([]*Move{m, assume}, admin)
			}
		}
	}
	return best
}

func (c *checker) mayUse(p *Permissions, t *technique) bool {
	act := c.cat.Action(t.key)
	return act != nil && p.Actions.Has(act.Index)
}

// ceiling says whether x becomes an administrator once it is given any
// permissions by actor: its SCPs must allow everything, its boundary too
// unless actor can remove it (the removal is returned as extra steps), and
// its denies must not take most actions away.
func (c *checker) ceiling(actor *Permissions, x *Node) (iam.Tri, []Step) {
	px := c.a.perms[x]
	n := c.cat.NumActions()
	if px.deniedOutright().Len() > n/2 {
		return iam.No, nil
	}
	t := iam.Yes
	layers := px.capLayers()
	var extra []Step
	for i, layer := range layers {
		lt := coverage(layer, n)
		if i == 0 && px.hasBoundary && lt != iam.Yes {
			// The boundary: the actor may delete it.
			action := "iam:DeleteRolePermissionsBoundary"
			if x.User != nil {
				action = "iam:DeleteUserPermissionsBoundary"
			}
			st := c.step(actor, action, identityOf(x).ARN)
			if st.Allowed > lt {
				lt = st.Allowed
				extra = append(extra, st)
			}
		}
		t = min(t, lt)
	}
	if px.deniedWide().Len() > n/2 {
		t = min(t, iam.Maybe)
	}
	return t, extra
}

// coverage says whether a layer allows every action on every resource:
// in every request, in some, or not.
func coverage(layer []*Grant, n int) iam.Tri {
	certain, possible := catalog.NewSet(n), catalog.NewSet(n)
	for _, g := range layer {
		if !g.sets.allResources {
			continue
		}
		possible.Union(g.sets.possible)
		if !g.sets.conditional {
			certain.Union(g.sets.certain)
		}
	}
	switch {
	case certain.Len() == n:
		return iam.Yes
	case possible.Len() == n:
		return iam.Maybe
	}
	return iam.No
}

// gain searches forward from p for the nearest principal with
// permissions p lacks, through at least one technique other than plain
// role assumption (assuming roles one is trusted by is how AWS is meant
// to work). The search is breadth-first and bounded.
func (c *checker) gain(p *Node, holders map[string][]*Node) *Escalation {
	const budget = 20000
	type visit struct {
		prev      *Move
		technique bool // the path so far uses a technique
	}
	seen := map[*Node]*visit{p: {}}
	queue := []*Node{p}
	work := 0
	mine := c.a.perms[p].Actions
	for len(queue) > 0 && work < budget {
		cur := queue[0]
		queue = queue[1:]
		for _, m := range c.outOf(cur, &work) {
			if seen[m.To] != nil {
				continue
			}
			v := &visit{prev: m, technique: seen[cur].technique || m.Technique.ID != "sts-assume-role"}
			seen[m.To] = v
			if v.technique {
				gains := c.a.perms[m.To].Actions.Clone()
				gains.Subtract(mine)
				if !gains.Empty() {
					e := &Escalation{Principal: p, Gains: gains}
					for n := m.To; seen[n].prev != nil; n = seen[n].prev.From {
						e.Moves = append(e.Moves, seen[n].prev)
					}
					slices.Reverse(e.Moves)
					return e
				}
			}
			queue = append(queue, m.To)
		}
	}
	return nil
}

// outOf returns the Become moves of p onto other principals, computed
// once per principal. work counts the checks made, for gain's budget.
func (c *checker) outOf(from *Node, work *int) []*Move {
	if v, ok := c.out.Load(from); ok {
		*work++
		return v.([]*Move)
	}
	moves := c.computeOut(from, work)
	c.out.Store(from, moves)
	return moves
}

func (c *checker) computeOut(from *Node, work *int) []*Move {
	p := c.a.perms[from]
	var out []*Move
	for _, as := range c.a.assumable[from] {
		m := move(c.tech("sts-assume-role"), from, as.Role, nil, Step{Action: "sts:AssumeRole", Resource: identityOf(as.Role).ARN, Allowed: as.Allowed})
		m.Assumption = as
		out = append(out, m)
	}
	for _, t := range techniques {
		if t.Kind != Become || t.key == "" || !c.mayUse(p, t) {
			continue
		}
		for _, q := range c.candidates(t) {
			if q == from {
				continue
			}
			*work++
			out = append(out, t.check(c, p, q)...)
		}
	}
	return out
}

// deniedOutright is the set of actions denied on every resource in every
// request; deniedWide those that may be denied on every resource.
func (p *Permissions) deniedOutright() catalog.Set {
	var s catalog.Set
	for _, g := range p.Denies {
		if g.sets.unconditional() {
			s.Union(g.sets.certain)
		}
	}
	return s
}

func (p *Permissions) deniedWide() catalog.Set {
	var s catalog.Set
	for _, g := range p.Denies {
		if g.sets.allResources {
			s.Union(g.sets.possible)
		}
	}
	return s
}

// Helpers of the techniques.

// assumeAfterRewrite decides sts:AssumeRole on q once its trust policy
// names p directly.
func (c *checker) assumeAfterRewrite(p *Permissions, q *Node) Step {
	id, rid := identityOf(p.Principal), identityOf(q)
	trust := rewrittenTrust(id.ARN)
	set := p.Set
	set.Resource = trust
	req := &iam.Request{Principal: id.ARN, Action: "sts:AssumeRole", Resource: rid.ARN, Context: p.known}
	if accountOf(id) == accountOf(rid) {
		req.ResourceAccount = accountOf(id)
	}
	return Step{Action: "sts:AssumeRole", Resource: rid.ARN, Allowed: iam.EvaluatePartial(req, &set, p.knownKey).Allowed}
}

func rewrittenTrust(principal string) *iam.Policy {
	src := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":` + quote(principal) + `},"Action":"sts:AssumeRole"}]}`
	doc, _ := iam.ParsePolicy([]byte(src), iam.ParseOptions{Filename: "rewritten trust policy", Kind: iam.KindTrust})
	return &iam.Policy{Name: "trust policy naming " + principal, Doc: doc}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// viaGroups applies a group technique to each group q is a member of.
func (c *checker) viaGroups(p *Permissions, q *Node, id string, steps func(g *Node) []Step) []*Move {
	var out []*Move
	for _, e := range q.Out {
		if e.Kind != EdgeMemberOf || e.To == nil || e.To.Group.ARN == "" {
			continue
		}
		if m := move(c.tech(id), p.Principal, q, e.To, steps(e.To)...); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// attachedPolicies returns the managed policies attached to q directly or
// through its groups.
func (c *checker) attachedPolicies(q *Node) []*Node {
	var out []*Node
	add := func(n *Node) {
		for _, e := range n.Out {
			if e.Kind == EdgeAttached && e.To != nil && !slices.Contains(out, e.To) {
				out = append(out, e.To)
			}
		}
	}
	add(q)
	for _, e := range q.Out {
		if e.Kind == EdgeMemberOf && e.To != nil {
			add(e.To)
		}
	}
	return out
}

// hasAdminVersion reports whether a non-default version of a managed
// policy allows every action on every resource unconditionally.
func (c *checker) hasAdminVersion(mp *iam.ManagedPolicy) bool {
	for _, v := range mp.Versions {
		if v.IsDefault || v.Doc == nil {
			continue
		}
		sets := c.a.versionSets(v.Doc)
		s := catalog.NewSet(c.cat.NumActions())
		for i, st := range v.Doc.Statements {
			if st.Effect == iam.Allow && sets[i].unconditional() {
				s.Union(sets[i].certain)
			}
		}
		if s.Len() == c.cat.NumActions() {
			return true
		}
	}
	return false
}

// profileOf returns an instance profile node that holds the role.
func (c *checker) profileOf(q *Node) *Node {
	for _, e := range q.In {
		if e.Kind == EdgeProfileOf && e.From != nil {
			return e.From
		}
	}
	return nil
}

// alternatives decides "a|b|c": the best of the actions, on resources the
// actor may choose.
func (c *checker) alternatives(p *Permissions, spec string) Step {
	var steps []Step
	for _, a := range strings.Split(spec, "|") {
		steps = append(steps, c.stepAny(p, a))
	}
	return best(steps...)
}

func splitAlternatives(specs []string) []string {
	var out []string
	for _, s := range specs {
		out = append(out, strings.Split(s, "|")...)
	}
	return out
}

func firstAlternative(spec string) string {
	a, _, _ := strings.Cut(spec, "|")
	return a
}

// trusts reports whether a role's trust policy lets a service principal
// assume it.
func (a *Analysis) trusts(q *Node, service string) bool {
	return a.roleServices[q][strings.ToLower(service)]
}

// trustedServices lists, lower-cased, the service principals a role's
// trust policy admits to sts:AssumeRole; "*" admits every service.
func (a *Analysis) trustedServices(q *Node) map[string]bool {
	var out map[string]bool
	for _, t := range a.Trustees(q) {
		if !slices.Contains(t.Actions, "sts:AssumeRole") || (t.Kind != TrustService && t.Kind != TrustAnyone) {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[strings.ToLower(t.Value)] = true
	}
	if out["*"] {
		for _, t := range techniques {
			if t.service != "" {
				out[t.service] = true
			}
		}
	}
	return out
}

// isCandidate reports whether q is among a technique's candidates.
func (c *checker) isCandidate(t *technique, q *Node) bool {
	c.candidates(t)
	return c.a.candSet[t][q.index]
}

// candidates returns the principals worth checking as a technique's
// targets: users, roles, roles that trust its service, or roles with a
// workload of its kind.
func (c *checker) candidates(t *technique) []*Node {
	c.a.candOnce.Do(func() {
		c.a.cands = map[*technique][]*Node{}
		c.a.candSet = map[*technique][]bool{}
		principals := c.a.Graph.Principals()
		for _, t := range techniques {
			var list []*Node
			for _, q := range principals {
				switch {
				case !targets(t, q):
				case t.service != "" && !c.a.trusts(q, t.service):
				case t.workload != 0 && !slices.ContainsFunc(c.a.workloadsOf(q), func(w *Node) bool { return w.Work.Kind == t.workload }):
				default:
					list = append(list, q)
				}
			}
			c.a.cands[t] = list
			set := make([]bool, len(c.a.Graph.Nodes))
			for _, q := range list {
				set[q.index] = true
			}
			c.a.candSet[t] = set
		}
	})
	return c.a.cands[t]
}

func regionOf(arn string) string {
	a, _ := iam.ParseARN(arn)
	if a.Region == "" {
		return "*"
	}
	return a.Region
}

// activeKeys counts a user's active access keys, as far as the inputs say.
func activeKeys(u *iam.User) int {
	n := 0
	for _, k := range u.AccessKeys {
		if k.Active {
			n++
		}
	}
	if u.Credentials != nil {
		m := 0
		for _, k := range u.Credentials.AccessKeys {
			if k.Active {
				m++
			}
		}
		n = max(n, m)
	}
	return n
}

// hasPassword says whether a user has a console password: Yes or No when
// the inputs say, Maybe when they do not (an account dump has no login
// profiles; the credential report does).
func hasPassword(u *iam.User) iam.Tri {
	switch {
	case u.LoginProfile != nil || (u.Credentials != nil && u.Credentials.PasswordEnabled):
		return iam.Yes
	case u.Credentials != nil:
		return iam.No
	}
	return iam.Maybe
}

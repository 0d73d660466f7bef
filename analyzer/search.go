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
	for i, t := range techniques {
		if techniqueByID[t.ID] != nil {
			panic("analyzer: duplicate technique " + t.ID)
		}
		t.index = i
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
// one, it can give itself any permissions (after taking a deny or its
// boundary off, if need be), or it can give them to a principal it can
// become.
type terminal struct {
	admin iam.Tri
	moves []*Move
}

// search finds the escalations: terminals first, then a breadth-first
// search backwards from them over Become moves, so every principal gets
// its shortest certain path to administrator, or failing that its
// shortest path; then, for principals with no such path, a bounded
// forward search for a principal with permissions they lack.
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
	unseen := func(n *Node) bool { return seen[n] == nil }
	holders := c.holders(principals)
	// Two rounds, each breadth-first by depth. The first follows only
	// certain moves from the principals that are (or make themselves)
	// administrators in every request, so a principal with a certain path
	// gets it even when a conditional one is as short; the conditional
	// moves it meets are kept for the second, which starts again from
	// every principal reached and every conditional terminal and follows
	// any move.
	var levels [][]*Node
	push := func(n *Node, depth int) {
		for len(levels) <= depth {
			levels = append(levels, nil)
		}
		levels[depth] = append(levels[depth], n)
	}
	later := map[*Node][]*Move{}
	expanded := map[*Node]bool{}
	run := func(certain bool) {
		for d := 0; d < len(levels); d++ {
			for _, q := range levels[d] {
				v := seen[q]
				moves := later[q]
				if !expanded[q] {
					expanded[q] = true
					moves = append(moves, c.into(q, holders, unseen)...)
				}
				for _, m := range moves {
					switch {
					case seen[m.From] != nil:
					case certain && m.Allowed != iam.Yes:
						later[q] = append(later[q], m)
					default:
						seen[m.From] = &visit{next: m, term: v.term, depth: d + 1}
						push(m.From, d+1)
					}
				}
				if certain {
					continue
				}
				later[q] = nil
			}
		}
	}
	for i, n := range principals {
		if terms[i] != nil && terms[i].admin == iam.Yes {
			seen[n] = &visit{term: terms[i]}
			push(n, 0)
		}
	}
	run(true)
	// The second round goes over every level again, the conditional
	// terminals added to the first; the principals expanded in the first
	// round only follow the moves it kept.
	for i, n := range principals {
		if terms[i] != nil && seen[n] == nil {
			seen[n] = &visit{term: terms[i]}
			push(n, 0)
		}
	}
	run(false)
	// The principals still without a path that can empower one they can
	// become by any technique (not only by assuming it), then become it:
	// terminals of their own, found with the forward moves the search for
	// gains below computes anyway; then whoever can become them.
	var rest []*Node
	for _, n := range principals {
		if seen[n] == nil {
			rest = append(rest, n)
		}
	}
	late := make([]*terminal, len(rest))
	parallel(len(rest), func(i int) {
		var work int
		late[i] = c.empowerThenBecome(a.perms[rest[i]], c.outOf(rest[i], &work))
	})
	for i, n := range rest {
		if late[i] != nil {
			seen[n] = &visit{term: late[i]}
			push(n, 0)
		}
	}
	run(false)

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
	rest = rest[:0]
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

// holders indexes, for each technique's key, the principals whose
// policies may allow it (one of its actions, for "a|b").
func (c *checker) holders(principals []*Node) map[string][]*Node {
	out := map[string][]*Node{}
	for _, t := range techniques {
		if t.key == "" || out[t.key] != nil {
			continue
		}
		list := []*Node{}
		for _, n := range principals {
			if c.mayUse(c.a.perms[n], t) {
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
			if p != q && want(p) && (t.ready == nil || t.ready(c, c.a.perms[p])) {
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
// A principal that is one only under conditions (Admin Maybe) still
// looks for a way to be one in every request; failing that it is a
// terminal without moves.
func (c *checker) terminal(p *Permissions) *terminal {
	if p.Admin == iam.Yes {
		return &terminal{admin: iam.Yes}
	}
	var best *terminal
	if p.Admin == iam.Maybe {
		best = &terminal{admin: iam.Maybe}
	}
	consider := func(moves []*Move, admin iam.Tri) {
		for _, m := range moves {
			admin = min(admin, m.Allowed)
		}
		if admin != iam.No && (best == nil || admin > best.admin) {
			best = &terminal{admin: admin, moves: moves}
		}
	}
	self := p.Principal
	for _, e := range c.empowerSelf(p, p) {
		consider(e.moves, e.admin)
	}
	if best != nil && best.admin == iam.Yes {
		return best
	}
	// Take a deny or the boundary off itself: an administrator without
	// it, or able to empower itself then.
	for _, t := range techniques {
		if t.lift == nil || !targets(t, self) || !c.mayUse(p, t) {
			continue
		}
		for _, l := range t.lift(c, p) {
			if l.move.Allowed == iam.No {
				continue
			}
			if l.perms.Admin != iam.No {
				consider([]*Move{l.move}, l.perms.Admin)
				continue
			}
			for _, e := range c.empowerSelf(p, l.perms) {
				consider(append([]*Move{l.move}, e.moves...), e.admin)
			}
		}
	}
	if best != nil && best.admin == iam.Yes {
		return best
	}
	// Empower a role it may assume, then assume it. (Other ways to become
	// a principal cost more to find: see afterBecome.)
	var assume []*Move
	for _, as := range c.a.assumable[self] {
		m := move(c.tech("sts-assume-role"), self, as.Role, nil, Step{Action: "sts:AssumeRole", Resource: identityOf(as.Role).ARN, Allowed: as.Allowed})
		m.Assumption = as
		assume = append(assume, m)
	}
	if e := c.empowerThenBecome(p, assume); e != nil {
		consider(e.moves, e.admin)
	}
	return best
}

// empowerThenBecome is the best way for p to give a principal it can
// become by one of moves any permissions, then become it; nil when there
// is none. A principal that is an administrator already needs no
// empowering.
func (c *checker) empowerThenBecome(p *Permissions, moves []*Move) *terminal {
	var empower []*technique
	for _, t := range techniques {
		if t.Kind == Empower && t.check != nil && c.mayUse(p, t) {
			empower = append(empower, t)
		}
	}
	var best *terminal
	for _, b := range moves {
		if len(empower) == 0 || best != nil && best.admin == iam.Yes {
			break
		}
		if c.a.perms[b.To].Admin == iam.Yes {
			continue
		}
		for _, t := range empower {
			if !targets(t, b.To) {
				continue
			}
			for _, m := range t.check(c, p, b.To) {
				admin, extra := c.ceiling(p, b.To, c.a.perms[b.To])
				withSteps(m, extra)
				admin = min(admin, m.Allowed, b.Allowed)
				if admin != iam.No && (best == nil || admin > best.admin) {
					best = &terminal{admin: admin, moves: []*Move{m, b}}
				}
			}
		}
	}
	return best
}

// empowerSelf returns the ways a principal gives itself any permissions,
// its permissions being cur (p's own, or what is left once it took a deny
// or its boundary off): each an Empower move, with whether the principal
// is then an administrator (the ceiling of its boundary and SCPs, and the
// move itself).
func (c *checker) empowerSelf(p, cur *Permissions) []*terminal {
	self := p.Principal
	var out []*terminal
	for _, t := range techniques {
		if t.Kind != Empower || t.check == nil || !targets(t, self) || !c.mayUse(cur, t) {
			continue
		}
		for _, m := range t.check(c, cur, self) {
			admin, extra := c.ceiling(cur, self, cur)
			withSteps(m, extra)
			if admin = min(admin, m.Allowed); admin != iam.No {
				out = append(out, &terminal{admin: admin, moves: []*Move{m}})
			}
		}
	}
	return out
}

// withSteps adds steps to a move, which is then only as certain as its
// weakest step.
func withSteps(m *Move, steps []Step) {
	m.Steps = append(m.Steps, steps...)
	for _, s := range steps {
		m.Allowed = min(m.Allowed, s.Allowed)
	}
}

// mayUse reports whether p's policies may allow one of the actions of
// the technique's key ("a|b": either).
func (c *checker) mayUse(p *Permissions, t *technique) bool {
	c.keysOnce.Do(func() {
		c.keys = make([][]int, len(techniqueByID))
		for _, t := range techniqueByID {
			for _, a := range strings.Split(t.key, "|") {
				if act := c.cat.Action(a); act != nil {
					c.keys[t.index] = append(c.keys[t.index], act.Index)
				}
			}
		}
	})
	for _, i := range c.keys[t.index] {
		if p.Actions.Has(i) {
			return true
		}
	}
	return false
}

// ceiling says whether x, whose permissions are px, becomes an
// administrator once it is given any permissions by actor: its SCPs must allow everything, its boundary too
// unless actor can remove it (the removal is returned as extra steps), and
// its denies must not take most actions away.
func (c *checker) ceiling(actor *Permissions, x *Node, px *Permissions) (iam.Tri, []Step) {
	n := c.cat.NumActions()
	if px.deniedOutright > n/2 {
		return iam.No, nil
	}
	t := iam.Yes
	var extra []Step
	for i, lt := range px.capCover {
		if i == 0 && px.hasBoundary && lt != iam.Yes {
			// The boundary: the actor may delete it.
			action := "iam:DeleteRolePermissionsBoundary"
			if x.User != nil {
				action = "iam:DeleteUserPermissionsBoundary"
			}
			st := c.step(actor, action, identityOf(x).ARN, c.boundaryKey(x)...)
			if st.Allowed > lt {
				lt = st.Allowed
				extra = append(extra, st)
			}
		}
		t = min(t, lt)
	}
	if px.deniedWide > n/2 {
		t = min(t, iam.Maybe)
	}
	return t, extra
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
		if t.Kind != Become || t.key == "" || !c.mayUse(p, t) || (t.ready != nil && !t.ready(c, p)) {
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

func splitAlternatives(specs []string) []string {
	var out []string
	for _, s := range specs {
		out = append(out, strings.Split(s, "|")...)
	}
	return out
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

// hasMFA reports whether a user has an MFA device, as far as the inputs
// say: a device in the account dump or an active one in the credential
// report.
func hasMFA(u *iam.User) bool {
	return len(u.MFADevices) > 0 || (u.Credentials != nil && u.Credentials.MFAActive)
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

// Guardrails a principal can take off itself.

// liftBoundary is p deleting its own permissions boundary.
func (c *checker) liftBoundary(p *Permissions) []lifted {
	self := p.Principal
	b := c.a.Graph.Boundary(self)
	if !p.hasBoundary || b == nil {
		return nil
	}
	action := "iam:DeleteRolePermissionsBoundary"
	if self.User != nil {
		action = "iam:DeleteUserPermissionsBoundary"
	}
	var via *Node
	if len(b.Hops) >= 3 {
		via = b.Hops[2].Node // principal → attachment → policy → document
	}
	m := move(c.tech("iam-delete-permissions-boundary"), self, self, via,
		c.step(p, action, identityOf(self).ARN, c.boundaryKey(self)...))
	if m == nil {
		return nil
	}
	return []lifted{{move: m, perms: c.a.without(p, nil, true)}}
}

// liftDenies finds the identity policies that deny p something and that
// p can take off itself by the technique id: detach the managed policy
// (from itself, or from its group), delete the inline policy, or leave
// the group they come through. Each is tried alone; when several can go,
// also all of them together.
func (c *checker) liftDenies(p *Permissions, id string) []lifted {
	self := p.Principal
	var out []lifted
	var keys []*iam.Node
	var moves []*Move
	for _, g := range p.Denies {
		if g.Kind != iam.KindIdentity {
			continue
		}
		key, m := c.denyRemoval(p, g.Path, id)
		if m == nil || slices.Contains(keys, key) {
			continue
		}
		keys = append(keys, key)
		moves = append(moves, m)
		out = append(out, lifted{move: m, perms: c.a.without(p, []*iam.Node{key}, false)})
	}
	if len(out) > 1 {
		// Several moves in a row: the last carries the permissions left.
		all := c.a.without(p, keys, false)
		chain := &Move{From: self, To: self, Technique: c.tech(id), Allowed: iam.Yes}
		for _, m := range moves {
			chain.Steps = append(chain.Steps, m.Steps...)
			chain.Allowed = min(chain.Allowed, m.Allowed)
		}
		out = append(out, lifted{move: chain, perms: all})
	}
	return out
}

// denyRemoval returns how p takes the policy at path off itself by the
// technique id, and the hop that identifies what goes (the attachment,
// the inline document or the membership); a nil move when the technique
// does not apply to the path or p may not use it.
func (c *checker) denyRemoval(p *Permissions, path PolicyPath, id string) (*iam.Node, *Move) {
	self := p.Principal
	hops := path.Hops
	// The group the policy comes through, if any: user → membership → group → ...
	var group *Node
	var membership *iam.Node
	rest := hops[1:]
	if len(rest) >= 2 && rest[0].Kind == KindMembership && rest[1].Node != nil {
		membership, group = rest[0].Src, rest[1].Node
		rest = rest[2:]
	}
	owner, ownerARN := "User", identityOf(self).ARN
	switch {
	case group != nil:
		owner, ownerARN = "Group", group.Group.ARN
	case self.Role != nil:
		owner = "Role"
	}
	if ownerARN == "" || symbolic(ownerARN) && group != nil {
		return nil, nil
	}
	var key *iam.Node
	var via *Node
	var st Step
	switch {
	case id == "iam-leave-group-with-deny":
		if group == nil {
			return nil, nil
		}
		key, via = membership, group
		st = c.step(p, "iam:RemoveUserFromGroup", group.Group.ARN)
	case len(rest) >= 2 && rest[0].Kind == KindAttachment && rest[1].Node != nil && rest[1].Node.Policy != nil:
		if id != "iam-detach-deny-policy" || rest[1].Node.Policy.ARN == "" {
			return nil, nil
		}
		key, via = rest[0].Src, rest[1].Node
		kv := []string{"iam:PolicyARN", via.Policy.ARN}
		if group == nil {
			kv = append(kv, c.boundaryKey(self)...)
		}
		st = c.step(p, "iam:Detach"+owner+"Policy", ownerARN, kv...)
	case len(rest) == 1 && rest[0].Kind == KindDocument:
		if id != "iam-delete-deny-inline-policy" {
			return nil, nil
		}
		key, via = rest[0].Src, rest[0].Node
		var kv []string
		if group == nil {
			kv = c.boundaryKey(self)
		}
		st = c.step(p, "iam:Delete"+owner+"Policy", ownerARN, kv...)
	default:
		return nil, nil
	}
	return key, move(c.tech(id), self, self, via, st)
}

// boundaryKey is the iam:PermissionsBoundary key of requests that change a
// user's or role's policies or boundary: the ARN of its boundary policy,
// or, when it has none, the key settled as absent (an empty value). Nil
// when the boundary's policy is not known. Callers must not modify it.
func (c *checker) boundaryKey(q *Node) []string {
	for _, e := range q.Out {
		if e.Kind != EdgeBoundary {
			continue
		}
		if e.To != nil && e.To.Policy.ARN != "" {
			return []string{"iam:PermissionsBoundary", e.To.Policy.ARN}
		}
		if e.Ref != "" && !symbolic(e.Ref) {
			return []string{"iam:PermissionsBoundary", e.Ref}
		}
		return nil
	}
	return noBoundary
}

var noBoundary = []string{"iam:PermissionsBoundary", ""}

// without returns p's permissions once the identity policies reached
// through any of the hops drop are gone (an attachment, an inline
// document, a group membership), and its boundary when boundary is true.
func (a *Analysis) without(p *Permissions, drop []*iam.Node, boundary bool) *Permissions {
	gone := func(pp PolicyPath) bool {
		return slices.ContainsFunc(pp.Hops, func(h Hop) bool { return slices.Contains(drop, h.Src) })
	}
	q := &Permissions{Principal: p.Principal, Missing: p.Missing, hasBoundary: p.hasBoundary && !boundary, scpLevels: p.scpLevels, known: p.known, derived: true}
	q.Set = p.Set
	q.Set.Identity = nil
	for _, pp := range a.Graph.IdentityPolicies(p.Principal) {
		if pp.Doc != nil && pp.Doc.Doc != nil && !gone(pp) {
			q.Set.Identity = append(q.Set.Identity, iam.Policy{Name: pp.String(), Doc: pp.Doc.Doc})
		}
	}
	if boundary {
		q.Set.Boundary = nil
	}
	keep := func(list []*Grant) []*Grant {
		var out []*Grant
		for _, g := range list {
			if (g.Kind == iam.KindIdentity && gone(g.Path)) || (boundary && g.Kind == iam.KindBoundary) {
				continue
			}
			out = append(out, g)
		}
		return out
	}
	q.Allows, q.Denies, q.Bounds = keep(p.Allows), keep(p.Denies), keep(p.Bounds)
	q.compute(a.cat.NumActions())
	return q
}

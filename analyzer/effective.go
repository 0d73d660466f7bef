package analyzer

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
)

// Grant is one statement that bears on a principal's permissions, with
// the way its policy reaches the principal.
type Grant struct {
	// Kind is the layer the statement belongs to: iam.KindIdentity,
	// iam.KindBoundary or iam.KindSCP.
	Kind iam.Kind
	// Path runs from the principal to the document (for an SCP, the
	// document alone).
	Path      PolicyPath
	Statement *iam.Statement
	// level is the organization level of an SCP statement.
	level int
	sets  *stmtSets
}

// Actions returns the catalog actions the statement may cover (after
// NotAction), whatever its resources and conditions. Callers must not
// modify the set.
func (g *Grant) Actions() catalog.Set { return g.sets.possible }

// AllResources reports whether the statement applies to every resource:
// Resource "*" (or no Resource element at all).
func (g *Grant) AllResources() bool { return g.sets.allResources }

// Conditional reports whether the statement has conditions or holds
// values the loader could not determine, so whether it applies depends on
// the request.
func (g *Grant) Conditional() bool { return g.sets.conditional }

// stmtSets is what a statement covers, as action sets.
type stmtSets struct {
	// possible holds every action the statement may cover; certain those
	// it covers whatever the unknown values turn out to be.
	possible, certain catalog.Set
	// allResources: Resource "*" or absent; conditional: a Condition
	// block or unknown values in Resource/NotResource.
	allResources, conditional bool
}

// unconditional reports whether the statement applies to every resource in
// every request for the actions of certain.
func (s *stmtSets) unconditional() bool { return s.allResources && !s.conditional }

// Permissions are a principal's effective permissions: the statements of
// every policy that bears on it, and what they add up to as action sets
// over the catalog.
type Permissions struct {
	Principal *Node
	// Set is what iam.Evaluate needs for the principal's requests;
	// Missing the policies left out of it because they did not resolve
	// (see Graph.PolicySet). When Missing is not empty every answer is a
	// best effort.
	Set     iam.PolicySet
	Missing []PolicyPath

	// Allows and Denies are the identity-policy statements that allow and
	// the statements of any layer that deny; Bounds the allow statements
	// of the boundary and of the SCPs, which cap the allows.
	Allows, Denies, Bounds []*Grant
	hasBoundary            bool
	scpLevels              int
	// deniedOutright counts the actions denied on every resource in
	// every request, deniedWide those that may be denied on every
	// resource; capCover is whether each cap layer (see capLayers) allows
	// everything.
	deniedOutright, deniedWide int
	capCover                   []iam.Tri
	// derived marks permissions a principal would have after a change
	// (a guardrail taken off), not its own.
	derived bool

	// Actions holds every action the principal may perform on some
	// resource in some request. Some holds those it may certainly perform
	// on every resource no deny names: unconditional grants on "*" in every
	// layer, with no deny that may apply to every resource. Full holds
	// those it may perform on every resource in every request: no deny
	// even mentions them. Full ⊆ Some ⊆ Actions.
	Actions, Some, Full catalog.Set
	// Admin is Yes when the principal may perform every action on every
	// resource in every request, Maybe when only in some requests (under
	// conditions); denies may still carve out exceptions, listed in
	// Denies. A principal whose denies remove most actions outright is
	// not an administrator.
	Admin iam.Tri

	known *iam.Context
}

// Analysis is the computed facts of a graph: every principal's effective
// permissions. It is immutable once made and safe for concurrent use.
type Analysis struct {
	Graph *Graph
	cat   *catalog.Catalog
	perms map[*Node]*Permissions
	docs  map[*iam.Document][]stmtSets

	accountsOnce sync.Once
	accounts     map[string]bool

	// assumers and assumable index the can-assume edges by role and by
	// the principal that may assume.
	assumers, assumable map[*Node][]*Assumption

	escOnce     sync.Once
	escalations []*Escalation
	escByNode   map[*Node]*Escalation

	adminGroupsOnce sync.Once
	adminGroupList  []*Node

	// trustees holds the Trustees of each role of the graph with a trust
	// policy.
	trustees map[*Node][]Trustee

	// roleServices holds each role's trusted service principals.
	roleServices map[*Node]map[string]bool
	candOnce     sync.Once
	cands        map[*technique][]*Node
	candSet      map[*technique][]bool // by Node.index
}

// Analyze computes the effective permissions of every user and role of
// the graph, using every CPU.
func Analyze(g *Graph) *Analysis {
	a := &Analysis{Graph: g, cat: catalog.Default(), perms: map[*Node]*Permissions{}, docs: map[*iam.Document][]stmtSets{}}
	a.compileDocs()
	principals := g.Principals()
	out := make([]*Permissions, len(principals))
	parallel(len(principals), func(i int) { out[i] = a.permissions(principals[i]) })
	sets := setInterner{}
	for i, p := range principals {
		perms := out[i]
		perms.Actions, perms.Some, perms.Full = sets.intern(perms.Actions), sets.intern(perms.Some), sets.intern(perms.Full)
		a.perms[p] = perms
	}
	a.computeAssumptions()
	return a
}

// setInterner shares equal action sets, which are never modified once
// built: the principals of an account hold the same few combinations of
// policies, so the same effective sets.
type setInterner map[uint64][]catalog.Set

func (in setInterner) intern(s catalog.Set) catalog.Set {
	h := uint64(14695981039346656037) // FNV-1a over the words
	for _, w := range s {
		h = (h ^ w) * 1099511628211
	}
	for _, t := range in[h] {
		if t.Equal(s) {
			return t
		}
	}
	in[h] = append(in[h], s)
	return s
}

// Permissions returns the effective permissions of a user or role, or nil
// for any other node.
func (a *Analysis) Permissions(n *Node) *Permissions { return a.perms[n] }

// compileDocs turns every document of the graph into statement action
// sets, once per document, expanding each distinct action pattern once.
func (a *Analysis) compileDocs() {
	c := &setCompiler{cat: a.cat, cache: map[string]catalog.Set{}, all: a.cat.ExpandSet("*"), lists: map[string][2]catalog.Set{}}
	compile := func(d *iam.Document) {
		if d == nil {
			return
		}
		if _, ok := a.docs[d]; ok {
			return
		}
		sets := make([]stmtSets, len(d.Statements))
		for i, s := range d.Statements {
			sets[i] = c.statement(s)
		}
		a.docs[d] = sets
	}
	for _, n := range a.Graph.Nodes {
		switch {
		case n.Kind == KindDocument && n.Doc != nil:
			compile(n.Doc.Doc)
		case n.Kind == KindPolicy:
			// Old versions matter to iam:SetDefaultPolicyVersion.
			for _, v := range n.Policy.Versions {
				compile(v.Doc)
			}
		}
	}
}

// versionSets returns the statement sets of a policy version's document.
func (a *Analysis) versionSets(d *iam.Document) []stmtSets { return a.docs[d] }

// workloadsOf returns the workloads that run as a role: with it as their
// role, or with an instance profile that holds it.
func (a *Analysis) workloadsOf(role *Node) []*Node {
	var out []*Node
	for _, e := range role.In {
		switch {
		case e.Kind == EdgeRunsAs && e.From != nil:
			out = append(out, e.From)
		case e.Kind == EdgeProfileOf && e.From != nil:
			for _, w := range e.From.In {
				if w.Kind == EdgeRunsAs && w.From != nil {
					out = append(out, w.From)
				}
			}
		}
	}
	return out
}

// adminGroups returns the groups whose own policies allow every action on
// every resource unconditionally.
func (a *Analysis) adminGroups() []*Node {
	a.adminGroupsOnce.Do(func() {
		n := a.cat.NumActions()
		for _, g := range a.Graph.Nodes {
			if g.Kind != KindGroup || g.Group.ARN == "" {
				continue
			}
			allow, deny := catalog.NewSet(n), catalog.NewSet(n)
			for _, pp := range owned(nil, nil, g) {
				if pp.Doc == nil || pp.Doc.Doc == nil {
					continue
				}
				sets := a.docs[pp.Doc.Doc]
				for i, s := range pp.Doc.Doc.Statements {
					switch {
					case s.Effect == iam.Allow && sets[i].unconditional():
						allow.Union(sets[i].certain)
					case s.Effect == iam.Deny:
						deny.Union(sets[i].possible)
					}
				}
			}
			if allow.Len() == n && deny.Len() <= n/2 {
				a.adminGroupList = append(a.adminGroupList, g)
			}
		}
	})
	return a.adminGroupList
}

type setCompiler struct {
	cat   *catalog.Catalog
	cache map[string]catalog.Set
	all   catalog.Set
	lists map[string][2]catalog.Set // see actionSets
	key   []byte                    // actionSets' buffer
}

func (c *setCompiler) expand(pattern string) catalog.Set {
	key := strings.ToLower(pattern)
	if s, ok := c.cache[key]; ok {
		return s
	}
	s := c.cat.ExpandSet(key)
	c.cache[key] = s
	return s
}

func (c *setCompiler) statement(s *iam.Statement) stmtSets {
	var out stmtSets
	if s.Effect == iam.EffectInvalid {
		return out
	}
	acts, not := s.Actions()
	out.possible, out.certain = c.actionSets(acts, not)
	res, notRes := s.Resources()
	out.allResources = !res.Present
	if res.Present && !notRes {
		for _, v := range res.Values {
			if v.Text == "*" && !v.Unknown {
				out.allResources = true
			}
		}
	}
	out.conditional = len(s.Condition.Clauses) > 0
	for _, v := range res.Values {
		out.conditional = out.conditional || v.Unknown
	}
	return out
}

// actionSets returns the sets of a statement's Action (or, with not,
// NotAction) element. Statements with the same list share the sets, which
// are never modified once built: accounts repeat the same statements
// across many documents.
func (c *setCompiler) actionSets(acts iam.List, not bool) (possible, certain catalog.Set) {
	key := c.key[:0]
	if not {
		key = append(key, '!')
	}
	for _, v := range acts.Values {
		key = strconv.AppendInt(key, int64(len(v.Text)), 10)
		if v.Unknown {
			key = append(key, '?')
		} else {
			key = append(key, ':')
		}
		key = append(key, v.Text...)
	}
	c.key = key
	if sets, ok := c.lists[string(key)]; ok {
		return sets[0], sets[1]
	}
	unknown := false
	for _, v := range acts.Values {
		if v.Unknown {
			possible.Union(c.expand(iam.Loose(v.Text)))
			unknown = true
			continue
		}
		possible.Union(c.expand(v.Text))
	}
	if unknown {
		for _, v := range acts.Values {
			if !v.Unknown {
				certain.Union(c.expand(v.Text))
			}
		}
	} else {
		certain = possible // shared: neither is modified once built
	}
	if not {
		possible, certain = c.all.Clone(), c.all.Clone()
		// Under NotAction an action is certainly covered when no value
		// may name it, and may be covered unless a value surely does.
		for _, v := range acts.Values {
			if v.Unknown {
				certain.Subtract(c.expand(iam.Loose(v.Text)))
			} else {
				set := c.expand(v.Text)
				certain.Subtract(set)
				possible.Subtract(set)
			}
		}
	}
	c.lists[string(key)] = [2]catalog.Set{possible, certain}
	return possible, certain
}

// permissions computes one principal's effective permissions.
func (a *Analysis) permissions(n *Node) *Permissions {
	p := &Permissions{Principal: n}
	p.Set, p.Missing = a.Graph.PolicySet(n)
	add := func(kind iam.Kind, level int, path PolicyPath, d *iam.Document) {
		sets := a.docs[d]
		for i, s := range d.Statements {
			if s.Effect == iam.EffectInvalid {
				continue
			}
			g := &Grant{Kind: kind, Path: path, Statement: s, level: level, sets: &sets[i]}
			switch {
			case s.Effect == iam.Deny:
				p.Denies = append(p.Denies, g)
			case kind == iam.KindIdentity:
				p.Allows = append(p.Allows, g)
			default:
				p.Bounds = append(p.Bounds, g)
			}
		}
	}
	for _, pp := range a.Graph.IdentityPolicies(n) {
		if pp.Doc != nil && pp.Doc.Doc != nil {
			add(iam.KindIdentity, 0, pp, pp.Doc.Doc)
		}
	}
	if b := a.Graph.Boundary(n); b != nil && b.Doc != nil && b.Doc.Doc != nil {
		p.hasBoundary = true
		add(iam.KindBoundary, 0, *b, b.Doc.Doc)
	}
	for i, level := range a.Graph.scpLevels(n) {
		p.scpLevels++
		for _, node := range level {
			path := PolicyPath{Kind: iam.KindSCP, Doc: node.Doc, Hops: []Hop{nodeHop(node)}}
			add(iam.KindSCP, i, path, node.Doc.Doc)
		}
	}
	p.compute(a.cat.NumActions())
	p.known = principalContext(n)
	return p
}

// compute derives the action sets from the statements.
func (p *Permissions) compute(numActions int) {
	poss, some := catalog.NewSet(numActions), catalog.NewSet(numActions)
	for _, g := range p.Allows {
		poss.Union(g.sets.possible)
		if g.sets.unconditional() {
			some.Union(g.sets.certain)
		}
	}
	for _, layer := range p.capLayers() {
		lp, lc := catalog.NewSet(numActions), catalog.NewSet(numActions)
		for _, g := range layer {
			lp.Union(g.sets.possible)
			if g.sets.unconditional() {
				lc.Union(g.sets.certain)
			}
		}
		poss.Intersect(lp)
		some.Intersect(lc)
	}
	full := some // shared when no deny takes anything from either
	if len(p.Denies) > 0 {
		full = some.Clone()
	}
	// deniedOutright: certainly denied on every resource in every
	// request; deniedWide: may be denied on every resource.
	var deniedOutright, deniedWide catalog.Set // usually empty
	for _, g := range p.Denies {
		full.Subtract(g.sets.possible)
		if g.sets.allResources {
			some.Subtract(g.sets.possible)
			deniedWide.Union(g.sets.possible)
		}
		if g.sets.unconditional() {
			deniedOutright.Union(g.sets.certain)
		}
	}
	poss.Subtract(deniedOutright)
	p.Actions, p.Some, p.Full = poss, some, full
	p.deniedOutright, p.deniedWide = deniedOutright.Len(), deniedWide.Len()

	// Every layer must allow every action on every resource: the
	// identity policies and each cap.
	everything := coverage(p.Allows, numActions)
	p.capCover = p.capCover[:0]
	for _, layer := range p.capLayers() {
		c := coverage(layer, numActions)
		p.capCover = append(p.capCover, c)
		everything = min(everything, c)
	}
	switch {
	case p.deniedOutright > numActions/2 || everything == iam.No:
		p.Admin = iam.No
	case p.deniedWide > numActions/2 || everything == iam.Maybe:
		p.Admin = iam.Maybe
	default:
		p.Admin = iam.Yes
	}
}

// capLayers groups the boundary and SCP allow statements by layer: the
// boundary, then each SCP level. Every layer must allow an action.
func (p *Permissions) capLayers() [][]*Grant {
	var layers [][]*Grant
	if p.hasBoundary {
		layers = append(layers, nil)
	}
	for range p.scpLevels {
		layers = append(layers, nil)
	}
	for _, g := range p.Bounds {
		i := g.level
		if g.Kind == iam.KindSCP && p.hasBoundary {
			i++
		}
		layers[i] = append(layers[i], g)
	}
	return layers
}

// coverage says whether statements allow every action on every
// resource: in every request (Yes), in some (Maybe), or not (No).
func coverage(grants []*Grant, n int) iam.Tri {
	possible := catalog.NewSet(n)
	for _, g := range grants {
		if g.sets.allResources {
			possible.Union(g.sets.possible)
		}
	}
	if possible.Len() < n {
		return iam.No
	}
	certain := possible // reused: only the certain actions from here on
	clear(certain)
	for _, g := range grants {
		if g.sets.allResources && !g.sets.conditional {
			certain.Union(g.sets.certain)
		}
	}
	if certain.Len() == n {
		return iam.Yes
	}
	return iam.Maybe
}

// principalContext is what every request by the principal carries,
// whoever makes it: the condition keys the principal itself settles.
func principalContext(n *Node) *iam.Context {
	id := identityOf(n)
	if id == nil {
		return nil
	}
	ctx := &iam.Context{}
	if !symbolic(id.ARN) {
		ctx.Set("aws:PrincipalArn", id.ARN)
	}
	if !symbolic(id.Account) && id.Account != "" {
		ctx.Set("aws:PrincipalAccount", id.Account)
	}
	ctx.Set("aws:PrincipalIsAWSService", "false")
	if n.User != nil {
		ctx.Set("aws:PrincipalType", "User")
		if !symbolic(id.Name) {
			ctx.Set("aws:username", id.Name)
		}
		for k, v := range id.Tags {
			ctx.Set("aws:PrincipalTag/"+k, v)
		}
	} else {
		ctx.Set("aws:PrincipalType", "AssumedRole")
	}
	return ctx
}

// knownKey reports whether the principal settles a condition key: the
// keys principalContext sets (unless their value is symbolic), and keys
// AWS never sets for an IAM principal's request. A user's tags are
// settled when the loader knew them; a role's are not, since session tags
// override them.
func (p *Permissions) knownKey(key string) bool {
	k := strings.ToLower(key)
	switch k {
	case "aws:principalarn", "aws:principalaccount", "aws:username":
		return p.known.Has(k)
	case "aws:principaltype", "aws:principalisawsservice", "aws:principalservicename", "aws:principalservicenamelist":
		return true
	}
	if strings.HasPrefix(k, "aws:principaltag/") {
		u := p.Principal.User
		return u != nil && !tagsUnknown(&u.Identity)
	}
	return false
}

// Decide answers whether the principal's side allows an action on a
// resource: its identity policies, boundary and SCPs, for requests that
// carry what the principal settles and anything else (Yes in every
// request, No in none, Maybe in some). Where AWS also requires the
// resource's policy (a KMS key policy, a role's trust policy, any
// resource in another account) Decide answers as if that policy
// delegated to the principal's account; whether it does is a question
// about the resource (see the role-assumption facts).
func (p *Permissions) Decide(action, resource string) iam.PartialResult {
	return p.decideWith(action, resource, nil)
}

var delegations sync.Map // account → *iam.Policy

// delegation is a resource-based policy that lets an account's identity
// policies decide, as the default key policy does.
func delegation(account string) *iam.Policy {
	if v, ok := delegations.Load(account); ok {
		return v.(*iam.Policy)
	}
	src, _ := json.Marshal(map[string]any{"Version": iam.Version2012, "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"}, "Action": "*", "Resource": "*"}}})
	doc, _ := iam.ParsePolicy(src, iam.ParseOptions{Filename: "delegation", Kind: iam.KindResource})
	pol := &iam.Policy{Name: "delegation to account " + account, Doc: doc}
	v, _ := delegations.LoadOrStore(account, pol)
	return v.(*iam.Policy)
}

func identityOf(n *Node) *iam.Identity {
	switch {
	case n == nil:
		return nil
	case n.User != nil:
		return &n.User.Identity
	case n.Role != nil:
		return &n.Role.Identity
	}
	return nil
}

// accountOf is the principal's account as the evaluator reads it from
// its ARN: a 12-digit ID or a symbolic form.
func accountOf(id *iam.Identity) string {
	if a, ok := iam.ParseARN(id.ARN); ok {
		return a.Account
	}
	return id.Account
}

func symbolic(s string) bool { return strings.Contains(s, "${") }

func tagsUnknown(id *iam.Identity) bool {
	for _, f := range id.Unknown {
		if strings.Contains(strings.ToLower(f), "tag") {
			return true
		}
	}
	return false
}

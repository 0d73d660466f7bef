// Package accessdiff compares the access two states of the same inputs
// grant — a pull request's base and head — the offline counterpart of
// IAM Access Analyzer's CheckNoNewAccess. It works on the analyzer's
// facts, not on the text of the policies: moving a statement into a group
// policy or splitting a policy changes nothing here, while adding
// iam:PassRole to a developer shows up as the actions gained and, when it
// opens one, as a new escalation path.
//
// Compare returns a Diff: per principal, the catalog actions gained and
// lost (by service and access level, certain or conditional); the trust
// relationships, role-assumption edges and escalation paths added and
// removed; and the findings of the rules added and removed. Violations
// checks the growth against an allow list (see ParseAllow). The Diff
// renders as text (a unified diff of per-principal permission summaries),
// JSON and Markdown.
//
// The states are compared on the analyzer's facts, principal by
// principal: permission sets as bit sets, can-assume edges by index, so
// that comparing two states that are mostly the same costs little more
// than indexing them, and only what differs is expanded into actions and
// summaries. NewBase keeps what Compare needs of the base alone, so that
// the base's analysis can be freed before the head's is made.
//
// Principals are matched across the states by ARN when it is known, else
// by address. Names of files below a state's Root are shown relative to
// it, so that two copies of one tree in different folders compare
// equal.
package accessdiff

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

// State is one side of a comparison.
type State struct {
	// Name is how output names the state: its folder, or "git:REF".
	Name string
	// Root is the folder the state was read from; names below it are
	// shown relative to it ("" keeps names as they are).
	Root     string
	Analysis *analyzer.Analysis
	// Findings are those of the rules on the state, suppressions applied;
	// compute them with rules.Runner.Root set to Root so that their
	// fingerprints match across states.
	Findings []rules.Finding
}

// Principal names a user or role of a state.
type Principal struct {
	// Key matches the principal across states: its ARN when known, else
	// its address (with its folder when two root modules use the same
	// address).
	Key  string `json:"key"`
	Kind string `json:"kind"` // user or role
	Name string `json:"name"`
	ARN  string `json:"arn,omitempty"`
	Addr string `json:"addr"`
	Pos  string `json:"pos,omitempty"`
}

// Label is "user dana".
func (p Principal) Label() string { return p.Kind + " " + p.Name }

// String is "user dana (aws_iam_user.dana)".
func (p Principal) String() string { return p.Label() + " (" + p.Key + ")" }

// ActionGroup is actions of one service and access level.
type ActionGroup struct {
	Service     string `json:"service"`
	AccessLevel string `json:"accessLevel"`
	// Certain: allowed on every resource no deny names, in every
	// request; else conditional (under conditions, or on some resources).
	Certain bool     `json:"certain"`
	Actions []string `json:"actions"`
}

// PrincipalChange is how one principal's own permissions changed.
type PrincipalChange struct {
	Principal Principal `json:"principal"`
	// Change is "added" (only in head), "removed" (only in base) or
	// "changed".
	Change string `json:"change"`
	// AdminBefore and AdminAfter say whether the principal is an
	// administrator in each state: yes, conditional, no ("" when it does
	// not exist there).
	AdminBefore string `json:"adminBefore"`
	AdminAfter  string `json:"adminAfter"`
	// Gained are the actions it may perform in head and not in base;
	// Lost the reverse. Widened are actions that were conditional and are
	// certain; Narrowed the reverse.
	Gained   []ActionGroup `json:"gained"`
	Lost     []ActionGroup `json:"lost"`
	Widened  []ActionGroup `json:"widened"`
	Narrowed []ActionGroup `json:"narrowed"`

	before, after *principal // nil where it does not exist (see summary)
	grows         catalog.Set
}

// TrustChange is a principal a role's trust policy admits.
type TrustChange struct {
	Role Principal `json:"role"`
	// Kind is anyone, account, principal, service, federated or other.
	Kind  string `json:"kind"`
	Value string `json:"value"`
	// Account is the account of an AWS principal, "" for services,
	// federated providers and anyone.
	Account string `json:"account,omitempty"`
	// Actions are the sts actions the statement allows
	// (sts:AssumeRole, sts:TagSession, ...).
	Actions     []string `json:"actions"`
	Conditional bool     `json:"conditional"`
	External    bool     `json:"external"`
	// Grows is set on an added entry that admits more than base did (not
	// on one that only tightens an existing trust).
	Grows bool `json:"grows"`
}

// AssumeChange is a can-assume edge between principals of the inputs.
type AssumeChange struct {
	From       Principal `json:"from"`
	Role       Principal `json:"role"`
	Allowed    string    `json:"allowed"` // yes or conditional
	MFA        bool      `json:"mfa"`
	ExternalID bool      `json:"externalId"`
	Grows      bool      `json:"grows"`
}

// EscalationChange is a principal's shortest escalation path.
type EscalationChange struct {
	Principal Principal `json:"principal"`
	Target    Principal `json:"target"`
	// Admin: the path ends with administrator permissions (yes,
	// conditional) or only with some permissions the principal lacks (no).
	Admin   string `json:"admin"`
	Allowed string `json:"allowed"`
	Moves   []Move `json:"moves"`
	Grows   bool   `json:"grows"`
}

// Move is one hop of an escalation path.
type Move struct {
	From      string   `json:"from"` // principal keys
	To        string   `json:"to"`
	Technique string   `json:"technique"`
	Name      string   `json:"name"`
	Allowed   string   `json:"allowed"`
	Actions   []string `json:"actions"`
	Via       string   `json:"via,omitempty"`
}

// Finding is a finding of the rules, with its location relative to its
// state's root.
type Finding struct {
	RuleID      string   `json:"ruleId"`
	Severity    string   `json:"severity"`
	Message     string   `json:"message"`
	Location    Location `json:"location"`
	Path        string   `json:"path"`
	Fingerprint string   `json:"fingerprint"`

	idx int // in its state's Findings
}

// Location is a file position.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (l Location) String() string { return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column) }

// Changes are entries only in head (Added) and only in base (Removed).
type Changes[T any] struct {
	Added   []T `json:"added"`
	Removed []T `json:"removed"`
}

// Diff is the difference between two states.
type Diff struct {
	Base, Head  string
	Principals  []*PrincipalChange
	Trust       Changes[TrustChange]
	Assume      Changes[AssumeChange]
	Escalations Changes[EscalationChange]
	Findings    Changes[Finding]

	head *side // for locating changes in head's files (see Report)
}

// AccessChanged reports whether access changed: principals, their
// permissions, trust, role assumption or escalation paths. Findings may
// change without it.
func (d *Diff) AccessChanged() bool {
	return len(d.Principals) > 0 || len(d.Trust.Added)+len(d.Trust.Removed)+len(d.Assume.Added)+len(d.Assume.Removed)+
		len(d.Escalations.Added)+len(d.Escalations.Removed) > 0
}

// Empty reports whether nothing changed, findings included.
func (d *Diff) Empty() bool {
	return len(d.Principals) == 0 && len(d.Trust.Added)+len(d.Trust.Removed)+len(d.Assume.Added)+len(d.Assume.Removed)+
		len(d.Escalations.Added)+len(d.Escalations.Removed)+len(d.Findings.Added)+len(d.Findings.Removed) == 0
}

// side is one state indexed for the comparison: its principals with
// their permission sets, trust relationships, can-assume edges,
// escalation paths and findings, by principal index. The side of a Base
// keeps nothing else; the head's also keeps the state and its analysis,
// to locate the changes in its files (see Report).
type side struct {
	name  string
	root  string
	ps    []principal    // in graph order
	byKey map[string]int // index in ps (of the last principal with the key)
	// assume holds each principal's can-assume edges, in the order of
	// Analysis.Assumable.
	assume      [][]assumeEdge
	trust       []TrustChange
	escalations []EscalationChange
	findings    []Finding

	st    *State
	a     *analyzer.Analysis
	nodes []*analyzer.Node // principals, by index
	index map[*analyzer.Node]int
}

// principal is a principal of a side with what Compare needs of its
// permissions. The sets are the analysis's own, not copies: once the
// analysis is dropped they are all of it that stays in memory.
type principal struct {
	Principal
	hasPerms      bool
	admin         iam.Tri
	actions, some catalog.Set
}

// assumeEdge is a can-assume edge of a side's principal.
type assumeEdge struct {
	role            int32 // index in the side's principals; -1 when the role is not one
	allowed         iam.Tri
	mfa, externalID bool
}

func (s *side) rel(name string) string { return rules.TrimRoot(s.root, name) }

// info returns a principal's Principal (the zero Principal for a node
// that is not one of the side's principals).
func (s *side) info(n *analyzer.Node) Principal {
	if i, ok := s.index[n]; ok {
		return s.ps[i].Principal
	}
	return Principal{}
}

// node returns the principal with a key, or nil.
func (s *side) node(key string) *analyzer.Node {
	if i, ok := s.byKey[key]; ok {
		return s.nodes[i]
	}
	return nil
}

// perms returns the principal with a key when it has permissions, else
// nil.
func (s *side) perms(key string) *principal {
	if i, ok := s.byKey[key]; ok && s.ps[i].hasPerms {
		return &s.ps[i]
	}
	return nil
}

// roleKey is the key of an edge's role.
func (s *side) roleKey(e assumeEdge) string {
	if e.role < 0 {
		return ""
	}
	return s.ps[e.role].Key
}

func newSide(st *State) *side {
	s := &side{name: st.Name, root: st.Root, st: st, a: st.Analysis, byKey: map[string]int{}, index: map[*analyzer.Node]int{}}
	if s.a != nil {
		s.nodes = s.a.Graph.Principals()
		s.ps = make([]principal, len(s.nodes))
		count := map[string]int{}
		for i, n := range s.nodes {
			p := s.principal(n)
			s.ps[i].Principal = p
			s.index[n] = i
			count[p.Key]++
		}
		for i, n := range s.nodes {
			x := &s.ps[i]
			if count[x.Key] > 1 {
				// Two root modules that declare the same address.
				x.Key += " in " + filepath.ToSlash(filepath.Dir(s.rel(n.Src.Range.Filename)))
			}
			s.byKey[x.Key] = i
			if p := s.a.Permissions(n); p != nil {
				x.hasPerms, x.admin, x.actions, x.some = true, p.Admin, p.Actions, p.Some
			}
		}
		s.assume = s.assumeEdges()
		s.trust = s.trustees()
		s.escalations = s.escalationList()
	}
	s.findings = s.findingList()
	return s
}

func (s *side) principal(n *analyzer.Node) Principal {
	var id *iam.Identity
	switch {
	case n.User != nil:
		id = &n.User.Identity
	case n.Role != nil:
		id = &n.Role.Identity
	}
	p := Principal{Kind: n.Kind.String(), Name: n.ID, Addr: s.rel(n.ID)}
	if id != nil {
		p.Name, p.ARN = s.rel(id.Name), s.rel(id.ARN)
	}
	if r := n.Src.Range; r.Filename != "" && !strings.HasPrefix(r.Filename, "arn:") {
		p.Pos = fmt.Sprintf("%s:%d:%d", filepath.ToSlash(s.rel(r.Filename)), r.Start.Line, r.Start.Column)
	}
	p.Key = p.Addr
	if id != nil && id.ARN != "" && !id.IsUnknown("ARN") && !strings.Contains(id.ARN, "${") {
		p.Key = id.ARN
	}
	return p
}

// Base is what Compare needs of the state it compares from, without the
// state: its principals and their permission sets, trust relationships,
// can-assume edges, escalation paths and findings. Making the Base of a
// state and dropping the state lets its analysis, model and findings be
// freed before the head is loaded, so that a comparison holds one
// analysis at a time.
type Base struct{ s *side }

// NewBase returns what Compare needs of st as a base.
func NewBase(st *State) *Base {
	s := newSide(st)
	s.st, s.a, s.nodes, s.index = nil, nil, nil, nil
	return &Base{s: s}
}

// Compare computes the difference from base to head.
func Compare(base, head *State) *Diff { return NewBase(base).Compare(head) }

// Compare computes the difference from the base to head.
func (base *Base) Compare(head *State) *Diff {
	b, h := base.s, newSide(head)
	d := &Diff{Base: b.name, Head: head.Name, head: h}
	d.comparePrincipals(b, h)
	d.compareTrust(b, h)
	d.compareAssume(b, h)
	d.compareEscalations(b, h)
	d.compareFindings(b, h)
	return d
}

// ---- permissions ----

func (d *Diff) comparePrincipals(b, h *side) {
	cat := catalog.Default()
	keys := make([]string, 0, max(len(b.byKey), len(h.byKey)))
	for k := range b.byKey {
		keys = append(keys, k)
	}
	for k := range h.byKey {
		if _, ok := b.byKey[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		bp, hp := b.perms(k), h.perms(k)
		c := &PrincipalChange{Gained: []ActionGroup{}, Lost: []ActionGroup{}, Widened: []ActionGroup{}, Narrowed: []ActionGroup{}}
		switch {
		case bp == nil && hp == nil:
			continue
		case bp == nil:
			c.Principal, c.Change, c.AdminAfter = hp.Principal, "added", hp.admin.String()
			c.Gained = groups(cat, hp.actions, hp.some)
			c.grows = hp.actions.Clone()
		case hp == nil:
			c.Principal, c.Change, c.AdminBefore = bp.Principal, "removed", bp.admin.String()
			c.Lost = groups(cat, bp.actions, bp.some)
		default:
			if bp.actions.Equal(hp.actions) && bp.some.Equal(hp.some) && bp.admin == hp.admin {
				continue
			}
			c.Principal, c.Change = hp.Principal, "changed"
			c.AdminBefore, c.AdminAfter = bp.admin.String(), hp.admin.String()
			gained := minus(hp.actions, bp.actions)
			lost := minus(bp.actions, hp.actions)
			widened := minus(hp.some, bp.some)
			widened.Intersect(bp.actions)
			narrowed := minus(bp.some, hp.some)
			narrowed.Intersect(hp.actions)
			c.Gained, c.Lost = groups(cat, gained, hp.some), groups(cat, lost, bp.some)
			c.Widened, c.Narrowed = groups(cat, widened, widened), groups(cat, narrowed, nil)
			c.grows = gained
			c.grows.Union(widened)
		}
		c.before, c.after = bp, hp
		d.Principals = append(d.Principals, c)
	}
}

func minus(a, b catalog.Set) catalog.Set {
	out := a.Clone()
	out.Subtract(b)
	return out
}

// groups splits a set of actions by service, access level and whether
// certain holds them, in service, level, certain-first order.
func groups(cat *catalog.Catalog, set, certain catalog.Set) []ActionGroup {
	type key struct {
		svc     *catalog.Service
		level   catalog.AccessLevel
		certain bool
	}
	// Each action's group first, so that the groups are made to size.
	acts := cat.SetActions(set)
	of := make([]int32, len(acts))
	idx := map[key]int{}
	var order []key
	var size []int
	for n, act := range acts {
		k := key{act.Service, act.Access, certain.Has(act.Index)}
		i, ok := idx[k]
		if !ok {
			i = len(order)
			idx[k] = i
			order = append(order, k)
			size = append(size, 0)
		}
		of[n] = int32(i)
		size[i]++
	}
	out := make([]ActionGroup, len(order))
	for i, k := range order {
		out[i] = ActionGroup{Service: k.svc.Prefix, AccessLevel: k.level.String(), Certain: k.certain, Actions: make([]string, 0, size[i])}
	}
	for n, act := range acts {
		out[of[n]].Actions = append(out[of[n]].Actions, act.FullName())
	}
	perm := make([]int, len(out))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(x, y int) int {
		a, b := order[x], order[y]
		return cmp.Or(strings.Compare(a.svc.Prefix, b.svc.Prefix), cmp.Compare(a.level, b.level), -cmpBool(a.certain, b.certain))
	})
	sorted := make([]ActionGroup, len(out))
	for i, j := range perm {
		sorted[i] = out[j]
	}
	return sorted
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// summary is a principal's permissions as lines: whether it is an
// administrator, then one line per service and access level
// ("s3 Write: PutObject, DeleteObject"; conditional actions on a line
// of their own; "all 87 actions" when it has every action of the level).
// A principal that does not exist has none.
func summary(cat *catalog.Catalog, p *principal) []string {
	if p == nil {
		return nil
	}
	var lines []string
	if p.admin != iam.No {
		lines = append(lines, "administrator ("+p.admin.String()+")")
	}
	for _, svc := range cat.Services() {
		var total [catalog.PermissionsManagement + 1]int
		var certain, cond [catalog.PermissionsManagement + 1][]string
		for _, act := range svc.Actions {
			total[act.Access]++
			switch {
			case !p.actions.Has(act.Index):
			case p.some.Has(act.Index):
				certain[act.Access] = append(certain[act.Access], act.Name)
			default:
				cond[act.Access] = append(cond[act.Access], act.Name)
			}
		}
		for level := catalog.List; level <= catalog.PermissionsManagement; level++ {
			for _, l := range []struct {
				names []string
				note  string
			}{{certain[level], ""}, {cond[level], " (conditional)"}} {
				if len(l.names) == 0 {
					continue
				}
				list := strings.Join(l.names, ", ")
				if len(l.names) == total[level] && total[level] > 1 {
					list = "all " + strconv.Itoa(total[level]) + " actions"
				}
				lines = append(lines, fmt.Sprintf("%s %s%s: %s", svc.Prefix, level, l.note, list))
			}
		}
	}
	return lines
}

// ---- trust ----

func trustKey(t TrustChange) string {
	return strings.Join([]string{t.Role.Key, t.Kind, t.Value, strings.Join(t.Actions, ","), strconv.FormatBool(t.Conditional)}, "\x00")
}

func (s *side) trustees() []TrustChange {
	var out []TrustChange
	seen := map[string]bool{}
	for i, n := range s.nodes {
		if n.Role == nil {
			continue
		}
		for _, t := range s.a.Trustees(n) {
			tc := TrustChange{Role: s.ps[i].Principal, Kind: t.Kind.String(), Value: s.rel(t.Value), Account: s.rel(t.Account), Actions: slices.Clone(t.Actions),
				Conditional: t.Conditional(), External: t.External}
			if k := trustKey(tc); !seen[k] {
				seen[k] = true
				out = append(out, tc)
			}
		}
	}
	return out
}

func (d *Diff) compareTrust(b, h *side) {
	d.Trust.Added, d.Trust.Removed = setDiff(b.trust, h.trust, trustKey)
	byRole := groupBy(b.trust, func(t TrustChange) string { return t.Role.Key })
	for i := range d.Trust.Added {
		t := &d.Trust.Added[i]
		t.Grows = !slices.ContainsFunc(byRole[t.Role.Key], func(o TrustChange) bool {
			return o.Kind == t.Kind && o.Value == t.Value && (!o.Conditional || t.Conditional) && subset(t.Actions, o.Actions)
		})
	}
	sortBy(d.Trust.Added, trustKey)
	sortBy(d.Trust.Removed, trustKey)
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// groupBy returns the entries of list by key, in list order.
func groupBy[T any](list []T, key func(T) string) map[string][]T {
	m := map[string][]T{}
	for _, x := range list {
		m[key(x)] = append(m[key(x)], x)
	}
	return m
}

// setDiff returns the entries of head not in base and those of base not
// in head, by key.
func setDiff[T any](base, head []T, key func(T) string) (added, removed []T) {
	in := func(list []T) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, x := range list {
			m[key(x)] = true
		}
		return m
	}
	bk, hk := in(base), in(head)
	added, removed = []T{}, []T{}
	for _, x := range head {
		if !bk[key(x)] {
			added = append(added, x)
		}
	}
	for _, x := range base {
		if !hk[key(x)] {
			removed = append(removed, x)
		}
	}
	return added, removed
}

func sortBy[T any](list []T, key func(T) string) {
	slices.SortStableFunc(list, func(x, y T) int { return strings.Compare(key(x), key(y)) })
}

// ---- role assumption ----

func assumeKey(a AssumeChange) string {
	return strings.Join([]string{a.From.Key, a.Role.Key, a.Allowed, strconv.FormatBool(a.MFA), strconv.FormatBool(a.ExternalID)}, "\x00")
}

// assumeEdges returns every principal's can-assume edges. There are as
// many as principals times the roles that trust their account, so they
// are kept small: the role by index.
func (s *side) assumeEdges() [][]assumeEdge {
	out := make([][]assumeEdge, len(s.nodes))
	for i, n := range s.nodes {
		list := s.a.Assumable(n)
		if len(list) == 0 {
			continue
		}
		out[i] = make([]assumeEdge, len(list))
		for j, as := range list {
			role := int32(-1)
			if r, ok := s.index[as.Role]; ok {
				role = int32(r)
			}
			out[i][j] = assumeEdge{role: role, allowed: as.Allowed, mfa: as.MFA, externalID: as.ExternalID}
		}
	}
	return out
}

// assumeFrom is the can-assume edges of the principals with one key (one
// principal but where two share a key), in principal order.
type assumeFrom struct {
	s     *side
	from  []int // principals
	edges []assumeEdge
	by    []int // the principal of each edge, index in from
}

// assumeGroups groups a side's can-assume edges by the key of the
// principal that may assume.
func (s *side) assumeGroups() map[string]*assumeFrom {
	m := make(map[string]*assumeFrom, len(s.assume))
	for i, edges := range s.assume {
		if len(edges) == 0 {
			continue
		}
		g := m[s.ps[i].Key]
		if g == nil {
			g = &assumeFrom{s: s}
			m[s.ps[i].Key] = g
		}
		for range edges {
			g.by = append(g.by, len(g.from))
		}
		g.from = append(g.from, i)
		g.edges = append(g.edges, edges...)
	}
	return m
}

func (g *assumeFrom) change(k int) AssumeChange {
	e := g.edges[k]
	role := Principal{}
	if e.role >= 0 {
		role = g.s.ps[e.role].Principal
	}
	return AssumeChange{From: g.s.ps[g.from[g.by[k]]].Principal, Role: role, Allowed: e.allowed.String(), MFA: e.mfa, ExternalID: e.externalID}
}

// assumeTuple is an edge as compared across the sides.
type assumeTuple struct {
	role            string
	allowed         iam.Tri
	mfa, externalID bool
}

func (g *assumeFrom) tuple(k int) assumeTuple {
	e := g.edges[k]
	return assumeTuple{g.s.roleKey(e), e.allowed, e.mfa, e.externalID}
}

// same reports whether two groups hold the same edges in the same order.
func (g *assumeFrom) same(o *assumeFrom) bool {
	if g == nil || o == nil || len(g.edges) != len(o.edges) {
		return g == nil && o == nil
	}
	for k := range g.edges {
		if g.tuple(k) != o.tuple(k) {
			return false
		}
	}
	return true
}

// minus returns the changes of the edges of g that o does not have.
func (g *assumeFrom) minus(o *assumeFrom) []AssumeChange {
	var out []AssumeChange
	if g == nil {
		return out
	}
	has := map[assumeTuple]bool{}
	if o != nil {
		for k := range o.edges {
			has[o.tuple(k)] = true
		}
	}
	for k := range g.edges {
		if !has[g.tuple(k)] {
			out = append(out, g.change(k))
		}
	}
	return out
}

// compareAssume compares the can-assume edges principal by principal (an
// edge's key starts with its principal's).
func (d *Diff) compareAssume(b, h *side) {
	bg, hg := b.assumeGroups(), h.assumeGroups()
	d.Assume.Added, d.Assume.Removed = []AssumeChange{}, []AssumeChange{}
	compare := func(k string) {
		bf, hf := bg[k], hg[k]
		if bf.same(hf) {
			return
		}
		added := hf.minus(bf)
		var before map[string][]AssumeChange // base's edges of the principal, by role
		if len(added) > 0 && bf != nil {
			before = map[string][]AssumeChange{}
			for i := range bf.edges {
				x := bf.change(i)
				before[x.Role.Key] = append(before[x.Role.Key], x)
			}
		}
		for i := range added {
			x := &added[i]
			// It grows unless base had the edge with no fewer requirements.
			x.Grows = !slices.ContainsFunc(before[x.Role.Key], func(o AssumeChange) bool {
				return (o.Allowed == iam.Yes.String() || x.Allowed != iam.Yes.String()) && (!o.MFA || x.MFA) && (!o.ExternalID || x.ExternalID)
			})
		}
		d.Assume.Added = append(d.Assume.Added, added...)
		d.Assume.Removed = append(d.Assume.Removed, bf.minus(hf)...)
	}
	for k := range bg {
		compare(k)
	}
	for k := range hg {
		if bg[k] == nil {
			compare(k)
		}
	}
	sortBy(d.Assume.Added, assumeKey)
	sortBy(d.Assume.Removed, assumeKey)
}

// ---- escalation ----

func escKey(e EscalationChange) string {
	return strings.Join([]string{e.Principal.Key, e.Target.Key, e.Admin, e.Allowed}, "\x00")
}

func (s *side) escalationList() []EscalationChange {
	var out []EscalationChange
	for _, e := range s.a.Escalations() {
		ec := EscalationChange{Principal: s.info(e.Principal), Target: s.info(e.Target()), Admin: e.Admin.String(), Allowed: e.Allowed().String(), Moves: []Move{}}
		for _, m := range e.Moves {
			mv := Move{From: s.info(m.From).Key, To: s.info(m.To).Key, Technique: m.Technique.ID, Name: m.Technique.Name, Allowed: m.Allowed.String(), Actions: []string{}}
			for _, st := range m.Steps {
				if !slices.Contains(mv.Actions, st.Action) {
					mv.Actions = append(mv.Actions, st.Action)
				}
			}
			if m.Via != nil {
				mv.Via = s.rel(m.Via.ID)
			}
			ec.Moves = append(ec.Moves, mv)
		}
		out = append(out, ec)
	}
	return out
}

func (d *Diff) compareEscalations(b, h *side) {
	d.Escalations.Added, d.Escalations.Removed = setDiff(b.escalations, h.escalations, escKey)
	rank := map[string]int{"no": 0, "conditional": 1, "yes": 2}
	byPrincipal := groupBy(b.escalations, func(e EscalationChange) string { return e.Principal.Key })
	for i := range d.Escalations.Added {
		x := &d.Escalations.Added[i]
		// It grows unless base's path already got the principal as far
		// (administrator, or the same principal's permissions) as surely.
		x.Grows = !slices.ContainsFunc(byPrincipal[x.Principal.Key], func(o EscalationChange) bool {
			return (x.Admin != "no" || o.Target.Key == x.Target.Key) && rank[o.Admin] >= rank[x.Admin] && rank[o.Allowed] >= rank[x.Allowed]
		})
	}
	sortBy(d.Escalations.Added, escKey)
	sortBy(d.Escalations.Removed, escKey)
}

// ---- findings ----

func (s *side) findingList() []Finding {
	out := make([]Finding, 0, len(s.st.Findings))
	for i, f := range s.st.Findings {
		out = append(out, Finding{
			RuleID: f.RuleID, Severity: f.Severity.String(), Message: s.rel(f.Message),
			Location: location(s, f.Range), Path: s.rel(f.Path), Fingerprint: f.Fingerprint, idx: i,
		})
	}
	return out
}

func location(s *side, r hcl.Range) Location {
	return Location{File: filepath.ToSlash(s.rel(r.Filename)), Line: r.Start.Line, Column: r.Start.Column}
}

// compareFindings matches findings by rule, fingerprint and message,
// then the rest by rule and message: a fingerprint hashes the finding's
// logical address, which for an account authorization dump holds list
// indexes that shift when principals are added before others, so the
// same fingerprint may name another principal's finding. A finding whose
// message changed shows as removed and added.
func (d *Diff) compareFindings(b, h *side) {
	bf, hf := b.findings, h.findings
	usedB := make([]bool, len(bf))
	usedH := make([]bool, len(hf))
	type match struct{ rule, fingerprint, message string }
	for _, key := range []func(Finding) match{
		func(f Finding) match { return match{f.RuleID, f.Fingerprint, f.Message} },
		func(f Finding) match { return match{f.RuleID, "", f.Message} },
	} {
		free := map[match][]int{}
		for i, f := range bf {
			if !usedB[i] {
				free[key(f)] = append(free[key(f)], i)
			}
		}
		for i, f := range hf {
			if usedH[i] {
				continue
			}
			if idx := free[key(f)]; len(idx) > 0 {
				free[key(f)] = idx[1:]
				usedB[idx[0]], usedH[i] = true, true
			}
		}
	}
	d.Findings.Added, d.Findings.Removed = []Finding{}, []Finding{}
	for i, f := range hf {
		if !usedH[i] {
			d.Findings.Added = append(d.Findings.Added, f)
		}
	}
	for i, f := range bf {
		if !usedB[i] {
			d.Findings.Removed = append(d.Findings.Removed, f)
		}
	}
}

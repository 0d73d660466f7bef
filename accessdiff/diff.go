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
// Principals are matched across the states by ARN when it is known, else
// by address. Names of files below a state's Root are shown relative to
// it, so that two copies of one tree in different folders compare
// equal.
package accessdiff

import (
	"cmp"
	"fmt"
	"maps"
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

	before, after []string // permission summaries
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

// side is one state indexed for the comparison.
type side struct {
	st    *State
	a     *analyzer.Analysis
	nodes []*analyzer.Node // principals
	info  map[*analyzer.Node]Principal
	byKey map[string]*analyzer.Node
}

func (s *side) rel(name string) string { return rules.TrimRoot(s.st.Root, name) }

func newSide(st *State) *side {
	s := &side{st: st, a: st.Analysis, info: map[*analyzer.Node]Principal{}, byKey: map[string]*analyzer.Node{}}
	if s.a == nil {
		return s
	}
	s.nodes = s.a.Graph.Principals()
	count := map[string]int{}
	for _, n := range s.nodes {
		p := s.principal(n)
		s.info[n] = p
		count[p.Key]++
	}
	for _, n := range s.nodes {
		p := s.info[n]
		if count[p.Key] > 1 {
			// Two root modules that declare the same address.
			p.Key += " in " + filepath.ToSlash(filepath.Dir(s.rel(n.Src.Range.Filename)))
			s.info[n] = p
		}
		s.byKey[p.Key] = n
	}
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

// Compare computes the difference from base to head.
func Compare(base, head *State) *Diff {
	b, h := newSide(base), newSide(head)
	d := &Diff{Base: base.Name, Head: head.Name, head: h}
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
	keys := map[string]bool{}
	for k := range b.byKey {
		keys[k] = true
	}
	for k := range h.byKey {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		bn, hn := b.byKey[k], h.byKey[k]
		var bp, hp *analyzer.Permissions
		if bn != nil {
			bp = b.a.Permissions(bn)
		}
		if hn != nil {
			hp = h.a.Permissions(hn)
		}
		c := &PrincipalChange{Gained: []ActionGroup{}, Lost: []ActionGroup{}, Widened: []ActionGroup{}, Narrowed: []ActionGroup{}}
		switch {
		case bp == nil && hp == nil:
			continue
		case bp == nil:
			c.Principal, c.Change, c.AdminAfter = h.info[hn], "added", hp.Admin.String()
			c.Gained = groups(cat, hp.Actions, hp.Some)
			c.grows = hp.Actions.Clone()
		case hp == nil:
			c.Principal, c.Change, c.AdminBefore = b.info[bn], "removed", bp.Admin.String()
			c.Lost = groups(cat, bp.Actions, bp.Some)
		default:
			if bp.Actions.Equal(hp.Actions) && bp.Some.Equal(hp.Some) && bp.Admin == hp.Admin {
				continue
			}
			c.Principal, c.Change = h.info[hn], "changed"
			c.AdminBefore, c.AdminAfter = bp.Admin.String(), hp.Admin.String()
			gained := minus(hp.Actions, bp.Actions)
			lost := minus(bp.Actions, hp.Actions)
			widened := minus(hp.Some, bp.Some)
			widened.Intersect(bp.Actions)
			narrowed := minus(bp.Some, hp.Some)
			narrowed.Intersect(hp.Actions)
			c.Gained, c.Lost = groups(cat, gained, hp.Some), groups(cat, lost, bp.Some)
			c.Widened, c.Narrowed = groups(cat, widened, widened), groups(cat, narrowed, nil)
			c.grows = gained
			c.grows.Union(widened)
		}
		if bp != nil {
			c.before = summary(cat, bp)
		}
		if hp != nil {
			c.after = summary(cat, hp)
		}
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
	out := []ActionGroup{}
	type key struct {
		svc     *catalog.Service
		level   catalog.AccessLevel
		certain bool
	}
	idx := map[key]int{}
	var order []key
	for _, act := range cat.SetActions(set) {
		k := key{act.Service, act.Access, certain.Has(act.Index)}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			order = append(order, k)
			out = append(out, ActionGroup{Service: act.Service.Prefix, AccessLevel: act.Access.String(), Certain: k.certain})
		}
		out[i].Actions = append(out[i].Actions, act.FullName())
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
func summary(cat *catalog.Catalog, p *analyzer.Permissions) []string {
	var lines []string
	if p.Admin != iam.No {
		lines = append(lines, "administrator ("+p.Admin.String()+")")
	}
	for _, s := range p.Summary() {
		for level := catalog.List; level <= catalog.PermissionsManagement; level++ {
			lc := s.Levels[level]
			if lc.Allowed == 0 {
				continue
			}
			var certain, cond []string
			for _, act := range s.Service.Actions {
				if act.Access != level || !p.Actions.Has(act.Index) {
					continue
				}
				if p.Some.Has(act.Index) {
					certain = append(certain, act.Name)
				} else {
					cond = append(cond, act.Name)
				}
			}
			for _, l := range []struct {
				names []string
				note  string
			}{{certain, ""}, {cond, " (conditional)"}} {
				if len(l.names) == 0 {
					continue
				}
				list := strings.Join(l.names, ", ")
				if len(l.names) == lc.Total && lc.Total > 1 {
					list = "all " + strconv.Itoa(lc.Total) + " actions"
				}
				lines = append(lines, fmt.Sprintf("%s %s%s: %s", s.Service.Prefix, level, l.note, list))
			}
		}
	}
	return lines
}

// ---- trust ----

func trustKey(t TrustChange) string {
	return strings.Join([]string{t.Role.Key, t.Kind, t.Value, strings.Join(t.Actions, ","), strconv.FormatBool(t.Conditional)}, "\x00")
}

func (s *side) trust() []TrustChange {
	var out []TrustChange
	seen := map[string]bool{}
	for _, n := range s.nodes {
		if n.Role == nil {
			continue
		}
		for _, t := range s.a.Trustees(n) {
			tc := TrustChange{Role: s.info[n], Kind: t.Kind.String(), Value: s.rel(t.Value), Account: s.rel(t.Account), Actions: slices.Clone(t.Actions),
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
	bt, ht := b.trust(), h.trust()
	d.Trust.Added, d.Trust.Removed = setDiff(bt, ht, trustKey)
	for i := range d.Trust.Added {
		t := &d.Trust.Added[i]
		t.Grows = !slices.ContainsFunc(bt, func(o TrustChange) bool {
			return o.Role.Key == t.Role.Key && o.Kind == t.Kind && o.Value == t.Value &&
				(!o.Conditional || t.Conditional) && subset(t.Actions, o.Actions)
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

// setDiff returns the entries of head not in base and those of base not
// in head, by key.
func setDiff[T any](base, head []T, key func(T) string) (added, removed []T) {
	in := func(list []T) map[string]bool {
		m := map[string]bool{}
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

func (s *side) assume() []AssumeChange {
	var out []AssumeChange
	for _, n := range s.nodes {
		for _, as := range s.a.Assumable(n) {
			out = append(out, AssumeChange{From: s.info[n], Role: s.info[as.Role], Allowed: as.Allowed.String(), MFA: as.MFA, ExternalID: as.ExternalID})
		}
	}
	return out
}

func (d *Diff) compareAssume(b, h *side) {
	ba := b.assume()
	d.Assume.Added, d.Assume.Removed = setDiff(ba, h.assume(), assumeKey)
	for i := range d.Assume.Added {
		x := &d.Assume.Added[i]
		// It grows unless base had the edge with no fewer requirements.
		x.Grows = !slices.ContainsFunc(ba, func(o AssumeChange) bool {
			return o.From.Key == x.From.Key && o.Role.Key == x.Role.Key &&
				(o.Allowed == iam.Yes.String() || x.Allowed != iam.Yes.String()) && (!o.MFA || x.MFA) && (!o.ExternalID || x.ExternalID)
		})
	}
	sortBy(d.Assume.Added, assumeKey)
	sortBy(d.Assume.Removed, assumeKey)
}

// ---- escalation ----

func escKey(e EscalationChange) string {
	return strings.Join([]string{e.Principal.Key, e.Target.Key, e.Admin, e.Allowed}, "\x00")
}

func (s *side) escalations() []EscalationChange {
	var out []EscalationChange
	for _, e := range s.a.Escalations() {
		ec := EscalationChange{Principal: s.info[e.Principal], Target: s.info[e.Target()], Admin: e.Admin.String(), Allowed: e.Allowed().String(), Moves: []Move{}}
		for _, m := range e.Moves {
			mv := Move{From: s.info[m.From].Key, To: s.info[m.To].Key, Technique: m.Technique.ID, Name: m.Technique.Name, Allowed: m.Allowed.String(), Actions: []string{}}
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
	be := b.escalations()
	d.Escalations.Added, d.Escalations.Removed = setDiff(be, h.escalations(), escKey)
	rank := map[string]int{"no": 0, "conditional": 1, "yes": 2}
	for i := range d.Escalations.Added {
		x := &d.Escalations.Added[i]
		// It grows unless base's path already got the principal as far
		// (administrator, or the same principal's permissions) as surely.
		x.Grows = !slices.ContainsFunc(be, func(o EscalationChange) bool {
			return o.Principal.Key == x.Principal.Key && (x.Admin != "no" || o.Target.Key == x.Target.Key) &&
				rank[o.Admin] >= rank[x.Admin] && rank[o.Allowed] >= rank[x.Allowed]
		})
	}
	sortBy(d.Escalations.Added, escKey)
	sortBy(d.Escalations.Removed, escKey)
}

// ---- findings ----

func (s *side) findings() []Finding {
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
	bf, hf := b.findings(), h.findings()
	usedB := make([]bool, len(bf))
	usedH := make([]bool, len(hf))
	for _, key := range []func(Finding) string{
		func(f Finding) string { return f.RuleID + "\x00" + f.Fingerprint + "\x00" + f.Message },
		func(f Finding) string { return f.RuleID + "\x00" + f.Message },
	} {
		free := map[string][]int{}
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

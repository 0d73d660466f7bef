package rego

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

// Sections selects the sections of the input document to build: a rule
// run builds those its rules refer to (on big accounts the input is much
// of a run's cost), `iamlint inspect` all of them.
type Sections uint16

// The sections, one per field of Input after Version and Now.
const (
	SectionAccounts Sections = 1 << iota
	SectionPrincipals
	SectionGroups
	SectionPolicies
	SectionDocuments
	SectionPermissions
	SectionAssumptions
	SectionEscalations

	AllSections = SectionEscalations<<1 - 1
)

// sectionNamed returns the section of a top-level key of the input
// document, 0 for version, now and unknown keys.
func sectionNamed(key string) Sections {
	switch key {
	case "accounts":
		return SectionAccounts
	case "principals":
		return SectionPrincipals
	case "groups":
		return SectionGroups
	case "policies":
		return SectionPolicies
	case "documents":
		return SectionDocuments
	case "permissions":
		return SectionPermissions
	case "assumptions":
		return SectionAssumptions
	case "escalations":
		return SectionEscalations
	}
	return 0
}

// BuildInput projects a rule input (its model and the analyzer's facts)
// into the input document, with the optional sections s asks for. now is
// the reference date.
func BuildInput(in *rules.Input, now time.Time, s Sections) *Input {
	b := newBuilder(in)
	a := b.a
	doc := &Input{Version: InputVersion, Now: now.Format(time.DateOnly)}
	has := func(x Sections) bool { return s&x != 0 }
	if has(SectionAccounts) {
		doc.Accounts = map[string]*Account{}
	}
	if has(SectionPrincipals) {
		doc.Principals = map[string]*Principal{}
	}
	if has(SectionGroups) {
		doc.Groups = map[string]*Group{}
	}
	if has(SectionPolicies) {
		doc.Policies = map[string]*Policy{}
	}
	if has(SectionDocuments) {
		doc.Documents = map[string]*Document{}
	}
	// The sections are built in parallel: the principals and the
	// documents are most of the work on a big account.
	var wg sync.WaitGroup
	each := func(m any, kind analyzer.NodeKind, f func(n *analyzer.Node)) {
		if reflect.ValueOf(m).IsNil() {
			return
		}
		wg.Go(func() {
			for _, n := range b.g.Nodes {
				if n.Kind == kind || (kind == analyzer.KindUser && n.Kind == analyzer.KindRole) {
					f(n)
				}
			}
		})
	}
	each(doc.Accounts, analyzer.KindAccount, func(n *analyzer.Node) { doc.Accounts[n.ID] = b.account(n) })
	each(doc.Principals, analyzer.KindUser, func(n *analyzer.Node) { doc.Principals[n.ID] = b.principal(n) })
	each(doc.Groups, analyzer.KindGroup, func(n *analyzer.Node) { doc.Groups[n.ID] = b.group(n) })
	each(doc.Policies, analyzer.KindPolicy, func(n *analyzer.Node) { doc.Policies[n.ID] = b.policy(n) })
	each(doc.Documents, analyzer.KindDocument, func(n *analyzer.Node) { doc.Documents[n.ID] = b.document(n) })
	wg.Wait()
	if has(SectionPermissions) {
		doc.Permissions = map[string]*Permissions{}
		for _, n := range b.g.Principals() {
			doc.Permissions[n.ID] = permissionsOf(a.Permissions(n))
		}
	}
	if has(SectionAssumptions) {
		doc.Assumptions = []*Assumption{}
		for _, n := range b.g.Principals() {
			for _, as := range a.Assumable(n) {
				doc.Assumptions = append(doc.Assumptions, &Assumption{From: as.From.ID, Role: as.Role.ID, Allowed: tri(as.Allowed), MFA: as.MFA, ExternalID: as.ExternalID})
			}
		}
	}
	if has(SectionEscalations) {
		doc.Escalations = map[string]*Escalation{}
		for _, e := range a.Escalations() {
			doc.Escalations[e.Principal.ID] = escalationOf(e)
		}
	}
	return doc
}

// newBuilder indexes the model for building input documents. The groups'
// refs, which their members share, are made up front, so that sections
// can be built in parallel.
func newBuilder(in *rules.Input) *builder {
	a := in.Analysis()
	b := &builder{a: a, g: a.Graph, inline: map[*iam.PolicyDocument]*iam.InlinePolicy{}, byARN: map[string]string{}, groups: map[*analyzer.Node][]*PolicyRef{}}
	b.index(in.Model)
	for _, n := range b.g.Nodes {
		if n.Kind == analyzer.KindGroup {
			b.groupRefs(n)
		}
	}
	return b
}

type builder struct {
	a *analyzer.Analysis
	g *analyzer.Graph
	// inline maps the documents of inline policies to their policy (for
	// its name); byARN the principals' ARNs to their IDs.
	inline map[*iam.PolicyDocument]*iam.InlinePolicy
	byARN  map[string]string
	// groups caches each group's PolicyRefs.
	groups map[*analyzer.Node][]*PolicyRef
}

func (b *builder) index(m *iam.Model) {
	add := func(list []*iam.InlinePolicy) {
		for _, p := range list {
			b.inline[&p.PolicyDocument] = p
		}
	}
	for _, u := range m.Users {
		add(u.Inline)
	}
	for _, g := range m.Groups {
		add(g.Inline)
	}
	for _, r := range m.Roles {
		add(r.Inline)
	}
	for _, n := range b.g.Principals() {
		if id := identityOf(n); id != nil && id.ARN != "" {
			if _, dup := b.byARN[id.ARN]; !dup {
				b.byARN[id.ARN] = n.ID
			}
		}
	}
}

// source renders a position as file:line:column, "" when there is none.
func source(r hcl.Range) string {
	if r.Filename == "" {
		return ""
	}
	return r.Filename + ":" + strconv.Itoa(r.Start.Line) + ":" + strconv.Itoa(r.Start.Column)
}

func tri(t iam.Tri) string {
	switch t {
	case iam.Yes:
		return Yes
	case iam.Maybe:
		return Conditional
	}
	return No
}

func identityOf(n *analyzer.Node) *iam.Identity {
	switch {
	case n.User != nil:
		return &n.User.Identity
	case n.Role != nil:
		return &n.Role.Identity
	}
	return nil
}

func (b *builder) account(n *analyzer.Node) *Account {
	a := n.Account
	out := &Account{ID: n.ID, AccountID: a.ID, Source: source(a.Range), RootMFA: Unknown, RootAccessKeys: Unknown}
	if s := a.Summary; s != nil {
		out.RootMFA, out.RootAccessKeys = yesNo(s.MFAEnabled), yesNo(s.AccessKeysPresent)
	}
	if a.Root != nil && a.Root.Credentials != nil {
		c := a.Root.Credentials
		out.RootMFA = yesNo(c.MFAActive)
		out.RootAccessKeys = yesNo(c.AccessKeys[0].Active || c.AccessKeys[1].Active)
		out.RootPasswordLastUsed = dateOrEmpty(c.PasswordLastUsed)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return Yes
	}
	return No
}

// dateOrEmpty drops the credential report's "N/A" and "no_information".
func dateOrEmpty(s string) string {
	switch strings.ToLower(s) {
	case "n/a", "no_information", "not_supported":
		return ""
	}
	return s
}

func (b *builder) principal(n *analyzer.Node) *Principal {
	id := identityOf(n)
	p := &Principal{
		ID: n.ID, Kind: n.Kind.String(), Name: id.Name, Path: id.Path, ARN: id.ARN, Account: id.Account,
		External: id.External, Tags: map[string]string{}, Source: source(id.Range),
		Groups: []string{}, Policies: []*PolicyRef{}, Workloads: []*Workload{},
	}
	for k, v := range id.Tags {
		p.Tags[k] = v
	}
	for _, e := range n.Out {
		if e.Kind == analyzer.EdgeMemberOf && e.To != nil {
			p.Groups = append(p.Groups, e.To.ID)
		}
	}
	p.Policies = append(p.Policies, b.ownRefs(n)...)
	for _, e := range n.Out {
		switch {
		case e.Kind == analyzer.EdgeMemberOf && e.To != nil:
			p.Policies = append(p.Policies, b.groupRefs(e.To)...)
		case e.Kind == analyzer.EdgeMemberOf:
			// A group that is not in the inputs: its policies are unknown.
			ref := &PolicyRef{Kind: "inline", Via: []string{}, Unresolved: e.Ref}
			if e.Via != nil && e.Via.Addr != "" {
				ref.Via = append(ref.Via, e.Via.Addr)
			}
			p.Policies = append(p.Policies, ref)
		case e.Kind == analyzer.EdgeBoundary && p.Boundary == nil:
			p.Boundary = b.attachedRef(e)
		}
	}
	if n.User != nil {
		p.Credentials = credentials(n.User)
	}
	if r := n.Role; r != nil {
		p.LastUsed, p.MaxSessionDuration = r.LastUsed, r.MaxSessionDuration
		if r.Trust != nil && r.Trust.Doc != nil {
			p.Trust = b.trust(n)
		}
		for _, w := range workloadsOf(n) {
			p.Workloads = append(p.Workloads, &Workload{ID: w.ID, Kind: w.Work.Kind.String(), Name: w.Work.Name, Source: source(w.Work.Range)})
		}
	}
	return p
}

// ownRefs returns the inline and attached policies of a principal or
// group, the hops starting after it.
func (b *builder) ownRefs(n *analyzer.Node) []*PolicyRef {
	var refs []*PolicyRef
	for _, e := range n.Out {
		if e.Kind == analyzer.EdgeInline && e.To != nil {
			ref := &PolicyRef{Document: e.To.ID, Kind: "inline", Via: []string{e.To.ID}}
			if ip := b.inline[e.To.Doc]; ip != nil {
				ref.Name = ip.Name
			}
			refs = append(refs, ref)
		}
	}
	for _, e := range n.Out {
		if e.Kind == analyzer.EdgeAttached {
			refs = append(refs, b.attachedRef(e))
		}
	}
	return refs
}

// attachedRef follows an attachment (or a boundary) to the managed
// policy's default document.
func (b *builder) attachedRef(e *analyzer.Edge) *PolicyRef {
	ref := &PolicyRef{Kind: "managed", Via: make([]string, 0, 3)}
	add := func(id string) {
		if id != "" && (len(ref.Via) == 0 || ref.Via[len(ref.Via)-1] != id) {
			ref.Via = append(ref.Via, id)
		}
	}
	if e.Via != nil {
		add(e.Via.Addr)
	}
	if e.To == nil {
		ref.Unresolved = e.Ref
		return ref
	}
	p := e.To
	ref.Policy, ref.Name, ref.AWSManaged = p.ID, p.Policy.Name, p.Policy.AWSManaged
	add(p.ID)
	if d := defaultDoc(p); d != nil {
		ref.Document = d.ID
		add(d.ID)
	} else {
		ref.Unresolved = firstNonEmpty(p.Policy.ARN, p.ID)
	}
	return ref
}

func credentials(u *iam.User) *Credentials {
	c := &Credentials{Password: Unknown, MFA: Unknown, AccessKeys: []*AccessKey{}}
	switch {
	case u.LoginProfile != nil || (u.Credentials != nil && u.Credentials.PasswordEnabled):
		c.Password = Yes
	case u.Credentials != nil:
		c.Password = No
	}
	switch {
	case len(u.MFADevices) > 0 || (u.Credentials != nil && u.Credentials.MFAActive):
		c.MFA = Yes
	case u.Credentials != nil:
		c.MFA = No
	}
	if cr := u.Credentials; cr != nil {
		c.PasswordLastUsed = dateOrEmpty(cr.PasswordLastUsed)
		for i, k := range cr.AccessKeys {
			if !k.Active && dateOrEmpty(k.LastRotated) == "" {
				continue // no such key
			}
			ak := &AccessKey{Active: k.Active, Created: dateOrEmpty(k.LastRotated), LastUsed: dateOrEmpty(k.LastUsedDate), LastUsedService: dateOrEmpty(k.LastUsedService)}
			if i < len(u.AccessKeys) {
				ak.ID = u.AccessKeys[i].ID
			}
			c.AccessKeys = append(c.AccessKeys, ak)
		}
		return c
	}
	for _, k := range u.AccessKeys {
		c.AccessKeys = append(c.AccessKeys, &AccessKey{ID: k.ID, Active: k.Active, Created: k.Created})
	}
	return c
}

func (b *builder) trust(n *analyzer.Node) *Trust {
	doc := b.g.NodeOf(n.Role.Trust)
	t := &Trust{Trustees: []*Trustee{}}
	if doc != nil {
		t.Document = doc.ID
	}
	for _, tr := range b.a.Trustees(n) {
		out := &Trustee{
			Kind: tr.Kind.String(), Value: tr.Value, Account: tr.Account, External: tr.External,
			Actions: slices.Clone(tr.Actions), Principal: b.byARN[tr.Value], Conditions: conditions(tr.Statement),
			MFA:        tr.Requires("aws:MultiFactorAuthPresent") || tr.Requires("aws:MultiFactorAuthAge"),
			ExternalID: tr.Requires("sts:ExternalId"),
		}
		if out.Actions == nil {
			out.Actions = []string{}
		}
		if doc != nil {
			out.Statement = statementID(doc.ID, tr.Statement.Index)
		}
		if tr.Kind == analyzer.TrustFederated {
			out.Provider = provider(tr.Value)
		}
		t.Trustees = append(t.Trustees, out)
	}
	return t
}

// provider names a federated principal's identity provider: the name
// after "oidc-provider/" or "saml-provider/" in an ARN, else the value.
func provider(v string) string {
	if a, ok := iam.ParseARN(v); ok {
		if _, name, found := strings.Cut(a.Resource, "/"); found {
			return name
		}
		return a.Resource
	}
	return v
}

// workloadsOf returns the workloads that run as a role: with it as their
// role, or with an instance profile that holds it.
func workloadsOf(role *analyzer.Node) []*analyzer.Node {
	var out []*analyzer.Node
	for _, e := range role.In {
		switch {
		case e.Kind == analyzer.EdgeRunsAs && e.From != nil:
			out = append(out, e.From)
		case e.Kind == analyzer.EdgeProfileOf && e.From != nil:
			for _, w := range e.From.In {
				if w.Kind == analyzer.EdgeRunsAs && w.From != nil {
					out = append(out, w.From)
				}
			}
		}
	}
	return out
}

func (b *builder) group(n *analyzer.Node) *Group {
	gr := n.Group
	out := &Group{ID: n.ID, Name: gr.Name, Path: gr.Path, ARN: gr.ARN, Account: gr.Account, Source: source(gr.Range), Members: []string{}, Policies: []*PolicyRef{}}
	for _, e := range n.In {
		if e.Kind == analyzer.EdgeMemberOf && e.From != nil {
			out.Members = append(out.Members, e.From.ID)
		}
	}
	out.Policies = append(out.Policies, b.groupRefs(n)...)
	return out
}

// groupRefs returns a group's own policies, the hops starting at the
// group, built once and shared by its members.
func (b *builder) groupRefs(n *analyzer.Node) []*PolicyRef {
	if refs, ok := b.groups[n]; ok {
		return refs
	}
	refs := b.ownRefs(n)
	// A user's group policies name the group first.
	for _, r := range refs {
		r.Via = append([]string{n.ID}, r.Via...)
	}
	if refs == nil {
		refs = []*PolicyRef{}
	}
	b.groups[n] = refs
	return refs
}

func defaultDoc(policy *analyzer.Node) *analyzer.Node {
	for _, e := range policy.Out {
		if e.Kind == analyzer.EdgeDefault && e.To != nil {
			return e.To
		}
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (b *builder) policy(n *analyzer.Node) *Policy {
	mp := n.Policy
	out := &Policy{ID: n.ID, Name: mp.Name, Path: mp.Path, ARN: mp.ARN, AWSManaged: mp.AWSManaged, Source: source(mp.Range), AttachedTo: []string{}}
	if d := defaultDoc(n); d != nil {
		out.Document = d.ID
	}
	for _, e := range n.In {
		if (e.Kind == analyzer.EdgeAttached || e.Kind == analyzer.EdgeBoundary) && e.From != nil && !slices.Contains(out.AttachedTo, e.From.ID) {
			out.AttachedTo = append(out.AttachedTo, e.From.ID)
		}
	}
	return out
}

func (b *builder) document(n *analyzer.Node) *Document {
	pd := n.Doc
	out := &Document{ID: n.ID, Kind: n.DocKind.String(), Source: source(pd.Range), Statements: []*Statement{}}
	for _, e := range n.In {
		if e.From != nil && (e.Kind == analyzer.EdgeInline || e.Kind == analyzer.EdgeTrusts || e.Kind == analyzer.EdgeDefault) {
			out.Owner = e.From.ID
			if e.From.Policy != nil {
				out.AWSManaged = e.From.Policy.AWSManaged
			}
			break
		}
	}
	if ip := b.inline[pd]; ip != nil {
		out.Name = ip.Name
	}
	d := pd.Doc
	if d == nil {
		return out
	}
	out.Decoded, out.Version = true, d.Version
	if d.Range.Filename != "" {
		out.Source = source(d.Range)
	}
	for _, s := range d.Statements {
		out.Statements = append(out.Statements, statement(n.ID, s))
	}
	return out
}

// statementID names a document's statement.
func statementID(docID string, index int) string {
	return docID + "#Statement[" + strconv.Itoa(index) + "]"
}

func statement(docID string, s *iam.Statement) *Statement {
	out := &Statement{
		ID: statementID(docID, s.Index), Index: s.Index, Sid: s.Sid, Effect: s.Effect.String(),
		Actions: texts(s.Action), NotActions: texts(s.NotAction), Resources: texts(s.Resource), NotResources: texts(s.NotResource),
		Principals: principals(s.Principal), NotPrincipals: principals(s.NotPrincipal),
		Conditions: conditions(s), Source: source(s.Range),
	}
	return out
}

func texts(l iam.List) []string {
	out := make([]string, len(l.Values))
	for i, v := range l.Values {
		out[i] = v.Text
	}
	return out
}

func principals(p *iam.Principal) map[string][]string {
	if p == nil {
		return nil
	}
	out := map[string][]string{}
	if p.Any {
		out[iam.PrincipalAWS] = []string{"*"}
	}
	for _, e := range p.Entries {
		for _, v := range e.Values {
			out[e.Type] = append(out[e.Type], v.Text)
		}
	}
	return out
}

func conditions(s *iam.Statement) []*Condition {
	out := make([]*Condition, len(s.Condition.Clauses))
	for i, c := range s.Condition.Clauses {
		vals := make([]string, len(c.Values))
		for j, v := range c.Values {
			vals[j] = v.Text
		}
		out[i] = &Condition{Operator: c.Operator.String(), Key: c.Key, Values: vals}
	}
	return out
}

// levelNames are the access levels' keys, by catalog.AccessLevel.
var levelNames = [...]string{
	catalog.List: LevelList, catalog.Read: LevelRead, catalog.Write: LevelWrite,
	catalog.Tagging: LevelTagging, catalog.PermissionsManagement: LevelPerms,
}

// levelTotals counts each service's actions per access level, by the
// index of the service's first action.
func levelTotals(cat *catalog.Catalog) map[*catalog.Service]*[catalog.PermissionsManagement + 1]int {
	out := map[*catalog.Service]*[catalog.PermissionsManagement + 1]int{}
	for _, svc := range cat.Services() {
		var t [catalog.PermissionsManagement + 1]int
		for _, act := range svc.Actions {
			t[act.Access]++
		}
		out[svc] = &t
	}
	return out
}

var totals = sync.OnceValue(func() map[*catalog.Service]*[catalog.PermissionsManagement + 1]int {
	return levelTotals(catalog.Default())
})

// permissionsOf projects a principal's effective permissions: per service
// and access level, walking only the actions the principal may perform.
func permissionsOf(p *analyzer.Permissions) *Permissions {
	out := &Permissions{Admin: tri(p.Admin), Complete: len(p.Missing) == 0, Services: map[string]map[string]*LevelAccess{}, ConditionKeys: []string{}}
	cat := catalog.Default()
	actions := cat.Actions()
	tot := totals()
	type acc struct {
		yes, cond []string
	}
	var cur *catalog.Service
	var levels [catalog.PermissionsManagement + 1]acc
	flush := func() {
		if cur == nil {
			return
		}
		m := map[string]*LevelAccess{}
		for l := catalog.List; l <= catalog.PermissionsManagement; l++ {
			a := levels[l]
			n := len(a.yes) + len(a.cond)
			if n == 0 {
				continue
			}
			la := &LevelAccess{All: No, Yes: []string{}, Conditional: []string{}}
			switch {
			case n == tot[cur][l] && len(a.cond) == 0:
				la.All = Yes
			case n == tot[cur][l]:
				la.All = Conditional
			default:
				la.Yes, la.Conditional = nonNil(a.yes), nonNil(a.cond)
			}
			m[levelNames[l]] = la
		}
		out.Services[cur.Prefix] = m
		levels = [catalog.PermissionsManagement + 1]acc{}
	}
	for i := range p.Actions.All() {
		act := actions[i]
		if act.Service != cur {
			flush()
			cur = act.Service
		}
		l := &levels[act.Access]
		if p.Some.Has(i) {
			l.yes = append(l.yes, act.FullName())
		} else {
			l.cond = append(l.cond, act.FullName())
		}
	}
	flush()
	seen := map[string]bool{}
	for _, g := range p.Allows {
		for _, c := range g.Statement.Condition.Clauses {
			if k := strings.ToLower(c.Key); !seen[k] {
				seen[k] = true
				out.ConditionKeys = append(out.ConditionKeys, c.Key)
			}
		}
	}
	slices.SortFunc(out.ConditionKeys, func(x, y string) int { return strings.Compare(strings.ToLower(x), strings.ToLower(y)) })
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func escalationOf(e *analyzer.Escalation) *Escalation {
	out := &Escalation{Principal: e.Principal.ID, Admin: tri(e.Admin), Allowed: tri(e.Allowed()), Target: e.Target().ID, Moves: []*Move{}}
	for _, m := range e.Moves {
		mv := &Move{From: m.From.ID, To: m.To.ID, Technique: m.Technique.ID, TechniqueName: m.Technique.Name, Kind: m.Technique.Kind.String(), Allowed: tri(m.Allowed), Steps: []*Step{}}
		if m.Via != nil {
			mv.Via = m.Via.ID
		}
		for _, s := range m.Steps {
			mv.Steps = append(mv.Steps, &Step{Action: s.Action, Resource: s.Resource, Allowed: tri(s.Allowed)})
		}
		out.Moves = append(out.Moves, mv)
	}
	return out
}

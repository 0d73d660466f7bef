package iam

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/iam/glob"
)

// Request is one API call to decide.
type Request struct {
	// Principal is the caller's ARN: an IAM user or role, an assumed-role
	// session (arn:aws:sts::111122223333:assumed-role/name/session), the
	// account root, or a service principal name.
	Principal string
	Action    string // service:Name
	// Resource is the target ARN, or "*" for actions without a resource.
	Resource string
	// ResourceAccount owns the resource. When empty it is the account in
	// the resource ARN, else the principal's account.
	ResourceAccount string
	Context         *Context
}

// Policy is a document with the name it is known by in explanations.
type Policy struct {
	Name string
	Doc  *Document
}

// PolicySet is everything that bears on one request.
type PolicySet struct {
	Identity []Policy // the principal's own and (for users) its groups' policies
	Boundary []Policy // permissions boundary; empty when none
	SCPs     [][]Policy
	RCPs     [][]Policy
	Resource *Policy // the resource-based policy (a role's trust policy for sts:AssumeRole*)
	Session  *Policy
}

// Decision is the outcome of an evaluation.
type Decision uint8

// Decisions, named as AWS's simulator names them.
const (
	ImplicitDeny Decision = iota
	ExplicitDeny
	Allowed
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allowed"
	case ExplicitDeny:
		return "ExplicitlyDenied"
	}
	return "ImplicitlyDenied"
}

// StatementRef identifies a statement that took part in a decision.
type StatementRef struct {
	Policy string
	Kind   Kind
	Index  int
	Sid    string
	Effect Effect
	Range  hcl.Range
}

func (r StatementRef) String() string {
	s := fmt.Sprintf("%s policy %q Statement[%d]", r.Kind, r.Policy, r.Index)
	if r.Sid != "" {
		s += fmt.Sprintf(" (%s)", r.Sid)
	}
	return s
}

// Result is a decision with what produced it.
type Result struct {
	Decision Decision
	// Reason says in one sentence why (which policy type decided).
	Reason string
	// Statements are the deciding statements: the denies for an explicit
	// deny, the allows that granted access, or (for an implicit deny) the
	// allows found, if any, in the layers that did allow.
	Statements []StatementRef
}

// Evaluate decides a request as AWS does: an explicit deny in any policy
// wins; every SCP and RCP level must allow; then identity policies (capped
// by the permissions boundary and session policy) and the resource-based
// policy combine according to same- or cross-account rules.
func Evaluate(req *Request, set *PolicySet) Result {
	r := newRequestView(req)
	if r.action == "sts:getcalleridentity" {
		return callerIdentityResult
	}
	return r.decide(set, r.collect(set), modeExact)
}

// callerIdentityResult is the decision for sts:GetCallerIdentity: AWS
// documents that it needs no permission and that even an explicit deny
// does not stop it.
var callerIdentityResult = Result{Decision: Allowed, Reason: "sts:GetCallerIdentity is always allowed, whatever the policies say"}

// evidence is every applicable statement of a request, by layer.
type evidence struct {
	denies   []hit
	identity layerResult
	boundary layerResult
	session  layerResult
	scps     []layerResult
	res      resourceResult
}

// collect runs every layer of the policy set against the request.
func (r *requestView) collect(set *PolicySet) *evidence {
	ev := &evidence{}
	ev.identity = r.layer(set.Identity, KindIdentity, &ev.denies)
	ev.boundary = r.layer(set.Boundary, KindBoundary, &ev.denies)
	if set.Session != nil {
		ev.session = r.layer([]Policy{*set.Session}, KindSession, &ev.denies)
	}
	if !r.service {
		ev.scps = make([]layerResult, len(set.SCPs))
		for i, level := range set.SCPs {
			ev.scps[i] = r.layer(level, KindSCP, &ev.denies)
		}
	}
	for _, level := range set.RCPs {
		r.layer(level, KindRCP, &ev.denies)
	}
	if set.Resource != nil {
		ev.res = r.resourceLayer(*set.Resource, &ev.denies)
	}
	return ev
}

// decideMode says which statements count when some only possibly apply
// (see EvaluatePartial): all of them (exact evaluation, where every hit
// is certain), the most favourable reading (possible allows count,
// possible denies do not) or the least favourable one.
type decideMode uint8

const (
	modeExact decideMode = iota
	modeOptimistic
	modePessimistic
)

// keep filters hits for a mode: allows lists are kept whole when
// optimistic, denies when pessimistic; otherwise only certain hits stay.
func (m decideMode) keep(hits []hit, allows bool) []hit {
	if m == modeExact || (m == modeOptimistic) == allows {
		return hits
	}
	var out []hit
	for _, h := range hits {
		if !h.possible {
			out = append(out, h)
		}
	}
	return out
}

// decide turns the applicable statements into a decision.
func (r *requestView) decide(set *PolicySet, ev *evidence, m decideMode) Result {
	if denies := m.keep(ev.denies, false); len(denies) > 0 {
		return Result{Decision: ExplicitDeny, Reason: "an explicit deny applies (" + denies[0].kind.String() + " policy)", Statements: refs(denies)}
	}
	allows := func(l layerResult) []hit { return m.keep(l.allows, true) }
	// SCPs restrict the account's IAM principals (root included), never
	// service principals. RCPs only deny (an implicit allow stands in for
	// the RCPFullAWSAccess policy AWS attaches everywhere), so they have no
	// allow requirement.
	for i, l := range ev.scps { // none for a service principal
		if len(allows(l)) == 0 {
			return Result{Decision: ImplicitDeny, Reason: fmt.Sprintf("no SCP at organization level %d allows the action", i)}
		}
	}
	identity, boundary, session := allows(ev.identity), allows(ev.boundary), allows(ev.session)
	res := resourceResult{direct: m.keep(ev.res.direct, true), anyone: m.keep(ev.res.anyone, true), viaRole: m.keep(ev.res.viaRole, true), account: m.keep(ev.res.account, true)}

	boundaryOK := len(set.Boundary) == 0 || len(boundary) > 0
	sessionOK := set.Session == nil || len(session) > 0
	identityOK := len(identity) > 0 && boundaryOK && sessionOK

	switch {
	case r.service:
		// A service principal has no identity policies: only a
		// resource-based policy naming it grants.
		if len(res.direct)+len(res.anyone) > 0 {
			return Result{Decision: Allowed, Reason: "the resource-based policy names the service principal", Statements: refs(res.direct, res.anyone)}
		}
		return Result{Decision: ImplicitDeny, Reason: "no resource-based policy names the service principal"}
	case r.root && r.sameAccount():
		// The root user is not subject to identity policies or
		// boundaries in its own account.
		return Result{Decision: Allowed, Reason: "the account root user may perform any action on its own account's resources unless explicitly denied"}
	case r.sameAccount():
		// How the resource-based policy names the principal decides which
		// caps apply: its own ARN (user, role session) is capped by
		// nothing; "*" by the session policy; the role of a session, or the
		// IAM user of a federated session, by the boundary and session
		// policy; the account defers to the identity policies.
		if len(res.direct) > 0 {
			return Result{Decision: Allowed, Reason: "the resource-based policy names the principal", Statements: refs(res.direct)}
		}
		if len(res.anyone) > 0 && sessionOK {
			return Result{Decision: Allowed, Reason: "the resource-based policy allows any principal", Statements: refs(res.anyone, session)}
		}
		if len(res.viaRole) > 0 && boundaryOK && sessionOK {
			return Result{Decision: Allowed, Reason: "the resource-based policy names the principal's role or user", Statements: refs(res.viaRole, boundary, session)}
		}
		if identityOK && (!r.resourcePolicyRequired() || len(res.account) > 0) {
			return Result{Decision: Allowed, Reason: "an identity policy allows the action", Statements: refs(identity, res.account, boundary, session)}
		}
		if identityOK {
			return Result{Decision: ImplicitDeny, Reason: "this action also needs the resource-based policy (key policy or trust policy) to allow it, and it does not"}
		}
		return Result{Decision: ImplicitDeny, Reason: r.missing(len(identity) > 0, boundaryOK, sessionOK)}
	}
	// Cross-account: both sides must allow.
	if !identityOK {
		return Result{Decision: ImplicitDeny, Reason: r.missing(len(identity) > 0, boundaryOK, sessionOK)}
	}
	if len(res.any()) == 0 {
		return Result{Decision: ImplicitDeny, Reason: "cross-account access needs the resource-based policy to allow it, and it does not"}
	}
	return Result{Decision: Allowed, Reason: "the identity policy and the resource-based policy both allow the cross-account request", Statements: refs(identity, res.any(), boundary, session)}
}

// resourcePolicyRequired reports whether a request needs its resource's
// policy to allow it even within the account: KMS keys (the key policy)
// and STS actions on a role — AssumeRole*, TagSession, SetSourceIdentity —
// which its trust policy must allow.
func (r *requestView) resourcePolicyRequired() bool {
	if strings.HasPrefix(r.action, "kms:") {
		return true
	}
	if !strings.HasPrefix(r.action, "sts:") {
		return false
	}
	a, ok := ParseARN(r.resource)
	return ok && a.Service == "iam" && strings.HasPrefix(a.Resource, "role/")
}

func (r *requestView) missing(identityAllows, boundaryOK, sessionOK bool) string {
	switch {
	case !identityAllows:
		return "no identity or resource-based policy allows the action"
	case !boundaryOK:
		return "the permissions boundary does not allow the action"
	case !sessionOK:
		return "the session policy does not allow the action"
	}
	return "no policy allows the action"
}

// hit is an applicable statement, cheap to collect; refs turns hits into
// StatementRefs for the result.
type hit struct {
	policy string
	kind   Kind
	cs     *compiledStmt
	// possible marks a statement that may or may not apply, because it
	// depends on something the request does not settle (EvaluatePartial).
	possible bool
}

func refs(lists ...[]hit) []StatementRef {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return nil
	}
	out := make([]StatementRef, 0, n)
	for _, l := range lists {
		for _, h := range l {
			st := h.cs.st
			out = append(out, StatementRef{Policy: h.policy, Kind: h.kind, Index: st.Index, Sid: st.Sid, Effect: st.Effect, Range: st.Range})
		}
	}
	return out
}

// requestView is a request prepared for matching.
type requestView struct {
	req              *Request
	action           string // lower case
	actionService    string // the action's service prefix, lower case
	resource         string
	principalAccount string
	resourceAccount  string
	ctx              *Context
	service          bool // the caller is a service principal (s3.amazonaws.com)
	root             bool // the caller is an account root user
	// known, when set, makes the evaluation partial (EvaluatePartial):
	// it says which condition keys the context settles.
	known func(key string) bool
}

func newRequestView(req *Request) *requestView {
	r := &requestView{req: req, action: strings.ToLower(req.Action), resource: req.Resource, ctx: req.Context}
	r.actionService, _, _ = strings.Cut(r.action, ":")
	if r.resource == "" {
		r.resource = "*"
	}
	if r.ctx == nil {
		r.ctx = &Context{}
	}
	r.ctx = serviceKeysOnly(r.ctx, req.Action)
	r.principalAccount = principalAccount(req.Principal)
	r.service = isServicePrincipal(req.Principal)
	if a, ok := ParseARN(req.Principal); ok && a.Service == "iam" && a.Resource == "root" {
		r.root = true
	}
	r.resourceAccount = req.ResourceAccount
	if r.resourceAccount == "" {
		r.resourceAccount = AccountOf(req.Resource)
	}
	if r.resourceAccount == "" {
		r.resourceAccount = r.principalAccount
	}
	return r
}

func (r *requestView) sameAccount() bool { return r.principalAccount == r.resourceAccount }

// serviceKeysOnly drops service-specific condition keys that the action
// never carries: a request for s3:GetObject has no s3:prefix, whatever a
// simulated context says. Global keys (aws:...) and keys of actions the
// catalog does not know are kept.
func serviceKeysOnly(ctx *Context, action string) *Context {
	var drop []string
	var act *catalog.Action
	for k := range ctx.vals {
		if strings.HasPrefix(k, "aws:") {
			continue
		}
		if act == nil {
			if act = catalog.Default().Action(action); act == nil {
				return ctx
			}
		}
		if !actionSupportsKey(act, k) {
			drop = append(drop, k)
		}
	}
	if len(drop) == 0 {
		return ctx
	}
	out := ctx.Clone()
	for _, k := range drop {
		delete(out.vals, k)
	}
	return out
}

func actionSupportsKey(a *catalog.Action, key string) bool {
	for _, k := range a.ConditionKeys {
		if k.Matches(key) {
			return true
		}
	}
	for _, r := range a.Resources {
		for _, k := range r.ConditionKeys {
			if k.Matches(key) {
				return true
			}
		}
		for _, k := range r.Type.ConditionKeys {
			if k.Matches(key) {
				return true
			}
		}
	}
	return false
}

// isServicePrincipal reports whether p names an AWS service
// ("lambda.amazonaws.com") rather than an account or ARN.
func isServicePrincipal(p string) bool {
	return p != "" && !strings.HasPrefix(p, "arn:") && !isAccountID(p) && strings.Contains(p, ".")
}

// principalAccount returns the account of a principal ARN or ID. An
// account a loader could not determine ("${AWS::AccountId}") is kept as
// written, so that a principal and a resource written with the same
// symbolic account are in the same account.
func principalAccount(p string) string {
	if isAccountID(p) {
		return p
	}
	if a, ok := ParseARN(p); ok && HasVariable(a.Account) {
		return a.Account
	}
	return AccountOf(p)
}

type layerResult struct {
	allows []hit
}

// layer evaluates the statements of a policy layer, collecting applicable
// allows and appending applicable denies.
func (r *requestView) layer(policies []Policy, kind Kind, denies *[]hit) layerResult {
	var out layerResult
	for _, p := range policies {
		if p.Doc == nil {
			continue
		}
		cd := p.Doc.compiled()
		for i := range cd.stmts {
			cs := &cd.stmts[i]
			t := r.match(cs, cd.vars)
			if t == No {
				continue
			}
			ref := cs.ref(p.Name, kind)
			ref.possible = t == Maybe
			if cs.st.Effect == Deny {
				*denies = append(*denies, ref)
			} else if cs.st.Effect == Allow {
				out.allows = append(out.allows, ref)
			}
		}
	}
	return out
}

// resourceResult sorts a resource policy's applicable allows by how they
// name the principal.
type resourceResult struct {
	direct  []hit // the principal's own ARN
	anyone  []hit // "*"
	viaRole []hit // the role of a role session, the user of a federated session
	account []hit // the principal's account
}

func (r resourceResult) any() []hit {
	return slices.Concat(r.direct, r.anyone, r.viaRole, r.account)
}

func (r *requestView) resourceLayer(p Policy, denies *[]hit) resourceResult {
	var out resourceResult
	if p.Doc == nil {
		return out
	}
	kind := p.Doc.Kind
	if kind != KindTrust {
		kind = KindResource
	}
	cd := p.Doc.compiled()
	for i := range cd.stmts {
		cs := &cd.stmts[i]
		how, maybe := r.principalMatch(cs.st)
		if how == matchNone {
			continue
		}
		t := r.match(cs, cd.vars)
		if t == No {
			continue
		}
		ref := cs.ref(p.Name, kind)
		ref.possible = t == Maybe || maybe
		switch {
		case cs.st.Effect == Deny:
			*denies = append(*denies, ref)
		case cs.st.Effect != Allow:
		case how == matchExact:
			out.direct = append(out.direct, ref)
		case how == matchAnyone:
			out.anyone = append(out.anyone, ref)
		case how == matchRole:
			out.viaRole = append(out.viaRole, ref)
		default:
			out.account = append(out.account, ref)
		}
	}
	return out
}

// match is applies, or appliesTri for a partial evaluation.
func (r *requestView) match(cs *compiledStmt, vars bool) Tri {
	if r.known != nil {
		return r.appliesTri(cs, vars)
	}
	if r.applies(cs, vars) {
		return Yes
	}
	return No
}

// applies reports whether a statement's action, resource and conditions
// all match the request.
func (r *requestView) applies(cs *compiledStmt, vars bool) bool {
	if cs.st.Effect == EffectInvalid {
		return false
	}
	matched := false
	for i := range cs.actions {
		a := &cs.actions[i]
		if a.service != "" && a.service != r.actionService {
			continue // a different service: no need to run the pattern
		}
		if a.pat.Match(r.action, false) {
			matched = true
			break
		}
	}
	if matched == cs.notAction {
		return false
	}
	if cs.hasResource {
		matched = false
		for i := range cs.resources {
			m, ok := cs.resources[i].match(r.resource, r.ctx, vars)
			if !ok && cs.notResource {
				// A NotResource entry whose variable has no value makes
				// the statement inapplicable rather than vacuously true.
				return false
			}
			if m {
				matched = true
				break
			}
		}
		if matched == cs.notResource {
			return false
		}
	}
	return EvalConditions(&cs.st.Condition, r.ctx, vars)
}

// compiledDoc caches the matchers of a document's statements.
type compiledDoc struct {
	vars  bool
	stmts []compiledStmt
}

type compiledStmt struct {
	st          *Statement
	actions     []compiledAction
	notAction   bool
	hasResource bool
	notResource bool
	resources   []compiledResource
}

// compiledAction is a lower-cased action pattern; service is its service
// prefix when that part has no wildcard, so most non-matches cost a string
// comparison.
type compiledAction struct {
	service string
	pat     glob.Pattern
	// unknown marks a value the loader could not determine; loose is its
	// pattern with the symbolic parts as wildcards.
	unknown bool
	loose   glob.Pattern
}

type compiledResource struct {
	text   string
	static bool // no variables: pat is ready
	pat    arnPattern
	// unknown marks a value the loader could not determine. loose is the
	// pattern with every ${...} (symbolic part or policy variable) as a
	// wildcard; partial evaluations use it.
	unknown bool
	loose   glob.Pattern
}

// match reports whether the pattern matches resource; ok is false when a
// policy variable in it has no value.
func (c *compiledResource) match(resource string, ctx *Context, vars bool) (match, ok bool) {
	if c.static {
		return c.pat.match(resource), true
	}
	// Fast path: substitute into a string and match it directly, unless a
	// substituted value or escape holds a character that must not act as
	// a wildcard.
	text, literalWild, ok := substituteResource(c.text, ctx)
	if !ok {
		return false, false
	}
	if !literalWild {
		return glob.MatchString(text, resource, false), true
	}
	p, ok := compileResourcePattern(c.text, ctx, vars)
	return ok && p.match(resource), ok
}

func (cs *compiledStmt) ref(policy string, kind Kind) hit {
	return hit{policy: policy, kind: kind, cs: cs}
}

// compiledCache is embedded in Document to hold its compiled form.
type compiledCache struct {
	p atomic.Pointer[compiledDoc]
}

func (d *Document) compiled() *compiledDoc {
	if c := d.cache.p.Load(); c != nil {
		return c
	}
	c := compileDocument(d)
	d.cache.p.Store(c)
	return c
}

func compileDocument(d *Document) *compiledDoc {
	cd := &compiledDoc{vars: d.VariablesEnabled(), stmts: make([]compiledStmt, len(d.Statements))}
	for i, s := range d.Statements {
		cs := compiledStmt{st: s}
		acts, not := s.Actions()
		cs.notAction = not
		for _, v := range acts.Values {
			text := strings.ToLower(v.Text)
			ca := compiledAction{pat: glob.Compile(text), unknown: v.Unknown}
			if v.Unknown {
				ca.loose = loosePattern(text)
			}
			if svc, _, ok := strings.Cut(text, ":"); ok && !glob.HasWildcard(svc) {
				ca.service = svc
			}
			cs.actions = append(cs.actions, ca)
		}
		res, notRes := s.Resources()
		cs.hasResource = res.Present
		cs.notResource = notRes
		for _, v := range res.Values {
			cr := compiledResource{text: v.Text, unknown: v.Unknown}
			if v.Unknown || HasVariable(v.Text) {
				cr.loose = loosePattern(v.Text)
			}
			if !cd.vars || !HasVariable(v.Text) {
				cr.static = true
				cr.pat, _ = compileResourcePattern(v.Text, nil, false)
			}
			cs.resources = append(cs.resources, cr)
		}
		cd.stmts[i] = cs
	}
	return cd
}

// How a resource-based policy statement names the request's principal.
type principalMatchKind uint8

const (
	matchNone    principalMatchKind = iota
	matchExact                      // the principal's own ARN (or service/federated name)
	matchRole                       // the role whose session is calling
	matchAccount                    // the principal's account
	matchAnyone                     // "*"
)

// principalMatch decides whether a resource-policy statement's Principal
// (or NotPrincipal) element covers the request's principal.
func (r *requestView) principalMatch(s *Statement) (kind principalMatchKind, maybe bool) {
	if s.Principal != nil {
		return r.principalIn(s.Principal)
	}
	if s.NotPrincipal != nil {
		k, maybe := r.principalIn(s.NotPrincipal)
		if k != matchNone && !maybe {
			return matchNone, false
		}
		return matchAnyone, k != matchNone
	}
	return matchNone, false
}

// principalIn finds how an element names the caller. maybe is true when
// only a value the loader could not determine might name it (partial
// evaluation); a certain match is preferred to a possible one.
func (r *requestView) principalIn(p *Principal) (principalMatchKind, bool) {
	if p.Any {
		return matchAnyone, false
	}
	best, bestMaybe := matchNone, false
	caller := r.req.Principal
	better := func(k principalMatchKind, maybe bool) bool {
		switch {
		case k == matchNone:
			return false
		case best == matchNone || (bestMaybe && !maybe):
			return true
		case maybe != bestMaybe:
			return false
		}
		return k < best || best == matchAnyone
	}
	for _, e := range p.Entries {
		for _, v := range e.Values {
			k := matchNone
			if e.Type == PrincipalAWS {
				k = r.awsPrincipal(v.Text, caller)
			} else if v.Text == caller {
				k = matchExact
			}
			maybe := false
			if k == matchNone && v.Unknown && r.known != nil {
				k, maybe = r.unknownPrincipal(e.Type, v.Text, caller), true
			}
			if better(k, maybe) {
				best, bestMaybe = k, maybe
			}
		}
	}
	return best, bestMaybe
}

// unknownPrincipal matches a principal value the loader could not
// determine ("arn:aws:iam::${var.account}:root") by what it could stand
// for: the caller itself, or the caller's account.
func (r *requestView) unknownPrincipal(typ, v, caller string) principalMatchKind {
	pat := loosePattern(v)
	switch {
	case pat.Match(caller, false):
		return matchExact
	case typ == PrincipalAWS && r.principalAccount != "" &&
		(pat.Match(r.principalAccount, false) || pat.Match("arn:aws:iam::"+r.principalAccount+":root", false)):
		return matchAccount
	}
	return matchNone
}

// awsPrincipal matches one "AWS" principal value against the caller.
func (r *requestView) awsPrincipal(v, caller string) principalMatchKind {
	switch {
	case v == "*":
		return matchAnyone
	case v == caller:
		return matchExact
	case isAccountID(v):
		if v == r.principalAccount {
			return matchAccount
		}
		return matchNone
	}
	a, ok := ParseARN(v)
	if !ok {
		return matchNone
	}
	if a.Service == "iam" && a.Resource == "root" {
		if a.Account == r.principalAccount {
			return matchAccount
		}
		return matchNone
	}
	if a.Service == "iam" && strings.HasPrefix(a.Resource, "user/") {
		// A federated user session is covered by the IAM user that
		// called GetFederationToken (the user name, without path).
		c, ok := ParseARN(caller)
		if ok && c.Service == "sts" && c.Account == a.Account && strings.HasPrefix(c.Resource, "federated-user/") &&
			strings.TrimPrefix(c.Resource, "federated-user/") == a.Resource[strings.LastIndexByte(a.Resource, '/')+1:] {
			return matchRole
		}
	}
	if a.Service == "iam" && strings.HasPrefix(a.Resource, "role/") {
		// A role ARN covers the role's sessions.
		c, ok := ParseARN(caller)
		if ok && c.Service == "sts" && c.Account == a.Account && strings.HasPrefix(c.Resource, "assumed-role/") {
			roleName := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
			sess := strings.TrimPrefix(c.Resource, "assumed-role/")
			if name, _, ok := strings.Cut(sess, "/"); ok && name == roleName {
				return matchRole
			}
		}
	}
	return matchNone
}

package analyzer

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/iam"
)

// TrusteeKind is how a trust policy statement names who may assume a role.
type TrusteeKind uint8

// Trustee kinds.
const (
	TrustAnyone    TrusteeKind = iota // "*", {"AWS": "*"} or NotPrincipal
	TrustAccount                      // an account ID or its root ARN
	TrustPrincipal                    // a user or role ARN (or an assumed-role session)
	TrustService                      // a service principal: lambda.amazonaws.com
	TrustFederated                    // a SAML or OIDC provider, or a web identity provider
	TrustOther                        // a canonical user or anything else
)

var trusteeKindNames = [...]string{"anyone", "account", "principal", "service", "federated", "other"}

func (k TrusteeKind) String() string {
	if int(k) < len(trusteeKindNames) {
		return trusteeKindNames[k]
	}
	return "unknown"
}

// Trustee is one principal a role's trust policy admits, with the
// statement that admits it.
type Trustee struct {
	Kind TrusteeKind
	// Value is the principal as written ("*" for TrustAnyone from
	// NotPrincipal too); Range is its position.
	Value string
	Range hcl.Range
	// Account is the account of an AWS principal (ID or symbolic), ""
	// for services, federated providers and anyone.
	Account string
	// External is true for an AWS principal whose account is not one of
	// the model's, and for anyone.
	External bool
	// Actions are the sts:AssumeRole* actions (and TagSession,
	// SetSourceIdentity) the statement allows, as written.
	Actions   []string
	Statement *iam.Statement
	// Trust is the trust document node.
	Trust *Node
}

// Conditional reports whether the admitting statement has conditions.
func (t *Trustee) Conditional() bool { return len(t.Statement.Condition.Clauses) > 0 }

// Requires reports whether the admitting statement has a condition on key
// (case-insensitive): aws:MultiFactorAuthPresent, sts:ExternalId, ...
func (t *Trustee) Requires(key string) bool { return statementHasKey(t.Statement, key) }

func statementHasKey(s *iam.Statement, key string) bool {
	for _, c := range s.Condition.Clauses {
		if strings.EqualFold(c.Key, key) {
			return true
		}
	}
	return false
}

// Trustees lists the principals a role's trust policy admits through its
// Allow statements, in statement order. It is nil for a role without a
// known trust policy, or a node that is not a role. The list of a
// principal of the graph is computed once and shared: callers must not
// modify it.
func (a *Analysis) Trustees(role *Node) []Trustee {
	if role == nil || role.Role == nil || role.Role.Trust == nil || role.Role.Trust.Doc == nil {
		return nil
	}
	if ts, ok := a.trustees[role]; ok {
		return ts
	}
	trust := a.Graph.NodeOf(role.Role.Trust)
	var out []Trustee
	for _, s := range role.Role.Trust.Doc.Statements {
		if s.Effect != iam.Allow {
			continue
		}
		acts := assumeActions(s)
		if len(acts) == 0 {
			continue
		}
		base := Trustee{Actions: acts, Statement: s, Trust: trust}
		switch {
		case s.NotPrincipal != nil:
			t := base
			t.Kind, t.Value, t.Range, t.External = TrustAnyone, "*", s.NotPrincipal.Range, true
			out = append(out, t)
		case s.Principal == nil:
		case s.Principal.Any:
			t := base
			t.Kind, t.Value, t.Range, t.External = TrustAnyone, "*", s.Principal.Range, true
			out = append(out, t)
		default:
			for _, e := range s.Principal.Entries {
				for _, v := range e.Values {
					t := base
					t.Value, t.Range = v.Text, v.Range
					a.classify(&t, e.Type)
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func (a *Analysis) classify(t *Trustee, typ string) {
	switch typ {
	case iam.PrincipalService:
		t.Kind = TrustService
		return
	case iam.PrincipalFederated:
		t.Kind = TrustFederated
		return
	case iam.PrincipalAWS:
	default:
		t.Kind = TrustOther
		return
	}
	v := t.Value
	switch {
	case v == "*":
		t.Kind, t.External = TrustAnyone, true
		return
	case iam.IsAccountID(v):
		t.Kind, t.Account = TrustAccount, v
	default:
		arn, ok := iam.ParseARN(v)
		switch {
		case !ok:
			t.Kind = TrustOther
			return
		case arn.Service == "iam" && arn.Resource == "root":
			t.Kind, t.Account = TrustAccount, arn.Account
		default:
			t.Kind, t.Account = TrustPrincipal, arn.Account
		}
	}
	t.External = !a.ownAccount(t.Account)
}

// ownAccount reports whether an account is one the model describes: an
// account of the inputs or of one of their principals.
func (a *Analysis) ownAccount(id string) bool {
	a.accountsOnce.Do(func() {
		a.accounts = map[string]bool{}
		for _, n := range a.Graph.Nodes {
			switch {
			case n.Account != nil:
				a.accounts[n.Account.ID] = true
			case identityOf(n) != nil && !identityOf(n).External:
				a.accounts[identityOf(n).Account] = true
				if acct := accountOf(identityOf(n)); acct != "" {
					a.accounts[acct] = true
				}
			}
		}
	})
	return a.accounts[id]
}

// assumeActions returns the STS actions of a statement that let a
// principal assume a role or shape its session, as written.
func assumeActions(s *iam.Statement) []string {
	acts, not := s.Actions()
	var out []string
	for _, name := range []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"} {
		hit := slices.ContainsFunc(acts.Values, func(v iam.Value) bool { return iam.MatchAction(v.Text, name) || v.Unknown })
		if hit != not {
			out = append(out, name)
		}
	}
	return out
}

// Assumption is a can-assume edge: a principal of the model may call
// sts:AssumeRole on a role, its identity side and the role's trust
// policy agreeing (same- and cross-account rules applied).
type Assumption struct {
	From, Role *Node
	// Allowed is Yes when every request may assume the role, Maybe when
	// only some (conditions, values the loaders could not determine).
	Allowed iam.Tri
	// MFA and ExternalID say that an admitting trust statement requires
	// aws:MultiFactorAuthPresent / sts:ExternalId.
	MFA, ExternalID bool
}

// Explain decides the assumption again and returns the evaluator's
// answer, whose statements (trust and identity, for the most favourable
// request) say why it is allowed.
func (a *Analysis) Explain(as *Assumption) iam.PartialResult {
	return a.decideAssume(as.From, as.Role)
}

// AllowingStatements returns the Allow statements of the trust policy and
// of the caller's identity policies that let the assumption happen, in
// the most favourable request (Explain's).
func (a *Analysis) AllowingStatements(as *Assumption) []iam.StatementRef {
	var out []iam.StatementRef
	for _, ref := range a.Explain(as).Best.Statements {
		if ref.Effect == iam.Allow && (ref.Kind == iam.KindIdentity || ref.Kind == iam.KindTrust) {
			out = append(out, ref)
		}
	}
	return out
}

// computeAssumptions finds every can-assume edge between the model's
// principals. Candidates come from each trust policy's principals (an
// account admits all its principals, "*" everyone); each is decided by
// the evaluator with the trust policy as the resource policy.
func (a *Analysis) computeAssumptions() {
	byARN := map[string]*Node{}
	byAccount := map[string][]*Node{}
	principals := a.Graph.Principals()
	for _, n := range principals {
		id := identityOf(n)
		if id.ARN != "" {
			byARN[id.ARN] = n
		}
		byAccount[accountOf(id)] = append(byAccount[accountOf(id)], n)
	}
	var roles []*Node
	a.roleServices = map[*Node]map[string]bool{}
	for _, n := range principals {
		if n.Role != nil && n.Role.Trust != nil && n.Role.Trust.Doc != nil {
			roles = append(roles, n)
			if s := a.trustedServices(n); s != nil {
				a.roleServices[n] = s
			}
		}
	}
	assumeRole := a.cat.Action("sts:AssumeRole")
	out := make([][]*Assumption, len(roles))
	trustees := make([][]Trustee, len(roles))
	parallel(len(roles), func(i int) {
		role := roles[i]
		trustees[i] = a.Trustees(role)
		seen, named := map[*Node]bool{}, map[*Node]bool{}
		var cands []*Node
		// A principal named only through its account (or "*") needs its
		// identity policies to allow sts:AssumeRole; most do not.
		mayCall := func(n *Node) bool { return a.perms[n].Actions.Has(assumeRole.Index) }
		addCand := func(n *Node) {
			if n != nil && n != role && !seen[n] {
				seen[n] = true
				cands = append(cands, n)
			}
		}
		for _, t := range trustees[i] {
			if !slices.Contains(t.Actions, "sts:AssumeRole") {
				continue
			}
			switch t.Kind {
			case TrustAnyone:
				for _, n := range principals {
					if mayCall(n) {
						addCand(n)
					}
				}
			case TrustAccount:
				for _, n := range byAccount[t.Account] {
					if mayCall(n) {
						addCand(n)
					}
				}
			case TrustPrincipal:
				named[byARN[t.Value]] = true
				addCand(byARN[t.Value])
				if symbolic(t.Value) {
					for _, n := range principals {
						if identityOf(n).ARN == t.Value {
							addCand(n)
						}
					}
				}
			}
		}
		// When the trust policy says nothing about the calling principal
		// itself, every principal of an account that the identity side
		// certainly allows gets the same answer: decide it once.
		type classKey struct {
			account string
			user    bool
		}
		memo := map[classKey]*Assumption{}
		uniform := !mentionsPrincipal(role.Role.Trust.Doc)
		for _, from := range cands {
			var key classKey
			shared := uniform && !named[from] && a.perms[from].Full.Has(assumeRole.Index)
			if shared {
				key = classKey{accountOf(identityOf(from)), from.User != nil}
				if as, ok := memo[key]; ok {
					if as != nil {
						c := *as
						c.From = from
						out[i] = append(out[i], &c)
					}
					continue
				}
			}
			as := a.assume(from, role)
			if shared {
				memo[key] = as
			}
			if as != nil {
				out[i] = append(out[i], as)
			}
		}
	})
	a.trustees = make(map[*Node][]Trustee, len(roles))
	for i, role := range roles {
		a.trustees[role] = slices.Clip(trustees[i])
	}
	a.assumers = map[*Node][]*Assumption{}
	a.assumable = map[*Node][]*Assumption{}
	for _, list := range out {
		for _, as := range list {
			a.assumers[as.Role] = append(a.assumers[as.Role], as)
			a.assumable[as.From] = append(a.assumable[as.From], as)
		}
	}
	for _, list := range a.assumable {
		slices.SortFunc(list, func(x, y *Assumption) int { return x.Role.index - y.Role.index })
	}
}

// mentionsPrincipal reports whether a trust policy's conditions depend on
// which principal calls: a condition on aws:Principal*, aws:username or
// aws:userid, or a policy variable in a condition value.
func mentionsPrincipal(d *iam.Document) bool {
	for _, s := range d.Statements {
		for _, c := range s.Condition.Clauses {
			k := strings.ToLower(c.Key)
			if strings.HasPrefix(k, "aws:principal") || k == "aws:username" || k == "aws:userid" {
				return true
			}
			for _, v := range c.Values {
				if iam.HasVariable(v.Text) || v.Unknown {
					return true
				}
			}
		}
	}
	return false
}

// assume decides whether from may assume role; nil when it may not.
func (a *Analysis) assume(from, role *Node) *Assumption {
	res := a.decideAssume(from, role)
	if res.Allowed == iam.No {
		return nil
	}
	as := &Assumption{From: from, Role: role, Allowed: res.Allowed}
	for _, ref := range res.Best.Statements {
		if ref.Kind != iam.KindTrust {
			continue
		}
		s := role.Role.Trust.Doc.Statements[ref.Index]
		as.MFA = as.MFA || statementHasKey(s, "aws:MultiFactorAuthPresent") || statementHasKey(s, "aws:MultiFactorAuthAge")
		as.ExternalID = as.ExternalID || statementHasKey(s, "sts:ExternalId")
	}
	return as
}

func (a *Analysis) decideAssume(from, role *Node) iam.PartialResult {
	p := a.perms[from]
	id := identityOf(from)
	rid := identityOf(role)
	set := p.Set
	set.Resource = &iam.Policy{Name: a.Graph.NodeOf(role.Role.Trust).ID, Doc: role.Role.Trust.Doc}
	req := &iam.Request{Principal: id.ARN, Action: "sts:AssumeRole", Resource: rid.ARN, Context: p.known}
	if accountOf(id) == accountOf(rid) {
		req.ResourceAccount = accountOf(id)
	}
	return iam.EvaluatePartial(req, &set, p.knownKey)
}

// Assumers returns the principals of the model that may assume a role.
func (a *Analysis) Assumers(role *Node) []*Assumption { return a.assumers[role] }

// Assumable returns the roles a principal may assume.
func (a *Analysis) Assumable(from *Node) []*Assumption { return a.assumable[from] }

// parallel runs f(0..n-1) on every CPU.
func parallel(n int, f func(i int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

package builtin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// This file holds what the trust rules (IAM2xx) share: the trust policies
// of the input with their roles and the principals they admit, and the
// reading of the conditions that restrict who may assume a role.

// trustPolicy is one role trust policy with the principals it admits.
type trustPolicy struct {
	doc *rules.Document
	// role is the role's graph node; nil for a standalone trust policy
	// (a JSON file read as kind trust), whose role the input does not
	// declare.
	role     *analyzer.Node
	subject  string // "role \"deploy\"" or "the role" for a standalone policy
	trustees []analyzer.Trustee
}

// trustPolicies returns every trust policy of the input that decoded, in
// input order, with the principals each admits. A standalone trust policy
// gets its principals through a stand-in role node, since the analyzer
// lists principals per role.
func trustPolicies(p *rules.Pass) []trustPolicy {
	var docs []*rules.Document
	for _, d := range p.Input.Documents {
		if d.Kind == iam.KindTrust && d.Policy.Doc != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	// A document several roles share (one policy document data source)
	// is listed once per role; the owner's address tells them apart.
	type owned struct {
		doc   *iam.PolicyDocument
		owner string
	}
	roleOf := map[owned]*iam.Role{}
	for _, r := range p.Input.Model.Roles {
		if r.Trust != nil {
			roleOf[owned{r.Trust, r.Addr}] = r
		}
	}
	a := p.Input.Analysis()
	var out []trustPolicy
	for _, d := range docs {
		tp := trustPolicy{doc: d, subject: "the role"}
		node := (*analyzer.Node)(nil)
		if r := roleOf[owned{d.Policy, d.Owner}]; r != nil {
			node = a.Graph.NodeOf(r)
			tp.role = node
			tp.subject = "role " + trustRoleName(r)
		}
		if node == nil {
			node = &analyzer.Node{Kind: analyzer.KindRole, Role: &iam.Role{Trust: d.Policy}}
		}
		tp.trustees = a.Trustees(node)
		out = append(out, tp)
	}
	return out
}

// trustRoleName names a role in a message: its quoted name when known,
// else its address.
func trustRoleName(r *iam.Role) string {
	if r.Name != "" && !iam.HasVariable(r.Name) && !r.IsUnknown("Name") {
		return strconv.Quote(r.Name)
	}
	return r.Addr
}

// trustAdmin returns the role's administrator status: iam.No for a
// standalone policy or a role that is not an administrator.
func trustAdmin(p *rules.Pass, tp trustPolicy) iam.Tri {
	if tp.role == nil {
		return iam.No
	}
	perms := p.Input.Analysis().Permissions(tp.role)
	if perms == nil {
		return iam.No
	}
	return perms.Admin
}

// trustAdminPhrase describes an administrator status for a message.
func trustAdminPhrase(t iam.Tri) string {
	if t == iam.Yes {
		return "which has administrator access"
	}
	return "which may have administrator access"
}

// trustAllows reports whether the trustee's statement allows one of the
// given STS actions.
func trustAllows(t analyzer.Trustee, actions ...string) bool {
	return slices.ContainsFunc(t.Actions, func(a string) bool { return slices.Contains(actions, a) })
}

// trustSymbolic reports whether a value holds a value the loader could
// not determine or a policy variable ("${...}"): the rules never guess
// what it stands for.
func trustSymbolic(text string) bool { return strings.Contains(text, "${") }

// trustClauses returns the statement's condition clauses on key, ignoring
// case as IAM does.
func trustClauses(s *iam.Statement, key string) []*iam.Condition {
	var out []*iam.Condition
	for _, c := range s.Condition.Clauses {
		if strings.EqualFold(c.Key, key) {
			out = append(out, c)
		}
	}
	return out
}

// trustLike reports whether the operator reads '*' and '?' as wildcards:
// StringLike, and the ARN operators (ArnEquals behaves as ArnLike).
func trustLike(op iam.Operator) bool {
	switch op.Func {
	case iam.OpStringLike, iam.OpStringNotLike, iam.OpArnLike, iam.OpArnEquals, iam.OpArnNotLike, iam.OpArnNotEquals:
		return true
	}
	return false
}

// trustMatching reports whether a clause admits only requests whose key
// matches one of its values: a positive string or ARN operator that an
// absent key fails (no IfExists when ifExistsOK is false) and that is
// not ForAllValues (which an absent key passes).
func trustMatching(c *iam.Condition, ifExistsOK bool) bool {
	switch c.Operator.Func {
	case iam.OpStringEquals, iam.OpStringEqualsIgnoreCase, iam.OpStringLike, iam.OpArnEquals, iam.OpArnLike:
	default:
		return false
	}
	return c.Operator.Set != iam.ForAllValues && (ifExistsOK || !c.Operator.IfExists) && len(c.Values) > 0
}

// trustExcluding reports whether a clause is true for every request whose
// key matches none of its values, absent keys included: a negated string
// or ARN operator without a set qualifier. A Deny statement with such a
// clause denies everyone the values do not match.
func trustExcluding(c *iam.Condition) bool {
	switch c.Operator.Func {
	case iam.OpStringNotEquals, iam.OpStringNotEqualsIgnoreCase, iam.OpStringNotLike, iam.OpArnNotEquals, iam.OpArnNotLike:
	default:
		return false
	}
	return c.Operator.Set == iam.SetNone && len(c.Values) > 0
}

// trustOnlyWildcards reports whether a pattern matches anything: it is
// made of '*' alone (or '*' and '?').
func trustOnlyWildcards(s string) bool {
	return s != "" && strings.Trim(s, "*?") == "" && strings.Contains(s, "*")
}

// trustDenyClauses returns the clauses that restrict key through Deny
// statements of the trust policy: a Deny that applies to the trustee
// (Principal "*" or the trustee's own value), covers action, and has a
// single clause that excludes everything its values do not match on key.
// Such a Deny leaves only the matching requests.
func trustDenyClauses(doc *iam.Document, t analyzer.Trustee, key, action string) []*iam.Condition {
	var out []*iam.Condition
	for _, s := range doc.Statements {
		if s.Effect != iam.Deny || len(s.Condition.Clauses) != 1 || !trustCoversAction(s, action) || !trustDenyNames(s, t) {
			continue
		}
		c := s.Condition.Clauses[0]
		if strings.EqualFold(c.Key, key) && trustExcluding(c) {
			out = append(out, c)
		}
	}
	return out
}

// trustCoversAction reports whether a statement's actions include action.
func trustCoversAction(s *iam.Statement, action string) bool {
	acts, not := s.Actions()
	hit := slices.ContainsFunc(acts.Values, func(v iam.Value) bool { return iam.MatchAction(v.Text, action) })
	return hit != not
}

// trustDenyNames reports whether a Deny statement's Principal covers the
// trustee: everyone, or the trustee's own value under the same type.
func trustDenyNames(s *iam.Statement, t analyzer.Trustee) bool {
	if s.NotPrincipal != nil || s.Principal == nil {
		return false
	}
	if s.Principal.MatchesAnyone() {
		return true
	}
	for _, e := range s.Principal.Entries {
		for _, v := range e.Values {
			if v.Text == t.Value {
				return true
			}
		}
	}
	return false
}

// trustRestricts reports whether the trustee's requests must carry key
// with a value that one of the clause's values matches, through its own
// statement (a matching clause none of whose values is a bare wildcard)
// or through a Deny of the same policy.
func trustRestricts(doc *iam.Document, t analyzer.Trustee, key, action string, ifExistsOK bool) bool {
	return trustRestrictsWith(doc, t, key, action, ifExistsOK, func(v iam.Value, like bool) bool {
		return v.Unknown || !like || !trustOnlyWildcards(v.Text)
	})
}

// trustRestrictsWith is trustRestricts with a test of each value: a
// clause restricts when every one of its values (which are alternatives)
// passes pinned.
func trustRestrictsWith(doc *iam.Document, t analyzer.Trustee, key, action string, ifExistsOK bool, pinned func(v iam.Value, like bool) bool) bool {
	all := func(c *iam.Condition) bool {
		like := trustLike(c.Operator)
		return !slices.ContainsFunc(c.Values, func(v iam.Value) bool { return !pinned(v, like) })
	}
	for _, c := range trustClauses(t.Statement, key) {
		if trustMatching(c, ifExistsOK) && all(c) {
			return true
		}
	}
	for _, c := range trustDenyClauses(doc, t, key, action) {
		if all(c) {
			return true
		}
	}
	return false
}

// trustCallerKeys are the condition keys that can pin who calls: the
// caller's organization, account or ARN, or for a service acting on a
// resource's behalf, the resource's account, ARN or organization.
var trustCallerKeys = []string{
	"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
	"aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
}

// trustPinsCaller reports whether a clause (positive in an Allow, or
// excluding in a Deny) limits the caller to concrete organizations,
// accounts or ARNs: every value names one (no wildcard where it would
// open the value to any account or organization). A value the loader
// could not determine counts as concrete: it is a configured value, and
// the rules never guess. A policy variable counts only when it is the
// resource's own account or organization (${aws:ResourceAccount}, ...).
func trustPinsCaller(c *iam.Condition) bool {
	key := ""
	for _, k := range trustCallerKeys {
		if strings.EqualFold(c.Key, k) {
			key = k
		}
	}
	if key == "" || len(c.Values) == 0 {
		return false
	}
	like := trustLike(c.Operator)
	for _, v := range c.Values {
		if !trustPinValue(key, v, like) {
			return false
		}
	}
	return true
}

func trustPinValue(key string, v iam.Value, like bool) bool {
	switch {
	case v.Unknown:
		return true
	case trustSymbolic(v.Text):
		for _, ok := range []string{"${aws:ResourceAccount}", "${aws:ResourceOrgID}", "${aws:ResourceOrgPaths}"} {
			if strings.EqualFold(v.Text, ok) {
				return true
			}
		}
		return false
	case !like || !hasWildcard(v.Text):
		return true
	}
	// A pattern: it pins when the part that names the account or
	// organization has no wildcard.
	switch key {
	case "aws:PrincipalArn", "aws:SourceArn":
		arn, ok := iam.ParseARN(v.Text)
		return ok && iam.IsAccountID(arn.Account)
	case "aws:PrincipalOrgPaths", "aws:SourceOrgPaths":
		org, _, _ := strings.Cut(v.Text, "/")
		return org != "" && !hasWildcard(org)
	}
	return false
}

// trustCallerPinned reports whether the trustee's statement, or a Deny of
// the policy, limits the callers to concrete organizations, accounts or
// ARNs (see trustPinsCaller).
func trustCallerPinned(doc *iam.Document, t analyzer.Trustee) bool {
	for _, c := range t.Statement.Condition.Clauses {
		if trustMatching(c, false) && trustPinsCaller(c) {
			return true
		}
	}
	for _, key := range trustCallerKeys {
		for _, action := range t.Actions {
			if !strings.HasPrefix(action, "sts:AssumeRole") {
				continue
			}
			for _, c := range trustDenyClauses(doc, t, key, action) {
				if trustPinsCaller(c) {
					return true
				}
			}
		}
	}
	return false
}

// trustOrgPinned reports whether the trustee's statement limits callers
// to concrete organizations (aws:PrincipalOrgID, aws:PrincipalOrgPaths).
func trustOrgPinned(t analyzer.Trustee) bool {
	for _, c := range t.Statement.Condition.Clauses {
		k := strings.ToLower(c.Key)
		if (k == "aws:principalorgid" || k == "aws:principalorgpaths") && trustMatching(c, false) && trustPinsCaller(c) {
			return true
		}
	}
	return false
}

// trustMentionsMFA reports whether the trustee's statement has any
// condition on aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge: a
// statement meant for people.
func trustMentionsMFA(t analyzer.Trustee) bool {
	return len(trustClauses(t.Statement, "aws:MultiFactorAuthPresent")) > 0 ||
		len(trustClauses(t.Statement, "aws:MultiFactorAuthAge")) > 0
}

// trustMFAEnforced reports whether every request the trustee's statement
// admits was authenticated with MFA: Bool aws:MultiFactorAuthPresent
// "true" (not BoolIfExists, which a request without the key passes), or a
// NumericLessThan(Equals) on aws:MultiFactorAuthAge (not IfExists), or a
// Deny of the policy with the single condition BoolIfExists
// aws:MultiFactorAuthPresent "false".
func trustMFAEnforced(doc *iam.Document, t analyzer.Trustee) bool {
	for _, c := range t.Statement.Condition.Clauses {
		if c.Operator.IfExists || c.Operator.Set != iam.SetNone || len(c.Values) == 0 {
			continue
		}
		switch {
		case strings.EqualFold(c.Key, "aws:MultiFactorAuthPresent") && c.Operator.Func == iam.OpBool:
			if !slices.ContainsFunc(c.Values, func(v iam.Value) bool { return !strings.EqualFold(v.Text, "true") }) {
				return true
			}
		case strings.EqualFold(c.Key, "aws:MultiFactorAuthAge") &&
			(c.Operator.Func == iam.OpNumericLessThan || c.Operator.Func == iam.OpNumericLessThanEquals):
			return true
		}
	}
	for _, s := range doc.Statements {
		if s.Effect != iam.Deny || len(s.Condition.Clauses) != 1 || !trustCoversAction(s, "sts:AssumeRole") || !trustDenyNames(s, t) {
			continue
		}
		c := s.Condition.Clauses[0]
		if strings.EqualFold(c.Key, "aws:MultiFactorAuthPresent") && c.Operator.Func == iam.OpBool &&
			c.Operator.IfExists && c.Operator.Set == iam.SetNone &&
			len(c.Values) > 0 && !slices.ContainsFunc(c.Values, func(v iam.Value) bool { return !strings.EqualFold(v.Text, "false") }) {
			return true
		}
	}
	return false
}

// trustConditionList renders a statement's conditions for a message:
// "StringEquals sts:ExternalId, IpAddress aws:SourceIp".
func trustConditionList(s *iam.Statement) string {
	var parts []string
	for _, c := range s.Condition.Clauses {
		parts = append(parts, c.Operator.String()+" "+c.Key)
	}
	return strings.Join(parts, ", ")
}

// trustConditionRelated points at each condition key of a statement.
func trustConditionRelated(s *iam.Statement, msg string) []rules.Related {
	var out []rules.Related
	for _, c := range s.Condition.Clauses {
		out = append(out, rules.Related{Range: c.KeyRange, Message: msg})
	}
	return out
}

// trustPrincipalPhrase names an AWS trustee for a message: the account
// and how it was written, or the principal ARN.
func trustPrincipalPhrase(t analyzer.Trustee) string {
	if t.Kind == analyzer.TrustAccount {
		if t.Value == t.Account {
			return "account " + t.Account
		}
		return "account " + strconv.Quote(t.Value)
	}
	return strconv.Quote(t.Value)
}

// trustUserARN reports whether an AWS principal value is an IAM user.
func trustUserARN(v string) bool {
	arn, ok := iam.ParseARN(v)
	return ok && arn.Service == "iam" && strings.HasPrefix(arn.Resource, "user/")
}

// trustFederatedProvider returns the identity provider a Federated
// trustee names: the path of an OIDC provider ARN
// ("token.actions.githubusercontent.com", "oidc.eks.us-east-1.amazonaws.com/id/ABC"),
// the name of a built-in web identity provider ("accounts.google.com"),
// or saml true for a SAML provider ARN. When the value is symbolic (a
// reference the loader could not resolve) the provider is inferred from
// the statement's condition keys, when they name exactly one; ok is false
// when it cannot be told.
func trustFederatedProvider(t analyzer.Trustee) (provider string, saml, ok bool) {
	v := t.Value
	if arn, isARN := iam.ParseARN(v); isARN {
		switch {
		case strings.HasPrefix(arn.Resource, "saml-provider/"):
			return "", true, true
		case strings.HasPrefix(arn.Resource, "oidc-provider/"):
			provider = strings.TrimPrefix(arn.Resource, "oidc-provider/")
			if provider != "" && !trustSymbolic(provider) {
				return provider, false, true
			}
		}
	} else if v != "" && !trustSymbolic(v) {
		return v, false, true
	}
	// Symbolic: infer from the condition keys.
	seen := ""
	for _, c := range t.Statement.Condition.Clauses {
		i := strings.LastIndexByte(c.Key, ':')
		if i <= 0 {
			continue
		}
		prefix := c.Key[:i]
		switch strings.ToLower(prefix) {
		case "aws", "sts", "iam":
			continue
		case "saml":
			return "", true, true
		}
		if seen != "" && !strings.EqualFold(seen, prefix) {
			return "", false, false
		}
		seen = prefix
	}
	return seen, false, seen != ""
}

// trustGitHubScope is how far a GitHub Actions trust reaches, from the
// narrowest to the widest.
type trustGitHubScope uint8

const (
	trustGitHubPinned   trustGitHubScope = iota // one repository and branch, environment, ... (or a form the rules cannot read)
	trustGitHubAnyRef                           // one repository, any branch, tag, pull request or environment
	trustGitHubAnyRepo                          // every repository of one owner
	trustGitHubAnyOwner                         // repositories of any owner
)

// trustGitHubProvider reports whether an OIDC provider is GitHub Actions'
// token issuer, including the per-enterprise issuers
// (token.actions.githubusercontent.com/<enterprise>).
func trustGitHubProvider(provider string) bool {
	p := strings.ToLower(provider)
	return p == "token.actions.githubusercontent.com" || strings.HasPrefix(p, "token.actions.githubusercontent.com/")
}

// trustGitHubScopeOf returns how far the trustee's statement, and the
// Denies of the policy, restrict the sub claim of GitHub Actions tokens,
// with the condition value that sets that scope (nil when nothing
// restricts sub). Several clauses on sub must all hold, so the narrowest
// decides; the values of one clause are alternatives, so its widest
// decides. A condition on the repository, repository_id or
// job_workflow_ref claims with a concrete value counts as pinned.
func trustGitHubScopeOf(doc *iam.Document, t analyzer.Trustee, provider string) (trustGitHubScope, *iam.Value) {
	key := provider + ":sub"
	var clauses []*iam.Condition
	for _, c := range trustClauses(t.Statement, key) {
		if trustMatching(c, true) {
			clauses = append(clauses, c)
		}
	}
	clauses = append(clauses, trustDenyClauses(doc, t, key, "sts:AssumeRoleWithWebIdentity")...)
	if len(clauses) == 0 {
		for _, claim := range []string{"repository", "repository_id", "job_workflow_ref"} {
			for _, c := range trustClauses(t.Statement, provider+":"+claim) {
				if trustMatching(c, true) && !slices.ContainsFunc(c.Values, func(v iam.Value) bool {
					return trustLike(c.Operator) && hasWildcard(v.Text) && !v.Unknown
				}) {
					return trustGitHubPinned, nil
				}
			}
		}
		return trustGitHubAnyOwner, nil
	}
	best, bestValue := trustGitHubAnyOwner+1, (*iam.Value)(nil)
	for _, c := range clauses {
		worst, worstValue := trustGitHubPinned, (*iam.Value)(nil)
		for i := range c.Values {
			v := &c.Values[i]
			if s := trustGitHubValueScope(*v, trustLike(c.Operator)); s > worst || worstValue == nil {
				worst, worstValue = max(s, worst), v
			}
		}
		if worst < best {
			best, bestValue = worst, worstValue
		}
	}
	return best, bestValue
}

// trustGitHubValueScope reads one sub pattern: "repo:OWNER/REPO:CONTEXT"
// where CONTEXT is ref:refs/heads/BRANCH, environment:NAME, pull_request,
// ... Under an operator without wildcards, or for a value the loader
// could not determine, the value is pinned; a custom claim format (not
// starting with "repo:") is read only when it starts with a wildcard.
func trustGitHubValueScope(v iam.Value, like bool) trustGitHubScope {
	text := v.Text
	if v.Unknown || trustSymbolic(text) || !like || !hasWildcard(text) {
		return trustGitHubPinned
	}
	rest, ok := strings.CutPrefix(text, "repo:")
	if !ok {
		if strings.IndexAny(text, "*?") == 0 {
			return trustGitHubAnyOwner
		}
		return trustGitHubPinned
	}
	owner, afterOwner, hasSlash := strings.Cut(rest, "/")
	if !hasSlash || hasWildcard(owner) {
		return trustGitHubAnyOwner
	}
	repo, ctx, _ := strings.Cut(afterOwner, ":")
	if hasWildcard(repo) {
		return trustGitHubAnyRepo
	}
	for _, prefix := range []string{"environment:", "ref:refs/heads/", "ref:refs/", "ref:"} {
		if after, ok := strings.CutPrefix(ctx, prefix); ok {
			ctx = after
			break
		}
	}
	if trustOnlyWildcards(ctx) {
		return trustGitHubAnyRef
	}
	return trustGitHubPinned
}

// trustGitHubTrustees calls f for each GitHub Actions trustee of the
// input's trust policies that may call sts:AssumeRoleWithWebIdentity, with
// the provider and the scope its conditions leave.
func trustGitHubTrustees(p *rules.Pass, f func(tp trustPolicy, t analyzer.Trustee, provider string, scope trustGitHubScope, v *iam.Value)) {
	for _, tp := range trustPolicies(p) {
		for _, t := range tp.trustees {
			if t.Kind != analyzer.TrustFederated || !trustAllows(t, "sts:AssumeRoleWithWebIdentity") {
				continue
			}
			provider, saml, ok := trustFederatedProvider(t)
			if !ok || saml || !trustGitHubProvider(provider) || trustForeignClaim(t, provider) {
				continue
			}
			scope, v := trustGitHubScopeOf(tp.doc.Policy.Doc, t, provider)
			f(tp, t, provider, scope, v)
		}
	}
}

// trustValueRelated points at a condition value, if any.
func trustValueRelated(v *iam.Value, msg string) []rules.Related {
	if v == nil {
		return nil
	}
	return []rules.Related{{Range: v.Range, Message: msg}}
}

// trustForeignClaim reports whether the trustee's statement requires a
// claim of another identity provider (a matching clause on a key such as
// gitlab.com:sub when the trustee is GitHub's provider): tokens of the
// trustee's provider lack that key and fail the statement.
func trustForeignClaim(t analyzer.Trustee, provider string) bool {
	for _, c := range t.Statement.Condition.Clauses {
		i := strings.LastIndexByte(c.Key, ':')
		if i <= 0 || !trustMatching(c, false) {
			continue
		}
		switch prefix := strings.ToLower(c.Key[:i]); prefix {
		case "aws", "sts", "iam", "saml":
		default:
			if prefix != strings.ToLower(provider) {
				return true
			}
		}
	}
	return false
}

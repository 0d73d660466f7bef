package builtin

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

// This file holds what the least-privilege rules (IAM101–IAM118) share:
// which documents and statements grant anything, how an Action value is
// classified, when a Resource value leaves an action unscoped, when a
// condition really narrows the resources, the action lists the named-risk
// rules use, and message helpers.
//
// The rules divide a statement between them so that one element is not
// reported twice for the same reason:
//
//   - an Action value that allows every action ("*", "*:*") is IAM103's;
//     no other statement rule counts the actions it grants (IAM101 and
//     IAM102 report the principals it makes administrators);
//   - a whole-service wildcard ("s3:*") is IAM104's or IAM105's; the
//     access-level rules (IAM108–IAM110) do not count its actions, the
//     named-risk rules (IAM111, IAM113–IAM115) do, since those risks are
//     worth naming even inside a wildcard;
//   - NotAction is IAM106's and NotResource IAM107's; the other statement
//     rules skip such statements;
//   - an action on one of the named-risk lists (iam:PassRole,
//     sts:AssumeRole, data access, credentials) is reported by that rule
//     only, never again by its access level.

// lpGrantingDocs returns the documents whose Allow statements grant
// permissions to whoever holds them: inline policies, the default version
// of customer managed policies that are not used only as permissions
// boundaries, and standalone identity policies. Left out: trust, resource,
// SCP, RCP, boundary and session policies (they grant nothing by
// themselves or are another category's concern), the non-default versions
// of a managed policy (not in effect), and policies used only as a
// boundary (a ceiling, not a grant).
func lpGrantingDocs(in *rules.Input) []*rules.Document {
	inactive := map[*iam.PolicyDocument]bool{}
	asBoundary := map[*iam.ManagedPolicy]bool{}
	attached := map[*iam.ManagedPolicy]bool{}
	for _, p := range in.Model.Policies {
		for _, v := range p.Versions {
			if !v.IsDefault && &v.PolicyDocument != p.Default {
				inactive[&v.PolicyDocument] = true
			}
		}
	}
	ids := func(id *iam.Identity) {
		if id.Boundary != nil && id.Boundary.Policy != nil {
			asBoundary[id.Boundary.Policy] = true
		}
		for _, a := range id.Attached {
			if a.Policy != nil {
				attached[a.Policy] = true
			}
		}
	}
	for _, u := range in.Model.Users {
		ids(&u.Identity)
	}
	for _, r := range in.Model.Roles {
		ids(&r.Identity)
	}
	for _, g := range in.Model.Groups {
		for _, a := range g.Attached {
			if a.Policy != nil {
				attached[a.Policy] = true
			}
		}
	}
	boundaryDocs := map[*iam.PolicyDocument]bool{}
	for p := range asBoundary {
		if attached[p] {
			continue
		}
		if p.Default != nil {
			boundaryDocs[p.Default] = true
		}
		for _, v := range p.Versions {
			boundaryDocs[&v.PolicyDocument] = true
		}
	}
	var out []*rules.Document
	for _, d := range in.Documents {
		doc := d.Policy.Doc
		if doc == nil || inactive[d.Policy] || boundaryDocs[d.Policy] {
			continue
		}
		switch d.Kind {
		case iam.KindIdentity:
		case iam.KindUnknown:
			// A standalone document whose kind was not given: an
			// identity policy unless it names principals.
			if lpNamesPrincipals(doc) {
				continue
			}
		default:
			continue
		}
		out = append(out, d)
	}
	return out
}

func lpNamesPrincipals(doc *iam.Document) bool {
	for _, s := range doc.Statements {
		if s.Principal != nil || s.NotPrincipal != nil {
			return true
		}
	}
	return false
}

// lpAllows yields the Allow statements of a granting document. A
// statement that names a principal is a resource policy's, not a grant to
// the document's holder, and is left out.
func lpAllows(d *rules.Document) iter.Seq[*iam.Statement] {
	return func(yield func(*iam.Statement) bool) {
		for _, s := range d.Policy.Doc.Statements {
			if s.Effect == iam.Allow && s.Principal == nil && s.NotPrincipal == nil && !yield(s) {
				return
			}
		}
	}
}

// lpClass is what an Action value stands for.
type lpClass uint8

const (
	lpSkip    lpClass = iota // unknown (symbolic), malformed, or matches no action
	lpEvery                  // every action: "*", "*:*"
	lpService                // every action of one service: "s3:*"
	lpSome                   // some actions: "s3:Get*", "iam:PassRole", "*:Describe*"
)

// lpKind is what an Action value stands for: its class and expansion.
type lpKind struct {
	class   lpClass
	service *catalog.Service // for lpService
	acts    []*catalog.Action
}

// lpAction is one Action value, classified and expanded.
type lpAction struct {
	value *iam.Value
	lpKind
}

// lpClassifier classifies Action values for one pass of a rule. The same
// values recur in statement after statement, so it classifies and expands
// each text once; the expansions it returns are shared and must not be
// modified.
type lpClassifier struct {
	kinds textMemo[lpKind]
	buf   []lpAction
}

func newLPClassifier(cat *catalog.Catalog) *lpClassifier {
	return &lpClassifier{kinds: newTextMemo(func(text string) lpKind { return lpClassify(cat, text) })}
}

// actions classifies the values of a statement's Action element.
// Values the loader could not determine are lpSkip: they are never
// guessed at. The slice is valid until the next call.
func (c *lpClassifier) actions(s *iam.Statement) []lpAction {
	if !s.Action.Present || s.NotAction.Present {
		return nil
	}
	c.buf = c.buf[:0]
	for i := range s.Action.Values {
		v := &s.Action.Values[i]
		a := lpAction{value: v}
		if !v.Unknown {
			a.lpKind = c.kinds.get(v.Text)
		}
		c.buf = append(c.buf, a)
	}
	return c.buf
}

// lpClassify classifies the text of an Action value the loader
// determined.
func lpClassify(cat *catalog.Catalog, text string) lpKind {
	var a lpKind
	if text == "" {
		return a
	}
	if text == "*" {
		a.class = lpEvery
		return a
	}
	acts := cat.Expand(text)
	switch {
	case len(acts) == 0:
		return a
	case len(acts) == cat.NumActions():
		a.class = lpEvery
		return a
	}
	a.acts = acts
	a.class = lpSome
	svcPart, name, _ := strings.Cut(text, ":")
	if hasWildcard(svcPart) || !hasWildcard(name) {
		return a
	}
	if svc := cat.Service(svcPart); svc != nil && len(acts) == len(svc.Actions) {
		a.class = lpService
		a.service = svc
	}
	return a
}

// lpGranted returns the actions the statement grants through values of the
// given classes, deduplicated, in catalog order, keeping those keep
// accepts.
func lpGranted(vals []lpAction, classes []lpClass, keep func(*catalog.Action) bool) []*catalog.Action {
	var out []*catalog.Action
	sources := 0 // values that contributed to out
	for _, v := range vals {
		if !slices.Contains(classes, v.class) {
			continue
		}
		n := len(out)
		for _, a := range v.acts {
			if keep(a) {
				out = append(out, a)
			}
		}
		if len(out) > n {
			sources++
		}
	}
	return sortActions(out, sources)
}

// lpSomeOnly and lpWithServices are the classes the access-level rules
// and the named-risk rules count.
var (
	lpSomeOnly     = []lpClass{lpSome}
	lpWithServices = []lpClass{lpSome, lpService}
)

// lpResourcePart returns the resource part of an ARN pattern (what follows
// the fifth colon) and the service field; ok is false for a value that is
// not an ARN pattern.
func lpResourcePart(text string) (service, resource string, ok bool) {
	parts := strings.SplitN(text, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", "", false
	}
	return parts[2], parts[5], true
}

// lpOnlyStars reports whether s is non-empty and, apart from '/' and ':'
// separators, made only of '*': it names no resource type and no name.
func lpOnlyStars(s string) bool {
	star := false
	for _, r := range s {
		switch r {
		case '*':
			star = true
		case '/', ':':
		default:
			return false
		}
	}
	return star
}

// lpUnscoped reports whether a Resource value leaves an action unscoped:
// "*", or an ARN pattern that covers every resource of one of the action's
// resource types (a required one when the action has any), whatever it
// says of partition, region and account. A pattern covers a type when its resource part is the literal start of the
// type's ARN format (the text before the first placeholder: "table/",
// "secret:", "role/", "" for an S3 object) followed only by wildcards:
// "arn:aws:s3:::*", "arn:aws:dynamodb:*:111122223333:table/*",
// "arn:aws:secretsmanager:*:*:secret:*" and "arn:aws:iam::*:role/*" are
// unscoped; "arn:aws:s3:::bucket/*", "role/service-role/*" and
// "log-group:/app/*" name something. Policy variables and values the loader
// could not determine are never unscoped.
func lpUnscoped(v iam.Value, a *catalog.Action) bool {
	if v.Unknown || a.OnlyWildcardResource() {
		return false
	}
	if v.Text == "*" {
		return true
	}
	_, res, ok := lpResourcePart(v.Text)
	if !ok || hasVariable(v.Text) {
		return false
	}
	if lpOnlyStars(res) {
		return lpMatchesKey(a, v.Text)
	}
	required := lpHasRequired(a)
	for _, r := range a.Resources {
		if required && !r.Required {
			continue
		}
		for _, f := range r.Type.ARNFormats {
			_, fres, ok := lpResourcePart(f)
			if !ok {
				continue
			}
			lit := fres
			if i := strings.Index(fres, "${"); i >= 0 {
				lit = fres[:i]
			}
			if rest, ok := strings.CutPrefix(res, lit); ok && lpOnlyStars(rest) && r.Type.MatchARNPattern(v.Text) {
				return true
			}
		}
	}
	return false
}

// lpAllWildcards is the strict form of lpUnscoped that the Write and Read
// rules use: "*", or an ARN pattern whose resource part is only wildcards
// and that pins no account ("arn:aws:s3:::*", "arn:aws:logs:*:*:*"). Left
// alone: a pattern that names the type ("arn:aws:ec2:*:*:instance/*"),
// which is how actions that create a resource must be written since the
// new resource's name is not known in advance, and a pattern pinned to an
// account ("arn:aws:logs:eu-west-1:111122223333:*", what the Lambda console
// writes for logs:CreateLogGroup).
func lpAllWildcards(v iam.Value, a *catalog.Action) bool {
	if v.Unknown || a.OnlyWildcardResource() {
		return false
	}
	if v.Text == "*" {
		return true
	}
	_, res, ok := lpResourcePart(v.Text)
	if !ok || hasVariable(v.Text) || !lpOnlyStars(res) {
		return false
	}
	if acct := strings.SplitN(v.Text, ":", 6)[4]; acct != "" && !lpOnlyStars(acct) {
		return false
	}
	return lpMatchesKey(a, v.Text)
}

// lpHasRequired reports whether some resource type of the action is
// required (AWS marks it with an asterisk).
func lpHasRequired(a *catalog.Action) bool {
	for _, r := range a.Resources {
		if r.Required {
			return true
		}
	}
	return false
}

// lpMatchesKey reports whether an ARN pattern can match a resource type
// that decides the action: a required type when the action has one (for
// redshift:GetClusterCredentials the database user, not the optional
// database name), else any of its types.
func lpMatchesKey(a *catalog.Action, pattern string) bool {
	required := lpHasRequired(a)
	for _, r := range a.ResourcesMatching(pattern) {
		if r.Required || !required {
			return true
		}
	}
	return false
}

// lpNarrows reports whether a statement's Condition block narrows the
// resources it applies to, so that Resource "*" is not the whole story.
// A clause narrows when its operator is positive (not a Not… operator,
// not …IfExists, not ForAllValues:, not Null or Bool: each of those is
// true when the key is absent or says nothing about which resource), its
// key describes the resource or the request in the service's terms, and
// at least one value is not only wildcards. Keys that describe the
// resource: aws:ResourceTag/…, aws:ResourceAccount, aws:ResourceOrgID,
// aws:ResourceOrgPaths, aws:RequestTag/… and aws:TagKeys (tag-based
// access control), and every service-specific key (s3:prefix,
// ec2:ResourceTag/…, kms:ViaService, iam:PolicyARN, ...) unless skip
// rejects it. Global keys about the caller or the network
// (aws:SourceIp, aws:MultiFactorAuthPresent, aws:RequestedRegion,
// aws:PrincipalTag/…, aws:CalledVia) do not narrow resources. A value the
// loader could not determine counts as narrowing: it is never guessed at.
func lpNarrows(s *iam.Statement, skip func(key string) bool) bool {
	for _, c := range s.Condition.Clauses {
		op := c.Operator
		if op.Func == iam.OpUnknown || op.Func.Negated() || op.IfExists || op.Set == iam.ForAllValues ||
			op.Func == iam.OpNull || op.Func == iam.OpBool {
			continue
		}
		key := strings.ToLower(c.Key)
		if skip != nil && skip(key) {
			continue
		}
		if !lpResourceKey(key) {
			continue
		}
		for _, v := range c.Values {
			if v.Unknown || !lpOnlyStars(v.Text) {
				return true
			}
		}
	}
	return false
}

// lpResourceKey reports whether a condition key (lower case) describes
// the resource or the request in the service's terms (see lpNarrows).
func lpResourceKey(key string) bool {
	svc, _, ok := strings.Cut(key, ":")
	if !ok {
		return false
	}
	if svc != "aws" {
		return true
	}
	switch {
	case strings.HasPrefix(key, "aws:resourcetag/"), strings.HasPrefix(key, "aws:requesttag/"):
		return true
	}
	switch key {
	case "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "aws:tagkeys":
		return true
	}
	return false
}

// lpRoleKey reports whether a condition key (lower case) narrows which
// roles a statement about roles (iam:PassRole, sts:AssumeRole) covers:
// the role's tags and account. iam:PassedToService, iam:AssociatedResourceArn
// and the sts: keys narrow where the role goes or how the session looks,
// not which role.
func lpRoleKey(key string) bool {
	switch {
	case strings.HasPrefix(key, "aws:resourcetag/"), strings.HasPrefix(key, "iam:resourcetag/"):
		return true
	}
	switch key {
	case "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths":
		return true
	}
	return false
}

// lpNamed holds the actions a named-risk rule reports, so that the
// access-level rules leave them out.
type lpNamed struct {
	passRole, assumeRole *catalog.Action
	exfil, creds         map[*catalog.Action]bool
}

func lpNamedActions(cat *catalog.Catalog) *lpNamed {
	n := &lpNamed{passRole: cat.Action("iam:PassRole"), assumeRole: cat.Action("sts:AssumeRole"),
		exfil: map[*catalog.Action]bool{}, creds: map[*catalog.Action]bool{}}
	for _, name := range lpExfilActions {
		if a := cat.Action(name); a != nil {
			n.exfil[a] = true
		}
	}
	for _, name := range lpCredentialActions {
		if a := cat.Action(name); a != nil {
			n.creds[a] = true
		}
	}
	return n
}

func (n *lpNamed) has(a *catalog.Action) bool {
	return a == n.passRole || a == n.assumeRole || n.exfil[a] || n.creds[a]
}

// lpExfilActions are read actions that return the data itself, from
// stores that commonly hold secrets or customer data. The list starts from
// cloudsplaining's READ_ONLY_DATA_EXFILTRATION_ACTIONS
// (cloudsplaining/shared/constants.py: s3:GetObject,
// ssm:GetParameter(s)(ByPath), secretsmanager:GetSecretValue), adds the
// actions that return the same data by another door (s3:GetObjectVersion:
// older versions of an object; ssm:GetParameterHistory: past values of a
// parameter, decrypted on request) and kms:Decrypt, which AWS classifies
// as Write but which turns any ciphertext the caller holds into plaintext.
// Each accepts a resource type, so "*" is never required.
var lpExfilActions = []string{
	"kms:Decrypt",
	"s3:GetObject",
	"s3:GetObjectVersion",
	"secretsmanager:GetSecretValue",
	"ssm:GetParameter",
	"ssm:GetParameterHistory",
	"ssm:GetParameters",
	"ssm:GetParametersByPath",
}

// lpCredentialActions are actions that return, create or reset
// credentials of another identity: the credentials-exposure list of
// parliament (parliament/community_auditors/credentials_exposure.py, from
// Kinnaird McQuade's list that cloudsplaining also links) plus
// iam:UpdateLoginProfile (sets another user's console password),
// ec2:GetPasswordData (an instance's Windows administrator password),
// redshift:GetClusterCredentialsWithIAM and
// redshift-serverless:GetCredentials (database credentials).
//
// Left out on purpose: sts:AssumeRole (IAM113 reports it); actions that
// only accept Resource "*" (ecr:GetAuthorizationToken,
// sts:GetSessionToken, cognito-identity:GetCredentialsForIdentity and
// GetOpenIdToken, cognito-idp:AssociateSoftwareToken): a policy cannot
// scope them, and the credentials they return carry no more than the
// caller's own permissions; sts:GetFederationToken and
// codeartifact:GetAuthorizationToken for the same reason (the session
// cannot exceed the caller's permissions); sts:AssumeRoleWithSAML and
// AssumeRoleWithWebIdentity, which identity policies do not govern; and
// names that are not IAM actions (connect:GetFederationTokens,
// iot:AssumeRoleWithCertificate, sso:GetRoleCredentials).
var lpCredentialActions = []string{
	"codepipeline:PollForJobs",
	"cognito-identity:GetOpenIdTokenForDeveloperIdentity",
	"connect:GetFederationToken",
	"ec2:GetPasswordData",
	"gamelift:RequestUploadCredentials",
	"iam:CreateAccessKey",
	"iam:CreateLoginProfile",
	"iam:CreateServiceSpecificCredential",
	"iam:ResetServiceSpecificCredential",
	"iam:UpdateAccessKey",
	"iam:UpdateLoginProfile",
	"lightsail:GetInstanceAccessDetails",
	"lightsail:GetRelationalDatabaseMasterUserPassword",
	"mediapackage:RotateIngestEndpointCredentials",
	"rds-db:connect",
	"redshift-serverless:GetCredentials",
	"redshift:GetClusterCredentials",
	"redshift:GetClusterCredentialsWithIAM",
}

// lpSensitiveServices are the services whose wildcard IAM104 reports as
// high: those that decide who may do what across the account or the
// organization. iam (users, roles, policies), sts (sessions of any role
// that trusts the account), organizations (SCPs, accounts), sso,
// sso-directory and identitystore (IAM Identity Center permission sets,
// users and groups), kms (key policies and grants decide who can decrypt)
// and ram (sharing resources with other accounts). Every other service's
// wildcard is IAM105's.
var lpSensitiveServices = []string{"iam", "identitystore", "kms", "organizations", "ram", "sso", "sso-directory", "sts"}

func lpSensitive(svc *catalog.Service) bool {
	return slices.Contains(lpSensitiveServices, strings.ToLower(svc.Prefix))
}

// lpAdminLikeManaged are the AWS managed policies IAM116 reports, with
// what each gives: AWS's job-function policies for administrators and
// power users, and the two whose service wildcards reach administrator by
// a single step (attach a policy to oneself; move an account between
// organizations or detach its SCPs).
var lpAdminLikeManaged = map[string]string{
	"AdministratorAccess":        "every action on every resource",
	"PowerUserAccess":            "every action except IAM, Organizations and account management",
	"IAMFullAccess":              "iam:*, enough to attach AdministratorAccess to itself",
	"AWSOrganizationsFullAccess": "organizations:*, control over every account of the organization",
}

// lpManagedName returns the name of an AWS managed policy ARN
// ("arn:aws:iam::aws:policy/job-function/X" gives X), or "" for anything
// else.
func lpManagedName(arn string) string {
	a, ok := iam.ParseARN(arn)
	if !ok || a.Service != "iam" || a.Account != "aws" || strings.Contains(arn, "${") {
		return ""
	}
	res, ok := strings.CutPrefix(a.Resource, "policy/")
	if !ok {
		return ""
	}
	return res[strings.LastIndexByte(res, '/')+1:]
}

// lpDescribe names actions for a message: "s3:GetObject",
// "s3:GetObject and s3:PutObject", "a, b, c and 4 more".
func lpDescribe(acts []*catalog.Action) string {
	names := make([]string, 0, 4)
	for i, a := range acts {
		if i == 3 && len(acts) > 4 {
			names = append(names, fmt.Sprintf("%d more", len(acts)-3))
			break
		}
		names = append(names, a.FullName())
	}
	return lpAnd(names)
}

// lpAnd joins names as "a", "a and b", "a, b and c".
func lpAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// lpTypes names the resource types the actions accept, up to three
// ("s3:object and s3:bucket"); "" when there are more. An action with
// required types contributes only those.
func lpTypes(acts []*catalog.Action) string {
	var names []string
	seen := map[*catalog.ResourceType]bool{}
	for _, a := range acts {
		required := false
		for _, r := range a.Resources {
			required = required || r.Required
		}
		for _, r := range a.Resources {
			if (r.Required || !required) && !seen[r.Type] {
				seen[r.Type] = true
				names = append(names, r.Type.String())
			}
		}
	}
	if len(names) > 3 {
		return ""
	}
	return lpAnd(names)
}

// lpScope says how to fix an unscoped grant: "scope them to s3:object
// ARNs", or "scope it to the resources it needs" when the actions accept
// many types.
func lpScope(acts []*catalog.Action) string {
	if types := lpTypes(acts); types != "" {
		return "scope " + lpThem(acts) + " to " + types + " ARNs"
	}
	if len(acts) == 1 {
		return "scope it to the resources it needs"
	}
	return "scope them to the resources they need"
}

// lpReach names what an unscoped grant reaches: "every s3:object", or
// "every resource" when the actions accept many types.
func lpReach(acts []*catalog.Action) string {
	if types := lpTypes(acts); types != "" {
		return "every " + types
	}
	return "every resource they apply to"
}

// lpStarCheck is one of the rules that report actions a statement grants
// on every resource: it says which actions it is about, which Action
// values it counts, and which condition keys it accepts as narrowing.
type lpStarCheck struct {
	classes []lpClass
	keep    func(*catalog.Action) bool
	// unscoped says whether a Resource value leaves the action unscoped;
	// lpUnscoped when nil.
	unscoped func(v iam.Value, a *catalog.Action) bool
	// narrows says whether the conditions narrow the resources;
	// lpNarrows(s, nil) when nil.
	narrows func(s *iam.Statement) bool
	report  func(p *rules.Pass, d *rules.Document, s *iam.Statement, v iam.Value, acts []*catalog.Action)
}

// run reports, for every Allow statement of every granting document, each
// Resource value that leaves some of the rule's actions unscoped: one
// finding per value, naming the actions.
func (c *lpStarCheck) run(p *rules.Pass) {
	unscoped := c.unscoped
	if unscoped == nil {
		unscoped = lpUnscoped
	}
	byDesign := lpByDesign(p.Catalog)
	cl := newLPClassifier(p.Catalog)
	for _, d := range lpGrantingDocs(p.Input) {
		for s := range lpAllows(d) {
			if !s.Resource.Present || s.NotResource.Present {
				continue
			}
			acts := lpGranted(cl.actions(s), c.classes, func(a *catalog.Action) bool {
				return !a.OnlyWildcardResource() && !byDesign[a] && c.keep(a)
			})
			if len(acts) == 0 {
				continue
			}
			narrowed := false
			if c.narrows != nil {
				narrowed = c.narrows(s)
			} else {
				narrowed = lpNarrows(s, nil)
			}
			if narrowed {
				continue
			}
			for _, v := range s.Resource.Values {
				var hit []*catalog.Action
				for _, a := range acts {
					if unscoped(v, a) {
						hit = append(hit, a)
					}
				}
				if len(hit) > 0 {
					c.report(p, d, s, v, hit)
				}
			}
		}
	}
}

// lpOn renders where actions are granted: `on "*"`.
func lpOn(v iam.Value) string { return "on " + strconv.Quote(v.Text) }

// lpAnyStar reports whether a statement's Resource has a literal "*".
func lpAnyStar(s *iam.Statement) bool {
	if s.NotResource.Present {
		return false
	}
	for _, v := range s.Resource.Values {
		if !v.Unknown && v.Text == "*" {
			return true
		}
	}
	return false
}

// lpPrincipal names a user or role node for a message: `role "app"`,
// falling back to its address when the name is not known.
func lpPrincipal(n *analyzer.Node) string {
	var kind, name string
	switch {
	case n.User != nil:
		kind, name = "user", n.User.Name
	case n.Role != nil:
		kind, name = "role", n.Role.Name
	default:
		return n.Src.Addr
	}
	if name == "" || strings.Contains(name, "${") {
		return kind + " " + n.Src.Addr
	}
	return kind + " " + strconv.Quote(name)
}

// lpIdentityName names a user, group or role of the model for a message.
func lpIdentityName(kind, name, addr string) string {
	if name == "" || strings.Contains(name, "${") {
		return kind + " " + addr
	}
	return kind + " " + strconv.Quote(name)
}

// lpStatementLabel names a statement as finding paths do: by its Sid when
// the Sid is unique in the document, else by its index.
func lpStatementLabel(doc *iam.Document, s *iam.Statement) string {
	if s.Sid != "" {
		n := 0
		for _, t := range doc.Statements {
			if t.Sid == s.Sid {
				n++
			}
		}
		if n == 1 {
			return "Statement[" + strconv.Quote(s.Sid) + "]"
		}
	}
	return "Statement[" + strconv.Itoa(s.Index) + "]"
}

// lpHopRelated turns the hops of a policy path (after the principal) into
// related locations, skipping hops without a position and the range
// already reported.
func lpHopRelated(hops []analyzer.Hop, skip hcl.Range) []rules.Related {
	var out []rules.Related
	for i, h := range hops {
		if h.Src == nil || h.Src.Range.Filename == "" || h.Src.Range == skip {
			continue
		}
		// A membership or an attachment is named by what it leads to.
		what := lpHopName(h)
		if next := i + 1; next < len(hops) {
			switch {
			case h.Kind == analyzer.KindMembership && hops[next].Node != nil && hops[next].Node.Group != nil:
				what = "the membership in " + lpHopName(hops[next])
			case h.Kind == analyzer.KindAttachment && hops[next].Node != nil && hops[next].Node.Policy != nil:
				what = "the attachment of " + lpHopName(hops[next])
			}
		}
		out = append(out, rules.Related{Range: h.Src.Range, Message: "through " + what})
	}
	return out
}

// lpHopName names a hop of a policy path for a message: `group "admins"`,
// `managed policy "AdministratorAccess"`, or its kind and address.
func lpHopName(h analyzer.Hop) string {
	switch {
	case h.Node != nil && h.Node.Group != nil:
		return lpIdentityName("group", h.Node.Group.Name, h.Src.Addr)
	case h.Node != nil && h.Node.Policy != nil:
		name := h.Node.Policy.Name
		if name == "" {
			name = lpManagedName(h.Node.Policy.ARN)
		}
		return lpIdentityName("managed policy", name, h.Src.Addr)
	}
	return fmt.Sprintf("%s %s", h.Kind, h.Src.Addr)
}

// lpStarByDesign are actions whose reference entry lists resource types,
// all optional, while their ordinary requests name no resource: AWS
// authorizes such a request against "*", so a policy must grant them on
// "*" to be usable. They are treated like actions that only accept "*".
// Each pattern is expanded against the catalog, and an expansion keeps
// only actions none of whose resource types is required, so an entry
// stops applying if AWS makes a type required.
//
//   - cloudwatch:PutMetricData, GetMetricData: the optional "dataset"
//     type; AWS documents "*" narrowed by cloudwatch:namespace
//     (bridgecrewio/checkov#990).
//   - Cost Explorer and Billing reads: the optional "billingview" type.
//   - translate, polly, comprehend and rekognition inference calls: an
//     optional custom terminology, lexicon, endpoint or model version.
//   - ssm:UpdateInstanceInformation and the other calls the SSM Agent makes
//     for its own instance: AWS's AmazonSSMManagedInstanceCore grants them
//     on "*".
var lpStarByDesign = []string{
	"billing:GetBilling*",
	"ce:GetCost*",
	"ce:GetDimensionValues",
	"ce:GetTags",
	"ce:GetUsageForecast",
	"cloudwatch:GetMetricData",
	"cloudwatch:PutMetricData",
	"comprehend:Detect*",
	"polly:StartSpeechSynthesis*",
	"polly:SynthesizeSpeech",
	"rekognition:DetectModerationLabels",
	"ssm:PutComplianceItems",
	"ssm:UpdateInstanceInformation",
	"translate:TranslateDocument",
	"translate:TranslateText",
}

// lpByDesign returns the set of lpStarByDesign actions.
func lpByDesign(cat *catalog.Catalog) map[*catalog.Action]bool {
	out := map[*catalog.Action]bool{}
	for _, pat := range lpStarByDesign {
		for _, a := range cat.Expand(pat) {
			required := false
			for _, r := range a.Resources {
				required = required || r.Required
			}
			if !required {
				out[a] = true
			}
		}
	}
	return out
}

// lpAdminFinding is how a principal holds every action on every resource:
// the statement that grants the most, where to report it, and the others
// that complete it.
type lpAdminFinding struct {
	grant   *analyzer.Grant
	rng     hcl.Range
	path    string
	source  string // "managed policy \"AdministratorAccess\" of group \"admins\""
	others  int    // other statements needed to cover every action
	related []rules.Related
}

// lpAdminOf explains a principal whose Permissions.Admin is not No. The
// finding goes at the granting element when the document is the user's
// (the Action value "*", or the NotAction key), else at the attachment
// that brings the policy (an AWS managed policy is not the user's to
// edit), else at the principal. userDoc is the set of the documents of
// the user's code (lpUserDocs).
func lpAdminOf(userDoc map[*iam.PolicyDocument]bool, perms *analyzer.Permissions, certain bool) *lpAdminFinding {
	var best *analyzer.Grant
	bestScore := 0
	for _, g := range perms.Allows {
		if !g.AllResources() {
			continue
		}
		score := g.Actions().Len() * 2
		if g.Conditional() != certain {
			score++
		}
		if best == nil || score > bestScore {
			best, bestScore = g, score
		}
	}
	if best == nil {
		return nil
	}
	out := &lpAdminFinding{grant: best, path: best.Path.String(), rng: perms.Principal.Src.Range}
	s := best.Statement
	hops := best.Path.Hops
	switch {
	case best.Path.Doc != nil && userDoc[best.Path.Doc] && best.Path.Doc.Doc != nil:
		out.path += " → " + lpStatementLabel(best.Path.Doc.Doc, s)
		out.rng = s.Action.KeyRange
		if s.NotAction.Present {
			out.rng = s.NotAction.KeyRange
		}
		for _, v := range s.Action.Values {
			if !v.Unknown && (v.Text == "*" || v.Text == "*:*") {
				out.rng = v.Range
				break
			}
		}
		if out.rng.Filename == "" {
			out.rng = s.Range
		}
	default:
		for i := len(hops) - 1; i >= 0; i-- {
			if hops[i].Kind == analyzer.KindAttachment && hops[i].Src != nil && hops[i].Src.Range.Filename != "" {
				out.rng = hops[i].Src.Range
				break
			}
		}
	}
	out.source = lpGrantSource(best)
	if len(hops) > 1 {
		out.related = lpHopRelated(hops[1:], out.rng)
	}
	if own := best.Path.Doc != nil && userDoc[best.Path.Doc]; own && s.Range != out.rng {
		out.related = append(out.related, rules.Related{Range: s.Range, Message: "the statement that allows every action"})
	}
	covered := best.Actions().Clone()
	for _, g := range perms.Allows {
		if g == best || !g.AllResources() {
			continue
		}
		extra := g.Actions().Clone()
		extra.Subtract(covered)
		if extra.Empty() {
			continue
		}
		covered.Union(extra)
		out.others++
		if g.Path.Doc != nil && userDoc[g.Path.Doc] {
			out.related = append(out.related, rules.Related{Range: g.Statement.Range,
				Message: "also needed: a statement of " + lpGrantSource(g)})
		}
	}
	return out
}

// lpGrantSource names the policy of a grant for a message: `managed
// policy "AdministratorAccess" of group "admins"`, `inline policy
// aws_iam_role_policy.app`.
func lpGrantSource(g *analyzer.Grant) string {
	var policy, group string
	for _, h := range g.Path.Hops {
		switch {
		case h.Node == nil:
		case h.Node.Group != nil:
			group = lpHopName(h)
		case h.Node.Policy != nil:
			policy = lpHopName(h)
		}
	}
	if policy == "" {
		addr := g.Path.String()
		if g.Path.Doc != nil && g.Path.Doc.Addr != "" {
			addr = g.Path.Doc.Addr
		}
		policy = "inline policy " + addr
	}
	if group != "" {
		return policy + " of " + group
	}
	return policy
}

// lpCheckAdmins reports each principal whose Admin is want (Yes for
// IAM101, Maybe for IAM102), once, at the granting element.
func lpCheckAdmins(p *rules.Pass, want iam.Tri) {
	a := p.Input.Analysis()
	var userDoc map[*iam.PolicyDocument]bool // built for the first administrator
	for _, n := range a.Graph.Principals() {
		perms := a.Permissions(n)
		if perms == nil || perms.Admin != want {
			continue
		}
		if want == iam.Maybe && !lpCoversKnown(p.Catalog, perms) {
			continue // it would take an unresolved value to make it one
		}
		if userDoc == nil {
			userDoc = lpUserDocs(p.Input)
		}
		f := lpAdminOf(userDoc, perms, want == iam.Yes)
		if f == nil {
			continue
		}
		how := ""
		if f.grant.Statement.NotAction.Present {
			f.source = "a NotAction statement of " + f.source
		}
		if f.others > 0 {
			how += fmt.Sprintf(" (with %d more statement%s)", f.others, lpPlural(f.others))
		}
		if want == iam.Yes {
			p.ReportAt(n.Src.Addr, f.path, "admin", f.rng, f.related,
				"%s has full administrator access: every action on every resource, through %s%s",
				lpPrincipal(n), f.source, how)
			continue
		}
		p.ReportAt(n.Src.Addr, f.path, "admin", f.rng, f.related,
			"%s has full administrator access in some requests (%s): every action on every resource, through %s%s",
			lpPrincipal(n), lpWhyMaybe(perms, f.grant), f.source, how)
	}
}

// lpUserDocs returns the set of the documents of the user's code
// (Input.Documents).
func lpUserDocs(in *rules.Input) map[*iam.PolicyDocument]bool {
	out := make(map[*iam.PolicyDocument]bool, len(in.Documents))
	for _, d := range in.Documents {
		out[d.Policy] = true
	}
	return out
}

// lpCoversKnown reports whether the principal's Allow statements on every
// resource cover every action without counting the values the loader could
// not resolve: an administrator "in some requests" must be one because of
// conditions, not because a variable might turn out to be "*".
func lpCoversKnown(cat *catalog.Catalog, perms *analyzer.Permissions) bool {
	covered := catalog.NewSet(cat.NumActions())
	for _, g := range perms.Allows {
		if g.AllResources() && !lpHasUnknown(g.Statement) {
			covered.Union(g.Actions())
		}
	}
	return covered.Len() == cat.NumActions()
}

// lpHasUnknown reports whether a statement's Action, NotAction, Resource
// or NotResource holds a value the loader could not determine.
func lpHasUnknown(s *iam.Statement) bool {
	for _, l := range []iam.List{s.Action, s.NotAction, s.Resource, s.NotResource} {
		for _, v := range l.Values {
			if v.Unknown {
				return true
			}
		}
	}
	return false
}

// lpWhyMaybe says why an administrator grant holds only in some requests.
func lpWhyMaybe(perms *analyzer.Permissions, g *analyzer.Grant) string {
	keys := func(s *iam.Statement) string {
		var ks []string
		for _, c := range s.Condition.Clauses {
			if !slices.Contains(ks, c.Key) {
				ks = append(ks, c.Key)
			}
		}
		return lpAnd(ks)
	}
	s := g.Statement
	switch {
	case len(s.Condition.Clauses) > 0:
		return "when its conditions on " + keys(s) + " hold"
	case g.Conditional():
		return "depending on values the loader could not resolve"
	}
	for _, d := range perms.Denies {
		switch {
		case d.AllResources() && len(d.Statement.Condition.Clauses) > 0:
			return "unless its Deny with conditions on " + keys(d.Statement) + " applies"
		case lpHasUnknown(d.Statement):
			return "unless a Deny with values the loader could not resolve applies"
		}
	}
	return "as far as conditional boundary, SCP or Deny statements let it"
}

func lpPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lpCheckServiceWildcards reports each whole-service wildcard ("s3:*") of
// an Allow statement whose service is (sensitive) or is not one of
// lpSensitiveServices.
func lpCheckServiceWildcards(p *rules.Pass, sensitive bool) {
	cl := newLPClassifier(p.Catalog)
	for _, d := range lpGrantingDocs(p.Input) {
		for s := range lpAllows(d) {
			for _, a := range cl.actions(s) {
				if a.class != lpService || lpSensitive(a.service) != sensitive {
					continue
				}
				var counts [catalog.PermissionsManagement + 1]int
				for _, act := range a.acts {
					counts[act.Access]++
				}
				var parts []string
				for _, l := range []catalog.AccessLevel{catalog.PermissionsManagement, catalog.Write} {
					if counts[l] > 0 {
						parts = append(parts, fmt.Sprintf("%d %s", counts[l], l))
					}
				}
				detail := ""
				if len(parts) > 0 {
					detail = " (" + lpAnd(parts) + " among them)"
				}
				where := ""
				if lpAnyStar(s) {
					where = " on every resource"
				}
				p.ReportRelatedf(d, a.value.Range, nil, "%q allows all %d %s actions%s%s",
					a.value.Text, len(a.acts), a.service.Prefix, detail, where)
			}
		}
	}
}

// lpCheckLevels reports the actions of the given access levels that a
// statement grants on every resource: the access-level rules IAM108–IAM110.
// They count actions named or matched by a narrow pattern, not those of
// "*" or of a whole-service wildcard (IAM103–IAM105 report those values),
// and leave the named-risk actions to their rules.
func lpCheckLevels(p *rules.Pass, unscoped func(iam.Value, *catalog.Action) bool, levels ...catalog.AccessLevel) {
	named := lpNamedActions(p.Catalog)
	c := &lpStarCheck{
		classes:  lpSomeOnly,
		unscoped: unscoped,
		keep: func(a *catalog.Action) bool {
			return slices.Contains(levels, a.Access) && !named.has(a)
		},
		report: func(p *rules.Pass, d *rules.Document, s *iam.Statement, v iam.Value, acts []*catalog.Action) {
			p.ReportRelatedf(d, v.Range, actionRelated(s), "%s %s %s %s granted %s; %s",
				lpLevels(acts), lpNoun(acts), lpDescribe(acts), lpAre(acts), lpOn(v), lpScope(acts))
		},
	}
	c.run(p)
}

// lpLevels names the access levels of actions in lower case: "write",
// "read and tagging".
func lpLevels(acts []*catalog.Action) string {
	var names []string
	for l := catalog.List; l <= catalog.PermissionsManagement; l++ {
		for _, a := range acts {
			if a.Access == l {
				names = append(names, strings.ToLower(l.String()))
				break
			}
		}
	}
	return lpAnd(names)
}

func lpNoun(acts []*catalog.Action) string {
	if len(acts) == 1 {
		return "action"
	}
	return "actions"
}

func lpAre(acts []*catalog.Action) string {
	if len(acts) == 1 {
		return "is"
	}
	return "are"
}

func lpThem(acts []*catalog.Action) string {
	if len(acts) == 1 {
		return "it"
	}
	return "them"
}

func lpHasAction(acts []*catalog.Action, a *catalog.Action) bool {
	return a != nil && slices.Contains(acts, a)
}

package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// gramWebIdentityProviders are the identity providers AWS names by host in
// a Federated principal, besides OIDC provider ARNs.
var gramWebIdentityProviders = []string{"cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"}

// gramServiceTrustActions lists, for service principals that need more
// than sts:AssumeRole, every action their trust must allow.
var gramServiceTrustActions = map[string][]string{
	"rolesanywhere.amazonaws.com": {"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"},
	"pods.eks.amazonaws.com":      {"sts:AssumeRole", "sts:TagSession"},
}

func trustPrincipalActionMismatch() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM320",
			Slug:     "trust-principal-action-mismatch",
			Title:    "Trust statement's principal cannot use its actions",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Each kind of principal assumes a role through its own STS action: IAM users,
roles, accounts and AWS services call ` + "`sts:AssumeRole`" + `, a SAML identity
provider (` + "`Federated: arn:aws:iam::111122223333:saml-provider/...`" + `) needs
` + "`sts:AssumeRoleWithSAML`" + `, and an OIDC provider (an ` + "`oidc-provider/...`" + ` ARN,
` + "`cognito-identity.amazonaws.com`" + `, ` + "`accounts.google.com`" + `, ...) needs
` + "`sts:AssumeRoleWithWebIdentity`" + `. A trust statement that names a principal
with only another assume action lets that principal do nothing: the GitHub
Actions or SAML sign-in that was meant to use the role fails with "Not
authorized to perform sts:AssumeRoleWithWebIdentity". IAM Access Analyzer
reports this as an error ("mismatched action for principal").

Some services also need companion actions: IAM Roles Anywhere
(` + "`rolesanywhere.amazonaws.com`" + `) must be allowed ` + "`sts:AssumeRole`" + `,
` + "`sts:TagSession`" + ` and ` + "`sts:SetSourceIdentity`" + `, and EKS Pod Identity
(` + "`pods.eks.amazonaws.com`" + `) ` + "`sts:AssumeRole`" + ` and ` + "`sts:TagSession`" + `; without them
the service cannot create sessions for the role.

The rule checks ` + "`Allow`" + ` statements of trust policies. A statement that
allows no assume action at all (only ` + "`sts:TagSession`" + `, say) may pair with
another statement and is not judged alone; companion actions are collected
over all statements that name the service. Wildcard principals, unknown
values, ` + "`NotAction`" + ` and federated providers the rule does not recognise are
left alone.`,
			Bad: `-- main.tf --
resource "aws_iam_role" "deploy" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "token.actions.githubusercontent.com:sub" = "repo:example/app:ref:refs/heads/main" } }
    }]
  })
}
`,
			Good: `-- main.tf --
resource "aws_iam_role" "deploy" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:example/app:ref:refs/heads/main"
        }
      }
    }]
  })
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
				"https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html",
				"https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				if d.Kind != iam.KindTrust {
					continue
				}
				gramCheckTrustPrincipals(p, d)
			}
			return nil
		},
	}
}

// gramAssumeActions are the actions by which a principal assumes a role.
var gramAssumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"}

// gramNeededAssume returns the assume action a principal value of the
// given type uses, or "" when the rule does not know it.
func gramNeededAssume(typ, value string) string {
	switch typ {
	case iam.PrincipalAWS, iam.PrincipalService:
		if value == "*" {
			return ""
		}
		return "sts:AssumeRole"
	case iam.PrincipalFederated:
		a, ok := iam.ParseARN(value)
		switch {
		case ok && a.Service == "iam" && strings.HasPrefix(a.Resource, "saml-provider/"):
			return "sts:AssumeRoleWithSAML"
		case ok && a.Service == "iam" && strings.HasPrefix(a.Resource, "oidc-provider/"):
			return "sts:AssumeRoleWithWebIdentity"
		case !ok && gramContainsFold(gramWebIdentityProviders, value):
			return "sts:AssumeRoleWithWebIdentity"
		}
	}
	return ""
}

// gramContainsFold reports whether list holds s, ignoring case.
func gramContainsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// gramAllowedTrustActions returns which trust actions a statement's
// Action element allows; ok is false when that is not exactly known.
func gramAllowedTrustActions(s *iam.Statement) (allowed map[string]bool, ok bool) {
	if s.NotAction.Present || !s.Action.Present {
		return nil, false
	}
	allowed = map[string]bool{}
	for _, v := range s.Action.Values {
		if v.Unknown {
			return nil, false
		}
		for _, a := range gramTrustActions {
			if iam.MatchAction(v.Text, a) {
				allowed[a] = true
			}
		}
	}
	return allowed, true
}

func gramCheckTrustPrincipals(p *rules.Pass, d *rules.Document) {
	type service struct {
		first   iam.Value
		allowed map[string]bool
		known   bool
	}
	services := map[string]*service{}
	var order []string
	for _, s := range d.Policy.Doc.Statements {
		if s.Effect != iam.Allow || s.Principal == nil {
			continue
		}
		allowed, ok := gramAllowedTrustActions(s)
		assumes := false
		for _, a := range gramAssumeActions {
			assumes = assumes || allowed[a]
		}
		for _, e := range s.Principal.Entries {
			for _, v := range e.Values {
				if v.Unknown {
					continue
				}
				if e.Type == iam.PrincipalService && gramServiceTrustActions[strings.ToLower(v.Text)] != nil {
					name := strings.ToLower(v.Text)
					sv := services[name]
					if sv == nil {
						sv = &service{first: v, allowed: map[string]bool{}, known: true}
						services[name] = sv
						order = append(order, name)
					}
					sv.known = sv.known && ok
					for a := range allowed {
						sv.allowed[a] = true
					}
				}
				need := gramNeededAssume(e.Type, v.Text)
				if !ok || !assumes || need == "" || allowed[need] {
					continue
				}
				p.ReportRelatedf(d, v.Range, actionRelated(s),
					"%s %s assumes roles with %s, which this statement does not allow (it allows %s)",
					gramPrincipalKind(e.Type), v.Text, need, gramSortedAllowed(allowed))
			}
		}
	}
	for _, name := range order {
		sv := services[name]
		if !sv.known || !sv.allowed["sts:AssumeRole"] {
			continue // no assume action: the mismatch above, or another rule
		}
		var missing []string
		for _, a := range gramServiceTrustActions[name] {
			if !sv.allowed[a] {
				missing = append(missing, a)
			}
		}
		if len(missing) > 0 {
			p.Reportf(d, sv.first.Range, "service principal %s also needs %s in the trust policy, or it cannot create sessions for the role",
				sv.first.Text, gramAndList(missing))
		}
	}
}

func gramSortedAllowed(allowed map[string]bool) string {
	var names []string
	for _, a := range gramTrustActions {
		if allowed[a] {
			names = append(names, a)
		}
	}
	return gramAndList(names)
}

// gramAndList joins names as "a", "a and b", "a, b and c".
func gramAndList(names []string) string {
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// gramPrincipalKind names a principal type for a message.
func gramPrincipalKind(typ string) string {
	if typ == iam.PrincipalAWS {
		return "AWS principal"
	}
	return strings.ToLower(typ) + " principal"
}

package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func adminRoleTrustsAccount() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM210",
			Slug:     "admin-role-trusts-account",
			Title:    "Administrator role trusts a whole account",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A trust policy that names an account (` + "`\"111122223333\"`" + ` or
` + "`arn:aws:iam::111122223333:root`" + `) delegates the decision to that account:
every user and role there whose own policies allow ` + "`sts:AssumeRole`" + ` on
the role can assume it, including principals created later and any
principal with ` + "`sts:AssumeRole`" + ` on ` + "`*`" + `. When the role can do everything
(the analyzer finds it an administrator, or an administrator under some
conditions), the account's weakest principal with that permission is an
administrator too.

Name the roles or users that need the role in ` + "`Principal`" + `, or keep the
account and add an ` + "`aws:PrincipalArn`" + ` condition that lists them (the rule
stays silent when such a condition names concrete principals).
Requiring MFA is IAM211.`,
			Bad: `-- main.tf --
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
			Good: `-- main.tf --
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/breakglass" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "ops" {
  name = "ops"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "cloudwatch:GetMetricData"
      Resource = "*"
    }]
  })
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				admin := trustAdmin(p, tp)
				if admin == iam.No {
					continue
				}
				for _, t := range tp.trustees {
					if t.Kind != analyzer.TrustAccount || !trustAllows(t, "sts:AssumeRole") || trustNamesPrincipals(t) {
						continue
					}
					p.Reportf(tp.doc, t.Range, "%s, %s, trusts every principal of %s that may call sts:AssumeRole; name the principals that need it",
						tp.subject, trustAdminPhrase(admin), trustPrincipalPhrase(t))
				}
			}
			return nil
		},
	}
}

// trustNamesPrincipals reports whether the trustee's statement limits
// callers to concrete principals with aws:PrincipalArn: a matching clause
// whose values are ARNs without wildcards in their account or name (or
// values the loader could not determine).
func trustNamesPrincipals(t analyzer.Trustee) bool {
	for _, c := range trustClauses(t.Statement, "aws:PrincipalArn") {
		if !trustMatching(c, false) {
			continue
		}
		like := trustLike(c.Operator)
		ok := true
		for _, v := range c.Values {
			if v.Unknown || trustSymbolic(v.Text) {
				continue
			}
			arn, isARN := iam.ParseARN(v.Text)
			if !isARN || (like && hasWildcard(v.Text)) || !iam.IsAccountID(arn.Account) || strings.TrimSpace(arn.Resource) == "" {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func adminRoleTrustWithoutMFA() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM211",
			Slug:     "admin-role-trust-without-mfa",
			Title:    "Administrator role assumable by people without MFA",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that can do everything (the analyzer finds it an administrator,
or an administrator under some conditions) and that IAM users can
assume, because its trust policy names a user or an account (whose users
can call ` + "`sts:AssumeRole`" + `), should require MFA: otherwise a leaked access
key or password of one of those users is enough to become administrator.

Add ` + "`\"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}`" + ` (or a
` + "`NumericLessThan`" + ` on ` + "`aws:MultiFactorAuthAge`" + `) to the statement, or a ` + "`Deny`" + `
with ` + "`BoolIfExists`" + ` ` + "`aws:MultiFactorAuthPresent`" + ` ` + "`false`" + `. ` + "`BoolIfExists`" + ` ` + "`true`" + `
in the ` + "`Allow`" + ` does not count: a request signed with an access key has no
MFA key and passes it.

The rule does not report trust to roles (machines), to federated
providers (the identity provider enforces MFA), or statements that
require an ` + "`sts:ExternalId`" + ` (a third party's automation), nor statements
whose ` + "`aws:PrincipalArn`" + ` condition names only roles. Trust to a whole
account is also IAM210.`,
			Bad: `-- main.tf --
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/alice" }
      Action    = "sts:AssumeRole"
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
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/alice" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
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
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				admin := trustAdmin(p, tp)
				if admin == iam.No {
					continue
				}
				doc := tp.doc.Policy.Doc
				for _, t := range tp.trustees {
					human := t.Kind == analyzer.TrustAccount || (t.Kind == analyzer.TrustPrincipal && trustUserARN(t.Value))
					if !human || !trustAllows(t, "sts:AssumeRole") || trustMFAEnforced(doc, t) ||
						trustRestricts(doc, t, "sts:ExternalId", "sts:AssumeRole", false) || trustOnlyRoles(t) {
						continue
					}
					who := "IAM user " + trustPrincipalPhrase(t)
					if t.Kind == analyzer.TrustAccount {
						who = "the users of " + trustPrincipalPhrase(t)
					}
					p.Reportf(tp.doc, t.Range, "%s, %s, can be assumed by %s without MFA; require aws:MultiFactorAuthPresent",
						tp.subject, trustAdminPhrase(admin), who)
				}
			}
			return nil
		},
	}
}

// trustOnlyRoles reports whether the trustee's statement limits callers,
// with aws:PrincipalArn, to roles.
func trustOnlyRoles(t analyzer.Trustee) bool {
	for _, c := range trustClauses(t.Statement, "aws:PrincipalArn") {
		if !trustMatching(c, false) {
			continue
		}
		roles := true
		for _, v := range c.Values {
			arn, ok := iam.ParseARN(v.Text)
			if !ok || v.Unknown || len(arn.Resource) < 5 || arn.Resource[:5] != "role/" {
				roles = false
			}
		}
		if roles {
			return true
		}
	}
	return false
}

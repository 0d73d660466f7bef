package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

func escalationToAdmin() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM150",
			Slug:     "escalation-to-admin",
			Title:    "User or exposed role can escalate to administrator",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The principal is not an administrator, but a chain of moves makes it one:
assuming a role, creating an access key for an administrator, passing a
powerful role to a Lambda function it creates, attaching a policy to itself,
and the other techniques listed in docs/escalation.md. iamlint computes every
principal's effective permissions (groups, boundaries, SCPs, denies and
conditions included), checks each technique's actions **and** resources
**and** conditions **and** targets, and reports the shortest chain.

This rule covers IAM users and roles that someone outside the account or a
federated identity (SAML, OIDC, GitHub Actions) may assume: a leaked key or
token there is an administrator's. A user without MFA that can escalate is
reported once, by IAM354. Other roles are reported by IAM151.

The finding points at the statement that allows the first step; the related
locations show each step's statements and targets. Break the chain at the
cheapest link: scope the resource of the first step (which user, which
role to pass, which policy), add the condition that stops it (an
` + "`iam:PassedToService`" + `, an ` + "`iam:PolicyARN`" + ` list), or set a permissions
boundary. ` + "`iamlint paths PRINCIPAL`" + ` prints the whole chain.`,
			Bad: `-- main.tf --
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name = "keys"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "*" }]
  })
}

resource "aws_iam_user" "admin" {
  name = "admin"
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}`,
			Good: `-- main.tf --
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_user_group_membership" "dev" {
  user   = aws_iam_user.dev.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_group_policy" "keys" {
  name  = "own-keys"
  group = aws_iam_group.devs.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "arn:aws:iam::*:user/$${aws:username}" }]
  })
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
				"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
			},
		},
		Check: func(p *rules.Pass) error {
			escReport(p, true, func(a *analyzer.Analysis, n *analyzer.Node) bool {
				return escClassOf(a, n) == escExposed && !escNoMFAUser(n)
			})
			return nil
		},
	}
}

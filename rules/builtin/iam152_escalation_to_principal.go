package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

func escalationToPrincipal() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM152",
			Slug:     "escalation-to-principal",
			Title:    "Principal can gain a more privileged principal's rights",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The principal cannot become an administrator, but an escalation technique
(creating another user's access key, passing a role to a service it
controls, taking over a function that runs as a role, ...) gives it the
permissions of a principal that can do things it cannot. Assuming a role
that trusts the principal is how AWS is meant to work and does not count by
itself: the chain holds at least one other technique.

The finding names the principal reached and how many actions it gains, and
points at the statement that allows the first step. Scope that statement,
or remove the technique's second half (the pass-role, the function
update). ` + "`iamlint paths PRINCIPAL`" + ` prints the chain.`,
			Bad: `-- main.tf --
resource "aws_iam_user" "dev" {
  name = "dev"
}

resource "aws_iam_user_policy" "dev" {
  name = "keys"
  user = aws_iam_user.dev.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "arn:aws:iam::*:user/reporting" }]
  })
}

resource "aws_iam_user" "reporting" {
  name = "reporting"
}

resource "aws_iam_user_policy" "reporting" {
  name = "read"
  user = aws_iam_user.reporting.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::finance/*" }]
  })
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
}

resource "aws_iam_user" "reporting" {
  name = "reporting"
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			},
		},
		Check: func(p *rules.Pass) error {
			escReport(p, false, func(*analyzer.Analysis, *analyzer.Node) bool { return true })
			return nil
		},
	}
}

package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

func roleEscalationToAdmin() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM151",
			Slug:     "role-escalation-to-admin",
			Title:    "Role can escalate to administrator",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that only services and principals of the account may assume is not an
administrator, but a chain of moves makes it one (see IAM150 and
docs/escalation.md for how iamlint finds them). Whoever controls the role —
the code of a Lambda function, an instance with its profile, a principal
that may assume it — controls an administrator.

Roles that someone outside the account or a federated identity may assume
are reported by IAM150, with a higher severity. The finding points at the
statement that allows the first step; ` + "`iamlint paths ROLE`" + ` prints the chain.`,
			Bad: `-- main.tf --
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "worker" {
  name = "self-service"
  role = aws_iam_role.worker.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = "*" }]
  })
}`,
			Good: `-- main.tf --
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "worker" {
  name = "read"
  role = aws_iam_role.worker.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
				"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
			},
		},
		Check: func(p *rules.Pass) error {
			escReport(p, true, func(a *analyzer.Analysis, n *analyzer.Node) bool { return escClassOf(a, n) == escInternal })
			return nil
		},
	}
}

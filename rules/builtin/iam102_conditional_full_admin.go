package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func conditionalFullAdmin() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM102",
			Slug:     "conditional-full-admin",
			Title:    "Principal has full administrator access in some requests",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Like IAM101, but the principal is an administrator only in some requests: the
statements that allow every action on every resource have conditions
(` + "`aws:MultiFactorAuthPresent`" + `, ` + "`aws:SourceIp`" + `, ` + "`aws:RequestedRegion`" + `), hold values
the loader could not resolve, or a deny with conditions may take away most of
what they allow (the common "deny everything without MFA" statement). An
offline analysis cannot know the request, so the principal is reported as
conditionally an administrator, one severity below the unconditional case.

Conditions change who can use the power and from where; they do not make it
smaller. A condition that the principal can satisfy on its own (a tag it can
set on itself, an MFA device it can enrol) protects little.

There is one finding per principal, at the granting element (the ` + "`Action`" + `
value or ` + "`NotAction`" + ` of the user's policy, or the attachment of an AWS managed
policy); the message says why the grant is conditional, and related locations
follow the path from the principal to the statement.

**Fix:** as for IAM101: grant the actions and resources the job needs. Keep
the conditions, which are good practice, on whatever administrator access
remains.`,
			Bad: `-- main.tf --
resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user_policy" "ops" {
  name = "office-admin"
  user = aws_iam_user.ops.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "*"
      Resource  = "*"
      Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
    }]
  })
}
`,
			Good: `-- main.tf --
resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_user_group_membership" "ops" {
  user   = aws_iam_user.ops.name
  groups = [aws_iam_group.ops.name]
}

resource "aws_iam_group_policy" "ops" {
  name  = "office-logs"
  group = aws_iam_group.ops.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = ["logs:GetLogEvents", "logs:FilterLogEvents"]
      Resource  = "arn:aws:logs:eu-west-1:111122223333:log-group:/app/*"
      Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
    }]
  })
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckAdmins(p, iam.Maybe)
			return nil
		},
	}
}

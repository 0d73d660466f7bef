package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func fullAdmin() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM101",
			Slug:     "full-admin",
			Title:    "Principal has full administrator access",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A user or role that may perform every action on every resource can do anything
in the account: read every secret, delete every backup, turn off CloudTrail,
create users for an attacker. Its credentials are the account.

The rule asks the analyzer for each principal's effective permissions: the
union of its inline policies, its attached managed policies and, for a user,
those of its groups, capped by its permissions boundary and the SCPs placed
on its account, less its denies. A principal is reported when every action of
the service reference is allowed on every resource in every request, however
it is written: ` + "`\"Action\": \"*\"`" + `, ` + "`*:*`" + `, the AWS managed ` + "`AdministratorAccess`" + `,
a ` + "`NotAction`" + ` that leaves out an action that does not exist, or several
statements that together cover everything (` + "`PowerUserAccess`" + ` plus ` + "`iam:*`" + `).
A principal whose denies remove most actions outright is not an
administrator; one that is an administrator only under conditions is
IAM102's.

There is one finding per principal, at the element that grants it: the
` + "`Action`" + ` value or ` + "`NotAction`" + ` of the user's own policy, or the attachment of an
AWS managed policy. The path runs from the principal through its groups and
attachments to the statement; related locations point at each hop and at the
other statements needed to cover every action.

**Fix:** give the principal the actions its job needs on the resources it
works with. Where an administrator is needed, make it a role assumed with MFA
(IAM Identity Center permission sets), not a user with long-lived keys, and
suppress this finding there with the reason.`,
			Bad: `-- main.tf --
resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.ci.json
}

data "aws_iam_policy_document" "ci" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
			Good: `-- main.tf --
resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.ci.json
}

data "aws_iam_policy_document" "ci" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name = "deploy"
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:UpdateFunctionCode", "lambda:PublishVersion"]
      Resource = "arn:aws:lambda:eu-west-1:111122223333:function:app"
    }]
  })
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
				"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckAdmins(p, iam.Yes)
			return nil
		},
	}
}

package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func serviceWildcard() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM105",
			Slug:     "service-wildcard",
			Title:    "Allow statement grants every action of a service",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A whole-service wildcard such as ` + "`s3:*`" + ` or ` + "`dynamodb:*`" + ` allows every action
of the service on the statement's resources, including the destructive ones
(` + "`s3:DeleteBucket`" + `, ` + "`dynamodb:DeleteTable`" + `), the ones that change who else may
use the resource (` + "`s3:PutBucketPolicy`" + `, ` + "`lambda:AddPermission`" + `), and every action
AWS adds later. A workload rarely needs more than a handful of them.

The rule reports each such value of an ` + "`Allow`" + ` statement in identity
policies, at the value; the message counts the Permissions management and
Write actions it includes and says when the statement covers every resource.
The services that control identities and access (` + "`iam`" + `, ` + "`sts`" + `,
` + "`organizations`" + `, ` + "`sso`" + `, ` + "`sso-directory`" + `, ` + "`identitystore`" + `, ` + "`kms`" + `, ` + "`ram`" + `)
are IAM104's, with high severity. It does not report ` + "`Deny`" + ` statements,
resource, trust and SCP documents, permissions boundaries, narrower patterns
(` + "`s3:Get*`" + `), or values the loader could not resolve. The actions the wildcard
grants on ` + "`\"*\"`" + ` are not reported again by the access-level rules (IAM108–
IAM110); the named risks among them (data access, credentials, ` + "`iam:PassRole`" + `)
are.

**Fix:** list the actions the job needs (for an application bucket,
typically ` + "`s3:GetObject`" + `, ` + "`s3:PutObject`" + ` and ` + "`s3:ListBucket`" + `).`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::example-bucket/*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckServiceWildcards(p, false)
			return nil
		},
	}
}

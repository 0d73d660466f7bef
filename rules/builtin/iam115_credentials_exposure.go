package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func credentialsExposure() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM115",
			Slug:     "credentials-exposure",
			Title:    "Credential-issuing actions granted on every resource",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Some actions return or set credentials of another identity:
` + "`iam:CreateAccessKey`" + ` and ` + "`iam:CreateLoginProfile`" + ` for any user (Rhino Security
Labs' escalation methods 4–6), ` + "`iam:UpdateAccessKey`" + `, service-specific
credentials, ` + "`ec2:GetPasswordData`" + ` (an instance's Windows administrator
password), ` + "`redshift:GetClusterCredentials`" + ` and ` + "`rds-db:connect`" + ` (any database
user), ` + "`lightsail:GetInstanceAccessDetails`" + ` and others (the list is data in
` + "`lp_helpers.go`" + `, from parliament's credentials-exposure auditor). Granted on
` + "`\"*\"`" + `, they hand the principal the credentials of every user, instance or
database user, administrators included.

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy, each
` + "`Resource`" + ` value that leaves such actions unscoped (` + "`\"*\"`" + `, or an ARN pattern
that names no resource beyond its type, such as ` + "`arn:aws:iam::*:user/*`" + `),
naming them; patterns (` + "`iam:Create*`" + `,
` + "`iam:*`" + `) count.

It deliberately does not report: actions that only accept ` + "`\"*\"`" + ` and return
credentials no stronger than the caller's own (` + "`ecr:GetAuthorizationToken`" + `,
` + "`sts:GetSessionToken`" + `); ` + "`sts:AssumeRole`" + ` (IAM113); scoped ARNs, such as the
self-service pattern ` + "`arn:aws:iam::*:user/${aws:username}`" + `; statements whose
conditions narrow the resources (` + "`aws:ResourceTag/…`" + `, service keys);
` + "`\"Action\": \"*\"`" + ` (IAM103); ` + "`Deny`" + ` statements and non-identity policies.

**Fix:** scope the actions to the users, instances or database users the
principal manages; for self-service, use ` + "`${aws:username}`" + ` in the ARN.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"],
      "Resource": "arn:aws:iam::*:user/${aws:username}"
    },
    {
      "Effect": "Allow",
      "Action": "ecr:GetAuthorizationToken",
      "Resource": "*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
				"https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
			},
		},
		Check: func(p *rules.Pass) error {
			named := lpNamedActions(p.Catalog)
			c := &lpStarCheck{
				classes: lpWithServices,
				keep:    func(a *catalog.Action) bool { return named.creds[a] },
				report: func(p *rules.Pass, d *rules.Document, s *iam.Statement, v iam.Value, acts []*catalog.Action) {
					p.ReportRelatedf(d, v.Range, actionRelated(s),
						"%s %s granted %s, so the principal can obtain or set the credentials of %s",
						lpDescribe(acts), lpAre(acts), lpOn(v), lpReach(acts))
				},
			}
			c.run(p)
			return nil
		},
	}
}

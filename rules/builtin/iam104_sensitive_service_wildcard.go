package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func sensitiveServiceWildcard() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM104",
			Slug:     "sensitive-service-wildcard",
			Title:    "Service wildcard on an identity or access-control service",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A whole-service wildcard such as ` + "`iam:*`" + ` allows every action of the service,
including those added after the policy was written. For the services that
decide who may do what, that is one step from administrator access:

- ` + "`iam:*`" + ` can attach ` + "`AdministratorAccess`" + ` to the principal itself or create
  access keys for another user;
- ` + "`sts:*`" + ` can assume every role that trusts the account;
- ` + "`organizations:*`" + ` can detach SCPs or move accounts out of the organization;
- ` + "`sso:*`" + `, ` + "`sso-directory:*`" + ` and ` + "`identitystore:*`" + ` can create an IAM Identity Center
  user and give it any permission set;
- ` + "`kms:*`" + ` can rewrite key policies and create grants, and decrypt;
- ` + "`ram:*`" + ` can share resources with any account.

The rule reports each such value of an ` + "`Allow`" + ` statement in identity
policies, at the value; the message counts the Permissions management and
Write actions it includes. Other services' wildcards are IAM105's (medium).
It does not report ` + "`Deny`" + ` statements, resource, trust and SCP documents,
permissions boundaries, narrower patterns such as ` + "`iam:Get*`" + ` (IAM108 and the
named-risk rules look at what those grant on ` + "`\"*\"`" + `), or values the loader could
not resolve. A statement's conditions do not silence it: they narrow the
requests, not what the wildcard can do.

**Fix:** list the actions the job needs. For IAM, scope writes to the
principals and policies it manages (` + "`arn:aws:iam::111122223333:role/app-*`" + `) and
require a permissions boundary with ` + "`iam:PermissionsBoundary`" + `.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:*", "s3:GetObject"],
      "Resource": "arn:aws:iam::111122223333:role/app-*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:GetRole", "iam:UpdateRoleDescription", "iam:TagRole"],
      "Resource": "arn:aws:iam::111122223333:role/app-*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
				"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckServiceWildcards(p, true)
			return nil
		},
	}
}

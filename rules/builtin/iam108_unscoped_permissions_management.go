package builtin

import (
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func unscopedPermissionsManagement() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM108",
			Slug:     "unscoped-permissions-management",
			Title:    "Permissions management actions granted on every resource",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Permissions management actions change who may do what: ` + "`iam:AttachRolePolicy`" + `,
` + "`iam:PutUserPolicy`" + `, ` + "`iam:CreatePolicyVersion`" + ` (privilege escalation in one call),
` + "`s3:PutBucketPolicy`" + `, ` + "`lambda:AddPermission`" + `, ` + "`kms:CreateGrant`" + `,
` + "`ec2:ModifySnapshotAttribute`" + ` (sharing data with any account or the public).
Granted on ` + "`\"*\"`" + ` they apply to every role, bucket, key and function of the
account, including those of administrators.

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy, each
` + "`Resource`" + ` value that leaves Permissions management actions unscoped, naming
them and the resource types to scope them to. A value is unscoped when it is
` + "`\"*\"`" + ` or an ARN pattern that names no resource beyond its type, in any
region and account: ` + "`arn:aws:s3:::*`" + `, ` + "`arn:aws:iam::111122223333:role/*`" + `,
` + "`arn:aws:kms:*:*:key/*`" + `. ` + "`arn:aws:iam::111122223333:role/app-*`" + `,
` + "`role/service-role/*`" + ` and ` + "`arn:aws:logs:*:*:log-group:/app/*`" + ` are scoped.

It deliberately does not report: actions that only accept ` + "`\"*\"`" + ` (the catalog
says which); statements whose conditions narrow the resources (a positive
operator, without ` + "`IfExists`" + `, on ` + "`aws:ResourceTag/…`" + `, ` + "`aws:ResourceAccount`" + `,
` + "`aws:RequestTag/…`" + ` or a service key such as ` + "`iam:PolicyARN`" + ` or
` + "`iam:PermissionsBoundary`" + `); actions granted through ` + "`\"*\"`" + ` or a whole-service
wildcard (IAM103–IAM105 report those); ` + "`iam:PassRole`" + ` and the credential
actions (IAM111, IAM115); ` + "`Deny`" + ` statements, resource policies (a KMS key
policy's ` + "`\"*\"`" + ` means the key itself), trust policies, SCPs and permissions
boundaries.

**Fix:** scope the actions to the resources the principal manages, by ARN or
name prefix, or with ` + "`aws:ResourceTag`" + ` conditions; for IAM, also require a
permissions boundary on the roles and users it creates
(` + "`iam:PermissionsBoundary`" + `).`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      "Resource": "arn:aws:iam::111122223333:role/app-*",
      "Condition": {
        "ArnEquals": {"iam:PolicyARN": "arn:aws:iam::111122223333:policy/app-readonly"}
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckLevels(p, lpUnscoped, catalog.PermissionsManagement)
			return nil
		},
	}
}

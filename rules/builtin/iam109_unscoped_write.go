package builtin

import (
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func unscopedWrite() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM109",
			Slug:     "unscoped-write",
			Title:    "Write actions granted on every resource",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A Write action on ` + "`\"*\"`" + ` applies to every resource of its type in the account
(and in other accounts whose resource policies trust it): ` + "`s3:DeleteObject`" + `
on every bucket, ` + "`dynamodb:DeleteTable`" + ` on every table,
` + "`lambda:UpdateFunctionCode`" + ` on every function, including the ones that run as
administrator roles. A compromised workload with such a grant can destroy or
take over far more than its own resources.

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy, each
` + "`Resource`" + ` value that leaves Write actions unscoped (` + "`\"*\"`" + `, or an ARN pattern
whose resource part is only wildcards, such as ` + "`arn:aws:logs:*:*:*`" + `), naming
the actions and the resource types to scope them to. Not reported: a pattern
that names the resource type (` + "`arn:aws:ec2:*:*:instance/*`" + `), which is how
actions that create a resource must be written since the new resource's name
is not known in advance, and a pattern pinned to an account
(` + "`arn:aws:logs:eu-west-1:111122223333:*`" + `, what the Lambda console writes for
` + "`logs:CreateLogGroup`" + `).

It deliberately does not report: actions that only accept ` + "`\"*\"`" + `
(` + "`xray:PutTraceSegments`" + `) and actions whose ordinary requests name no
resource although the reference lists an optional type (` + "`cloudwatch:PutMetricData`" + `); scoped ARNs,
including log-group ARNs with the ` + "`:*`" + ` suffix and object paths such as
` + "`bucket/*/*.log`" + `; statements whose conditions narrow the resources (a
positive operator without ` + "`IfExists`" + ` on ` + "`aws:ResourceTag/…`" + `,
` + "`aws:ResourceAccount`" + `, ` + "`aws:RequestTag/…`" + ` or a service key such as
` + "`ec2:ResourceTag/…`" + ` or ` + "`kms:ViaService`" + `); actions granted through ` + "`\"*\"`" + ` or a
whole-service wildcard (IAM103–IAM105); the named risks (` + "`iam:PassRole`" + `,
` + "`sts:AssumeRole`" + `, ` + "`kms:Decrypt`" + `, credential actions), which IAM111–IAM115
report; ` + "`Deny`" + ` statements, resource and trust policies, SCPs and permissions
boundaries.

**Fix:** scope each action to the ARNs of the resources the principal works
with, or add a condition on the resources' tags.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:GetItem"],
      "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"
    },
    {
      "Effect": "Allow",
      "Action": ["cloudwatch:PutMetricData", "xray:PutTraceSegments"],
      "Resource": "*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
				"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckLevels(p, lpAllWildcards, catalog.Write)
			return nil
		},
	}
}

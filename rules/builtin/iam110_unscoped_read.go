package builtin

import (
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func unscopedRead() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM110",
			Slug:     "unscoped-read",
			Title:    "Read or tagging actions granted on every resource",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A Read action on ` + "`\"*\"`" + ` reads every resource of its type in the account
(` + "`dynamodb:GetItem`" + ` on every table, ` + "`logs:GetLogEvents`" + ` on every log stream,
` + "`ecr:BatchGetImage`" + ` on every repository); a Tagging action on ` + "`\"*\"`" + ` can change
the tags that attribute-based access control relies on, on every resource.
Both reach far beyond what the workload owns.

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy, each
` + "`Resource`" + ` value that leaves Read or Tagging actions unscoped (` + "`\"*\"`" + `, or an ARN
pattern whose resource part is only wildcards, such as ` + "`arn:aws:s3:::*`" + `),
naming the actions and the resource types to scope them to. A pattern that
names the resource type (` + "`arn:aws:bedrock:*::foundation-model/*`" + `) or pins an
account (` + "`arn:aws:logs:eu-west-1:111122223333:*`" + `) is left alone. List actions are never reported: most only
accept ` + "`\"*\"`" + `, and the rest (` + "`s3:ListBucket`" + `) reveal names, not contents.

It deliberately does not report: actions that only accept ` + "`\"*\"`" + `
(` + "`s3:ListAllMyBuckets`" + `, ` + "`logs:DescribeLogGroups`" + `, ` + "`ec2:Describe*`" + `,
` + "`sts:GetCallerIdentity`" + `) and those whose ordinary requests name no resource
(` + "`cloudwatch:GetMetricData`" + `, ` + "`ce:GetCostAndUsage`" + `); statements whose conditions
narrow the resources (for tagging, ` + "`ec2:CreateAction`" + ` or ` + "`aws:RequestTag/…`" + `);
actions granted through ` + "`\"*\"`" + ` or a whole-service wildcard (IAM103–IAM105);
the data-access actions (` + "`s3:GetObject`" + `, ` + "`secretsmanager:GetSecretValue`" + `,
` + "`ssm:GetParameter*`" + `), which IAM114 reports with high severity; ` + "`Deny`" + `
statements, resource and trust policies, SCPs and permissions boundaries.

**Fix:** scope each action to the ARNs the principal reads, or add a
condition on the resources' tags.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": [
        "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
        "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": ["s3:ListAllMyBuckets", "logs:DescribeLogGroups", "ec2:DescribeInstances"],
      "Resource": "*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html",
			},
		},
		Check: func(p *rules.Pass) error {
			lpCheckLevels(p, lpAllWildcards, catalog.Read, catalog.Tagging)
			return nil
		},
	}
}

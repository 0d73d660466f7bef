package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func dataExfiltration() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM114",
			Slug:     "data-exfiltration",
			Title:    "Data access actions granted on every resource",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A few read actions return the data itself from the places that hold secrets
and customer data: ` + "`s3:GetObject`" + ` (and ` + "`s3:GetObjectVersion`" + `),
` + "`secretsmanager:GetSecretValue`" + `, ` + "`ssm:GetParameter`" + `, ` + "`ssm:GetParameters`" + `,
` + "`ssm:GetParametersByPath`" + ` and ` + "`ssm:GetParameterHistory`" + `, and ` + "`kms:Decrypt`" + `,
which turns any ciphertext into plaintext. Granted on ` + "`\"*\"`" + `, they read every
bucket, secret, parameter and key of the account, and of other accounts whose
resource policies trust it: unrestricted ` + "`s3:GetObject`" + ` is behind a long list of
data leaks. (The list starts from cloudsplaining's data-exfiltration actions;
it is kept as data in ` + "`lp_helpers.go`" + `.)

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy, each
` + "`Resource`" + ` value that leaves such actions unscoped (` + "`\"*\"`" + `, or an ARN pattern
that names no resource beyond its type, in any region and account:
` + "`arn:aws:s3:::*`" + `, ` + "`arn:aws:secretsmanager:*:*:secret:*`" + `,
` + "`arn:aws:ssm:eu-west-1:111122223333:parameter/*`" + `), naming them.
Actions granted through a pattern (` + "`s3:Get*`" + `, ` + "`ssm:*`" + `) count.

It deliberately does not report: scoped ARNs (` + "`arn:aws:s3:::bucket/*`" + `,
` + "`arn:aws:ssm:*:*:parameter/app/*`" + `); statements whose conditions narrow the
resources (` + "`s3:ExistingObjectTag/…`" + `, ` + "`aws:ResourceTag/…`" + `,
` + "`kms:ViaService`" + `, ` + "`kms:EncryptionContext…`" + `, ` + "`aws:ResourceAccount`" + `);
` + "`\"Action\": \"*\"`" + ` (IAM103); ` + "`Deny`" + ` statements; and KMS key policies and bucket
policies, where ` + "`\"*\"`" + ` means the key or bucket the policy is attached to.

**Fix:** scope each action to the buckets, secrets, parameter paths and keys
the workload needs.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["secretsmanager:GetSecretValue", "kms:Decrypt"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-*"
    },
    {
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "*",
      "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html",
				"https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
				"https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
			},
		},
		Check: func(p *rules.Pass) error {
			named := lpNamedActions(p.Catalog)
			c := &lpStarCheck{
				classes: lpWithServices,
				keep:    func(a *catalog.Action) bool { return named.exfil[a] },
				report: func(p *rules.Pass, d *rules.Document, s *iam.Statement, v iam.Value, acts []*catalog.Action) {
					p.ReportRelatedf(d, v.Range, actionRelated(s),
						"%s %s granted %s, so the principal can read %s it can reach",
						lpDescribe(acts), lpAre(acts), lpOn(v), lpReach(acts))
				},
			}
			c.run(p)
			return nil
		},
	}
}

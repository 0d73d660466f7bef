package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func assumeAnyRole() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM113",
			Slug:     "assume-any-role",
			Title:    "sts:AssumeRole granted on every role",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `To assume a role, the role's trust policy must admit the caller and, unless it
names the caller directly, the caller's own identity policy must allow
` + "`sts:AssumeRole`" + ` on the role. Trust policies that name an account
(` + "`arn:aws:iam::111122223333:root`" + `) leave the decision to the identity side, so
` + "`sts:AssumeRole`" + ` on ` + "`\"*\"`" + ` lets the principal assume every such role, in this account
and in every account that trusts it, including administrator roles created
later.

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy that grants
` + "`sts:AssumeRole`" + ` (by name or through ` + "`sts:Assume*`" + ` or ` + "`sts:*`" + `), each ` + "`Resource`" + `
value that covers every role: ` + "`\"*\"`" + `, or an IAM ARN pattern whose resource part
is only wildcards or ` + "`role/*`" + ` (` + "`arn:aws:iam::*:role/*`" + `).

It deliberately does not report: roles named or scoped by prefix or path;
statements narrowed by a condition on the role's tags or account
(` + "`aws:ResourceTag/…`" + `, ` + "`iam:ResourceTag/…`" + `, ` + "`aws:ResourceAccount`" + `,
` + "`aws:ResourceOrgID`" + `); ` + "`sts:AssumeRoleWithSAML`" + ` and
` + "`sts:AssumeRoleWithWebIdentity`" + `, which identity policies do not govern;
` + "`\"Action\": \"*\"`" + ` (IAM103), ` + "`NotAction`" + ` and ` + "`NotResource`" + ` (IAM106, IAM107);
` + "`Deny`" + ` statements and non-identity policies. Which roles the principal can
actually reach is the escalation rules' business.

**Fix:** list the roles the principal assumes, or limit them with
` + "`aws:ResourceTag`" + ` or ` + "`aws:ResourceAccount`" + ` conditions.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": [
        "arn:aws:iam::444455556666:role/deploy",
        "arn:aws:iam::777788889999:role/deploy"
      ]
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount",
			},
		},
		Check: func(p *rules.Pass) error {
			assume := p.Catalog.Action("sts:AssumeRole")
			c := &lpStarCheck{
				classes: lpWithServices,
				keep:    func(a *catalog.Action) bool { return a == assume },
				narrows: func(s *iam.Statement) bool { return lpNarrows(s, lpNotRoleKey) },
				report: func(p *rules.Pass, d *rules.Document, s *iam.Statement, v iam.Value, _ []*catalog.Action) {
					p.ReportRelatedf(d, v.Range, actionRelated(s),
						"sts:AssumeRole is granted %s, so the principal can assume every role whose trust policy admits its account",
						lpOn(v))
				},
			}
			c.run(p)
			return nil
		},
	}
}

package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func passRoleAnyRole() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM111",
			Slug:     "passrole-any-role",
			Title:    "iam:PassRole granted on every role",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`iam:PassRole`" + ` lets a principal hand a role to a service (a Lambda function, an
EC2 instance, a CloudFormation stack, a Glue job) that then acts with the
role's permissions. Granted on every role, it lets the principal pass the
account's most privileged role to code it controls and so act as that role:
the most common privilege escalation path (Rhino Security Labs' methods 3 and
15–22).

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy that grants
` + "`iam:PassRole`" + ` (by name, or through a pattern such as ` + "`iam:Pass*`" + ` or ` + "`iam:*`" + `),
each ` + "`Resource`" + ` value that covers every role: ` + "`\"*\"`" + `, or an IAM ARN pattern whose
resource part is only wildcards or ` + "`role/*`" + `, in any account. The message says
whether an ` + "`iam:PassedToService`" + ` condition limits the services; it does not
limit which role is passed, so it does not silence the finding.

It deliberately does not report: roles scoped by name, prefix or path
(` + "`role/app-*`" + `, ` + "`role/service-role/*`" + `); statements narrowed by a condition on the
role's tags (` + "`aws:ResourceTag/…`" + `, ` + "`iam:ResourceTag/…`" + `; a condition on
` + "`aws:ResourceAccount`" + ` does not narrow it, since a role can only be passed in
its own account); ` + "`\"Action\": \"*\"`" + ` (IAM103); ` + "`NotResource`" + ` (IAM107) and
` + "`NotAction`" + ` (IAM106); ` + "`Deny`" + ` statements and non-identity policies.

**Fix:** list the roles the principal must pass, and add an
` + "`iam:PassedToService`" + ` condition naming the service that receives them.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["lambda:CreateFunction", "iam:PassRole"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/lambda-app",
      "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			passRole := p.Catalog.Action("iam:PassRole")
			c := &lpStarCheck{
				classes: lpWithServices,
				keep:    func(a *catalog.Action) bool { return a == passRole },
				narrows: func(s *iam.Statement) bool { return lpNarrows(s, lpNotRoleTagKey) },
				report: func(p *rules.Pass, d *rules.Document, s *iam.Statement, v iam.Value, _ []*catalog.Action) {
					to := "to any service"
					if lpHasPassedToService(s) {
						to = "to the services iam:PassedToService names"
					}
					p.ReportRelatedf(d, v.Range, actionRelated(s),
						"iam:PassRole is granted %s, so the principal can pass any role, the most privileged included, %s",
						lpOn(v), to)
				},
			}
			c.run(p)
			return nil
		},
	}
}

// lpNotRoleKey rejects, for rules about roles, the keys that do not narrow
// which role a statement covers (see lpRoleKey).
func lpNotRoleKey(key string) bool { return !lpRoleKey(key) }

// lpNotRoleTagKey is lpNotRoleKey for iam:PassRole, which only ever passes
// a role of the caller's own account: only the role's tags narrow it.
func lpNotRoleTagKey(key string) bool {
	return !strings.HasPrefix(key, "aws:resourcetag/") && !strings.HasPrefix(key, "iam:resourcetag/")
}

// lpHasPassedToService reports whether a statement limits iam:PassRole to
// named services: a positive operator on iam:PassedToService with a value
// that is not only wildcards. IfExists is accepted, since every
// iam:PassRole request carries the key.
func lpHasPassedToService(s *iam.Statement) bool {
	for _, c := range s.Condition.Clauses {
		if !strings.EqualFold(c.Key, "iam:PassedToService") || c.Operator.Func.Negated() ||
			c.Operator.Func == iam.OpNull || c.Operator.Func == iam.OpUnknown {
			continue
		}
		for _, v := range c.Values {
			if v.Unknown || !lpOnlyStars(v.Text) {
				return true
			}
		}
	}
	return false
}

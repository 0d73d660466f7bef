package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

func roleAssumableByAnyone() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM201",
			Slug:     "role-assumable-by-anyone",
			Title:    "Role assumable by any principal without conditions",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role trust policy whose ` + "`Allow`" + ` statement names ` + "`\"Principal\": \"*\"`" + `,
` + "`{\"AWS\": \"*\"}`" + ` or uses ` + "`NotPrincipal`" + `, with no ` + "`Condition`" + `, lets
every principal of every AWS account assume the role: anyone who learns
the role's ARN (ARNs are not secret) gets its permissions.

Name the accounts, roles or users that need the role in ` + "`Principal`" + `. If
the role really must be open to a whole organization, keep ` + "`\"*\"`" + ` and
add a condition that pins the caller, such as ` + "`aws:PrincipalOrgID`" + `.

The finding points at the principal value (or the ` + "`NotPrincipal`" + `
element). A statement with conditions is reported by IAM202 instead.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sts:AssumeRole"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				for _, t := range tp.trustees {
					if t.Kind != analyzer.TrustAnyone || !trustAllows(t, "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity") {
						continue
					}
					if len(t.Statement.Condition.Clauses) > 0 || trustCallerPinned(tp.doc.Policy.Doc, t) {
						continue
					}
					if t.Statement.NotPrincipal != nil {
						p.Reportf(tp.doc, t.Range, "%s can be assumed by any principal of any AWS account: NotPrincipal in an Allow admits everyone it does not list", tp.subject)
						continue
					}
					p.Reportf(tp.doc, t.Range, "%s can be assumed by any principal of any AWS account: the statement admits \"*\" without conditions", tp.subject)
				}
			}
			return nil
		},
	}
}

package builtin

import (
	"fmt"
	"strconv"

	"github.com/iamlint/iamlint/rules"
)

func passRoleAnyService() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM112",
			Slug:     "passrole-any-service",
			Title:    "iam:PassRole without an iam:PassedToService condition",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role is usually written for one service: a Lambda execution role, an EC2
instance role. Without an ` + "`iam:PassedToService`" + ` condition, ` + "`iam:PassRole`" + ` lets the
principal hand the role to any service, for example to an EC2 instance it
can log on to, or to a CloudFormation stack that creates what the role may
create. AWS recommends naming the service.

The rule reports, for each ` + "`Allow`" + ` statement of an identity policy that grants
` + "`iam:PassRole`" + ` on named roles without a positive ` + "`iam:PassedToService`" + ` condition,
the ` + "`Action`" + ` value that grants it, naming the roles. (` + "`IfExists`" + ` is fine here:
every ` + "`iam:PassRole`" + ` request carries the key. A negated operator such as
` + "`StringNotEquals`" + ` does not name the service.)

It deliberately does not report statements that grant the action on every
role (IAM111 reports those, and says whether the services are limited),
statements that grant it through ` + "`\"*\"`" + ` or ` + "`iam:*`" + ` (IAM103, IAM104), ` + "`NotAction`" + `
and ` + "`NotResource`" + ` statements (IAM106, IAM107), ` + "`Deny`" + ` statements and non-identity
policies.

**Fix:** add ` + "`\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"lambda.amazonaws.com\"}}`" + `
with the service the role is for.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/lambda-app"
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
			},
		},
		Check: func(p *rules.Pass) error {
			passRole := p.Catalog.Action("iam:PassRole")
			cl := newLPClassifier(p.Catalog)
			for _, d := range lpGrantingDocs(p.Input) {
				for s := range lpAllows(d) {
					if !s.Resource.Present || s.NotResource.Present || lpHasPassedToService(s) {
						continue
					}
					var at *lpAction
					for _, a := range cl.actions(s) {
						if a.class == lpSome && lpHasAction(a.acts, passRole) {
							at = &a
							break
						}
					}
					if at == nil {
						continue
					}
					anyRole := false
					var roles []string
					for _, v := range s.Resource.Values {
						anyRole = anyRole || lpUnscoped(v, passRole)
						roles = append(roles, strconv.Quote(v.Text))
					}
					if anyRole && !lpNarrows(s, lpNotRoleTagKey) {
						continue // IAM111's
					}
					them := "it"
					if len(roles) > 1 {
						them = "them"
					}
					if len(roles) > 3 {
						roles = append(roles[:3:3], fmt.Sprintf("%d more", len(roles)-3))
					}
					p.ReportRelatedf(d, at.value.Range, nil,
						"iam:PassRole on %s has no iam:PassedToService condition, so the principal can pass %s to any service",
						lpAnd(roles), them)
				}
			}
			return nil
		},
	}
}

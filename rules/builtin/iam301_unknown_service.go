package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func unknownService() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM301",
			Slug:     "unknown-service",
			Title:    "Action names an unknown service prefix",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An action is written ` + "`service:ActionName`" + `, where ` + "`service`" + ` is the service
prefix from the AWS service authorization reference (` + "`s3`" + `, ` + "`dynamodb`" + `,
` + "`logs`" + `, ...). A prefix no service uses matches no request: an ` + "`Allow`" + `
grants nothing, and a ` + "`Deny`" + ` (or an SCP guardrail) silently protects
nothing. The usual causes are typos (` + "`s4`" + ` for ` + "`s3`" + `), the
service's marketing name (` + "`cloudwatchlogs`" + ` for ` + "`logs`" + `), and console
names (` + "`elb`" + ` vs ` + "`elasticloadbalancing`" + `).

The finding points at the action and suggests the closest known prefixes.
Prefixes compare case-insensitively, as in IAM. Patterns whose service part
holds a wildcard (` + "`*:Get*`" + `) are not checked. The list of services is the
one embedded in iamlint (` + "`iamlint version`" + ` shows its date); a service launched
after it is reported until the data is updated.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["cloudwatchlogs:PutLogEvents"],
      "Resource": "arn:aws:logs:eu-west-1:111122223333:log-group:/app/web:*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["logs:PutLogEvents"],
      "Resource": "arn:aws:logs:eu-west-1:111122223333:log-group:/app/web:*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
			},
		},
		Check: func(p *rules.Pass) error {
			r := newActionResolver(p.Catalog)
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, l := range []iam.List{s.Action, s.NotAction} {
						for _, v := range l.Values {
							ref := r.resolve(v.Text)
							if ref.kind != actionUnknownService {
								continue
							}
							p.Reportf(d, v.Range, "unknown service prefix %q in action %q%s",
								ref.svcPart, v.Text, didYouMean(p.Catalog.Suggest(ref.svcPart)))
						}
					}
				}
			}
			return nil
		},
	}
}

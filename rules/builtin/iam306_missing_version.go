package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func missingVersion() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM306",
			Slug:     "missing-version",
			Title:    "Policy has no Version element",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Without a ` + "`Version`" + ` element AWS evaluates a policy with the rules of the
old policy language, ` + "`2008-10-17`" + `. The difference that bites is that policy
variables such as ` + "`${aws:username}`" + ` are not substituted: they are matched as
literal text. Newer features may also be unavailable. Always start a policy
with ` + "`\"Version\": \"2012-10-17\"`" + `.

The finding points at the document. A document without a ` + "`Version`" + ` that
also uses policy variables is reported by IAM307 instead, with a higher
severity, because there the missing element changes what the policy grants.`,
			Bad: `{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				if d.Policy.Doc.HasVersion || len(variableUses(d.Policy.Doc)) > 0 {
					continue
				}
				p.Reportf(d, d.Policy.Doc.Range, "policy has no Version, so AWS applies the 2008-10-17 language; add \"Version\": \"2012-10-17\"")
			}
			return nil
		},
	}
}

package builtin

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

func invalidPolicy() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM002",
			Slug:     "invalid-policy",
			Title:    "Policy document breaks the IAM policy grammar",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The JSON is well formed, but the document is not a valid IAM policy: a
statement without ` + "`Effect`" + `, both ` + "`Action`" + ` and ` + "`NotAction`" + `, a duplicate key,
a misspelled or unknown element, a value of the wrong type, a duplicate
` + "`Sid`" + `, a ` + "`Principal`" + ` in an identity policy or a ` + "`Resource`" + ` in a
trust policy. AWS rejects such documents when they are created or updated,
so the deployment that carries them fails.

Which elements are required depends on the policy kind: trust and
resource-based policies must name a ` + "`Principal`" + `; identity policies must not.
` + "`iamlint check`" + ` detects the kind (see ` + "`--kind`" + `).

The rule reports the loader's structural errors at the element at fault.
Element names are case-sensitive, so ` + "`\"action\"`" + ` is reported with the
correct spelling.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
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
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, f := range p.Input.Policies() {
				for _, d := range f.Diags {
					if d.Severity == hcl.DiagError {
						p.Reportf(diagRange(f.Path, d), "%s", diagMessage(d))
					}
				}
			}
			return nil
		},
	}
}

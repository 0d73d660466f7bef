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
			Rationale: `The document is well formed (as JSON, or as the HCL of a Terraform
` + "`aws_iam_policy_document`" + `), but it is not a valid IAM policy: a statement without
` + "`Effect`" + `, both ` + "`Action`" + ` and ` + "`NotAction`" + `, a duplicate key, a misspelled or
unknown element, a value of the wrong type, a duplicate ` + "`Sid`" + `, a
` + "`Principal`" + ` in an identity policy or a ` + "`Resource`" + ` in a trust policy. AWS
rejects such documents when they are created or updated, so the deployment
that carries them fails, and ` + "`iamlint check`" + ` exits with status 2.

Which elements are required depends on the policy kind, which comes from
where the document is used: inline and managed policies are identity
policies, a role's assume-role policy is a trust policy, Organizations
policies are SCPs or RCPs. Trust and resource-based policies must name a
` + "`Principal`" + `; identity policies must not. For a standalone policy file the kind
is inferred from its statements, or set with ` + "`iamlint check --kind`" + `.

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
			for _, doc := range p.Input.Documents {
				for _, d := range doc.Policy.Diags {
					if d.Severity != hcl.DiagError {
						continue
					}
					rng := doc.Policy.Range
					switch {
					case rules.Located(d):
						rng = *d.Subject
					case rng.Filename == "" && doc.Policy.Doc != nil:
						rng = doc.Policy.Doc.Range
					}
					p.Reportf(doc, rng, "%s", diagMessage(d))
				}
			}
			return nil
		},
	}
}

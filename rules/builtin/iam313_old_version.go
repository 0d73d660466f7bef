package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func oldVersion() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM313",
			Slug:     "old-version",
			Title:    "Policy uses the old 2008-10-17 policy language",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`\"Version\": \"2008-10-17\"`" + ` selects the original policy language. It lacks
features of the current one, ` + "`2012-10-17`" + `: policy variables such as
` + "`${aws:username}`" + ` are matched as literal text, and AWS documents newer
features only for the current version. A policy that works today under
2008-10-17 keeps a trap for whoever adds a variable to it later.

Set ` + "`\"Version\": \"2012-10-17\"`" + `. The change is safe for a policy without
` + "`${...}`" + ` text. A 2008-10-17 policy that already uses variables is reported by
IAM307 instead (with a higher severity, because there the version changes
what the policy grants), and a missing ` + "`Version`" + ` by IAM306.`,
			Bad: `{
  "Version": "2008-10-17",
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
				doc := d.Policy.Doc
				if !doc.HasVersion || doc.Version != iam.Version2008 || len(variableUses(doc)) > 0 {
					continue
				}
				p.Reportf(d, doc.VersionRange, "Version 2008-10-17 is the old policy language, without policy variables; use \"2012-10-17\"")
			}
			return nil
		},
	}
}

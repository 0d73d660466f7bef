package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func redundantResource() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM315",
			Slug:     "redundant-resource",
			Title:    "Resource is listed twice or covered by a wildcard",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A ` + "`Resource`" + ` (or ` + "`NotResource`" + `) entry that repeats another entry of the same
statement, or that another entry's wildcard already covers
(` + "`arn:aws:s3:::bucket/logs/*`" + ` next to ` + "`arn:aws:s3:::bucket/*`" + `, anything next to
` + "`\"*\"`" + `), adds nothing. A reviewer reading the specific ARN may believe the
statement is scoped to it, while the wildcard entry grants much more; and the
extra text counts against the policy size quotas.

Resources compare case-sensitively, as IAM does, and a ` + "`*`" + ` covers any run of
characters, ` + "`:`" + ` and ` + "`/`" + ` included. Policy variables are compared as text (a
variable is covered by a ` + "`*`" + ` in the same place). Values the loader could not
resolve are covered only by ` + "`\"*\"`" + `. Remove the redundant entry, or narrow the
wildcard if it was broader than meant.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": ["arn:aws:s3:::example-bucket/*", "arn:aws:s3:::example-bucket/reports/*"]
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/reports/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, l := range []iam.List{s.Resource, s.NotResource} {
						for _, r := range gramRedundant(l.Values, gramResourceCovers, false) {
							v, by := l.Values[r.i], l.Values[r.by]
							related := []rules.Related{{Range: by.Range, Message: "covers " + v.Text}}
							if gramResourceCovers(by, v) {
								p.ReportRelatedf(d, v.Range, related, "resource %q repeats %q", v.Text, by.Text)
								continue
							}
							p.ReportRelatedf(d, v.Range, related, "resource %q is already covered by %q", v.Text, by.Text)
						}
					}
				}
			}
			return nil
		},
	}
}

package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func redundantAction() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM314",
			Slug:     "redundant-action",
			Title:    "Action is listed twice or covered by a wildcard",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An ` + "`Action`" + ` (or ` + "`NotAction`" + `) entry that repeats another entry of the same
statement, or that another entry's wildcard already covers (` + "`s3:GetObject`" + `
next to ` + "`s3:Get*`" + `, anything next to ` + "`*`" + `), adds nothing. It does no harm to
access, but it makes the statement longer than it needs to be (policies
have size quotas) and misleads a reviewer: a list that names
` + "`s3:GetObject`" + ` suggests that the statement is narrower than its ` + "`s3:*`" + ` entry
makes it.

Actions compare ignoring case, as IAM does. Wildcard coverage is decided on
the patterns themselves, not on today's list of actions, so the finding
stays true when AWS adds actions. Values the loader could not resolve are
not compared. Remove the redundant entry, or, if the wildcard was broader
than meant, replace the wildcard with the actions you need.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:Get*", "s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, l := range []iam.List{s.Action, s.NotAction} {
						for _, r := range gramRedundant(l.Values, gramActionCovers, true) {
							v, by := l.Values[r.i], l.Values[r.by]
							related := []rules.Related{{Range: by.Range, Message: "covers " + v.Text}}
							if gramActionCovers(by, v) {
								p.ReportRelatedf(d, v.Range, related, "action %q repeats %q", v.Text, by.Text)
								continue
							}
							p.ReportRelatedf(d, v.Range, related, "action %q is already covered by %q", v.Text, by.Text)
						}
					}
				}
			}
			return nil
		},
	}
}

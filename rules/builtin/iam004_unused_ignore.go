package builtin

import "github.com/iamlint/iamlint/rules"

func unusedIgnore() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM004",
			Slug:     "unused-ignore",
			Title:    "iamlint:ignore that silences nothing",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An ` + "`iamlint:ignore`" + ` comment that silenced no finding in this run is
stale: the problem was fixed, the code moved, or the rule ID is wrong. A
stale exception hides the next real problem at that place, so remove it (or
correct its rule ID).

A directive only counts as used for rules that ran: when a rule is disabled
in ` + "`.iamlint.hcl`" + `, its directives are reported as unused too.`,
			Bad: `-- main.tf --
resource "aws_iam_policy" "read" {
  name = "read"
  # iamlint:ignore IAM103 we need every action
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}`,
			Good: `-- main.tf --
resource "aws_iam_policy" "read" {
  name = "read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}`,
			References: []string{"https://staticcheck.dev/docs/configuration/#ignoring-problems"},
		},
		Check: func(*rules.Pass) error { return nil },
	}
}

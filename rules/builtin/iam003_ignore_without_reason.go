package builtin

import "github.com/iamlint/iamlint/rules"

func ignoreWithoutReason() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM003",
			Slug:     "ignore-without-reason",
			Title:    "iamlint:ignore without a rule or a reason",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An ` + "`iamlint:ignore`" + ` comment silences findings of the rules it names on
the item that starts on the line it names (its own line when code precedes
it there, else the next line with code): a block or attribute in Terraform,
a key or list entry and everything under it in a CloudFormation YAML
template. It must say why:

    # iamlint:ignore IAM111 the deploy role passes only service roles, see SEC-12

A directive without a rule ID (or slug, or glob such as ` + "`IAM1*`" + `) or without a
reason silences nothing and is reported here, so that every exception in
the code carries its justification. Write the rule and the reason, or
remove the comment.`,
			Bad: `-- main.tf --
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  # iamlint:ignore IAM103
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}`,
			Good: `-- main.tf --
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  # iamlint:ignore IAM101,IAM103 break-glass policy, attached to nobody; SEC-12
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}`,
			References: []string{"https://staticcheck.dev/docs/configuration/#ignoring-problems"},
		},
		// The findings come from applying the suppressions after every
		// rule has run (rules.Suppress), not from a check of the input.
		Check: func(*rules.Pass) error { return nil },
	}
}

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

// Suppress applies the iamlint:ignore directives of the input's HCL files
// and the extra (configuration) suppressions to findings, as check does:
// it returns the findings that stand, with the IAM003 and IAM004 findings
// of faulty and unused directives when those rules are among ran, and the
// silenced ones. all resolves rule IDs to their metadata (built-in and
// custom rules).
func Suppress(in *rules.Input, fs []rules.Finding, extra []*rules.Suppression, all, ran []*rules.Rule) (kept, silenced []rules.Finding) {
	sups := append(rules.SourceSuppressions(in), extra...)
	if len(sups) == 0 {
		return fs, nil
	}
	lookup := func(id string) *rules.Meta {
		if r := rules.Lookup(all, id); r != nil {
			return &r.Meta
		}
		return nil
	}
	kept, silenced, problems := rules.Suppress(fs, sups, lookup, rules.Lookup(ran, "IAM003"), rules.Lookup(ran, "IAM004"))
	kept = append(kept, problems...)
	rules.SortFindings(kept)
	return kept, silenced
}

package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func wildcardInExactCondition() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM321",
			Slug:     "wildcard-in-exact-condition",
			Title:    "Wildcard in a condition value compared exactly",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`StringEquals`" + `, ` + "`StringNotEquals`" + ` and their ` + "`IgnoreCase`" + ` forms compare text
exactly: a ` + "`*`" + ` in the value is an asterisk, not a wildcard. Only ` + "`StringLike`" + `,
` + "`StringNotLike`" + ` and the ` + "`Arn*`" + ` operators read ` + "`*`" + ` as "any characters". So
` + "`\"StringEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/admin\"}`" + ` never
matches a real role, an ` + "`Allow`" + ` with it grants nothing, and a ` + "`Deny`" + ` with
` + "`StringNotEquals`" + ` and such a value applies to every request, the admin role
included. IAM Access Analyzer warns about this ("wildcard without like
operator").

The rule reports values of the exact string operators that contain ` + "`*`" + `
outside a policy variable (the escape ` + "`${*}`" + ` stands for a literal asterisk
and is fine). It does not report ` + "`?`" + `, which is common as a literal in URLs
(` + "`aws:Referer`" + `). Use ` + "`StringLike`" + ` (or ` + "`StringNotLike`" + `, ` + "`ArnLike`" + `) when the
value is a pattern.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "iam:*",
      "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "iam:*",
      "Resource": "*",
      "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					for _, c := range s.Condition.Clauses {
						like := gramLikeOperator(c.Operator)
						if like == "" {
							continue
						}
						for _, v := range c.Values {
							if v.Unknown || !strings.Contains(gramStripVariables(v.Text), "*") {
								continue
							}
							p.ReportRelatedf(d, v.Range, gramOperatorRelated(c),
								"value %q of %s is compared exactly, so its \"*\" is a literal asterisk and not a wildcard; use %s",
								v.Text, c.Operator, like)
						}
					}
				}
			}
			return nil
		},
	}
}

// gramLikeOperator returns the pattern-matching counterpart of an exact
// string operator ("StringLike" for StringEquals), or "" for other
// operators.
func gramLikeOperator(op iam.Operator) string {
	like := op
	switch op.Func {
	case iam.OpStringEquals, iam.OpStringEqualsIgnoreCase:
		like.Func = iam.OpStringLike
	case iam.OpStringNotEquals, iam.OpStringNotEqualsIgnoreCase:
		like.Func = iam.OpStringNotLike
	default:
		return ""
	}
	return like.String()
}

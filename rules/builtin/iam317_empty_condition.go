package builtin

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

func emptyCondition() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM317",
			Slug:     "empty-condition",
			Title:    "Condition or condition key without values",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A ` + "`Condition`" + ` element that holds no condition (` + "`\"Condition\": {}`" + `, or only
operators mapping to ` + "`{}`" + `), or a condition key whose list of values is empty
(` + "`\"StringEquals\": {\"aws:PrincipalTag/team\": []}`" + `), does not express a
restriction anyone can read. Such elements are usually left over from a
template (a Terraform ` + "`condition`" + ` block fed an empty list) and hide what the
author meant to restrict: an ` + "`Allow`" + ` that looks conditional may apply to
every request, or a condition meant to narrow a ` + "`Deny`" + ` may make it apply to
none. IAM Access Analyzer reports empty condition arrays and objects too.

Give the key the values it was meant to test, or remove the element. Empty
` + "`Action`" + `, ` + "`Resource`" + ` and ` + "`Principal`" + ` lists are rejected by AWS and reported by
IAM002.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:StartInstances",
      "Resource": "arn:aws:ec2:*:111122223333:instance/*",
      "Condition": {"StringEquals": {"aws:ResourceTag/team": []}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:StartInstances",
      "Resource": "arn:aws:ec2:*:111122223333:instance/*",
      "Condition": {"StringEquals": {"aws:ResourceTag/team": "ops"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				for _, s := range d.Policy.Doc.Statements {
					cond := s.Condition
					if !cond.Present || gramErrorWithin(d.Policy.Diags, cond.Range) {
						continue
					}
					if len(cond.Clauses) == 0 {
						p.Reportf(d, cond.KeyRange, "Condition holds no condition; remove it or add the keys and values it was meant to test")
						continue
					}
					for _, c := range cond.Clauses {
						if len(c.Values) == 0 {
							p.ReportRelatedf(d, c.ValuesRange, []rules.Related{{Range: c.KeyRange, Message: "condition key " + c.Key}},
								"condition key %s of %s lists no values; give the values it should match or remove the key", c.Key, c.Operator)
						}
					}
				}
			}
			return nil
		},
	}
}

// gramErrorWithin reports whether an error diagnostic lies within rng
// (IAM002 reports it; the rule stays silent there).
func gramErrorWithin(diags hcl.Diagnostics, rng hcl.Range) bool {
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Subject == nil || d.Subject.Filename != rng.Filename {
			continue
		}
		if d.Subject.Start.Byte >= rng.Start.Byte && d.Subject.End.Byte <= rng.End.Byte {
			return true
		}
	}
	return false
}

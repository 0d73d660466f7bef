package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func literalPolicyVariable() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM307",
			Slug:     "literal-policy-variable",
			Title:    "Policy variables need Version 2012-10-17",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Policy variables (` + "`${aws:username}`" + `, ` + "`${aws:PrincipalTag/team}`" + `, the escapes
` + "`${*}`" + ` and ` + "`${?}`" + `) are only substituted under ` + "`\"Version\": \"2012-10-17\"`" + `.
With ` + "`\"Version\": \"2008-10-17\"`" + `, or with no ` + "`Version`" + ` at all (which means
2008-10-17), AWS matches them as literal text: a per-user resource such as
` + "`arn:aws:s3:::home/${aws:username}/*`" + ` matches no real object, so the policy
grants nothing, and a ` + "`Deny`" + ` or condition meant to be per-user does not apply.

The finding points at the ` + "`Version`" + ` value, or at the document when the
element is missing, and lists every ` + "`Resource`" + `, ` + "`NotResource`" + ` and
condition value that uses a variable as related locations.`,
			Bad: `{
  "Version": "2008-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::home-bucket/${aws:username}/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::home-bucket/${aws:username}/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range p.Input.Policies() {
				doc := d.Policy.Doc
				if doc.VariablesEnabled() {
					continue
				}
				uses := variableUses(doc)
				if len(uses) == 0 {
					continue
				}
				var related []rules.Related
				for _, v := range uses {
					related = append(related, rules.Related{Range: v.Range, Message: "uses a policy variable"})
				}
				first := firstVariable(uses[0].Text)
				switch {
				case !doc.HasVersion:
					p.ReportRelatedf(d, doc.Range, related,
						"policy variable %s is matched as literal text because the policy has no Version; add \"Version\": \"2012-10-17\"", first)
				case doc.Version == iam.Version2008:
					p.ReportRelatedf(d, doc.VersionRange, related,
						"policy variable %s is matched as literal text under Version 2008-10-17; use \"2012-10-17\"", first)
				}
				// Any other Version is invalid and reported by IAM002.
			}
			return nil
		},
	}
}

// variableUses returns the Resource, NotResource and condition values that
// hold a policy variable, in document order.
func variableUses(doc *iam.Document) []iam.Value {
	var out []iam.Value
	for _, s := range doc.Statements {
		for _, l := range []iam.List{s.Resource, s.NotResource} {
			for _, v := range l.Values {
				if hasVariable(v.Text) {
					out = append(out, v)
				}
			}
		}
		for _, c := range s.Condition.Clauses {
			for _, v := range c.Values {
				if hasVariable(v.Text) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// firstVariable returns the first "${...}" in s.
func firstVariable(s string) string {
	i := strings.Index(s, "${")
	j := strings.IndexByte(s[i:], '}')
	return s[i : i+j+1]
}

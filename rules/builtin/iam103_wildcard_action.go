package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func wildcardAction() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM103",
			Slug:     "wildcard-action",
			Title:    "Allow statement grants every action",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An ` + "`Action`" + ` value of ` + "`\"*\"`" + ` (or ` + "`\"*:*\"`" + `, or any pattern that matches every
action) allows every action of every AWS service, present and future, on the
statement's resources. On ` + "`\"Resource\": \"*\"`" + ` without conditions that is
administrator access; on a narrower resource it still includes deleting it,
changing its policy and sharing it.

The rule reports each such value of an ` + "`Allow`" + ` statement in identity policies
(inline policies, customer managed policies, standalone identity documents),
at the value. It does not report ` + "`Deny`" + ` statements (` + "`Deny *`" + ` is a common guard
rail), resource and trust policies, SCPs (` + "`FullAWSAccess`" + ` is how Organizations
works), permissions boundaries and policies used only as one (a ceiling
grants nothing), or values the loader could not resolve. The principals the
statement makes administrators are reported by IAM101 and IAM102.

**Fix:** list the actions the principal needs, by name or with a narrow
pattern such as ` + "`s3:GetObject*`" + `. Access Analyzer can generate a policy from
CloudTrail activity.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_generate-policy.html",
			},
		},
		Check: func(p *rules.Pass) error {
			cl := newLPClassifier(p.Catalog)
			for _, d := range lpGrantingDocs(p.Input) {
				for s := range lpAllows(d) {
					for _, a := range cl.actions(s) {
						if a.class != lpEvery {
							continue
						}
						where := ""
						switch {
						case lpAnyStar(s):
							where = " on every resource"
						case s.NotResource.Present:
							where = " on every resource but those NotResource names"
						}
						cond := ""
						if s.Condition.Present {
							cond = " when its conditions hold"
						}
						p.ReportRelatedf(d, a.value.Range, nil, "Action %q allows every action of every service%s%s", a.value.Text, where, cond)
					}
				}
			}
			return nil
		},
	}
}

package builtin

import (
	"fmt"
	"strconv"

	"github.com/iamlint/iamlint/iam/catalog"
	"github.com/iamlint/iamlint/rules"
)

func allowNotAction() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM106",
			Slug:     "allow-not-action",
			Title:    "Allow statement uses NotAction",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`NotAction`" + ` in an ` + "`Allow`" + ` statement allows every action of every service except
the ones it lists, including every action AWS adds later. Written to mean
"everything but IAM", it also allows ` + "`organizations:*`" + `, ` + "`sso:*`" + `, ` + "`kms:*`" + ` and
` + "`iam:PassRole`" + ` through any service that runs code; a misspelt or retired name in
the list excludes nothing, and AWS does not reject it. It is the usual way a
policy becomes administrator access without saying ` + "`*`" + `.

The rule reports every ` + "`Allow`" + ` statement with ` + "`NotAction`" + ` in identity policies, at
the ` + "`NotAction`" + ` key, with the number of actions it allows. It does not report
` + "`Deny`" + ` with ` + "`NotAction`" + ` (the recommended way to write guard rails such as
"deny everything but MFA self-service without MFA"), permissions boundaries
and policies used only as one (an ` + "`Allow`" + ` ` + "`NotAction`" + ` boundary is a legitimate
ceiling), SCPs, resource and trust policies. IAM101 and IAM102 report the
principals such a statement makes administrators.

**Fix:** list the actions that are allowed instead of the ones that are not.
To keep a broad grant away from a few services, pair an ` + "`Allow`" + ` of the services
needed with a ` + "`Deny`" + ` of the sensitive ones, or use a permissions boundary.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotAction": ["iam:*", "organizations:*"],
      "Resource": "*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:StartInstances", "ec2:StopInstances"],
      "Resource": "arn:aws:ec2:eu-west-1:111122223333:instance/*"
    },
    {
      "Effect": "Deny",
      "NotAction": ["iam:ChangePassword", "iam:GetAccountPasswordPolicy"],
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, d := range lpGrantingDocs(p.Input) {
				for s := range lpAllows(d) {
					if !s.NotAction.Present {
						continue
					}
					excluded := catalog.NewSet(p.Catalog.NumActions())
					var names []string
					unknown := false
					for _, v := range s.NotAction.Values {
						if v.Unknown {
							unknown = true
							continue
						}
						excluded.Union(p.Catalog.ExpandSet(v.Text))
						names = append(names, strconv.Quote(v.Text))
					}
					if len(names) > 3 {
						names = append(names[:3:3], fmt.Sprintf("%d more", len(names)-3))
					}
					except := lpAnd(names)
					if except == "" {
						except = "what it names"
					}
					count := fmt.Sprintf("%d of the %d actions AWS defines", p.Catalog.NumActions()-excluded.Len(), p.Catalog.NumActions())
					if unknown {
						count = "at least " + count + " less what the unresolved values name"
					}
					where := ""
					switch {
					case lpAnyStar(s):
						where = " on every resource"
					case s.NotResource.Present:
						where = " on every resource but those NotResource names"
					}
					if excluded.Empty() && !unknown {
						p.ReportRelatedf(d, s.NotAction.KeyRange, nil, "NotAction in an Allow statement grants every action%s: %s names no action AWS defines",
							where, except)
						continue
					}
					p.ReportRelatedf(d, s.NotAction.KeyRange, nil, "NotAction in an Allow statement grants every action except %s (%s)%s",
						except, count, where)
				}
			}
			return nil
		},
	}
}

package builtin

import (
	"fmt"
	"strconv"

	"github.com/iamlint/iamlint/rules"
)

func allowNotResource() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM107",
			Slug:     "allow-not-resource",
			Title:    "Allow statement uses NotResource",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `` + "`NotResource`" + ` in an ` + "`Allow`" + ` statement grants its actions on every resource
except the ones it lists: every bucket but one, every role but the admin
role, in this account and in every other account that trusts it, including
resources created later. An exclusion list is never complete, and an ARN that
is misspelt excludes nothing. With ` + "`iam:PassRole`" + ` it lets the principal pass
every role but those listed, which Access Analyzer reports as a security
warning.

The rule reports every ` + "`Allow`" + ` statement with ` + "`NotResource`" + ` in identity
policies, at the ` + "`NotResource`" + ` key, naming its actions and what it excludes. It
skips statements whose actions all accept only ` + "`\"*\"`" + ` (for them the element
changes nothing), ` + "`Deny`" + ` with ` + "`NotResource`" + ` (a common and sound guard rail:
"deny writes to every bucket but the approved ones"), permissions boundaries,
SCPs, resource and trust policies.

**Fix:** list the resources that are allowed in ` + "`Resource`" + `. To carve an exception
out of a broad grant, add a ` + "`Deny`" + ` statement for it.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "NotResource": "arn:aws:s3:::payroll-bucket/*"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::reports-bucket/*"
    },
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "NotResource": ["arn:aws:s3:::reports-bucket", "arn:aws:s3:::reports-bucket/*"]
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
			},
		},
		Check: func(p *rules.Pass) error {
			cl := newLPClassifier(p.Catalog)
			for _, d := range lpGrantingDocs(p.Input) {
				for s := range lpAllows(d) {
					if !s.NotResource.Present {
						continue
					}
					acts := cl.actions(s)
					if s.Action.Present && lpOnlyStarActions(acts) {
						continue
					}
					what := "every action but those NotAction names"
					if s.Action.Present {
						var names []string
						for _, a := range acts {
							names = append(names, a.value.Text)
						}
						if len(names) > 3 {
							names = append(names[:3:3], fmt.Sprintf("%d more", len(names)-3))
						}
						what = lpAnd(names)
					}
					var excl []string
					for _, v := range s.NotResource.Values {
						excl = append(excl, strconv.Quote(v.Text))
					}
					if len(excl) > 3 {
						excl = append(excl[:3:3], fmt.Sprintf("%d more", len(excl)-3))
					}
					p.ReportRelatedf(d, s.NotResource.KeyRange, nil, "NotResource in an Allow statement grants %s on every resource except %s",
						what, lpAnd(excl))
				}
			}
			return nil
		},
	}
}

// lpOnlyStarActions reports whether every Action value is known and
// matches only actions that accept nothing but Resource "*".
func lpOnlyStarActions(acts []lpAction) bool {
	if len(acts) == 0 {
		return false
	}
	for _, a := range acts {
		if a.class != lpSome && a.class != lpService {
			return false
		}
		for _, x := range a.acts {
			if !x.OnlyWildcardResource() {
				return false
			}
		}
	}
	return true
}

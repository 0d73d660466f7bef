package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// gramTrustActions are the actions a role trust policy can allow.
var gramTrustActions = []string{
	"sts:AssumeRole",
	"sts:AssumeRoleWithSAML",
	"sts:AssumeRoleWithWebIdentity",
	"sts:TagSession",
	"sts:SetSourceIdentity",
	"sts:SetContext",
}

func trustPolicyAction() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM319",
			Slug:     "trust-policy-action",
			Title:    "Trust policy allows an action other than assuming the role",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role's trust policy decides who may assume the role, so its ` + "`Action`" + `
element can only name the STS actions of assuming a role and of what comes
with it: ` + "`sts:AssumeRole`" + `, ` + "`sts:AssumeRoleWithSAML`" + `,
` + "`sts:AssumeRoleWithWebIdentity`" + `, ` + "`sts:TagSession`" + `, ` + "`sts:SetSourceIdentity`" + ` and
` + "`sts:SetContext`" + `. IAM rejects a trust policy with any other action ("AssumeRole
policy may only specify STS AssumeRole actions"), so creating or updating the
role fails. The mistake usually comes from pasting a permissions statement
(` + "`s3:GetObject`" + `, ` + "`iam:PassRole`" + `) into the trust policy; those permissions belong
in a policy attached to the role or to the caller.

The rule reports an ` + "`Action`" + ` entry of a trust policy that matches none of
those actions, wildcards included (` + "`sts:Get*`" + `). Entries that match one of
them (` + "`sts:*`" + `, ` + "`sts:AssumeRole*`" + `) are left alone, as are unknown actions and
services (IAM301, IAM302 report them) and values the loader could not
resolve.`,
			Bad: `-- main.tf --
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = ["sts:AssumeRole", "s3:GetObject"]
    }]
  })
}
`,
			Good: `-- main.tf --
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
				"https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
			},
		},
		Check: func(p *rules.Pass) error {
			r := newActionResolver(p.Catalog)
			for _, d := range p.Input.Policies() {
				if d.Kind != iam.KindTrust {
					continue
				}
				for _, s := range d.Policy.Doc.Statements {
					for _, v := range s.Action.Values {
						if v.Unknown || gramTrustMatch(v.Text) != "" {
							continue
						}
						if k := r.resolve(v.Text).kind; k != actionKnown && k != actionWildcardService {
							continue
						}
						p.Reportf(d, v.Range, "action %q cannot be allowed in a trust policy, which only takes %s", v.Text, orList(gramTrustActions))
					}
				}
			}
			return nil
		},
	}
}

// gramTrustMatch returns the first trust policy action the pattern
// matches, or "".
func gramTrustMatch(pattern string) string {
	for _, a := range gramTrustActions {
		if iam.MatchAction(pattern, a) {
			return a
		}
	}
	return ""
}

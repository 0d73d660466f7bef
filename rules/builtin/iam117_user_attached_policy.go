package builtin

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

func userAttachedPolicy() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM117",
			Slug:     "user-attached-policy",
			Title:    "Policy attached directly to a user",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Permissions given to users one by one drift: people change teams and keep what
they had, and nobody can say who may do what without reading every user.
AWS's best practices and the CIS AWS Foundations Benchmark ask that users get
their permissions only through groups (or, better, roles assumed through IAM
Identity Center), so that a permission is granted, reviewed and revoked once
per job function.

The rule reports each managed policy attachment and each inline policy of an
IAM user, at the attachment or the inline policy, naming the policy and the
user. It does not report the user's permissions boundary (a ceiling, which
belongs on the user), group memberships, or policies of groups and roles.

**Fix:** create a group per job function, attach the policies to the group,
and add the user to it; move inline user policies into managed policies
attached to that group.`,
			Bad: `-- main.tf --
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy_attachment" "alice_readonly" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
}
`,
			Good: `-- main.tf --
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_group" "auditors" {
  name = "auditors"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.auditors.name]
}

resource "aws_iam_group_policy_attachment" "auditors_readonly" {
  group      = aws_iam_group.auditors.name
  policy_arn = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-2",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_attach-policy.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, u := range p.Input.Model.Users {
				user := lpIdentityName("user", u.Name, u.Addr)
				related := []rules.Related{}
				if u.Range.Filename != "" {
					related = append(related, rules.Related{Range: u.Range, Message: "the " + user})
				}
				for _, att := range u.Attached {
					pol := att.PolicyRef
					switch {
					case att.Policy != nil && att.Policy.Name != "" && att.Policy.AWSManaged:
						pol = "AWS managed policy " + att.Policy.Name
					case att.Policy != nil && att.Policy.Name != "" && !lpSymbolic(att.Policy.Name):
						pol = "managed policy " + strconv.Quote(att.Policy.Name)
					case att.Policy != nil:
						pol = "managed policy " + att.Policy.Addr
					default:
						pol = "managed policy " + strconv.Quote(att.PolicyRef)
					}
					rng := lpRangeOr(att.Range, u.Range)
					p.ReportAt(att.Addr, u.Addr+" → "+att.Addr, u.Addr, rng, related,
						"%s is attached directly to %s; grant it through a group", pol, user)
				}
				for _, ip := range u.Inline {
					name := strconv.Quote(ip.Name)
					if ip.Name == "" || lpSymbolic(ip.Name) {
						name = ip.Addr
					}
					rng := lpRangeOr(ip.Range, u.Range)
					p.ReportAt(ip.Addr, u.Addr+" → inline policy "+name, u.Addr, rng, related,
						"inline policy %s is embedded in %s; move it to a managed policy attached to a group", name, user)
				}
			}
			return nil
		},
	}
}

func lpSymbolic(s string) bool { return strings.Contains(s, "${") }

// lpRangeOr returns r, or fallback when r has no position.
func lpRangeOr(r, fallback hcl.Range) hcl.Range {
	if r.Filename == "" {
		return fallback
	}
	return r
}

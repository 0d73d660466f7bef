package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func passwordReusePrevention() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM372",
			Slug:     "password-reuse-prevention",
			Title:    "Password policy lets users reuse recent passwords",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `When a password must be changed (because it leaked, or the policy expires it),
a user allowed to pick a previous one will; the leaked password comes back.
CIS AWS Foundations (1.9 / 2.9) asks the policy to remember the last 24
passwords, the most IAM allows.

The rule reports an account password policy whose
` + "`PasswordReusePrevention`" + ` (` + "`password_reuse_prevention`" + `) is below ` + "`reuse`" + `;
an absent setting (0) means any earlier password may be reused. A value
Terraform cannot resolve is not judged.

**Fix:** set ` + "`PasswordReusePrevention`" + ` to 24.`,
			Bad: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length = 14
}
`,
			Good: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
			},
			Options: []rules.Option{{
				Name:        "reuse",
				Type:        "int",
				Default:     "24",
				Description: "The fewest previous passwords the policy must prevent reusing (IAM allows 1 to 24).",
			}},
		},
		Check: func(p *rules.Pass) error {
			want := p.IntOption("reuse")
			for _, a := range acctPasswordPolicies(p.Input.Model) {
				pp := a.PasswordPolicy
				if acctPolicyUnknown(pp, "PasswordReusePrevention", "password_reuse_prevention") || pp.PasswordReusePrevention >= want {
					continue
				}
				if pp.PasswordReusePrevention == 0 {
					p.ReportAt(pp.Addr, "", "reuse", pp.Range, nil,
						"password policy does not prevent password reuse; set PasswordReusePrevention to %d", want)
					continue
				}
				p.ReportAt(pp.Addr, "", "reuse", pp.Range, nil,
					"password policy prevents reusing only the last %d passwords; set PasswordReusePrevention to %d", pp.PasswordReusePrevention, want)
			}
			return nil
		},
	}
}

package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func passwordMinimumLength() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM371",
			Slug:     "password-minimum-length",
			Title:    "Password policy allows short passwords",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Length is what makes a password hard to guess or crack; NIST SP 800-63B and CIS
AWS Foundations (1.8 / 2.8) ask for at least 14 characters. AWS's default,
when the account has a password policy that does not set a length, is 8;
Terraform's ` + "`aws_iam_account_password_policy`" + ` defaults to 6.

The rule reports an account password policy whose minimum length is below
` + "`min_length`" + ` (from ` + "`aws iam get-account-password-policy`" + ` output, an
` + "`aws_iam_account_password_policy`" + ` resource or a plan). A length Terraform
cannot resolve (a variable without a value) is not judged.

**Fix:** set ` + "`MinimumPasswordLength`" + ` (` + "`minimum_password_length`" + `) to 14 or
more.`,
			Bad: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 8
  password_reuse_prevention = 24
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
				"https://pages.nist.gov/800-63-4/sp800-63b.html",
			},
			Options: []rules.Option{{
				Name:        "min_length",
				Type:        "int",
				Default:     "14",
				Description: "The shortest minimum password length accepted.",
			}},
		},
		Check: func(p *rules.Pass) error {
			want := p.IntOption("min_length")
			for _, a := range acctPasswordPolicies(p.Input.Model) {
				pp := a.PasswordPolicy
				if acctPolicyUnknown(pp, "MinimumLength", "minimum_password_length") || pp.MinimumLength >= want {
					continue
				}
				p.ReportAt(pp.Addr, "", "length", pp.Range, nil,
					"password policy accepts passwords of %d characters; require at least %d (MinimumPasswordLength)", pp.MinimumLength, want)
			}
			return nil
		},
	}
}

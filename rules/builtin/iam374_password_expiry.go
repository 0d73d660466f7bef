package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func passwordExpiry() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM374",
			Slug:     "password-expiry",
			Title:    "Password policy does not expire passwords",
			Severity: rules.Info,
			Default:  false,
			Since:    "v0.1.0",
			Rationale: `Some compliance frameworks (older CIS AWS Foundations versions, PCI DSS for
passwords used alone) require passwords to expire, typically within 90 days.
The rule reports an account password policy whose passwords never expire
(` + "`MaxPasswordAge`" + ` absent or 0, or ` + "`ExpirePasswords`" + ` false) or expire after
more than ` + "`max_age`" + ` days.

It is **off by default** and only informational: NIST SP 800-63B advises
*against* forced periodic rotation, which leads users to predictable
variations of the same password, and asks for a change only when there is
evidence of compromise; current CIS versions dropped the requirement. Long,
unique passwords with MFA (IAM371, IAM353) protect better. Enable the rule
when an audit requires expiry. An age Terraform cannot resolve is not judged.

**Fix:** set ` + "`MaxPasswordAge`" + ` (` + "`max_password_age`" + `) to ` + "`max_age`" + ` days or
fewer.`,
			Bad: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
}
`,
			Good: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
  max_password_age          = 90
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
				"https://pages.nist.gov/800-63-4/sp800-63b.html",
			},
			Options: []rules.Option{{
				Name:        "max_age",
				Type:        "int",
				Default:     "90",
				Description: "The longest password lifetime accepted, in days.",
			}},
		},
		Check: func(p *rules.Pass) error {
			maxAge := p.IntOption("max_age")
			for _, a := range acctPasswordPolicies(p.Input.Model) {
				pp := a.PasswordPolicy
				if acctPolicyUnknown(pp, "MaxPasswordAge", "max_password_age") {
					continue
				}
				switch {
				case pp.MaxPasswordAge <= 0:
					p.ReportAt(pp.Addr, "", "expiry", pp.Range, nil,
						"password policy never expires passwords; set MaxPasswordAge to %d days or fewer if your audit requires expiry", maxAge)
				case pp.MaxPasswordAge > maxAge:
					p.ReportAt(pp.Addr, "", "expiry", pp.Range, nil,
						"password policy expires passwords after %d days; set MaxPasswordAge to %d or fewer if your audit requires expiry", pp.MaxPasswordAge, maxAge)
				}
			}
			return nil
		},
	}
}

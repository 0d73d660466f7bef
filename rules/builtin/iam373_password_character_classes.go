package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func passwordCharacterClasses() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM373",
			Slug:     "password-character-classes",
			Title:    "Password policy does not require every character class",
			Severity: rules.Low,
			Default:  false,
			Since:    "v0.1.0",
			Rationale: `Older versions of the CIS AWS Foundations Benchmark (1.5–1.8 in v1.2) and many
compliance frameworks ask the account password policy to require an upper-case
letter, a lower-case letter, a number and a symbol. The rule reports a policy
that does not require all four, naming the missing ones.

It is **off by default**: NIST SP 800-63B advises against composition rules
(they push users to predictable patterns such as ` + "`Password1!`" + `), and current
CIS versions keep only the length and reuse requirements (IAM371, IAM372).
Enable it when an audit framework requires character classes. A setting
Terraform cannot resolve is not judged.

**Fix:** set ` + "`RequireUppercaseCharacters`" + `, ` + "`RequireLowercaseCharacters`" + `,
` + "`RequireNumbers`" + ` and ` + "`RequireSymbols`" + ` (in Terraform
` + "`require_uppercase_characters`" + `, ` + "`require_lowercase_characters`" + `,
` + "`require_numbers`" + `, ` + "`require_symbols`" + `).`,
			Bad: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
  require_numbers           = true
}
`,
			Good: `-- main.tf --
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length      = 14
  password_reuse_prevention    = 24
  require_uppercase_characters = true
  require_lowercase_characters = true
  require_numbers              = true
  require_symbols              = true
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
				"https://pages.nist.gov/800-63-4/sp800-63b.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, a := range acctPasswordPolicies(p.Input.Model) {
				pp := a.PasswordPolicy
				var missing []string
				for _, c := range []struct {
					set         bool
					field, arg  string
					description string
				}{
					{pp.RequireUppercase, "RequireUppercase", "require_uppercase_characters", "an upper-case letter"},
					{pp.RequireLowercase, "RequireLowercase", "require_lowercase_characters", "a lower-case letter"},
					{pp.RequireNumbers, "RequireNumbers", "require_numbers", "a number"},
					{pp.RequireSymbols, "RequireSymbols", "require_symbols", "a symbol"},
				} {
					if !c.set && !acctPolicyUnknown(pp, c.field, c.arg) {
						missing = append(missing, c.description)
					}
				}
				if len(missing) > 0 {
					p.ReportAt(pp.Addr, "", "classes", pp.Range, nil,
						"password policy does not require %s", acctJoin(missing))
				}
			}
			return nil
		},
	}
}

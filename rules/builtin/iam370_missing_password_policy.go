package builtin

import (
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func missingPasswordPolicy() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM370",
			Slug:     "missing-password-policy",
			Title:    "Account with console users has no password policy",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Without an account password policy, IAM accepts any password of 8 characters
or more, with no reuse prevention. CIS AWS Foundations (1.8, 1.9) expects a
policy with a minimum length of 14 and reuse prevention of 24.

A missing policy cannot be exported (` + "`aws iam get-account-password-policy`" + `
fails with NoSuchEntity), so the rule decides from what the inputs show about
the account, and only reports an account when all of these hold:

- the inputs hold the account's **credential report** (an export of the
  account's state, not just code that manages some of its resources);
- the report shows **console users** (` + "`password_enabled`" + ` true) in the
  account: without them the policy governs nothing (it does not apply to the
  root user);
- no report row has a ` + "`password_next_rotation`" + ` date (which only a password
  policy with an expiry produces);
- the inputs hold no password policy for the account, nor one they cannot
  tie to an account (a ` + "`get-account-password-policy`" + ` file next to reports
  of several accounts, a Terraform policy whose account is a variable).

Terraform and CloudFormation alone never trigger it: a configuration that does
not declare ` + "`aws_iam_account_password_policy`" + ` may simply not manage account
settings. The policy's own weaknesses are IAM371–IAM374.

**Fix:** set a password policy (` + "`aws iam update-account-password-policy`" + ` or
` + "`aws_iam_account_password_policy`" + `); if the account has one, add the output of
` + "`aws iam get-account-password-policy`" + ` to the inputs.`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
erin,arn:aws:iam::111122223333:user/erin,2019-03-02T09:15:33+00:00,true,2019-06-12T07:48:02+00:00,2019-03-02T09:20:11+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- main.tf --
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
}
-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
erin,arn:aws:iam::111122223333:user/erin,2019-03-02T09:15:33+00:00,true,2099-06-12T07:48:02+00:00,2019-03-02T09:20:11+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
				"https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountPasswordPolicy.html",
			},
		},
		Check: func(p *rules.Pass) error {
			m := p.Input.Model
			for _, a := range m.Accounts {
				if a.PasswordPolicy != nil && !iam.IsAccountID(a.ID) {
					return nil // a policy the inputs cannot tie to an account may be any account's
				}
			}
			for _, a := range m.Accounts {
				if a.PasswordPolicy != nil || a.Root == nil || a.Root.Credentials == nil || !iam.IsAccountID(a.ID) {
					continue
				}
				var console []*iam.User
				expiring := false
				for _, u := range m.Users {
					row := u.Credentials
					if row == nil || row.User == acctRootUser || acctReportAccount(row) != a.ID {
						continue
					}
					expiring = expiring || row.PasswordNextRotate != ""
					if row.PasswordEnabled {
						console = append(console, u)
					}
				}
				if len(console) == 0 || expiring {
					continue
				}
				var names []string
				var related []rules.Related
				for i, u := range console {
					if i == 3 {
						names = append(names, "others")
						break
					}
					names = append(names, acctUserName(u))
					related = append(related, rules.Related{Range: u.Credentials.Range, Message: "console user " + acctUserName(u)})
				}
				p.ReportAt(a.Addr, "", "password-policy", a.Root.Credentials.Range, related,
					"%s has console users (%s) and the inputs hold no password policy for it; without one IAM accepts 8-character passwords, so set one (or add the get-account-password-policy output if it has one)",
					acctAccountName(a), acctJoin(names))
			}
			return nil
		},
	}
}

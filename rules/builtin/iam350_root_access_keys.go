package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/rules"
)

func rootAccessKeys() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM350",
			Slug:     "root-access-keys",
			Title:    "Root user has access keys",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The root user can do anything in the account, and neither IAM policies nor
permissions boundaries restrict it. An access key of the root user is a
long-lived secret with those powers: anyone who finds it in a script, a CI
variable or a laptop owns the account. AWS and the CIS AWS Foundations
Benchmark (1.4 / 2.4) say the root user should have no access keys at all;
every task that needs the root user is done in the console.

The rule reads the root row of the credential report
(` + "`access_key_1_active`" + `, ` + "`access_key_2_active`" + `) and, when the inputs have no
report for the account, ` + "`AccountAccessKeysPresent`" + ` of
` + "`aws iam get-account-summary`" + `. Inactive keys are not reported. Terraform and
CloudFormation cannot declare root keys (the root user is not a resource),
so unlike name-based checks this rule never guesses from a user called
"root".

**Fix:** sign in as the root user, open *Security credentials*, and delete
the access keys (after moving whatever used them to an IAM role).`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,true,2019-03-02T09:00:00+00:00,2019-04-01T12:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, a := range p.Input.Model.Accounts {
				if a.Root != nil && a.Root.Credentials != nil {
					row := a.Root.Credentials
					var keys []string
					for i, k := range row.AccessKeys {
						if !k.Active {
							continue
						}
						s := acctKeyName(i)
						if t, ok := acctTime(k.LastUsedDate); ok {
							s += " (last used " + acctDate(t) + ")"
						} else {
							s += " (never used)"
						}
						keys = append(keys, s)
					}
					if len(keys) > 0 {
						p.ReportAt(a.Root.Addr, "", "keys", row.Range, nil,
							"root user of %s has an active %s; delete root access keys and use IAM roles instead", acctAccountName(a), strings.Join(keys, " and "))
					}
					continue
				}
				if s := a.Summary; s != nil && s.AccessKeysPresent {
					p.ReportAt(s.Addr, "", "keys", s.Range, nil,
						"root user of %s has access keys (AccountAccessKeysPresent is 1); delete root access keys and use IAM roles instead", acctAccountName(a))
				}
			}
			return nil
		},
	}
}

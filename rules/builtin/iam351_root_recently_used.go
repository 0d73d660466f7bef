package builtin

import (
	"time"

	"github.com/iamlint/iamlint/rules"
)

func rootRecentlyUsed() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM351",
			Slug:     "root-recently-used",
			Title:    "Root user was used recently",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `The root user is for the handful of tasks only it can do (closing the
account, changing the support plan, restoring a locked bucket policy). Day-to-day
work as root bypasses every IAM policy, boundary and audit convention, and a
root user in regular use is usually a shared password. CIS AWS Foundations
(1.7 / 2.7) asks that the root user not be used for everyday tasks.

The rule reads the root row of the credential report and takes the **most
recent** of ` + "`password_last_used`" + `, ` + "`access_key_1_last_used_date`" + ` and
` + "`access_key_2_last_used_date`" + ` (some tools look at the password first and
ignore a more recent key use). It reports when that use lies within the last
` + "`days`" + ` days before the reference date (` + "`--now`" + `, or ` + "`now`" + ` in
` + "`.iamlint.hcl`" + `; today when neither is set), so results are reproducible. A
use after the reference date (a report newer than ` + "`--now`" + `) counts as
recent. Without a credential report the rule reports nothing: neither the
account summary nor Terraform records root use.

**Fix:** find out who used the root user and why (CloudTrail events with
` + "`userIdentity.type = Root`" + `), move that work to IAM roles, and keep the root
credentials locked away, or remove them with Organizations' centralized root
access.`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2099-06-01T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-03-02T08:45:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
			Options: []rules.Option{{
				Name:        "days",
				Type:        "int",
				Default:     "90",
				Description: "Report a root user used within this many days before the reference date (--now).",
			}},
		},
		Check: func(p *rules.Pass) error {
			days := p.IntOption("days")
			for _, a := range p.Input.Model.Accounts {
				if a.Root == nil || a.Root.Credentials == nil {
					continue
				}
				row := a.Root.Credentials
				// The newest use wins, whatever the credential.
				var last time.Time
				how := ""
				if t, ok := acctTime(row.PasswordLastUsed); ok {
					last, how = t, "signed in with its password"
				}
				for i, k := range row.AccessKeys {
					if t, ok := acctTime(k.LastUsedDate); ok && t.After(last) {
						last, how = t, "used its "+acctKeyName(i)
						if k.LastUsedService != "" {
							how += " (" + k.LastUsedService + ")"
						}
					}
				}
				if how == "" || acctOlder(p, last, days) {
					continue
				}
				p.ReportAt(a.Root.Addr, "", "used", row.Range, nil,
					"root user of %s %s on %s, within the last %s; use IAM roles for everyday work",
					acctAccountName(a), how, acctDate(last), acctDays(days))
			}
			return nil
		},
	}
}

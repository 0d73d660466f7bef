package builtin

import (
	"strconv"
	"time"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func unusedCredentials() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM361",
			Slug:     "unused-credentials",
			Title:    "Console password or access key unused for too long",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A password or access key nobody uses is pure risk: it can still be phished,
leaked or guessed, and nobody would notice it being used. CIS AWS Foundations
(1.12 / 2.11) asks that credentials unused for 45 days or more be disabled.

The rule reads the credential report and reports, per credential of each IAM
user (never the root user, whose non-use is the goal):

- a console password (` + "`password_enabled`" + `) last used more than ` + "`days`" + ` days
  before the reference date, or never used and set (` + "`password_last_changed`" + `,
  else ` + "`user_creation_time`" + `) more than ` + "`days`" + ` days before it;
- an **active** access key last used more than ` + "`days`" + ` days before the
  reference date, or never used and created (` + "`access_key_N_last_rotated`" + `)
  more than ` + "`days`" + ` days before it.

The reference date is ` + "`--now`" + ` (or ` + "`now`" + ` in ` + "`.iamlint.hcl`" + `), today when
neither is set. Without a credential report nothing is reported: Terraform,
CloudFormation and authorization-details dumps do not record last use.

**Fix:** delete the login profile or the key (or deactivate the key first and
delete it once nothing breaks).`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
grace,arn:aws:iam::111122223333:user/grace,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,true,2019-03-02T09:23:05+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
grace,arn:aws:iam::111122223333:user/grace,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,2019-03-02T09:23:05+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
			Options: []rules.Option{{
				Name:        "days",
				Type:        "int",
				Default:     "45",
				Description: "Report a password or active access key not used (or, never used, not set) in this many days before the reference date (--now).",
			}},
		},
		Check: func(p *rules.Pass) error {
			days := p.IntOption("days")
			for _, u := range p.Input.Model.Users {
				row := u.Credentials
				if row == nil || row.User == acctRootUser {
					continue
				}
				report := func(key, what string, lastUsed string, set ...string) {
					if t, ok := acctTime(lastUsed); ok {
						if acctOlder(p, t, days) {
							p.ReportAt(u.Addr, "", key, row.Range, acctUserRelated(u, row.Range),
								"%s of user %s was last used on %s, more than %s ago; remove it or deactivate it",
								what, acctUserName(u), acctDate(t), acctDays(days))
						}
						return
					}
					var since time.Time
					for _, s := range set {
						if t, ok := acctTime(s); ok {
							since = t
							break
						}
					}
					if !since.IsZero() && acctOlder(p, since, days) {
						p.ReportAt(u.Addr, "", key, row.Range, acctUserRelated(u, row.Range),
							"%s of user %s has never been used since it was set on %s, more than %s ago; remove it or deactivate it",
							what, acctUserName(u), acctDate(since), acctDays(days))
					}
				}
				if row.PasswordEnabled {
					report("password", "console password", row.PasswordLastUsed, row.PasswordLastChanged, row.UserCreationTime)
				}
				for i, k := range row.AccessKeys {
					if k.Active {
						report("access-key-"+strconv.Itoa(i+1), acctKeyName(i), k.LastUsedDate, acctKeySet(row, k)...)
					}
				}
			}
			return nil
		},
	}
}

// acctKeySet returns the dates a never-used key may count from: when it
// was created (last rotated), else when its user was.
func acctKeySet(row *iam.CredentialReport, k iam.CredentialKey) []string {
	return []string{k.LastRotated, row.UserCreationTime}
}

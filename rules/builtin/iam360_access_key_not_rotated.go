package builtin

import (
	"strconv"

	"github.com/iamlint/iamlint/rules"
)

func accessKeyNotRotated() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM360",
			Slug:     "access-key-not-rotated",
			Title:    "Active access key is older than the rotation period",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `An access key never expires. The longer it lives, the more places it has been
copied to (laptops, CI variables, old scripts) and the longer a leaked copy
keeps working. CIS AWS Foundations (1.14 / 2.12) asks that active keys be
rotated every 90 days.

The rule reports an **active** key created (or last rotated) more than ` + "`days`" + `
days before the reference date (` + "`--now`" + `, or ` + "`now`" + ` in ` + "`.iamlint.hcl`" + `; today
when neither is set). It reads ` + "`access_key_N_last_rotated`" + ` of the credential
report, or the creation date of a key the inputs declare with one. A key
created by Terraform or CloudFormation has no known date, so without a report
it is not judged. Root keys are IAM350's. Inactive keys are not reported:
they cannot be used.

**Fix:** create a second key, move its users to it, deactivate and then delete
the old key; better, replace long-lived keys with roles (IAM Roles Anywhere,
OIDC federation from CI, IAM Identity Center for people).`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
deploy,arn:aws:iam::111122223333:user/deploy,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,true,2019-03-02T09:23:05+00:00,2019-06-11T18:40:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
deploy,arn:aws:iam::111122223333:user/deploy,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,2019-03-02T09:23:05+00:00,2019-06-11T18:40:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
			Options: []rules.Option{{
				Name:        "days",
				Type:        "int",
				Default:     "90",
				Description: "Report an active access key created or last rotated more than this many days before the reference date (--now).",
			}},
		},
		Check: func(p *rules.Pass) error {
			days := p.IntOption("days")
			for _, u := range p.Input.Model.Users {
				if row := u.Credentials; row != nil {
					if row.User == acctRootUser {
						continue
					}
					for i, k := range row.AccessKeys {
						t, ok := acctTime(k.LastRotated)
						if !k.Active || !ok || !acctOlder(p, t, days) {
							continue
						}
						p.ReportAt(u.Addr, "", "access-key-"+strconv.Itoa(i+1), row.Range, acctUserRelated(u, row.Range),
							"%s of user %s was created on %s, more than %s ago, and not rotated since; rotate it",
							acctKeyName(i), acctUserName(u), acctDate(t), acctDays(days))
					}
					continue
				}
				for _, k := range u.AccessKeys {
					if !acctKnownActive(k) || k.IsUnknown("Created") {
						continue
					}
					t, ok := acctTime(k.Created)
					if !ok || !acctOlder(p, t, days) {
						continue
					}
					name := "access key"
					if k.ID != "" && !k.IsUnknown("ID") {
						name += " " + k.ID
					}
					p.ReportAt(k.Addr, "", "created", k.Range, acctUserRelated(u, k.Range),
						"%s of user %s was created on %s, more than %s ago; rotate it",
						name, acctUserName(u), acctDate(t), acctDays(days))
				}
			}
			return nil
		},
	}
}

package builtin

import (
	"github.com/iamlint/iamlint/rules"
)

func consoleUserWithoutMFA() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM353",
			Slug:     "console-user-without-mfa",
			Title:    "Console user has no MFA",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A user who signs in to the console with a password alone loses the account
to a phished or reused password. CIS AWS Foundations (1.10 / 2.10) requires MFA
for every IAM user with a console password.

The rule reads the credential report: a user row with ` + "`password_enabled`" + ` true
and ` + "`mfa_active`" + ` false. The root row is never reported here (IAM352 covers
the root user). Users who can act as administrators, directly or through an
escalation path, are reported once, as critical, by IAM354 rather than here:
a console user without MFA who can become admin is one problem, not two.

Without a credential report the rule reports nothing. Terraform and
CloudFormation declare login profiles, but users enrol their own MFA devices in
the console, so the absence of an ` + "`aws_iam_virtual_mfa_device`" + ` in code says
nothing about whether a user has MFA; guessing would flag nearly every console
user. Load the credential report (` + "`aws iam get-credential-report`" + `) with the
code to get this check.

**Fix:** have the user assign an MFA device, and enforce it with a policy that
denies everything but MFA self-service when ` + "`aws:MultiFactorAuthPresent`" + ` is
false (` + "`BoolIfExists`" + `); better, move people to IAM Identity Center.`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
erin,arn:aws:iam::111122223333:user/erin,2019-03-02T09:15:33+00:00,true,2019-06-12T07:48:02+00:00,2019-03-02T09:20:11+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
erin,arn:aws:iam::111122223333:user/erin,2019-03-02T09:15:33+00:00,false,2019-06-12T07:48:02+00:00,2019-03-02T09:20:11+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
		},
		Check: func(p *rules.Pass) error {
			files := acctInputFiles(p.Input)
			for _, u := range p.Input.Model.Users {
				row := u.Credentials
				if row == nil || row.User == acctRootUser || !row.PasswordEnabled || row.MFAActive {
					continue
				}
				if acctAdminOf(p, u, files) != nil {
					continue // IAM354 reports it, as critical
				}
				p.ReportAt(u.Addr, "", "mfa", row.Range, acctUserRelated(u, row.Range),
					"user %s has a console password and no MFA device", acctUserName(u))
			}
			return nil
		},
	}
}

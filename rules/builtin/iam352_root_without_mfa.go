package builtin

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/iamlint/iamlint/rules"
)

func rootWithoutMFA() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM352",
			Slug:     "root-without-mfa",
			Title:    "Root user has credentials but no MFA",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A root user protected by a password alone is one phished or reused password
away from losing the account. AWS and CIS AWS Foundations (1.5 / 2.5) require
MFA on the root user.

The rule reports a root user that **has credentials** and **no MFA**. MFA comes
from the credential report's root row (` + "`mfa_active`" + `) and from
` + "`AccountMFAEnabled`" + ` of ` + "`aws iam get-account-summary`" + `; when both are present, MFA
active in either counts. Credentials are evidence in the inputs, never
assumed:

- an active access key or signing certificate (report row, or
  ` + "`AccountAccessKeysPresent`" + ` / ` + "`AccountSigningCertificatesPresent`" + ` in the summary);
- ` + "`password_enabled`" + ` true on the root row;
- a ` + "`password_last_used`" + ` date: the root user has signed in with a password.
  (The report writes ` + "`password_enabled`" + ` as ` + "`not_supported`" + ` for the root user,
  so its password shows only through its use.)

**Organizations centralized root access.** A member account whose root
credentials were deleted centrally has no password, no keys and no MFA: that is
the goal, not "root without MFA", and the rule stays silent (an account created
by Organizations whose root password was never set looks the same). A root user
whose password was used *before* it was deleted still shows the old
` + "`password_last_used`" + `; set the option ` + "`centralized_root_access = true`" + ` when your
organization manages root credentials centrally, and the rule then counts only
current evidence (active keys or certificates, ` + "`password_enabled`" + ` true). Enabling
the feature does not delete existing root credentials, so the rule still
reports those.

An account summary without a credential report shows keys and MFA but not the
password, so with the summary alone the rule reports only a root user with
keys or certificates.

**Fix:** sign in as the root user and assign an MFA device (preferably a
FIDO2 security key), or, in an organization, delete the member account's root
credentials with centralized root access.`,
			Bad: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
			Options: []rules.Option{{
				Name:    "centralized_root_access",
				Type:    "bool",
				Default: "false",
				Description: "Set when Organizations manages member accounts' root credentials centrally: a past password " +
					"use is then not taken as evidence of a current root password.",
			}},
		},
		Check: func(p *rules.Pass) error {
			central := acctBoolOption(p, "centralized_root_access")
			for _, a := range p.Input.Model.Accounts {
				row := a.Root
				sum := a.Summary
				if (row == nil || row.Credentials == nil) && sum == nil {
					continue
				}
				// MFA active in any source counts.
				if (row != nil && row.Credentials != nil && row.Credentials.MFAActive) || (sum != nil && sum.MFAEnabled) {
					continue
				}
				var creds []string
				var at hcl.Range
				addr := ""
				if row != nil && row.Credentials != nil {
					c := row.Credentials
					at, addr = c.Range, row.Addr
					if c.PasswordEnabled {
						creds = append(creds, "a password")
					} else if t, ok := acctTime(c.PasswordLastUsed); ok && !central {
						creds = append(creds, "a password (last used "+acctDate(t)+")")
					}
					for i, k := range c.AccessKeys {
						if k.Active {
							creds = append(creds, "an active "+acctKeyName(i))
						}
					}
					if c.Cert1Active || c.Cert2Active {
						creds = append(creds, "an active signing certificate")
					}
				}
				if sum != nil {
					if addr == "" {
						at, addr = sum.Range, sum.Addr
					}
					if sum.AccessKeysPresent && !acctHas(creds, "access key") {
						creds = append(creds, "access keys (AccountAccessKeysPresent)")
					}
					if sum.SigningCertificatesPresent && !acctHas(creds, "signing certificate") {
						creds = append(creds, "signing certificates (AccountSigningCertificatesPresent)")
					}
				}
				if len(creds) == 0 {
					// No credentials in evidence: a member account whose root
					// credentials were removed, or one never given a password.
					continue
				}
				p.ReportAt(addr, "", "mfa", at, nil,
					"root user of %s has %s but no MFA device; assign one, or remove the root credentials",
					acctAccountName(a), acctJoin(creds))
			}
			return nil
		},
	}
}

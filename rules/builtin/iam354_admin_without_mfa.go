package builtin

import (
	"slices"

	"github.com/iamlint/iamlint/rules"
)

func adminWithoutMFA() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM354",
			Slug:     "admin-without-mfa",
			Title:    "Admin-capable user has credentials but no MFA",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A user who can act as an administrator and signs in with a password alone, or
holds a long-lived access key with no MFA, is the account's weakest point: one
leaked secret gives an attacker the whole account.

The rule correlates what other checks look at one by one: the credential report
(` + "`mfa_active`" + ` false, and a console password or an active access key) with the
analyzer's effective permissions. A user is *admin-capable* when its policies
allow every action on every resource (through its groups, attachments and
inline policies, after boundaries, SCPs and denies), or when it has an
escalation path that ends with administrator permissions. The finding names
the policy that makes it an administrator, or the escalation path, and points
at them as related locations. It is one finding per user: IAM353 leaves such
users to this rule, and the message says which credentials are at stake.

A user that is an administrator only under conditions (for example with MFA,
or through values the loader could not resolve) is still reported, as "under
some conditions": a user without MFA can usually enrol a device of its own
first. A user whose policies the inputs do not show (only a credential report
row) is not known to be admin-capable and is left to IAM353.

**Fix:** assign an MFA device to the user and require it
(` + "`Deny`" + ` with ` + "`BoolIfExists`" + ` ` + "`aws:MultiFactorAuthPresent`" + ` ` + "`false`" + `), or better,
give administrators roles that require MFA to assume, through IAM Identity
Center.`,
			Bad: `-- gaad.json --
{
  "UserDetailList": [
    {
      "Path": "/",
      "UserName": "frank",
      "UserId": "AIDAEXAMPLEFRANK00001",
      "Arn": "arn:aws:iam::111122223333:user/frank",
      "CreateDate": "2019-03-02T09:15:33+00:00",
      "GroupList": [],
      "AttachedManagedPolicies": [
        {"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}
      ]
    }
  ]
}
-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
frank,arn:aws:iam::111122223333:user/frank,2019-03-02T09:15:33+00:00,true,2019-06-12T07:48:02+00:00,2019-03-02T09:20:11+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			Good: `-- gaad.json --
{
  "UserDetailList": [
    {
      "Path": "/",
      "UserName": "frank",
      "UserId": "AIDAEXAMPLEFRANK00001",
      "Arn": "arn:aws:iam::111122223333:user/frank",
      "CreateDate": "2019-03-02T09:15:33+00:00",
      "GroupList": [],
      "AttachedManagedPolicies": []
    }
  ]
}
-- credential-report.csv --
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111122223333:root,2019-03-02T08:41:19+00:00,not_supported,2019-04-06T10:02:51+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
frank,arn:aws:iam::111122223333:user/frank,2019-03-02T09:15:33+00:00,false,2019-06-12T07:48:02+00:00,2019-03-02T09:20:11+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ci,arn:aws:iam::111122223333:user/ci,2019-03-02T09:15:33+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
		},
		Check: func(p *rules.Pass) error {
			files := acctInputFiles(p.Input)
			for _, u := range p.Input.Model.Users {
				row := u.Credentials
				if row == nil || row.User == acctRootUser || row.MFAActive {
					continue
				}
				var creds []string
				if row.PasswordEnabled {
					creds = append(creds, "a console password")
				}
				for i, k := range row.AccessKeys {
					if k.Active {
						creds = append(creds, "an active "+acctKeyName(i))
					}
				}
				if len(creds) == 0 {
					continue // nothing to sign in with
				}
				adm := acctAdminOf(p, u, files)
				if adm == nil {
					continue
				}
				cond := ""
				if adm.maybe {
					cond = " under some conditions"
				}
				related := slices.Concat(acctUserRelated(u, row.Range), adm.related)
				p.ReportAt(u.Addr, adm.path, "mfa", row.Range, related,
					"user %s has %s without MFA and is admin-capable%s: %s",
					acctUserName(u), acctJoin(creds), cond, adm.how)
			}
			return nil
		},
	}
}

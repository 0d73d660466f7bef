package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func consoleUserWithAccessKeys() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM363",
			Slug:     "console-user-with-access-keys",
			Title:    "Console user also has an active access key",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A user with a console password is a person. An access key on a person's user is
a long-lived secret on a laptop, usually in ` + "`~/.aws/credentials`" + `, that works
without the MFA the console asks for. People should get short-lived
credentials instead: ` + "`aws sso login`" + ` with IAM Identity Center, or
` + "`aws sts get-session-token`" + ` with MFA. Machines that need keys should have
users of their own, without a password. CIS AWS Foundations (1.11) also asks
that no key be created when a console user is set up.

The rule reports a user with a console password and an active access key: from
the credential report (` + "`password_enabled`" + ` and ` + "`access_key_N_active`" + `) or,
for a user without a report row, from the inputs (a login profile and a key
whose status is not ` + "`Inactive`" + `: ` + "`aws_iam_user_login_profile`" + ` and
` + "`aws_iam_access_key`" + `, ` + "`LoginProfile`" + ` and ` + "`AWS::IAM::AccessKey`" + `). The root
user is IAM350's.

**Fix:** delete the key and have the person use IAM Identity Center (or
temporary credentials obtained with MFA); or, if the user is really a
machine, delete its console password.`,
			Bad: `-- main.tf --
resource "aws_iam_user" "heidi" {
  name = "heidi"
}

resource "aws_iam_user_login_profile" "heidi" {
  user = aws_iam_user.heidi.name
}

resource "aws_iam_access_key" "heidi" {
  user = aws_iam_user.heidi.name
}
`,
			Good: `-- main.tf --
resource "aws_iam_user" "heidi" {
  name = "heidi"
}

resource "aws_iam_user_login_profile" "heidi" {
  user = aws_iam_user.heidi.name
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, u := range p.Input.Model.Users {
				if row := u.Credentials; row != nil {
					if row.User == acctRootUser || !row.PasswordEnabled {
						continue
					}
					var keys []string
					for i, k := range row.AccessKeys {
						if k.Active {
							keys = append(keys, acctKeyName(i))
						}
					}
					if len(keys) > 0 {
						p.ReportAt(u.Addr, "", "keys", row.Range, acctUserRelated(u, row.Range),
							"user %s has a console password and an active %s; people should use temporary credentials",
							acctUserName(u), strings.Join(keys, " and "))
					}
					continue
				}
				if u.LoginProfile == nil {
					continue
				}
				for _, k := range u.AccessKeys {
					if !acctKnownActive(k) {
						continue
					}
					related := []rules.Related{{Range: u.LoginProfile.Range, Message: "the console password: " + u.LoginProfile.Addr}}
					p.ReportAt(k.Addr, "", "key", k.Range, related,
						"user %s has a console password (%s) and an active access key %s; people should use temporary credentials",
						acctUserName(u), u.LoginProfile.Addr, acctKeyLabel(k))
				}
			}
			return nil
		},
	}
}

// acctKeyLabel names a key of the model: its ID when known, else its
// address.
func acctKeyLabel(k *iam.AccessKey) string {
	if k.ID != "" && !k.IsUnknown("ID") {
		return k.ID
	}
	return k.Addr
}

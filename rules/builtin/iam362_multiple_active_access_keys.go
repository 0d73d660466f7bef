package builtin

import (
	"cmp"
	"slices"
	"strings"

	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func multipleActiveAccessKeys() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM362",
			Slug:     "multiple-active-access-keys",
			Title:    "User has two active access keys",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `IAM allows two access keys per user so that a key can be rotated without
downtime: create the new one, move its users, delete the old one. Two keys
that both stay active mean a rotation that was never finished, or one identity
shared by two systems, and twice the secrets to leak. CIS AWS Foundations
(1.13) asks for at most one active key per user.

The rule reads the credential report (` + "`access_key_1_active`" + ` and
` + "`access_key_2_active`" + ` both true) or, for a user without a report row, the
keys the inputs declare (two ` + "`aws_iam_access_key`" + ` resources, or
` + "`AWS::IAM::AccessKey`" + `, whose status is not ` + "`Inactive`" + `). A key whose
status Terraform cannot resolve is not counted. The root user's keys are
IAM350's.

**Fix:** finish the rotation: find which key is still in use
(` + "`access_key_N_last_used_date`" + `), move everything to one key and delete the
other; give a second system its own user or, better, a role.`,
			Bad: `-- main.tf --
resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_access_key" "old" {
  user = aws_iam_user.deploy.name
}

resource "aws_iam_access_key" "new" {
  user = aws_iam_user.deploy.name
}
`,
			Good: `-- main.tf --
resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_access_key" "old" {
  user   = aws_iam_user.deploy.name
  status = "Inactive"
}

resource "aws_iam_access_key" "new" {
  user = aws_iam_user.deploy.name
}
`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, u := range p.Input.Model.Users {
				if row := u.Credentials; row != nil {
					if row.User != acctRootUser && row.AccessKeys[0].Active && row.AccessKeys[1].Active {
						p.ReportAt(u.Addr, "", "keys", row.Range, acctUserRelated(u, row.Range),
							"user %s has two active access keys; finish the rotation and delete one", acctUserName(u))
					}
					continue
				}
				var active []*iam.AccessKey
				for _, k := range u.AccessKeys {
					if acctKnownActive(k) {
						active = append(active, k)
					}
				}
				if len(active) < 2 {
					continue
				}
				// Report at the key declared last, the others as related.
				slices.SortStableFunc(active, func(a, b *iam.AccessKey) int {
					return cmp.Or(strings.Compare(a.Range.Filename, b.Range.Filename), cmp.Compare(a.Range.Start.Byte, b.Range.Start.Byte))
				})
				var related []rules.Related
				for _, k := range active[:len(active)-1] {
					related = append(related, rules.Related{Range: k.Range, Message: "another active key: " + k.Addr})
				}
				last := active[len(active)-1]
				related = append(related, acctUserRelated(u, last.Range)...)
				p.ReportAt(last.Addr, "", "keys", last.Range, related,
					"user %s has %d active access keys (%s); finish the rotation and delete all but one", acctUserName(u), len(active), acctKeyAddrs(active))
			}
			return nil
		},
	}
}

// acctKeyAddrs lists keys by address.
func acctKeyAddrs(keys []*iam.AccessKey) string {
	addrs := make([]string, len(keys))
	for i, k := range keys {
		addrs[i] = k.Addr
	}
	return acctJoin(addrs)
}

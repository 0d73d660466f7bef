package builtin

import (
	"fmt"
	"slices"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func crossAccountTrustWithoutExternalID() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM203",
			Slug:     "cross-account-trust-without-external-id",
			Title:    "Cross-account trust without sts:ExternalId",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that trusts an account outside your own (or a user or role of
one) for ` + "`sts:AssumeRole`" + ` is usually a role for a third party: a vendor
that works in many customers' accounts. Without an ` + "`sts:ExternalId`" + `
condition the vendor is a *confused deputy*: another of its customers who
learns your role's ARN can ask the vendor to use it, and the vendor's
request succeeds. Requiring the external ID that the vendor assigns to
you makes such requests fail.

An account is outside when no input describes it: accounts of the
model (those of the loaded Terraform, CloudFormation and account dumps,
and of their principals) are never cross-account. List your other
accounts, such as the other accounts of your organization, in the
` + "`known_accounts`" + ` option; for Terraform, the aws provider's
` + "`allowed_account_ids`" + ` tells the loader the configuration's own account,
which a trust policy may also write as a literal ID. The rule also stays silent when the statement
requires MFA (a trust meant for people, for whom an external ID makes no
sense) or pins the caller's organization with ` + "`aws:PrincipalOrgID`" + ` or
` + "`aws:PrincipalOrgPaths`" + `, and for accounts written symbolically (a
Terraform variable) that it cannot compare.

Add ` + "`\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<id from the vendor>\"}}`" + `.
A condition with ` + "`IfExists`" + ` does not count: a request without an external
ID passes it.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "c2f9e0a4-7b1d-4e1a-9f4e-2a6d3c8b5e71"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
			},
			Options: []rules.Option{{
				Name:        "known_accounts",
				Type:        "[]string",
				Default:     "[]",
				Description: "Account IDs that are yours (or trusted) although no input describes them; trust to them needs no external ID.",
			}},
		},
		Check: func(p *rules.Pass) error {
			known := p.StringsOption("known_accounts")
			for _, tp := range trustPolicies(p) {
				for _, t := range tp.trustees {
					switch {
					case t.Kind != analyzer.TrustAccount && t.Kind != analyzer.TrustPrincipal,
						!t.External, !iam.IsAccountID(t.Account), trustSymbolic(t.Value),
						slices.Contains(known, t.Account),
						!trustAllows(t, "sts:AssumeRole"),
						trustRestricts(tp.doc.Policy.Doc, t, "sts:ExternalId", "sts:AssumeRole", false),
						trustMentionsMFA(t), trustOrgPinned(t):
						continue
					}
					who := trustPrincipalPhrase(t)
					if t.Kind == analyzer.TrustPrincipal {
						who = fmt.Sprintf("%s of account %s", who, t.Account)
					}
					p.Reportf(tp.doc, t.Range, "%s trusts %s, which no input describes, without an sts:ExternalId condition", tp.subject, who)
				}
			}
			return nil
		},
	}
}

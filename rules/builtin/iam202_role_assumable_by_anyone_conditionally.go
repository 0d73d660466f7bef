package builtin

import (
	"slices"
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func roleAssumableByAnyoneConditionally() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM202",
			Slug:     "role-assumable-by-anyone-conditionally",
			Title:    "Role assumable by any principal that meets conditions",
			Severity: rules.Medium,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role trust policy that admits every principal (` + "`\"*\"`" + `, ` + "`{\"AWS\": \"*\"}`" + `
or ` + "`NotPrincipal`" + ` in an ` + "`Allow`" + `) and relies on conditions to keep strangers
out is only as strong as those conditions. Conditions such as
` + "`sts:ExternalId`" + ` (a value the caller chooses and that is not a secret),
` + "`aws:SourceIp`" + `, ` + "`aws:RequestTag/...`" + ` or ` + "`aws:PrincipalTag/...`" + ` (tags that
anyone can set on principals of their own account) do not limit which
account the caller belongs to.

The rule stays silent when a condition pins the caller to concrete
organizations, accounts or ARNs: a matching operator (` + "`StringEquals`" + `,
` + "`StringLike`" + `, ` + "`ArnEquals`" + `, ` + "`ArnLike`" + `, without ` + "`IfExists`" + `, which a request
without the key would pass, and without ` + "`ForAllValues`" + `, which an absent key
passes too) on ` + "`aws:PrincipalOrgID`" + `, ` + "`aws:PrincipalOrgPaths`" + `,
` + "`aws:PrincipalAccount`" + `, ` + "`aws:PrincipalArn`" + `, ` + "`aws:SourceAccount`" + `,
` + "`aws:SourceArn`" + `, ` + "`aws:SourceOrgID`" + ` or ` + "`aws:SourceOrgPaths`" + `, whose values
name an organization, account or ARN of an account (` + "`arn:aws:iam::*:role/x`" + `
does not), or a ` + "`Deny`" + ` of the same policy whose only condition excludes
every other caller (` + "`StringNotEquals aws:PrincipalOrgID`" + `). The
` + "`aws:Source*`" + ` keys are only set when an AWS service calls on behalf of a
resource, so pinning them admits only that service traffic. A statement
that requires a claim of an identity provider (` + "`...:sub`" + `, ` + "`SAML:aud`" + `,
without ` + "`IfExists`" + ` and not only a wildcard) admits only that provider's
tokens, and is left to the federation rules (IAM204 to IAM208).

Replace ` + "`\"*\"`" + ` with the principals that need the role, or add one of the
conditions above. The finding points at the principal value and lists
the statement's conditions.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "partner-7f3a"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"}
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				for _, t := range tp.trustees {
					if t.Kind != analyzer.TrustAnyone || !trustAllows(t, "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity") {
						continue
					}
					if len(t.Statement.Condition.Clauses) == 0 || trustCallerPinned(tp.doc.Policy.Doc, t) || trustFederatedClaimPinned(t) {
						continue
					}
					how := ""
					if t.Statement.NotPrincipal != nil {
						how = ", through NotPrincipal,"
					}
					p.ReportRelatedf(tp.doc, t.Range, trustConditionRelated(t.Statement, "condition of the statement"),
						"%s can be assumed%s by any principal of any AWS account that meets its conditions (%s); none of them limits the caller's organization, account or ARN",
						tp.subject, how, trustConditionList(t.Statement))
				}
			}
			return nil
		},
	}
}

// trustFederatedClaimPinned reports whether a statement requires a claim
// of an identity provider: a matching clause (not IfExists) on a key
// outside aws:, sts: and iam: whose values are not bare wildcards. Only
// tokens of that provider carry the key, so no other caller passes it.
func trustFederatedClaimPinned(t analyzer.Trustee) bool {
	for _, c := range t.Statement.Condition.Clauses {
		i := strings.LastIndexByte(c.Key, ':')
		if i <= 0 || !trustMatching(c, false) {
			continue
		}
		switch strings.ToLower(c.Key[:i]) {
		case "aws", "sts", "iam":
			continue
		}
		like := trustLike(c.Operator)
		if !slices.ContainsFunc(c.Values, func(v iam.Value) bool { return !v.Unknown && like && trustOnlyWildcards(v.Text) }) {
			return true
		}
	}
	return false
}

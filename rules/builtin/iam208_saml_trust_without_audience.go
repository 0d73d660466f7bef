package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/rules"
)

func samlTrustWithoutAudience() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM208",
			Slug:     "saml-trust-without-audience",
			Title:    "SAML trust without a SAML:aud condition",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that trusts a SAML identity provider for ` + "`sts:AssumeRoleWithSAML`" + `
should check ` + "`SAML:aud`" + `, the endpoint the assertion was issued for (the
` + "`Recipient`" + ` of the assertion). The trust policy the IAM console writes for a
SAML role requires ` + "`https://signin.aws.amazon.com/saml`" + `; without the
condition, an assertion the identity provider issued to be presented
elsewhere is accepted as well.

Add ` + "`\"Condition\": {\"StringEquals\": {\"SAML:aud\": \"https://signin.aws.amazon.com/saml\"}}`" + `
(or the regional sign-in endpoint your identity provider posts to). A
value that is only a wildcard does not count.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp-idp"},
      "Action": "sts:AssumeRoleWithSAML"
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp-idp"},
      "Action": "sts:AssumeRoleWithSAML",
      "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				for _, t := range tp.trustees {
					if t.Kind != analyzer.TrustFederated || !trustAllows(t, "sts:AssumeRoleWithSAML") {
						continue
					}
					_, saml, ok := trustFederatedProvider(t)
					// A provider written as an unresolved reference is a
					// SAML provider when the statement only allows the
					// SAML action.
					saml = saml || (!ok && trustSymbolic(t.Value) && !trustAllows(t, "sts:AssumeRoleWithWebIdentity"))
					if !saml {
						continue
					}
					if trustRestricts(tp.doc.Policy.Doc, t, "SAML:aud", "sts:AssumeRoleWithSAML", true) {
						continue
					}
					p.Reportf(tp.doc, t.Range, "%s trusts the SAML provider %q without a SAML:aud condition", tp.subject, t.Value)
				}
			}
			return nil
		},
	}
}

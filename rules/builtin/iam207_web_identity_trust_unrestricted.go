package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

// trustWebIdentityClaims lists, for the web identity providers whose
// tokens many applications or tenants share, the claims whose condition
// keeps the others out (any one of them is enough), and what happens
// without it. Sources: IAM User Guide, "Available keys for AWS web
// identity federation" (aud for Amazon Cognito and Google, app_id for
// Facebook and Login with Amazon); Amazon EKS User Guide, "IAM roles for
// service accounts" (the trust names the service account in :sub); GitLab
// and HCP Terraform documentation on AWS OIDC (the audience is chosen by
// the job or workspace, the subject names the project or workspace).
// GitHub Actions has rules of its own (IAM204-IAM206).
var trustWebIdentityClaims = []struct {
	match  func(provider string) bool
	name   string
	claims []string
	// pinned tells a value that restricts; nil means any value that is
	// not a bare wildcard.
	pinned func(v iam.Value, like bool) bool
	why    string
}{
	{match: trustProviderIs("cognito-identity.amazonaws.com"), name: "Amazon Cognito", claims: []string{"aud"},
		why: "an identity pool of any AWS account can obtain credentials for it"},
	{match: trustProviderIs("accounts.google.com"), name: "Google", claims: []string{"aud", "oaud"},
		why: "a token Google issued to any OAuth client can assume it"},
	{match: trustProviderIs("graph.facebook.com"), name: "Facebook", claims: []string{"app_id"},
		why: "a user of any Facebook application can assume it"},
	{match: trustProviderIs("www.amazon.com"), name: "Login with Amazon", claims: []string{"app_id"},
		why: "a user of any Login with Amazon application can assume it"},
	{match: trustEKSProvider, name: "Amazon EKS", claims: []string{"sub"}, pinned: trustEKSSubject,
		why: "a pod running under any service account of the cluster can assume it"},
	{match: trustProviderIs("gitlab.com"), name: "GitLab", claims: []string{"sub"},
		why: "a CI job of any GitLab.com project can assume it"},
	{match: trustProviderIs("app.terraform.io"), name: "HCP Terraform", claims: []string{"sub"},
		why: "a run of any HCP Terraform organization can assume it"},
}

func trustProviderIs(name string) func(string) bool {
	return func(p string) bool { return strings.EqualFold(p, name) }
}

// trustEKSProvider reports whether a provider is an EKS cluster's OIDC
// issuer: oidc.eks.REGION.amazonaws.com/id/ID.
func trustEKSProvider(p string) bool {
	p = strings.ToLower(p)
	return strings.HasPrefix(p, "oidc.eks.") && (strings.Contains(p, ".amazonaws.com/id/") || strings.Contains(p, ".amazonaws.com.cn/id/"))
}

// trustEKSSubject tells a subject pattern that names a namespace:
// system:serviceaccount:NAMESPACE:NAME with no wildcard in NAMESPACE.
func trustEKSSubject(v iam.Value, like bool) bool {
	if v.Unknown || trustSymbolic(v.Text) || !like || !hasWildcard(v.Text) {
		return true
	}
	rest, ok := strings.CutPrefix(v.Text, "system:serviceaccount:")
	if !ok {
		return false
	}
	ns, _, hasName := strings.Cut(rest, ":")
	return hasName && ns != "" && !hasWildcard(ns)
}

func webIdentityTrustUnrestricted() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM207",
			Slug:     "web-identity-trust-unrestricted",
			Title:    "Web identity trust without an audience or subject",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that trusts a web identity (OIDC) provider for
` + "`sts:AssumeRoleWithWebIdentity`" + ` accepts every token that provider signs,
unless the trust policy checks the claims that name your application,
tenant or workload. Many providers sign tokens for everyone:

| provider | claim to check | without it |
| --- | --- | --- |
| ` + "`cognito-identity.amazonaws.com`" + ` | ` + "`aud`" + ` (identity pool ID) | any identity pool of any account |
| ` + "`accounts.google.com`" + ` | ` + "`aud`" + ` or ` + "`oaud`" + ` (OAuth client ID) | any Google OAuth client |
| ` + "`graph.facebook.com`" + `, ` + "`www.amazon.com`" + ` | ` + "`app_id`" + ` | any application |
| ` + "`oidc.eks.REGION.amazonaws.com/id/ID`" + ` | ` + "`sub`" + ` (` + "`system:serviceaccount:NAMESPACE:NAME`" + `) | any pod of the cluster |
| ` + "`gitlab.com`" + ` | ` + "`sub`" + ` (project path) | any GitLab.com project |
| ` + "`app.terraform.io`" + ` | ` + "`sub`" + ` (organization and workspace) | any HCP Terraform organization |
| any other OIDC provider | ` + "`aud`" + ` or ` + "`sub`" + ` (any claim) | every token the provider issues |

Add a ` + "`StringEquals`" + ` condition on the claim, for example
` + "`\"cognito-identity.amazonaws.com:aud\": \"us-east-1:<identity pool ID>\"`" + ` or
` + "`\"oidc.eks.us-east-1.amazonaws.com/id/<ID>:sub\": \"system:serviceaccount:app:web\"`" + `.
A value that is only a wildcard does not count, nor, for EKS, a subject
pattern with a wildcard namespace. GitHub Actions is covered by IAM204 to
IAM206 and SAML providers by IAM208. A provider written as a reference
the loader cannot resolve is read from the statement's condition keys
when they name one provider; otherwise the rule stays silent.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "cognito-identity.amazonaws.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "cognito-identity.amazonaws.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-4ef0-9876-0123456789ab"},
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
				"https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
			},
		},
		Check: func(p *rules.Pass) error {
			for _, tp := range trustPolicies(p) {
				for _, t := range tp.trustees {
					if t.Kind != analyzer.TrustFederated || !trustAllows(t, "sts:AssumeRoleWithWebIdentity") {
						continue
					}
					provider, saml, ok := trustFederatedProvider(t)
					if !ok || saml || trustGitHubProvider(provider) || trustForeignClaim(t, provider) {
						continue
					}
					doc := tp.doc.Policy.Doc
					known := false
					for _, w := range trustWebIdentityClaims {
						if !w.match(provider) {
							continue
						}
						known = true
						pinned := w.pinned
						if pinned == nil {
							pinned = func(v iam.Value, like bool) bool { return v.Unknown || !like || !trustOnlyWildcards(v.Text) }
						}
						restricted := false
						var keys []string
						for _, claim := range w.claims {
							key := provider + ":" + claim
							keys = append(keys, key)
							restricted = restricted || trustRestrictsWith(doc, t, key, "sts:AssumeRoleWithWebIdentity", true, pinned)
						}
						if !restricted {
							p.Reportf(tp.doc, t.Range, "%s trusts %s tokens (%s) without a condition that pins %s; %s",
								tp.subject, w.name, provider, orList(keys), w.why)
						}
					}
					if known || trustAnyClaimRestricted(doc, t, provider) {
						continue
					}
					p.Reportf(tp.doc, t.Range, "%s trusts every token of the OIDC provider %s: no condition pins %s:aud, %s:sub or another claim",
						tp.subject, provider, provider, provider)
				}
			}
			return nil
		},
	}
}

// trustAnyClaimRestricted reports whether some condition of the
// trustee's statement (or a Deny) restricts a claim of the provider.
func trustAnyClaimRestricted(doc *iam.Document, t analyzer.Trustee, provider string) bool {
	seen := map[string]bool{}
	var keys []string
	for _, s := range doc.Statements {
		for _, c := range s.Condition.Clauses {
			k := strings.ToLower(c.Key)
			if strings.HasPrefix(k, strings.ToLower(provider)+":") && !seen[k] {
				seen[k] = true
				keys = append(keys, c.Key)
			}
		}
	}
	for _, k := range keys {
		if trustRestricts(doc, t, k, "sts:AssumeRoleWithWebIdentity", true) {
			return true
		}
	}
	return false
}

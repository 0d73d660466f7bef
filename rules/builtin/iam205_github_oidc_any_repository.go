package builtin

import (
	"strings"

	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func githubOIDCAnyRepository() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM205",
			Slug:     "github-oidc-any-repository",
			Title:    "GitHub Actions trust open to every repository of an owner",
			Severity: rules.High,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that trusts GitHub Actions tokens with a subject pattern such as
` + "`repo:my-org/*`" + ` or ` + "`repo:my-org/app-*:ref:refs/heads/main`" + ` can be assumed
by workflows of every matching repository of the organization: a new
repository, a fork inside the organization, or a repository of a team
that should not deploy. Anyone who can create a repository or push a
workflow in the organization gets the role's permissions.

Name the repository (and its branch or environment) in
` + "`token.actions.githubusercontent.com:sub`" + `:
` + "`repo:my-org/app:environment:production`" + `. Subject patterns that match any
owner are IAM204; patterns that pin the repository but not the branch are
IAM206.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/*"}
      }
    }
  ]
}`,
			Good: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:my-org/app:environment:production"
        }
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
				"https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect",
			},
		},
		Check: func(p *rules.Pass) error {
			trustGitHubTrustees(p, func(tp trustPolicy, t analyzer.Trustee, provider string, scope trustGitHubScope, v *iam.Value) {
				if scope != trustGitHubAnyRepo || v == nil {
					return
				}
				owner, _, _ := strings.Cut(strings.TrimPrefix(v.Text, "repo:"), "/")
				p.ReportRelatedf(tp.doc, t.Range, trustValueRelated(v, "the subject pattern"),
					"%s trusts GitHub Actions tokens (%s) of every repository of %s that matches %s:sub %q; name one repository",
					tp.subject, provider, owner, provider, v.Text)
			})
			return nil
		},
	}
}

package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func githubOIDCAnyRef() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM206",
			Slug:     "github-oidc-any-ref",
			Title:    "GitHub Actions trust open to any branch of a repository",
			Severity: rules.Low,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `A role that trusts GitHub Actions tokens of one repository with a subject
pattern such as ` + "`repo:my-org/app:*`" + `, ` + "`repo:my-org/app:ref:refs/heads/*`" + ` or
` + "`repo:my-org/app:environment:*`" + ` can be assumed by a workflow run from any
branch, tag, pull request or environment of the repository. Anyone who
can push a branch can change the workflow and use the role, bypassing
branch protection and environment reviewers.

Pin the branch or, better, a protected environment:
` + "`repo:my-org/app:environment:production`" + ` or
` + "`repo:my-org/app:ref:refs/heads/main`" + `. Patterns over tags
(` + "`ref:refs/tags/v*`" + `) and other partial patterns are not reported.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/app:*"}
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
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/app:ref:refs/tags/v*"}
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
				if scope != trustGitHubAnyRef || v == nil {
					return
				}
				p.ReportRelatedf(tp.doc, t.Range, trustValueRelated(v, "the subject pattern"),
					"%s trusts GitHub Actions tokens (%s) from any branch, tag, pull request or environment that matches %s:sub %q; pin a branch or environment",
					tp.subject, provider, provider, v.Text)
			})
			return nil
		},
	}
}

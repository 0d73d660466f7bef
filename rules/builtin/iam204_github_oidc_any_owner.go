package builtin

import (
	"github.com/iamlint/iamlint/analyzer"
	"github.com/iamlint/iamlint/iam"
	"github.com/iamlint/iamlint/rules"
)

func githubOIDCAnyOwner() *rules.Rule {
	return &rules.Rule{
		Meta: rules.Meta{
			ID:       "IAM204",
			Slug:     "github-oidc-any-owner",
			Title:    "GitHub Actions trust not limited to your repositories",
			Severity: rules.Critical,
			Default:  true,
			Since:    "v0.1.0",
			Rationale: `Every GitHub Actions workflow, in any repository of any GitHub user or
organization, can obtain an OIDC token from
` + "`token.actions.githubusercontent.com`" + `, and the token's audience
(` + "`sts.amazonaws.com`" + `) is the same for all of them. A role that trusts this
provider without a condition on ` + "`token.actions.githubusercontent.com:sub`" + `
(the subject: ` + "`repo:OWNER/REPO:ref:refs/heads/BRANCH`" + `,
` + "`repo:OWNER/REPO:environment:NAME`" + `, ...) can therefore be assumed by a
workflow that anyone writes in their own repository. A ` + "`StringLike`" + ` pattern
whose owner part is a wildcard (` + "`\"*\"`" + `, ` + "`\"repo:*\"`" + `, ` + "`\"repo:*/app:*\"`" + `) is the same.

Add a condition that names your repository and branch or environment:
` + "`\"StringEquals\": {\"token.actions.githubusercontent.com:sub\": \"repo:my-org/app:ref:refs/heads/main\"}`" + `,
and keep the ` + "`:aud`" + ` condition.

The rule also reads the per-enterprise issuers
(` + "`token.actions.githubusercontent.com/<enterprise>`" + `), and a provider written
as a reference it cannot resolve when the statement's condition keys name
the provider. Customized subject claims that do not start with ` + "`repo:`" + `
are only reported when they start with a wildcard. Conditions on the
` + "`repository`" + `, ` + "`repository_id`" + ` or ` + "`job_workflow_ref`" + ` claims with a concrete value
count as a restriction. Wider but owner-bound patterns are IAM205 and
IAM206.`,
			Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
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
          "token.actions.githubusercontent.com:sub": "repo:my-org/app:ref:refs/heads/main"
        }
      }
    }
  ]
}`,
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
				"https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
			},
		},
		Check: func(p *rules.Pass) error {
			trustGitHubTrustees(p, func(tp trustPolicy, t analyzer.Trustee, provider string, scope trustGitHubScope, v *iam.Value) {
				if scope != trustGitHubAnyOwner {
					return
				}
				if v == nil {
					p.Reportf(tp.doc, t.Range, "%s trusts GitHub Actions tokens (%s) without a condition on %s:sub, so a workflow in any GitHub repository can assume it",
						tp.subject, provider, provider)
					return
				}
				p.ReportRelatedf(tp.doc, t.Range, trustValueRelated(v, "the subject pattern"),
					"%s trusts GitHub Actions tokens (%s) whose %s:sub matches %q, so a workflow in a repository of any owner can assume it",
					tp.subject, provider, provider, v.Text)
			})
			return nil
		},
	}
}

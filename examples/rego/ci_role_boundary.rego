# METADATA
# title: Role assumable from GitHub Actions has no boundary
# description: |
#   Every role a GitHub Actions workflow can assume (its trust policy admits
#   the GitHub OIDC provider, token.actions.githubusercontent.com) must have
#   a permissions boundary. CI credentials live in build logs, caches and
#   third-party actions; the boundary caps what they can ever do, whatever
#   policies the pipeline attaches to its role later.
#
#   Fix it with permissions_boundary on the role (Terraform),
#   PermissionsBoundary (CloudFormation), or
#   `aws iam put-role-permissions-boundary`.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
#   - ref: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
# custom:
#   id: IAM902
#   severity: high
package iamlint.rules.ci_role_boundary

github_oidc := "token.actions.githubusercontent.com"

findings contains finding if {
	some role in input.principals
	role.kind == "role"
	role.boundary == null

	# The trust statements that admit GitHub's OIDC provider.
	ci := [t | some t in role.trust.trustees; t.kind == "federated"; t.provider == github_oidc]
	count(ci) > 0

	finding := {
		"msg": sprintf("role %s can be assumed by GitHub Actions (%s) and has no permissions boundary", [role.name, subjects(ci)]),
		"node": role.id,
		"related": [{"node": t.statement, "msg": "GitHub Actions is trusted here"} | some t in ci],
	}
}

# subjects names the workflows a role trusts: the values of the
# token.actions.githubusercontent.com:sub conditions, or "any workflow".
subjects(trustees) := concat(", ", subs) if {
	subs := {v |
		some t in trustees
		some c in t.conditions
		lower(c.key) == "token.actions.githubusercontent.com:sub"
		some v in c.values
	}
	count(subs) > 0
} else := "any workflow"

# METADATA
# title: Role outside the platform team holds iam:*
# description: |
#   Only the platform team's roles may hold every IAM action. Any other role
#   that can perform all of iam:* (through AdministratorAccess, IAMFullAccess,
#   "Action": "*" or "iam:*" in its own policies) can rewrite its own
#   permissions and everyone else's.
#
#   A role belongs to the platform team when it is tagged team = "platform".
#   Fix it by giving the role the IAM actions it needs on the resources it
#   needs them, or by moving the work to a platform role.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
# custom:
#   id: IAM901
#   severity: high
package iamlint.rules.iam_star_outside_platform

# The tag that says which team owns a role, and the team allowed iam:*.
team_tag := "team"

platform_team := "platform"

findings contains finding if {
	# The analyzer decides, for every principal at once: identity
	# policies, boundary, SCPs and denies.
	some id, holds in iamlint.holders("iam:*")
	role := input.principals[id]
	role.kind == "role"
	object.get(role.tags, team_tag, "") != platform_team

	finding := {
		"msg": sprintf("role %s %s every IAM action (iam:*) but is not tagged %s = %q", [role.name, verb[holds], team_tag, platform_team]),
		"node": role.id,
		"related": [hop |
			some ref in role.policies
			grants_iam(ref)
			some hop in ref.via
		],
	}
}

verb := {"yes": "holds", "conditional": "may hold, under conditions,"}

# grants_iam holds for a policy whose Allow statements name IAM actions.
grants_iam(ref) if {
	some s in input.documents[ref.document].statements
	s.effect == "Allow"
	some action in s.actions
	iam_pattern(action)
}

iam_pattern(action) if action == "*"

iam_pattern(action) if startswith(lower(action), "iam:")

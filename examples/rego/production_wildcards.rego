# METADATA
# title: Production role policy uses a wildcard
# description: |
#   The policies of production roles must name their actions and resources:
#   no wildcard in an Action ("s3:*", "ec2:Describe*", "*"), and no
#   Resource "*" for actions that can be scoped to resources, unless a
#   Condition scopes the statement. A wildcard grants whatever AWS adds to
#   the service tomorrow, and every resource of the account today.
#
#   A role is a production role when it is tagged environment = "production"
#   or belongs to one of the production accounts below. Customer policies are
#   reported at the wildcard; AWS managed policies, which are full of
#   wildcards, at their attachment.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
# custom:
#   id: IAM904
#   severity: medium
package iamlint.rules.production_wildcards

production_accounts := {"777788889999"}

production(role) if role.tags.environment == "production"

production(role) if role.account in production_accounts

production_roles contains role if {
	some role in input.principals
	role.kind == "role"
	production(role)
}

# A wildcard in an action of a customer policy.
findings contains finding if {
	some role in production_roles
	some ref in role.policies
	not ref.aws_managed
	some s in input.documents[ref.document].statements
	s.effect == "Allow"
	some i, action in s.actions
	contains(action, "*")
	finding := {
		"msg": sprintf("production role %s is granted %q: name the actions", [role.name, action]),
		"node": s.id,
		"element": sprintf("Action[%d]", [i]),
		"related": [role.id],
	}
}

# Resource "*" for actions that accept resource ARNs, without a condition.
findings contains finding if {
	some role in production_roles
	some ref in role.policies
	not ref.aws_managed
	some s in input.documents[ref.document].statements
	s.effect == "Allow"
	count(s.conditions) == 0
	some i, resource in s.resources
	resource == "*"
	scopable := [a | some a in s.actions; count(iamlint.resource_types(a)) > 0]
	count(scopable) > 0
	finding := {
		"msg": sprintf("production role %s is granted %s on every resource: name the resources", [role.name, concat(", ", sort(scopable))]),
		"node": s.id,
		"element": sprintf("Resource[%d]", [i]),
		"related": [role.id],
	}
}

# An AWS managed policy with wildcards, at the attachment.
findings contains finding if {
	some role in production_roles
	some ref in role.policies
	ref.aws_managed
	some s in input.documents[ref.document].statements
	s.effect == "Allow"
	some action in s.actions
	contains(action, "*")
	some i, hop in ref.via
	hop == ref.policy
	finding := {
		"msg": sprintf("production role %s has the AWS managed policy %s, which grants wildcards such as %q", [role.name, ref.name, first_wildcard(input.documents[ref.document])]),
		"node": ref.via[i - 1],
		"key": ref.name,
		"related": [role.id],
	}
}

first_wildcard(doc) := min({action |
	some s in doc.statements
	s.effect == "Allow"
	some action in s.actions
	contains(action, "*")
})

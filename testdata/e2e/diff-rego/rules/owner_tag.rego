# METADATA
# title: Role without an owner tag
# description: Every role carries an owner tag, so that someone answers for it.
# related_resources:
#   - ref: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
# custom:
#   id: IAM951
#   severity: high
package iamlint.rules.untagged_role

findings contains {"msg": sprintf("role %s has no owner tag", [role.name]), "node": role.id} if {
	some role in input.principals
	role.kind == "role"
	not role.tags.owner
}

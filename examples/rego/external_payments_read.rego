# METADATA
# title: Principal reachable from another account reads payments
# description: |
#   No principal that someone in another AWS account can reach may read the
#   payments bucket. A role is reachable from another account when its trust
#   policy admits that account (or one of its principals, or anyone), and so
#   is every role such a role can assume in turn. iamlint decides whether
#   each of them may call s3:GetObject on the bucket's objects with the
#   same evaluation AWS uses: identity policies, permissions boundary, SCPs
#   and denies.
#
#   Fix it by denying the bucket to the role (or scoping its read access),
#   or by not trusting the other account.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html
# custom:
#   id: IAM903
#   severity: critical
package iamlint.rules.external_payments_read

# The bucket, and the objects a read is tried on.
payments_bucket := "examplecorp-payments"

payments_objects := sprintf("arn:aws:s3:::%s/*", [payments_bucket])

# exposed are the roles whose trust policy admits another account (or
# anyone).
exposed contains role.id if {
	some role in input.principals
	some t in role.trust.trustees
	t.external
}

# reached maps each role reachable from another account to the exposed
# role it is reached through: itself, or the nearest one that can assume
# it, directly or through other roles.
reached := object.union(
	iamlint.reachable_roles(exposed),
	{id: id | some id in exposed},
)

findings contains finding if {
	some id, entry in reached
	answer := iamlint.allows(id, "s3:GetObject", payments_objects)
	answer != "no"
	role := input.principals[id]
	t := [t | some t in input.principals[entry].trust.trustees; t.external][0]
	finding := {
		"msg": sprintf("role %s %s the payments bucket %s and is reachable from %s%s", [role.name, reads[answer], payments_bucket, who(t), path(id, entry)]),
		"node": id,
		"related": [{"node": t.statement, "msg": sprintf("%s is trusted here%s", [who(t), guard(t)])}],
	}
}

reads := {"yes": "can read", "conditional": "can read, in some requests,"}

who(t) := sprintf("account %s", [t.account]) if t.account != ""

else := "anyone"

path(id, entry) := "" if id == entry

else := sprintf(" through role %s", [input.principals[entry].name])

guard(t) := " (with an external ID)" if t.external_id

else := " (with MFA)" if t.mfa

else := ""

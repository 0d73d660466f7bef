# METADATA
# title: Broken
# description: Does not parse.
# custom:
#   id: IAM962
#   severity: low
package iamlint.rules.broken

findings contains f if {
	some role in input.principals
	f := {"msg": role.name "node": role.id}
}

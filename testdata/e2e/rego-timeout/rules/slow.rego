# METADATA
# title: Counts forever
# description: A rule whose comprehension takes minutes.
# custom:
#   id: IAM971
#   severity: low
package iamlint.rules.slow

findings contains f if {
	n := count([x | some x in numbers.range(1, 1000000000); x % 7 == 3])
	some role in input.principals
	f := {"msg": sprintf("%d", [n]), "node": role.id}
}

# METADATA
# title: Role sessions last longer than four hours
# description: Long sessions outlive the people who started them.
# custom:
#   id: IAM952
#   severity: medium
package iamlint.rules.long_sessions

findings contains {"msg": sprintf("role %s allows %d-hour sessions", [role.name, role.max_session_duration / 3600]), "node": role.id} if {
	some role in input.principals
	role.max_session_duration > 14400
}

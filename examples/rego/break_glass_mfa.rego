# METADATA
# title: Break-glass role can be assumed without MFA
# description: |
#   Break-glass roles are the emergency administrators: every statement of
#   their trust policy that admits a person must require MFA
#   (aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge), and so must every
#   way iamlint finds for a user of the inputs to assume them.
#
#   A role is a break-glass role when its name contains "break-glass" or
#   "breakglass", or it is tagged purpose = "break-glass".
#
#   Fix it with a condition in the trust statement:
#   "Bool": {"aws:MultiFactorAuthPresent": "true"}.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
# custom:
#   id: IAM905
#   severity: critical
package iamlint.rules.break_glass_mfa

break_glass(role) if regex.match(`(?i)break-?glass`, role.name)

break_glass(role) if role.tags.purpose == "break-glass"

# A trust statement that admits people (an account, a user or role, anyone)
# without MFA.
findings contains finding if {
	some role in input.principals
	role.kind == "role"
	break_glass(role)
	some t in role.trust.trustees
	t.kind in {"account", "principal", "anyone"}
	"sts:AssumeRole" in t.actions
	not t.mfa
	finding := {
		"msg": sprintf("break-glass role %s trusts %s without requiring MFA", [role.name, t.value]),
		"node": t.statement,
		"related": [role.id],
	}
}

# A user of the inputs that can assume it without MFA (the analyzer's
# decision, with the caller's policies), when the trust statements alone
# did not show it.
findings contains finding if {
	some role in input.principals
	role.kind == "role"
	break_glass(role)
	every t in role.trust.trustees {
		t.mfa
	}
	some a in iamlint.assumers(role.id)
	not a.mfa
	input.principals[a.from].kind == "user"
	finding := {
		"msg": sprintf("user %s can assume the break-glass role %s without MFA", [input.principals[a.from].name, role.name]),
		"node": role.id,
		"related": [a.from],
	}
}

package iamlint.rules.break_glass_mfa_test

import data.iamlint.rules.break_glass_mfa as rule

findings := fs if {
	fs := rule.findings with input as data.fixtures.break_glass
}

test_reports_trust_without_mfa if {
	{f.node | some f in findings} == {"aws_iam_role.break_glass#trust#Statement[0]", "aws_iam_role.emergency#trust#Statement[0]"}
}

test_break_glass_by_tag if {
	some f in findings
	contains(f.msg, "break-glass role emergency trusts arn:aws:iam::111122223333:user/oncall")
}

test_mfa_and_other_roles_pass if {
	every f in findings {
		not contains(f.msg, "BreakGlass-ReadOnly")
		not contains(f.msg, "role deploy")
	}
}

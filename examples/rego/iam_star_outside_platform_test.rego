package iamlint.rules.iam_star_outside_platform_test

import data.iamlint.rules.iam_star_outside_platform as rule

findings := fs if {
	fs := rule.findings with input as data.fixtures.platform
}

test_reports_the_roles_outside_platform_that_hold_iam if {
	{f.node | some f in findings} == {"aws_iam_role.data_pipeline", "aws_iam_role.support"}
}

test_says_when_only_under_conditions if {
	some f in findings
	f.node == "aws_iam_role.support"
	contains(f.msg, "may hold, under conditions,")
}

test_relates_the_granting_policy if {
	some f in findings
	f.node == "aws_iam_role.data_pipeline"
	"aws_iam_role_policy.data_pipeline" in f.related
}

test_platform_team_read_only_and_denied_roles_pass if {
	every f in findings {
		not f.node in {"aws_iam_role.platform_admin", "aws_iam_role.auditor", "aws_iam_role.app_admin"}
	}
}

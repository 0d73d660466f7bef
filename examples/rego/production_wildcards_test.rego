package iamlint.rules.production_wildcards_test

import data.iamlint.rules.production_wildcards as rule

findings := fs if {
	fs := rule.findings with input as data.fixtures.production
}

test_reports_action_and_resource_wildcards if {
	{[f.node, f.element] | some f in findings; f.element} == {
		["aws_iam_role_policy.api#Statement[0]", "Action[0]"],
		["aws_iam_role_policy.api#Statement[1]", "Resource[0]"],
	}
}

test_reports_aws_managed_policies_at_the_attachment if {
	some f in findings
	f.node == "aws_iam_role_policy_attachment.metrics"
	contains(f.msg, "CloudWatchReadOnlyAccess")
}

test_only_production_roles if {
	every f in findings {
		not contains(f.msg, "api-staging")
	}
}

test_describe_and_conditioned_statements_pass if {
	every f in findings {
		not f.node in {"aws_iam_role_policy.api#Statement[2]", "aws_iam_role_policy.api#Statement[3]"}
	}
}

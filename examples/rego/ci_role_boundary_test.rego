package iamlint.rules.ci_role_boundary_test

import data.iamlint.rules.ci_role_boundary as rule

findings := fs if {
	fs := rule.findings with input as data.fixtures.ci_roles
}

test_reports_github_roles_without_boundary if {
	{f.node | some f in findings} == {"aws_iam_role.release", "aws_iam_role.preview"}
}

test_names_the_trusted_workflows if {
	some f in findings
	f.node == "aws_iam_role.release"
	contains(f.msg, "repo:acme/app:ref:refs/heads/main")
	f.related == [{"node": "aws_iam_role.release#trust#Statement[0]", "msg": "GitHub Actions is trusted here"}]
}

test_any_workflow_when_sub_is_not_checked if {
	some f in findings
	f.node == "aws_iam_role.preview"
	contains(f.msg, "(any workflow)")
}

# A hand-written input: no fixture needed when the rule asks no built-in.
test_a_role_with_a_boundary_passes if {
	count(rule.findings) == 0 with input as {"principals": {"r": {
		"id": "r", "kind": "role", "name": "r",
		"boundary": {"document": "b", "policy": "b", "name": "b", "kind": "managed", "aws_managed": false, "via": [], "unresolved": ""},
		"trust": {"document": "t", "trustees": [{"kind": "federated", "provider": "token.actions.githubusercontent.com", "conditions": [], "statement": "t#Statement[0]"}]},
	}}}
}

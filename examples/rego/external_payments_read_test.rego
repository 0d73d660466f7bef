package iamlint.rules.external_payments_read_test

import data.iamlint.rules.external_payments_read as rule

findings := fs if {
	fs := rule.findings with input as data.fixtures.payments
}

test_reports_direct_and_chained_readers if {
	{f.node | some f in findings} == {"aws_iam_role.vendor_reconcile", "aws_iam_role.reports"}
}

test_names_the_chain if {
	some f in findings
	f.node == "aws_iam_role.reports"
	contains(f.msg, "reachable from account 555566667777 through role partner-entry")
}

test_names_the_external_id if {
	some f in findings
	f.node == "aws_iam_role.vendor_reconcile"
	some r in f.related
	r.node == "aws_iam_role.vendor_reconcile#trust#Statement[0]"
	contains(r.msg, "with an external ID")
}

test_deny_and_internal_roles_pass if {
	every f in findings {
		not f.node in {"aws_iam_role.auditor", "aws_iam_role.payments_service", "aws_iam_role.partner_entry"}
	}
}

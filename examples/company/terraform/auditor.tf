# The external auditors read the account's configuration from their own
# account, 444455556666, with an external ID they were given out of band.

data "aws_iam_policy_document" "auditor_trust" {
  statement {
    sid     = "AuditingFirm"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.auditor_account_id}:root"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.auditor_external_id]
    }
  }
}

resource "aws_iam_role" "auditor" {
  count = var.enable_auditor ? 1 : 0

  name                 = "auditor"
  description          = "Read-only access for the external auditors."
  assume_role_policy   = data.aws_iam_policy_document.auditor_trust.json
  max_session_duration = 14400
}

resource "aws_iam_role_policy_attachment" "auditor" {
  for_each = var.enable_auditor ? toset(["SecurityAudit", "ReadOnlyAccess"]) : toset([])

  role       = aws_iam_role.auditor[0].name
  policy_arn = "arn:aws:iam::aws:policy/${each.key}"
}

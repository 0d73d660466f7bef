# A principal that is an administrator only under a condition (MFA) is
# reported as such; it still escalates when it can make itself one in
# every request.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "mfa_admin" {
  name = "mfa-admin"
  # want is-admin conditional
}

resource "aws_iam_user_policy" "mfa_admin" {
  user = aws_iam_user.mfa_admin.name
  name = "admin-with-mfa"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } } }]
  })
}

resource "aws_iam_user" "mfa_admin_attacher" {
  name = "mfa-admin-attacher"
  # want is-admin conditional
  # want escalation admin=yes: iam-attach-user-policy (yes) → aws_iam_user.mfa_admin_attacher
}

resource "aws_iam_user_policy" "mfa_admin_attacher" {
  user = aws_iam_user.mfa_admin_attacher.name
  name = "admin-with-mfa-and-attach"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "*", Resource = "*", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } } },
      { Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = aws_iam_user.mfa_admin_attacher.arn },
    ]
  })
}

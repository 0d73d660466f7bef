# A deny with a condition blocks only the requests that meet it: here,
# sessions without MFA. With MFA the escalation works, so it is
# conditional.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=conditional: iam-attach-user-policy (conditional) → aws_iam_user.attacker
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attach-with-mfa"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = aws_iam_user.attacker.arn },
      {
        Effect    = "Deny"
        Action    = "iam:*"
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}

# Near miss: the deny's condition holds in every request of this user,
# whose tags the analyzer knows.
resource "aws_iam_user" "contractor" {
  name = "contractor"
  tags = { kind = "contractor" }
}

resource "aws_iam_user_policy" "contractor" {
  user = aws_iam_user.contractor.name
  name = "attach-unless-contractor"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = aws_iam_user.contractor.arn },
      {
        Effect    = "Deny"
        Action    = "iam:*"
        Resource  = "*"
        Condition = { StringEquals = { "aws:PrincipalTag/kind" = "contractor" } }
      },
    ]
  })
}

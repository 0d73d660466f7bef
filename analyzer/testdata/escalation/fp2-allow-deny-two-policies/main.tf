# iam-vulnerable tool-testing fp2: one policy allows the escalating
# actions, another denies them (and the user cannot remove it).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_policy" "allow" {
  name = "fp2-allow"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:CreatePolicyVersion", "iam:AttachUserPolicy", "iam:PutUserPolicy"], Resource = "*" }]
  })
}

resource "aws_iam_policy" "deny" {
  name = "fp2-deny"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = ["iam:CreatePolicyVersion", "iam:Attach*", "iam:Put*"], Resource = "*" }]
  })
}

resource "aws_iam_user" "fp2" {
  name = "fp2"
}

resource "aws_iam_user_policy_attachment" "allow" {
  user       = aws_iam_user.fp2.name
  policy_arn = aws_iam_policy.allow.arn
}

resource "aws_iam_user_policy_attachment" "deny" {
  user       = aws_iam_user.fp2.name
  policy_arn = aws_iam_policy.deny.arn
}

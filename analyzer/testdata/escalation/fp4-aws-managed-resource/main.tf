# iam-vulnerable tool-testing fp4: iam:CreatePolicyVersion restricted to
# AWS managed policy ARNs, which no customer can change.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_policy" "fp4" {
  name = "fp4-nonExploitableResourceConstraint"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::aws:policy/*" }]
  })
}

resource "aws_iam_user" "fp4" {
  name = "fp4"
}

resource "aws_iam_user_policy_attachment" "fp4" {
  user       = aws_iam_user.fp4.name
  policy_arn = aws_iam_policy.fp4.arn
}

resource "aws_iam_user_policy_attachment" "fp4_read_only" {
  user       = aws_iam_user.fp4.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

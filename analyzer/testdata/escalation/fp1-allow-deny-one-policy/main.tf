# iam-vulnerable tool-testing fp1: the same policy allows the escalating
# actions and denies them.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy" "fp1" {
  name = "fp1-allowAndDeny"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction", "iam:CreatePolicyVersion"], Resource = "*" },
      { Effect = "Deny", Action = ["iam:PassRole", "iam:CreatePolicyVersion"], Resource = "*" },
    ]
  })
}

resource "aws_iam_user" "fp1" {
  name = "fp1"
}

resource "aws_iam_user_policy_attachment" "fp1" {
  user       = aws_iam_user.fp1.name
  policy_arn = aws_iam_policy.fp1.arn
}

# iam-vulnerable tool-testing fn1: iam:PassRole and ec2:RunInstances come
# from two managed policies; together they are privesc3.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "admin" {
  name = "admin"
  role = aws_iam_role.admin.name
}

resource "aws_iam_policy" "fn1_pass" {
  name = "fn1-partial-1"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
  })
}

resource "aws_iam_policy" "fn1_run" {
  name = "fn1-partial-2"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" }]
  })
}

resource "aws_iam_user" "fn1" {
  name = "fn1"
  # want escalation admin=yes: iam-passrole-ec2 (yes) → aws_iam_role.admin via aws_iam_instance_profile.admin
}

resource "aws_iam_user_policy_attachment" "fn1_pass" {
  user       = aws_iam_user.fn1.name
  policy_arn = aws_iam_policy.fn1_pass.arn
}

resource "aws_iam_user_policy_attachment" "fn1_run" {
  user       = aws_iam_user.fn1.name
  policy_arn = aws_iam_policy.fn1_run.arn
}

# Near miss: only the first half.
resource "aws_iam_user" "half" {
  name = "half"
}

resource "aws_iam_user_policy_attachment" "half" {
  user       = aws_iam_user.half.name
  policy_arn = aws_iam_policy.fn1_pass.arn
}

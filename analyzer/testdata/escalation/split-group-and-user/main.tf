# The permissions of privesc15 split between a group and the user: the
# group lets its members pass roles to Lambda, the user's own policy lets
# it create and invoke functions.

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

resource "aws_iam_group" "pass_to_lambda" {
  name = "pass-to-lambda"
}

resource "aws_iam_group_policy" "pass_to_lambda" {
  group = aws_iam_group.pass_to_lambda.name
  name  = "pass"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:PassRole"
      Resource  = "*"
      Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
    }]
  })
}

resource "aws_iam_group_membership" "pass_to_lambda" {
  name  = "pass-to-lambda"
  group = aws_iam_group.pass_to_lambda.name
  users = [aws_iam_user.dev.name, aws_iam_user.member_only.name]
}

resource "aws_iam_user" "dev" {
  name = "dev"
  # want escalation admin=yes: iam-passrole-lambda (yes) → aws_iam_role.admin
}

resource "aws_iam_user_policy" "dev" {
  user = aws_iam_user.dev.name
  name = "functions"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" }]
  })
}

# Near miss: in the group, but cannot create functions.
resource "aws_iam_user" "member_only" {
  name = "member-only"
}

# Near miss: may create functions, but is not in the group.
resource "aws_iam_user" "outsider" {
  name = "outsider"
}

resource "aws_iam_user_policy" "outsider" {
  user = aws_iam_user.outsider.name
  name = "functions"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" }]
  })
}

# Three hops: the user assumes builder; builder passes the runner role to
# a function of its own; runner may update the code of a function that
# runs as the admin role.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "eve" {
  name = "eve"
  # want assumes aws_iam_role.builder (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.builder; iam-passrole-lambda (yes) → aws_iam_role.runner; lambda-update-function-code (yes) → aws_iam_role.admin via aws_lambda_function.nightly
}

resource "aws_iam_role" "builder" {
  name = "builder"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_user.eve.arn }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: iam-passrole-lambda (yes) → aws_iam_role.runner; lambda-update-function-code (yes) → aws_iam_role.admin via aws_lambda_function.nightly
}

resource "aws_iam_role_policy" "builder" {
  role = aws_iam_role.builder.name
  name = "functions"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.runner.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "arn:aws:lambda:*:111122223333:function:build-*" },
    ]
  })
}

resource "aws_iam_role" "runner" {
  name = "runner"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: lambda-update-function-code (yes) → aws_iam_role.admin via aws_lambda_function.nightly
}

resource "aws_iam_role_policy" "runner" {
  role = aws_iam_role.runner.name
  name = "update-nightly"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = aws_lambda_function.nightly.arn }]
  })
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

resource "aws_lambda_function" "nightly" {
  function_name = "nightly"
  role          = aws_iam_role.admin.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "nightly.zip"
}

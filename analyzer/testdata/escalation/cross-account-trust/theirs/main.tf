# Account 444455556666: administrator roles that trust account
# 111122223333, with and without sts:ExternalId, and one that names a user
# of it.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["444455556666"]
}

resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "b5f1c7e2" } }
    }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "vendor" {
  role       = aws_iam_role.vendor.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
  # Its AdministratorAccess allows sts:AssumeRole, but the vendor role
  # trusts 111122223333 only.
}

resource "aws_iam_role_policy_attachment" "open" {
  role       = aws_iam_role.open.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "named_trust" {
  name = "named-trust"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:user/named" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "named_trust" {
  role       = aws_iam_role.named_trust.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# A function that runs as an administrator role of this account. Roles
# cannot be passed across accounts, and neither IAM resources nor, by
# default, functions accept calls from another account.
resource "aws_iam_role" "fn_admin" {
  name = "fn-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "fn_admin" {
  role       = aws_iam_role.fn_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.fn_admin.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "report.zip"
}

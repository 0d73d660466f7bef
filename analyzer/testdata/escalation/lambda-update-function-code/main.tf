# lambda:UpdateFunctionCode on a function that runs as an administrator role (Rhino 18).

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

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = aws_iam_role.admin.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

# An administrator role that trusts lambda.amazonaws.com but runs nothing.
resource "aws_iam_role" "idle" {
  name = "idle"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "idle" {
  role       = aws_iam_role.idle.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: lambda-update-function-code (yes) → aws_iam_role.admin via aws_lambda_function.fn
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = "arn:aws:lambda:us-east-1:111122223333:function:fn" },
    ]
  })
}

# Near miss: it may update functions named idle*, and there is none (the idle role runs nothing).
resource "aws_iam_user" "wrong_resource" {
  name = "wrong-resource"
}

resource "aws_iam_user_policy" "wrong_resource" {
  user = aws_iam_user.wrong_resource.name
  name = "wrong-resource"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = "arn:aws:lambda:us-east-1:111122223333:function:idle*" },
    ]
  })
}

# Near miss: allowed everywhere, but a deny covers the workload.
resource "aws_iam_user" "denied" {
  name = "denied"
}

resource "aws_iam_user_policy" "denied" {
  user = aws_iam_user.denied.name
  name = "denied"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = "*" },
      { Effect = "Deny", Action = "lambda:UpdateFunctionCode", Resource = "arn:aws:lambda:*:*:function:fn" },
    ]
  })
}

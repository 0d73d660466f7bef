# iam:PassRole, lambda:CreateFunction and lambda:InvokeFunction: a function that runs as the role (Rhino 15).

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

# An administrator role that trusts ec2.amazonaws.com only.
resource "aws_iam_role" "other_service" {
  name = "other-service"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "other_service" {
  role       = aws_iam_role.other_service.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-passrole-lambda (yes) → aws_iam_role.admin
  # want step 1: iam:PassRole arn:aws:iam::111122223333:role/admin iam:PassedToService=lambda.amazonaws.com (yes)
  # want step 1: lambda:CreateFunction * (yes)
  # want step 1: lambda:InvokeFunction * (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

# Near miss: iam:PassedToService lets it pass roles to ec2.amazonaws.com only.
resource "aws_iam_user" "wrong_service" {
  name = "wrong-service"
}

resource "aws_iam_user_policy" "wrong_service" {
  user = aws_iam_user.wrong_service.name
  name = "wrong-service"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = "*", Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } } },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

# Near miss: it lacks lambda:InvokeFunction.
resource "aws_iam_user" "missing_action" {
  name = "missing-action"
}

resource "aws_iam_user_policy" "missing_action" {
  user = aws_iam_user.missing_action.name
  name = "missing-action"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction"], Resource = "*" },
    ]
  })
}

# Near miss: the only role it may pass does not trust lambda.amazonaws.com.
resource "aws_iam_user" "untrusted" {
  name = "untrusted"
}

resource "aws_iam_user_policy" "untrusted" {
  user = aws_iam_user.untrusted.name
  name = "untrusted"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.other_service.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

# Functions it may create and invoke are limited to dev-*: it names its
# function dev-something.
resource "aws_iam_user" "scoped" {
  name = "scoped"
  # want escalation admin=yes: iam-passrole-lambda (yes) → aws_iam_role.admin
  # want step 1: iam:PassRole arn:aws:iam::111122223333:role/admin iam:PassedToService=lambda.amazonaws.com (yes)
  # want step 1: lambda:CreateFunction arn:aws:lambda:us-east-1:111122223333:function:dev-iamlint (yes)
  # want step 1: lambda:AddPermission arn:aws:lambda:us-east-1:111122223333:function:dev-iamlint (yes)
}

resource "aws_iam_user_policy" "scoped" {
  user = aws_iam_user.scoped.name
  name = "scoped"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn, Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } } },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:AddPermission"], Resource = "arn:aws:lambda:us-east-1:111122223333:function:dev-*" },
    ]
  })
}

# Near miss: the functions it may create (build-*) are not those it may
# invoke (test-*).
resource "aws_iam_user" "split_resources" {
  name = "split-resources"
}

resource "aws_iam_user_policy" "split_resources" {
  user = aws_iam_user.split_resources.name
  name = "split-resources"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = "lambda:CreateFunction", Resource = "arn:aws:lambda:*:111122223333:function:build-*" },
      { Effect = "Allow", Action = "lambda:InvokeFunction", Resource = "arn:aws:lambda:*:111122223333:function:test-*" },
    ]
  })
}

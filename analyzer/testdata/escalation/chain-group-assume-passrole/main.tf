# A chain: a group lets its members assume the deploy role, and the deploy
# role may pass the admin role to a Lambda function it creates and
# invokes. user → deploy → admin, two hops.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_group" "deployers" {
  name = "deployers"
}

resource "aws_iam_group_policy" "deployers" {
  group = aws_iam_group.deployers.name
  name  = "assume-deploy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deploy.arn }]
  })
}

resource "aws_iam_user_group_membership" "carol" {
  user   = aws_iam_user.carol.name
  groups = [aws_iam_group.deployers.name]
}

resource "aws_iam_user" "carol" {
  name = "carol"
  # want assumes aws_iam_role.deploy (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.deploy; iam-passrole-lambda (yes) → aws_iam_role.admin
  # want step 1: sts:AssumeRole arn:aws:iam::111122223333:role/deploy (yes)
  # want step 2: iam:PassRole arn:aws:iam::111122223333:role/admin iam:PassedToService=lambda.amazonaws.com (yes)
  # want step 2: lambda:CreateFunction * (yes)
  # want step 2: lambda:InvokeFunction * (yes)
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: iam-passrole-lambda (yes) → aws_iam_role.admin
}

resource "aws_iam_role_policy" "deploy" {
  role = aws_iam_role.deploy.name
  name = "functions"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
  # AdministratorAccess allows sts:AssumeRole, and deploy trusts the account.
  # want assumes aws_iam_role.deploy (yes)
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Near miss: not in the group.
resource "aws_iam_user" "dave" {
  name = "dave"
}

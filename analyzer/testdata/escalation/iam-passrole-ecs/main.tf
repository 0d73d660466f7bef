# iam:PassRole, ecs:RegisterTaskDefinition and ecs:RunTask: a task whose task role is the role.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
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
  # want escalation admin=yes: iam-passrole-ecs (yes) → aws_iam_role.admin
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = ["ecs:RegisterTaskDefinition", "ecs:RunTask"], Resource = "*" },
    ]
  })
}

# Near miss: iam:PassedToService lets it pass roles to lambda.amazonaws.com only.
resource "aws_iam_user" "wrong_service" {
  name = "wrong-service"
}

resource "aws_iam_user_policy" "wrong_service" {
  user = aws_iam_user.wrong_service.name
  name = "wrong-service"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = "*", Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } } },
      { Effect = "Allow", Action = ["ecs:RegisterTaskDefinition", "ecs:RunTask"], Resource = "*" },
    ]
  })
}

# Near miss: it lacks ecs:RunTask.
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
      { Effect = "Allow", Action = ["ecs:RegisterTaskDefinition"], Resource = "*" },
    ]
  })
}

# Near miss: the only role it may pass does not trust ecs-tasks.amazonaws.com.
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
      { Effect = "Allow", Action = ["ecs:RegisterTaskDefinition", "ecs:RunTask"], Resource = "*" },
    ]
  })
}

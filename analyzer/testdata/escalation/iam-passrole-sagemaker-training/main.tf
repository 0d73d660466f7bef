# iam:PassRole and sagemaker:CreateTrainingJob: a training job whose container runs as the role.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }]
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
  # want escalation admin=yes: iam-passrole-sagemaker-training (yes) → aws_iam_role.admin
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "attacker"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = ["sagemaker:CreateTrainingJob"], Resource = "*" },
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
      { Effect = "Allow", Action = ["sagemaker:CreateTrainingJob"], Resource = "*" },
    ]
  })
}

# Near miss: it may pass the role, but not call sagemaker:CreateTrainingJob.
resource "aws_iam_user" "pass_only" {
  name = "pass-only"
}

resource "aws_iam_user_policy" "pass_only" {
  user = aws_iam_user.pass_only.name
  name = "pass-only"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.admin.arn },
      { Effect = "Allow", Action = "iam:GetRole", Resource = "*" },
    ]
  })
}

# Near miss: the only role it may pass does not trust sagemaker.amazonaws.com.
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
      { Effect = "Allow", Action = ["sagemaker:CreateTrainingJob"], Resource = "*" },
    ]
  })
}

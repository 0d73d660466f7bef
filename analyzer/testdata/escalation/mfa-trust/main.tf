# An MFA-conditioned trust policy: assuming the role works only in a
# session with MFA, so the can-assume edge is conditional and records it.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "breakglass" {
  name = "breakglass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "breakglass" {
  role       = aws_iam_role.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "oncall" {
  name = "oncall"
  # want assumes aws_iam_role.breakglass (conditional, mfa)
  # want escalation admin=yes: sts-assume-role (conditional) → aws_iam_role.breakglass
}

resource "aws_iam_user_policy" "oncall" {
  user = aws_iam_user.oncall.name
  name = "assume-breakglass"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.breakglass.arn }]
  })
}

# A certain path of the same length wins over the conditional one.
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
  # AdministratorAccess allows sts:AssumeRole; whether its session has MFA
  # is not known.
  # want assumes aws_iam_role.breakglass (conditional, mfa)
}

resource "aws_iam_role_policy_attachment" "worker" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "both" {
  name = "both"
  # want assumes aws_iam_role.breakglass (conditional, mfa)
  # want escalation admin=yes: iam-passrole-lambda (yes) → aws_iam_role.worker
}

resource "aws_iam_user_policy" "both" {
  user = aws_iam_user.both.name
  name = "assume-and-functions"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.breakglass.arn },
      { Effect = "Allow", Action = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

# iam:AttachRolePolicy on a role one is or can assume (Rhino 9).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# A role that may attach policies to itself, and the user its trust policy
# names (no identity permission is needed for that within the account).
resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_user.dev.arn }, Action = "sts:AssumeRole" }]
  })
  # want escalation admin=yes: iam-attach-role-policy (yes) → aws_iam_role.ci
}

resource "aws_iam_role_policy" "ci" {
  role = aws_iam_role.ci.name
  name = "self-attach"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = "arn:aws:iam::111122223333:role/ci" }]
  })
}

resource "aws_iam_user" "dev" {
  name = "dev"
  # want assumes aws_iam_role.ci (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.ci; iam-attach-role-policy (yes) → aws_iam_role.ci
}

# A role trusting the account: whoever the account's policies let call
# sts:AssumeRole on it may assume it.
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_user" "operator" {
  name = "operator"
  # want assumes aws_iam_role.app (yes)
  # want escalation admin=yes: iam-attach-role-policy (yes) → aws_iam_role.app; sts-assume-role (yes) → aws_iam_role.app
}

resource "aws_iam_user_policy" "operator" {
  user = aws_iam_user.operator.name
  name = "attach-and-assume"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = aws_iam_role.app.arn },
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.app.arn },
    ]
  })
}

# Near miss: may attach policies to app but not assume it (the trust policy
# names the account, so its own policies must allow sts:AssumeRole).
resource "aws_iam_user" "stranger" {
  name = "stranger"
}

resource "aws_iam_user_policy" "stranger" {
  user = aws_iam_user.stranger.name
  name = "attach-only"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AttachRolePolicy", Resource = aws_iam_role.app.arn }]
  })
}

# It cannot assume worker, but it may pass it to a function of its own:
# attach AdministratorAccess to worker, then run code as worker.
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_user" "passer" {
  name = "passer"
  # want escalation admin=yes: iam-attach-role-policy (yes) → aws_iam_role.worker; iam-passrole-lambda (yes) → aws_iam_role.worker
}

resource "aws_iam_user_policy" "passer" {
  user = aws_iam_user.passer.name
  name = "attach-and-pass"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:AttachRolePolicy", "iam:PassRole"], Resource = aws_iam_role.worker.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}

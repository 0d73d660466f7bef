# iam-vulnerable's privesc-permissive-role-trust: an administrator role
# whose trust policy names the account root, so every principal of the
# account whose own policies allow sts:AssumeRole on it may assume it.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "permissive" {
  name = "permissive"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "permissive" {
  role       = aws_iam_role.permissive.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Any role, any user: sts:AssumeRole on every resource.
resource "aws_iam_user" "anyone" {
  name = "anyone"
  # want assumes aws_iam_role.permissive (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.permissive
}

resource "aws_iam_user_policy" "anyone" {
  user = aws_iam_user.anyone.name
  name = "assume-anything"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" }]
  })
}

# A role (an application's) may assume it as well: role chaining.
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want assumes aws_iam_role.permissive (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.permissive
}

resource "aws_iam_role_policy" "app" {
  role = aws_iam_role.app.name
  name = "assume-roles"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::111122223333:role/*" }]
  })
}

# Near miss: its policies allow sts:AssumeRole on other roles only.
resource "aws_iam_user" "scoped" {
  name = "scoped"
}

resource "aws_iam_user_policy" "scoped" {
  user = aws_iam_user.scoped.name
  name = "assume-team-roles"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::111122223333:role/team-*" }]
  })
}

# Near miss: no permission at all.
resource "aws_iam_user" "nobody" {
  name = "nobody"
}

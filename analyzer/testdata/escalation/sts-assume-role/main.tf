# sts:AssumeRole onto an administrator role (iam-vulnerable's AssumeRole
# path).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# Trusts the account: a caller's own policies must allow sts:AssumeRole.
resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Trusts alice by name: she needs no identity permission for it.
resource "aws_iam_role" "named" {
  name = "named"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_user.alice.arn }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
  # An administrator's policies allow sts:AssumeRole on the other role.
  # want assumes aws_iam_role.admin (yes)
}

resource "aws_iam_role_policy_attachment" "named" {
  role       = aws_iam_role.named.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "ops" {
  name = "ops"
  # want assumes aws_iam_role.admin (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.admin
}

resource "aws_iam_user_policy" "ops" {
  user = aws_iam_user.ops.name
  name = "assume-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.admin.arn }]
  })
}

resource "aws_iam_user" "alice" {
  name = "alice"
  # want assumes aws_iam_role.named (yes)
  # want escalation admin=yes: sts-assume-role (yes) → aws_iam_role.named
}

# Near miss: trusted through the account, but its policies do not allow
# sts:AssumeRole.
resource "aws_iam_user" "nobody" {
  name = "nobody"
}

resource "aws_iam_user_policy" "nobody" {
  user = aws_iam_user.nobody.name
  name = "read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

# Near miss: its policies allow assuming named, whose trust names alice only.
resource "aws_iam_user" "mallory" {
  name = "mallory"
}

resource "aws_iam_user_policy" "mallory" {
  user = aws_iam_user.mallory.name
  name = "assume-named"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.named.arn }]
  })
}

# Near miss: allowed to assume any role, but admin is denied.
resource "aws_iam_user" "fenced" {
  name = "fenced"
}

resource "aws_iam_user_policy" "fenced" {
  user = aws_iam_user.fenced.name
  name = "assume-but-not-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = "*" },
      { Effect = "Deny", Action = "sts:AssumeRole", Resource = aws_iam_role.admin.arn },
    ]
  })
}

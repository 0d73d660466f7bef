# iam:UpdateLoginProfile: change the console password of a user who has one
# (Rhino 6). The credential report says who has a password and an MFA
# device; admin-unknown is not in it.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "admin_nopw" {
  name = "admin-nopw"
  # want is-admin yes
}

resource "aws_iam_user" "admin_pw" {
  name = "admin-pw"
  # want is-admin yes
}

resource "aws_iam_user" "admin_mfa" {
  name = "admin-mfa"
  # want is-admin yes
}

resource "aws_iam_user" "admin_unknown" {
  name = "admin-unknown"
  # want is-admin yes
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_group_membership" "admins" {
  name  = "admins"
  group = aws_iam_group.admins.name
  users = [aws_iam_user.admin_nopw.name, aws_iam_user.admin_pw.name, aws_iam_user.admin_mfa.name, aws_iam_user.admin_unknown.name]
}

resource "aws_iam_user_login_profile" "admin_pw" {
  user = aws_iam_user.admin_pw.name
}

# admin-pw has a password (the login profile above and the report).

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-update-login-profile (yes) → aws_iam_user.admin_pw
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "UpdateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateLoginProfile", Resource = aws_iam_user.admin_pw.arn }]
  })
}

# admin-unknown may have a password: it works only if so.

resource "aws_iam_user" "unsure" {
  name = "unsure"
  # want escalation admin=yes: iam-update-login-profile (conditional) → aws_iam_user.admin_unknown
}

resource "aws_iam_user_policy" "unsure" {
  user = aws_iam_user.unsure.name
  name = "UpdateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateLoginProfile", Resource = aws_iam_user.admin_unknown.arn }]
  })
}

# Near miss: admin-nopw has no password to change.

resource "aws_iam_user" "no_pw" {
  name = "no_pw"
}

resource "aws_iam_user_policy" "no_pw" {
  user = aws_iam_user.no_pw.name
  name = "UpdateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateLoginProfile", Resource = aws_iam_user.admin_nopw.arn }]
  })
}

# Near miss: admin-mfa has a password and an MFA device.

resource "aws_iam_user" "has_mfa" {
  name = "has_mfa"
}

resource "aws_iam_user_policy" "has_mfa" {
  user = aws_iam_user.has_mfa.name
  name = "UpdateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateLoginProfile", Resource = aws_iam_user.admin_mfa.arn }]
  })
}

# iam:CreateLoginProfile for a user who has no console password (Rhino 5).
# The credential report says who has a password and an MFA device;
# admin-unknown is not in it, so whether it has a password is not known.

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

# admin-nopw has no password: the profile can be created.

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-create-login-profile (yes) → aws_iam_user.admin_nopw
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "CreateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateLoginProfile", Resource = aws_iam_user.admin_nopw.arn }]
  })
}

# admin-unknown may have a password already: it works only if not.

resource "aws_iam_user" "unsure" {
  name = "unsure"
  # want escalation admin=yes: iam-create-login-profile (conditional) → aws_iam_user.admin_unknown
}

resource "aws_iam_user_policy" "unsure" {
  user = aws_iam_user.unsure.name
  name = "CreateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateLoginProfile", Resource = aws_iam_user.admin_unknown.arn }]
  })
}

# Near miss: admin-pw has a password already (CreateLoginProfile fails).

resource "aws_iam_user" "has_pw" {
  name = "has_pw"
}

resource "aws_iam_user_policy" "has_pw" {
  user = aws_iam_user.has_pw.name
  name = "CreateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateLoginProfile", Resource = aws_iam_user.admin_pw.arn }]
  })
}

# Near miss: admin-mfa has an MFA device, which the console would ask for.

resource "aws_iam_user" "has_mfa" {
  name = "has_mfa"
}

resource "aws_iam_user_policy" "has_mfa" {
  user = aws_iam_user.has_mfa.name
  name = "CreateLoginProfile"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateLoginProfile", Resource = aws_iam_user.admin_mfa.arn }]
  })
}

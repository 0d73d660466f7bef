# iam:UpdateAssumeRolePolicy: name oneself in a role's trust policy, then
# assume it (Rhino 14).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  # want is-admin yes
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "reader" {
  role = aws_iam_role.reader.name
  name = "read-buckets"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "*" }]
  })
}

# Within the account, a trust policy naming the user needs no identity
# permission for sts:AssumeRole.
resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-update-assume-role-policy (yes) → aws_iam_role.admin
  # want step 1: iam:UpdateAssumeRolePolicy arn:aws:iam::111122223333:role/admin (yes)
  # want step 1: sts:AssumeRole arn:aws:iam::111122223333:role/admin (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "rewrite-trust"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateAssumeRolePolicy", Resource = "arn:aws:iam::111122223333:role/*" }]
  })
}

# Not an administrator this way, but it gains what reader may do.
resource "aws_iam_user" "lesser" {
  name = "lesser"
  # want escalation admin=no: iam-update-assume-role-policy (yes) → aws_iam_role.reader
}

resource "aws_iam_user_policy" "lesser" {
  user = aws_iam_user.lesser.name
  name = "rewrite-reader-trust"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateAssumeRolePolicy", Resource = aws_iam_role.reader.arn }]
  })
}

# Near miss: may rewrite the trust policy, but a deny stops sts:AssumeRole.
resource "aws_iam_user" "no_assume" {
  name = "no-assume"
}

resource "aws_iam_user_policy" "no_assume" {
  user = aws_iam_user.no_assume.name
  name = "rewrite-but-never-assume"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:UpdateAssumeRolePolicy", Resource = "*" },
      { Effect = "Deny", Action = "sts:AssumeRole", Resource = "*" },
    ]
  })
}

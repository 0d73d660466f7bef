# iam:CreateAccessKey for another user (Rhino 4).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_user" "admin" {
  name = "admin"
  # want is-admin yes
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# An administrator who already has two active keys: AWS refuses a third.
resource "aws_iam_user" "full" {
  name = "full"
  # want is-admin yes
}

resource "aws_iam_user_policy_attachment" "full" {
  user       = aws_iam_user.full.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_access_key" "full_1" {
  user = aws_iam_user.full.name
}

resource "aws_iam_access_key" "full_2" {
  user = aws_iam_user.full.name
}

resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-create-access-key (yes) → aws_iam_user.admin
  # want step 1: iam:CreateAccessKey arn:aws:iam::111122223333:user/admin (yes)
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "keys-for-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = aws_iam_user.admin.arn }]
  })
}

# Near miss: keys for full only.
resource "aws_iam_user" "too_late" {
  name = "too-late"
}

resource "aws_iam_user_policy" "too_late" {
  user = aws_iam_user.too_late.name
  name = "keys-for-full"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = aws_iam_user.full.arn }]
  })
}

# Near miss: keys for its own name only (${aws:username}).
resource "aws_iam_user" "self_service" {
  name = "self-service"
}

resource "aws_iam_user_policy" "self_service" {
  user = aws_iam_user.self_service.name
  name = "own-keys"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "arn:aws:iam::111122223333:user/$${aws:username}" }]
  })
}

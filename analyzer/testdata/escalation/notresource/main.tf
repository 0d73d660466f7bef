# NotResource: the statement applies to every resource but those listed.

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# Every user but the administrators: itself included.
resource "aws_iam_user" "attacker" {
  name = "attacker"
  # want escalation admin=yes: iam-put-user-policy (yes) → aws_iam_user.attacker
}

resource "aws_iam_user_policy" "attacker" {
  user = aws_iam_user.attacker.name
  name = "put-on-non-admins"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", NotResource = "arn:aws:iam::111122223333:user/admin-*" }]
  })
}

# Near miss: every user but itself.
resource "aws_iam_user" "not_self" {
  name = "not-self"
}

resource "aws_iam_user_policy" "not_self" {
  user = aws_iam_user.not_self.name
  name = "put-on-others"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutUserPolicy", NotResource = aws_iam_user.not_self.arn }]
  })
}
